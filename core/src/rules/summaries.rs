//! Each ground's title and summary in the languages of the interface (issue 14 §3): a person whose interface is in
//! Russian, Ukrainian, Turkish or Arabic, drafting in English, French or Spanish, reads what each ground means in
//! their own language beside the draft language's text. Compiled in from `assets/grounds/summaries/`; English comes
//! from the English library itself. Summaries explain; they cite nothing (citations live in the library).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::rules::grounds::{self, GROUND_IDS};
use crate::text::shown;

/// A ground's title and summary in a language of the interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct GroundSummary {
    /// The ground's id in the library.
    pub id: String,
    pub title: String,
    pub summary: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Text {
    title: String,
    summary: String,
}

/// The languages of the interface, English first.
pub const INTERFACE_LANGUAGES: [&str; 5] = ["en", "ru", "uk", "tr", "ar"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    language: String,
    grounds: BTreeMap<String, Text>,
}

fn source(language: &str) -> Option<&'static str> {
    Some(match language {
        "ru" => include_str!("../../../assets/grounds/summaries/ru.json"),
        "uk" => include_str!("../../../assets/grounds/summaries/uk.json"),
        "tr" => include_str!("../../../assets/grounds/summaries/tr.json"),
        "ar" => include_str!("../../../assets/grounds/summaries/ar.json"),
        _ => return None,
    })
}

/// Each ground's title and summary in `language` (one of `INTERFACE_LANGUAGES`), in the library's order. A file
/// that misses a ground or names one the library lacks is refused (its test keeps that from shipping).
pub fn summaries(language: &str) -> Result<Vec<GroundSummary>> {
    if language == "en" {
        return Ok(grounds::library("en")?
            .grounds
            .into_iter()
            .map(|g| GroundSummary { id: g.id, title: g.title, summary: g.summary })
            .collect());
    }
    let text = source(language).ok_or_else(|| {
        Error::invalid(
            "language",
            format!(
                "'{}' is not a language of the interface; expected {}",
                shown(language),
                INTERFACE_LANGUAGES.join(", ")
            ),
        )
    })?;
    let file: File = serde_json::from_str(text).map_err(|e| {
        Error::Integrity(format!("the grounds' summaries in '{language}' are unreadable: {e}"))
    })?;
    if file.language != language {
        return Err(Error::Integrity(format!(
            "the grounds' summaries for '{language}' say they are in '{}'",
            file.language
        )));
    }
    let mut texts = file.grounds;
    let out = GROUND_IDS
        .iter()
        .map(|id| {
            let text = texts.remove(*id).ok_or_else(|| {
                Error::Integrity(format!("the grounds' summaries in '{language}' miss the ground '{id}'"))
            })?;
            Ok(GroundSummary { id: (*id).to_owned(), title: text.title, summary: text.summary })
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(extra) = texts.keys().next() {
        return Err(Error::Integrity(format!(
            "the grounds' summaries in '{language}' name a ground the library lacks: '{extra}'"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every language of the interface explains every ground of the library, and nothing else, in words of its
    /// own script (no English left behind).
    #[test]
    fn issue_14_every_ground_is_explained_in_every_language_of_the_interface() {
        let english = summaries("en").unwrap();
        for language in INTERFACE_LANGUAGES {
            let all = summaries(language).unwrap();
            let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(ids, GROUND_IDS, "{language}: the library's grounds, in its order");
            for (s, en) in all.iter().zip(&english) {
                let id = &s.id;
                assert!(!s.title.trim().is_empty() && !s.summary.trim().is_empty(), "{language} {id}");
                if language != "en" {
                    assert_ne!(s.summary, en.summary, "{language} {id}: still English");
                }
                let script = |c: char| match language {
                    "ru" | "uk" => ('\u{0400}'..='\u{04FF}').contains(&c),
                    "ar" => ('\u{0600}'..='\u{06FF}').contains(&c),
                    _ => c.is_alphabetic(),
                };
                assert!(
                    s.summary.chars().filter(|c| script(*c)).count() > s.summary.len() / 4,
                    "{language} {id}"
                );
            }
        }
        let uk = summaries("uk").unwrap();
        assert!(uk.iter().any(|s| s.summary.chars().any(|c| "іїєґ".contains(c))), "Ukrainian, not Russian");
        assert!(summaries("de").unwrap_err().to_string().contains("expected en, ru, uk, tr, ar"));
    }
}
