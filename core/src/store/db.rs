//! The journal's SQLCipher file: opening and keying a connection (every open gives the same page size and MAC,
//! from `DbSettings`), the numbered migrations, transactions, and the whole-file export a re-key writes. The one
//! decision to know: a migration that has shipped is never edited (`migrations/` is a stored format): add the next.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};

use super::{Clock, Journal};
use crate::error::{Error, Result};
use crate::files::Progress;
use crate::secret::DataKey;
use crate::text::shown_path;

/// How the journal file is opened: its name in the vault folder and the SQLCipher settings that must be given on
/// every open. Stored in the vault's slot file (a stored format: do not change a field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DbSettings {
    pub(crate) file: String,
    pub(crate) cipher_page_size: u32,
    /// SQLCipher's per-page MAC; like the page size it must be given on every open.
    pub(crate) cipher_hmac: String,
}

/// The numbered schema migrations. Never edit one that has shipped: add the next.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_journal.sql"),
    include_str!("migrations/0002_ccf_requests.sql"),
    include_str!("migrations/0003_disclosures.sql"),
    include_str!("migrations/0004_search_secure_delete.sql"),
    include_str!("migrations/0005_recognised_text.sql"),
];

/// SQLCipher's memory security: every allocation of the library is overwritten when freed, so the dequoted hex key
/// SQLite's parser copies for each `PRAGMA key` and the decrypted pages do not linger in freed heap memory (review
/// M8). Off by default in SQLCipher 4.20. Its mlock of each allocation is compiled out (`OMIT_MEMLOCK`,
/// `.cargo/config.toml`): two system calls per allocation made search three times slower, for a lock that freeing
/// a neighbour on the same page undid.
const MEMORY_SECURITY: &str = "PRAGMA cipher_memory_security = ON;";

pub(crate) fn open_connection(
    path: &Path,
    key: &DataKey,
    db: &DbSettings,
    create: bool,
) -> Result<Connection> {
    sqlcipher_ready()?;
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| Error::VaultState(format!("cannot open the journal '{}': {e}", shown_path(path))))?;
    let check = {
        // Process-wide and one-way (it can only be switched on); the probe above already did, this keeps it so
        // should another library have started SQLCipher in this process first.
        conn.execute_batch(MEMORY_SECURITY)?;
        conn.execute_batch(&key.pragma_key())?;
        conn.execute_batch(&format!(
            "PRAGMA cipher_page_size = {}; PRAGMA cipher_hmac_algorithm = {};",
            db.cipher_page_size, db.cipher_hmac
        ))?;
        // The first read proves the key and page size match the file.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
    };
    if let Err(e) = check {
        return Err(Error::VaultState(format!(
            "the journal '{}' cannot be read with this vault's key ({e}); it is damaged or from another vault",
            shown_path(path)
        )));
    }
    conn.execute_batch(
        "PRAGMA journal_mode = DELETE;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    Ok(conn)
}

/// Waits, once per process, until SQLCipher has finished starting. SQLite marks itself initialised *before* it
/// runs SQLCipher's own start-up (`SQLITE_EXTRA_INIT`: private heap, OpenSSL's random generator), so a second
/// thread that opens its first connection meanwhile finds SQLCipher not ready, and its `PRAGMA key` fails with
/// "PRAGMA key requires a key of one or more characters" (seen in CI; shown every time by holding the first thread
/// inside `sqlcipher_extra_init` under gdb). Every connection of ours passes here first: the first caller opens a
/// probe connection (which runs the start-up in this thread) and keys it; the others wait on the `OnceLock`.
fn sqlcipher_ready() -> Result<()> {
    static READY: std::sync::OnceLock<std::result::Result<(), String>> = std::sync::OnceLock::new();
    let probe = || -> std::result::Result<(), String> {
        // Another library in the process could have started SQLite first and still be inside the start-up: retry
        // for a bounded time rather than fail a vault open.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        // A throwaway key for an empty in-memory database: nothing is stored under it or derived from it.
        let key = DataKey::from_slice(&[0u8; 32]).map_err(|e| e.to_string())?;
        loop {
            let attempt = Connection::open_in_memory().and_then(|conn| {
                // Before the first key of this process: its parse leaves no copy behind either.
                conn.execute_batch(MEMORY_SECURITY)?;
                conn.execute_batch(&key.pragma_key())?;
                conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
            });
            match attempt {
                Ok(_) => return Ok(()),
                Err(e) if std::time::Instant::now() >= deadline => return Err(e.to_string()),
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(2)),
            }
        }
    };
    READY
        .get_or_init(probe)
        .clone()
        .map_err(|why| Error::VaultState(format!("the encryption library (SQLCipher) did not start: {why}")))
}

impl Journal {
    pub(crate) fn create(
        path: &Path,
        key: &DataKey,
        db: &DbSettings,
        clock: Box<dyn Clock>,
    ) -> Result<Journal> {
        let conn = open_connection(path, key, db, true)?;
        let mut journal = Journal { conn, clock };
        journal.migrate()?;
        journal.record_vault_event("created")?;
        Ok(journal)
    }

    pub(crate) fn open(
        path: &Path,
        key: &DataKey,
        db: &DbSettings,
        clock: Box<dyn Clock>,
    ) -> Result<Journal> {
        let conn = open_connection(path, key, db, false)?;
        let mut journal = Journal { conn, clock };
        journal.migrate()?;
        Ok(journal)
    }

    /// Swaps the journal's connection (a re-key moves the journal to its new file); returns the previous one.
    pub(crate) fn replace_connection(&mut self, conn: Connection) -> Connection {
        std::mem::replace(&mut self.conn, conn)
    }

    /// Writes the whole journal into a new SQLCipher file `path` under `key` (`sqlcipher_export`), for a re-key.
    /// The export runs on a scoped thread so that `progress` (bytes of the new file, of about `total`) is called
    /// here, and cancelling interrupts it. The caller removes the file when this fails.
    pub(crate) fn export_to(
        &mut self,
        path: &Path,
        key: &DataKey,
        db: &DbSettings,
        total: u64,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<()> {
        let Some(target) = path.to_str() else {
            return Err(Error::VaultState(format!(
                "the vault folder '{}' has a name that is not valid UTF-8; move the vault to re-encrypt it",
                shown_path(path)
            )));
        };
        let version = self.schema_version()?;
        // The journal's connection may not create files (it opened an existing one), and an attached database
        // inherits that: create the new file empty (SQLite reads a 0-byte file as an empty database), private.
        let mut create = std::fs::OpenOptions::new();
        create.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
        create.open(path).map_err(|e| Error::io(format!("cannot create '{}'", shown_path(path)), e))?;
        self.conn.execute(
            "ATTACH DATABASE ?1 AS rekeyed KEY ?2",
            rusqlite::params![target, key.raw_key_literal().as_str()],
        )?;
        let result = (|| -> Result<()> {
            self.conn.execute_batch(&format!(
                "PRAGMA rekeyed.cipher_page_size = {}; PRAGMA rekeyed.cipher_hmac_algorithm = {};
                 PRAGMA foreign_keys = OFF;",
                db.cipher_page_size, db.cipher_hmac
            ))?;
            let interrupt = self.conn.get_interrupt_handle();
            let conn = &mut self.conn;
            let mut cancelled = false;
            let exported = std::thread::scope(|scope| {
                let export =
                    scope.spawn(move || conn.query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(())));
                while !export.is_finished() {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    let done = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0).min(total);
                    if !cancelled && !progress(Progress { done, total }) {
                        cancelled = true;
                        interrupt.interrupt();
                    }
                }
                export.join()
            });
            let exported =
                exported.map_err(|_| Error::VaultState("the re-encryption stopped unexpectedly".into()))?;
            if cancelled {
                return Err(Error::Cancelled);
            }
            exported?;
            self.conn.execute_batch(&format!("PRAGMA rekeyed.user_version = {version};"))?;
            progress(Progress { done: total, total });
            Ok(())
        })();
        let restored = self.conn.execute_batch("PRAGMA foreign_keys = ON; DETACH DATABASE rekeyed;");
        result?;
        restored?;
        Ok(())
    }

    /// The folder of the journal database: the vault folder (imports and exports keep out of it).
    pub(crate) fn vault_dir(&self) -> PathBuf {
        self.conn
            .path()
            .map(|p| Path::new(p).parent().unwrap_or(Path::new(".")).to_owned())
            .unwrap_or_default()
    }

    /// The schema version of this journal (number of applied migrations).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let current: i64 = self.schema_version()?;
        let known = MIGRATIONS.len() as i64;
        if current > known {
            return Err(Error::VaultState(format!(
                "the journal was written by a newer Redress (schema {current}); this version knows schema {known}: \
                 update Redress to open it"
            )));
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", index + 1))?;
            tx.commit()?;
        }
        Ok(())
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn begin(&mut self) -> Result<Transaction<'_>> {
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}
