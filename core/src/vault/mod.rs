//! The vault (layer 2): a directory holding the SQLCipher journal and its key slots (`keyslots`), opened with the
//! passphrase or the recovery key, re-keyed, backed up and restored (`backup`). Changing the passphrase rewrites
//! one slot; re-keying writes the journal anew under a new data key, so old slots stop working. The vault hands
//! out the journal and extra reader connections; it knows no record kind and no document.

use std::fs;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Reason, Result};
use crate::secret::{random_bytes, DataKey, RecoveryKey};
use crate::store::blobs::BlobReader;
use crate::store::{Clock, DbSettings, Journal};
use crate::text::shown_path;
use keyslots::{
    passphrase_bytes, read_slots, set_private, unwrap_any, wrap, write_slots, LoadedSlots, SlotFile,
    SlotKind, FORMAT_NAME,
};

pub mod backup;
mod keyslots;

pub(crate) use keyslots::{install_slots, slots_from_backup, unwrap_from_slot_bytes};
pub use keyslots::{KdfParams, Unlock, FORMAT_VERSION, SLOTS_COPY_FILE, SLOTS_FILE};

/// Name of the SQLCipher journal of a new vault. A re-keyed journal is `journal-N.db` (N its slot generation); the
/// slot file names the current one.
pub const DB_FILE: &str = "journal.db";
/// Shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// SQLCipher page size chosen by measurement (see README, Benchmarks): 64 KiB pages with a rollback journal write
/// large evidence ~2.4x faster than the 4 KiB/WAL defaults, and a rollback journal keeps a transaction atomic
/// without writing a large import twice. It must be given on every open.
pub const CIPHER_PAGE_SIZE: u32 = 65536;

/// SQLCipher's page MAC. HMAC-SHA-256 (hardware-accelerated on current CPUs) writes evidence ~1.2x faster than the
/// default HMAC-SHA-512 here, with the same 256-bit strength as the data key (see README, Benchmarks).
pub const CIPHER_HMAC: &str = "HMAC_SHA256";

/// Options for a new vault.
#[derive(Debug, Clone, Copy)]
pub struct CreateOptions {
    pub passphrase_kdf: KdfParams,
    pub recovery_kdf: KdfParams,
}

impl Default for CreateOptions {
    fn default() -> Self {
        CreateOptions { passphrase_kdf: KdfParams::PASSPHRASE, recovery_kdf: KdfParams::RECOVERY }
    }
}

/// An unlocked vault: the open journal and the data key, both dropped (and the key zeroed) on `lock`.
pub struct Vault {
    dir: PathBuf,
    key: DataKey,
    slots: SlotFile,
    journal: Journal,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// Whether `dir` holds a vault (its slot file): the app then asks to unlock rather than to create one.
pub fn exists(dir: &Path) -> bool {
    dir.join(SLOTS_FILE).exists()
}

/// The vault the app and the CLI use when none is named: `vault` in the user's data directory, or `None` when
/// the system gives no home directory.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Redress", "Redress").map(|d| d.data_dir().join("vault"))
}

/// Checks a new passphrase against the minimum; the message names the rule, never the passphrase.
pub fn check_new_passphrase(passphrase: &SecretString) -> Result<()> {
    let chars = passphrase.expose_secret().chars().count();
    if chars < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid_because(
            Reason::PassphraseShort,
            "passphrase",
            format!("must be at least {MIN_PASSPHRASE_CHARS} characters; the one given has {chars}"),
        ));
    }
    Ok(())
}

impl Vault {
    /// Creates a vault in `dir` (missing or empty) and returns it unlocked with the recovery key to show once.
    pub fn create(
        dir: &Path,
        passphrase: &SecretString,
        options: CreateOptions,
        clock: Box<dyn Clock>,
    ) -> Result<(Vault, RecoveryKey)> {
        check_new_passphrase(passphrase)?;
        prepare_empty_dir(dir)?;
        let key = DataKey::generate()?;
        let recovery = RecoveryKey::generate()?;
        let mut id = [0u8; 16];
        random_bytes(&mut id)?;
        let vault_id = hex::encode(id);
        let mut slots = SlotFile {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION,
            vault_id,
            generation: 1,
            checksum: None,
            db: DbSettings {
                file: DB_FILE.into(),
                cipher_page_size: CIPHER_PAGE_SIZE,
                cipher_hmac: CIPHER_HMAC.into(),
            },
            slots: Vec::new(),
        };
        slots.slots.push(wrap(
            &slots.vault_id,
            SlotKind::Passphrase,
            passphrase_bytes(passphrase),
            &key,
            options.passphrase_kdf,
        )?);
        slots.slots.push(wrap(
            &slots.vault_id,
            SlotKind::Recovery,
            recovery.secret(),
            &key,
            options.recovery_kdf,
        )?);
        // The journal is written first and the slot file last: a vault without its slot file is reported as
        // half-written, never mistaken for a complete one.
        let journal = Journal::create(&dir.join(DB_FILE), &key, &slots.db, clock)?;
        let slots = write_slots(dir, slots)?;
        Ok((Vault { dir: dir.to_owned(), key, slots, journal }, recovery))
    }

    /// Opens the vault with its passphrase. A wrong passphrase changes no byte of the vault.
    pub fn open(dir: &Path, passphrase: &SecretString, clock: Box<dyn Clock>) -> Result<Vault> {
        let loaded = read_slots(dir)?;
        let key = unwrap_any(&loaded.file, SlotKind::Passphrase, passphrase_bytes(passphrase))?
            .ok_or_else(|| Error::WrongPassphrase(dir.to_owned()))?;
        Self::finish_open(dir, loaded, key, clock)
    }

    /// Opens the vault with the printed recovery key.
    pub fn open_with_recovery(dir: &Path, recovery: &RecoveryKey, clock: Box<dyn Clock>) -> Result<Vault> {
        let loaded = read_slots(dir)?;
        let key = unwrap_any(&loaded.file, SlotKind::Recovery, recovery.secret())?
            .ok_or_else(|| Error::WrongRecoveryKey(dir.to_owned()))?;
        Self::finish_open(dir, loaded, key, clock)
    }

    fn finish_open(dir: &Path, loaded: LoadedSlots, key: DataKey, clock: Box<dyn Clock>) -> Result<Vault> {
        let LoadedSlots { file: mut slots, in_step } = loaded;
        let db = dir.join(&slots.db.file);
        if !db.is_file() {
            return Err(Error::VaultState(format!(
                "the vault in '{}' has key slots but its journal file '{}' is missing; restore it from a backup",
                shown_path(dir),
                slots.db.file
            )));
        }
        let journal = Journal::open(&db, &key, &slots.db, clock)?;
        // Only now, with the key proven: bring both slot copies to the one that opened (repairing a damaged or
        // missing copy, finishing an interrupted re-key), then remove journals no slot names any more. Best
        // effort: a vault on a read-only medium still opens.
        if !in_step {
            if let Ok(written) = write_slots(dir, slots.clone()) {
                slots = written;
                remove_unnamed_journals(dir, &slots.db.file);
            }
        } else {
            remove_unnamed_journals(dir, &slots.db.file);
        }
        Ok(Vault { dir: dir.to_owned(), key, slots, journal })
    }

    /// "I forgot my passphrase": opens the vault in `dir` with the printed recovery key (`recovery_key`, as typed)
    /// and sets `new` as its passphrase. The new passphrase is checked first, so a too-short one changes nothing.
    pub fn recover(
        dir: &Path,
        recovery_key: &str,
        new: &SecretString,
        clock: Box<dyn Clock>,
    ) -> Result<Vault> {
        let key = RecoveryKey::parse(recovery_key)?;
        check_new_passphrase(new)?;
        let mut vault = Self::open_with_recovery(dir, &key, clock)?;
        vault.change_passphrase(new)?;
        Ok(vault)
    }

    /// Proves a passphrase against this vault's own slots (before a change that needs the current one). Costs one
    /// key derivation; changes nothing.
    pub fn check_passphrase(&self, passphrase: &SecretString) -> Result<()> {
        unwrap_any(&self.slots, SlotKind::Passphrase, passphrase_bytes(passphrase))?
            .map(drop)
            .ok_or_else(|| Error::WrongPassphrase(self.dir.clone()))
    }

    /// Replaces the passphrase slot: the data key is rewrapped, the database is not touched. Earlier copies of the
    /// slot file (backups, disk images) keep opening the journal with the old passphrase: `rekey` revokes them.
    pub fn change_passphrase(&mut self, new: &SecretString) -> Result<()> {
        self.replace_passphrase_slot(new, KdfParams::PASSPHRASE)
    }

    /// Changes the passphrase from `current` (proved against this vault's own slots) to `new`. A wrong current
    /// passphrase, or a new one too short, changes no byte of the vault.
    pub fn change_passphrase_from(&mut self, current: &SecretString, new: &SecretString) -> Result<()> {
        check_new_passphrase(new)?;
        self.check_passphrase(current)?;
        self.change_passphrase(new)
    }

    /// As `change_passphrase`, with an explicit KDF cost (tests of the library use a fast one).
    pub fn change_passphrase_with(&mut self, new: &SecretString, kdf: KdfParams) -> Result<()> {
        self.replace_passphrase_slot(new, kdf)
    }

    fn replace_passphrase_slot(&mut self, new: &SecretString, kdf: KdfParams) -> Result<()> {
        check_new_passphrase(new)?;
        let slot = wrap(&self.slots.vault_id, SlotKind::Passphrase, passphrase_bytes(new), &self.key, kdf)?;
        let mut updated = self.slots.clone();
        updated.slots.retain(|s| s.kind != SlotKind::Passphrase);
        updated.slots.insert(0, slot);
        self.slots = write_slots(&self.dir, updated)?;
        self.journal.record_vault_event("passphrase_changed")?;
        Ok(())
    }

    /// Re-keys the vault: a new random data key, the journal written anew under it (SQLCipher's export into a new
    /// file), a new passphrase slot and a new recovery key (returned, to show once). Afterwards no earlier slot
    /// file, passphrase or recovery key opens the journal; backups made before keep opening with their own.
    ///
    /// Crash-safe by order: the new journal is complete and synced before the slot file that names it replaces the
    /// old one (the commit), and the old journal is removed only after both slot copies name the new one. A crash
    /// before the commit leaves the old vault (the unfinished journal is removed at the next open), after it the
    /// new one. `progress` gets bytes written of about the journal's size; returning `false` cancels, leaving the
    /// vault as it was.
    pub fn rekey(
        &mut self,
        new_passphrase: &SecretString,
        progress: &mut dyn FnMut(crate::files::Progress) -> bool,
    ) -> Result<RecoveryKey> {
        self.rekey_with(new_passphrase, CreateOptions::default(), progress)
    }

    /// As `rekey`, with explicit KDF costs (tests of the library use fast ones).
    pub fn rekey_with(
        &mut self,
        new_passphrase: &SecretString,
        options: CreateOptions,
        progress: &mut dyn FnMut(crate::files::Progress) -> bool,
    ) -> Result<RecoveryKey> {
        check_new_passphrase(new_passphrase)?;
        let key = DataKey::generate()?;
        let recovery = RecoveryKey::generate()?;
        let generation = self.slots.generation.max(1) + 1;
        let mut next = self.slots.clone();
        next.generation = generation;
        next.db.file = format!("journal-{generation}.db");
        next.slots = vec![
            wrap(
                &next.vault_id,
                SlotKind::Passphrase,
                passphrase_bytes(new_passphrase),
                &key,
                options.passphrase_kdf,
            )?,
            wrap(&next.vault_id, SlotKind::Recovery, recovery.secret(), &key, options.recovery_kdf)?,
        ];
        let old_path = self.dir.join(&self.slots.db.file);
        let new_path = self.dir.join(&next.db.file);
        remove_journal_files(&new_path);
        let size = fs::metadata(&old_path).map(|m| m.len()).unwrap_or(0);
        crate::files::ensure_free_space(
            &self.dir,
            size + size / 16 + 1024 * 1024,
            "re-encrypting the journal",
        )?;

        let written = (|| -> Result<rusqlite::Connection> {
            self.journal.export_to(&new_path, &key, &next.db, size, progress)?;
            let file = fs::File::open(&new_path)
                .map_err(|e| Error::io(format!("cannot read '{}'", shown_path(&new_path)), e))?;
            file.sync_all().map_err(|e| Error::io(format!("cannot write '{}'", shown_path(&new_path)), e))?;
            crate::store::open_connection(&new_path, &key, &next.db, false)
        })();
        let conn = match written {
            Ok(conn) => conn,
            Err(e) => {
                remove_journal_files(&new_path);
                return Err(e);
            }
        };
        let old_conn = self.journal.replace_connection(conn);
        let committed = (|| -> Result<SlotFile> {
            self.journal.record_vault_event("rekeyed")?;
            write_slots(&self.dir, next)
        })();
        match committed {
            Ok(slots) => {
                drop(old_conn);
                self.key = key;
                self.slots = slots;
                remove_journal_files(&old_path);
                sync_dir(&self.dir);
                Ok(recovery)
            }
            Err(e) => {
                // The primary slot file may or may not name the new journal: if it does, the new journal is the
                // vault (its first copy is the commit); if not, the old one still is.
                match read_slots(&self.dir) {
                    Ok(loaded) if loaded.file.generation == generation => {
                        drop(old_conn);
                        self.key = key;
                        self.slots = loaded.file;
                        remove_journal_files(&old_path);
                        Ok(recovery)
                    }
                    _ => {
                        let new_conn = self.journal.replace_connection(old_conn);
                        drop(new_conn);
                        remove_journal_files(&new_path);
                        Err(e)
                    }
                }
            }
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn journal_mut(&mut self) -> &mut Journal {
        &mut self.journal
    }

    /// A second, raw SQLCipher connection to this vault's journal, keyed like the vault's own. For integrity
    /// tests and forensic tools that must see the stored rows as they are; the key itself never leaves the crate.
    #[doc(hidden)]
    pub fn raw_connection(&self) -> Result<rusqlite::Connection> {
        crate::store::open_connection(&self.dir.join(&self.slots.db.file), &self.key, &self.slots.db, false)
    }

    /// `n` more connections to the journal, keyed like the vault's own, that only read stored files: long exports
    /// (a bundle) decrypt their exhibits with one per core.
    pub fn readers(&self, n: usize) -> Result<Vec<BlobReader>> {
        (0..n)
            .map(|_| {
                let conn = crate::store::open_connection(
                    &self.dir.join(&self.slots.db.file),
                    &self.key,
                    &self.slots.db,
                    false,
                )?;
                Ok(BlobReader::new(conn))
            })
            .collect()
    }

    pub(crate) fn db_settings(&self) -> &DbSettings {
        &self.slots.db
    }

    pub(crate) fn data_key(&self) -> &DataKey {
        &self.key
    }

    pub(crate) fn slots_json(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(&self.slots)
            .map_err(|e| Error::Crypto(format!("slot file encoding failed: {e}")))
    }

    /// Closes the journal and zeroes the data key. Dropping a `Vault` does the same.
    pub fn lock(self) {
        drop(self);
    }
}

pub(crate) fn prepare_empty_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error::VaultState(format!("'{}' exists and is not a directory", shown_path(dir))));
        }
        let mut entries =
            fs::read_dir(dir).map_err(|e| Error::io(format!("cannot read '{}'", shown_path(dir)), e))?;
        if entries.next().is_some() {
            return Err(Error::VaultState(format!(
                "'{}' is not empty; a new vault needs a new or empty directory",
                shown_path(dir)
            )));
        }
    } else {
        fs::create_dir_all(dir).map_err(|e| Error::io(format!("cannot create '{}'", shown_path(dir)), e))?;
    }
    set_private(dir);
    Ok(())
}

impl Vault {
    /// Opens the vault with either secret.
    pub fn open_with(dir: &Path, secret: Unlock<'_>, clock: Box<dyn Clock>) -> Result<Vault> {
        match secret {
            Unlock::Passphrase(p) => Vault::open(dir, p, clock),
            Unlock::Recovery(r) => Vault::open_with_recovery(dir, r, clock),
        }
    }
}

/// Removes a journal file and its rollback journal, if present.
fn remove_journal_files(path: &Path) {
    let _ = fs::remove_file(path);
    let mut hot = path.as_os_str().to_owned();
    hot.push("-journal");
    let _ = fs::remove_file(PathBuf::from(hot));
}

/// Removes the journals of this vault that its slots no longer name: the one a re-key replaced (when the process
/// stopped before removing it) or a half-written one from an interrupted re-key. Only `journal.db` and
/// `journal-N.db` (with their `-journal` files) are ever touched.
fn remove_unnamed_journals(dir: &Path, current: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let base = name.strip_suffix("-journal").unwrap_or(name);
        if base == current || !is_journal_name(base) {
            continue;
        }
        let _ = fs::remove_file(entry.path());
    }
}

fn is_journal_name(name: &str) -> bool {
    if name == DB_FILE {
        return true;
    }
    name.strip_prefix("journal-")
        .and_then(|rest| rest.strip_suffix(".db"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
