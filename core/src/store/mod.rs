//! The store (layer 1): the SQLCipher journal and what every record kind shares: the connection and migrations
//! (`db`), the audit chain (`chain`), generic versioned records with trash (`records`), stored files (`blobs`), the
//! search index (`search`), text recognised in records' files (`texts`) and the clock (`clock`). It imports only
//! the leaves: no record kind, vault or document.
//! `Journal` is the handle; each record module a layer up adds its own `impl Journal` block.

use rusqlite::Connection;

pub mod blobs;
pub mod chain;
mod clock;
pub(crate) mod db;
pub(crate) mod records;
pub mod search;
pub mod texts;

pub(crate) use chain::append;
pub use chain::{AuditEntry, Problem, VerifyReport};
pub use clock::{Clock, FixedClock, SystemClock};
pub(crate) use db::{open_connection, DbSettings};
pub(crate) use records::canonical;
pub use records::Kind;
pub(crate) use search::Indexed;

/// The open journal. Dropping it closes the connection; SQLCipher wipes its copy of the key.
pub struct Journal {
    pub(crate) conn: Connection,
    clock: Box<dyn Clock>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Journal(..)")
    }
}
