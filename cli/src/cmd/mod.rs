//! The commands, one module per group (vault, evidence, records, scan, ccf, bundle), and what they share: opening the
//! vault, checking an output file. Every command returns `CliResult`: an error is one line of text that `main`
//! prints on stderr before exiting with status 1.

pub mod bundle;
pub mod ccf;
pub mod evidence;
pub mod records;
pub mod scan;
pub mod vault;

use std::path::{Path, PathBuf};

use redress_core::{Error, SystemClock, Vault};

use crate::args::Global;
use crate::passphrase::passphrase;

pub type CliResult<T = ()> = Result<T, String>;

/// The backend's error as the one line the CLI prints.
pub fn err(e: Error) -> String {
    e.to_string()
}

/// `--vault DIR`, or the vault in the user's data directory (the app's default too).
pub fn vault_dir(global: &Global) -> CliResult<PathBuf> {
    if let Some(dir) = &global.vault {
        return Ok(dir.clone());
    }
    redress_core::vault::default_dir()
        .ok_or_else(|| "no home directory to keep the vault in; give --vault DIR".to_owned())
}

/// Opens the vault with the passphrase from `--passphrase-file` or the terminal.
pub fn open(global: &Global) -> CliResult<Vault> {
    let dir = vault_dir(global)?;
    let pass = passphrase(global)?;
    let mut vault = Vault::open(&dir, &pass, Box::new(SystemClock)).map_err(err)?;
    // As the app does at every unlock: countries and languages typed before they were codes become codes. A
    // failure (a full disk) does not stop the command: the values stay as typed and the next open tries again.
    if let Err(e) = vault.journal_mut().store_places_as_codes() {
        eprintln!("note: countries and languages typed before were not converted to codes this time: {e}");
    }
    Ok(vault)
}

/// Refuses an output file in the vault folder or through a symlink, and an existing one unless `--replace`
/// was given (the writers then replace it only once the new file is complete).
pub fn output_target(global: &Global, out: &Path, replace: bool) -> CliResult {
    redress_core::files::check_target(out, Some(&vault_dir(global)?)).map_err(err)?;
    if !replace && out.exists() {
        return Err(format!(
            "'{}' already exists; choose a new file name, or give --replace to replace it",
            out.display()
        ));
    }
    Ok(())
}
