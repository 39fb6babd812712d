//! Tauri commands: each takes the state and arguments, calls one `redress-core` function, converts the error.
//! Long work (imports, backup, restore, verify) runs off the UI thread and reports through a channel.
//! Files are read only when the person chose them in a dialog the backend opened, or dropped them on the window.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use redress_core::bundle::{BundleProgress, BundleReport, BundleSpec, Disclosure, PlannedExhibit};
use redress_core::chronology::{Event, EventInput};
use redress_core::contacts::{Contact, ContactInput};
use redress_core::deadlines::{Deadline, DeadlineInput};
use redress_core::evidence::{check_source, EvidenceItem, EvidenceMeta, Progress};
use redress_core::journal::{AuditEntry, VerifyReport};
use redress_core::profile::{ProfileInput, ProfileState};
use redress_core::search::Hit;
use redress_core::secret::RecoveryKey;
use redress_core::{backup, Error, Kind, SystemClock, Vault};
use secrecy::SecretString;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{CmdResult, CommandError};
use crate::state::{AppState, Session};

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AppStatus {
    pub vault_exists: bool,
    pub unlocked: bool,
    pub demo: bool,
    pub version: String,
}

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct UnlockResult {
    /// Deadlines within their reminder lead time, or overdue.
    pub attention: Vec<Deadline>,
}

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Overview {
    pub profile: Option<ProfileState>,
    pub evidence: u32,
    pub events: u32,
    pub contacts: u32,
    pub deadlines: u32,
    pub upcoming: Vec<Deadline>,
    pub recent: Vec<AuditEntry>,
}

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

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportResult {
    pub name: String,
    /// `imported`, `duplicate`, `failed` or `cancelled`.
    #[ts(type = "'imported' | 'duplicate' | 'failed' | 'cancelled'")]
    pub status: String,
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub sha256: Option<String>,
    pub message: Option<String>,
    pub code: Option<String>,
}

fn passphrase(text: String) -> SecretString {
    SecretString::from(text)
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn attention(vault: &Vault) -> CmdResult<UnlockResult> {
    Ok(UnlockResult { attention: vault.journal().deadlines_needing_attention(today())? })
}

fn kind(name: &str) -> CmdResult<Kind> {
    match name {
        "evidence" => Ok(Kind::Evidence),
        "event" => Ok(Kind::Event),
        "contact" => Ok(Kind::Contact),
        "deadline" => Ok(Kind::Deadline),
        "request" => Ok(Kind::Request),
        other => Err(CommandError::new("invalid_input", format!("'{other}' is not a kind of record"))),
    }
}

/// Sends progress at most every 100 ms (and always the last step), so a 4 GB import does not flood the window.
fn throttled<T: Clone + Serialize>(channel: &Channel<T>) -> impl FnMut(T, bool) + '_ {
    let mut last = Instant::now() - Duration::from_secs(1);
    move |value: T, last_step: bool| {
        if last_step || last.elapsed() >= Duration::from_millis(100) {
            last = Instant::now();
            let _ = channel.send(value);
        }
    }
}

/// `make bench` measures start-up until the UI first asks for the status (the first screen is then drawn).
static READY: std::sync::Once = std::sync::Once::new();

#[tauri::command(async)]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    if std::env::var_os("REDRESS_BENCH_READY").is_some() {
        READY.call_once(|| println!("redress-ready"));
    }
    let unlocked = state.session().is_some();
    AppStatus {
        vault_exists: state.vault_dir.join(redress_core::vault::SLOTS_FILE).exists(),
        unlocked,
        demo: state.is_demo(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

#[tauri::command(async)]
pub fn create_vault(state: State<'_, AppState>, passphrase: String) -> CmdResult<String> {
    let pass = self::passphrase(passphrase);
    let (vault, recovery) =
        Vault::create(&state.vault_dir, &pass, Default::default(), Box::new(SystemClock))?;
    let code = recovery.display().to_string();
    state.open(Session { vault, demo_dir: None });
    Ok(code)
}

#[tauri::command(async)]
pub fn unlock(state: State<'_, AppState>, passphrase: String) -> CmdResult<UnlockResult> {
    let vault = Vault::open(&state.vault_dir, &self::passphrase(passphrase), Box::new(SystemClock))?;
    let result = attention(&vault)?;
    state.open(Session { vault, demo_dir: None });
    Ok(result)
}

#[tauri::command(async)]
pub fn unlock_with_recovery(
    state: State<'_, AppState>,
    recovery_key: String,
    new_passphrase: String,
) -> CmdResult<UnlockResult> {
    let key = RecoveryKey::parse(&recovery_key)?;
    let new = self::passphrase(new_passphrase);
    redress_core::vault::check_new_passphrase(&new)?;
    let mut vault = Vault::open_with_recovery(&state.vault_dir, &key, Box::new(SystemClock))?;
    vault.change_passphrase(&new)?;
    let result = attention(&vault)?;
    state.open(Session { vault, demo_dir: None });
    Ok(result)
}

#[tauri::command(async)]
pub fn open_demo(state: State<'_, AppState>) -> CmdResult<UnlockResult> {
    let (vault, dir) = redress_core::demo::open_temporary(today())?;
    let result = attention(&vault)?;
    state.open(Session { vault, demo_dir: Some(dir) });
    Ok(result)
}

#[tauri::command(async)]
pub fn lock(state: State<'_, AppState>) {
    state.lock();
}

#[tauri::command(async)]
pub fn change_passphrase(state: State<'_, AppState>, current: String, next: String) -> CmdResult<()> {
    change_passphrase_of(&state, self::passphrase(current), self::passphrase(next))
}

/// Proves the current passphrase against the open vault's own slots, then rewraps its key. Refused in the demo
/// case: its vault is not the person's, and its passphrase is not one they chose.
fn change_passphrase_of(state: &AppState, current: SecretString, next: SecretString) -> CmdResult<()> {
    if state.is_demo() {
        return Err(CommandError::new(
            "invalid_input",
            "the demo case has no passphrase of yours to change; open your own journal to change its passphrase",
        ));
    }
    redress_core::vault::check_new_passphrase(&next)?;
    state.with_vault(|vault| {
        vault.check_passphrase(&current)?;
        Ok(vault.change_passphrase(&next)?)
    })
}

/// "Change and re-encrypt": proves the current passphrase, then re-keys the vault with progress (cancellable with
/// `cancel_task`, and by locking). Returns the new recovery key, to show once.
#[tauri::command(async)]
pub fn rekey(
    state: State<'_, AppState>,
    current: String,
    next: String,
    on_progress: Channel<Progress>,
) -> CmdResult<String> {
    let current = self::passphrase(current);
    let next = self::passphrase(next);
    redress_core::vault::check_new_passphrase(&next)?;
    state.reset_cancel();
    let mut send = throttled(&on_progress);
    state.with_vault(|vault| {
        vault.check_passphrase(&current)?;
        let recovery = vault.rekey(&next, &mut |p: Progress| {
            send(p, p.done >= p.total);
            !state.cancelled()
        })?;
        Ok(recovery.display().to_string())
    })
}

#[tauri::command(async)]
pub fn overview(state: State<'_, AppState>, today: String) -> CmdResult<Overview> {
    let today = redress_core::dates::parse_day("today", &today)?;
    state.with_vault(|vault| {
        let j = vault.journal();
        let deadlines = j.list_deadlines(false)?;
        let mut upcoming: Vec<Deadline> = deadlines
            .iter()
            .filter(|d| !matches!(d.state.status, redress_core::deadlines::DeadlineStatus::Done { .. }))
            .cloned()
            .collect();
        upcoming.retain(|d| (d.state.current_due().day() - today).num_days() <= 60);
        Ok(Overview {
            profile: j.profile()?,
            evidence: j.list_evidence(false)?.len() as u32,
            events: j.list_events(false)?.len() as u32,
            contacts: j.list_contacts(false)?.len() as u32,
            deadlines: deadlines.len() as u32,
            upcoming,
            recent: j.recent_changes(12)?,
        })
    })
}

#[tauri::command(async)]
pub fn verify(state: State<'_, AppState>) -> CmdResult<VerifyReport> {
    state.with_vault(|vault| Ok(vault.journal().verify()?))
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
    let mut send = throttled(channel);
    let mut results = Vec::with_capacity(paths.len());
    for (index, path) in paths.into_iter().enumerate() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if state.cancelled() {
            results.push(ImportResult {
                name,
                status: "cancelled".into(),
                id: None,
                sha256: None,
                message: None,
                code: Some("cancelled".into()),
            });
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
                status: "imported".into(),
                id: Some(item.id),
                sha256: Some(item.sha256),
                message: None,
                code: None,
            },
            Err(e @ Error::Duplicate { existing_id, .. }) => ImportResult {
                name,
                status: "duplicate".into(),
                id: Some(existing_id),
                sha256: None,
                message: Some(e.to_string()),
                code: Some(e.code().into()),
            },
            Err(Error::Cancelled) => ImportResult {
                name,
                status: "cancelled".into(),
                id: None,
                sha256: None,
                message: None,
                code: Some("cancelled".into()),
            },
            Err(e) => ImportResult {
                name,
                status: "failed".into(),
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
    let picked = app.dialog().file().set_title("Redress").blocking_pick_files();
    let paths: Vec<PathBuf> =
        picked.unwrap_or_default().into_iter().filter_map(|p| p.into_path().ok()).collect();
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
        return Err(CommandError::new(
            "invalid_input",
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

/// The end-to-end tests cannot click in the system's save dialog: they name the file the next one answers.
#[cfg(feature = "e2e-hooks")]
static E2E_SAVE_PATH: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

#[cfg(feature = "e2e-hooks")]
#[tauri::command(async)]
pub fn e2e_save_as(path: String) {
    if let Ok(mut p) = E2E_SAVE_PATH.lock() {
        *p = Some(PathBuf::from(path));
    }
}

#[cfg(feature = "e2e-hooks")]
#[tauri::command(async)]
pub fn e2e_drop<R: Runtime>(app: AppHandle<R>, paths: Vec<String>) {
    files_dropped(&app, paths.into_iter().map(PathBuf::from).collect());
}

/// Asks where to save with the system dialog; `None` if cancelled. The dialog asks before a file is replaced,
/// and that is the consent: the file stays untouched until the backend's writer has the new one complete, then
/// replaces it in one rename. A file in the vault folder or a symlink is refused here already.
fn choose_save_path<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    name: &str,
) -> CmdResult<Option<PathBuf>> {
    #[cfg(feature = "e2e-hooks")]
    if let Some(path) = E2E_SAVE_PATH.lock().ok().and_then(|mut p| p.take()) {
        return prepare_target(state, path).map(Some);
    }
    let Some(target) = app.dialog().file().set_file_name(name).blocking_save_file() else {
        return Ok(None);
    };
    let path = target.into_path().map_err(|e| CommandError::new("invalid_input", e.to_string()))?;
    prepare_target(state, path).map(Some)
}

/// The step after the save dialog: refuses a target inside the vault folder (the person's, and the open demo's)
/// or a symlink. It never removes or changes the file chosen.
fn prepare_target(state: &AppState, path: PathBuf) -> CmdResult<PathBuf> {
    redress_core::files::check_target(&path, Some(&state.vault_dir))?;
    let open = state.session().as_ref().map(|s| s.vault.dir().to_owned());
    if let Some(dir) = open {
        redress_core::files::check_target(&path, Some(&dir))?;
    }
    Ok(path)
}

#[tauri::command(async)]
pub fn cancel_task(state: State<'_, AppState>) {
    state.cancel();
}

#[tauri::command(async)]
pub fn edit_evidence(state: State<'_, AppState>, id: i64, meta: EvidenceMeta) -> CmdResult<()> {
    state.with_vault(|vault| Ok(vault.journal_mut().edit_evidence(id, &meta)?))
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

#[tauri::command(async)]
pub fn trash(state: State<'_, AppState>, kind: String, id: i64) -> CmdResult<()> {
    let kind = self::kind(&kind)?;
    state.with_vault(|vault| Ok(vault.journal_mut().trash(kind, id)?))
}

#[tauri::command(async)]
pub fn untrash(state: State<'_, AppState>, kind: String, id: i64) -> CmdResult<()> {
    let kind = self::kind(&kind)?;
    state.with_vault(|vault| Ok(vault.journal_mut().restore(kind, id)?))
}

#[tauri::command(async)]
pub fn purge(state: State<'_, AppState>, kind: String, id: i64) -> CmdResult<()> {
    let kind = self::kind(&kind)?;
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
pub fn list_deadlines(state: State<'_, AppState>, include_trashed: bool) -> CmdResult<Vec<Deadline>> {
    state.with_vault(|vault| Ok(vault.journal().list_deadlines(include_trashed)?))
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

#[tauri::command(async)]
pub fn backup_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on_progress: Channel<Progress>,
) -> CmdResult<Option<String>> {
    if state.session().is_none() {
        return Err(CommandError::locked());
    }
    let name = format!("redress-{}.redress-backup", today().format("%Y-%m-%d"));
    let Some(path) = choose_save_path(&app, &state, &name)? else {
        return Ok(None);
    };
    state.reset_cancel();
    let mut send = throttled(&on_progress);
    state.with_vault(|vault| {
        vault.backup(&path, &mut |p: Progress| {
            send(p, p.done >= p.total);
            !state.cancelled()
        })?;
        Ok(Some(path.to_string_lossy().into_owned()))
    })
}

#[tauri::command(async)]
pub fn restore_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passphrase: String,
    on_progress: Channel<Progress>,
) -> CmdResult<Option<UnlockResult>> {
    let Some(picked) =
        app.dialog().file().add_filter("Redress backup", &["redress-backup"]).blocking_pick_file()
    else {
        return Ok(None);
    };
    let file = picked.into_path().map_err(|e| CommandError::new("invalid_input", e.to_string()))?;
    state.reset_cancel();
    let mut send = throttled(&on_progress);
    let (vault, _report) = backup::restore(
        &file,
        &state.vault_dir,
        &self::passphrase(passphrase),
        Box::new(SystemClock),
        &mut |p: Progress| {
            send(p, p.done >= p.total);
            !state.cancelled()
        },
    )?;
    let result = attention(&vault)?;
    state.open(Session { vault, demo_dir: None });
    Ok(Some(result))
}

// ----- CCF requests -----

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ComputedDeadline {
    #[ts(type = "number")]
    pub request: i64,
    pub request_title: String,
    pub computed: redress_core::rules::Computed,
    /// The end of the due day in Lyon, in Europe/Paris and in the person's zone (`zone`).
    pub ends_in_lyon: String,
    pub ends_here: String,
}

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
    let worker = redress_core::pdf::isolate::Worker::current_exe()?;
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

#[tauri::command(async)]
pub fn computed_deadlines(state: State<'_, AppState>, zone: String) -> CmdResult<Vec<ComputedDeadline>> {
    state.with_vault(|vault| {
        let mut out = Vec::new();
        for r in vault.journal().list_requests(false)? {
            for c in redress_core::ccf::request_deadlines(&r.state)? {
                out.push(ComputedDeadline {
                    request: r.id,
                    request_title: r.state.title.clone(),
                    ends_in_lyon: redress_core::rules::end_of_paris_day_in(c.due, "Europe/Paris")?,
                    ends_here: redress_core::rules::end_of_paris_day_in(c.due, &zone)
                        .or_else(|_| redress_core::rules::end_of_paris_day_in(c.due, "UTC"))?,
                    computed: c,
                });
            }
        }
        out.sort_by_key(|d| d.computed.due);
        Ok(out)
    })
}

/// Writes the draft PDF where the person chooses (save dialog); returns the path, or null if cancelled.
#[tauri::command(async)]
pub fn export_draft<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    language: String,
) -> CmdResult<Option<String>> {
    let worker = redress_core::pdf::isolate::Worker::current_exe()?;
    let pages = redress_core::ccf::draft::count_annex_pages(&*state, &worker, id)?;
    let rendered = state.with_vault(|vault| {
        Ok(redress_core::ccf::draft::render(vault.journal(), id, Some(&language), &pages)?)
    })?;
    let name = format!("ccf-request-{id}-{language}-draft.pdf");
    let Some(path) = choose_save_path(&app, &state, &name)? else {
        return Ok(None);
    };
    redress_core::files::write(&path, Some(&state.vault_dir), &rendered.bytes)?;
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

// --- The counsel bundle ---------------------------------------------------------------------------

/// What a bundle of `spec` will hold: exhibit numbers, how each appears, the metadata export removes.
#[tauri::command(async)]
pub fn bundle_plan(state: State<'_, AppState>, spec: BundleSpec) -> CmdResult<Vec<PlannedExhibit>> {
    let worker = redress_core::pdf::isolate::Worker::current_exe()?;
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
    password: Option<String>,
    on_progress: Channel<BundleProgress>,
) -> CmdResult<Option<BundleReport>> {
    let password = password.filter(|p| !p.is_empty()).map(SecretString::from);
    let worker = redress_core::pdf::isolate::Worker::current_exe()?;
    let Some(path) = choose_save_path(&app, &state, "evidence-bundle.pdf")? else {
        return Ok(None);
    };
    state.reset_cancel();
    let mut send = throttled(&on_progress);
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

    use std::path::Path;

    use redress_core::vault::KdfParams;
    use redress_core::CreateOptions;

    use super::*;

    const PASS: &str = "correct horse battery staple";

    /// A fresh folder for one test (the app crate has no tempfile), removed by the test when it passes.
    fn scratch(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redress-commands-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn fast_vault(dir: &Path) -> Vault {
        let fast = CreateOptions { passphrase_kdf: KdfParams::THROWAWAY, recovery_kdf: KdfParams::THROWAWAY };
        Vault::create(dir, &passphrase(PASS.into()), fast, Box::new(SystemClock)).unwrap().0
    }

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

    #[test]
    fn issue_9_a_demo_session_refuses_a_passphrase_change_and_a_real_one_checks_its_own_vault() {
        let root = scratch("passphrase");
        let real = root.join("vault");
        drop(fast_vault(&real));
        let demo = root.join("demo");
        let state = AppState::new(real.clone());
        state.open(Session { vault: fast_vault(&demo), demo_dir: Some(demo.clone()) });
        let real_slots = std::fs::read(real.join("keyslots.json")).unwrap();
        let demo_slots = std::fs::read(demo.join("keyslots.json")).unwrap();
        // The real vault's passphrase is right here: before the fix it was checked, then the demo's slot rewritten.
        let err = change_passphrase_of(
            &state,
            passphrase(PASS.into()),
            passphrase("a brand new passphrase".into()),
        )
        .unwrap_err();
        assert!(err.message.contains("demo case"), "{}", err.message);
        assert_eq!(std::fs::read(real.join("keyslots.json")).unwrap(), real_slots);
        assert_eq!(std::fs::read(demo.join("keyslots.json")).unwrap(), demo_slots);
        state.lock();
        assert!(!demo.exists(), "the demo folder goes with its session");

        let vault = Vault::open(&real, &passphrase(PASS.into()), Box::new(SystemClock)).unwrap();
        state.open(Session { vault, demo_dir: None });
        let err =
            change_passphrase_of(&state, passphrase("not the passphrase".into()), passphrase("x".repeat(20)))
                .unwrap_err();
        assert_eq!(err.code, "wrong_passphrase", "{}", err.message);
        assert_eq!(
            std::fs::read(real.join("keyslots.json")).unwrap(),
            real_slots,
            "a wrong one changes nothing"
        );
        state.lock();
        std::fs::remove_dir_all(root).unwrap();
    }
}
