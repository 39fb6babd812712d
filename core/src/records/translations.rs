//! Translations linked to their originals: an evidence item may be marked as the translation of another into a
//! language (by whom, certified or not, when). The link lives in the translation's own state, so it is versioned,
//! audited, trashed and restored with the item, and an item that is not a translation keeps the stored form it
//! always had. The CCF reads Arabic, English, French and Spanish only: the bundle places a translation right after
//! its original, and a draft's annex list adds it after the original it translates.

use serde::{Deserialize, Serialize};

use crate::dates::FuzzyDate;
use crate::error::{Error, Reason, Result};
use crate::places;
use crate::records::evidence::{EvidenceItem, EvidenceState};
use crate::records::requests::RequestState;
use crate::store::Journal;
use crate::text::{self, shown};

/// What makes an evidence item a translation. Stored inside its state: do not rename a field.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranslationOf {
    /// The evidence item it translates.
    #[ts(type = "number")]
    pub original: i64,
    /// The language it is in: an ISO 639-1 code (`en`, `fr`, `es`, `ar`, …).
    pub language: String,
    #[serde(default)]
    pub translator: String,
    #[serde(default)]
    pub certified: bool,
    #[ts(type = "string | null")]
    #[serde(default)]
    pub date: Option<FuzzyDate>,
}

/// A link as the person gives it: the item that is the translation, of which original, and the details.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TranslationInput {
    #[ts(type = "number")]
    pub original: i64,
    pub language: String,
    #[serde(default)]
    pub translator: String,
    #[serde(default)]
    pub certified: bool,
    /// A fuzzy date (`2024-05-02`, `2024`); empty for none.
    #[serde(default)]
    pub date: String,
}

/// One link as listed: the translation, and its original's title when the original is in the journal and not
/// in the trash (`original_title` empty otherwise, so a list can say the original is gone).
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct TranslationLink {
    #[ts(type = "number")]
    pub translation: i64,
    pub title: String,
    #[serde(flatten)]
    pub link: TranslationOf,
    pub original_title: String,
}

/// An annex as a draft lists it (`Journal::listed_annexes`); its number is its place in the list, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedAnnex {
    pub evidence: i64,
    pub confidential: bool,
    /// The number of the annex it translates, when it follows one.
    pub translates: Option<u32>,
    /// A linked translation into the draft's language follows it (no translation warning is due).
    pub translated: bool,
}

/// The language an item is in, for the CCF's working-language check: a translation's own code, else the free text
/// the person gave.
pub fn item_language(state: &EvidenceState) -> &str {
    state.translation.as_ref().map_or(state.language.as_str(), |t| t.language.as_str())
}

/// The name of language `code` in `written_in` (CLDR's, through `places`: lower case in French and Spanish as
/// those languages write it); the code itself when CLDR does not name it.
pub fn language_name(code: &str, written_in: &str) -> String {
    places::language_name(code, written_in)
}

/// A language code as typed (`EN`, ` fr `), or a language's name in a language Redress speaks (`English`,
/// `английский`): two or three ASCII letters, returned in lower case.
pub fn language_code(field: &str, typed: &str) -> Result<String> {
    if let Some(code) = places::language_code(typed) {
        return Ok(code);
    }
    let code = typed.trim().to_ascii_lowercase();
    if (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase()) {
        return Ok(code);
    }
    Err(Error::invalid(
        field,
        format!(
            "'{}' is not a language code; write it as two letters (en, fr, es, ar, ru, uk, tr)",
            shown(typed)
        ),
    ))
}

fn refused(message: String) -> Error {
    Error::invalid_because(Reason::TranslationLink, "translation", message)
}

impl Journal {
    /// Marks evidence item `translation` as the translation of `input.original` (replacing an earlier link of
    /// it): a new version of the item, audited as an edit. Both items must be in the journal and not in the
    /// trash; an original cannot itself be a translation, and an item with translations of its own cannot become
    /// one, so a translation always follows a document that is not one.
    pub fn link_translation(&mut self, translation: i64, input: &TranslationInput) -> Result<()> {
        let language = language_code("language", &input.language)?;
        let translator = text::optional_line("translator", &input.translator)?;
        let date = if input.date.trim().is_empty() {
            None
        } else {
            Some(FuzzyDate::parse("translation date", &input.date)?)
        };
        if translation == input.original {
            return Err(refused(format!("evidence item {translation} cannot be a translation of itself")));
        }
        let item = self.usable(translation)?;
        let original = self.usable(input.original)?;
        if let Some(of) = &original.state.translation {
            return Err(refused(format!(
                "evidence item {} ('{}') is itself a translation of item {}; link the translation to that \
                 original instead",
                original.id,
                shown(&original.state.title),
                of.original
            )));
        }
        let own = self.translations_of(translation)?;
        if let Some(first) = own.first() {
            return Err(refused(format!(
                "evidence item {translation} ('{}') has translations of its own (item {}); it cannot be a \
                 translation",
                shown(&item.state.title),
                first.id
            )));
        }
        let mut state = item.state;
        state.translation = Some(TranslationOf {
            original: input.original,
            language,
            translator,
            certified: input.certified,
            date,
        });
        self.save_evidence_state(translation, &state)
    }

    /// Removes item `translation`'s link to its original (a new version; the earlier one stays in its history).
    pub fn unlink_translation(&mut self, translation: i64) -> Result<()> {
        let item = self.usable(translation)?;
        if item.state.translation.is_none() {
            return Err(refused(format!(
                "evidence item {translation} ('{}') is not linked as a translation",
                shown(&item.state.title)
            )));
        }
        let mut state = item.state;
        state.translation = None;
        self.save_evidence_state(translation, &state)
    }

    /// Every translation link of items not in the trash, by original then translation.
    pub fn translation_links(&self) -> Result<Vec<TranslationLink>> {
        let items = self.list_evidence(false)?;
        let mut links: Vec<TranslationLink> = items
            .iter()
            .filter_map(|i| {
                let link = i.state.translation.clone()?;
                let original_title = items
                    .iter()
                    .find(|o| o.id == link.original)
                    .map(|o| o.state.title.clone())
                    .unwrap_or_default();
                Some(TranslationLink {
                    translation: i.id,
                    title: i.state.title.clone(),
                    link,
                    original_title,
                })
            })
            .collect();
        links.sort_by_key(|l| (l.link.original, l.translation));
        Ok(links)
    }

    /// The items not in the trash linked as translations of `original`, by id.
    pub fn translations_of(&self, original: i64) -> Result<Vec<EvidenceItem>> {
        let mut found: Vec<EvidenceItem> = self
            .list_evidence(false)?
            .into_iter()
            .filter(|i| i.state.translation.as_ref().is_some_and(|t| t.original == original))
            .collect();
        found.sort_by_key(|i| i.id);
        Ok(found)
    }

    /// `ids` in order, each listed once, and each original directly followed by its translations: those among
    /// `ids` (moved there), and, when `add` names a language, its translations into that language not in the
    /// trash. A translation whose original is not among `ids` stays where it is. Returns each item with the id of
    /// the original it follows, if it does.
    pub fn with_translations(&self, ids: &[i64], add: Option<&str>) -> Result<Vec<(i64, Option<i64>)>> {
        let items = self.list_evidence(false)?;
        let of = |id: i64| items.iter().find(|i| i.id == id).and_then(|i| i.state.translation.as_ref());
        let mut out: Vec<(i64, Option<i64>)> = Vec::with_capacity(ids.len());
        for &id in ids {
            if out.iter().any(|(x, _)| *x == id) {
                continue;
            }
            // Placed after its original, when that is listed as an original (a chain left by a restore from the
            // trash — a translation of a translation — keeps its place instead).
            if of(id).is_some_and(|t| ids.contains(&t.original) && of(t.original).is_none()) {
                continue;
            }
            out.push((id, None));
            if of(id).is_some() {
                continue;
            }
            let mut translations: Vec<&EvidenceItem> = items
                .iter()
                .filter(|i| {
                    i.state.translation.as_ref().is_some_and(|t| {
                        t.original == id && (ids.contains(&i.id) || add.is_some_and(|l| t.language == l))
                    })
                })
                .collect();
            translations.sort_by_key(|i| (ids.iter().position(|x| *x == i.id).unwrap_or(usize::MAX), i.id));
            for t in translations {
                if !out.iter().any(|(x, _)| *x == t.id) {
                    out.push((t.id, Some(id)));
                }
            }
        }
        // Nothing chosen is ever left out, whatever the links say.
        for &id in ids {
            if !out.iter().any(|(x, _)| *x == id) {
                out.push((id, None));
            }
        }
        Ok(out)
    }

    /// A request's annexes as its draft in `language` lists and numbers them: each annex followed by its linked
    /// translations into that language (confidential when their original is). The checklist, the draft and the
    /// request's bundle all number annexes from this list.
    pub fn listed_annexes(&self, request: &RequestState, language: &str) -> Result<Vec<ListedAnnex>> {
        let ids: Vec<i64> = request.annexes.iter().map(|a| a.evidence).collect();
        let order = self.with_translations(&ids, Some(language))?;
        let mut listed: Vec<ListedAnnex> = Vec::with_capacity(order.len());
        for (evidence, follows) in order {
            let own = request.annexes.iter().find(|a| a.evidence == evidence);
            let original = follows.and_then(|o| listed.iter().position(|l| l.evidence == o));
            listed.push(ListedAnnex {
                evidence,
                confidential: own.is_some_and(|a| a.confidential)
                    || original.is_some_and(|o| listed[o].confidential),
                translates: original.map(|o| u32::try_from(o + 1).unwrap_or(u32::MAX)),
                translated: false,
            });
        }
        // An annex is translated when a translation into the draft's language follows it.
        for k in 0..listed.len() {
            let Some(of) = listed[k].translates else { continue };
            let into = self.evidence(listed[k].evidence).is_ok_and(|t| item_language(&t.state) == language);
            if let Some(original) = usize::try_from(of).ok().and_then(|n| listed.get_mut(n - 1)) {
                original.translated |= into;
            }
        }
        Ok(listed)
    }

    fn usable(&self, id: i64) -> Result<EvidenceItem> {
        let item = self.evidence(id)?;
        if item.trashed {
            return Err(refused(format!(
                "evidence item {id} ('{}') is in the trash; restore it first",
                shown(&item.state.title)
            )));
        }
        Ok(item)
    }
}
