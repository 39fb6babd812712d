//! Tauri commands for scans: OCR of an evidence item in the sandboxed worker, with progress and cancel, and the
//! recognised text, page by page. The run holds the session only to read the item and to save the text: locking
//! while pages are read cancels the run (its bytes are zeroed) and nothing is stored.

use redress_core::scan::{OcrLanguage, Outcome, RecognisedText, Run, ScanProgress};
use tauri::ipc::Channel;
use tauri::State;

use super::progress::throttled;
use crate::error::CmdResult;
use crate::state::AppState;

/// The OCR languages, each with whether this computer has its data.
#[tauri::command(async)]
pub fn ocr_languages() -> Vec<OcrLanguage> {
    redress_core::scan::ocr_languages()
}

/// Reads evidence item `id` with OCR (`languages` like `rus+eng`, or null for the item's own) and stores the text
/// as a new version; cancellable with `cancel_task`, and by locking.
#[tauri::command(async)]
pub fn recognise_evidence(
    state: State<'_, AppState>,
    id: i64,
    languages: Option<String>,
    force: bool,
    on_progress: Channel<ScanProgress>,
) -> CmdResult<Outcome> {
    let worker = redress_core::pdf::isolate::Worker::beside_current_exe()?;
    let run = state.with_vault(|vault| Ok(Run::start(vault.journal(), id, languages.as_deref())?))?;
    state.reset_cancel();
    let mut send = throttled(&state, &on_progress);
    let pages = run.read(&worker, force, &mut |done, total| {
        send(ScanProgress { done, total }, done >= total);
        !state.cancelled() && state.session().is_some()
    })?;
    state.with_vault(|vault| Ok(run.save(vault.journal_mut(), pages)?))
}

/// The recognised text of evidence item `id` (run `version`, or the newest); null when it has none.
#[tauri::command(async)]
pub fn evidence_text(
    state: State<'_, AppState>,
    id: i64,
    version: Option<u32>,
) -> CmdResult<Option<RecognisedText>> {
    state.with_vault(|vault| Ok(redress_core::scan::recognised_text(vault.journal(), id, version)?))
}
