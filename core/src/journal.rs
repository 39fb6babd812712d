//! The SQLCipher journal: connection, migrations, the records of each kind, and the audit chain.
//! Every change appends an audit entry whose hash covers the previous entry's hash and the SHA-256 of a canonical
//! JSON of the record's new state; a record's versions are its audit payloads, and `verify` recomputes all of it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::secret::DataKey;
use crate::text::shown_path;

/// Where the journal reads the time from. Rule and chain code never reads the clock itself, so tests pin it.
pub trait Clock: Send {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always answers the same instant (tests, reproducible demo data).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The kinds of record the journal holds; each has its own table.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Profile,
    Evidence,
    Event,
    Contact,
    Deadline,
    Request,
    /// A bundle exported for someone: the disclosure log.
    Disclosure,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Profile,
        Kind::Evidence,
        Kind::Event,
        Kind::Contact,
        Kind::Deadline,
        Kind::Request,
        Kind::Disclosure,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Profile => "profile",
            Kind::Evidence => "evidence",
            Kind::Event => "event",
            Kind::Contact => "contact",
            Kind::Deadline => "deadline",
            Kind::Request => "request",
            Kind::Disclosure => "disclosure",
        }
    }

    pub(crate) fn table(self) -> &'static str {
        match self {
            Kind::Profile => "profile",
            Kind::Evidence => "evidence",
            Kind::Event => "event",
            Kind::Contact => "contact",
            Kind::Deadline => "deadline",
            Kind::Request => "ccf_request",
            Kind::Disclosure => "disclosure",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Profile => "case profile",
            Kind::Evidence => "evidence item",
            Kind::Event => "chronology event",
            Kind::Contact => "contact",
            Kind::Deadline => "deadline",
            Kind::Request => "CCF request",
            Kind::Disclosure => "disclosure record",
        }
    }
}

/// Actions whose payload is the record's full state afterwards (the record's versions).
const STATE_ACTIONS: [&str; 5] = ["create", "import", "edit", "delete", "restore"];

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
];

/// What the search index holds for a record: a title and a body of searchable words.
#[derive(Debug, Default)]
pub(crate) struct Indexed {
    pub title: String,
    pub body: String,
}

/// Turns a record's stored state (JSON) into its search text: given by the record's own module on restore.
pub(crate) type IndexText<'a> = dyn Fn(&str) -> Result<Indexed> + 'a;

/// The open journal. Dropping it closes the connection; SQLCipher wipes its copy of the key.
pub struct Journal {
    pub(crate) conn: Connection,
    clock: Box<dyn Clock>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Journal(..)")
    }
}

/// One entry of the audit chain, as shown in a record's history or the recent changes.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub action: String,
    pub entity: String,
    #[ts(type = "number | null")]
    pub entity_id: Option<i64>,
    /// The record's state after the change (for state actions); `None` once the record was purged.
    pub payload: Option<String>,
    pub hash: String,
}

/// What `verify` found.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    #[ts(type = "number")]
    pub entries: i64,
    pub head: String,
    pub records: usize,
    pub files_hashed: usize,
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One integrity failure: the audit entry it concerns (when there is one) and what is wrong.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[ts(type = "number | null")]
    pub entry: Option<i64>,
    pub message: String,
}

pub(crate) fn open_connection(
    path: &Path,
    key: &DataKey,
    db: &DbSettings,
    create: bool,
) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| Error::VaultState(format!("cannot open the journal '{}': {e}", shown_path(path))))?;
    let check = {
        // Keying several connections at once from different threads (tests, the app's preview thread) was seen
        // to fail rarely inside SQLCipher ("error with PRAGMA key"): key one connection at a time.
        static KEYING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one_at_a_time = KEYING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
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
        progress: &mut dyn FnMut(crate::files::Progress) -> bool,
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
                    if !cancelled && !progress(crate::files::Progress { done, total }) {
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
            progress(crate::files::Progress { done: total, total });
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

    /// Records something that happened to the vault as a whole (created, passphrase changed, backup).
    pub(crate) fn record_vault_event(&mut self, what: &str) -> Result<()> {
        let at = self.now();
        let tx = self.begin()?;
        let payload = serde_json::json!({ "event": what }).to_string();
        append(&tx, at, what, "vault", None, Some(&payload))?;
        tx.commit()?;
        Ok(())
    }

    // ----- generic record operations, used by each domain module -----

    pub(crate) fn create_record<S: Serialize>(
        &mut self,
        kind: Kind,
        state: &S,
        sort_key: &str,
        indexed: Indexed,
    ) -> Result<i64> {
        let ids = self.create_records(kind, vec![(canonical(state)?, sort_key.to_owned(), indexed)])?;
        ids.first().copied().ok_or_else(|| Error::Integrity("a record was not created".into()))
    }

    /// Creates many records of one kind in one transaction (one audit entry each): all or none.
    pub(crate) fn create_records(
        &mut self,
        kind: Kind,
        records: Vec<(String, String, Indexed)>,
    ) -> Result<Vec<i64>> {
        let at = self.now();
        let tx = self.begin()?;
        let mut ids = Vec::with_capacity(records.len());
        for (state, sort_key, indexed) in records {
            tx.execute(
                &format!("INSERT INTO {} (state, sort_key) VALUES (?1, ?2)", kind.table()),
                params![state, sort_key],
            )?;
            let id = tx.last_insert_rowid();
            append(&tx, at, "create", kind.name(), Some(id), Some(&state))?;
            crate::search::index(&tx, kind, id, &indexed)?;
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    }

    pub(crate) fn update_record<S: Serialize>(
        &mut self,
        kind: Kind,
        id: i64,
        state: &S,
        sort_key: &str,
        indexed: Indexed,
    ) -> Result<()> {
        let at = self.now();
        let state = canonical(state)?;
        let tx = self.begin()?;
        let trashed = record_trashed(&tx, kind, id)?;
        if trashed {
            return Err(Error::invalid(
                kind.what(),
                format!("{id} is in the trash; restore it before editing"),
            ));
        }
        let previous: String =
            tx.query_row(&format!("SELECT state FROM {} WHERE id = ?1", kind.table()), [id], |r| r.get(0))?;
        if previous == state {
            return Ok(());
        }
        tx.execute(
            &format!("UPDATE {} SET state = ?1, sort_key = ?2 WHERE id = ?3", kind.table()),
            params![state, sort_key, id],
        )?;
        append(&tx, at, "edit", kind.name(), Some(id), Some(&state))?;
        crate::search::index(&tx, kind, id, &indexed)?;
        tx.commit()?;
        Ok(())
    }

    /// Reads a record's state and whether it is in the trash.
    pub(crate) fn get_record<S: DeserializeOwned>(&self, kind: Kind, id: i64) -> Result<(S, bool)> {
        let row: Option<(String, Option<String>)> = self
            .conn
            .query_row(&format!("SELECT state, trashed_at FROM {} WHERE id = ?1", kind.table()), [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let (state, trashed) = row.ok_or(Error::NotFound { what: kind.what(), id })?;
        Ok((decode(kind, id, &state)?, trashed.is_some()))
    }

    /// Every record of a kind in sort-key order, with its id and trash flag.
    pub(crate) fn list_records<S: DeserializeOwned>(
        &self,
        kind: Kind,
        include_trashed: bool,
    ) -> Result<Vec<(i64, S, bool)>> {
        let sql = format!(
            "SELECT id, state, trashed_at IS NOT NULL FROM {} {} ORDER BY sort_key, id",
            kind.table(),
            if include_trashed { "" } else { "WHERE trashed_at IS NULL" }
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, state, trashed) = row?;
            out.push((id, decode(kind, id, &state)?, trashed));
        }
        Ok(out)
    }

    /// Moves a record to the trash: it disappears from lists and search, its content stays until purged.
    pub fn trash(&mut self, kind: Kind, id: i64) -> Result<()> {
        self.set_trashed(kind, id, None)
    }

    /// Brings a record back from the trash; `index_text` turns its stored state into its search text again.
    /// The caller passes it because the store knows no record's type (`Journal::restore` does, a layer up).
    pub(crate) fn restore_record(
        &mut self,
        kind: Kind,
        id: i64,
        index_text: &IndexText<'_>,
    ) -> Result<()> {
        self.set_trashed(kind, id, Some(index_text))
    }

    /// Trashes (`restored` is `None`) or restores a record.
    fn set_trashed(
        &mut self,
        kind: Kind,
        id: i64,
        restored: Option<&IndexText<'_>>,
    ) -> Result<()> {
        let trash = restored.is_none();
        if kind == Kind::Profile {
            return Err(Error::invalid("case profile", "cannot be moved to the trash"));
        }
        let at = self.now();
        let tx = self.begin()?;
        let trashed = record_trashed(&tx, kind, id)?;
        if trashed == trash {
            return Err(Error::invalid(
                kind.what(),
                format!("{id} is {} the trash", if trash { "already in" } else { "not in" }),
            ));
        }
        let stamp = trash.then(|| stamp(at));
        tx.execute(
            &format!("UPDATE {} SET trashed_at = ?1 WHERE id = ?2", kind.table()),
            params![stamp, id],
        )?;
        let state: String =
            tx.query_row(&format!("SELECT state FROM {} WHERE id = ?1", kind.table()), [id], |r| r.get(0))?;
        append(&tx, at, if trash { "delete" } else { "restore" }, kind.name(), Some(id), Some(&state))?;
        match restored {
            None => crate::search::remove(&tx, kind, id)?,
            Some(index_text) => {
                let indexed = index_text(&state)?;
                crate::search::index(&tx, kind, id, &indexed)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Erases a trashed record for good: its row, its stored file (for evidence) and the state copies held in
    /// its audit entries. The chain keeps every entry's hash, so `verify` still passes.
    pub fn purge(&mut self, kind: Kind, id: i64) -> Result<()> {
        let at = self.now();
        let tx = self.begin()?;
        if !record_trashed(&tx, kind, id)? {
            return Err(Error::invalid(
                kind.what(),
                format!("{id} must be in the trash before it can be purged"),
            ));
        }
        if kind == Kind::Evidence {
            let blob: i64 = tx.query_row("SELECT blob_id FROM evidence WHERE id = ?1", [id], |r| r.get(0))?;
            tx.execute("DELETE FROM evidence WHERE id = ?1", [id])?;
            let still_used: i64 =
                tx.query_row("SELECT count(*) FROM evidence WHERE blob_id = ?1", [blob], |r| r.get(0))?;
            if still_used == 0 {
                tx.execute("DELETE FROM blob_chunk WHERE blob_id = ?1", [blob])?;
                tx.execute("DELETE FROM blob WHERE id = ?1", [blob])?;
            }
        } else {
            tx.execute(&format!("DELETE FROM {} WHERE id = ?1", kind.table()), [id])?;
        }
        tx.execute(
            "UPDATE audit SET payload = NULL WHERE entity = ?1 AND entity_id = ?2",
            params![kind.name(), id],
        )?;
        let payload = serde_json::json!({ "purged": true }).to_string();
        append(&tx, at, "purge", kind.name(), Some(id), Some(&payload))?;
        crate::search::remove(&tx, kind, id)?;
        tx.commit()?;
        Ok(())
    }

    /// The audit entries of one record, oldest first: its versions (payloads) and other actions.
    pub fn history(&self, kind: Kind, id: i64) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, action, entity, entity_id, payload, hash FROM audit
             WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq",
        )?;
        let rows = stmt.query_map(params![kind.name(), id], audit_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The newest audit entries, newest first.
    pub fn recent_changes(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, action, entity, entity_id, NULL, hash FROM audit ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], audit_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The hash of the newest audit entry (the chain head) and the number of entries.
    pub fn chain_head(&self) -> Result<(i64, String)> {
        let row: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        Ok(row.map(|(s, h)| (s, hex::encode(h))).unwrap_or((0, hex::encode([0u8; 32]))))
    }

    /// Recomputes the audit chain, compares every record with the state its last audit entry recorded, and
    /// re-hashes every stored file. The report names the entry of each problem found.
    pub fn verify(&self) -> Result<VerifyReport> {
        verify(&self.conn)
    }
}

fn audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        action: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        payload: r.get(5)?,
        hash: hex::encode(r.get::<_, Vec<u8>>(6)?),
    })
}

fn record_trashed(tx: &Transaction<'_>, kind: Kind, id: i64) -> Result<bool> {
    let row: Option<Option<String>> = tx
        .query_row(&format!("SELECT trashed_at FROM {} WHERE id = ?1", kind.table()), [id], |r| r.get(0))
        .optional()?;
    match row {
        None => Err(Error::NotFound { what: kind.what(), id }),
        Some(t) => Ok(t.is_some()),
    }
}

fn decode<S: DeserializeOwned>(kind: Kind, id: i64, state: &str) -> Result<S> {
    serde_json::from_str(state).map_err(|e| {
        Error::Integrity(format!("{} {id} has a stored state this version cannot read: {e}", kind.what()))
    })
}

/// The canonical encoding of a stored state: compact JSON in the struct's field order. Structs hashed into the
/// chain are marked "do not change; add a new version".
pub(crate) fn canonical<S: Serialize>(state: &S) -> Result<String> {
    serde_json::to_string(state).map_err(|e| Error::Integrity(format!("a record could not be encoded: {e}")))
}

pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn payload_hash(payload: &str) -> [u8; 32] {
    Sha256::digest(payload.as_bytes()).into()
}

/// The chain's hash of one entry. Do not change; add a new version of the chain instead.
fn entry_hash(
    prev: &[u8],
    seq: i64,
    at: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    payload_hash: &[u8],
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"redress audit v1\0");
    h.update(prev);
    h.update(seq.to_be_bytes());
    for field in [at, action, entity] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.update(entity_id.unwrap_or(i64::MIN).to_be_bytes());
    h.update(payload_hash);
    h.finalize().into()
}

/// Appends one entry to the chain inside the caller's transaction.
pub(crate) fn append(
    tx: &Transaction<'_>,
    at: DateTime<Utc>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    payload: Option<&str>,
) -> Result<i64> {
    let (prev_seq, prev_hash): (i64, Vec<u8>) = tx
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .unwrap_or((0, vec![0u8; 32]));
    let seq = prev_seq + 1;
    let at = stamp(at);
    let ph = payload_hash(payload.unwrap_or(""));
    let hash = entry_hash(&prev_hash, seq, &at, action, entity, entity_id, &ph);
    tx.execute(
        "INSERT INTO audit (seq, at, action, entity, entity_id, payload, payload_hash, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![seq, at, action, entity, entity_id, payload, ph.to_vec(), prev_hash, hash.to_vec()],
    )?;
    Ok(seq)
}

struct LastState {
    seq: i64,
    action: String,
    payload: Option<String>,
}

fn verify(conn: &Connection) -> Result<VerifyReport> {
    use std::collections::BTreeMap;
    let mut problems = Vec::new();
    let mut last: BTreeMap<(Kind, i64), LastState> = BTreeMap::new();
    let mut expected_prev = vec![0u8; 32];
    let mut expected_seq = 1i64;
    let mut entries = 0i64;
    {
        let mut stmt = conn.prepare(
            "SELECT seq, at, action, entity, entity_id, payload, payload_hash, prev_hash, hash FROM audit ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let at: String = r.get(1)?;
            let action: String = r.get(2)?;
            let entity: String = r.get(3)?;
            let entity_id: Option<i64> = r.get(4)?;
            let payload: Option<String> = r.get(5)?;
            let ph: Vec<u8> = r.get(6)?;
            let prev: Vec<u8> = r.get(7)?;
            let hash: Vec<u8> = r.get(8)?;
            entries += 1;
            if problems.is_empty() {
                if seq != expected_seq {
                    problems.push(Problem {
                        entry: Some(expected_seq),
                        message: format!("audit entry {expected_seq} is missing (the next entry is {seq})"),
                    });
                } else if prev != expected_prev {
                    problems.push(Problem {
                        entry: Some(seq),
                        message: format!("audit entry {seq} does not follow from entry {}", seq - 1),
                    });
                } else if payload.as_deref().is_some_and(|p| payload_hash(p)[..] != ph[..]) {
                    problems.push(Problem {
                        entry: Some(seq),
                        message: format!(
                            "audit entry {seq} was altered: its content does not match its hash"
                        ),
                    });
                } else if entry_hash(&prev, seq, &at, &action, &entity, entity_id, &ph)[..] != hash[..] {
                    problems.push(Problem {
                        entry: Some(seq),
                        message: format!("audit entry {seq} was altered: its hash does not match"),
                    });
                }
            }
            expected_prev = hash;
            expected_seq = seq + 1;
            if let (Some(kind), Some(id)) = (Kind::from_name(&entity), entity_id) {
                if STATE_ACTIONS.contains(&action.as_str()) || action == "purge" {
                    last.insert((kind, id), LastState { seq, action, payload });
                }
            }
        }
    }
    let mut records = 0usize;
    for kind in Kind::ALL {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, state, trashed_at IS NOT NULL FROM {} ORDER BY id",
            kind.table()
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            records += 1;
            let id: i64 = r.get(0)?;
            let state: String = r.get(1)?;
            let trashed: bool = r.get(2)?;
            let Some(entry) = last.remove(&(kind, id)) else {
                problems.push(Problem {
                    entry: None,
                    message: format!("{} {id} has no audit entry: it was added outside Redress", kind.what()),
                });
                continue;
            };
            let consistent = match entry.action.as_str() {
                "purge" => false,
                "delete" => trashed,
                _ => !trashed,
            } && entry.payload.as_deref() == Some(state.as_str());
            if !consistent {
                problems.push(Problem {
                    entry: Some(entry.seq),
                    message: format!(
                        "{} {id} differs from what audit entry {} recorded: it was changed outside Redress",
                        kind.what(),
                        entry.seq
                    ),
                });
            }
        }
    }
    for ((kind, id), entry) in last {
        if entry.action != "purge" {
            problems.push(Problem {
                entry: Some(entry.seq),
                message: format!(
                    "{} {id} recorded by audit entry {} is missing: it was removed outside Redress",
                    kind.what(),
                    entry.seq
                ),
            });
        }
    }
    let files_hashed = crate::blobs::verify(conn, &mut problems)?;
    problems.sort_by_key(|p| p.entry.unwrap_or(i64::MAX));
    let head = hex::encode(&expected_prev);
    Ok(VerifyReport { entries, head, records, files_hashed, problems })
}
