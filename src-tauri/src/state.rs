//! What the shell holds between commands: the unlocked vault (or nothing), the paths the person chose in a dialog
//! or dropped on the window (the only files the backend will read for them), and the cancel flag of long work.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use redress_core::Vault;

use crate::error::{CmdResult, CommandError};

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
}

impl AppState {
    pub fn new(vault_dir: PathBuf) -> Self {
        AppState {
            vault_dir,
            session: Mutex::new(None),
            chosen: Mutex::new(HashSet::new()),
            cancel: AtomicBool::new(false),
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
        *self.session() = Some(session);
    }

    /// Drops the vault: the journal closes and the data key is zeroed; a demo vault's directory is removed.
    pub fn lock(&self) {
        self.cancel.store(true, Ordering::SeqCst);
        let old = self.session().take();
        drop(old);
        self.chosen_set().clear();
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
