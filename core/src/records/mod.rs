//! The records (layer 3): one module per kind of record the person keeps (profile, evidence, chronology,
//! contacts, deadlines, CCF requests, the disclosure log), each adding its own `impl Journal` block over the
//! generic store, plus the CCF admissibility checklist. They import the store and the leaves, never the vault or
//! a document. Shared here: bringing a record back from the trash. The store keeps no search text for a trashed
//! record (its index row is erased, so trashed words are not findable), so a restore rebuilds it from the stored
//! state with the record's own module: the store knows no kinds.

pub mod checklist;
pub mod chronology;
pub mod contacts;
pub mod deadlines;
pub mod disclosures;
pub mod evidence;
pub mod overview;
pub mod profile;
pub mod requests;
pub mod translations;

use crate::error::{Error, Result};
use crate::store::{Indexed, Journal, Kind};

/// The search text of a record of `kind` from its stored state (JSON).
fn index_text(kind: Kind, state: &str) -> Result<Indexed> {
    let bad = |e: serde_json::Error| Error::Integrity(format!("stored state unreadable: {e}"));
    Ok(match kind {
        Kind::Profile => profile::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Evidence => evidence::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Event => chronology::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Contact => contacts::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Deadline => deadlines::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Request => requests::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Disclosure => disclosures::indexed(&serde_json::from_str(state).map_err(bad)?),
    })
}

impl Journal {
    /// Brings a record back from the trash, in its lists and in search.
    pub fn restore(&mut self, kind: Kind, id: i64) -> Result<()> {
        self.restore_record(kind, id, &|state| index_text(kind, state))
    }
}
