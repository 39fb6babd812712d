//! Tauri commands for CCF requests: the requests, their checklist and draft, the deadlines computed from their
//! dates, and the deadline rules calculator.

use redress_core::ccf::ComputedDeadline;
use tauri::{AppHandle, Runtime, State};

use super::dialogs::choose_save_path;
use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn list_requests(
    state: State<'_, AppState>,
    include_trashed: bool,
) -> CmdResult<Vec<redress_core::ccf::Request>> {
    state.with_vault(|vault| Ok(vault.journal().list_requests(include_trashed)?))
}

#[tauri::command(async)]
pub fn add_request(state: State<'_, AppState>, input: redress_core::ccf::RequestInput) -> CmdResult<i64> {
    state.with_vault(|vault| Ok(vault.journal_mut().add_request(&input)?))
}

#[tauri::command(async)]
pub fn edit_request(
    state: State<'_, AppState>,
    id: i64,
    input: redress_core::ccf::RequestInput,
) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().edit_request(id, &input)?))
}

#[tauri::command(async)]
pub fn request_checklist(state: State<'_, AppState>, id: i64) -> CmdResult<redress_core::ccf::Checklist> {
    state.with_vault(|vault| Ok(redress_core::ccf::draft::checklist(vault.journal(), id)?))
}

#[tauri::command(async)]
pub fn draft_sections(
    state: State<'_, AppState>,
    id: i64,
    language: String,
) -> CmdResult<Vec<redress_core::ccf::draft::Section>> {
    let worker = redress_core::pdf::isolate::Worker::beside_current_exe()?;
    let pages = redress_core::ccf::draft::count_annex_pages(&*state, &worker, id)?;
    state.with_vault(|vault| {
        Ok(redress_core::ccf::draft::assemble(vault.journal(), id, Some(&language), &pages)?.sections)
    })
}

/// The grounds library in a draft language, its templates in the applicant's grammatical form (neutral if none).
#[tauri::command(async)]
pub fn grounds_library(
    language: String,
    form: Option<redress_core::ccf::ApplicantForm>,
) -> CmdResult<redress_core::grounds::Library> {
    Ok(redress_core::grounds::library_in(&language, form.unwrap_or_default())?)
}

/// Each ground's title and summary in a language of the interface, read beside a draft in another language.
#[tauri::command(async)]
pub fn ground_summaries(language: String) -> CmdResult<Vec<redress_core::rules::summaries::GroundSummary>> {
    Ok(redress_core::rules::summaries::summaries(&language)?)
}

#[tauri::command(async)]
pub fn computed_deadlines(state: State<'_, AppState>, zone: String) -> CmdResult<Vec<ComputedDeadline>> {
    state.with_vault(|vault| Ok(vault.journal().computed_deadlines(&zone)?))
}

/// Writes the draft PDF where the person chooses (save dialog); returns the path, or null if cancelled.
#[tauri::command(async)]
pub fn export_draft<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    language: String,
) -> CmdResult<Option<String>> {
    let worker = redress_core::pdf::isolate::Worker::beside_current_exe()?;
    let pages = redress_core::ccf::draft::count_annex_pages(&*state, &worker, id)?;
    let rendered = state.with_vault(|vault| {
        Ok(redress_core::ccf::draft::render(vault.journal(), id, Some(&language), &pages)?)
    })?;
    let name = format!("ccf-request-{id}-{language}-draft.pdf");
    let Some(path) = choose_save_path(&app, &state, &name)? else {
        return Ok(None);
    };
    state.with_vault(|vault| Ok(redress_core::ccf::draft::save(vault, &rendered, &path)?))?;
    Ok(Some(path.to_string_lossy().into_owned()))
}

/// Adds a deadline computed from a request's dates to the person's deadlines (then remindable and extendable).
#[tauri::command(async)]
pub fn adopt_computed_deadline(state: State<'_, AppState>, request: i64, key: String) -> CmdResult<i64> {
    state.with_vault(|vault| Ok(vault.journal_mut().adopt_computed_deadline(request, &key)?))
}

/// The deadline rules of the reference's §5, for the "When is it due?" calculator (no vault needed).
#[tauri::command(async)]
pub fn rule_list() -> CmdResult<Vec<redress_core::rules::Rule>> {
    Ok(redress_core::rules::list())
}

/// Every date that follows from the event of rule `rule` on `date` (YYYY-MM-DD), with the end of each last day in
/// its clock (`zone` for the ECE and US rules) and in the person's zone `here`.
#[tauri::command(async)]
pub fn rule_compute(
    rule: String,
    date: String,
    zone: Option<String>,
    here: String,
) -> CmdResult<Vec<redress_core::rules::Calculated>> {
    let id: redress_core::rules::RuleId = rule.parse()?;
    Ok(redress_core::rules::calculate(id, &date, zone.as_deref(), &here)?)
}
