//! Tauri commands for the vault itself: status, create, unlock (passphrase, recovery key, demo), lock, passphrase
//! change and re-key, verify, backup and restore.

use redress_core::deadlines::Deadline;
use redress_core::evidence::Progress;
use redress_core::journal::VerifyReport;
use redress_core::{backup, Code, SystemClock, Vault};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use super::dialogs::{choose_save_path, pick_backup};
#[cfg(test)]
use super::passphrase;
use super::progress::throttled;
use super::{opened, today, ShownOnce};
use crate::error::{CmdResult, CommandError};
use crate::state::{AppState, LockReason, Session};

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AppStatus {
    pub vault_exists: bool,
    pub unlocked: bool,
    pub demo: bool,
    pub version: String,
    /// Why the vault is locked, if it was open earlier in this run (the page was replaced at the lock and only
    /// the backend remembers).
    pub lock_reason: Option<LockReason>,
}

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct UnlockResult {
    /// Deadlines within their reminder lead time, or overdue.
    pub attention: Vec<Deadline>,
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
        vault_exists: redress_core::vault::exists(&state.vault_dir),
        unlocked,
        demo: state.is_demo(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        lock_reason: if unlocked { None } else { state.lock_reason() },
    }
}

#[tauri::command(async)]
pub fn create_vault(state: State<'_, AppState>, passphrase: SecretString) -> CmdResult<ShownOnce> {
    let (vault, recovery) =
        Vault::create(&state.vault_dir, &passphrase, Default::default(), Box::new(SystemClock))?;
    let code = ShownOnce::new(&recovery.display());
    state.open(Session { vault, demo_dir: None });
    Ok(code)
}

#[tauri::command(async)]
pub fn unlock(state: State<'_, AppState>, passphrase: SecretString) -> CmdResult<UnlockResult> {
    let mut vault = Vault::open(&state.vault_dir, &passphrase, Box::new(SystemClock))?;
    let result = opened(&mut vault)?;
    state.open(Session { vault, demo_dir: None });
    Ok(result)
}

#[tauri::command(async)]
pub fn unlock_with_recovery(
    state: State<'_, AppState>,
    recovery_key: SecretString,
    new_passphrase: SecretString,
) -> CmdResult<UnlockResult> {
    let mut vault = Vault::recover(
        &state.vault_dir,
        recovery_key.expose_secret(),
        &new_passphrase,
        Box::new(SystemClock),
    )?;
    let result = opened(&mut vault)?;
    state.open(Session { vault, demo_dir: None });
    Ok(result)
}

#[tauri::command(async)]
pub fn open_demo(state: State<'_, AppState>, language: String) -> CmdResult<UnlockResult> {
    let (mut vault, dir) = redress_core::demo::open_temporary(today(), &language)?;
    let result = opened(&mut vault)?;
    state.open(Session { vault, demo_dir: Some(dir) });
    Ok(result)
}

/// Lock now, or the UI's own idle timer: the vault closes, and the page that showed it is replaced by a fresh
/// one (see `page`), which says why from `app_status`.
#[tauri::command(async)]
pub fn lock(app: AppHandle, reason: LockReason) {
    crate::lock_and_forget_the_page(&app, reason);
}

/// The person used the window (the UI sends this on input, at most every few seconds): restarts the idle lock.
#[tauri::command(async)]
pub fn activity(state: State<'_, AppState>) {
    state.input(crate::idle::now());
}

/// Copy on the recovery key screen: the backend puts the key on the clipboard marked secret for clipboard
/// managers, and takes it back after 30 s and on lock.
#[tauri::command(async)]
pub fn copy_recovery_key(state: State<'_, AppState>, code: String) -> CmdResult<()> {
    state.copy_secret(zeroize::Zeroizing::new(code))
}

/// The idle time chosen in Settings (the UI keeps it; the backend counts it). Kept within 1 to 60 minutes.
#[tauri::command(async)]
pub fn set_auto_lock(state: State<'_, AppState>, minutes: u32) {
    state.set_idle_limit(std::time::Duration::from_secs(u64::from(minutes) * 60));
}

#[tauri::command(async)]
pub fn change_passphrase(
    state: State<'_, AppState>,
    current: SecretString,
    next: SecretString,
) -> CmdResult<()> {
    change_passphrase_of(&state, current, next)
}

/// Proves the current passphrase against the open vault's own slots, then rewraps its key. Refused in the demo
/// case: its vault is not the person's, and its passphrase is not one they chose.
fn change_passphrase_of(state: &AppState, current: SecretString, next: SecretString) -> CmdResult<()> {
    if state.is_demo() {
        return Err(CommandError::with_code(
            Code::InvalidInput,
            "the demo case has no passphrase of yours to change; open your own journal to change its passphrase",
        ));
    }
    state.with_vault(|vault| Ok(vault.change_passphrase_from(&current, &next)?))
}

/// "Change and re-encrypt": proves the current passphrase, then re-keys the vault with progress (cancellable with
/// `cancel_task`, and by locking). Returns the new recovery key, to show once.
#[tauri::command(async)]
pub fn rekey(
    state: State<'_, AppState>,
    current: SecretString,
    next: SecretString,
    on_progress: Channel<Progress>,
) -> CmdResult<ShownOnce> {
    redress_core::vault::check_new_passphrase(&next)?;
    state.reset_cancel();
    let mut send = throttled(&state, &on_progress);
    state.with_vault(|vault| {
        vault.check_passphrase(&current)?;
        let recovery = vault.rekey(&next, &mut |p: Progress| {
            send(p, p.done >= p.total);
            !state.cancelled()
        })?;
        Ok(ShownOnce::new(&recovery.display()))
    })
}

#[tauri::command(async)]
pub fn verify(state: State<'_, AppState>) -> CmdResult<VerifyReport> {
    state.with_vault(|vault| Ok(vault.journal().verify()?))
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
    let mut send = throttled(&state, &on_progress);
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
    passphrase: SecretString,
    on_progress: Channel<Progress>,
) -> CmdResult<Option<UnlockResult>> {
    let Some(file) = pick_backup(&app)? else {
        return Ok(None);
    };
    state.reset_cancel();
    let mut send = throttled(&state, &on_progress);
    let (mut vault, _report) =
        backup::restore(&file, &state.vault_dir, &passphrase, Box::new(SystemClock), &mut |p: Progress| {
            send(p, p.done >= p.total);
            !state.cancelled()
        })?;
    let result = opened(&mut vault)?;
    state.open(Session { vault, demo_dir: None });
    Ok(Some(result))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

    use super::*;
    use crate::commands::testing::{fast_vault, scratch, PASS};

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
