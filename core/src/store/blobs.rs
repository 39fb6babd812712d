//! Blobs: the bytes of an evidence file, stored inside the encrypted journal as 1 MiB chunks, written in one pass
//! that also computes the SHA-256, read back by range (by the journal's connection or by extra `BlobReader`s, one
//! per core), and re-hashed by `verify`. A blob is reached through the evidence row that points at it; what the
//! file *is* (its name, type, metadata) is the evidence module's business, never this one's.

use std::io::{Read, Write};
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Transaction, MAIN_DB};
use sha2::{Digest, Sha256};

use super::chain::Problem;
use crate::error::{Error, Result};
use crate::files::Progress;
use crate::text::shown_path;

/// Size of one stored chunk; 1 MiB measured fastest with 64 KiB cipher pages (README, Benchmarks).
pub const CHUNK_SIZE: usize = 1024 * 1024;

/// Reads until `buf` is full or the file ends; returns the bytes read.
fn read_full(reader: &mut (impl Read + ?Sized), buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Reads `file` in `CHUNK_SIZE` chunks on a second thread that also computes the SHA-256, and hands each chunk to
/// `store` on this thread, so hashing overlaps with SQLCipher's encryption (two cores: ~1.3x the single-thread
/// rate). At most four chunks exist at once, so memory stays bounded; every buffer is zeroed before it is freed.
fn read_hashed(file: &mut (dyn Read + Send), mut store: impl FnMut(&[u8]) -> Result<()>) -> Result<[u8; 32]> {
    use std::sync::mpsc::sync_channel;
    const BUFFERS: usize = 4;
    let (full_tx, full_rx) = sync_channel::<std::io::Result<Vec<u8>>>(BUFFERS);
    let (empty_tx, empty_rx) = sync_channel::<Vec<u8>>(BUFFERS);
    for _ in 0..BUFFERS {
        let _ = empty_tx.send(vec![0u8; CHUNK_SIZE]);
    }
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut hasher = Sha256::new();
            while let Ok(mut buf) = empty_rx.recv() {
                buf.resize(CHUNK_SIZE, 0);
                match read_full(file, &mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        buf.truncate(n);
                        hasher.update(&buf);
                        if full_tx.send(Ok(buf)).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = full_tx.send(Err(e));
                        break;
                    }
                }
            }
            <[u8; 32]>::from(hasher.finalize())
        });
        // The receiving ends live in this block so that leaving it early (error, cancel) stops the reader.
        let stored = (|| -> Result<()> {
            let (full_rx, empty_tx) = (full_rx, empty_tx);
            for chunk in full_rx.iter() {
                let mut chunk = chunk.map_err(|e| Error::io("reading the file failed", e))?;
                let result = store(&chunk);
                chunk.fill(0);
                result?;
                let _ = empty_tx.send(chunk);
            }
            Ok(())
        })();
        let digest =
            reader.join().map_err(|_| Error::Integrity("the file reader stopped unexpectedly".into()))?;
        stored.map(|()| digest)
    })
}

/// Stores all that `file` yields as a new blob in the caller's transaction: a blob row without its hash yet, then
/// one chunk row per `CHUNK_SIZE` bytes. `each` sees every chunk once it is stored and may stop the import with an
/// error (a cancel). Returns the blob's id and the SHA-256 of its content, for `finish`.
///
/// Each chunk row is inserted as a `zeroblob` and filled through SQLite's incremental blob I/O, straight into the
/// cipher's page buffers: bound as a parameter, the chunk would be copied twice into SQLite's own allocations
/// (the bound value, then the record), each overwritten by SQLCipher's memory security when freed, which cost
/// a quarter to two fifths of the import's time (README, Benchmarks).
pub(crate) fn insert(
    tx: &Transaction<'_>,
    file: &mut (dyn Read + Send),
    mut each: impl FnMut(&[u8]) -> Result<()>,
) -> Result<(i64, [u8; 32])> {
    tx.execute("INSERT INTO blob (sha256, size, mime) VALUES (NULL, 0, 'application/octet-stream')", [])?;
    let blob = tx.last_insert_rowid();
    let mut seq: i64 = 0;
    let mut insert =
        tx.prepare_cached("INSERT INTO blob_chunk (blob_id, seq, data) VALUES (?1, ?2, zeroblob(?3))")?;
    let digest = read_hashed(file, |chunk| {
        insert.execute(params![blob, seq, chunk.len() as i64])?;
        tx.blob_open(MAIN_DB, c"blob_chunk", c"data", tx.last_insert_rowid(), false)?
            .write_all_at(chunk, 0)?;
        seq += 1;
        each(chunk)
    })?;
    Ok((blob, digest))
}

/// Gives a blob stored by `insert` its hash, size and type.
pub(crate) fn finish(
    tx: &Transaction<'_>,
    blob: i64,
    digest: &[u8; 32],
    size: u64,
    mime: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE blob SET sha256 = ?1, size = ?2, mime = ?3 WHERE id = ?4",
        params![digest.to_vec(), size as i64, mime, blob],
    )?;
    Ok(())
}

/// Writes the whole content of evidence item `id` to `file` (named `out` in messages), hashing it on the way;
/// `progress` gets bytes written of `total`, and returning `false` cancels. Returns the SHA-256 written.
pub(crate) fn write_to(
    conn: &Connection,
    id: i64,
    mut file: impl Write,
    out: &Path,
    total: u64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<String> {
    let mut hasher = Sha256::new();
    let mut done = 0u64;
    // One buffer of a chunk's size for every chunk, wiped when dropped.
    let mut buf = zeroize::Zeroizing::new(vec![0u8; CHUNK_SIZE]);
    let (blob, _) = blob_of(conn, id)?;
    for_each_chunk(conn, (id, blob), 0, |chunk| {
        let data = buf.get_mut(..chunk.len()).ok_or_else(|| damaged(id))?;
        chunk.read_at_exact(data, 0).map_err(|_| damaged(id))?;
        hasher.update(&*data);
        file.write_all(data).map_err(|e| Error::io(format!("writing '{}' failed", shown_path(out)), e))?;
        done += data.len() as u64;
        if progress(Progress { done, total }) {
            Ok(true)
        } else {
            Err(Error::Cancelled)
        }
    })?;
    Ok(hex::encode(hasher.finalize()))
}

/// Gives `each` a read-only handle on each chunk of blob `blob` (evidence item `id`'s) in order, from chunk
/// `seq` on, until it returns false or the chunks end. Chunks are read through SQLite's incremental blob I/O,
/// straight from the cipher's pages into the caller's buffer: read as a column value, a chunk would first be
/// copied into an allocation of SQLite's own, which SQLCipher's memory security overwrites when freed (a third
/// of the time a bundle spent reading). A chunk row that no longer holds bytes (altered outside Redress) is
/// reported as damaged.
fn for_each_chunk(
    conn: &Connection,
    (id, blob): (i64, i64),
    mut seq: i64,
    mut each: impl FnMut(&rusqlite::blob::Blob<'_>) -> Result<bool>,
) -> Result<()> {
    let mut rowid = conn.prepare_cached("SELECT id FROM blob_chunk WHERE blob_id = ?1 AND seq = ?2")?;
    let mut handle: Option<rusqlite::blob::Blob<'_>> = None;
    while let Some(row) = rowid.query_row(params![blob, seq], |r| r.get::<_, i64>(0)).optional()? {
        let chunk = match handle.as_mut() {
            Some(h) => h.reopen(row).map(|()| h),
            None => conn.blob_open(MAIN_DB, c"blob_chunk", c"data", row, true).map(|h| handle.insert(h)),
        }
        .map_err(|_| damaged(id))?;
        if chunk.len() > CHUNK_SIZE {
            return Err(damaged(id));
        }
        if !each(chunk)? {
            break;
        }
        seq += 1;
    }
    Ok(())
}

/// The blob row of evidence item `id` and its size in bytes.
fn blob_of(conn: &Connection, id: i64) -> Result<(i64, u64)> {
    let (blob, size): (i64, i64) = conn
        .query_row(
            "SELECT b.id, b.size FROM evidence e JOIN blob b ON b.id = e.blob_id WHERE e.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(Error::NotFound { what: "evidence item", id })?;
    Ok((blob, u64::try_from(size).unwrap_or(0)))
}

fn damaged(id: i64) -> Error {
    Error::Integrity(format!("a stored chunk of evidence item {id} is damaged; run verify"))
}

/// A second connection to the journal that only reads blobs: several of them let a bundle decrypt exhibits on
/// every core. Opened by `Vault::readers`; it holds no key of its own beyond SQLCipher's.
pub struct BlobReader {
    conn: Connection,
}

impl std::fmt::Debug for BlobReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlobReader(..)")
    }
}

impl BlobReader {
    pub(crate) fn new(conn: Connection) -> BlobReader {
        BlobReader { conn }
    }

    /// `len` bytes of evidence item `id` from its start.
    pub(crate) fn read(&self, id: i64, len: usize) -> Result<Vec<u8>> {
        read_range(&self.conn, id, 0, len)
    }
}

/// `len` bytes of evidence item `id` from `offset` (fewer where the content ends), read straight from the cipher's
/// pages into the result (`for_each_chunk`). The result grows a chunk at a time within the capacity it is given
/// at the start, so it is never reallocated, leaving no copy of the evidence behind in a freed smaller buffer.
pub(crate) fn read_range(conn: &Connection, id: i64, offset: u64, len: usize) -> Result<Vec<u8>> {
    let (blob, size) = blob_of(conn, id)?;
    let left = usize::try_from(size.saturating_sub(offset)).unwrap_or(usize::MAX);
    let want = len.min(left);
    let mut out = Vec::with_capacity(want);
    let mut skip = (offset % CHUNK_SIZE as u64) as usize;
    for_each_chunk(conn, (id, blob), (offset / CHUNK_SIZE as u64) as i64, |chunk| {
        if skip >= chunk.len() {
            return Ok(false);
        }
        let start = out.len();
        let take = (want - start).min(chunk.len() - skip);
        out.resize(start + take, 0);
        chunk.read_at_exact(&mut out[start..], skip).map_err(|_| damaged(id))?;
        skip = 0;
        Ok(out.len() < want)
    })?;
    Ok(out)
}

/// The one field of an evidence row's stored state that the blob check needs: the SHA-256 recorded at import.
/// Only this field is read, so the store does not depend on the evidence record's type.
#[derive(serde::Deserialize)]
struct RecordedHash {
    sha256: String,
}

/// Re-hashes every stored file and compares it with its blob row and the item's recorded state.
pub(crate) fn verify(conn: &Connection, problems: &mut Vec<Problem>) -> Result<usize> {
    let mut items = conn.prepare("SELECT e.id, e.state, b.id, b.sha256, b.size FROM evidence e JOIN blob b ON b.id = e.blob_id ORDER BY e.id")?;
    // Chunks are read through incremental blob I/O, like exports (see `for_each_chunk`): as column values they
    // would each be copied into an allocation that SQLCipher then wipes.
    let mut chunks = conn
        .prepare("SELECT seq, id, typeof(data) = 'blob' FROM blob_chunk WHERE blob_id = ?1 ORDER BY seq")?;
    let mut buf = zeroize::Zeroizing::new(vec![0u8; CHUNK_SIZE]);
    let mut handle: Option<rusqlite::blob::Blob<'_>> = None;
    let mut last_entry = conn.prepare(
        "SELECT max(seq) FROM audit WHERE entity = 'evidence' AND entity_id = ?1 AND action IN ('import', 'edit', 'delete', 'restore')",
    )?;
    type Row = (i64, String, i64, Option<Vec<u8>>, i64);
    let rows: Vec<Row> = items
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut hashed = 0;
    for (id, state, blob, sha, size) in rows {
        let entry: Option<i64> = last_entry.query_row([id], |r| r.get(0))?;
        let mut hasher = Sha256::new();
        let mut total = 0i64;
        let mut expected_seq = 0i64;
        let mut gap = false;
        let mut rows = chunks.query([blob])?;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            if seq != expected_seq {
                gap = true;
            }
            expected_seq = seq + 1;
            // A row altered outside Redress may no longer hold a blob, or one longer than a chunk: it cannot
            // match (import writes whole blobs of at most a chunk).
            let rowid: i64 = row.get(1)?;
            let chunk = if row.get::<_, bool>(2)? {
                // A handle that failed to move to a row is unusable: the next row gets a fresh one.
                if handle.as_mut().is_none_or(|h| h.reopen(rowid).is_err()) {
                    handle = conn.blob_open(MAIN_DB, c"blob_chunk", c"data", rowid, true).ok();
                }
                handle.as_mut()
            } else {
                None
            };
            let read = chunk.and_then(|c| {
                let data = buf.get_mut(..c.len())?;
                c.read_at_exact(data, 0).ok().map(|()| &*data)
            });
            match read {
                Some(data) => {
                    hasher.update(data);
                    total += data.len() as i64;
                }
                None => gap = true,
            }
        }
        hashed += 1;
        let digest = hasher.finalize();
        let recorded = serde_json::from_str::<RecordedHash>(&state).map(|s| s.sha256).unwrap_or_default();
        if gap || total != size || sha.as_deref() != Some(&digest[..]) || recorded != hex::encode(digest) {
            problems.push(Problem {
                entry,
                message: format!(
                    "the stored file of evidence item {id} does not match its SHA-256 (recorded in audit entry {})",
                    entry.map(|e| e.to_string()).unwrap_or_else(|| "?".into())
                ),
            });
        }
    }
    Ok(hashed)
}
