//! `redress-core`: the whole of Redress that is not a window: the encrypted vault and its journal, the records, the
//! documents. It never depends on `tauri`: the desktop app, `redress-cli` and the tests all drive these functions.
//! Layers, each importing only from those below it (`core/tests/layers` checks): 0 leaves (`error`, `text`,
//! `dates`, `secret`, `files`, `places`, `process`, `rules`), 1 `store`, 2 `vault`, 3 `records`, 4 documents
//! (`pdf`, `isolate`, `ccf`, `bundle`, `scan`), 5 edges (`demo`; the CLI and the app outside this library).

// 0: leaves
pub mod dates;
pub mod error;
pub mod files;
pub mod places;
pub mod process;
pub mod rules;
pub mod secret;
pub mod text;
// 1: the store
pub mod store;
// 2: the vault
pub mod vault;
// 3: the records
pub mod records;
// 4: documents
pub mod bundle;
pub mod ccf;
pub mod isolate;
pub mod pdf;
pub mod scan;
// 5: edges
pub mod demo;

pub use error::{Code, Error, Reason, Result};
pub use store::{Clock, FixedClock, Journal, Kind, SystemClock};
pub use vault::{CreateOptions, KdfParams, Vault};

// Paths from before the layers, kept for the app, the CLI and the tests.
pub use records::{chronology, contacts, deadlines, evidence, profile};
pub use rules::{citation, grounds};
pub use store as journal;
pub use store::search;
pub use vault::backup;
