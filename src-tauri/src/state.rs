//! What the shell holds between commands: the unlocked vault (or nothing), the paths the person chose in a dialog
//! or dropped on the window (the only files the backend will read for them), the cancel flag of long work, the
//! idle timer that locks the vault whatever the webview does, and why it last locked (for the page that loads
//! after a lock, which starts with no memory of the one before).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use redress_core::Vault;

use crate::clipboard::{SecretClip, SystemBoard};
use crate::error::{CmdResult, CommandError};
use crate::idle::{self, IdleTimer, Moment};

/// An unlocked vault. A demo vault lives in a temporary directory that is removed when it is locked.
pub struct Session {
    pub vault: Vault,
    pub demo_dir: Option<PathBuf>,
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(dir) = self.demo_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub struct AppState {
    pub vault_dir: PathBuf,
    session: Mutex<Option<Session>>,
    chosen: Mutex<HashSet<PathBuf>>,
    cancel: AtomicBool,
    idle: Mutex<IdleTimer>,
    clip: Mutex<SecretClip<SystemBoard>>,
    locked_because: Mutex<Option<LockReason>>,
}

/// Why the open vault was locked: told to the unlock screen ("locked after 5 minutes without use").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LockReason {
    /// The person chose Lock now.
    Manual,
    /// The idle timer ran out.
    Idle,
    /// logind announced sleep.
    Sleep,
    /// The desktop session was locked.
    SessionLock,
    /// The screen saver started.
    ScreenSaver,
}

impl AppState {
    pub fn new(vault_dir: PathBuf) -> Self {
        AppState {
            vault_dir,
            session: Mutex::new(None),
            chosen: Mutex::new(HashSet::new()),
            cancel: AtomicBool::new(false),
            idle: Mutex::new(IdleTimer::new(idle::now())),
            clip: Mutex::new(SecretClip::new()),
            locked_because: Mutex::new(None),
        }
    }

    pub fn session(&self) -> MutexGuard<'_, Option<Session>> {
        // A panic while the lock was held must not leave the app unable to lock: take the guard anyway.
        self.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the unlocked vault, or answers `locked`.
    pub fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> CmdResult<T>) -> CmdResult<T> {
        let mut guard = self.session();
        match guard.as_mut() {
            Some(session) => f(&mut session.vault),
            None => Err(CommandError::locked()),
        }
    }

    pub fn is_demo(&self) -> bool {
        self.session().as_ref().is_some_and(|s| s.demo_dir.is_some())
    }

    pub fn open(&self, session: Session) {
        self.idle_timer().input(idle::now());
        *self.locked_reason() = None;
        *self.session() = Some(session);
    }

    fn locked_reason(&self) -> MutexGuard<'_, Option<LockReason>> {
        self.locked_because.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Why the vault is locked, if it was open in this run of the app and nothing has opened since.
    pub fn lock_reason(&self) -> Option<LockReason> {
        *self.locked_reason()
    }

    /// Locks like `lock` and remembers why, if a vault was open; `true` if one was (the caller then throws away
    /// the page that showed it).
    pub fn lock_because(&self, reason: LockReason) -> bool {
        let was_open = self.session().is_some();
        self.lock();
        if was_open {
            *self.locked_reason() = Some(reason);
        }
        was_open
    }

    /// Drops the vault: the journal closes and the data key is zeroed; a demo vault's directory is removed.
    pub fn lock(&self) {
        self.cancel.store(true, Ordering::SeqCst);
        let old = self.session().take();
        drop(old);
        self.chosen_set().clear();
        self.clip().take_back();
    }

    fn clip(&self) -> MutexGuard<'_, SecretClip<SystemBoard>> {
        self.clip.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Puts the recovery key on the clipboard, marked secret; it is taken back after 30 s and on lock.
    pub fn copy_secret(&self, text: zeroize::Zeroizing<String>) -> CmdResult<()> {
        self.clip()
            .copy(SystemBoard::open, text, idle::now())
            .map_err(|e| CommandError::with_code(redress_core::Code::Error, e))
    }

    /// Takes the recovery key off the clipboard once its 30 s are over (called every second).
    pub fn expire_clipboard(&self, now: Moment) {
        self.clip().expire(now);
    }

    fn idle_timer(&self) -> MutexGuard<'_, IdleTimer> {
        self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The person touched the window (a key, the pointer, focus).
    pub fn input(&self, now: Moment) {
        self.idle_timer().input(now);
    }

    /// A command ran, or a task reported progress: postpones the idle lock, up to its cap.
    pub fn work(&self, now: Moment) {
        self.idle_timer().work(now);
    }

    pub fn set_idle_limit(&self, limit: Duration) {
        self.idle_timer().set_limit(limit);
    }

    /// Locks if the vault is open and the idle timer says so; `true` if it locked.
    pub fn lock_if_idle(&self, now: Moment) -> bool {
        if self.session().is_none() || !self.idle_timer().due(now) {
            return false;
        }
        self.lock_because(LockReason::Idle)
    }

    fn chosen_set(&self) -> MutexGuard<'_, HashSet<PathBuf>> {
        self.chosen.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Remembers paths the person chose or dropped, so the backend may read them.
    pub fn allow(&self, paths: &[PathBuf]) {
        self.chosen_set().extend(paths.iter().cloned());
    }

    /// Takes a path out of the chosen set; `false` if the person never chose or dropped it.
    pub fn take_allowed(&self, path: &Path) -> bool {
        self.chosen_set().remove(path)
    }

    pub fn reset_cancel(&self) {
        self.cancel.store(false, Ordering::SeqCst);
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }
}

/// Each step takes the session lock for itself only, so work between steps (a worker parsing an annex) never
/// keeps the vault from locking.
impl redress_core::ccf::draft::JournalAccess for AppState {
    type Error = CommandError;
    fn with_journal<T>(
        &self,
        f: impl FnOnce(&redress_core::Journal) -> redress_core::Result<T>,
    ) -> CmdResult<T> {
        self.with_vault(|vault| Ok(f(vault.journal())?))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

    use std::time::{Duration, Instant};

    use redress_core::ccf::draft::{assemble, count_annex_pages};
    use redress_core::ccf::{Annex, RequestInput};
    use redress_core::evidence::{check_source, EvidenceMeta};
    use redress_core::pdf::isolate::Worker;
    use redress_core::rules::RequestType;
    use redress_core::{CreateOptions, KdfParams, SystemClock};
    use secrecy::SecretString;

    use super::*;

    /// Issue 12 §4 (review M4): with the vault open and nothing from the window or the commands for the limit,
    /// the backend locks on its own; work alone keeps it open only up to the cap.
    #[test]
    fn issue_12_an_open_vault_locks_itself_when_idle_without_the_webview() {
        let root = crate::commands::testing::scratch("idle");
        let state = AppState::new(root.join("vault"));
        state.open(Session {
            vault: crate::commands::testing::fast_vault(&root.join("vault")),
            demo_dir: None,
        });
        let opened = crate::idle::now();
        let minute = Duration::from_secs(60);
        state.set_idle_limit(2 * minute);
        assert!(!state.lock_if_idle(opened + minute), "one quiet minute of two is not enough");
        state.work(opened + minute);
        state.work(opened + 3 * minute);
        assert!(!state.lock_if_idle(opened + 3 * minute + minute / 2), "work postpones within the cap");
        assert!(
            state.lock_if_idle(opened + 4 * minute),
            "the cap (twice the limit) after the last input locks"
        );
        assert!(state.session().is_none(), "app_status must now report the vault locked");
        assert_eq!(state.lock_reason(), Some(LockReason::Idle), "the fresh page must say why it locked");
        assert!(!state.lock_if_idle(opened + 5 * minute), "a locked vault is not locked twice");
        std::fs::remove_dir_all(root).unwrap();
    }

    /// The page that loads after a lock knows nothing of the one before: the backend keeps why it locked, until
    /// the next unlock. Locking a locked vault (the window closing, sleep while locked) keeps the first reason and
    /// asks for no new page.
    #[test]
    fn the_reason_of_a_lock_outlives_the_page_until_the_next_unlock() {
        let root = crate::commands::testing::scratch("reason");
        let state = AppState::new(root.join("vault"));
        assert_eq!(state.lock_reason(), None, "nothing was open: no reason to show");
        assert!(!state.lock_because(LockReason::Sleep), "a vault that was not open asks for no new page");
        assert_eq!(state.lock_reason(), None, "a lock of nothing gives no reason");
        let open = |dir: &str| Session {
            vault: crate::commands::testing::fast_vault(&root.join(dir)),
            demo_dir: None,
        };
        state.open(open("first"));
        assert!(state.lock_because(LockReason::Manual), "an open vault locks and asks for a new page");
        assert!(state.session().is_none());
        assert_eq!(state.lock_reason(), Some(LockReason::Manual));
        assert!(!state.lock_because(LockReason::ScreenSaver), "locked already: no new page");
        assert_eq!(state.lock_reason(), Some(LockReason::Manual), "the first reason stays");
        state.open(open("second"));
        assert_eq!(state.lock_reason(), None, "unlocked: no lock to explain");
        state.lock();
        std::fs::remove_dir_all(root).unwrap();
    }

    /// Issue 9 §4 (review H6): while an annex is parsed in a worker for a draft, locking the vault returns at
    /// once (the session lock is not held across the parse), and the draft then finds the vault locked.
    #[test]
    fn issue_9_locking_does_not_wait_for_an_annex_being_parsed() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp");
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let dir = base.join(format!("redress-lock-test-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fast = CreateOptions { passphrase_kdf: KdfParams::THROWAWAY, recovery_kdf: KdfParams::THROWAWAY };
        let pass = SecretString::from("correct horse battery staple".to_owned());
        let (mut vault, _) = Vault::create(&dir.join("vault"), &pass, fast, Box::new(SystemClock)).unwrap();
        let pdf = dir.join("annex.pdf");
        std::fs::write(&pdf, b"%PDF-1.7\n% an annex the worker takes its time over\n%%EOF\n").unwrap();
        let source = check_source(&pdf).unwrap();
        let annex = vault.journal_mut().import(&source, &EvidenceMeta::default(), &mut |_| true).unwrap().id;
        let id = vault
            .journal_mut()
            .add_request(&RequestInput {
                title: "Access".into(),
                request_type: Some(RequestType::Access),
                language: "en".into(),
                annexes: vec![Annex { evidence: annex, confidential: false }],
                ..Default::default()
            })
            .unwrap();
        // A worker that never answers (the small annex fits in the pipe): the parse ends only at its deadline.
        let script = dir.join("worker.sh");
        std::fs::write(&script, "#!/bin/sh\ntouch \"$0.started\"\nexec sleep 60\n").unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
        let started = dir.join("worker.sh.started");
        let worker = Worker::new(&script).with_limits(Duration::from_secs(3), 64 << 20);

        let state = AppState::new(dir.join("vault"));
        state.open(Session { vault, demo_dir: None });
        std::thread::scope(|scope| {
            let drafting = scope.spawn(|| {
                let pages = count_annex_pages(&state, &worker, id)?;
                state.with_vault(|vault| Ok(assemble(vault.journal(), id, None, &pages)?.sections.len()))
            });
            while !started.exists() {
                assert!(!drafting.is_finished(), "the draft ended before its annex reached the worker");
                std::thread::sleep(Duration::from_millis(10));
            }
            let asked = Instant::now();
            state.lock();
            let took = asked.elapsed();
            assert!(
                !drafting.is_finished(),
                "locking must not wait for the worker: it returned only after the parse ended"
            );
            assert!(took < Duration::from_secs(1), "locking took {took:?} while an annex was being parsed");
            let drafted = drafting.join().unwrap();
            assert_eq!(drafted.unwrap_err().code, "locked", "after the lock, the draft is refused as locked");
        });
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
