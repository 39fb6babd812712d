//! Tauri commands for the journal's records: the overview, trash/restore/purge, search, events, contacts,
//! deadlines and the profile.

use redress_core::chronology::{Event, EventInput};
use redress_core::contacts::{Contact, ContactInput};
use redress_core::deadlines::{Deadline, DeadlineInput};
use redress_core::profile::{ProfileInput, ProfileState};
use redress_core::records::overview::Overview;
use redress_core::search::Hit;
use redress_core::Kind;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn overview(state: State<'_, AppState>, today: String) -> CmdResult<Overview> {
    let today = redress_core::dates::parse_day("today", &today)?;
    state.with_vault(|vault| Ok(vault.journal().overview(today)?))
}

#[tauri::command(async)]
pub fn trash(state: State<'_, AppState>, kind: String, id: i64) -> CmdResult<()> {
    let kind: Kind = kind.parse()?;
    state.with_vault(|vault| Ok(vault.journal_mut().trash(kind, id)?))
}

#[tauri::command(async)]
pub fn untrash(state: State<'_, AppState>, kind: String, id: i64) -> CmdResult<()> {
    let kind: Kind = kind.parse()?;
    state.with_vault(|vault| Ok(vault.journal_mut().restore(kind, id)?))
}

#[tauri::command(async)]
pub fn purge(state: State<'_, AppState>, kind: String, id: i64) -> CmdResult<()> {
    let kind: Kind = kind.parse()?;
    state.with_vault(|vault| Ok(vault.journal_mut().purge(kind, id)?))
}

#[tauri::command(async)]
pub fn search(state: State<'_, AppState>, query: String) -> CmdResult<Vec<Hit>> {
    state.with_vault(|vault| Ok(vault.journal().search(&query, 50)?))
}

#[tauri::command(async)]
pub fn list_events(state: State<'_, AppState>, include_trashed: bool) -> CmdResult<Vec<Event>> {
    state.with_vault(|vault| Ok(vault.journal().list_events(include_trashed)?))
}

#[tauri::command(async)]
pub fn add_event(state: State<'_, AppState>, input: EventInput) -> CmdResult<i64> {
    state.with_vault(|vault| Ok(vault.journal_mut().add_event(&input)?))
}

#[tauri::command(async)]
pub fn edit_event(state: State<'_, AppState>, id: i64, input: EventInput) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().edit_event(id, &input)?))
}

#[tauri::command(async)]
pub fn list_contacts(state: State<'_, AppState>, include_trashed: bool) -> CmdResult<Vec<Contact>> {
    state.with_vault(|vault| Ok(vault.journal().list_contacts(include_trashed)?))
}

#[tauri::command(async)]
pub fn add_contact(state: State<'_, AppState>, input: ContactInput) -> CmdResult<i64> {
    state.with_vault(|vault| Ok(vault.journal_mut().add_contact(&input)?))
}

#[tauri::command(async)]
pub fn edit_contact(state: State<'_, AppState>, id: i64, input: ContactInput) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().edit_contact(id, &input)?))
}

#[tauri::command(async)]
pub fn list_deadlines(
    state: State<'_, AppState>,
    include_trashed: bool,
    today: String,
) -> CmdResult<Vec<Deadline>> {
    let today = redress_core::dates::parse_day("today", &today)?;
    state.with_vault(|vault| Ok(vault.journal().list_deadlines_on(include_trashed, today)?))
}

#[tauri::command(async)]
pub fn add_deadline(state: State<'_, AppState>, input: DeadlineInput) -> CmdResult<i64> {
    state.with_vault(|vault| Ok(vault.journal_mut().add_deadline(&input)?))
}

#[tauri::command(async)]
pub fn edit_deadline(state: State<'_, AppState>, id: i64, input: DeadlineInput) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().edit_deadline(id, &input)?))
}

#[tauri::command(async)]
pub fn mark_deadline_done(state: State<'_, AppState>, id: i64, on: String) -> CmdResult<()> {
    let on = redress_core::dates::parse_day("done on", &on)?;
    state.with_vault(|vault| Ok(vault.journal_mut().mark_deadline_done(id, on)?))
}

#[tauri::command(async)]
pub fn extend_deadline(state: State<'_, AppState>, id: i64, to: String) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().extend_deadline(id, &to)?))
}

#[tauri::command(async)]
pub fn reopen_deadline(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().reopen_deadline(id)?))
}

#[tauri::command(async)]
pub fn get_profile(state: State<'_, AppState>) -> CmdResult<Option<ProfileState>> {
    state.with_vault(|vault| Ok(vault.journal().profile()?))
}

#[tauri::command(async)]
pub fn set_profile(state: State<'_, AppState>, input: ProfileInput) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().set_profile(&input)?))
}

/// Every country and language named in the interface's language, for the pickers (CLDR names; no vault needed).
#[tauri::command(async)]
pub fn places(language: String) -> CmdResult<redress_core::places::Places> {
    Ok(redress_core::places::named_in(&language))
}
