//! `redress-core`: the whole of Redress that is not a window. The encrypted vault and its journal, evidence,
//! chronology, contacts, deadlines, search, audit chain and backups. It never depends on `tauri`: the desktop app,
//! `redress-cli` and the tests all drive these same functions.

pub mod backup;
pub mod bundle;
pub mod ccf;
pub mod chronology;
pub mod citation;
pub mod contacts;
pub mod dates;
pub mod deadlines;
pub mod demo;
pub mod error;
pub mod evidence;
pub mod files;
pub mod grounds;
pub mod pdf;
pub mod profile;
pub mod records;
pub mod rules;
pub mod secret;
pub mod store;
pub mod text;
pub mod vault;

pub use error::{Error, Result};
pub use store::{Clock, FixedClock, Journal, Kind, SystemClock};

// Paths from before the layers, kept for the app, the CLI and the tests.
pub use store as journal;
pub use store::search;
pub use vault::{CreateOptions, KdfParams, Vault};
