//! The disclosure log: one record per bundle exported, naming who it was prepared for, which items (with their
//! SHA-256) it holds and the file's own hash. The bundle writes it (`bundle::export`) and an export that is not
//! logged is not made; the log is what lets the person say later exactly what they gave to whom.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::store::{Indexed, Journal, Kind};

/// One item of a disclosure record.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisclosedItem {
    pub exhibit: u32,
    #[ts(type = "number")]
    pub evidence: i64,
    pub title: String,
    pub sha256: String,
}

/// Stored state of a disclosure record. Hashed into the audit chain: do not change; add a new version.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisclosureState {
    #[ts(type = "number | null")]
    pub contact: Option<i64>,
    /// The contact's name at the time of the export.
    pub contact_name: String,
    pub items: Vec<DisclosedItem>,
    pub file_name: String,
    pub sha256: String,
    pub pages: u32,
    pub encrypted: bool,
    pub at: DateTime<Utc>,
}

#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct Disclosure {
    #[ts(type = "number")]
    pub id: i64,
    pub trashed: bool,
    #[serde(flatten)]
    pub state: DisclosureState,
}

pub(crate) fn indexed(state: &DisclosureState) -> Indexed {
    let titles: Vec<&str> = state.items.iter().map(|i| i.title.as_str()).collect();
    Indexed {
        title: format!("{} — {}", state.file_name, state.contact_name),
        body: [titles.join("\n"), state.sha256.clone()].join("\n"),
    }
}

impl Journal {
    /// The disclosure log: every bundle exported, newest first; only those for `contact` if given.
    pub fn disclosures(&self, contact: Option<i64>) -> Result<Vec<Disclosure>> {
        let mut all: Vec<Disclosure> = self
            .list_records::<DisclosureState>(Kind::Disclosure, false)?
            .into_iter()
            .map(|(id, state, trashed)| Disclosure { id, trashed, state })
            .filter(|d| contact.is_none() || d.state.contact == contact)
            .collect();
        all.reverse();
        Ok(all)
    }

    /// Records one export in the log; its id is the disclosure record's.
    pub(crate) fn log_disclosure(&mut self, state: &DisclosureState) -> Result<i64> {
        let key = state.at.to_rfc3339();
        let idx = indexed(state);
        self.create_record(Kind::Disclosure, state, &key, idx)
    }
}
