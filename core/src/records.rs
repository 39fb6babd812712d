//! What the records of every kind share above the store: bringing one back from the trash. The store keeps no
//! search text for a trashed record (it is erased with the record's index row, so trashed words are not findable),
//! so a restore rebuilds it here, from the stored state, with the record's own module: the store knows no kinds.

use crate::error::{Error, Result};
use crate::store::{Indexed, Journal, Kind};

/// The search text of a record of `kind` from its stored state (JSON).
fn index_text(kind: Kind, state: &str) -> Result<Indexed> {
    let bad = |e: serde_json::Error| Error::Integrity(format!("stored state unreadable: {e}"));
    Ok(match kind {
        Kind::Profile => crate::profile::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Evidence => crate::evidence::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Event => crate::chronology::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Contact => crate::contacts::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Deadline => crate::deadlines::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Request => crate::ccf::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Disclosure => crate::bundle::indexed(&serde_json::from_str(state).map_err(bad)?),
    })
}

impl Journal {
    /// Brings a record back from the trash, in its lists and in search.
    pub fn restore(&mut self, kind: Kind, id: i64) -> Result<()> {
        self.restore_record(kind, id, &|state| index_text(kind, state))
    }
}
