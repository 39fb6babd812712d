//! The grounds library: one entry for each ground of the CCF reference's §4 table (`docs/ccf-reference.md`), in
//! English, French and Spanish, compiled in from `assets/grounds/`. Rule citations are copied verbatim from the
//! reference and are the same strings in every language; the tests check each one against the reference, so a
//! citation the reference does not hold cannot slip in. Templates frame the person's facts as `{{placeholders}}`;
//! a placeholder left unfilled shows as `[name]` and is never silently dropped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{shown, Error, Result};

const EN: &str = include_str!("../../assets/grounds/en.json");
const FR: &str = include_str!("../../assets/grounds/fr.json");
const ES: &str = include_str!("../../assets/grounds/es.json");

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
    /// Rule citations, verbatim from the reference and identical in every language.
    pub rules: Vec<String>,
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

/// The grounds library in `language` (`en`, `fr` or `es`).
pub fn library(language: &str) -> Result<Library> {
    let source = match language {
        "en" => EN,
        "fr" => FR,
        "es" => ES,
        "ar" => {
            return Err(Error::invalid(
                "language",
                "the grounds library is not yet available in Arabic ('ar'); use en, fr or es",
            ))
        }
        other => {
            return Err(Error::invalid(
                "language",
                format!("'{}' is not a language of the grounds library; expected en, fr or es", shown(other)),
            ))
        }
    };
    serde_json::from_str(source)
        .map_err(|e| Error::Integrity(format!("the grounds library in '{language}' is unreadable: {e}")))
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

    const REFERENCE: &str = include_str!("../../docs/ccf-reference.md");
    const LANGUAGES: [&str; 3] = ["en", "fr", "es"];
    const IDS: [&str; 11] = [
        "political",
        "human-rights",
        "refugee",
        "private-dispute",
        "threshold",
        "data-quality",
        "no-international-interest",
        "no-extradition",
        "limitation",
        "extradition-refused",
        "diffusion",
    ];
    /// Citations found in §4's notes under its table, not in a row: cautions, not grounds.
    const NOTE_CITATIONS: [&str; 2] = ["RoP para 32(e)", "CCF decision 2/2018"];
    /// Text that starts a citation. After the allowed citations are blanked out of a prose field, none may remain.
    const CITATION_MARKERS: [&str; 14] = [
        "Const.",
        "RPD",
        "RoP",
        "ST ",
        "AGN/",
        "GA-",
        "UDHR",
        "CCF decision",
        "Art.",
        "art.",
        "Article",
        "article",
        "artículo",
        "Artículo",
    ];

    /// The text of the reference's §4, from its heading to the next one.
    fn section_4() -> &'static str {
        let start = REFERENCE.find("\n## 4.").expect("the reference has a section 4");
        let body = &REFERENCE[start + 1..];
        let end = body[1..].find("\n## ").map_or(body.len(), |i| i + 1);
        &body[..end]
    }

    /// §4's table rows as (id, rules cell), header and separator left out.
    fn rows() -> Vec<(&'static str, &'static str)> {
        section_4()
            .lines()
            .filter(|l| l.starts_with('|'))
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                // "| id | ground | rules |" splits into ["", id, ground, rules, ""].
                (cells.len() == 5).then(|| (cells[1], cells[3]))
            })
            .filter(|(id, _)| *id != "id" && !id.starts_with("---"))
            .collect()
    }

    fn rules_cell(id: &str) -> &'static str {
        rows()
            .into_iter()
            .find(|(row_id, _)| *row_id == id)
            .map(|(_, rules)| rules)
            .unwrap_or_else(|| panic!("the reference's §4 table has no row '{id}'"))
    }

    /// §4's lines outside its table: the evidence list and the "not decisive on its own" cautions.
    fn section_4_notes() -> String {
        section_4().lines().filter(|l| !l.starts_with('|')).collect::<Vec<_>>().join("\n")
    }

    /// The rules cell split on ";" outside parentheses: "Refugee policy (Executive Committee 2014; …)" stays whole.
    fn top_level_pieces(cell: &str) -> Vec<&str> {
        let (mut pieces, mut depth, mut start) = (Vec::new(), 0i32, 0);
        for (i, c) in cell.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ';' if depth == 0 => {
                    pieces.push(cell[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            }
        }
        pieces.push(cell[start..].trim());
        pieces
    }

    fn all() -> Vec<Library> {
        LANGUAGES.iter().map(|l| library(l).unwrap_or_else(|e| panic!("library '{l}': {e}"))).collect()
    }

    /// `text` with every occurrence of each citation replaced by spaces, where the occurrence is a whole citation
    /// (not "RPD 34" inside "RPD 34(1)", nor "RPD 81, 84" inside "RPD 81, 84, 85").
    fn blank_citations(text: &str, citations: &[String]) -> String {
        let mut sorted: Vec<&String> = citations.iter().collect();
        sorted.sort_by_key(|c| std::cmp::Reverse(c.len()));
        let mut out = text.to_string();
        for citation in sorted {
            let mut from = 0;
            while let Some(i) = out[from..].find(citation.as_str()).map(|i| i + from) {
                let end = i + citation.len();
                let after = &out[end..];
                let continues = after.starts_with(|c: char| c.is_alphanumeric() || "(-/".contains(c))
                    || after.strip_prefix(", ").is_some_and(|a| a.starts_with(|c: char| c.is_ascii_digit()));
                let whole = !continues;
                if whole {
                    out.replace_range(i..end, &" ".repeat(citation.len()));
                }
                from = end;
            }
        }
        out
    }

    /// A decision number such as "2/2018" left in the text.
    fn has_decision_number(text: &str) -> bool {
        let b = text.as_bytes();
        b.windows(6).any(|w| w[0].is_ascii_digit() && w[1] == b'/' && w[2..].iter().all(u8::is_ascii_digit))
    }

    #[test]
    fn each_language_parses_with_the_eleven_grounds_in_order() {
        let table_ids: Vec<&str> = rows().into_iter().map(|(id, _)| id).collect();
        assert_eq!(table_ids, IDS, "the library's ids must be exactly those of the reference's §4 table");
        for (lib, language) in all().iter().zip(LANGUAGES) {
            assert_eq!(lib.language, language, "the file compiled in for '{language}' must say so");
            let ids: Vec<&str> = lib.grounds.iter().map(|g| g.id.as_str()).collect();
            assert_eq!(ids, IDS, "library '{}' must have every ground of §4, in its order", lib.language);
            for g in &lib.grounds {
                for (field, value) in
                    [("title", &g.title), ("summary", &g.summary), ("template", &g.template)]
                {
                    assert!(!value.trim().is_empty(), "{} {}: {field} must not be empty", lib.language, g.id);
                }
                assert!(!g.rules.is_empty(), "{} {}: a ground without a rule citation", lib.language, g.id);
                assert!(!g.evidence.is_empty(), "{} {}: a ground without evidence hints", lib.language, g.id);
            }
        }
    }

    #[test]
    fn every_rule_citation_is_verbatim_in_its_grounds_row_of_the_reference() {
        for lib in all() {
            for g in &lib.grounds {
                let cell = rules_cell(&g.id);
                for rule in &g.rules {
                    assert!(
                        cell.contains(rule.as_str()),
                        "{} {}: citation '{rule}' is not in the reference's row for this ground ('{cell}'); \
                         no rule may be cited that the reference does not hold",
                        lib.language,
                        g.id
                    );
                }
                for piece in top_level_pieces(cell) {
                    assert!(
                        g.rules.iter().any(|r| piece.starts_with(r.as_str())),
                        "{} {}: the reference cites '{piece}' for this ground but the library leaves it out",
                        lib.language,
                        g.id
                    );
                }
            }
        }
    }

    #[test]
    fn prose_cites_only_the_grounds_own_rules_and_the_notes_cautions() {
        let notes = section_4_notes();
        for citation in NOTE_CITATIONS {
            assert!(notes.contains(citation), "caution citation '{citation}' must be in §4's notes");
        }
        for lib in all() {
            for g in &lib.grounds {
                // A citation may drop its trailing gloss: "Const. 2(1)" for "Const. 2(1) (spirit of the UDHR)".
                let mut allowed: Vec<String> = g.rules.clone();
                for rule in &g.rules {
                    if let Some(head) = rule.find(" (").map(|i| &rule[..i]) {
                        if head.chars().any(|c| c.is_ascii_digit()) {
                            allowed.push(head.to_string());
                        }
                    }
                }
                allowed.extend(NOTE_CITATIONS.iter().map(|c| c.to_string()));
                let prose = [&g.title, &g.summary, &g.template].into_iter().chain(&g.evidence);
                for text in prose {
                    let rest = blank_citations(text, &allowed);
                    for marker in CITATION_MARKERS {
                        assert!(
                            !rest.contains(marker),
                            "{} {}: '{marker}' in \"{text}\" is not one of this ground's citations in the reference",
                            lib.language,
                            g.id
                        );
                    }
                    assert!(
                        !has_decision_number(&rest),
                        "{} {}: a decision number in \"{text}\" that the reference does not give for this ground",
                        lib.language,
                        g.id
                    );
                }
            }
        }
    }

    #[test]
    fn the_cautions_of_section_4_appear_where_they_apply() {
        for lib in all() {
            let g = &lib.grounds[1];
            assert_eq!(g.id, "human-rights");
            for citation in NOTE_CITATIONS {
                assert!(
                    g.template.contains(citation),
                    "{}: the human-rights template must carry the caution '{citation}'",
                    lib.language
                );
            }
        }
        let naturalisation = [("en", "naturalisation"), ("fr", "naturalisation"), ("es", "naturalización")];
        for (lib, (language, word)) in all().iter().zip(naturalisation) {
            assert_eq!(lib.language, language);
            let summary = &lib.grounds[2].summary;
            assert!(
                summary.contains(word),
                "{language}: the refugee summary must say it is reported not to apply after naturalisation"
            );
        }
    }

    #[test]
    fn rule_citations_are_identical_in_every_language() {
        let libs = all();
        for (i, id) in IDS.iter().enumerate() {
            let en = &libs[0].grounds[i].rules;
            for lib in &libs[1..] {
                assert_eq!(
                    &lib.grounds[i].rules, en,
                    "{id}: citations are references, not prose, and must not differ in '{}'",
                    lib.language
                );
            }
        }
    }

    #[test]
    fn templates_have_the_same_placeholders_in_every_language() {
        let libs = all();
        for (i, id) in IDS.iter().enumerate() {
            let en: BTreeSet<String> = placeholders(&libs[0].grounds[i].template).into_iter().collect();
            assert!(en.contains("evidence_list"), "{id}: every template lists the evidence relied on");
            for lib in &libs[1..] {
                let other: BTreeSet<String> = placeholders(&lib.grounds[i].template).into_iter().collect();
                assert_eq!(other, en, "{id}: '{}' must ask for the same facts as 'en'", lib.language);
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
            rules: Vec::new(),
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

    #[test]
    fn the_reference_copy_matches_the_shared_reference() {
        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/docs/ccf-reference.md");
        let Ok(text) = std::fs::read_to_string(shared) else { return };
        assert!(
            text == REFERENCE,
            "docs/ccf-reference.md differs from {shared}: the grounds are checked against a stale copy"
        );
    }
}

#[cfg(test)]
mod ccf_ids {
    #[test]
    fn the_library_and_the_request_validation_know_the_same_grounds() {
        let ids: Vec<String> = super::library("en").unwrap().grounds.into_iter().map(|g| g.id).collect();
        assert_eq!(ids, crate::ccf::GROUND_IDS, "a request may cite exactly the library's grounds");
    }
}
