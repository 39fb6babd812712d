//! Hooks for the end-to-end tests, built only with the `e2e-hooks` feature (never in a release): they cannot
//! click in the system's dialogs or drag files onto the window, so they name the next save target and "drop" paths.

use std::path::PathBuf;
use std::sync::Mutex;

use tauri::{AppHandle, Runtime};

/// The file the next save dialog answers, set by `e2e_save_as`.
static E2E_SAVE_PATH: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Takes the path `e2e_save_as` named, if any (each is used once).
pub(super) fn take_save_path() -> Option<PathBuf> {
    E2E_SAVE_PATH.lock().ok().and_then(|mut p| p.take())
}

#[tauri::command(async)]
pub fn e2e_save_as(path: String) {
    if let Ok(mut p) = E2E_SAVE_PATH.lock() {
        *p = Some(PathBuf::from(path));
    }
}

#[tauri::command(async)]
pub fn e2e_drop<R: Runtime>(app: AppHandle<R>, paths: Vec<String>) {
    super::evidence::files_dropped(&app, paths.into_iter().map(PathBuf::from).collect());
}
