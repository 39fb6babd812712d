//! What goes into a bundle (`BundleSpec`: sections of evidence items, the contact it is for, chronology events,
//! originals to attach, the language) and its check against the journal: every item exists, is not trashed and is
//! chosen once. Both the plan and the export start from the checked spec (`Checked`).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::texts::texts;
use crate::error::{Error, Reason, Result};
use crate::records::chronology::Event;
use crate::records::evidence::EvidenceItem;
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
    /// The language of the pages Redress writes: "en", "fr" or "es".
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
    /// A bundle of a saved CCF request's annexes, in their order, for its representative, with its facts.
    pub fn for_request(journal: &Journal, id: i64) -> Result<BundleSpec> {
        let request = journal.request(id)?;
        let items: Vec<i64> = request.state.annexes.iter().map(|a| a.evidence).collect();
        Ok(BundleSpec {
            sections: vec![BundleSection { title: request.state.title.clone(), items }],
            contact: request.state.representative,
            events: request.state.facts.clone(),
            keep_metadata: false,
            attach_originals: Vec::new(),
            language: match request.state.language.as_str() {
                l @ ("en" | "fr" | "es") => l.to_owned(),
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
    /// (section title, exhibit number, item), in bundle order.
    pub(super) exhibits: Vec<(String, u32, EvidenceItem)>,
    pub(super) contact_name: String,
    pub(super) events: Vec<Event>,
}

impl Journal {
    pub(super) fn check_spec(&self, spec: &BundleSpec) -> Result<Checked> {
        texts(&spec.language)?;
        let mut seen = HashSet::new();
        let mut exhibits = Vec::new();
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
                let number = u32::try_from(exhibits.len() + 1).unwrap_or(u32::MAX);
                exhibits.push((title.clone(), number, item));
            }
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
        Ok(Checked { exhibits, contact_name, events })
    }
}
