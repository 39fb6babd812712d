//! Full-text search (FTS5, unicode61 tokenizer: Latin and Cyrillic fold case) across the records of every kind.
//! Index rows are written in the same transaction as the record they mirror, with the text each record's module
//! gives (`Indexed`): the index knows no record's fields. A record may also have a second row, the text
//! recognised in its file (`texts`), found as the record itself. A trashed record has no index row.

use rusqlite::{params, Transaction};
use serde::Serialize;

use super::{Journal, Kind};
use crate::error::Result;

/// What the search index holds for a record: a title and a body of searchable words.
#[derive(Debug, Default)]
pub(crate) struct Indexed {
    pub title: String,
    pub body: String,
}

fn rowid(kind: Kind, id: i64) -> i64 {
    let code = match kind {
        Kind::Profile => 1,
        Kind::Evidence => 2,
        Kind::Event => 3,
        Kind::Contact => 4,
        Kind::Deadline => 5,
        Kind::Request => 6,
        Kind::Disclosure => 7,
    };
    (code << 40) | id
}

/// The row of the text recognised in a record's file, beside the record's own row.
fn text_rowid(kind: Kind, id: i64) -> i64 {
    rowid(kind, id) | (1 << 48)
}

pub(crate) fn index(tx: &Transaction<'_>, kind: Kind, id: i64, indexed: &Indexed) -> Result<()> {
    tx.execute("DELETE FROM search WHERE rowid = ?1", [rowid(kind, id)])?;
    tx.execute(
        "INSERT INTO search (rowid, kind, record_id, title, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![rowid(kind, id), kind.name(), id, indexed.title, indexed.body],
    )?;
    // A recognised text row carries the record's title, so a hit in it is listed by name.
    tx.execute(
        "UPDATE search SET title = ?1 WHERE rowid = ?2",
        params![indexed.title, text_rowid(kind, id)],
    )?;
    Ok(())
}

/// Indexes `text`, recognised in record `id`'s file, under the record's title; nothing while the record has no
/// row of its own (it is in the trash).
pub(crate) fn index_text(tx: &Transaction<'_>, kind: Kind, id: i64, text: &str) -> Result<()> {
    tx.execute("DELETE FROM search WHERE rowid = ?1", [text_rowid(kind, id)])?;
    tx.execute(
        "INSERT INTO search (rowid, kind, record_id, title, body)
         SELECT ?1, kind, record_id, title, ?2 FROM search WHERE rowid = ?3",
        params![text_rowid(kind, id), text, rowid(kind, id)],
    )?;
    Ok(())
}

/// Removes a record's rows: its own and its recognised text's.
pub(crate) fn remove(tx: &Transaction<'_>, kind: Kind, id: i64) -> Result<()> {
    tx.execute("DELETE FROM search WHERE rowid IN (?1, ?2)", [rowid(kind, id), text_rowid(kind, id)])?;
    Ok(())
}

/// One search result.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: Kind,
    #[ts(type = "number")]
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
    /// Finds records whose words start with every word of `text`, best matches first; a record found both in its
    /// fields and in its recognised text is listed once, where it matched best.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>> {
        let query = fts_query(text);
        if query.is_empty() {
            return Ok(Vec::new());
        }
        // FTS5's snippet() runs for every match before the sort; the excerpt is cut here, for the rows shown only.
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, record_id, title, body FROM search WHERE search MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![query, 2 * limit as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut hits = Vec::new();
        for row in rows {
            let (kind, id, title, body) = row?;
            if let Some(kind) = Kind::from_name(&kind) {
                if hits.len() < limit && !hits.iter().any(|h: &Hit| h.kind == kind && h.id == id) {
                    hits.push(Hit { kind, id, title, snippet: excerpt(&body, &words) });
                }
            }
        }
        Ok(hits)
    }
}

/// About 12 words of `body` around the first word that starts with one of `words`.
fn excerpt(body: &str, words: &[String]) -> String {
    let tokens: Vec<&str> = body.split_whitespace().collect();
    let at = tokens
        .iter()
        .position(|t| {
            let t = t.to_lowercase();
            let t = t.trim_matches(|c: char| !c.is_alphanumeric());
            words.iter().any(|w| t.starts_with(w.as_str()))
        })
        .unwrap_or(0);
    let from = at.saturating_sub(4);
    let to = (from + 12).min(tokens.len());
    let mut out = tokens[from..to].join(" ");
    if from > 0 {
        out.insert_str(0, "… ");
    }
    if to < tokens.len() {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn typed_text_cannot_inject_fts_syntax() {
        assert_eq!(fts_query("Иван \"OR\" NEAR(x"), "\"Иван\"* \"OR\"* \"NEAR\"* \"x\"*");
        assert_eq!(fts_query("  ***  "), "");
    }

    #[test]
    fn excerpts_centre_on_the_first_match() {
        let body = "one two three four five six seven Прокурор eight nine ten eleven twelve thirteen fourteen fifteen";
        let e = super::excerpt(body, &["прок".to_owned()]);
        assert!(e.starts_with("… four") && e.contains("Прокурор") && e.ends_with('…'), "{e}");
    }
}
