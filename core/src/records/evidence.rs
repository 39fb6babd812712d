//! Evidence: files stored inside the encrypted journal (as `blobs`, 1 MiB chunks) with their metadata, each import
//! streamed in one pass that also computes the SHA-256, in one transaction with its audit entry, so a crash
//! mid-import leaves nothing half-visible. Memory stays bounded whatever the file size; the type is sniffed from
//! the content, never from the name.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::dates::FuzzyDate;
use crate::error::{Error, Reason, Result};
use crate::files::ensure_free_space;
use crate::places;
use crate::records::translations::TranslationOf;
use crate::store::blobs;
use crate::store::{append, canonical, Indexed, Journal, Kind};
use crate::text::{self, shown, shown_path};

pub use crate::files::Progress;
pub use crate::store::blobs::{BlobReader as EvidenceReader, CHUNK_SIZE};

/// Stored state of an evidence item. Hashed into the audit chain: do not change a field. A field added later is
/// left out of the stored form while empty (`translation`), so the states stored before it keep their bytes.
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
    /// Set when the item is a translation of another (`translations`); left out of the stored form otherwise, so
    /// the state of an item that is not a translation keeps the bytes (and audit hashes) it always had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub translation: Option<TranslationOf>,
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
        std::io::ErrorKind::NotFound => Error::invalid_because(
            Reason::MissingFile,
            "file",
            format!("'{}' does not exist", shown_path(path)),
        ),
        std::io::ErrorKind::PermissionDenied => Error::invalid_because(
            Reason::Unreadable,
            "file",
            format!("'{}' cannot be read: permission denied", shown_path(path)),
        ),
        _ => Error::io(format!("cannot read '{}'", shown_path(path)), e),
    })?;
    if meta.is_dir() {
        return Err(Error::invalid_because(
            Reason::IsFolder,
            "file",
            format!("'{}' is a folder; choose the files inside it instead", shown_path(path)),
        ));
    }
    if !meta.is_file() {
        return Err(Error::invalid_because(
            Reason::NotRegular,
            "file",
            format!("'{}' is not a regular file", shown_path(path)),
        ));
    }
    let raw_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = text::line("file name", &raw_name).map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid_because(
            Reason::ForbiddenChar,
            "file name",
            format!("'{}' {message}; rename the file and import it again", shown(&raw_name)),
        ),
        other => other,
    })?;
    if meta.len() == 0 {
        return Err(Error::invalid_because(
            Reason::EmptyFile,
            "file",
            format!("evidence file '{}' is 0 bytes; nothing was imported", shown(&name)),
        ));
    }
    File::open(path).map_err(|e| {
        Error::invalid_because(
            Reason::Unreadable,
            "file",
            format!("'{}' cannot be read: {e}", shown_path(path)),
        )
    })?;
    Ok(Source { path: path.to_owned(), name, size: meta.len() })
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
        language: places::language_list(&text::optional_line("language", &meta.language)?),
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

impl Journal {
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
                Reason::Unreadable,
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
        let mut done: u64 = 0;
        let mut mime = String::new();
        let (blob, digest) = blobs::insert(&tx, file, |chunk| {
            if done == 0 {
                mime = sniff(chunk);
            }
            done += chunk.len() as u64;
            if progress(Progress { done, total: source.size.max(done) }) {
                Ok(())
            } else {
                Err(Error::Cancelled)
            }
        })
        .map_err(|e| match e {
            Error::Io { source: err, .. } => Error::io(
                format!("reading '{}' failed after {done} bytes; nothing was imported", shown(&source.name)),
                err,
            ),
            other => other,
        })?;
        if done == 0 {
            return Err(Error::invalid_because(
                Reason::EmptyFile,
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
        blobs::finish(&tx, blob, &digest, done, &mime)?;
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
            translation: None,
        };
        let json = canonical(&state)?;
        tx.execute(
            "INSERT INTO evidence (blob_id, state, sort_key) VALUES (?1, ?2, ?3)",
            params![blob, json, sort_key(&state)],
        )?;
        let id = tx.last_insert_rowid();
        append(&tx, at, "import", Kind::Evidence.name(), Some(id), Some(&json))?;
        crate::store::search::index(&tx, Kind::Evidence, id, &indexed(&state))?;
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
        self.save_evidence_state(id, &state)
    }

    /// Stores as codes the languages of items written before languages were kept as codes (issue 14 §4), each as
    /// a new version; a part that names no language stays as typed. Returns how many changed.
    pub(crate) fn evidence_places_as_codes(&mut self) -> Result<usize> {
        let mut changed = 0;
        for item in self.list_evidence(false)? {
            let language = places::language_list(&item.state.language);
            if language != item.state.language {
                let mut state = item.state;
                state.language = language;
                self.save_evidence_state(item.id, &state)?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// Stores a new version of an item's state (audited as an edit; refused while the item is in the trash).
    pub(crate) fn save_evidence_state(&mut self, id: i64, state: &EvidenceState) -> Result<()> {
        self.update_record(Kind::Evidence, id, state, &sort_key(state), indexed(state))
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
        let sha = blobs::write_to(&self.conn, id, output.file(), out, item.state.size, progress)?;
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

    /// Reads `len` bytes of an item's content from `offset` (for previews streamed to the window).
    pub fn read_evidence_range(&self, id: i64, offset: u64, len: usize) -> Result<Vec<u8>> {
        blobs::read_range(&self.conn, id, offset, len)
    }
}
