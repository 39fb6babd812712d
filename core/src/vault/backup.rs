//! Backup and restore. A backup is one file: a header, the vault's key slots, a consistent copy of the encrypted
//! journal (SQLite's online backup, so the vault stays open) and an HMAC-SHA-256 tag keyed from the data key.
//! Restore refuses a truncated or altered file, and reports success only after the chain and every file verify.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use hmac::{Hmac, Mac};
use rusqlite::backup::Backup;
use secrecy::SecretString;
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::files::{self, ensure_free_space, Progress};
use crate::secret::DataKey;
use crate::store::{open_connection, Clock, VerifyReport};
use crate::text::shown_path;
use crate::vault::{self, Unlock, Vault, SLOTS_COPY_FILE, SLOTS_FILE};

const MAGIC: &[u8; 16] = b"REDRESS-BACKUP\0\x01";
const TAG_LEN: u64 = 32;
const MAX_SLOTS_LEN: u64 = 1024 * 1024;

type HmacSha256 = Hmac<Sha256>;

fn mac_for(key: &DataKey) -> Result<HmacSha256> {
    let mut derive = HmacSha256::new_from_slice(key.expose())
        .map_err(|_| Error::Crypto("backup key derivation failed".into()))?;
    derive.update(b"redress backup mac v1");
    let mut mac_key = zeroize::Zeroizing::new([0u8; 32]);
    mac_key.copy_from_slice(&derive.finalize().into_bytes());
    HmacSha256::new_from_slice(mac_key.as_ref())
        .map_err(|_| Error::Crypto("backup key derivation failed".into()))
}

impl Vault {
    /// Writes a backup of the open vault to `out` and returns its size in bytes. An existing file there is
    /// replaced only once the new backup is complete and synced (the app and the CLI ask the person first), so a
    /// cancel or a failure leaves it as it was. `out` may not be a symlink or lie inside the vault folder.
    pub fn backup(&mut self, out: &Path, progress: &mut dyn FnMut(Progress) -> bool) -> Result<u64> {
        let output = files::Output::create(out, Some(self.dir()))?;
        let db_size = fs::metadata(self.dir().join(&self.db_settings().file)).map(|m| m.len()).unwrap_or(0);
        ensure_free_space(output.folder(), db_size * 2 + 1024 * 1024, "the backup")?;
        self.journal_mut().record_vault_event("backup")?;
        let snapshot = files::Scratch::beside(&output)?;
        let size = self.write_backup(snapshot.path(), &output, out, progress)?;
        drop(snapshot);
        output.commit()?;
        Ok(size)
    }

    fn write_backup(
        &self,
        snapshot: &Path,
        output: &files::Output,
        out: &Path,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<u64> {
        // 1. A consistent copy of the journal, still encrypted with the same key, while the vault stays open.
        // The copy is scratch: no rollback journal, so nothing but the (locked) snapshot lies beside the target.
        {
            let mut dst = open_connection(snapshot, self.data_key(), self.db_settings(), true)?;
            dst.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
            let backup = Backup::new(&self.journal().conn, &mut dst)?;
            backup.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
        }
        // 2. The container: header, slots, journal copy, tag.
        let slots = self.slots_json()?;
        let db_len =
            fs::metadata(snapshot).map_err(|e| Error::io("cannot read the backup snapshot", e))?.len();
        let mut mac = mac_for(self.data_key())?;
        let io = |e| Error::io(format!("cannot write '{}'", shown_path(out)), e);
        let mut w = BufWriter::with_capacity(1024 * 1024, output.file());
        let mut written = 0u64;
        let mut put = |w: &mut BufWriter<&File>, bytes: &[u8], mac: &mut HmacSha256| -> Result<()> {
            mac.update(bytes);
            written += bytes.len() as u64;
            w.write_all(bytes).map_err(io)
        };
        put(&mut w, MAGIC, &mut mac)?;
        put(&mut w, &(slots.len() as u64).to_be_bytes(), &mut mac)?;
        put(&mut w, &slots, &mut mac)?;
        put(&mut w, &db_len.to_be_bytes(), &mut mac)?;
        let mut src = File::open(snapshot).map_err(|e| Error::io("cannot read the backup snapshot", e))?;
        let mut buf = vec![0u8; 1024 * 1024];
        let mut done = 0u64;
        loop {
            let n = src.read(&mut buf).map_err(|e| Error::io("cannot read the backup snapshot", e))?;
            if n == 0 {
                break;
            }
            put(&mut w, &buf[..n], &mut mac)?;
            done += n as u64;
            if !progress(Progress { done, total: db_len }) {
                return Err(Error::Cancelled);
            }
        }
        if done != db_len {
            return Err(Error::Backup("the journal changed size while it was copied; try again".into()));
        }
        let tag = mac.finalize().into_bytes();
        w.write_all(&tag).map_err(io)?;
        w.flush().map_err(io)?;
        Ok(written + tag.len() as u64)
    }
}

/// Restores a backup into a new vault directory `dir` (missing or empty), with the passphrase that was valid
/// when the backup was made. Succeeds only if the tag, the audit chain and every evidence file verify.
pub fn restore(
    backup: &Path,
    dir: &Path,
    passphrase: &SecretString,
    clock: Box<dyn Clock>,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<(Vault, VerifyReport)> {
    restore_with(backup, dir, Unlock::Passphrase(passphrase), clock, progress)
}

/// As `restore`, with the passphrase or the recovery key that was valid when the backup was made (someone who
/// changed the passphrase since and forgot the old one still has the recovery key of that day).
pub fn restore_with(
    backup: &Path,
    dir: &Path,
    secret: Unlock<'_>,
    clock: Box<dyn Clock>,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<(Vault, VerifyReport)> {
    let name = shown_path(backup);
    let file = File::open(backup)
        .map_err(|e| Error::invalid("backup file", format!("'{name}' cannot be read: {e}")))?;
    let len = file.metadata().map_err(|e| Error::io(format!("cannot read '{name}'"), e))?.len();
    let mut r = BufReader::with_capacity(1024 * 1024, file);
    let truncated = |expected: u64| {
        Error::Backup(format!("backup '{name}' is truncated: it should be at least {expected} bytes but is {len}; use another copy"))
    };
    let mut magic = [0u8; 16];
    if len < 16 + 8 {
        if len >= 16 {
            r.read_exact(&mut magic).map_err(|e| Error::io(format!("cannot read '{name}'"), e))?;
            if &magic == MAGIC {
                return Err(truncated(16 + 8 + 8 + TAG_LEN));
            }
        }
        return Err(Error::Backup(format!("'{name}' is not a Redress backup")));
    }
    r.read_exact(&mut magic).map_err(|e| Error::io(format!("cannot read '{name}'"), e))?;
    if &magic != MAGIC {
        return Err(Error::Backup(format!("'{name}' is not a Redress backup (or one from a newer version)")));
    }
    let mut n8 = [0u8; 8];
    r.read_exact(&mut n8).map_err(|e| Error::io(format!("cannot read '{name}'"), e))?;
    let slots_len = u64::from_be_bytes(n8);
    if slots_len > MAX_SLOTS_LEN {
        return Err(Error::Backup(format!("backup '{name}' is damaged: its header is invalid")));
    }
    if len < 16 + 8 + slots_len + 8 + TAG_LEN {
        return Err(truncated(16 + 8 + slots_len + 8 + TAG_LEN));
    }
    let mut slots = vec![0u8; slots_len as usize];
    r.read_exact(&mut slots).map_err(|e| Error::io(format!("cannot read '{name}'"), e))?;
    r.read_exact(&mut n8).map_err(|e| Error::io(format!("cannot read '{name}'"), e))?;
    let db_len = u64::from_be_bytes(n8);
    let expected = (16u64 + 8 + slots_len + 8).checked_add(db_len).and_then(|v| v.checked_add(TAG_LEN));
    match expected {
        Some(e) if e == len => {}
        Some(e) if e > len => return Err(truncated(e)),
        _ => {
            return Err(Error::Backup(format!(
                "backup '{name}' is damaged: its length does not match its header"
            )))
        }
    }
    let settings = vault::slots_from_backup(&slots)?;
    let key = vault::unwrap_from_slot_bytes(&slots, secret, backup)?;
    let mut mac = mac_for(&key)?;
    mac.update(MAGIC);
    mac.update(&slots_len.to_be_bytes());
    mac.update(&slots);
    mac.update(&db_len.to_be_bytes());

    let created = !dir.exists();
    vault::prepare_empty_dir(dir)?;
    ensure_free_space(dir, db_len + 1024 * 1024, "restoring the backup")?;
    let cleanup = || {
        let _ = fs::remove_file(dir.join(&settings.file));
        let _ = fs::remove_file(dir.join(format!("{}-journal", settings.file)));
        let _ = fs::remove_file(dir.join(SLOTS_FILE));
        let _ = fs::remove_file(dir.join(SLOTS_COPY_FILE));
        if created {
            let _ = fs::remove_dir(dir);
        }
    };
    let result = (|| -> Result<(Vault, VerifyReport)> {
        let db_path = dir.join(&settings.file);
        let io = |e| Error::io(format!("cannot write '{}'", shown_path(&db_path)), e);
        let mut out = BufWriter::with_capacity(1024 * 1024, File::create(&db_path).map_err(io)?);
        let mut remaining = db_len;
        let mut buf = vec![0u8; 1024 * 1024];
        while remaining > 0 {
            let want = remaining.min(buf.len() as u64) as usize;
            r.read_exact(&mut buf[..want]).map_err(|e| Error::io(format!("cannot read '{name}'"), e))?;
            mac.update(&buf[..want]);
            out.write_all(&buf[..want]).map_err(io)?;
            remaining -= want as u64;
            if !progress(Progress { done: db_len - remaining, total: db_len }) {
                return Err(Error::Cancelled);
            }
        }
        let mut tag = [0u8; TAG_LEN as usize];
        r.read_exact(&mut tag).map_err(|e| Error::io(format!("cannot read '{name}'"), e))?;
        if mac.verify_slice(&tag).is_err() {
            return Err(Error::Backup(format!(
                "backup '{name}' was altered or damaged: its authentication tag does not match; nothing was restored"
            )));
        }
        let file = out.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        drop(file);
        vault::install_slots(dir, &slots)?;
        let vault = Vault::open_with(dir, secret, clock)?;
        let report = vault.journal().verify()?;
        if let Some(first) = report.problems.first() {
            return Err(Error::Integrity(format!(
                "the restored journal does not verify: {}; nothing was restored",
                first.message
            )));
        }
        Ok((vault, report))
    })();
    if result.is_err() {
        cleanup();
    }
    result
}
