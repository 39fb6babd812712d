//! The grounds library: one entry for each ground of the reference's §4 table (`docs/ccf-reference.md`), in
//! English, French and Spanish, compiled in from `assets/grounds/`. Citations are stored once, language-neutrally,
//! in `citations.json` with the reference's status and sources, and written per language by `crate::citation`;
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

/// How a French or Spanish draft refers to the applicant (English needs no choice): "le requérant" / "el
/// solicitante", "la requérante" / "la solicitante", or the neutral "la partie requérante" / "la persona
/// solicitante", the default, which assumes nothing.
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
        "ar" => Err(Error::invalid(
            "language",
            "the grounds library is not yet available in Arabic ('ar'); use en, fr or es",
        )),
        other => Err(Error::invalid(
            "language",
            format!("'{}' is not a language of the grounds library; expected en, fr or es", shown(other)),
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
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::rules::citation::Cite;

    const REFERENCE: &str = include_str!("../../../docs/ccf-reference.md");
    const LANGUAGES: [&str; 3] = ["en", "fr", "es"];
    const FORMS: [ApplicantForm; 3] =
        [ApplicantForm::Neutral, ApplicantForm::Feminine, ApplicantForm::Masculine];

    /// A tag of the reference's legend: `[V·S13]`, `[V·S28, S29]`, `[check]`, `[reported]`, `[reported, S36]`.
    #[derive(Debug, Clone, PartialEq)]
    struct Tag {
        status: CitationStatus,
        sources: Vec<String>,
    }

    /// A stretch of a table cell up to the tag that closes it (none for words after the cell's last tag).
    #[derive(Debug)]
    struct Piece {
        text: String,
        tag: Option<Tag>,
    }

    fn tag(inside: &str) -> Option<Tag> {
        let list = |s: &str| s.split(", ").map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
        if let Some(rest) = inside.strip_prefix("V·") {
            Some(Tag { status: CitationStatus::Verified, sources: list(rest) })
        } else if inside == "check" {
            Some(Tag { status: CitationStatus::Check, sources: Vec::new() })
        } else {
            let rest = inside.strip_prefix("reported")?;
            Some(Tag { status: CitationStatus::Reported, sources: list(rest.trim_start_matches(',')) })
        }
    }

    /// A cell cut at its tags: "Const. 3 [V·S13]; RPD 11 [check]" gives "Const. 3" (V·S13), "RPD 11" (check).
    fn pieces(cell: &str) -> Vec<Piece> {
        let trim = |s: &str| s.trim_start_matches(|c: char| " ;,)".contains(c)).trim_end().to_string();
        let mut out = Vec::new();
        let (mut from, mut at) = (0, 0);
        while let Some(open) = cell[at..].find('[').map(|i| i + at) {
            let Some(close) = cell[open..].find(']').map(|i| i + open) else { break };
            if let Some(t) = tag(&cell[open + 1..close]) {
                out.push(Piece { text: trim(&cell[from..open]), tag: Some(t) });
                from = close + 1;
            }
            at = close + 1;
        }
        let rest = trim(&cell[from..]);
        if !rest.is_empty() {
            out.push(Piece { text: rest, tag: None });
        }
        out
    }

    fn section(n: u32) -> &'static str {
        let start = REFERENCE.find(&format!("\n## {n}.")).expect("the reference has the section");
        let body = &REFERENCE[start + 1..];
        let end = body[1..].find("\n## ").map_or(body.len(), |i| i + 1);
        &body[..end]
    }

    /// A table's rows as their cells, header and separator left out.
    fn rows(n: u32) -> Vec<Vec<&'static str>> {
        section(n)
            .lines()
            .filter(|l| l.starts_with('|'))
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                cells[1..cells.len() - 1].to_vec()
            })
            .filter(|cells| !cells[0].starts_with("---") && cells[0] != "id" && cells[0] != "type")
            .collect()
    }

    /// §4's row for `id`: [id, ground, citations, notes].
    fn row(id: &str) -> Vec<&'static str> {
        rows(4).into_iter().find(|r| r[0] == id).unwrap_or_else(|| panic!("§4 has no row '{id}'"))
    }

    fn sources_listed() -> BTreeSet<String> {
        REFERENCE[REFERENCE.find("\n## Sources").expect("a source list")..]
            .lines()
            .filter_map(|l| l.strip_prefix("- S"))
            .filter_map(|l| l.split_whitespace().next())
            .map(|n| format!("S{n}"))
            .collect()
    }

    fn all() -> Vec<Library> {
        LANGUAGES.iter().map(|l| library(l).unwrap_or_else(|e| panic!("library '{l}': {e}"))).collect()
    }

    /// The parts of a number that its `from` must show: "83(2)(b)(i)" → 83, (2), (b), (i); "97-100" → 97, 100.
    fn number_parts(number: &str) -> Vec<String> {
        let base_end = number.find('(').unwrap_or(number.len());
        let mut parts: Vec<String> =
            number[..base_end].split('-').filter(|p| !p.is_empty()).map(str::to_string).collect();
        let mut rest = &number[base_end..];
        while let Some(open) = rest.find('(') {
            let Some(close) = rest[open..].find(')').map(|i| i + open) else { break };
            parts.push(rest[open..=close].to_string());
            rest = &rest[close + 1..];
        }
        parts
    }

    /// Where in `cells` the words `from` stand, with the text of their cell up to them (for the abbreviation).
    fn places<'a>(cells: &[&'a str], from: &str) -> Vec<(&'a str, Piece)> {
        let mut out = Vec::new();
        for cell in cells {
            for piece in pieces(cell) {
                if piece.text.contains(from) {
                    let before = cell.find(from).map_or(*cell, |i| &cell[..i + from.len()]);
                    out.push((before, piece));
                }
            }
        }
        out
    }

    /// Checks that `c` stands for words of `cells` whose tag gives its status and sources (or, for "(see X)",
    /// that ground's same citation), and that the words show its number and instrument.
    fn check_against(c: &Citation, cells: &[&str], what: &str, listed: &BTreeSet<String>) {
        let found = places(cells, &c.from);
        assert!(!found.is_empty(), "{what}: '{}' is not words of the reference's row {cells:?}", c.from);
        let own_tag = Tag { status: c.status, sources: c.sources.clone() };
        let matches = found.iter().any(|(_, piece)| match &piece.tag {
            Some(t) => {
                t.status == own_tag.status
                    && own_tag.sources.iter().all(|s| t.sources.contains(s))
                    && own_tag.sources.is_empty() == t.sources.is_empty()
            }
            None => piece
                .text
                .split("(see ")
                .nth(1)
                .and_then(|r| r.split(')').next())
                .and_then(|other| neutral().ok()?.grounds.remove(other))
                .is_some_and(|others| {
                    others.iter().any(|o| o.cite == c.cite && o.status == c.status && o.sources == c.sources)
                }),
        });
        assert!(
            matches,
            "{what}: citation '{}' is tagged {:?} {:?}, but the reference tags '{}' otherwise: {:?}",
            c.id,
            c.status,
            c.sources,
            c.from,
            found.iter().map(|(_, p)| &p.tag).collect::<Vec<_>>()
        );
        for s in &c.sources {
            assert!(listed.contains(s), "{what}: source {s} is not in the reference's list of sources");
        }
        for part in c.cite.key().iter().flat_map(|k| match &c.cite {
            Cite::Article { .. } | Cite::Paragraph { .. } => number_parts(k),
            _ => vec![k.clone()],
        }) {
            assert!(
                c.from.contains(&part),
                "{what}: '{}' does not show '{part}' of citation '{}'",
                c.from,
                c.id
            );
        }
        if let Some(instrument) = c.cite.instrument() {
            let abbreviation = instrument.abbreviation();
            assert!(
                found.iter().any(|(before, _)| before.contains(abbreviation)),
                "{what}: '{}' is cited as {abbreviation}, which the reference does not name there",
                c.from
            );
        }
    }

    #[test]
    fn each_language_has_every_ground_of_section_4_in_order() {
        let table_ids: Vec<&str> = rows(4).into_iter().map(|r| r[0]).collect();
        assert_eq!(table_ids, GROUND_IDS, "the library's ids must be those of §4, in its order");
        let neutral = neutral().unwrap();
        let cited: Vec<&str> = neutral.grounds.keys().map(String::as_str).collect();
        let mut sorted = table_ids.clone();
        sorted.sort_unstable();
        assert_eq!(cited, sorted, "citations.json must have an entry for each ground of §4 and no other");
        for (lib, language) in all().iter().zip(LANGUAGES) {
            assert_eq!(lib.language, language, "the file compiled in for '{language}' must say so");
            let ids: Vec<&str> = lib.grounds.iter().map(|g| g.id.as_str()).collect();
            assert_eq!(ids, table_ids, "library '{language}' must have every ground of §4, in its order");
            for g in &lib.grounds {
                for (field, value) in
                    [("title", &g.title), ("summary", &g.summary), ("template", &g.template)]
                {
                    assert!(!value.trim().is_empty(), "{language} {}: {field} must not be empty", g.id);
                }
                assert!(!g.citations.is_empty(), "{language} {}: a ground without citations", g.id);
                assert!(!g.evidence.is_empty(), "{language} {}: a ground without evidence hints", g.id);
            }
        }
    }

    /// Issue 10: every citation is the reference's own, with the status and sources its tag gives.
    #[test]
    fn every_citation_stands_for_words_of_its_row_with_their_status_and_sources() {
        let listed = sources_listed();
        assert!(listed.contains("S75"), "the reference's source list was read");
        for (id, citations) in neutral().unwrap().grounds {
            let r = row(&id);
            let mut ids = BTreeSet::new();
            for c in &citations {
                assert!(ids.insert(&c.id), "{id}: citation id '{}' twice", c.id);
                check_against(c, &r[1..], &id, &listed);
            }
        }
    }

    /// Issue 10: nothing §4 cites for a ground, with a tag, is left out of the library.
    #[test]
    fn nothing_the_reference_tags_for_a_ground_is_left_out() {
        for (id, citations) in neutral().unwrap().grounds {
            for cell in &row(&id)[1..] {
                for piece in pieces(cell) {
                    let tagged = piece.tag.is_some() || piece.text.contains("(see ");
                    if tagged {
                        assert!(
                            citations.iter().any(|c| piece.text.contains(&c.from)),
                            "{id}: the reference cites '{}' ({:?}) for this ground but the library leaves it out",
                            piece.text,
                            piece.tag
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_purposes_cite_section_1_with_its_tags() {
        let listed = sources_listed();
        let cells: Vec<&str> = rows(1).into_iter().flat_map(|r| r.into_iter().skip(1)).collect();
        for purpose in ["access", "correction_deletion", "revision", "revision_window"] {
            let citations = purpose_citations(purpose).unwrap();
            assert!(!citations.is_empty());
            for c in &citations {
                assert_eq!(c.status, CitationStatus::Verified, "{purpose}: a purpose prints its citations");
                check_against(c, &cells, purpose, &listed);
            }
        }
        assert_eq!(
            purpose_text("access", "fr").unwrap(),
            "art. 29 du Statut de la CCF ; art. 18 du RTD ; art. 3(1)(c) du Statut de la CCF"
        );
        assert_eq!(purpose_text("revision", "es").unwrap(), "art. 42(1) del Estatuto de la CCF");
    }

    /// Issue 10: a [check] citation prints in no language as a number, neither in the lines a draft prints, nor
    /// in the counsel notes, nor in a template: only its principle.
    #[test]
    fn no_unverified_citation_is_written_as_a_number_in_any_language() {
        let neutral = neutral().unwrap();
        for form in FORMS {
            for language in LANGUAGES {
                for g in library_in(language, form).unwrap().grounds {
                    let printed = [g.lines.join("\n"), g.counsel.join("\n"), g.template.clone()].join("\n");
                    for c in &neutral.grounds[&g.id] {
                        if c.status == CitationStatus::Verified {
                            continue;
                        }
                        for lang in LANGUAGES {
                            if let Some(number) = c.cite.written(lang) {
                                assert!(
                                    !whole(&printed, &number),
                                    "{language} {}: unverified '{number}' is printed:\n{printed}",
                                    g.id
                                );
                            }
                        }
                        if let (Some(i), [first, ..]) = (c.cite.instrument(), c.cite.key().as_slice()) {
                            let short = format!("{} {first}", i.abbreviation());
                            assert!(!whole(&printed, &short), "{language} {}: '{short}' is printed", g.id);
                        }
                        let shown =
                            g.citations.iter().find(|r| r.id == c.id).expect("each citation is shown");
                        assert!(
                            !shown.cited,
                            "{language} {}: '{}' is not verified, so not cited",
                            g.id, c.id
                        );
                        assert!(
                            g.counsel.iter().any(|n| n.contains(&shown.text))
                                || c.status == CitationStatus::Reported,
                            "{language} {}: unverified '{}' must be flagged for counsel",
                            g.id,
                            c.id
                        );
                    }
                }
            }
        }
    }

    /// `needle` in `text` as a whole citation: not the start of a longer one ("art. 83(2)" in "art. 83(2)(b)(i)").
    fn whole(text: &str, needle: &str) -> bool {
        text.match_indices(needle).any(|(i, _)| {
            !text[i + needle.len()..].starts_with(|c: char| c == '(' || c == '-' || c.is_ascii_digit())
        })
    }

    #[test]
    fn every_verified_citation_is_printed_where_its_place_says() {
        for lib in all() {
            for g in &lib.grounds {
                for c in g.citations.iter().filter(|c| c.cited) {
                    let (list, place) = match c.place {
                        Place::Body => (&g.lines, "the ground's lines"),
                        Place::Counsel => (&g.counsel, "the counsel notes"),
                    };
                    assert!(
                        list.iter().any(|l| l.contains(&c.text)),
                        "{} {}: '{}' must be printed in {place}",
                        lib.language,
                        g.id,
                        c.text
                    );
                }
            }
        }
    }

    /// Issue 10 (review E3): French and Spanish drafts cite in their own language, in §7's forms, with none of the
    /// library's English words or abbreviations.
    #[test]
    fn french_and_spanish_grounds_hold_no_english_and_cite_in_section_7_forms() {
        const ENGLISH: [&str; 15] = [
            "spirit",
            "taints",
            "RoP",
            "RPD",
            "Const.",
            "Decision No.",
            "CCF practice",
            "Article ",
            "Rules",
            "refugee",
            "Statute",
            "Repository",
            "resolution ",
            "ST ",
            "UDHR",
        ];
        for lib in all().into_iter().skip(1) {
            for g in &lib.grounds {
                let mut texts = vec![g.title.clone(), g.summary.clone(), g.template.clone()];
                texts.extend(g.lines.iter().chain(&g.counsel).chain(&g.evidence).cloned());
                texts.extend(g.citations.iter().map(|c| c.text.clone()));
                for text in &texts {
                    for word in ENGLISH {
                        assert!(
                            !text.contains(word),
                            "{} {}: English '{word}' in \"{text}\"",
                            lib.language,
                            g.id
                        );
                    }
                    // "para" is a Spanish word; as an abbreviation before a number it is the English one.
                    let para = text.match_indices("para ").any(|(i, _)| {
                        lib.language == "fr"
                            || text[i + 5..].starts_with(|c: char| c.is_ascii_digit() || c == '(')
                    });
                    assert!(!para, "{} {}: 'para' as an abbreviation in \"{text}\"", lib.language, g.id);
                    assert!(
                        !text.contains("{{g:") && !text.contains("{{cite:"),
                        "{}: unresolved in {text}",
                        g.id
                    );
                }
            }
        }
        let fr = library("fr").unwrap();
        let political = &fr.grounds[0];
        assert_eq!(
            political.lines[0],
            "Règles : art. 3 du Statut d'INTERPOL ; art. 34 du RTD ; résolution AGN/20/RES/11 (1951) ; \
             résolution AGN/53/RES/7 (1984) ; Recueil de pratiques (2024)."
        );
        let es = library("es").unwrap();
        let family = es.grounds.iter().find(|g| g.id == "family").unwrap();
        assert_eq!(family.lines, ["Normas: art. 83(1)(a)(i) del RTD; decisión de la CCF n.º 16 (2017)."]);
        let en = library("en").unwrap();
        let threshold = en.grounds.iter().find(|g| g.id == "threshold").unwrap();
        assert_eq!(threshold.lines, ["Rules: Article 83(1)(a)(ii) RPD."]);
        let limitation = en.grounds.iter().find(|g| g.id == "limitation").unwrap();
        assert_eq!(
            limitation.lines,
            ["CCF practice: the data must remain accurate and be supported by a valid arrest warrant."],
            "a ground resting only on [check] citations prints its principle, no number"
        );
    }

    /// Issue 10: every template frames the ground as the CCF does, on the processing of the data.
    #[test]
    fn every_template_frames_the_processing_of_the_data() {
        let framing = [
            ("en", "processing of the data"),
            ("fr", "traitement des données"),
            ("es", "tratamiento de los datos"),
        ];
        for (lib, (language, words)) in all().iter().zip(framing) {
            assert_eq!(lib.language, language);
            for g in &lib.grounds {
                if g.id == "revision-new-fact" {
                    continue;
                }
                assert!(g.template.contains(words), "{language} {}: the template must say '{words}'", g.id);
            }
        }
    }

    /// Issue 10 (review E10): French and Spanish templates in the applicant's form; the neutral one never assumes.
    #[test]
    fn templates_follow_the_applicants_form_and_the_neutral_one_assumes_none() {
        let forbidden: [(&str, ApplicantForm, &[&str]); 6] = [
            (
                "fr",
                ApplicantForm::Neutral,
                &[
                    "le requérant",
                    "Le requérant",
                    "la requérante",
                    "La requérante",
                    "du requérant",
                    "au requérant",
                ],
            ),
            ("fr", ApplicantForm::Masculine, &["requérante"]),
            (
                "fr",
                ApplicantForm::Feminine,
                &["le requérant", "Le requérant", "du requérant", "partie requérante"],
            ),
            (
                "es",
                ApplicantForm::Neutral,
                &["el solicitante", "El solicitante", "la solicitante", "La solicitante"],
            ),
            ("es", ApplicantForm::Masculine, &["la solicitante", "La solicitante", "persona solicitante"]),
            ("es", ApplicantForm::Feminine, &["el solicitante", "El solicitante", "persona solicitante"]),
        ];
        for (language, form, words) in forbidden {
            for g in library_in(language, form).unwrap().grounds {
                for word in words {
                    assert!(
                        !g.template.contains(word),
                        "{language} {form:?} {}: '{word}' in {}",
                        g.id,
                        g.template
                    );
                }
            }
        }
        let fr = |form| {
            library_in("fr", form).unwrap().grounds.into_iter().find(|g| g.id == "no-extradition").unwrap()
        };
        assert!(fr(ApplicantForm::Masculine).template.starts_with("Le requérant a été localisé dans"));
        assert!(fr(ApplicantForm::Feminine).template.starts_with("La requérante a été localisée dans"));
        assert!(fr(ApplicantForm::Neutral).template.starts_with("La partie requérante a été localisée dans"));
        assert_eq!(
            in_form("{{g:a|b}} {{g:|e}} {{g:x}} {{g:1|2|3|4}} {{g:m|f", ApplicantForm::Neutral),
            "b e {{g:x}} {{g:1|2|3|4}} {{g:m|f",
            "two or three alternatives only; anything else stays as written"
        );
    }

    #[test]
    fn templates_have_the_same_placeholders_in_every_language() {
        let libs = all();
        for (i, g) in libs[0].grounds.iter().enumerate() {
            let en: BTreeSet<String> = placeholders(&g.template).into_iter().collect();
            assert!(en.contains("evidence_list"), "{}: every template lists the evidence relied on", g.id);
            for lib in &libs[1..] {
                let other: BTreeSet<String> = placeholders(&lib.grounds[i].template).into_iter().collect();
                assert_eq!(other, en, "{}: '{}' must ask for the same facts as 'en'", g.id, lib.language);
            }
        }
        for lib in &libs {
            for g in &lib.grounds {
                let values = placeholders(&g.template)
                    .into_iter()
                    .map(|p| (p, "x".to_string()))
                    .collect::<BTreeMap<_, _>>();
                let filled = g.fill(&values);
                assert!(
                    !filled.contains("{{") && !filled.contains("}}") && !filled.contains('['),
                    "{} {}: a malformed placeholder would reach the draft: {filled}",
                    lib.language,
                    g.id
                );
            }
        }
    }

    #[test]
    fn fill_replaces_known_placeholders_and_shows_the_rest() {
        let ground = Ground {
            id: "t".into(),
            title: String::new(),
            summary: String::new(),
            citations: Vec::new(),
            lines: Vec::new(),
            counsel: Vec::new(),
            evidence: Vec::new(),
            template:
                "In {{issuing_country}} on {{ date_of_charges }}: {{facts}}. {{facts}} {{note}} {not} {{Bad}}"
                    .into(),
        };
        assert_eq!(
            placeholders(&ground.template),
            ["issuing_country", "date_of_charges", "facts", "note"],
            "each name once, in order; '{{{{Bad}}}}' is not a placeholder"
        );
        let values: BTreeMap<String, String> = [
            ("issuing_country", "Ruritania"),
            ("date_of_charges", " 3 May 2021 "),
            ("facts", "{{note}}"),
            ("note", "   "),
            ("unused", "u"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            ground.fill(&values),
            "In Ruritania on 3 May 2021: {{note}}. {{note}} [note] {not} {{Bad}}",
            "a value is inserted once and not expanded; a blank value shows its placeholder"
        );
        assert_eq!(
            ground.fill(&BTreeMap::new()),
            "In [issuing_country] on [date_of_charges]: [facts]. [facts] [note] {not} {{Bad}}",
            "with no values nothing may be silently dropped"
        );
        let unclosed = Ground { template: "a {{facts".into(), ..ground };
        assert_eq!(unclosed.fill(&values), "a {{facts", "an unclosed brace is text");
    }

    #[test]
    fn unsupported_languages_are_refused_by_name() {
        let arabic = library("ar").expect_err("Arabic has no grounds library yet");
        assert_eq!(arabic.code(), "invalid_input");
        assert!(arabic.to_string().contains("Arabic"), "the message must name Arabic: {arabic}");
        assert!(arabic.to_string().contains("not yet"), "the message must say Arabic is not yet supported");
        let russian = library("ru").expect_err("Russian is not a CCF working language");
        assert!(russian.to_string().contains("'ru'"), "the message must name the language: {russian}");
        assert!(library("EN").is_err(), "codes are lower case, as the drafter stores them");
    }
}

#[cfg(test)]
mod ccf_ids {
    #[test]
    fn the_library_and_the_request_validation_know_the_same_grounds() {
        let ids: Vec<String> = super::library("en").unwrap().grounds.into_iter().map(|g| g.id).collect();
        assert_eq!(ids, super::GROUND_IDS, "a request may cite exactly the library's grounds");
    }
}
