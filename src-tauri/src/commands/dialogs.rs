//! The system's open and save dialogs. A file is read only when the person chose it here (or dropped it on the
//! window); a save target is checked before anything is written to it.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use redress_core::Code;

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// The files the person picked to import; empty if they cancelled.
pub(super) fn pick_files<R: Runtime>(app: &AppHandle<R>) -> Vec<PathBuf> {
    let picked = app.dialog().file().set_title("Redress").blocking_pick_files();
    picked.unwrap_or_default().into_iter().filter_map(|p| p.into_path().ok()).collect()
}

/// The backup file the person picked to restore; `None` if they cancelled.
pub(super) fn pick_backup<R: Runtime>(app: &AppHandle<R>) -> CmdResult<Option<PathBuf>> {
    let Some(picked) =
        app.dialog().file().add_filter("Redress backup", &["redress-backup"]).blocking_pick_file()
    else {
        return Ok(None);
    };
    picked.into_path().map(Some).map_err(|e| CommandError::with_code(Code::InvalidInput, e.to_string()))
}

/// Asks where to save with the system dialog; `None` if cancelled. The dialog asks before a file is replaced,
/// and that is the consent: the file stays untouched until the backend's writer has the new one complete, then
/// replaces it in one rename. A file in the vault folder or a symlink is refused here already.
pub(super) fn choose_save_path<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    name: &str,
) -> CmdResult<Option<PathBuf>> {
    #[cfg(feature = "e2e-hooks")]
    if let Some(path) = super::e2e::take_save_path() {
        return prepare_target(state, path).map(Some);
    }
    let Some(target) = app.dialog().file().set_file_name(name).blocking_save_file() else {
        return Ok(None);
    };
    let path = target.into_path().map_err(|e| CommandError::with_code(Code::InvalidInput, e.to_string()))?;
    prepare_target(state, path).map(Some)
}

/// The step after the save dialog: refuses a target inside the vault folder (the person's, and the open demo's)
/// or a symlink. It never removes or changes the file chosen.
pub(super) fn prepare_target(state: &AppState, path: PathBuf) -> CmdResult<PathBuf> {
    redress_core::files::check_target(&path, Some(&state.vault_dir))?;
    let open = state.session().as_ref().map(|s| s.vault.dir().to_owned());
    if let Some(dir) = open {
        redress_core::files::check_target(&path, Some(&dir))?;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

    use redress_core::{SystemClock, Vault};

    use super::*;
    use crate::commands::passphrase;
    use crate::commands::testing::{fast_vault, scratch, PASS};
    use crate::state::Session;

    #[test]
    fn issue_9_the_step_after_the_save_dialog_keeps_the_file_and_refuses_the_vault_and_links() {
        let root = scratch("target");
        let vault_dir = root.join("vault");
        let state = AppState::new(vault_dir.clone());
        state.open(Session { vault: fast_vault(&vault_dir), demo_dir: None });
        let old = root.join("redress-2026-12-01.redress-backup");
        std::fs::write(&old, "OLD").unwrap();
        assert_eq!(prepare_target(&state, old.clone()).unwrap(), old);
        assert_eq!(std::fs::read(&old).unwrap(), b"OLD", "choosing a file must not remove or change it");
        let slots = std::fs::read(vault_dir.join("keyslots.json")).unwrap();
        for name in ["journal.db", "keyslots.json", "anything.pdf"] {
            let err = prepare_target(&state, vault_dir.join(name)).unwrap_err();
            assert_eq!(err.reason, "target_in_vault", "{name}: {}", err.message);
        }
        std::os::unix::fs::symlink(&old, root.join("link")).unwrap();
        let err = prepare_target(&state, root.join("link")).unwrap_err();
        assert_eq!(err.reason, "target_is_link", "{}", err.message);
        state.lock();
        assert_eq!(std::fs::read(vault_dir.join("keyslots.json")).unwrap(), slots);
        Vault::open(&vault_dir, &passphrase(PASS.into()), Box::new(SystemClock)).unwrap();
        std::fs::remove_dir_all(root).unwrap();
    }
}
