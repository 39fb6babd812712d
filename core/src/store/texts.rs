//! Text recognised in a record's file (OCR of a scan), page by page, in versions. A run is written only when it
//! has finished (every page read, or its failure named), in one transaction with its audit entry and its search
//! row, so a cancelled or killed run leaves the record as it was and partial text is never shown as complete. A
//! new run adds a version and keeps the earlier ones; search reads the newest. The store knows no record kind and
//! no word format: `scan` (a layer up) runs the OCR and hands the pages here, the words as opaque JSON.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::chain::stamp;
use super::search;
use super::{append, Journal, Kind};
use crate::error::{Error, Result};

/// One page of a run, as stored: the page picture's size, its text, its words (JSON, written by `scan`), or why
/// the page has no text (a code a UI translates, and the reader's words).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPage {
    pub page: u32,
    pub width: u32,
    pub height: u32,
    pub text: String,
    pub words: String,
    /// For a page of a PDF: where its picture stands on the page (JSON, written by `scan`), when known.
    pub placement: Option<String>,
    pub problem: Option<String>,
    pub detail: String,
}

/// One run, as listed: its version, the languages it read and when.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextVersion {
    pub version: u32,
    pub languages: String,
    pub at: String,
    pub pages: u32,
}

impl Journal {
    /// Stores a finished run for record `id` as its next version and makes its text searchable. Refused for a
    /// record that does not exist or is in the trash.
    pub(crate) fn save_recognised(
        &mut self,
        kind: Kind,
        id: i64,
        languages: &str,
        pages: &[StoredPage],
    ) -> Result<u32> {
        let at = self.now();
        let tx = self.begin()?;
        let trashed: Option<Option<String>> = tx
            .query_row(&format!("SELECT trashed_at FROM {} WHERE id = ?1", kind.table()), [id], |r| r.get(0))
            .optional()?;
        match trashed {
            None => return Err(Error::NotFound { what: kind.what(), id }),
            Some(Some(_)) => {
                return Err(Error::invalid(
                    kind.what(),
                    format!("{id} is in the trash; restore it before reading its text"),
                ))
            }
            Some(None) => {}
        }
        let version: u32 = tx.query_row(
            "SELECT coalesce(max(version), 0) + 1 FROM recognised WHERE kind = ?1 AND record_id = ?2",
            params![kind.name(), id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO recognised (kind, record_id, version, languages, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![kind.name(), id, version, languages, stamp(at)],
        )?;
        let run = tx.last_insert_rowid();
        for p in pages {
            tx.execute(
                "INSERT INTO recognised_page
                 (recognised_id, page, width, height, text, words, placement, problem, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![run, p.page, p.width, p.height, p.text, p.words, p.placement, p.problem, p.detail],
            )?;
        }
        // The audit entry names the run and fixes its text by hash; the text itself is not copied into the chain.
        let payload = serde_json::json!({
            "version": version,
            "languages": languages,
            "pages": pages.len(),
            "text_sha256": text_hash(pages.iter().map(|p| (p.page, p.text.as_str()))),
        })
        .to_string();
        append(&tx, at, "recognise", kind.name(), Some(id), Some(&payload))?;
        index_newest(&tx, kind, id)?;
        tx.commit()?;
        Ok(version)
    }

    /// The runs stored for record `id`, oldest first.
    pub fn text_versions(&self, kind: Kind, id: i64) -> Result<Vec<TextVersion>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.version, r.languages, r.at, count(p.page) FROM recognised r
             LEFT JOIN recognised_page p ON p.recognised_id = r.id
             WHERE r.kind = ?1 AND r.record_id = ?2 GROUP BY r.id ORDER BY r.version",
        )?;
        let rows = stmt.query_map(params![kind.name(), id], |r| {
            Ok(TextVersion { version: r.get(0)?, languages: r.get(1)?, at: r.get(2)?, pages: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The pages of run `version` of record `id` (the newest when `None`), with the version; `None` when the
    /// record has no recognised text (or no such version).
    pub fn recognised_pages(
        &self,
        kind: Kind,
        id: i64,
        version: Option<u32>,
    ) -> Result<Option<(TextVersion, Vec<StoredPage>)>> {
        let versions = self.text_versions(kind, id)?;
        let chosen = match version {
            Some(v) => versions.into_iter().find(|t| t.version == v),
            None => versions.into_iter().last(),
        };
        let Some(chosen) = chosen else { return Ok(None) };
        let pages = pages_of(&self.conn, kind, id, chosen.version)?;
        Ok(Some((chosen, pages)))
    }
}

fn pages_of(conn: &rusqlite::Connection, kind: Kind, id: i64, version: u32) -> Result<Vec<StoredPage>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.page, p.width, p.height, p.text, p.words, p.placement, p.problem, p.detail FROM recognised_page p
         JOIN recognised r ON r.id = p.recognised_id
         WHERE r.kind = ?1 AND r.record_id = ?2 AND r.version = ?3 ORDER BY p.page",
    )?;
    let rows = stmt.query_map(params![kind.name(), id, version], |r| {
        Ok(StoredPage {
            page: r.get(0)?,
            width: r.get(1)?,
            height: r.get(2)?,
            text: r.get(3)?,
            words: r.get(4)?,
            placement: r.get(5)?,
            problem: r.get(6)?,
            detail: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Puts the newest run's text of record `id` in the search index (after a run, and when the record comes back
/// from the trash).
pub(crate) fn index_newest(tx: &Transaction<'_>, kind: Kind, id: i64) -> Result<()> {
    let newest: Option<u32> = tx.query_row(
        "SELECT max(version) FROM recognised WHERE kind = ?1 AND record_id = ?2",
        params![kind.name(), id],
        |r| r.get(0),
    )?;
    let Some(version) = newest else { return Ok(()) };
    let pages = pages_of(tx, kind, id, version)?;
    let text: Vec<&str> = pages.iter().map(|p| p.text.as_str()).collect();
    search::index_text(tx, kind, id, &text.join("\n"))
}

/// The hash the audit entry of a run keeps of its text: each page's number and text, in page order.
fn text_hash<'a>(pages: impl Iterator<Item = (u32, &'a str)>) -> String {
    let mut hash = Sha256::new();
    for (page, text) in pages {
        hash.update(page.to_le_bytes());
        hash.update(text.as_bytes());
        hash.update([0]);
    }
    hex::encode(hash.finalize())
}

/// For `verify`: every run an audit entry records (and no purge has erased) must be there with the text whose
/// hash the entry keeps, and no run may be there that no entry records.
pub(crate) fn verify(conn: &rusqlite::Connection, problems: &mut Vec<super::Problem>) -> Result<()> {
    let mut recorded = std::collections::BTreeSet::new();
    let mut stmt = conn.prepare(
        "SELECT seq, entity, entity_id, payload FROM audit WHERE action = 'recognise' AND payload IS NOT NULL",
    )?;
    let entries = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?))
    })?;
    for entry in entries {
        let (seq, entity, id, payload) = entry?;
        let value: serde_json::Value = serde_json::from_str(&payload).unwrap_or_default();
        let (Some(version), Some(kind)) = (value["version"].as_u64(), Kind::from_name(&entity)) else {
            continue;
        };
        let version = u32::try_from(version).unwrap_or(u32::MAX);
        recorded.insert((entity.clone(), id, version));
        let pages = pages_of(conn, kind, id, version)?;
        let what = format!("the text recognised in {} {id} (version {version})", kind.what());
        let message = if pages.is_empty() {
            format!("{what} is missing: it was removed outside Redress")
        } else if value["text_sha256"].as_str()
            != Some(&text_hash(pages.iter().map(|p| (p.page, p.text.as_str()))))
        {
            format!("{what} differs from what audit entry {seq} recorded: it was changed outside Redress")
        } else {
            continue;
        };
        problems.push(super::Problem { entry: Some(seq), message });
    }
    let mut stmt = conn.prepare("SELECT kind, record_id, version FROM recognised")?;
    let runs =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, u32>(2)?)))?;
    for run in runs {
        let run = run?;
        if !recorded.contains(&run) {
            problems.push(super::Problem {
                entry: None,
                message: format!(
                    "recognised text of {} {} (version {}) has no audit entry: it was added outside Redress",
                    run.0, run.1, run.2
                ),
            });
        }
    }
    Ok(())
}

/// Erases every run of record `id` (with the record, when it is purged).
pub(crate) fn erase(tx: &Transaction<'_>, kind: Kind, id: i64) -> Result<()> {
    tx.execute(
        "DELETE FROM recognised_page WHERE recognised_id IN
         (SELECT id FROM recognised WHERE kind = ?1 AND record_id = ?2)",
        params![kind.name(), id],
    )?;
    tx.execute("DELETE FROM recognised WHERE kind = ?1 AND record_id = ?2", params![kind.name(), id])?;
    Ok(())
}
