//! The vault: a directory holding the SQLCipher journal and its key slots (`keyslots.json` and a checked second copy,
//! `keyslots.copy.json`), LUKS-like slots that wrap the random data key. The passphrase never keys the database:
//! Argon2id turns it into a key-encryption key that unwraps the data key with XChaCha20-Poly1305. Changing the
//! passphrase rewrites one slot; re-keying writes the journal anew under a new data key, so old slots stop working.

use std::fs;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::{random_bytes, DataKey, RecoveryKey};

pub mod backup;
use crate::store::blobs::BlobReader;
use crate::store::{Clock, DbSettings, Journal};
use crate::text::shown_path;

/// Name of the slot file inside a vault directory.
pub const SLOTS_FILE: &str = "keyslots.json";
/// Name of the second copy of the slot file, written after the first and checked on its own (LUKS2 keeps two
/// headers for the same reason): one damaged file never locks the person out, and each repairs the other on open.
pub const SLOTS_COPY_FILE: &str = "keyslots.copy.json";
/// Name of the SQLCipher journal of a new vault. A re-keyed journal is `journal-N.db` (N its slot generation); the
/// slot file names the current one.
pub const DB_FILE: &str = "journal.db";
/// The slot-file format this build writes. Format 1 (no generation, no checksum) is still read; a newer file is
/// refused, never rewritten.
pub const FORMAT_VERSION: u32 = 2;
const FORMAT_NAME: &str = "redress-vault";
/// Shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// SQLCipher page size chosen by measurement (see README, Benchmarks): 64 KiB pages with a rollback journal write
/// large evidence ~2.4x faster than the 4 KiB/WAL defaults, and a rollback journal keeps a transaction atomic
/// without writing a large import twice. It must be given on every open.
pub const CIPHER_PAGE_SIZE: u32 = 65536;

/// SQLCipher's page MAC. HMAC-SHA-256 (hardware-accelerated on current CPUs) writes evidence ~1.2x faster than the
/// default HMAC-SHA-512 here, with the same 256-bit strength as the data key (see README, Benchmarks).
pub const CIPHER_HMAC: &str = "HMAC_SHA256";

/// Argon2id cost of a passphrase slot. Chosen by measurement so an unlock costs 0.5–1 s on a 2-core laptop
/// (`make bench` prints the figure). Stored in each slot, so a later change keeps old vaults opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// The cost used for passphrase slots.
    pub const PASSPHRASE: KdfParams = KdfParams { memory_kib: 256 * 1024, iterations: 3, parallelism: 1 };
    /// The recovery key holds 128 random bits, so a light cost is enough; it only slows nobody down.
    pub const RECOVERY: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
    /// Only for tests of the library itself: unlocks in milliseconds. Never used by the CLI or the app.
    pub const INSECURE_FAST_FOR_TESTS: KdfParams =
        KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };
}

/// The slot file. A stored format: do not change a field; add one with a serde default and a new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SlotFile {
    format: String,
    version: u32,
    vault_id: String,
    /// Raised by every re-key. Of two intact copies the higher generation is the vault: a copy left behind by an
    /// interrupted re-key is never used to open it (its key no longer opens the current journal anyway).
    #[serde(default)]
    generation: u64,
    db: DbSettings,
    slots: Vec<Slot>,
    /// SHA-256 (hex) of the file's compact JSON without this field, so damage is told apart from a wrong
    /// passphrase before any key derivation. Absent in format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    checksum: Option<String>,
}

impl SlotFile {
    fn computed_checksum(&self) -> Result<String> {
        use sha2::{Digest, Sha256};
        let mut bare = self.clone();
        bare.checksum = None;
        let bytes = serde_json::to_vec(&bare)
            .map_err(|e| Error::Crypto(format!("slot file encoding failed: {e}")))?;
        Ok(hex::encode(Sha256::digest(&bytes)))
    }

    /// The file as written: current format, with its checksum.
    fn sealed(mut self) -> Result<SlotFile> {
        self.version = FORMAT_VERSION;
        self.checksum = None;
        self.checksum = Some(self.computed_checksum()?);
        Ok(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SlotKind {
    Passphrase,
    Recovery,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Slot {
    kind: SlotKind,
    kdf: Kdf,
    aead: String,
    nonce: String,
    wrapped_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Kdf {
    algorithm: String,
    version: u32,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
}

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

/// Checks a new passphrase against the minimum; the message names the rule, never the passphrase.
pub fn check_new_passphrase(passphrase: &SecretString) -> Result<()> {
    let chars = passphrase.expose_secret().chars().count();
    if chars < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid_because(
            "passphrase_short",
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

fn passphrase_bytes(passphrase: &SecretString) -> &[u8] {
    passphrase.expose_secret().as_bytes()
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

#[cfg(unix)]
fn set_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    // Best effort: the content is encrypted anyway; this only keeps other local users from listing it.
    let mode = if path.is_dir() { 0o700 } else { 0o600 };
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_private(_path: &Path) {}

/// The slot file an open starts from, and whether both copies on disk already hold exactly it.
struct LoadedSlots {
    file: SlotFile,
    in_step: bool,
}

/// Reads and checks both slot copies, telling apart a missing directory, a directory that is not a vault, a
/// half-written vault and one from a newer format. Of the intact copies the highest generation wins; a damaged copy
/// is used only when no intact one exists (and then nothing opens).
fn read_slots(dir: &Path) -> Result<LoadedSlots> {
    if !dir.exists() {
        return Err(Error::VaultState(format!(
            "no vault at '{}': the directory does not exist (create one with `redress-cli init`)",
            shown_path(dir)
        )));
    }
    if !dir.is_dir() {
        return Err(Error::VaultState(format!(
            "'{}' is not a directory, so it is not a vault",
            shown_path(dir)
        )));
    }
    let primary_path = dir.join(SLOTS_FILE);
    let copy_path = dir.join(SLOTS_COPY_FILE);
    if !primary_path.exists() && !copy_path.exists() {
        if dir.join(DB_FILE).exists() {
            return Err(Error::VaultState(format!(
                "the vault in '{}' is half-written: it has a journal but no key slots (its creation was interrupted); \
                 create a new vault or restore a backup",
                shown_path(dir)
            )));
        }
        return Err(Error::VaultState(format!(
            "'{}' is not a Redress vault (no {SLOTS_FILE})",
            shown_path(dir)
        )));
    }
    let read = |path: &Path| -> Option<Result<SlotFile>> {
        if !path.exists() {
            return None;
        }
        Some(
            fs::read(path)
                .map_err(|e| Error::io(format!("cannot read '{}'", shown_path(path)), e))
                .and_then(|bytes| parse_slots(&bytes, path)),
        )
    };
    let primary = read(&primary_path);
    let copy = read(&copy_path);
    // A copy written by a newer Redress is refused outright: the other copy must not be used to open (and then
    // rewrite) a vault that a newer version has changed.
    for r in [&primary, &copy] {
        if let Some(Err(Error::VaultState(message))) = r {
            if message.contains("newer Redress") {
                return Err(Error::VaultState(message.clone()));
            }
        }
    }
    let intact = |r: &Option<Result<SlotFile>>| match r {
        Some(Ok(file)) => Some(file.clone()),
        _ => None,
    };
    let best = match (intact(&primary), intact(&copy)) {
        (Some(a), Some(b)) => {
            if b.generation > a.generation {
                b
            } else {
                a
            }
        }
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => {
            // A newer format or a damaged file: say what is wrong with the first copy.
            return match primary.or(copy) {
                Some(Err(e)) => Err(e),
                _ => Err(Error::VaultState(format!("'{}' has no readable key slots", shown_path(dir)))),
            };
        }
    };
    let same = |r: &Option<Result<SlotFile>>| matches!(r, Some(Ok(f)) if *f == best && f.checksum.is_some());
    let in_step = same(&primary) && same(&copy);
    Ok(LoadedSlots { file: best, in_step })
}

fn parse_slots(bytes: &[u8], path: &Path) -> Result<SlotFile> {
    #[derive(Deserialize)]
    struct Header {
        format: String,
        version: u32,
    }
    let damaged = |why: String| {
        Error::VaultState(format!(
            "the key slot file '{}' is damaged ({why}); restore a backup",
            shown_path(path)
        ))
    };
    let header: Header = serde_json::from_slice(bytes).map_err(|e| damaged(e.to_string()))?;
    if header.format != FORMAT_NAME {
        return Err(Error::VaultState(format!("'{}' is not a Redress key slot file", shown_path(path))));
    }
    if header.version > FORMAT_VERSION {
        return Err(Error::VaultState(format!(
            "the vault was written by a newer Redress (format {}); this version reads format {FORMAT_VERSION}: \
             update Redress to open it",
            header.version
        )));
    }
    let file: SlotFile = serde_json::from_slice(bytes).map_err(|e| damaged(e.to_string()))?;
    if let Some(sum) = &file.checksum {
        if *sum != file.computed_checksum()? {
            return Err(damaged("its checksum does not match its content".into()));
        }
    } else if header.version >= 2 {
        return Err(damaged("its checksum is missing".into()));
    }
    if file.db.cipher_page_size.count_ones() != 1 || !(512..=65536).contains(&file.db.cipher_page_size) {
        return Err(damaged("invalid cipher page size".into()));
    }
    if !matches!(file.db.cipher_hmac.as_str(), "HMAC_SHA256" | "HMAC_SHA512") {
        return Err(damaged("unknown page MAC".into()));
    }
    if file.db.file.contains(['/', '\\']) || file.db.file.starts_with('.') {
        return Err(damaged("invalid journal file name".into()));
    }
    Ok(file)
}

pub(crate) fn slots_from_backup(bytes: &[u8]) -> Result<DbSettings> {
    Ok(parse_slots(bytes, Path::new("backup"))?.db)
}

/// What opens a vault: its passphrase or its recovery key.
#[derive(Clone, Copy)]
pub enum Unlock<'a> {
    Passphrase(&'a SecretString),
    Recovery(&'a RecoveryKey),
}

impl std::fmt::Debug for Unlock<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unlock::Passphrase(_) => "Unlock::Passphrase(***)",
            Unlock::Recovery(_) => "Unlock::Recovery(***)",
        })
    }
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

/// Unwraps the data key from the slots in a backup's slot file, with the passphrase or the recovery key that was
/// valid when the backup was made.
pub(crate) fn unwrap_from_slot_bytes(bytes: &[u8], secret: Unlock<'_>, origin: &Path) -> Result<DataKey> {
    let file = parse_slots(bytes, origin)?;
    match secret {
        Unlock::Passphrase(p) => unwrap_any(&file, SlotKind::Passphrase, passphrase_bytes(p))?
            .ok_or_else(|| Error::WrongPassphrase(origin.to_owned())),
        Unlock::Recovery(r) => unwrap_any(&file, SlotKind::Recovery, r.secret())?
            .ok_or_else(|| Error::WrongRecoveryKey(origin.to_owned())),
    }
}

/// Writes both slot copies, sealed with their checksum, each atomically: the first copy first (for a re-key, that
/// rename is the commit), then the second. The files hold only wrapped keys, so temporary copies reveal nothing.
fn write_slots(dir: &Path, slots: SlotFile) -> Result<SlotFile> {
    let sealed = slots.sealed()?;
    let bytes = serde_json::to_vec_pretty(&sealed)
        .map_err(|e| Error::Crypto(format!("slot file encoding failed: {e}")))?;
    write_atomically(&dir.join(SLOTS_FILE), &bytes)?;
    write_atomically(&dir.join(SLOTS_COPY_FILE), &bytes)?;
    Ok(sealed)
}

/// Installs a backup's slot file as both copies of a restored vault.
pub(crate) fn install_slots(dir: &Path, bytes: &[u8]) -> Result<()> {
    let file = parse_slots(bytes, Path::new("backup"))?;
    write_slots(dir, file).map(|_| ())
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

/// Writes a slot file through the crate's atomic writer: an unnamed (or exclusive, no-follow) temporary file in the
/// same folder, fsync, rename over the old one, fsync the folder. The file holds only wrapped keys.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::files::write(path, None, bytes)?;
    set_private(path);
    Ok(())
}

fn slot_aad(vault_id: &str, kind: SlotKind) -> Vec<u8> {
    let kind = match kind {
        SlotKind::Passphrase => "passphrase",
        SlotKind::Recovery => "recovery",
    };
    format!("redress keyslot v1|{vault_id}|{kind}").into_bytes()
}

fn derive(secret: &[u8], salt: &[u8], params: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let p = Params::new(params.memory_kib, params.iterations, params.parallelism, Some(32))
        .map_err(|e| Error::Crypto(format!("key slot has invalid Argon2id parameters: {e}")))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, p);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(secret, salt, out.as_mut())
        .map_err(|e| Error::Crypto(format!("key derivation failed: {e}")))?;
    Ok(out)
}

fn wrap(vault_id: &str, kind: SlotKind, secret: &[u8], key: &DataKey, params: KdfParams) -> Result<Slot> {
    let mut salt = [0u8; 16];
    random_bytes(&mut salt)?;
    let mut nonce = [0u8; 24];
    random_bytes(&mut nonce)?;
    let kek = derive(secret, &salt, params)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let aad = slot_aad(vault_id, kind);
    let wrapped = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.expose(), aad: &aad })
        .map_err(|_| Error::Crypto("wrapping the data key failed".into()))?;
    Ok(Slot {
        kind,
        kdf: Kdf { algorithm: "argon2id".into(), version: 0x13, params, salt: hex::encode(salt) },
        aead: "xchacha20poly1305".into(),
        nonce: hex::encode(nonce),
        wrapped_key: hex::encode(wrapped),
    })
}

/// Tries each slot of `kind`; `Ok(None)` means the secret opened none of them.
fn unwrap_any(file: &SlotFile, kind: SlotKind, secret: &[u8]) -> Result<Option<DataKey>> {
    let mut seen = false;
    for slot in file.slots.iter().filter(|s| s.kind == kind) {
        seen = true;
        if slot.kdf.algorithm != "argon2id" || slot.kdf.version != 0x13 || slot.aead != "xchacha20poly1305" {
            return Err(Error::VaultState(
                "a key slot uses an algorithm this version of Redress does not know; update Redress".into(),
            ));
        }
        let bad = || Error::VaultState("a key slot is damaged (bad hex); restore a backup".into());
        let salt = hex::decode(&slot.kdf.salt).map_err(|_| bad())?;
        let nonce = hex::decode(&slot.nonce).map_err(|_| bad())?;
        let wrapped = hex::decode(&slot.wrapped_key).map_err(|_| bad())?;
        if nonce.len() != 24 || salt.len() < 8 {
            return Err(bad());
        }
        // Refuse absurd costs from a tampered file rather than exhaust memory.
        if slot.kdf.params.memory_kib > 4 * 1024 * 1024 || slot.kdf.params.iterations > 64 {
            return Err(Error::VaultState("a key slot asks for an unreasonable key-derivation cost".into()));
        }
        let kek = derive(secret, &salt, slot.kdf.params)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let aad = slot_aad(&file.vault_id, kind);
        if let Ok(plain) = cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &wrapped, aad: &aad }) {
            let plain = Zeroizing::new(plain);
            return DataKey::from_slice(&plain).map(Some);
        }
    }
    if !seen {
        return Err(Error::VaultState("the vault has no key slot of that kind".into()));
    }
    Ok(None)
}
