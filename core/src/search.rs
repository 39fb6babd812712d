//! Full-text search (FTS5, unicode61 tokenizer: Latin and Cyrillic fold case) across evidence, chronology,
//! contacts, deadlines and the profile. Index rows are written in the same transaction as the record they mirror.

use rusqlite::{params, Transaction};
use serde::Serialize;

use crate::error::Result;
use crate::journal::{Indexed, Journal, Kind};

fn rowid(kind: Kind, id: i64) -> i64 {
    let code = match kind {
        Kind::Profile => 1,
        Kind::Evidence => 2,
        Kind::Event => 3,
        Kind::Contact => 4,
        Kind::Deadline => 5,
    };
    (code << 40) | id
}

pub(crate) fn index(tx: &Transaction<'_>, kind: Kind, id: i64, indexed: &Indexed) -> Result<()> {
    remove(tx, kind, id)?;
    tx.execute(
        "INSERT INTO search (rowid, kind, record_id, title, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![rowid(kind, id), kind.name(), id, indexed.title, indexed.body],
    )?;
    Ok(())
}

pub(crate) fn remove(tx: &Transaction<'_>, kind: Kind, id: i64) -> Result<()> {
    tx.execute("DELETE FROM search WHERE rowid = ?1", [rowid(kind, id)])?;
    Ok(())
}

/// The index text of a stored state, for re-indexing a record restored from the trash.
pub(crate) fn indexed_for(kind: Kind, state: &str) -> Result<Indexed> {
    let bad = |e: serde_json::Error| crate::error::Error::Integrity(format!("stored state unreadable: {e}"));
    Ok(match kind {
        Kind::Profile => crate::profile::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Evidence => crate::evidence::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Event => crate::chronology::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Contact => crate::contacts::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Deadline => crate::deadlines::indexed(&serde_json::from_str(state).map_err(bad)?),
    })
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    pub title: String,
    pub snippet: String,
}

/// Turns what a person typed into an FTS5 query: every word must match, as a prefix, and no FTS5 syntax
/// (quotes, NEAR, column filters) can be injected.
fn fts_query(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Journal {
    /// Finds records whose words start with every word of `text`, best matches first.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>> {
        let query = fts_query(text);
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, record_id, title, snippet(search, 3, '', '', '…', 12) FROM search
             WHERE search MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![query, limit as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        let mut hits = Vec::new();
        for row in rows {
            let (kind, id, title, snippet) = row?;
            if let Some(kind) = Kind::from_name(&kind) {
                hits.push(Hit { kind, id, title, snippet });
            }
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn typed_text_cannot_inject_fts_syntax() {
        assert_eq!(fts_query("Иван \"OR\" NEAR(x"), "\"Иван\"* \"OR\"* \"NEAR\"* \"x\"*");
        assert_eq!(fts_query("  ***  "), "");
    }
}
