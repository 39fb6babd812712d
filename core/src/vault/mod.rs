//! The vault (layer 2): a directory holding the SQLCipher journal and its key slots (`keyslots`), opened with the
//! passphrase or the recovery key, re-keyed, backed up and restored (`backup`). Changing the passphrase rewrites
//! one slot; re-keying writes the journal anew under a new data key, so old slots stop working. The vault hands
//! out the journal and extra reader connections; it knows no record kind and no document.

use std::fs;
use std::path::{Path, PathBuf};

use secrecy::SecretString;

use crate::error::{Error, Reason, Result};
use crate::secret::{random_bytes, DataKey, RecoveryKey};
use crate::store::blobs::BlobReader;
use crate::store::{Clock, DbSettings, Journal};
use crate::text::shown_path;
use keyslots::{
    passphrase_nfc, read_slots, set_private, unwrap_any, unwrap_passphrase, wrap, write_slots, Costs,
    LoadedSlots, SlotFile, SlotKind, FORMAT_NAME,
};

pub mod backup;
mod keyslots;

pub(crate) use keyslots::{install_slots, slots_from_backup, unwrap_from_slot_bytes};
pub use keyslots::{KdfParams, Unlock, FORMAT_VERSION, SLOTS_COPY_FILE, SLOTS_FILE};

/// Name of the SQLCipher journal of a new vault. A re-keyed journal is `journal-N.db` (N its slot generation); the
/// slot file names the current one.
pub const DB_FILE: &str = "journal.db";
/// Shortest new passphrase accepted, in characters of its NFC form (an accented letter counts once). Whoever
/// copies the slot file can guess offline without limit; below ten characters even a slow key derivation leaves
/// a passphrase within their reach (the UI's strength meter says so). A vault made with a shorter one still opens.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

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
    /// The slot costs this vault accepts: `Costs::BUILD`, or also the throwaway one for the demo vault this
    /// process made itself (never one read from disk).
    costs: Costs,
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
    let chars = passphrase_nfc(passphrase).chars().count();
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
        Self::create_with_costs(dir, passphrase, options, clock, Costs::BUILD)
    }

    /// The demo case's vault (`demo::open_temporary`): fictional content, so the throwaway cost is accepted for
    /// it whatever the build.
    pub(crate) fn create_throwaway(
        dir: &Path,
        passphrase: &SecretString,
        clock: Box<dyn Clock>,
    ) -> Result<(Vault, RecoveryKey)> {
        let options =
            CreateOptions { passphrase_kdf: KdfParams::THROWAWAY, recovery_kdf: KdfParams::THROWAWAY };
        Self::create_with_costs(dir, passphrase, options, clock, Costs::Throwaway)
    }

    fn create_with_costs(
        dir: &Path,
        passphrase: &SecretString,
        options: CreateOptions,
        clock: Box<dyn Clock>,
        costs: Costs,
    ) -> Result<(Vault, RecoveryKey)> {
        check_new_passphrase(passphrase)?;
        // Both costs are checked before anything is written.
        keyslots::check_cost(SlotKind::Passphrase, options.passphrase_kdf, costs)?;
        keyslots::check_cost(SlotKind::Recovery, options.recovery_kdf, costs)?;
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
            passphrase_nfc(passphrase).as_bytes(),
            &key,
            options.passphrase_kdf,
            costs,
        )?);
        slots.slots.push(wrap(
            &slots.vault_id,
            SlotKind::Recovery,
            recovery.secret(),
            &key,
            options.recovery_kdf,
            costs,
        )?);
        // The journal is written first and the slot file last: a vault without its slot file is reported as
        // half-written, never mistaken for a complete one.
        let journal = Journal::create(&dir.join(DB_FILE), &key, &slots.db, clock)?;
        let slots = write_slots(dir, slots)?;
        Ok((Vault { dir: dir.to_owned(), key, slots, journal, costs }, recovery))
    }

    /// Opens the vault with its passphrase, in whichever Unicode form it was typed (`passphrase_forms`). A wrong
    /// passphrase changes no byte of the vault. A slot made before passphrases were normalised, opened by the
    /// passphrase as typed then, is re-wrapped from its NFC form (same cost, same key; best effort), so the same
    /// words typed on another keyboard open it from then on.
    pub fn open(dir: &Path, passphrase: &SecretString, clock: Box<dyn Clock>) -> Result<Vault> {
        let loaded = read_slots(dir)?;
        let (key, legacy) = unwrap_passphrase(&loaded.file, passphrase, Costs::BUILD)?
            .ok_or_else(|| Error::WrongPassphrase(dir.to_owned()))?;
        let mut vault = Self::finish_open(dir, loaded, key, clock)?;
        if let Some(params) = legacy {
            let _ = vault.write_passphrase_slot(passphrase, params);
        }
        Ok(vault)
    }

    /// Opens the vault with the printed recovery key.
    pub fn open_with_recovery(dir: &Path, recovery: &RecoveryKey, clock: Box<dyn Clock>) -> Result<Vault> {
        let loaded = read_slots(dir)?;
        let (key, _) = unwrap_any(&loaded.file, SlotKind::Recovery, recovery.secret(), Costs::BUILD)?
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
        Ok(Vault { dir: dir.to_owned(), key, slots, journal, costs: Costs::BUILD })
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
        unwrap_passphrase(&self.slots, passphrase, self.costs)?
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
        self.write_passphrase_slot(new, kdf)?;
        self.journal.record_vault_event("passphrase_changed")?;
        Ok(())
    }

    /// Writes the passphrase slot anew from the NFC form of `passphrase`, wrapping the same data key.
    fn write_passphrase_slot(&mut self, passphrase: &SecretString, kdf: KdfParams) -> Result<()> {
        let nfc = passphrase_nfc(passphrase);
        let slot =
            wrap(&self.slots.vault_id, SlotKind::Passphrase, nfc.as_bytes(), &self.key, kdf, self.costs)?;
        let mut updated = self.slots.clone();
        updated.slots.retain(|s| s.kind != SlotKind::Passphrase);
        updated.slots.insert(0, slot);
        self.slots = write_slots(&self.dir, updated)?;
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
        keyslots::check_cost(SlotKind::Passphrase, options.passphrase_kdf, self.costs)?;
        keyslots::check_cost(SlotKind::Recovery, options.recovery_kdf, self.costs)?;
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
                passphrase_nfc(new_passphrase).as_bytes(),
                &key,
                options.passphrase_kdf,
                self.costs,
            )?,
            wrap(
                &next.vault_id,
                SlotKind::Recovery,
                recovery.secret(),
                &key,
                options.recovery_kdf,
                self.costs,
            )?,
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

#[cfg(test)]
mod tests {
    //! Issue 12 §7 (review L2): the slot cost policy and Unicode forms of a passphrase, where they need the
    //! slot file's insides (a legacy slot, a build without the throwaway cost).
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

    use super::keyslots::{check_cost, parse_slots, passphrase_forms};
    use super::*;
    use crate::store::SystemClock;

    /// "йод ёлка Ré" with precomposed letters (NFC) and with combining marks (NFD), as two keyboards type it.
    const NFC: &str = "\u{439}\u{43e}\u{434} \u{451}\u{43b}\u{43a}\u{430} R\u{e9}";
    const NFD: &str = "\u{438}\u{306}\u{43e}\u{434} \u{435}\u{308}\u{43b}\u{43a}\u{430} Re\u{301}";

    fn scratch(label: &str) -> PathBuf {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/tmp")
            .join(format!("redress-kdf-{label}-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_owned())
    }

    fn fast() -> CreateOptions {
        CreateOptions { passphrase_kdf: KdfParams::THROWAWAY, recovery_kdf: KdfParams::THROWAWAY }
    }

    #[test]
    fn issue_12_a_build_for_a_person_refuses_slot_costs_below_the_floor_and_above_the_ceiling() {
        use SlotKind::{Passphrase, Recovery};
        for (kind, params) in [(Passphrase, KdfParams::PASSPHRASE), (Recovery, KdfParams::RECOVERY)] {
            check_cost(kind, params, Costs::Person).unwrap();
        }
        let weak = [
            KdfParams::THROWAWAY,
            KdfParams { memory_kib: 8, iterations: 1, parallelism: 1 },
            KdfParams { memory_kib: 32 * 1024, iterations: 3, parallelism: 1 },
            KdfParams { memory_kib: 256 * 1024, iterations: 1, parallelism: 1 },
        ];
        for params in weak {
            let err = check_cost(Passphrase, params, Costs::Person).unwrap_err().to_string();
            assert!(
                err.contains("below the minimum"),
                "{params:?} must be refused for a passphrase slot: {err}"
            );
        }
        // The throwaway cost, and only it, passes where the build accepts it (tests, the demo's own vault).
        check_cost(Passphrase, KdfParams::THROWAWAY, Costs::Throwaway).unwrap();
        let err = check_cost(Passphrase, weak[1], Costs::Throwaway).unwrap_err().to_string();
        assert!(err.contains("below the minimum"), "only the throwaway cost itself is let through: {err}");
        let absurd = [
            KdfParams { parallelism: 1000, ..KdfParams::PASSPHRASE },
            KdfParams { parallelism: 0, ..KdfParams::PASSPHRASE },
            KdfParams { memory_kib: 4 * 1024 * 1024, ..KdfParams::PASSPHRASE },
            KdfParams { iterations: 64, ..KdfParams::PASSPHRASE },
        ];
        for params in absurd {
            for costs in [Costs::Person, Costs::Throwaway] {
                let err = check_cost(Passphrase, params, costs).unwrap_err().to_string();
                assert!(err.contains("unreasonable"), "{params:?} would exhaust the machine: {err}");
            }
        }
    }

    #[test]
    fn issue_12_a_weak_slot_is_neither_written_nor_opened_for_a_person() {
        let dir = scratch("weak");
        let err = Vault::create_with_costs(
            &dir.join("refused"),
            &secret("correct horse battery staple"),
            fast(),
            Box::new(SystemClock),
            Costs::Person,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("below the minimum"), "{err}");
        assert!(!dir.join("refused").join(SLOTS_FILE).exists(), "a refused cost writes no slot file");

        // A vault with a throwaway slot on disk (a bug, or the fixtures): a build for a person does not open it.
        let vault_dir = dir.join("vault");
        let pass = secret("correct horse battery staple");
        let (mut vault, recovery) =
            Vault::create_with_costs(&vault_dir, &pass, fast(), Box::new(SystemClock), Costs::Throwaway)
                .unwrap();
        let err = vault.change_passphrase_with(&secret("a weaker slot for this one"), weak()).unwrap_err();
        assert!(err.to_string().contains("below the minimum"), "{err}");
        drop(vault);
        let file = read_slots(&vault_dir).unwrap().file;
        let err = unwrap_passphrase(&file, &pass, Costs::Person).err().unwrap().to_string();
        assert!(err.contains("below the minimum"), "{err}");
        let err = unwrap_any(&file, SlotKind::Recovery, recovery.secret(), Costs::Person).err().unwrap();
        assert!(err.to_string().contains("below the minimum"), "{err}");
        assert!(unwrap_passphrase(&file, &pass, Costs::Throwaway).unwrap().is_some());

        // A slot file whose cost was raised absurdly (checksum recomputed) is refused before any derivation.
        let mut tampered = file.clone();
        tampered.slots[0].kdf.params.parallelism = 1000;
        let tampered = write_slots(&vault_dir, tampered).unwrap();
        let bytes = serde_json::to_vec(&tampered).unwrap();
        let parsed = parse_slots(&bytes, &vault_dir).unwrap();
        let err = unwrap_passphrase(&parsed, &pass, Costs::Throwaway).err().unwrap().to_string();
        assert!(err.contains("unreasonable"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    fn weak() -> KdfParams {
        KdfParams { memory_kib: 8, iterations: 1, parallelism: 1 }
    }

    #[test]
    fn issue_12_the_forms_of_a_passphrase_are_nfc_as_typed_and_nfd_each_once() {
        assert_eq!(
            passphrase_forms(&secret("correct horse battery staple")).len(),
            1,
            "ASCII: one derivation"
        );
        let forms = passphrase_forms(&secret(NFD));
        let forms: Vec<&str> = forms.iter().map(|f| f.as_str()).collect();
        assert_eq!(forms, [NFC, NFD], "typed in NFD: the NFC form first, then as typed (which is NFD)");
        let forms = passphrase_forms(&secret(NFC));
        let forms: Vec<&str> = forms.iter().map(|f| f.as_str()).collect();
        assert_eq!(forms, [NFC, NFD]);
        let chars = |s: &str| passphrase_nfc(&secret(s)).chars().count();
        assert_eq!((chars(NFC), chars(NFD)), (11, 11), "an accented letter counts once towards the minimum");
    }

    /// A slot made before passphrases were normalised, from the NFD form as typed then: it opens with that form
    /// and with the NFC one, and after the first open its slot is the NFC one.
    #[test]
    fn issue_12_a_slot_made_from_a_non_nfc_passphrase_still_opens_and_is_rewrapped_in_nfc() {
        for typed_now in [NFD, NFC] {
            let dir = scratch("legacy");
            let vault_dir = dir.join("vault");
            let (mut vault, _) = Vault::create_with_costs(
                &vault_dir,
                &secret(NFC),
                fast(),
                Box::new(SystemClock),
                Costs::Throwaway,
            )
            .unwrap();
            // What an earlier version wrote: the passphrase's bytes as typed, not normalised.
            let legacy = wrap(
                &vault.slots.vault_id,
                SlotKind::Passphrase,
                NFD.as_bytes(),
                &vault.key,
                KdfParams::THROWAWAY,
                Costs::Throwaway,
            )
            .unwrap();
            let mut file = vault.slots.clone();
            file.slots.retain(|s| s.kind != SlotKind::Passphrase);
            file.slots.insert(0, legacy);
            vault.slots = write_slots(&vault_dir, file).unwrap();
            drop(vault);
            let before = read_slots(&vault_dir).unwrap().file;
            assert!(unwrap_any(&before, SlotKind::Passphrase, NFC.as_bytes(), Costs::Throwaway)
                .unwrap()
                .is_none());

            let vault = Vault::open(&vault_dir, &secret(typed_now), Box::new(SystemClock)).unwrap();
            drop(vault);
            let after = read_slots(&vault_dir).unwrap().file;
            assert_ne!(after.slots[0], before.slots[0], "the legacy slot is re-wrapped");
            assert!(
                unwrap_any(&after, SlotKind::Passphrase, NFC.as_bytes(), Costs::Throwaway).unwrap().is_some(),
                "after the first open the slot is made from the NFC form"
            );
            Vault::open(&vault_dir, &secret(NFD), Box::new(SystemClock)).unwrap();
            Vault::open(&vault_dir, &secret(NFC), Box::new(SystemClock)).unwrap();
            assert!(matches!(
                Vault::open(&vault_dir, &secret("not the passphrase at all"), Box::new(SystemClock)),
                Err(Error::WrongPassphrase(_))
            ));
            fs::remove_dir_all(dir).unwrap();
        }
    }
}
