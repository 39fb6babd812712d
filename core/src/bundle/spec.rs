//! What goes into a bundle (`BundleSpec`: sections of evidence items, the contact it is for, chronology events,
//! originals to attach, the language) and its check against the journal: every item exists, is not trashed and is
//! chosen once. Both the plan and the export start from the checked spec (`Checked`).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::texts::{fill, texts, Texts};
use crate::error::{Error, Reason, Result};
use crate::records::chronology::Event;
use crate::records::evidence::EvidenceItem;
use crate::records::translations::language_name;
use crate::store::Journal;

/// What to put in a bundle, in order.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleSpec {
    pub sections: Vec<BundleSection>,
    /// The contact it is prepared for (named on the cover, recorded in the disclosure log).
    #[ts(type = "number | null")]
    pub contact: Option<i64>,
    /// Chronology events to include, in date order; none means no chronology section.
    #[serde(default)]
    #[ts(type = "number[]")]
    pub events: Vec<i64>,
    /// Keep pictures' metadata: the originals are then attached as files beside their page.
    #[serde(default)]
    pub keep_metadata: bool,
    /// Evidence items whose original file the person asked to attach, unchanged and with all it holds, beside
    /// its pages or placeholder. No other original is ever attached, and none that the reader crashed or timed
    /// out on (the most suspicious file in the case).
    #[serde(default)]
    #[ts(type = "number[]")]
    pub attach_originals: Vec<i64>,
    /// The language of the pages Redress writes: "en", "fr", "es" or "ar".
    #[serde(default = "english")]
    pub language: String,
}

pub(super) fn english() -> String {
    "en".into()
}

/// A named group of exhibits ("Identity", "Court decisions", …), in order.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleSection {
    pub title: String,
    #[ts(type = "number[]")]
    pub items: Vec<i64>,
}

impl BundleSpec {
    /// A bundle of a saved CCF request's annexes, in the draft's order (each original followed by its linked
    /// translations into the request's language), for its representative, with its facts.
    pub fn for_request(journal: &Journal, id: i64) -> Result<BundleSpec> {
        let request = journal.request(id)?;
        let annexes: Vec<i64> = request.state.annexes.iter().map(|a| a.evidence).collect();
        let items = journal
            .with_translations(&annexes, Some(&request.state.language))?
            .into_iter()
            .map(|a| a.0)
            .collect();
        Ok(BundleSpec {
            sections: vec![BundleSection { title: request.state.title.clone(), items }],
            contact: request.state.representative,
            events: request.state.facts.clone(),
            keep_metadata: false,
            attach_originals: Vec::new(),
            language: match request.state.language.as_str() {
                l @ ("en" | "fr" | "es" | "ar") => l.to_owned(),
                _ => english(),
            },
        })
    }

    /// The given items, in the given order, in one section.
    pub fn for_items(items: &[i64]) -> BundleSpec {
        BundleSpec {
            sections: vec![BundleSection { title: "Evidence".into(), items: items.to_vec() }],
            language: english(),
            ..BundleSpec::default()
        }
    }

    /// Every item not in the trash, by document date, in one section.
    pub fn all(journal: &Journal) -> Result<BundleSpec> {
        let mut items = journal.list_evidence(false)?;
        items.sort_by(|a, b| {
            let key = |i: &EvidenceItem| i.state.doc_date.as_ref().map(|d| d.sort_key()).unwrap_or_default();
            key(a).cmp(&key(b)).then(a.id.cmp(&b.id))
        });
        Ok(BundleSpec::for_items(&items.iter().map(|i| i.id).collect::<Vec<_>>()))
    }
}

/// A checked spec: the items and events it names, looked up.
pub(super) struct Checked {
    /// (section title, exhibit number, item), in bundle order: each translation right after its original.
    pub(super) exhibits: Vec<(String, u32, EvidenceItem)>,
    pub(super) contact_name: String,
    pub(super) events: Vec<Event>,
    /// Translations among the exhibits, by exhibit number.
    pub(super) links: HashMap<u32, Link>,
    /// The language of the pages Redress writes (language names are written in it).
    pub(super) language: String,
}

/// How an exhibit is related to others by translation.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Link {
    /// It is a translation: of which exhibit (none when its original is not in the bundle), into which language
    /// (a code), and whether it is certified.
    pub(super) translates: Option<(Option<u32>, String, bool)>,
    /// Its translations in the bundle: their numbers and languages.
    pub(super) translated_by: Vec<(u32, String)>,
}

impl Checked {
    /// What the index says of exhibit `number`'s translations, or `None`.
    pub(super) fn link_line(&self, number: u32, t: &Texts) -> Option<String> {
        let link = self.links.get(&number)?;
        let name = |code: &str| language_name(code, &self.language);
        if let Some((of, language, certified)) = &link.translates {
            let mut line = match of {
                Some(n) => fill(&t.translation_of, &[("language", name(language)), ("n", n.to_string())]),
                None => fill(&t.translation_of_absent, &[("language", name(language))]),
            };
            if *certified {
                line = format!("{line} ({})", t.certified);
            }
            return Some(line);
        }
        if link.translated_by.is_empty() {
            return None;
        }
        let list = link
            .translated_by
            .iter()
            .map(|(n, l)| fill(&t.translation_item, &[("n", n.to_string()), ("language", name(l))]))
            .collect::<Vec<_>>()
            .join(", ");
        Some(fill(&t.translations, &[("list", list)]))
    }

    /// The title an exhibit's heading and bookmark give: a translation says first what it translates.
    pub(super) fn heading_title(&self, number: u32, item: &EvidenceItem, t: &Texts) -> String {
        match self.links.get(&number).and_then(|l| l.translates.as_ref()) {
            Some(_) => format!("{} — {}", self.link_line(number, t).unwrap_or_default(), item.state.title),
            None => item.state.title.clone(),
        }
    }

    /// The exhibit number as its pages' stamp gives it, with what it translates or what translates it.
    pub(super) fn stamp_number(&self, number: u32, t: &Texts) -> String {
        let Some(link) = self.links.get(&number) else { return number.to_string() };
        let name = |code: &str| language_name(code, &self.language);
        match &link.translates {
            Some((Some(of), language, _)) => fill(
                &t.stamp_translation,
                &[("n", number.to_string()), ("language", name(language)), ("of", of.to_string())],
            ),
            Some((None, _, _)) => number.to_string(),
            None if link.translated_by.is_empty() => number.to_string(),
            None => {
                let list =
                    link.translated_by.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>().join(", ");
                fill(&t.stamp_translated, &[("n", number.to_string()), ("list", list)])
            }
        }
    }
}

impl Journal {
    pub(super) fn check_spec(&self, spec: &BundleSpec) -> Result<Checked> {
        texts(&spec.language)?;
        let mut seen = HashSet::new();
        let mut chosen: Vec<(String, EvidenceItem)> = Vec::new();
        for (s, section) in spec.sections.iter().enumerate() {
            let title = crate::text::optional_line("section title", &section.title)?;
            let title = if title.is_empty() { format!("Section {}", s + 1) } else { title };
            for id in &section.items {
                if !seen.insert(*id) {
                    return Err(Error::invalid(
                        "bundle",
                        format!("evidence item {id} is chosen twice; each item can be one exhibit only"),
                    ));
                }
                let item = self
                    .evidence(*id)
                    .map_err(|_| Error::invalid("bundle", format!("evidence item {id} does not exist")))?;
                if item.trashed {
                    return Err(Error::invalid("bundle", format!("evidence item {id} is in the trash")));
                }
                chosen.push((title.clone(), item));
            }
        }
        // A translation follows its original, in the original's section, when both are chosen.
        let ids: Vec<i64> = chosen.iter().map(|(_, i)| i.id).collect();
        let order = self.with_translations(&ids, None)?;
        let mut exhibits: Vec<(String, u32, EvidenceItem)> = Vec::with_capacity(chosen.len());
        let mut links: HashMap<u32, Link> = HashMap::new();
        let mut numbers: HashMap<i64, u32> = HashMap::new();
        for (id, follows) in order {
            let Some(k) = chosen.iter().position(|(_, i)| i.id == id) else { continue };
            let section = match follows.and_then(|o| exhibits.iter().find(|e| e.2.id == o)) {
                Some(original) => original.0.clone(),
                None => chosen[k].0.clone(),
            };
            let number = u32::try_from(exhibits.len() + 1).unwrap_or(u32::MAX);
            numbers.insert(id, number);
            if let Some(of) = &chosen[k].1.state.translation {
                let original = numbers.get(&of.original).copied().filter(|_| follows.is_some());
                links.entry(number).or_default().translates =
                    Some((original, of.language.clone(), of.certified));
                if let Some(o) = original {
                    links.entry(o).or_default().translated_by.push((number, of.language.clone()));
                }
            }
            exhibits.push((section, number, chosen[k].1.clone()));
        }
        if exhibits.is_empty() {
            return Err(Error::invalid_because(
                Reason::EmptyBundle,
                "bundle",
                "no evidence is chosen; choose at least one item",
            ));
        }
        let contact_name = match spec.contact {
            Some(id) => {
                let c = self
                    .contact(id)
                    .map_err(|_| Error::invalid("prepared for", format!("contact {id} does not exist")))?;
                if c.state.firm.is_empty() {
                    c.state.name
                } else {
                    format!("{}, {}", c.state.name, c.state.firm)
                }
            }
            None => String::new(),
        };
        let mut events = Vec::new();
        for id in &spec.events {
            let e = self
                .event(*id)
                .map_err(|_| Error::invalid("chronology", format!("chronology event {id} does not exist")))?;
            if !e.trashed {
                events.push(e);
            }
        }
        events.sort_by(|a, b| a.state.date.sort_key().cmp(&b.state.date.sort_key()).then(a.id.cmp(&b.id)));
        Ok(Checked { exhibits, contact_name, events, links, language: spec.language.clone() })
    }
}
