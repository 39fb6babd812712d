//! Tauri commands for the counsel bundle: its plan, the selection a request suggests, the export, the disclosure
//! log.

use redress_core::bundle::{BundleProgress, BundleReport, BundleSpec, Disclosure, PlannedExhibit};
use secrecy::{ExposeSecret, SecretString};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use super::dialogs::choose_save_path;
use super::progress::throttled;
use crate::error::CmdResult;
use crate::state::AppState;

/// What a bundle of `spec` will hold: exhibit numbers, how each appears, the metadata export removes.
#[tauri::command(async)]
pub fn bundle_plan(state: State<'_, AppState>, spec: BundleSpec) -> CmdResult<Vec<PlannedExhibit>> {
    let worker = redress_core::pdf::isolate::Worker::beside_current_exe()?;
    state.with_vault(|vault| Ok(vault.journal().bundle_plan(&spec, &worker)?))
}

/// The selection a saved CCF request suggests: its annexes in order, its representative, its facts.
#[tauri::command(async)]
pub fn request_bundle_spec(state: State<'_, AppState>, id: i64) -> CmdResult<BundleSpec> {
    state.with_vault(|vault| Ok(BundleSpec::for_request(vault.journal(), id)?))
}

/// Asks where to save, then builds the bundle with progress (cancellable with `cancel_task`); null if the
/// person cancelled the dialog. The passphrase, if any, encrypts the file and is dropped afterwards.
#[tauri::command(async)]
pub fn export_bundle<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    spec: BundleSpec,
    password: Option<SecretString>,
    on_progress: Channel<BundleProgress>,
) -> CmdResult<Option<BundleReport>> {
    let password = password.filter(|p| !p.expose_secret().is_empty());
    let worker = redress_core::pdf::isolate::Worker::beside_current_exe()?;
    let Some(path) = choose_save_path(&app, &state, "evidence-bundle.pdf")? else {
        return Ok(None);
    };
    state.reset_cancel();
    let mut send = throttled(&state, &on_progress);
    state.with_vault(|vault| {
        let report =
            redress_core::bundle::export(vault, &spec, password.as_ref(), &path, &worker, &mut |p| {
                let last = p.done >= p.total;
                send(p, last);
                !state.cancelled()
            })?;
        Ok(Some(report))
    })
}

/// The disclosure log, newest first; only the bundles prepared for `contact` if given.
#[tauri::command(async)]
pub fn disclosures(state: State<'_, AppState>, contact: Option<i64>) -> CmdResult<Vec<Disclosure>> {
    state.with_vault(|vault| Ok(vault.journal().disclosures(contact)?))
}
