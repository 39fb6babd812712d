//! Tauri commands for evidence: list, detail, import (picked or dropped, with progress), edit, export.

use std::path::PathBuf;

use redress_core::chronology::Event;
use redress_core::evidence::{check_source, EvidenceItem, EvidenceMeta, Progress};
use redress_core::journal::AuditEntry;
use redress_core::records::translations::TranslationInput;
use redress_core::{Code, Error, Kind};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use super::dialogs::{choose_save_path, pick_files};
use super::progress::throttled;
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct EvidenceDetail {
    pub item: EvidenceItem,
    pub events: Vec<Event>,
    pub history: Vec<AuditEntry>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportProgress {
    pub index: u32,
    pub count: u32,
    pub name: String,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// What became of one file of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportStatus {
    Imported,
    Duplicate,
    Failed,
    Cancelled,
}

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportResult {
    pub name: String,
    pub status: ImportStatus,
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub sha256: Option<String>,
    pub message: Option<String>,
    pub code: Option<String>,
}

impl ImportResult {
    fn cancelled(name: String) -> ImportResult {
        ImportResult {
            name,
            status: ImportStatus::Cancelled,
            id: None,
            sha256: None,
            message: None,
            code: Some("cancelled".into()),
        }
    }
}

#[tauri::command(async)]
pub fn list_evidence(state: State<'_, AppState>, include_trashed: bool) -> CmdResult<Vec<EvidenceItem>> {
    state.with_vault(|vault| Ok(vault.journal().list_evidence(include_trashed)?))
}

#[tauri::command(async)]
pub fn evidence_detail(state: State<'_, AppState>, id: i64) -> CmdResult<EvidenceDetail> {
    state.with_vault(|vault| {
        let j = vault.journal();
        Ok(EvidenceDetail {
            item: j.evidence(id)?,
            events: j.events_for_evidence(id)?,
            history: j.history(Kind::Evidence, id)?,
        })
    })
}

fn import_paths(
    state: &AppState,
    paths: Vec<PathBuf>,
    channel: &Channel<ImportProgress>,
) -> CmdResult<Vec<ImportResult>> {
    state.reset_cancel();
    let count = paths.len() as u32;
    let mut send = throttled(state, channel);
    let mut results = Vec::with_capacity(paths.len());
    for (index, path) in paths.into_iter().enumerate() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if state.cancelled() {
            results.push(ImportResult::cancelled(name));
            continue;
        }
        let outcome = check_source(&path).and_then(|source| {
            let total = source.size();
            send(ImportProgress { index: index as u32, count, name: name.clone(), done: 0, total }, true);
            let mut report = |p: Progress| {
                send(
                    ImportProgress {
                        index: index as u32,
                        count,
                        name: name.clone(),
                        done: p.done,
                        total: p.total,
                    },
                    p.done >= p.total,
                );
                !state.cancelled()
            };
            let mut guard = state.session();
            match guard.as_mut() {
                Some(session) => {
                    session.vault.journal_mut().import(&source, &EvidenceMeta::default(), &mut report)
                }
                None => Err(Error::Cancelled),
            }
        });
        results.push(match outcome {
            Ok(item) => ImportResult {
                name,
                status: ImportStatus::Imported,
                id: Some(item.id),
                sha256: Some(item.sha256),
                message: None,
                code: None,
            },
            Err(e @ Error::Duplicate { existing_id, .. }) => ImportResult {
                name,
                status: ImportStatus::Duplicate,
                id: Some(existing_id),
                sha256: None,
                message: Some(e.to_string()),
                code: Some(e.code().into()),
            },
            Err(Error::Cancelled) => ImportResult::cancelled(name),
            Err(e) => ImportResult {
                name,
                status: ImportStatus::Failed,
                id: None,
                sha256: None,
                message: Some(e.to_string()),
                code: Some(e.reason().into()),
            },
        });
    }
    Ok(results)
}

#[tauri::command(async)]
pub fn pick_and_import<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on_progress: Channel<ImportProgress>,
) -> CmdResult<Vec<ImportResult>> {
    if state.session().is_none() {
        return Err(CommandError::locked());
    }
    let paths = pick_files(&app);
    import_paths(&state, paths, &on_progress)
}

#[tauri::command(async)]
pub fn import_dropped(
    state: State<'_, AppState>,
    paths: Vec<String>,
    on_progress: Channel<ImportProgress>,
) -> CmdResult<Vec<ImportResult>> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    if let Some(p) = paths.iter().find(|p| !state.take_allowed(p)) {
        return Err(CommandError::with_code(
            Code::InvalidInput,
            format!(
                "'{}' was not dropped on the window; drop it or choose it with Import files",
                p.display()
            ),
        ));
    }
    import_paths(&state, paths, &on_progress)
}

/// Called for every drop on the window (and by the end-to-end hook): remembers the paths and tells the UI.
pub fn files_dropped<R: Runtime>(app: &AppHandle<R>, paths: Vec<PathBuf>) {
    let state = app.state::<AppState>();
    if state.session().is_none() {
        return;
    }
    state.allow(&paths);
    let shown: Vec<String> = paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let _ = app.emit("files-dropped", shown);
}

#[tauri::command(async)]
pub fn edit_evidence(state: State<'_, AppState>, id: i64, meta: EvidenceMeta) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().edit_evidence(id, &meta)?))
}

/// Marks item `translation` as the translation of `input.original` (replacing an earlier link of it).
#[tauri::command(async)]
pub fn link_translation(
    state: State<'_, AppState>,
    translation: i64,
    input: TranslationInput,
) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().link_translation(translation, &input)?))
}

/// Removes item `translation`'s link to its original; the item stays.
#[tauri::command(async)]
pub fn unlink_translation(state: State<'_, AppState>, translation: i64) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().unlink_translation(translation)?))
}

#[tauri::command(async)]
pub fn export_evidence<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<Option<String>> {
    let name = state.with_vault(|vault| Ok(vault.journal().evidence(id)?.state.original_name))?;
    let Some(path) = choose_save_path(&app, &state, &name)? else {
        return Ok(None);
    };
    state.with_vault(|vault| {
        vault.journal_mut().export_evidence(id, &path, &mut |_| true)?;
        Ok(Some(path.to_string_lossy().into_owned()))
    })
}
