//! Evidence: files stored inside the encrypted journal as 1 MiB chunks, streamed in one pass that also computes
//! the SHA-256, in one transaction with its audit entry, so a crash mid-import leaves nothing half-visible.
//! Memory stays bounded whatever the file size; the type is sniffed from the content, never from the name.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::dates::FuzzyDate;
use crate::error::{shown, shown_path, Error, Result};
use crate::journal::{append, canonical, Indexed, Journal, Kind, Problem};
use crate::text;

/// Size of one stored chunk; 1 MiB measured fastest with 64 KiB cipher pages (platform notes).
pub const CHUNK_SIZE: usize = 1024 * 1024;

/// Stored state of an evidence item. Hashed into the audit chain: do not change; add a new version.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceState {
    pub title: String,
    pub original_name: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
    pub mime: String,
    #[ts(type = "string | null")]
    pub doc_date: Option<FuzzyDate>,
    pub source: String,
    pub language: String,
    pub description: String,
    pub tags: Vec<String>,
}

/// An evidence item as listed or shown.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceItem {
    #[ts(type = "number")]
    pub id: i64,
    pub trashed: bool,
    #[serde(flatten)]
    pub state: EvidenceState,
}

/// The metadata a person may give (or later edit) for an item. Text fields are validated on the way in.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EvidenceMeta {
    /// Defaults to the file name without its extension.
    pub title: Option<String>,
    /// A fuzzy date (`2019`, `2019-03-14`, `before 2020`); empty for none.
    #[serde(default)]
    pub doc_date: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// What an import stored.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    #[ts(type = "number")]
    pub id: i64,
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
    pub mime: String,
}

/// Progress of a long operation, in bytes.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Progress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// A file checked and ready to import.
#[derive(Debug)]
pub struct Source {
    path: PathBuf,
    name: String,
    size: u64,
}

impl Source {
    pub fn size(&self) -> u64 {
        self.size
    }
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Checks a path before anything is written: it must be a readable, non-empty regular file with a sane name.
pub fn check_source(path: &Path) -> Result<Source> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::invalid_because("missing_file", "file", format!("'{}' does not exist", shown_path(path)))
        }
        std::io::ErrorKind::PermissionDenied => Error::invalid_because(
            "unreadable",
            "file",
            format!("'{}' cannot be read: permission denied", shown_path(path)),
        ),
        _ => Error::io(format!("cannot read '{}'", shown_path(path)), e),
    })?;
    if meta.is_dir() {
        return Err(Error::invalid_because(
            "is_folder",
            "file",
            format!("'{}' is a folder; choose the files inside it instead", shown_path(path)),
        ));
    }
    if !meta.is_file() {
        return Err(Error::invalid_because(
            "not_regular",
            "file",
            format!("'{}' is not a regular file", shown_path(path)),
        ));
    }
    let raw_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = text::line("file name", &raw_name).map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid_because(
            "forbidden_char",
            "file name",
            format!("'{}' {message}; rename the file and import it again", shown(&raw_name)),
        ),
        other => other,
    })?;
    if meta.len() == 0 {
        return Err(Error::invalid_because(
            "empty_file",
            "file",
            format!("evidence file '{}' is 0 bytes; nothing was imported", shown(&name)),
        ));
    }
    File::open(path).map_err(|e| {
        Error::invalid_because("unreadable", "file", format!("'{}' cannot be read: {e}", shown_path(path)))
    })?;
    Ok(Source { path: path.to_owned(), name, size: meta.len() })
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Refuses work that would not fit on the disk that holds `dir`, before anything is written.
pub(crate) fn ensure_free_space(dir: &Path, needed: u64, what: &str) -> Result<()> {
    let available = fs4::available_space(dir)
        .map_err(|e| Error::io(format!("cannot measure free space in '{}'", shown_path(dir)), e))?;
    if needed > available {
        return Err(Error::invalid_because(
            "no_space",
            "disk space",
            format!(
                "{what} needs {} but only {} is free on that disk; nothing was changed",
                human_size(needed),
                human_size(available)
            ),
        ));
    }
    Ok(())
}

/// The MIME type from the first bytes of the content.
pub fn sniff(head: &[u8]) -> String {
    if let Some(kind) = infer::get(head) {
        return kind.mime_type().to_owned();
    }
    let looks_text = !head.contains(&0)
        && match std::str::from_utf8(head) {
            Ok(_) => true,
            // A chunk boundary may cut the last character in two.
            Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
        };
    if looks_text && !head.is_empty() {
        "text/plain".to_owned()
    } else {
        "application/octet-stream".to_owned()
    }
}

pub(crate) fn indexed(state: &EvidenceState) -> Indexed {
    Indexed {
        title: state.title.clone(),
        body: [
            state.original_name.as_str(),
            state.description.as_str(),
            state.source.as_str(),
            &state.tags.join(" "),
            &state.doc_date.map(|d| d.to_string()).unwrap_or_default(),
        ]
        .join("\n"),
    }
}

fn sort_key(state: &EvidenceState) -> String {
    state.doc_date.map(|d| d.sort_key()).unwrap_or_else(|| "9999".into())
}

struct CleanMeta {
    title: String,
    doc_date: Option<FuzzyDate>,
    source: String,
    language: String,
    description: String,
    tags: Vec<String>,
}

fn clean_meta(meta: &EvidenceMeta, default_title: &str) -> Result<CleanMeta> {
    let title = match meta.title.as_deref() {
        Some(t) if !t.trim().is_empty() => text::line("title", t)?,
        _ => text::line("title", default_title)?,
    };
    let doc_date = if meta.doc_date.trim().is_empty() {
        None
    } else {
        Some(FuzzyDate::parse("document date", &meta.doc_date)?)
    };
    Ok(CleanMeta {
        title,
        doc_date,
        source: text::optional_line("source", &meta.source)?,
        language: text::optional_line("language", &meta.language)?,
        description: text::text("description", &meta.description)?,
        tags: text::labels("tags", &meta.tags)?,
    })
}

fn file_stem(name: &str) -> &str {
    match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    }
}

/// Reads until `buf` is full or the file ends; returns the bytes read.
fn fill(reader: &mut (impl Read + ?Sized), buf: &mut [u8]) -> std::io::Result<usize> {
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
                match fill(file, &mut buf) {
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

impl Journal {
    /// The folder of the journal database: the vault folder (imports and exports keep out of it).
    pub(crate) fn vault_dir(&self) -> PathBuf {
        self.conn
            .path()
            .map(|p| Path::new(p).parent().unwrap_or(Path::new(".")).to_owned())
            .unwrap_or_default()
    }

    /// Imports one checked file. `progress` is called after each chunk; returning `false` cancels, and a
    /// cancelled or failed import leaves the journal exactly as it was.
    pub fn import(
        &mut self,
        source: &Source,
        meta: &EvidenceMeta,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<Imported> {
        let mut file = File::open(&source.path).map_err(|e| {
            Error::invalid_because(
                "unreadable",
                "file",
                format!("'{}' cannot be read: {e}", shown_path(&source.path)),
            )
        })?;
        self.import_reader(&source.name, source.size, &mut file, meta, progress)
    }

    /// Imports content from any reader (files, and the demo case's built-in documents) under `name`.
    pub fn import_reader(
        &mut self,
        name: &str,
        size: u64,
        reader: &mut (dyn Read + Send),
        meta: &EvidenceMeta,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<Imported> {
        let name = text::line("file name", name)?;
        let source = Source { path: PathBuf::new(), name, size };
        let clean = clean_meta(meta, file_stem(&source.name))?;
        let dir = self.vault_dir();
        ensure_free_space(
            &dir,
            source.size + source.size / 32 + 32 * 1024 * 1024,
            &format!("importing '{}'", shown(&source.name)),
        )?;
        let file = reader;
        let at = self.now();
        let tx = self.begin()?;
        tx.execute("INSERT INTO blob (sha256, size, mime) VALUES (NULL, 0, 'application/octet-stream')", [])?;
        let blob = tx.last_insert_rowid();
        let mut done: u64 = 0;
        let mut seq: i64 = 0;
        let mut mime = String::new();
        let digest = {
            let mut insert =
                tx.prepare_cached("INSERT INTO blob_chunk (blob_id, seq, data) VALUES (?1, ?2, ?3)")?;
            read_hashed(file, |chunk| {
                if seq == 0 {
                    mime = sniff(chunk);
                }
                insert.execute(params![blob, seq, chunk])?;
                seq += 1;
                done += chunk.len() as u64;
                if progress(Progress { done, total: source.size.max(done) }) {
                    Ok(())
                } else {
                    Err(Error::Cancelled)
                }
            })
            .map_err(|e| match e {
                Error::Io { source: err, .. } => Error::io(
                    format!(
                        "reading '{}' failed after {done} bytes; nothing was imported",
                        shown(&source.name)
                    ),
                    err,
                ),
                other => other,
            })?
        };
        if done == 0 {
            return Err(Error::invalid_because(
                "empty_file",
                "file",
                format!("evidence file '{}' is 0 bytes; nothing was imported", shown(&source.name)),
            ));
        }
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT e.id, e.state FROM blob b JOIN evidence e ON e.blob_id = b.id WHERE b.sha256 = ?1",
                [digest.to_vec()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((existing_id, state)) = existing {
            let existing_title =
                serde_json::from_str::<EvidenceState>(&state).map(|s| s.title).unwrap_or_default();
            return Err(Error::Duplicate { name: shown(&source.name), existing_id, existing_title });
        }
        let sha256 = hex::encode(digest);
        tx.execute(
            "UPDATE blob SET sha256 = ?1, size = ?2, mime = ?3 WHERE id = ?4",
            params![digest.to_vec(), done as i64, mime, blob],
        )?;
        let state = EvidenceState {
            title: clean.title,
            original_name: source.name.clone(),
            sha256: sha256.clone(),
            size: done,
            mime: mime.clone(),
            doc_date: clean.doc_date,
            source: clean.source,
            language: clean.language,
            description: clean.description,
            tags: clean.tags,
        };
        let json = canonical(&state)?;
        tx.execute(
            "INSERT INTO evidence (blob_id, state, sort_key) VALUES (?1, ?2, ?3)",
            params![blob, json, sort_key(&state)],
        )?;
        let id = tx.last_insert_rowid();
        append(&tx, at, "import", Kind::Evidence.name(), Some(id), Some(&json))?;
        crate::search::index(&tx, Kind::Evidence, id, &indexed(&state))?;
        tx.commit()?;
        Ok(Imported { id, sha256, size: done, mime })
    }

    /// One evidence item, trashed or not.
    pub fn evidence(&self, id: i64) -> Result<EvidenceItem> {
        let (state, trashed) = self.get_record::<EvidenceState>(Kind::Evidence, id)?;
        Ok(EvidenceItem { id, trashed, state })
    }

    /// The evidence items, by document date; trashed ones only when asked.
    pub fn list_evidence(&self, include_trashed: bool) -> Result<Vec<EvidenceItem>> {
        Ok(self
            .list_records::<EvidenceState>(Kind::Evidence, include_trashed)?
            .into_iter()
            .map(|(id, state, trashed)| EvidenceItem { id, trashed, state })
            .collect())
    }

    /// Replaces an item's metadata; the prior version stays in its history.
    pub fn edit_evidence(&mut self, id: i64, meta: &EvidenceMeta) -> Result<()> {
        let (mut state, _) = self.get_record::<EvidenceState>(Kind::Evidence, id)?;
        let clean = clean_meta(meta, &state.title)?;
        state.title = clean.title;
        state.doc_date = clean.doc_date;
        state.source = clean.source;
        state.language = clean.language;
        state.description = clean.description;
        state.tags = clean.tags;
        let key = sort_key(&state);
        let idx = indexed(&state);
        self.update_record(Kind::Evidence, id, &state, &key, idx)
    }

    /// Writes the item's original bytes to `out`, created 0600, checking the SHA-256 before the file takes its
    /// name. An existing file there is replaced only then (the app and the CLI ask the person first), so a cancel
    /// or a failure leaves it as it was. `out` may not be a symlink or lie inside the vault folder. Returns the
    /// hash written.
    pub fn export_evidence(
        &mut self,
        id: i64,
        out: &Path,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<String> {
        let item = self.evidence(id)?;
        let output = crate::files::Output::create(out, Some(&self.vault_dir()))?;
        ensure_free_space(output.folder(), item.state.size, &format!("exporting evidence item {id}"))?;
        let sha = self.write_content(id, output.file(), out, item.state.size, progress)?;
        if sha != item.state.sha256 {
            return Err(Error::Integrity(format!(
                "evidence item {id} read back with SHA-256 {sha}, expected {}; nothing was written",
                item.state.sha256
            )));
        }
        output.commit()?;
        let at = self.now();
        let tx = self.begin()?;
        let payload = serde_json::json!({ "exported_sha256": sha }).to_string();
        append(&tx, at, "export", Kind::Evidence.name(), Some(id), Some(&payload))?;
        tx.commit()?;
        Ok(sha)
    }

    fn write_content(
        &self,
        id: i64,
        mut file: &File,
        out: &Path,
        total: u64,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<String> {
        let mut hasher = Sha256::new();
        let mut done = 0u64;
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.data FROM evidence e JOIN blob_chunk c ON c.blob_id = e.blob_id WHERE e.id = ?1 ORDER BY c.seq",
        )?;
        let mut rows = stmt.query([id])?;
        while let Some(row) = rows.next()? {
            let data = row.get_ref(0)?.as_blob().map_err(|_| {
                Error::Integrity(format!("a stored chunk of evidence item {id} is damaged; run verify"))
            })?;
            hasher.update(data);
            file.write_all(data)
                .map_err(|e| Error::io(format!("writing '{}' failed", shown_path(out)), e))?;
            done += data.len() as u64;
            if !progress(Progress { done, total }) {
                return Err(Error::Cancelled);
            }
        }
        Ok(hex::encode(hasher.finalize()))
    }

    /// Reads `len` bytes of an item's content from `offset` (for previews streamed to the window).
    pub fn read_evidence_range(&self, id: i64, offset: u64, len: usize) -> Result<Vec<u8>> {
        read_range(&self.conn, id, offset, len)
    }
}

/// A second connection to the journal that only reads evidence: several of them let a bundle decrypt exhibits
/// on every core. Opened by `Vault::evidence_readers`; it holds no key of its own beyond SQLCipher's.
pub struct EvidenceReader {
    pub(crate) conn: Connection,
}

impl std::fmt::Debug for EvidenceReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EvidenceReader(..)")
    }
}

impl EvidenceReader {
    /// `len` bytes of item `id` from its start.
    pub(crate) fn read(&self, id: i64, len: usize) -> Result<Vec<u8>> {
        read_range(&self.conn, id, 0, len)
    }
}

fn read_range(conn: &Connection, id: i64, offset: u64, len: usize) -> Result<Vec<u8>> {
    let blob: i64 = conn
        .query_row("SELECT blob_id FROM evidence WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or(Error::NotFound { what: "evidence item", id })?;
    let mut out = Vec::with_capacity(len.min(16 * CHUNK_SIZE));
    let mut seq = (offset / CHUNK_SIZE as u64) as i64;
    let mut skip = (offset % CHUNK_SIZE as u64) as usize;
    let mut stmt = conn.prepare_cached("SELECT data FROM blob_chunk WHERE blob_id = ?1 AND seq = ?2")?;
    while out.len() < len {
        // Copied straight from SQLite's row into `out` (no chunk-sized copy in between).
        let mut rows = stmt.query(params![blob, seq])?;
        let Some(row) = rows.next()? else { break };
        let chunk = row.get_ref(0)?.as_blob().map_err(|_| {
            Error::Integrity(format!("a stored chunk of evidence item {id} is damaged; run verify"))
        })?;
        if skip >= chunk.len() {
            break;
        }
        let take = (len - out.len()).min(chunk.len() - skip);
        out.extend_from_slice(&chunk[skip..skip + take]);
        skip = 0;
        seq += 1;
    }
    Ok(out)
}

/// Re-hashes every stored file and compares it with its blob row and the item's recorded state.
pub(crate) fn verify_blobs(conn: &Connection, problems: &mut Vec<Problem>) -> Result<usize> {
    let mut items = conn.prepare("SELECT e.id, e.state, b.id, b.sha256, b.size FROM evidence e JOIN blob b ON b.id = e.blob_id ORDER BY e.id")?;
    let mut chunks = conn.prepare("SELECT seq, data FROM blob_chunk WHERE blob_id = ?1 ORDER BY seq")?;
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
            // A row altered outside Redress may not even hold a blob any more: hash whatever bytes it holds.
            let data = match row.get_ref(1)? {
                rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) => b,
                _ => {
                    gap = true;
                    &[][..]
                }
            };
            hasher.update(data);
            total += data.len() as i64;
        }
        hashed += 1;
        let digest = hasher.finalize();
        let recorded = serde_json::from_str::<EvidenceState>(&state).map(|s| s.sha256).unwrap_or_default();
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
