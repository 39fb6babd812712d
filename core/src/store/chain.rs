//! The audit chain: every change appends an entry whose hash covers the previous entry's hash and the SHA-256 of
//! the record's new state as canonical JSON, so a record's versions are its audit payloads. `verify` recomputes
//! the chain, compares every record with its last entry and re-hashes every stored file. The one decision to know:
//! `entry_hash` is a stored format (each entry's hash is on disk): never change it, add a new version of the chain.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Journal, Kind};
use crate::error::Result;

/// Actions whose payload is the record's full state afterwards (the record's versions).
const STATE_ACTIONS: [&str; 5] = ["create", "import", "edit", "delete", "restore"];

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

impl Journal {
    /// Records something that happened to the vault as a whole (created, passphrase changed, backup).
    pub(crate) fn record_vault_event(&mut self, what: &str) -> Result<()> {
        let at = self.now();
        let tx = self.begin()?;
        let payload = serde_json::json!({ "event": what }).to_string();
        append(&tx, at, what, "vault", None, Some(&payload))?;
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
    let files_hashed = super::blobs::verify(conn, &mut problems)?;
    super::texts::verify(conn, &mut problems)?;
    problems.sort_by_key(|p| p.entry.unwrap_or(i64::MAX));
    let head = hex::encode(&expected_prev);
    Ok(VerifyReport { entries, head, records, files_hashed, problems })
}
