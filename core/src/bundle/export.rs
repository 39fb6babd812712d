//! The export: read every exhibit (on the pool's threads, with one journal connection per core) and check it
//! against its SHA-256, lay the document out until its page numbers settle, merge the exhibits' pages, pictures,
//! links, bookmarks and attachments, write the file beside its target and rename it, then log the disclosure. An
//! export that is not logged is not made; a cancel or a failure leaves an existing file as it was.

use std::fs;
use std::io::Write;
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::document::{document, Cover, PageMap};
use super::exhibits::{exhibit_part, picture, Answer, Body, Part};
use super::plan::{Content, Look, Treatment, HEAD};
use super::spec::BundleSpec;
use super::texts::{fill, texts};
use super::{MAX_PDF, MIN_PASSWORD};
use crate::error::{Error, Reason, Result};
use crate::isolate::{Failure, Input, Job, Mode, Worker};
use crate::pdf::merge::{self, Exhibit, Fill, Mark, Merge, TextLayer, TextWord};
use crate::pdf::{self, picture};
use crate::records::disclosures::{DisclosedItem, DisclosureState};
use crate::store::blobs::BlobReader;
use crate::store::{Journal, Kind};
use crate::text::shown_path;
use crate::vault::Vault;

/// Progress of an export: `done` of `total` steps (one per exhibit, then assembling and writing).
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct BundleProgress {
    pub done: u32,
    pub total: u32,
    /// `reading`, `assembling` or `writing`.
    pub stage: String,
}

/// An exhibit shown as a placeholder because it could not be rendered.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct Placeholder {
    pub number: u32,
    #[ts(type = "number")]
    pub evidence: i64,
    pub title: String,
    /// Why, for a UI to translate: `encrypted`, `unreadable`, `crashed`, `timed_out` or `unavailable`.
    pub code: String,
    /// The reader's own words, where it gave any (untranslated).
    pub detail: String,
    /// Why, in English, with the reader's own words where it gave any.
    pub reason: String,
    /// The SHA-256 of the original, which the placeholder page shows.
    pub sha256: String,
    /// Whether the original is attached (only when the person asked for it, never after a crash or timeout).
    pub attached: bool,
}

/// What an export wrote.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct BundleReport {
    pub file_name: String,
    pub pages: u32,
    pub exhibits: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    pub sha256: String,
    pub encrypted: bool,
    /// Exhibits that could not be rendered (each is a placeholder page with its SHA-256; the original is attached
    /// only where the person asked for it and the reader neither crashed nor timed out on it).
    pub placeholders: Vec<Placeholder>,
    /// How many pictures had metadata removed.
    pub metadata_removed: u32,
    /// The disclosure record written for this export.
    #[ts(type = "number")]
    pub disclosure: i64,
}

/// Builds the bundle and writes it to `out` (through a temporary name beside it, renamed when complete), then
/// records the export in the disclosure log. The exhibits are read with one connection per core (`Vault::readers`),
/// so decrypting is spread over every core too. `progress` returning false cancels; nothing is then written. The
/// one way to export a bundle: the app, the CLI, the benchmarks and the tests all call it.
pub fn export(
    vault: &mut Vault,
    spec: &BundleSpec,
    password: Option<&SecretString>,
    out: &Path,
    worker: &Worker,
    progress: &mut dyn FnMut(BundleProgress) -> bool,
) -> Result<BundleReport> {
    let readers = vault.readers(Worker::parallelism())?;
    vault.journal_mut().export_reading(spec, password, out, worker, readers, progress)
}

impl Journal {
    /// The words OCR recognised in picture item `id` (its newest run), as fractions of the upright picture, for the
    /// bundle's invisible text layer (issue 13 §2); none when it has no recognised text.
    fn recognised_words(&self, id: i64) -> Result<Vec<TextWord>> {
        let Some((_, pages)) = self.recognised_pages(Kind::Evidence, id, None)? else {
            return Ok(Vec::new());
        };
        let Some(page) = pages.into_iter().find(|p| p.page == 1 && p.problem.is_none()) else {
            return Ok(Vec::new());
        };
        text_words(id, &page)
    }

    /// For PDF item `id`: each page (0-based) whose picture OCR read, with its words and where the page places
    /// the picture; a page whose placement is not known gets no layer.
    fn recognised_page_layers(&self, id: i64) -> Result<Vec<(usize, TextLayer)>> {
        let Some((_, pages)) = self.recognised_pages(Kind::Evidence, id, None)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for page in pages.iter().filter(|p| p.problem.is_none()) {
            let Some(placed) = page.placement.as_deref().and_then(|m| serde_json::from_str(m).ok()) else {
                continue;
            };
            out.push((page.page.saturating_sub(1) as usize, (text_words(id, page)?, placed)));
        }
        Ok(out)
    }

    /// `export`, with the extra connections that read the exhibits on the pool's threads.
    fn export_reading(
        &mut self,
        spec: &BundleSpec,
        password: Option<&SecretString>,
        out: &Path,
        worker: &Worker,
        readers: Vec<BlobReader>,
        progress: &mut dyn FnMut(BundleProgress) -> bool,
    ) -> Result<BundleReport> {
        let checked = self.check_spec(spec)?;
        if let Some(p) = password {
            if p.expose_secret().chars().count() < MIN_PASSWORD {
                return Err(Error::invalid_because(
                    Reason::WeakPassword,
                    "bundle password",
                    format!("the passphrase must have at least {MIN_PASSWORD} characters"),
                ));
            }
        }
        // Refused before any work: a symlink, a folder, a place inside the vault.
        crate::files::check_target(out, Some(&self.vault_dir()))?;
        let t = texts(&spec.language)?;
        let total = u32::try_from(checked.exhibits.len()).unwrap_or(u32::MAX).saturating_add(2);
        let mut step = |done: u32, stage: &str| -> Result<()> {
            if progress(BundleProgress { done, total, stage: stage.into() }) {
                Ok(())
            } else {
                Err(Error::Cancelled)
            }
        };

        // 1. Read each exhibit and make it ready (in the isolated worker for PDFs and pictures).
        // This thread reads each item from the journal while the workers parse the ones before it.
        // How each exhibit appears is told from its first bytes, on whichever thread holds them: the whole file
        // is read anyway (to be shown, attached or hash-checked), so no separate pass reads the heads first.
        let look_at = |index: usize, bytes: &[u8]| {
            checked.exhibits.get(index).map(|(_, _, item)| {
                Look::of(item, Content::of(bytes.get(..HEAD).unwrap_or(bytes), &item.state.mime), spec)
            })
        };
        let slots: std::cell::RefCell<Vec<Option<Part>>> =
            std::cell::RefCell::new((0..checked.exhibits.len()).map(|_| None).collect());
        let damaged: std::cell::RefCell<Option<Error>> = std::cell::RefCell::new(None);
        let mut k = 0;
        let load_on_pool = readers.len() >= Worker::parallelism();
        let stripped: std::sync::Mutex<std::collections::HashMap<usize, (picture::Prepared, Vec<u8>)>> =
            Default::default();
        worker.run_batch(
            readers,
            || -> Result<Option<Job>> {
                while let Some((_, number, item)) = checked.exhibits.get(k) {
                    let index = k;
                    k += 1;
                    step(u32::try_from(index).unwrap_or(u32::MAX), "reading")?;
                    // Beyond every limit, a file is neither shown nor attached (but for text): its head says what
                    // the placeholder page calls it, and the rest is not read.
                    if item.state.size > MAX_PDF {
                        let head = self.read_evidence_range(item.id, 0, HEAD)?;
                        let look = Look::of(item, Content::of(&head, &item.state.mime), spec);
                        if !look.reads() {
                            slots.borrow_mut()[index] =
                                Some(exhibit_part(*number, item, &look, None, None, &t));
                            continue;
                        }
                    }
                    // The pool's threads read (with their own connections, when there are) and check each item
                    // against its stored SHA-256, so this thread only hands out the work.
                    let input = if load_on_pool {
                        let len = usize::try_from(item.state.size).map_err(|_| {
                            Error::invalid(
                                "evidence",
                                format!("evidence item {} is too large to read", item.id),
                            )
                        })?;
                        Input::Load { id: item.id, len }
                    } else {
                        Input::Bytes(self.read_unchecked(item)?)
                    };
                    return Ok(Some((index, input)));
                }
                Ok(None)
            },
            |reader, id, len| reader.read(id, len).map_err(|e| e.to_string()),
            |index, bytes| match look_at(index, bytes).map(|l| l.treatment) {
                Some(Treatment::Pages) => Some(Mode::Pdf),
                // A photo that needs no decoding is stripped here, once, and kept for `post` on the same thread
                // (deciding and stripping separately walked every photo twice).
                Some(Treatment::Picture) => match picture::passthrough(bytes) {
                    Some(ready) => {
                        stripped.lock().unwrap_or_else(|p| p.into_inner()).insert(index, ready);
                        None
                    }
                    None => Some(Mode::Picture),
                },
                _ => None,
            },
            |index, input, answer| {
                let Some((_, _, item)) = checked.exhibits.get(index) else { return Answer::Local };
                let input = match input {
                    Ok(input) => input,
                    Err(why) => return Answer::Unread(why.to_owned()),
                };
                if input.len() as u64 != item.state.size {
                    return Answer::Unread(format!(
                        "{} bytes read, {} expected",
                        input.len(),
                        item.state.size
                    ));
                }
                let sha = hex::encode(Sha256::digest(input));
                if sha != item.state.sha256 {
                    return Answer::Damaged(sha);
                }
                let Some(look) = look_at(index, input) else { return Answer::Local };
                match (look.treatment, answer) {
                    (Treatment::Pages, Some(answer)) => Answer::Pages(answer.and_then(|pdf| {
                        Exhibit::load(&pdf).map(Box::new).map_err(|e| Failure::Unreadable(e.to_string()))
                    })),
                    (Treatment::Picture, Some(answer)) => Answer::Picture(answer.and_then(|a| picture(&a))),
                    (Treatment::Picture, None) => Answer::Picture(
                        stripped
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .remove(&index)
                            .ok_or_else(|| Failure::Unreadable("the picture could not be read".into())),
                    ),
                    _ => Answer::Local,
                }
            },
            |index, bytes, answer| {
                let (Some((_, number, item)), Some(look)) =
                    (checked.exhibits.get(index), look_at(index, &bytes))
                else {
                    return;
                };
                match answer {
                    Answer::Damaged(sha) => {
                        *damaged.borrow_mut() = Some(Error::Integrity(format!(
                            "evidence item {} read back with SHA-256 {sha}, expected {}; run verify",
                            item.id, item.state.sha256
                        )));
                        return;
                    }
                    Answer::Unread(why) => {
                        *damaged.borrow_mut() = Some(Error::Integrity(format!(
                            "evidence item {} could not be read: {why}",
                            item.id
                        )));
                        return;
                    }
                    _ => {}
                }
                let answer = if matches!(answer, Answer::Local) { None } else { Some(answer) };
                slots.borrow_mut()[index] = Some(exhibit_part(*number, item, &look, Some(bytes), answer, &t));
            },
        )?;
        if let Some(e) = damaged.into_inner() {
            return Err(e);
        }
        let parts: Vec<Part> = slots.into_inner().into_iter().flatten().collect();
        if parts.len() != checked.exhibits.len() {
            return Err(Error::Integrity("an exhibit was not prepared".into()));
        }
        step(total - 2, "assembling")?;

        // 2. Lay out twice: once to count pages, once with the real numbers.
        let chain = self.chain_head()?;
        let today = self.now().date_naive().format("%Y-%m-%d").to_string();
        let profile = self.profile()?;
        let case = profile
            .as_ref()
            .map(|p| p.name_latin.trim().to_owned())
            .filter(|n| !n.is_empty())
            .map(|n| fill(&t.case_of, &[("name", n)]))
            .unwrap_or_default();
        let cover = Cover {
            case,
            prepared_for: checked.contact_name.clone(),
            date: today,
            chain,
            encrypted: password.is_some(),
        };
        let mut layout = PageMap::default();
        let mut settled = None;
        for pass in 0..4 {
            let (doc, anchors) = document(&spec.language, &t, &cover, &checked, &parts, &layout)?;
            // The first pass only counts; later ones paint, since their numbers usually hold.
            let laid = if pass == 0 { pdf::lay_out(&doc)? } else { pdf::render(&doc)? };
            let next = PageMap::from_rendered(&laid, &anchors)?;
            if next == layout {
                settled = Some((laid, anchors));
                break;
            }
            layout = next;
        }
        let Some((rendered, anchors)) = settled else {
            return Err(Error::Integrity(
                "the bundle's page numbers did not settle; please report this".into(),
            ));
        };

        // 3. Fill the slots, link the index, bookmark, attach, encrypt.
        let mut exhibits = Vec::new();
        let mut pictures = Vec::new();
        let mut picture_words = Vec::new();
        let mut page_words = std::collections::HashMap::new();
        let mut slots = Vec::new();
        let mut slot_pages = rendered.slot_pages.iter().copied();
        let mut attachments = Vec::new();
        let mut placeholders = Vec::new();
        let mut metadata_removed = 0;
        for part in parts {
            match part.body {
                Body::Pages(ex) => {
                    let e = exhibits.len();
                    for (page, layer) in self.recognised_page_layers(part.evidence)? {
                        page_words.insert((e, page), layer);
                    }
                    for page in 0..ex.page_count() {
                        let at =
                            slot_pages.next().ok_or_else(|| Error::Integrity("a slot is missing".into()))?;
                        slots.push((at, Fill::Page { exhibit: e, page }));
                    }
                    exhibits.push(*ex);
                }
                Body::Picture(header, bytes) => {
                    let at = slot_pages.next().ok_or_else(|| Error::Integrity("a slot is missing".into()))?;
                    if !header.metadata.items.is_empty() && !spec.keep_metadata {
                        metadata_removed += 1;
                    }
                    slots.push((at, Fill::Picture { picture: pictures.len() }));
                    pictures.push((header, bytes));
                    picture_words.push(self.recognised_words(part.evidence)?);
                }
                Body::Text(_) | Body::Placeholder { .. } => {}
            }
            if let Some(f) = part.failure {
                placeholders.push(Placeholder {
                    number: part.number,
                    evidence: part.evidence,
                    title: part.title.clone(),
                    code: f.code().into(),
                    detail: f.detail().into(),
                    reason: f.to_string(),
                    sha256: part.sha256.clone(),
                    attached: part.attachment.is_some(),
                });
            }
            if let Some(a) = part.attachment {
                attachments.push(a);
            }
        }
        let mut links = Vec::new();
        for row in &rendered.table_rows {
            let exhibit = anchors.index_rows.get(&(row.table, row.row));
            if let Some(first) = exhibit.and_then(|n| layout.ranges.get(n)).map(|r| r.0) {
                links.push((row.page, row.rect, first));
            }
        }
        let mut marks = vec![Mark { title: t.index.clone(), level: 0, page: layout.index_page }];
        if let Some(page) = layout.chronology_page {
            marks.push(Mark { title: t.chronology.clone(), level: 0, page });
        }
        let mut last_section = None;
        for (section, number, item) in &checked.exhibits {
            let Some(&(first, _)) = layout.ranges.get(number) else { continue };
            if last_section != Some(section) {
                marks.push(Mark { title: section.clone(), level: 0, page: first });
                last_section = Some(section);
            }
            let title = fill(
                &t.exhibit_heading,
                &[("n", number.to_string()), ("title", checked.heading_title(*number, item, &t))],
            );
            marks.push(Mark { title, level: 1, page: first });
        }
        marks.push(Mark { title: t.verify.clone(), level: 0, page: layout.verify_page });

        step(total - 1, "writing")?;

        // 4. Write the file unnamed beside the target (hashing as it goes) and give it the target's name when
        // complete, then log the disclosure. Until then an existing file there stays as it was.
        let name =
            out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "bundle.pdf".into());
        let output = crate::files::Output::create(out, Some(&self.vault_dir()))?;
        let merge = Merge {
            base: &rendered.bytes,
            slots,
            exhibits,
            pictures,
            picture_words,
            page_words,
            links,
            marks,
            attachments,
            password,
        };
        // lopdf writes on this thread into 1 MiB pieces; a second thread writes them to the file and asks the
        // kernel to start writing them to the disk (so the final sync has less left to write), a third hashes
        // them: hashing is the slowest stage, and on its own thread it overlaps the writing.
        let file = output.file();
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(PIECES);
        let (written_tx, written_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(PIECES);
        let (empty_tx, empty_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(PIECES);
        for _ in 0..PIECES {
            let _ = empty_tx.send(Vec::with_capacity(PIECE));
        }
        let (sha256, size) = std::thread::scope(|scope| -> Result<(String, u64)> {
            let writer = scope.spawn(move || -> std::io::Result<u64> {
                let (mut len, mut started) = (0u64, 0u64);
                for piece in full_rx {
                    (&*file).write_all(&piece)?;
                    len += piece.len() as u64;
                    if len - started >= WRITEBACK {
                        start_writeback(file, started, len - started);
                        started = len;
                    }
                    if written_tx.send(piece).is_err() {
                        break;
                    }
                }
                Ok(len)
            });
            let hasher = scope.spawn(move || {
                let mut hash = Sha256::new();
                for mut piece in written_rx {
                    hash.update(&piece);
                    piece.clear();
                    let _ = empty_tx.send(piece);
                }
                hex::encode(hash.finalize())
            });
            let mut pieces = Pieces { piece: Vec::new(), full: full_tx, empty: empty_rx };
            let merged = merge::merge(merge, &mut pieces)
                .and_then(|()| pieces.hand_over().map_err(|e| Error::io("writing the bundle", e)));
            drop(pieces);
            let written = writer.join().map_err(|_| Error::Integrity("writing the bundle failed".into()))?;
            let sha256 = hasher.join().map_err(|_| Error::Integrity("hashing the bundle failed".into()))?;
            // A failed write stops lopdf too ("the writing thread stopped"): the write's own error says more.
            let written = written.map_err(|e| Error::io(format!("cannot write '{}'", shown_path(out)), e))?;
            merged.map(|()| (sha256, written))
        })?;
        if !progress(BundleProgress { done: total - 1, total, stage: "writing".into() }) {
            return Err(Error::Cancelled);
        }
        output.commit()?;
        let state = DisclosureState {
            contact: spec.contact,
            contact_name: checked.contact_name.clone(),
            items: checked
                .exhibits
                .iter()
                .map(|(_, number, item)| DisclosedItem {
                    exhibit: *number,
                    evidence: item.id,
                    title: item.state.title.clone(),
                    sha256: item.state.sha256.clone(),
                })
                .collect(),
            file_name: name.clone(),
            sha256: sha256.clone(),
            pages: layout.total,
            encrypted: password.is_some(),
            at: self.now(),
        };
        let disclosure = match self.log_disclosure(&state) {
            Ok(id) => id,
            Err(e) => {
                // An export that is not logged is not made: the person must be able to trust the log.
                let _ = fs::remove_file(out);
                return Err(e);
            }
        };
        let _ = progress(BundleProgress { done: total, total, stage: "writing".into() });
        Ok(BundleReport {
            file_name: name,
            pages: layout.total,
            exhibits: u32::try_from(checked.exhibits.len()).unwrap_or(u32::MAX),
            bytes: size,
            sha256,
            encrypted: password.is_some(),
            placeholders,
            metadata_removed,
            disclosure,
        })
    }
}

/// How many pieces of the output exist at once, and their size.
const PIECES: usize = 4;
const PIECE: usize = 1 << 20;
/// How much written output the writing thread lets collect before it asks the kernel to start writing it out.
const WRITEBACK: u64 = 8 << 20;

/// A writer that collects lopdf's small writes into `PIECE`-sized pieces and hands each full one to the writing
/// thread, taking an emptied one back.
struct Pieces {
    piece: Vec<u8>,
    full: std::sync::mpsc::SyncSender<Vec<u8>>,
    empty: std::sync::mpsc::Receiver<Vec<u8>>,
}

impl Pieces {
    /// Hands the current piece, however full, to the writing thread.
    fn hand_over(&mut self) -> std::io::Result<()> {
        let stopped = || std::io::Error::other("the writing thread stopped");
        let next = self.empty.recv().map_err(|_| stopped())?;
        let full = std::mem::replace(&mut self.piece, next);
        self.full.send(full).map_err(|_| stopped())
    }
}

impl Write for Pieces {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.piece.capacity() == 0 {
            self.piece =
                self.empty.recv().map_err(|_| std::io::Error::other("the writing thread stopped"))?;
        }
        let n = buf.len().min(PIECE - self.piece.len());
        self.piece.extend_from_slice(&buf[..n]);
        if self.piece.len() >= PIECE {
            self.hand_over()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Asks the kernel to start writing `len` bytes of `file` from `offset` to the disk now, without waiting
/// (`POSIX_FADV_DONTNEED` starts the write-back of dirty pages, then drops the clean ones from the cache): the
/// sync before the rename then has less left to write (measured: 74 ms instead of 100 for 47 MiB). A hint: an
/// error changes nothing.
#[cfg(target_os = "linux")]
fn start_writeback(file: &fs::File, offset: u64, len: u64) {
    let _ = rustix::fs::fadvise(file, offset, std::num::NonZeroU64::new(len), rustix::fs::Advice::DontNeed);
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_: &fs::File, _: u64, _: u64) {}

/// The words of a recognised page as fractions of its picture (origin top left).
fn text_words(id: i64, page: &crate::store::texts::StoredPage) -> Result<Vec<TextWord>> {
    let words: Vec<crate::pdf::ocr::Word> = serde_json::from_str(&page.words)
        .map_err(|e| Error::Integrity(format!("the recognised words of evidence item {id}: {e}")))?;
    let (w, h) = (page.width.max(1) as f32, page.height.max(1) as f32);
    Ok(words
        .into_iter()
        .map(|word| TextWord {
            x: word.x as f32 / w,
            y: word.y as f32 / h,
            w: word.w as f32 / w,
            h: word.h as f32 / h,
            text: word.text,
        })
        .collect())
}
