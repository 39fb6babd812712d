//! Key slots: the file (`keyslots.json`, and a checked second copy) that holds the random data key wrapped once per
//! secret, LUKS-like. Argon2id turns a passphrase or the recovery key into a key-encryption key that unwraps the
//! data key with XChaCha20-Poly1305; the passphrase never keys the database. The one decision to know: the slot
//! file is a stored format (format 2: generation and checksum): never change a field, add one with a version.

use std::fs;
use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use super::DB_FILE;
use crate::error::{Error, Result};
use crate::secret::{random_bytes, DataKey, RecoveryKey};
use crate::store::DbSettings;
use crate::text::shown_path;

/// Name of the slot file inside a vault directory.
pub const SLOTS_FILE: &str = "keyslots.json";
/// Name of the second copy of the slot file, written after the first and checked on its own (LUKS2 keeps two
/// headers for the same reason): one damaged file never locks the person out, and each repairs the other on open.
pub const SLOTS_COPY_FILE: &str = "keyslots.copy.json";
/// The slot-file format this build writes. Format 1 (no generation, no checksum) is still read; a newer file is
/// refused, never rewritten.
pub const FORMAT_VERSION: u32 = 2;
pub(super) const FORMAT_NAME: &str = "redress-vault";

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
    /// For vaults whose content is fictional or thrown away: the library's tests and the app's demo case. Unlocks
    /// in milliseconds, so a copy's passphrase could be guessed as fast: never for a person's own vault. A build
    /// accepts it only for the demo vault it creates itself, or with the `throwaway-kdf` feature (tests only).
    pub const THROWAWAY: KdfParams = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };
    /// The cheapest passphrase slot written or opened: a passphrase can be guessed, so a copy of the slot file
    /// must cost each guess at least 64 MiB and 2 passes (above OWASP's lowest Argon2id setting, 19 MiB x 2).
    pub const MIN_PASSPHRASE: KdfParams = KdfParams { memory_kib: 64 * 1024, iterations: 2, parallelism: 1 };
    /// The cheapest recovery slot: 128 random bits need no stretching; the floor only catches a mistake.
    pub const MIN_RECOVERY: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
    /// The dearest slot opened or written: beyond it a tampered slot file or a crafted backup would only exhaust
    /// the memory or the patience of the machine (4x the passphrase cost's memory, 5x its passes).
    pub const MAX: KdfParams = KdfParams { memory_kib: 1024 * 1024, iterations: 16, parallelism: 8 };
}

/// Which slot costs are accepted: those for a person's vault, or also `KdfParams::THROWAWAY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Costs {
    Person,
    Throwaway,
}

impl Costs {
    /// What this build accepts from a slot file on disk and for a vault it is asked to create. Only the crate's
    /// own tests and builds with the `throwaway-kdf` feature (which only the test crates' dev-dependencies turn
    /// on) accept the throwaway cost; the app and the CLI as shipped do not, so no bug or caller can write or use
    /// a person's slot that unlocks in milliseconds.
    pub(super) const BUILD: Costs =
        if cfg!(any(test, feature = "throwaway-kdf")) { Costs::Throwaway } else { Costs::Person };
}

/// Checks a slot's cost before it is derived (a slot read) or written: within `KdfParams::MAX` for every slot,
/// at least the floor of its kind for a person's vault. Slot parameters are bound into the key they derive, so a
/// tampered file cannot lower an existing slot's cost; this refuses what a bug, an old build or a crafted file
/// (a backup) would otherwise use silently, and the absurd costs that would exhaust memory.
pub(super) fn check_cost(kind: SlotKind, params: KdfParams, costs: Costs) -> Result<()> {
    let max = KdfParams::MAX;
    if params.memory_kib > max.memory_kib
        || params.iterations > max.iterations
        || params.parallelism == 0
        || params.parallelism > max.parallelism
    {
        return Err(Error::VaultState(format!(
            "a key slot asks for an unreasonable key-derivation cost ({} MiB, {} passes, {} lanes; at most {} MiB, \
             {} passes, {} lanes are accepted): the slot file was altered or is not from Redress; restore a backup",
            params.memory_kib / 1024,
            params.iterations,
            params.parallelism,
            max.memory_kib / 1024,
            max.iterations,
            max.parallelism
        )));
    }
    if costs == Costs::Throwaway && params == KdfParams::THROWAWAY {
        return Ok(());
    }
    let min = match kind {
        SlotKind::Passphrase => KdfParams::MIN_PASSPHRASE,
        SlotKind::Recovery => KdfParams::MIN_RECOVERY,
    };
    if params.memory_kib < min.memory_kib || params.iterations < min.iterations {
        return Err(Error::VaultState(format!(
            "a {} key slot has a key-derivation cost below the minimum ({} KiB, {} passes; at least {} MiB and {} \
             passes are required), so a copy of it could be guessed quickly: it was not written by this version of \
             Redress for a person's vault; restore a backup or open the vault with its recovery key",
            match kind {
                SlotKind::Passphrase => "passphrase",
                SlotKind::Recovery => "recovery",
            },
            params.memory_kib,
            params.iterations,
            min.memory_kib / 1024,
            min.iterations
        )));
    }
    Ok(())
}

/// The slot file. A stored format: do not change a field; add one with a serde default and a new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct SlotFile {
    pub(super) format: String,
    pub(super) version: u32,
    pub(super) vault_id: String,
    /// Raised by every re-key. Of two intact copies the higher generation is the vault: a copy left behind by an
    /// interrupted re-key is never used to open it (its key no longer opens the current journal anyway).
    #[serde(default)]
    pub(super) generation: u64,
    pub(super) db: DbSettings,
    pub(super) slots: Vec<Slot>,
    /// SHA-256 (hex) of the file's compact JSON without this field, so damage is told apart from a wrong
    /// passphrase before any key derivation. Absent in format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) checksum: Option<String>,
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
pub(super) enum SlotKind {
    Passphrase,
    Recovery,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Slot {
    pub(super) kind: SlotKind,
    pub(super) kdf: Kdf,
    pub(super) aead: String,
    pub(super) nonce: String,
    pub(super) wrapped_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Kdf {
    pub(super) algorithm: String,
    pub(super) version: u32,
    #[serde(flatten)]
    pub(super) params: KdfParams,
    pub(super) salt: String,
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

/// The passphrase as it is hashed into a new slot: Unicode NFC, so the same words typed with precomposed or
/// combining accents (another keyboard layout, input method or system) give the same key.
pub(super) fn passphrase_nfc(passphrase: &SecretString) -> Zeroizing<String> {
    let typed = passphrase.expose_secret();
    secret_copy(typed.nfc(), typed.len())
}

/// The forms an existing slot may have been made from, each once, most likely first: NFC (every slot written since
/// passphrases are normalised), as typed (slots written before), and NFD (a slot written before on a system that
/// composes differently). An ASCII passphrase has one form, so one key derivation.
pub(super) fn passphrase_forms(passphrase: &SecretString) -> Vec<Zeroizing<String>> {
    let typed = passphrase.expose_secret();
    let mut forms = vec![passphrase_nfc(passphrase)];
    for form in [secret_copy(typed.chars(), typed.len()), secret_copy(typed.nfd(), typed.len())] {
        if forms.iter().all(|f| f.as_str() != form.as_str()) {
            forms.push(form);
        }
    }
    forms
}

/// Collects a secret's characters into a buffer large enough never to be reallocated (a reallocation would leave
/// an unzeroed copy behind): a normal form grows a string by at most 4x its bytes.
fn secret_copy(chars: impl Iterator<Item = char>, len: usize) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(len * 4 + 16));
    out.extend(chars);
    out
}

#[cfg(unix)]
pub(super) fn set_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    // Best effort: the content is encrypted anyway; this only keeps other local users from listing it.
    let mode = if path.is_dir() { 0o700 } else { 0o600 };
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
pub(super) fn set_private(_path: &Path) {}

/// The slot file an open starts from, and whether both copies on disk already hold exactly it.
pub(super) struct LoadedSlots {
    pub(super) file: SlotFile,
    pub(super) in_step: bool,
}

/// Reads and checks both slot copies, telling apart a missing directory, a directory that is not a vault, a
/// half-written vault and one from a newer format. Of the intact copies the highest generation wins; a damaged copy
/// is used only when no intact one exists (and then nothing opens).
pub(super) fn read_slots(dir: &Path) -> Result<LoadedSlots> {
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

pub(super) fn parse_slots(bytes: &[u8], path: &Path) -> Result<SlotFile> {
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

/// Unwraps the data key from the slots in a backup's slot file, with the passphrase or the recovery key that was
/// valid when the backup was made.
pub(crate) fn unwrap_from_slot_bytes(bytes: &[u8], secret: Unlock<'_>, origin: &Path) -> Result<DataKey> {
    let file = parse_slots(bytes, origin)?;
    match secret {
        Unlock::Passphrase(p) => unwrap_passphrase(&file, p, Costs::BUILD)?
            .map(|(key, _)| key)
            .ok_or_else(|| Error::WrongPassphrase(origin.to_owned())),
        Unlock::Recovery(r) => unwrap_any(&file, SlotKind::Recovery, r.secret(), Costs::BUILD)?
            .map(|(key, _)| key)
            .ok_or_else(|| Error::WrongRecoveryKey(origin.to_owned())),
    }
}

/// Writes both slot copies, sealed with their checksum, each atomically: the first copy first (for a re-key, that
/// rename is the commit), then the second. The files hold only wrapped keys, so temporary copies reveal nothing.
pub(super) fn write_slots(dir: &Path, slots: SlotFile) -> Result<SlotFile> {
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

/// Writes a slot file through the crate's atomic writer: an unnamed (or exclusive, no-follow) temporary file in the
/// same folder, fsync, rename over the old one, fsync the folder. The file holds only wrapped keys.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::files::write(path, None, bytes)?;
    set_private(path);
    Ok(())
}

pub(super) fn slot_aad(vault_id: &str, kind: SlotKind) -> Vec<u8> {
    let kind = match kind {
        SlotKind::Passphrase => "passphrase",
        SlotKind::Recovery => "recovery",
    };
    format!("redress keyslot v1|{vault_id}|{kind}").into_bytes()
}

pub(super) fn derive(secret: &[u8], salt: &[u8], params: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let p = Params::new(params.memory_kib, params.iterations, params.parallelism, Some(32))
        .map_err(|e| Error::Crypto(format!("key slot has invalid Argon2id parameters: {e}")))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, p);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(secret, salt, out.as_mut())
        .map_err(|e| Error::Crypto(format!("key derivation failed: {e}")))?;
    Ok(out)
}

pub(super) fn wrap(
    vault_id: &str,
    kind: SlotKind,
    secret: &[u8],
    key: &DataKey,
    params: KdfParams,
    costs: Costs,
) -> Result<Slot> {
    check_cost(kind, params, costs)?;
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

/// Tries the passphrase slots with each form of the passphrase (`passphrase_forms`); returns the key and, when the
/// slot was made from a form other than NFC, that slot's cost (the caller re-wraps it in NFC).
pub(super) fn unwrap_passphrase(
    file: &SlotFile,
    passphrase: &SecretString,
    costs: Costs,
) -> Result<Option<(DataKey, Option<KdfParams>)>> {
    for (n, form) in passphrase_forms(passphrase).iter().enumerate() {
        if let Some((key, params)) = unwrap_any(file, SlotKind::Passphrase, form.as_bytes(), costs)? {
            return Ok(Some((key, (n > 0).then_some(params))));
        }
    }
    Ok(None)
}

/// Tries each slot of `kind`; `Ok(None)` means the secret opened none of them. Returns the key with the cost of
/// the slot that opened.
pub(super) fn unwrap_any(
    file: &SlotFile,
    kind: SlotKind,
    secret: &[u8],
    costs: Costs,
) -> Result<Option<(DataKey, KdfParams)>> {
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
        // Before any derivation: no absurd cost from a tampered file, no cost below the floor.
        check_cost(kind, slot.kdf.params, costs)?;
        let kek = derive(secret, &salt, slot.kdf.params)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let aad = slot_aad(&file.vault_id, kind);
        if let Ok(plain) = cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &wrapped, aad: &aad }) {
            let plain = Zeroizing::new(plain);
            return DataKey::from_slice(&plain).map(|key| Some((key, slot.kdf.params)));
        }
    }
    if !seen {
        return Err(Error::VaultState("the vault has no key slot of that kind".into()));
    }
    Ok(None)
}
