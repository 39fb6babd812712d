//! The vault: a directory holding the SQLCipher journal and `keyslots.json`, the LUKS-like slots that wrap the
//! random data key. The passphrase never keys the database: Argon2id turns it into a key-encryption key that unwraps
//! the data key with XChaCha20-Poly1305. Changing the passphrase rewrites one slot, never the database.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{shown_path, Error, Result};
use crate::journal::{Clock, Journal};
use crate::secret::{random_bytes, DataKey, RecoveryKey};

/// Name of the slot file inside a vault directory.
pub const SLOTS_FILE: &str = "keyslots.json";
/// Name of the SQLCipher journal inside a vault directory.
pub const DB_FILE: &str = "journal.db";
/// The slot-file format this build writes and reads. A newer file is refused, never rewritten.
pub const FORMAT_VERSION: u32 = 1;
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

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SlotFile {
    format: String,
    version: u32,
    vault_id: String,
    db: DbSettings,
    slots: Vec<Slot>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DbSettings {
    pub(crate) file: String,
    pub(crate) cipher_page_size: u32,
    /// SQLCipher's per-page MAC; like the page size it must be given on every open.
    pub(crate) cipher_hmac: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SlotKind {
    Passphrase,
    Recovery,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Slot {
    kind: SlotKind,
    kdf: Kdf,
    aead: String,
    nonce: String,
    wrapped_key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
        write_slots(dir, &slots)?;
        Ok((Vault { dir: dir.to_owned(), key, slots, journal }, recovery))
    }

    /// Opens the vault with its passphrase. A wrong passphrase changes no byte of the vault.
    pub fn open(dir: &Path, passphrase: &SecretString, clock: Box<dyn Clock>) -> Result<Vault> {
        let slots = read_slots(dir)?;
        let key = unwrap_any(&slots, SlotKind::Passphrase, passphrase_bytes(passphrase))?
            .ok_or_else(|| Error::WrongPassphrase(dir.to_owned()))?;
        Self::finish_open(dir, slots, key, clock)
    }

    /// Opens the vault with the printed recovery key.
    pub fn open_with_recovery(dir: &Path, recovery: &RecoveryKey, clock: Box<dyn Clock>) -> Result<Vault> {
        let slots = read_slots(dir)?;
        let key = unwrap_any(&slots, SlotKind::Recovery, recovery.secret())?
            .ok_or_else(|| Error::WrongRecoveryKey(dir.to_owned()))?;
        Self::finish_open(dir, slots, key, clock)
    }

    fn finish_open(dir: &Path, slots: SlotFile, key: DataKey, clock: Box<dyn Clock>) -> Result<Vault> {
        let db = dir.join(&slots.db.file);
        if !db.is_file() {
            return Err(Error::VaultState(format!(
                "the vault in '{}' has key slots but its journal file '{}' is missing; restore it from a backup",
                shown_path(dir),
                slots.db.file
            )));
        }
        let journal = Journal::open(&db, &key, &slots.db, clock)?;
        Ok(Vault { dir: dir.to_owned(), key, slots, journal })
    }

    /// Replaces the passphrase slot: the data key is rewrapped, the database is not touched.
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
        write_slots(&self.dir, &updated)?;
        self.slots = updated;
        self.journal.record_vault_event("passphrase_changed")?;
        Ok(())
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
        crate::journal::open_connection(&self.dir.join(&self.slots.db.file), &self.key, &self.slots.db, false)
    }

    /// Read-only helpers for long exports: `n` more connections to the journal, keyed like the vault's own.
    pub fn evidence_readers(&self, n: usize) -> Result<Vec<crate::evidence::EvidenceReader>> {
        (0..n)
            .map(|_| {
                let conn = crate::journal::open_connection(
                    &self.dir.join(&self.slots.db.file),
                    &self.key,
                    &self.slots.db,
                    false,
                )?;
                Ok(crate::evidence::EvidenceReader { conn })
            })
            .collect()
    }

    /// Exports a bundle (`Journal::export_bundle`), reading the exhibits with one connection per core.
    pub fn export_bundle(
        &mut self,
        spec: &crate::bundle::BundleSpec,
        password: Option<&secrecy::SecretString>,
        out: &Path,
        worker: &crate::pdf::isolate::Worker,
        progress: &mut dyn FnMut(crate::bundle::BundleProgress) -> bool,
    ) -> Result<crate::bundle::BundleReport> {
        let readers = self.evidence_readers(crate::pdf::isolate::Worker::parallelism())?;
        self.journal.export_bundle_reading(spec, password, out, worker, readers, progress)
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

/// Reads and checks the slot file, telling apart a missing directory, a directory that is not a vault, a
/// half-written vault and one from a newer format.
fn read_slots(dir: &Path) -> Result<SlotFile> {
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
    let path = dir.join(SLOTS_FILE);
    if !path.exists() {
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
    let bytes = fs::read(&path).map_err(|e| Error::io(format!("cannot read '{}'", shown_path(&path)), e))?;
    parse_slots(&bytes, &path)
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

pub(crate) fn slots_from_backup(bytes: &[u8]) -> Result<(Vec<u8>, DbSettings)> {
    let file = parse_slots(bytes, Path::new("backup"))?;
    Ok((bytes.to_vec(), file.db))
}

/// Unwraps the data key from the slots in a backup's slot file, with a passphrase.
pub(crate) fn unwrap_from_slot_bytes(
    bytes: &[u8],
    passphrase: &SecretString,
    origin: &Path,
) -> Result<DataKey> {
    let file = parse_slots(bytes, origin)?;
    unwrap_any(&file, SlotKind::Passphrase, passphrase_bytes(passphrase))?
        .ok_or_else(|| Error::WrongPassphrase(origin.to_owned()))
}

/// Writes the slot file atomically: a temporary file in the same directory, fsync, rename, fsync the directory.
/// The file holds only wrapped keys, so the temporary copy reveals nothing.
fn write_slots(dir: &Path, slots: &SlotFile) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(slots)
        .map_err(|e| Error::Crypto(format!("slot file encoding failed: {e}")))?;
    write_atomically(&dir.join(SLOTS_FILE), &bytes)
}

pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    let ctx = || format!("cannot write '{}'", shown_path(path));
    let result = (|| -> std::io::Result<()> {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        set_private(&tmp);
        fs::rename(&tmp, path)?;
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(ctx(), e));
    }
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
