//! The grounds library: one entry for each ground of the reference's §4 table (`docs/ccf-reference.md`), in
//! English, French and Spanish, compiled in from `assets/grounds/`. Citations are stored once, language-neutrally,
//! in `citations.json` with the reference's status and sources, and written per language by `citation`;
//! the language files hold the words, including the principle each unverified citation is stated as. The one
//! decision to know: only a verified citation prints as a citation; a [check] one prints as its principle and is
//! flagged for counsel, never as a number. Templates are resolved for the applicant's grammatical form
//! (`{{g:masculine|feminine|neutral}}`) and their citations (`{{cite:id}}`); the person's facts stay
//! `{{placeholders}}`, and a placeholder left unfilled shows as `[name]`, never silently dropped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::rules::citation::{self, Citation, Instrument, Place};
use crate::rules::CitationStatus;
use crate::text::shown;

/// The grounds of the reference's §4 table, in its order; the grounds library has one entry for each.
pub const GROUND_IDS: [&str; 22] = [
    "political",
    "military",
    "religious-racial",
    "human-rights",
    "refugee",
    "asylum-seeker",
    "private-dispute",
    "family",
    "cultural-norms",
    "threshold",
    "description",
    "data-quality",
    "no-international-interest",
    "no-extradition",
    "limitation",
    "ne-bis-in-idem",
    "amnesty",
    "extradition-refused",
    "diffusion",
    "ncb-silence",
    "provisional-measures",
    "revision-new-fact",
];

/// How a French, Spanish or Arabic draft refers to the applicant (English needs no choice): "le requérant" / "el
/// solicitante" / «مقدم الطلب», "la requérante" / "la solicitante" / «مقدمة الطلب», or the neutral "la partie
/// requérante" / "la persona solicitante", the default, which assumes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantForm {
    #[default]
    Neutral,
    Feminine,
    Masculine,
}

const EN: &str = include_str!("../../../assets/grounds/en.json");
const FR: &str = include_str!("../../../assets/grounds/fr.json");
const ES: &str = include_str!("../../../assets/grounds/es.json");
const AR: &str = include_str!("../../../assets/grounds/ar.json");
const CITATIONS: &str = include_str!("../../../assets/grounds/citations.json");

/// One citation of a ground as a language shows it, with the reference's tag.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedRule {
    pub id: String,
    /// The citation in this language when it prints as one; otherwise the principle it is stated as.
    pub text: String,
    pub status: CitationStatus,
    /// The reference's sources (`S13`).
    pub sources: Vec<String>,
    /// `true` when drafts print it as a citation (a verified article, decision, resolution or text).
    pub cited: bool,
    pub place: Place,
}

/// One ground a request can rest on, in one language.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ground {
    /// The id of the reference's §4 table (`political`, `refugee`, …), the same in every language.
    pub id: String,
    pub title: String,
    /// One neutral sentence: what the ground is.
    pub summary: String,
    /// What the ground rests on, each citation with its status, in this language.
    pub citations: Vec<CitedRule>,
    /// What a draft prints under the ground's heading: its verified citations, then the principles it rests on
    /// ("CCF practice: …"), never an unverified number.
    pub lines: Vec<String>,
    /// Notes for counsel: the ground's cautions and what is not cited because the reference has not verified it.
    pub counsel: Vec<String>,
    /// Kinds of evidence that support the ground.
    pub evidence: Vec<String>,
    /// A paragraph for the draft, with the person's facts as `{{placeholders}}`.
    pub template: String,
}

/// The whole grounds library in one language.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub language: String,
    pub grounds: Vec<Ground>,
}

/// `citations.json`: the grounds' citations (§4) and the request purposes' (§1), by id.
#[derive(Deserialize)]
struct Neutral {
    grounds: BTreeMap<String, Vec<Citation>>,
    purposes: BTreeMap<String, Vec<Citation>>,
}

/// The words a language file gives for the lines and notes built around citations.
#[derive(Deserialize)]
struct Words {
    rules: String,
    practice: String,
    reported: String,
    colon: String,
    practice_note: String,
    reported_note: String,
    cited_note: String,
    unverified_note: String,
    /// For a [check] citation with no principle of its own: "a further provision of the RPD named for this ground".
    unnamed: BTreeMap<Instrument, String>,
}

#[derive(Deserialize)]
struct LanguageFile {
    language: String,
    words: Words,
    grounds: Vec<GroundText>,
}

#[derive(Deserialize)]
struct GroundText {
    id: String,
    title: String,
    summary: String,
    /// By citation id: the principle a citation is stated as when it does not print as a citation, or the
    /// caution a counsel note gives with it.
    #[serde(default)]
    principles: BTreeMap<String, String>,
    evidence: Vec<String>,
    template: String,
}

fn neutral() -> Result<Neutral> {
    serde_json::from_str(CITATIONS)
        .map_err(|e| Error::Integrity(format!("the grounds' citations (citations.json) are unreadable: {e}")))
}

fn source(language: &str) -> Result<&'static str> {
    match language {
        "en" => Ok(EN),
        "fr" => Ok(FR),
        "es" => Ok(ES),
        "ar" => Ok(AR),
        other => Err(Error::invalid(
            "language",
            format!("'{}' is not a language of the grounds library; expected en, fr, es or ar", shown(other)),
        )),
    }
}

/// The grounds library in `language` (`en`, `fr` or `es`), referring to the applicant in the neutral form.
pub fn library(language: &str) -> Result<Library> {
    library_in(language, ApplicantForm::Neutral)
}

/// The grounds library in `language`, its French and Spanish templates in the applicant's grammatical `form`.
pub fn library_in(language: &str, form: ApplicantForm) -> Result<Library> {
    let text = in_form(source(language)?, form);
    let file: LanguageFile = serde_json::from_str(&text)
        .map_err(|e| Error::Integrity(format!("the grounds library in '{language}' is unreadable: {e}")))?;
    let mut citations = neutral()?.grounds;
    let grounds = file
        .grounds
        .into_iter()
        .map(|text| {
            let cited = citations.remove(&text.id).unwrap_or_default();
            build(text, &cited, &file.words, &file.language)
        })
        .collect::<Result<_>>()?;
    Ok(Library { language: file.language, grounds })
}

/// Each ground's citations, language-neutral, by ground id.
pub fn ground_citations() -> Result<BTreeMap<String, Vec<Citation>>> {
    Ok(neutral()?.grounds)
}

/// The citations (§1) a request purpose rests on: `access`, `correction_deletion`, `revision`, or
/// `revision_window` (the 6-month limit of ST 42(2)).
pub fn purpose_citations(purpose: &str) -> Result<Vec<Citation>> {
    neutral()?.purposes.remove(purpose).ok_or_else(|| {
        Error::Integrity(format!("citations.json gives no citation for the purpose '{purpose}'"))
    })
}

/// The verified citations of a purpose written in `language` and joined ("art. 29 du Statut de la CCF ; …").
pub fn purpose_text(purpose: &str, language: &str) -> Result<String> {
    let written: Vec<String> =
        purpose_citations(purpose)?.iter().filter_map(|c| c.render(language)).collect();
    Ok(citation::join(language, &written))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn push_once(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// One ground in one language: its citations as shown, the draft's lines and the counsel notes, and its template
/// with each `{{cite:id}}` written out. Fails on data a test would catch: a principle missing where the ground
/// needs one, or a template citing what does not print as a citation.
fn build(text: GroundText, citations: &[Citation], words: &Words, language: &str) -> Result<Ground> {
    let broken = |what: String| {
        Error::Integrity(format!("grounds library '{language}', ground '{}': {what}", text.id))
    };
    let mut cited_rules = Vec::new();
    let (mut rules, mut practice, mut reported, mut counsel) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for c in citations {
        let written = c.render(language);
        let principle = text.principles.get(&c.id).cloned();
        let unnamed = c.cite.instrument().and_then(|i| words.unnamed.get(&i)).cloned();
        let needed =
            || principle.clone().ok_or_else(|| broken(format!("no principle for citation '{}'", c.id)));
        match (c.place, c.status, &written) {
            (Place::Body, _, Some(w)) => push_once(&mut rules, w.clone()),
            (Place::Counsel, _, Some(w)) => push_once(
                &mut counsel,
                capitalised(&words.cited_note.replace("{principle}", &needed()?).replace("{citation}", w)),
            ),
            (Place::Body, CitationStatus::Verified, None) => push_once(&mut practice, needed()?),
            (Place::Body, CitationStatus::Reported, None) => push_once(&mut reported, needed()?),
            (Place::Counsel, CitationStatus::Verified, None) => {
                push_once(&mut counsel, capitalised(&words.practice_note.replace("{principle}", &needed()?)))
            }
            (Place::Counsel, CitationStatus::Reported, None) => {
                push_once(&mut counsel, capitalised(&words.reported_note.replace("{principle}", &needed()?)))
            }
            (Place::Body, CitationStatus::Check, None) => {
                if let Some(p) = &principle {
                    push_once(&mut practice, p.clone());
                }
            }
            (Place::Counsel, CitationStatus::Check, None) => {}
        }
        if c.status == CitationStatus::Check {
            let what = principle
                .clone()
                .or(unnamed.clone())
                .ok_or_else(|| broken(format!("no principle for the unverified citation '{}'", c.id)))?;
            push_once(&mut counsel, words.unverified_note.replace("{principle}", &what));
        }
        cited_rules.push(CitedRule {
            id: c.id.clone(),
            text: written.clone().or(principle).or(unnamed).unwrap_or_default(),
            status: c.status,
            sources: c.sources.clone(),
            cited: written.is_some(),
            place: c.place,
        });
    }
    let mut lines = Vec::new();
    for (label, items) in [(&words.rules, &rules), (&words.practice, &practice), (&words.reported, &reported)]
    {
        if !items.is_empty() {
            lines.push(format!("{label}{}{}.", words.colon, citation::join(language, items)));
        }
    }
    let template = resolve_citations(&text.template, citations, language).map_err(broken)?;
    Ok(Ground {
        id: text.id,
        title: text.title,
        summary: text.summary,
        citations: cited_rules,
        lines,
        counsel,
        evidence: text.evidence,
        template,
    })
}

/// `template` with each `{{cite:id}}` written as that citation in `language`; it must be one that prints.
fn resolve_citations(
    template: &str,
    citations: &[Citation],
    language: &str,
) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{cite:") {
        let after = &rest[start + 7..];
        let end = after.find("}}").ok_or_else(|| "an unclosed {{cite:".to_string())?;
        let id = &after[..end];
        let written = citations
            .iter()
            .find(|c| c.id == id && c.place == Place::Body)
            .and_then(|c| c.render(language))
            .ok_or_else(|| {
                format!("the template cites '{id}', which is not a verified citation of the ground")
            })?;
        out.push_str(&rest[..start]);
        out.push_str(&written);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `text` with each `{{g:masculine|feminine}}` or `{{g:masculine|feminine|neutral}}` resolved for `form` (with two
/// alternatives the neutral form takes the feminine one: "la partie requérante" agrees as "la requérante" does).
/// Anything else is left as it is.
pub fn in_form(text: &str, form: ApplicantForm) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{g:") {
        let after = &rest[start + 4..];
        let Some(end) = after.find("}}") else { break };
        let alternatives: Vec<&str> = after[..end].split('|').collect();
        let chosen = match (form, alternatives.as_slice()) {
            (ApplicantForm::Masculine, [m, _] | [m, _, _]) => Some(*m),
            (ApplicantForm::Feminine, [_, f] | [_, f, _]) => Some(*f),
            (ApplicantForm::Neutral, [_, f]) => Some(*f),
            (ApplicantForm::Neutral, [_, _, n]) => Some(*n),
            _ => None,
        };
        match chosen {
            Some(word) => {
                out.push_str(&rest[..start]);
                out.push_str(word);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[..start + 4]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Ground {
    /// The template with each `{{name}}` replaced by `values[name]`. A placeholder with no value, or a blank one,
    /// stays visible as `[name]` so the draft shows what is missing. Values are inserted as they are, never
    /// expanded again, so a value that itself contains `{{…}}` cannot pull in another one.
    pub fn fill(&self, values: &BTreeMap<String, String>) -> String {
        let mut out = String::with_capacity(self.template.len());
        for segment in segments(&self.template) {
            match segment {
                Segment::Text(text) => out.push_str(text),
                Segment::Placeholder(name) => match values.get(name).map(|v| v.trim()) {
                    Some(value) if !value.is_empty() => out.push_str(value),
                    _ => {
                        out.push('[');
                        out.push_str(name);
                        out.push(']');
                    }
                },
            }
        }
        out
    }
}

/// The placeholder names of `template`, each once, in order of first appearance.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for segment in segments(template) {
        if let Segment::Placeholder(name) = segment {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// The placeholders an argument still holds, each once: `{{name}}` as a template writes it, or `[name]` as a
/// filled template shows one left blank (only for names the library's templates use, so "[1]" stays text).
pub fn unfilled(argument: &str) -> Vec<String> {
    let mut names = placeholders(argument);
    let known: Vec<String> = library("en")
        .map(|lib| lib.grounds.iter().flat_map(|g| placeholders(&g.template)).collect())
        .unwrap_or_default();
    for name in known {
        if argument.contains(&format!("[{name}]")) && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

enum Segment<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// A placeholder name: lower-case ASCII letters, digits and `_`. Anything else between braces is plain text.
fn is_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn segments(template: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) if is_name(after[..end].trim()) => {
                out.push(Segment::Text(&rest[..start]));
                out.push(Segment::Placeholder(after[..end].trim()));
                rest = &after[end + 2..];
            }
            _ => {
                // Not a placeholder: keep the braces as text and look further on.
                out.push(Segment::Text(&rest[..start + 2]));
                rest = after;
            }
        }
    }
    out.push(Segment::Text(rest));
    out
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod ccf_ids {
    #[test]
    fn the_library_and_the_request_validation_know_the_same_grounds() {
        let ids: Vec<String> = super::library("en").unwrap().grounds.into_iter().map(|g| g.id).collect();
        assert_eq!(ids, super::GROUND_IDS, "a request may cite exactly the library's grounds");
    }
}
