//! The generic record: one table per `Kind`, a row holding the state as canonical JSON and a sort key, created,
//! edited, trashed, restored and purged in one transaction with its audit entry and its search row. Each record
//! module (a layer up) gives the state's type and its search text; this one knows no record's fields. Purging
//! erases the row and the state copies in its audit entries; the chain keeps their hashes, so `verify` passes.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::chain::{append, stamp};
use super::search::{self, Indexed};
use super::Journal;
use crate::error::{Error, Result};

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

    /// The table that holds this kind's rows: its name, except for requests (a stored format: never rename).
    pub(crate) fn table(self) -> &'static str {
        match self {
            Kind::Request => "ccf_request",
            other => other.name(),
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub(crate) fn what(self) -> &'static str {
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

/// A kind by its name (`Kind::name`: evidence, event, contact, deadline, request…), as the app and the CLI take it.
impl std::str::FromStr for Kind {
    type Err = Error;
    fn from_str(name: &str) -> Result<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            Error::invalid(
                "kind",
                format!("'{}' is not one of {}", crate::text::shown(name), names.join(", ")),
            )
        })
    }
}

/// Turns a record's stored state (JSON) into its search text: given by the record's own module on restore.
pub(crate) type IndexText<'a> = dyn Fn(&str) -> Result<Indexed> + 'a;

impl Journal {
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
            search::index(&tx, kind, id, &indexed)?;
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
        search::index(&tx, kind, id, &indexed)?;
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
    pub(crate) fn restore_record(&mut self, kind: Kind, id: i64, index_text: &IndexText<'_>) -> Result<()> {
        self.set_trashed(kind, id, Some(index_text))
    }

    /// Trashes (`restored` is `None`) or restores a record.
    fn set_trashed(&mut self, kind: Kind, id: i64, restored: Option<&IndexText<'_>>) -> Result<()> {
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
            None => search::remove(&tx, kind, id)?,
            Some(index_text) => {
                let indexed = index_text(&state)?;
                search::index(&tx, kind, id, &indexed)?;
                super::texts::index_newest(&tx, kind, id)?;
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
        super::texts::erase(&tx, kind, id)?;
        tx.execute(
            "UPDATE audit SET payload = NULL WHERE entity = ?1 AND entity_id = ?2",
            params![kind.name(), id],
        )?;
        let payload = serde_json::json!({ "purged": true }).to_string();
        append(&tx, at, "purge", kind.name(), Some(id), Some(&payload))?;
        search::remove(&tx, kind, id)?;
        tx.commit()?;
        Ok(())
    }
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
