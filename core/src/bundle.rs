//! The counsel bundle: chosen evidence as one PDF — cover, hyperlinked index with each original's SHA-256,
//! optional chronology, the exhibits page by page with a stamp on every page, a "how to verify" page — and the
//! disclosure log that records each export. The one decision to know: page numbers are known only after layout, so
//! the document is laid out, its pages counted, and laid out again with the real numbers (`pdf::render` twice).
//! Untrusted files are read only through `pdf::isolate`: a hostile exhibit becomes a placeholder page, never a
//! crash. What the pages *say* lives here; how pages look and merge lives in `pdf`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::isolate::{Failure, Input, Job, Mode, Worker};
use crate::pdf::merge::{self, Attachment, Exhibit, Fill, Mark, Merge};
use crate::pdf::picture::{self, Format, MetadataItem, Prepared};
use crate::pdf::{self, Block, Document};
use crate::records::evidence::EvidenceItem;
use crate::store::blobs::BlobReader;
use crate::store::Journal;
use crate::text::{shown, shown_path};
use crate::vault::Vault;

pub use crate::records::disclosures::{DisclosedItem, Disclosure, DisclosureState};

/// Files larger than these are not read into the bundle: a PDF or picture beyond is a placeholder, an original
/// beyond is not attached even when asked for (its hash still identifies it).
const MAX_PDF: u64 = 512 * 1024 * 1024;
const MAX_PICTURE: u64 = 128 * 1024 * 1024;
const MAX_TEXT_SHOWN: usize = 512 * 1024;
const MAX_ATTACHMENT: u64 = 256 * 1024 * 1024;
/// A passphrase shorter than this is refused: the file may travel by e-mail.
const MIN_PASSWORD: usize = 8;

/// What to put in a bundle, in order.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleSpec {
    pub sections: Vec<BundleSection>,
    /// The contact it is prepared for (named on the cover, recorded in the disclosure log).
    #[ts(type = "number | null")]
    pub contact: Option<i64>,
    /// Chronology events to include, in date order; none means no chronology section.
    #[serde(default)]
    #[ts(type = "number[]")]
    pub events: Vec<i64>,
    /// Keep pictures' metadata: the originals are then attached as files beside their page.
    #[serde(default)]
    pub keep_metadata: bool,
    /// Evidence items whose original file the person asked to attach, unchanged and with all it holds, beside
    /// its pages or placeholder. No other original is ever attached, and none that the reader crashed or timed
    /// out on (the most suspicious file in the case).
    #[serde(default)]
    #[ts(type = "number[]")]
    pub attach_originals: Vec<i64>,
    /// The language of the pages Redress writes: "en", "fr" or "es".
    #[serde(default = "english")]
    pub language: String,
}

fn english() -> String {
    "en".into()
}

/// A named group of exhibits ("Identity", "Court decisions", …), in order.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleSection {
    pub title: String,
    #[ts(type = "number[]")]
    pub items: Vec<i64>,
}

/// How an exhibit will appear.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// Its pages, merged.
    Pages,
    /// A picture on a page.
    Picture,
    /// Text typeset on pages.
    Text,
    /// A placeholder page, the original attached (the person asked for it).
    Attached,
    /// A placeholder page naming the file and its SHA-256; the original is not attached.
    Placeholder,
    /// A placeholder page; the file is too large to show, and to attach.
    TooLarge,
}

/// One exhibit as planned, before export: what the person checks (and what metadata an export removes).
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct PlannedExhibit {
    pub number: u32,
    pub section: String,
    #[ts(type = "number")]
    pub evidence: i64,
    pub title: String,
    pub doc_date: String,
    pub mime: String,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
    pub treatment: Treatment,
    /// What the file is, told from its bytes (not its name or type): `pdf`, `jpeg`, `png`, `tiff`, `webp`,
    /// `gif`, `bmp`, `heif`, `avif`, `jxl`, `jp2`, `text` or `other`.
    pub content: String,
    /// Why a placeholder page stands in for it: `picture_format` (a picture Redress cannot read, such as HEIC or
    /// AVIF), `file_type` (not a document, picture or text), `too_large`; empty when it is shown.
    pub reason: String,
    /// Whether the original file goes into the bundle, unchanged, with all it holds (the person asked for it).
    pub attached: bool,
    /// The metadata found that the bundle will not carry: removed from its pages, or left out with the file. An
    /// item `unchecked` says the file could not be looked into (it will be re-encoded, or not shown).
    pub metadata: Vec<MetadataItem>,
    /// The metadata found that the bundle will carry, in the attached original.
    pub kept: Vec<MetadataItem>,
}

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

/// The texts of the pages Redress writes, per language (`assets/bundle/*.json`).
#[derive(Deserialize)]
struct Texts {
    title: String,
    footer: String,
    case: String,
    case_of: String,
    prepared_for: String,
    nobody: String,
    date: String,
    items: String,
    pages: String,
    chain_head: String,
    chain_head_value: String,
    cover_note: String,
    encrypted_note: String,
    index: String,
    col_number: String,
    col_title: String,
    col_date: String,
    col_pages: String,
    col_sha256: String,
    chronology: String,
    col_event: String,
    col_place: String,
    col_exhibits: String,
    exhibit_ref: String,
    exhibit_heading: String,
    /// The name of an attached original in the viewer's attachments pane; `{n}` is zero-padded so they sort.
    attachment_name: String,
    stamp_exhibit: String,
    stamp_bundle: String,
    placeholder_title: String,
    placeholder_file: String,
    placeholder_type: String,
    placeholder_size: String,
    placeholder_sha256: String,
    placeholder_date: String,
    placeholder_description: String,
    placeholder_reason: String,
    reason_type: String,
    reason_failed: String,
    failure_encrypted: String,
    failure_unreadable: String,
    failure_crashed: String,
    failure_timed_out: String,
    failure_unavailable: String,
    reason_too_large: String,
    reason_picture_format: String,
    attached_note: String,
    not_attached_note: String,
    withheld_note: String,
    kept_metadata_note: String,
    text_truncated: String,
    verify: String,
    verify_intro: String,
    verify_windows: String,
    verify_windows_cmd: String,
    verify_macos: String,
    verify_macos_cmd: String,
    verify_linux: String,
    verify_linux_cmd: String,
    verify_pages: String,
    verify_chain: String,
}

fn texts(language: &str) -> Result<Texts> {
    let json = match language {
        "en" => include_str!("../../assets/bundle/en.json"),
        "fr" => include_str!("../../assets/bundle/fr.json"),
        "es" => include_str!("../../assets/bundle/es.json"),
        other => {
            return Err(Error::invalid(
                "language",
                format!(
                    "bundles are written in English (en), French (fr) or Spanish (es), not '{}'",
                    shown(other)
                ),
            ))
        }
    };
    serde_json::from_str(json)
        .map_err(|e| Error::Integrity(format!("bundle texts for '{language}' unreadable: {e}")))
}

fn fill(template: &str, pairs: &[(&str, String)]) -> String {
    pairs.iter().fold(template.to_owned(), |s, (k, v)| s.replace(&format!("{{{k}}}"), v))
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// What an exhibit's file is, told from its first bytes: never from its name or the type given at import, so a
/// HEIC named `.jpg` or a JPEG stored as `application/octet-stream` is treated as what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Pdf,
    Picture(Format),
    Text,
    Other,
}

/// How many first bytes of a file tell what it is (a PDF's header may come within its first KiB).
const HEAD: usize = 1024;

impl Content {
    fn of(head: &[u8], mime: &str) -> Content {
        if crate::pdf::sanitize::looks_like_pdf(head) {
            Content::Pdf
        } else if let Some(format) = picture::format(head) {
            Content::Picture(format)
        } else if mime.starts_with("text/") {
            Content::Text
        } else {
            Content::Other
        }
    }

    fn name(self) -> &'static str {
        match self {
            Content::Pdf => "pdf",
            Content::Picture(f) => f.name(),
            Content::Text => "text",
            Content::Other => "other",
        }
    }

    /// The largest file of this kind shown in a bundle.
    fn limit(self) -> u64 {
        match self {
            Content::Pdf => MAX_PDF,
            Content::Picture(_) => MAX_PICTURE,
            Content::Text | Content::Other => MAX_ATTACHMENT,
        }
    }
}

/// How one exhibit will appear, decided before any of it is parsed: the plan shows this, the export does it.
#[derive(Debug, Clone, Copy)]
struct Look {
    content: Content,
    treatment: Treatment,
    /// Why a placeholder (`picture_format`, `file_type`, `too_large`), or empty.
    reason: &'static str,
    /// The original is to be attached: the person asked, and it is not too large.
    attach: bool,
}

impl Look {
    fn of(item: &EvidenceItem, content: Content, spec: &BundleSpec) -> Look {
        let size = item.state.size;
        let asked = spec.attach_originals.contains(&item.id)
            || (spec.keep_metadata && matches!(content, Content::Picture(_)));
        let attach = asked && size <= MAX_ATTACHMENT;
        let shown = match content {
            Content::Pdf if size <= MAX_PDF => Some(Treatment::Pages),
            Content::Picture(f) if f.decodable() && size <= MAX_PICTURE => Some(Treatment::Picture),
            Content::Text => Some(Treatment::Text),
            _ => None,
        };
        if let Some(treatment) = shown {
            return Look { content, treatment, reason: "", attach };
        }
        let reason = match content {
            Content::Picture(f) if !f.decodable() => "picture_format",
            Content::Pdf | Content::Picture(_) => "too_large",
            _ if asked && !attach => "too_large",
            _ => "file_type",
        };
        let treatment = if attach {
            Treatment::Attached
        } else if reason == "too_large" {
            Treatment::TooLarge
        } else {
            Treatment::Placeholder
        };
        Look { content, treatment, reason, attach }
    }

    /// Whether the export reads the file: to show it, or to attach it.
    fn reads(&self) -> bool {
        self.attach || matches!(self.treatment, Treatment::Pages | Treatment::Picture | Treatment::Text)
    }
}

impl BundleSpec {
    /// A bundle of a saved CCF request's annexes, in their order, for its representative, with its facts.
    pub fn for_request(journal: &Journal, id: i64) -> Result<BundleSpec> {
        let request = journal.request(id)?;
        let items: Vec<i64> = request.state.annexes.iter().map(|a| a.evidence).collect();
        Ok(BundleSpec {
            sections: vec![BundleSection { title: request.state.title.clone(), items }],
            contact: request.state.representative,
            events: request.state.facts.clone(),
            keep_metadata: false,
            attach_originals: Vec::new(),
            language: match request.state.language.as_str() {
                l @ ("en" | "fr" | "es") => l.to_owned(),
                _ => english(),
            },
        })
    }

    /// The given items, in the given order, in one section.
    pub fn for_items(items: &[i64]) -> BundleSpec {
        BundleSpec {
            sections: vec![BundleSection { title: "Evidence".into(), items: items.to_vec() }],
            language: english(),
            ..BundleSpec::default()
        }
    }

    /// Every item not in the trash, by document date, in one section.
    pub fn all(journal: &Journal) -> Result<BundleSpec> {
        let mut items = journal.list_evidence(false)?;
        items.sort_by(|a, b| {
            let key = |i: &EvidenceItem| i.state.doc_date.as_ref().map(|d| d.sort_key()).unwrap_or_default();
            key(a).cmp(&key(b)).then(a.id.cmp(&b.id))
        });
        Ok(BundleSpec::for_items(&items.iter().map(|i| i.id).collect::<Vec<_>>()))
    }
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

/// A checked spec: the items and events it names, looked up.
struct Checked {
    /// (section title, exhibit number, item), in bundle order.
    exhibits: Vec<(String, u32, EvidenceItem)>,
    contact_name: String,
    events: Vec<crate::records::chronology::Event>,
}

impl Journal {
    fn check_spec(&self, spec: &BundleSpec) -> Result<Checked> {
        texts(&spec.language)?;
        let mut seen = HashSet::new();
        let mut exhibits = Vec::new();
        for (s, section) in spec.sections.iter().enumerate() {
            let title = crate::text::optional_line("section title", &section.title)?;
            let title = if title.is_empty() { format!("Section {}", s + 1) } else { title };
            for id in &section.items {
                if !seen.insert(*id) {
                    return Err(Error::invalid(
                        "bundle",
                        format!("evidence item {id} is chosen twice; each item can be one exhibit only"),
                    ));
                }
                let item = self
                    .evidence(*id)
                    .map_err(|_| Error::invalid("bundle", format!("evidence item {id} does not exist")))?;
                if item.trashed {
                    return Err(Error::invalid("bundle", format!("evidence item {id} is in the trash")));
                }
                let number = u32::try_from(exhibits.len() + 1).unwrap_or(u32::MAX);
                exhibits.push((title.clone(), number, item));
            }
        }
        if exhibits.is_empty() {
            return Err(Error::invalid_because(
                "empty_bundle",
                "bundle",
                "no evidence is chosen; choose at least one item",
            ));
        }
        let contact_name = match spec.contact {
            Some(id) => {
                let c = self
                    .contact(id)
                    .map_err(|_| Error::invalid("prepared for", format!("contact {id} does not exist")))?;
                if c.state.firm.is_empty() {
                    c.state.name
                } else {
                    format!("{}, {}", c.state.name, c.state.firm)
                }
            }
            None => String::new(),
        };
        let mut events = Vec::new();
        for id in &spec.events {
            let e = self
                .event(*id)
                .map_err(|_| Error::invalid("chronology", format!("chronology event {id} does not exist")))?;
            if !e.trashed {
                events.push(e);
            }
        }
        events.sort_by(|a, b| a.state.date.sort_key().cmp(&b.state.date.sort_key()).then(a.id.cmp(&b.id)));
        Ok(Checked { exhibits, contact_name, events })
    }

    /// What a bundle will hold, for the person to check before export: each exhibit's number, how it will appear,
    /// whether its original is attached, and the metadata an export removes and keeps (pictures and PDFs are
    /// looked into by the isolated worker).
    pub fn bundle_plan(&self, spec: &BundleSpec, worker: &Worker) -> Result<Vec<PlannedExhibit>> {
        let checked = self.check_spec(spec)?;
        let looks = self.looks(&checked, spec)?;
        // Pictures and PDFs are read by the isolated workers, a few at a time, while this thread reads the next.
        let found: std::cell::RefCell<HashMap<usize, Vec<MetadataItem>>> = Default::default();
        let mut k = 0;
        worker.run_batch(
            Vec::<()>::new(),
            || -> Result<Option<Job>> {
                while let (Some((_, _, item)), Some(look)) = (checked.exhibits.get(k), looks.get(k)) {
                    k += 1;
                    let inspected = match look.content {
                        Content::Pdf | Content::Picture(_) => item.state.size <= look.content.limit(),
                        Content::Text | Content::Other => false,
                    };
                    if inspected {
                        return Ok(Some((k - 1, Input::Bytes(self.read_unchecked(item)?))));
                    }
                }
                Ok(None)
            },
            |_, _, _| Err("no reader".to_owned()),
            |_, _| Some(Mode::Inspect),
            |_, _, answer| {
                let unchecked = || vec![MetadataItem { kind: "unchecked".into(), detail: String::new() }];
                answer
                    .and_then(|a| a.ok())
                    .and_then(|json| serde_json::from_slice::<picture::Metadata>(&json).ok())
                    .map_or_else(unchecked, |m| m.items)
            },
            |index, _, items| {
                found.borrow_mut().insert(index, items);
            },
        )?;
        let mut found = found.into_inner();
        let mut out = Vec::with_capacity(checked.exhibits.len());
        for (index, ((section, number, item), look)) in checked.exhibits.into_iter().zip(looks).enumerate() {
            let metadata = found.remove(&index).unwrap_or_default();
            let (metadata, kept) = if look.attach { (Vec::new(), metadata) } else { (metadata, Vec::new()) };
            out.push(PlannedExhibit {
                number,
                section,
                evidence: item.id,
                title: item.state.title.clone(),
                doc_date: item.state.doc_date.as_ref().map(|d| d.to_string()).unwrap_or_default(),
                mime: item.state.mime.clone(),
                size: item.state.size,
                sha256: item.state.sha256.clone(),
                treatment: look.treatment,
                content: look.content.name().into(),
                reason: look.reason.into(),
                attached: look.attach,
                metadata,
                kept,
            });
        }
        Ok(out)
    }

    /// How each exhibit will appear, from its first bytes.
    fn looks(&self, checked: &Checked, spec: &BundleSpec) -> Result<Vec<Look>> {
        let mut looks = Vec::with_capacity(checked.exhibits.len());
        for (_, _, item) in &checked.exhibits {
            let len = usize::try_from(item.state.size.min(HEAD as u64)).unwrap_or(HEAD);
            let head = self.read_evidence_range(item.id, 0, len)?;
            looks.push(Look::of(item, Content::of(&head, &item.state.mime), spec));
        }
        Ok(looks)
    }

    /// An item's whole content, not yet checked against its SHA-256 (the batch's `post` checks it: the bundle
    /// proves that each exhibit is the file the person gave).
    fn read_unchecked(&self, item: &EvidenceItem) -> Result<Vec<u8>> {
        let len = usize::try_from(item.state.size).map_err(|_| {
            Error::invalid("evidence", format!("evidence item {} is too large to read", item.id))
        })?;
        let bytes = self.read_evidence_range(item.id, 0, len)?;
        if bytes.len() != len {
            return Err(Error::Integrity(format!(
                "evidence item {} read back {} bytes, expected {len}; run verify",
                item.id,
                bytes.len()
            )));
        }
        Ok(bytes)
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
                    "weak_password",
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
                Some(Treatment::Picture) if !picture::passes_through(bytes) => Some(Mode::Picture),
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
                        picture::passthrough(input)
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
        let mut layout = Layout::default();
        let mut settled = None;
        for pass in 0..4 {
            let (doc, anchors) = document(&spec.language, &t, &cover, &checked, &parts, &layout)?;
            // The first pass only counts; later ones paint, since their numbers usually hold.
            let laid = if pass == 0 { pdf::lay_out(&doc)? } else { pdf::render(&doc)? };
            let next = Layout::from_rendered(&laid, &anchors)?;
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
        let mut slots = Vec::new();
        let mut slot_pages = rendered.slot_pages.iter().copied();
        let mut attachments = Vec::new();
        let mut placeholders = Vec::new();
        let mut metadata_removed = 0;
        for part in parts {
            match part.body {
                Body::Pages(ex) => {
                    let e = exhibits.len();
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
            let title =
                fill(&t.exhibit_heading, &[("n", number.to_string()), ("title", item.state.title.clone())]);
            marks.push(Mark { title, level: 1, page: first });
        }
        marks.push(Mark { title: t.verify.clone(), level: 0, page: layout.verify_page });

        step(total - 1, "writing")?;

        // 4. Write the file unnamed beside the target (hashing as it goes) and give it the target's name when
        // complete, then log the disclosure. Until then an existing file there stays as it was.
        let name =
            out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "bundle.pdf".into());
        let output = crate::files::Output::create(out, Some(&self.vault_dir()))?;
        let merge =
            Merge { base: &rendered.bytes, slots, exhibits, pictures, links, marks, attachments, password };
        // The file's SHA-256 is computed on another thread while lopdf writes.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let (sha256, size) = std::thread::scope(|scope| -> Result<(String, u64)> {
            let hasher = scope.spawn(move || {
                let mut hash = Sha256::new();
                let mut len = 0u64;
                for chunk in rx {
                    hash.update(&chunk);
                    len += chunk.len() as u64;
                }
                (hex::encode(hash.finalize()), len)
            });
            let mut w = Hashing {
                inner: std::io::BufWriter::with_capacity(1 << 20, output.file()),
                pending: Vec::with_capacity(1 << 20),
                tx,
            };
            let merged = merge::merge(merge, &mut w);
            let Hashing { inner, pending, tx } = w;
            let _ = tx.send(pending);
            drop(tx);
            let hashed = hasher.join().map_err(|_| Error::Integrity("hashing the bundle failed".into()))?;
            merged?;
            inner
                .into_inner()
                .map_err(|e| Error::io(format!("cannot write '{}'", shown_path(out)), e.into_error()))?;
            Ok(hashed)
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

/// An exhibit made ready from its bytes (none when they are not read) and, for PDFs and pictures, the worker's
/// answer: its pages, its picture, its text, or a placeholder page with its SHA-256. The original is attached
/// only as `look` says (the person asked for it), and never when the reader crashed or timed out on it.
fn exhibit_part(
    number: u32,
    item: &EvidenceItem,
    look: &Look,
    bytes: Option<Vec<u8>>,
    answer: Option<Answer>,
    t: &Texts,
) -> Part {
    let mut part = Part {
        number,
        evidence: item.id,
        title: item.state.title.clone(),
        sha256: item.state.sha256.clone(),
        body: Body::Placeholder { reason: t.reason_type.clone(), note: Note::NotAttached },
        failure: None,
        attachment: None,
    };
    let failed = |f: &Failure| {
        let why = match f {
            Failure::Encrypted => &t.failure_encrypted,
            Failure::Unreadable(_) => &t.failure_unreadable,
            Failure::Crashed => &t.failure_crashed,
            Failure::TimedOut => &t.failure_timed_out,
            Failure::Unavailable(_) => &t.failure_unavailable,
        };
        fill(&t.reason_failed, &[("why", fill(why, &[("detail", f.detail().to_owned())]))])
    };
    let mut attach = look.attach;
    let mut withheld = false;
    match (look.treatment, answer) {
        (Treatment::Pages, Some(Answer::Pages(Ok(ex)))) => part.body = Body::Pages(ex),
        (Treatment::Picture, Some(Answer::Picture(Ok((header, data))))) => {
            part.body = Body::Picture(header, data)
        }
        (Treatment::Pages, Some(Answer::Pages(Err(f))))
        | (Treatment::Picture, Some(Answer::Picture(Err(f)))) => {
            if matches!(f, Failure::Crashed | Failure::TimedOut) {
                withheld = attach;
                attach = false;
            }
            part.body = Body::Placeholder { reason: failed(&f), note: Note::NotAttached };
            part.failure = Some(f);
        }
        (Treatment::Pages | Treatment::Picture, _) => {
            let f = Failure::Unreadable("it was not read".into());
            part.body = Body::Placeholder { reason: failed(&f), note: Note::NotAttached };
            part.failure = Some(f);
        }
        (Treatment::Text, _) => {
            let bytes = bytes.as_deref().unwrap_or_default();
            let shown_len = bytes.len().min(MAX_TEXT_SHOWN);
            let mut text = String::from_utf8_lossy(&bytes[..shown_len]).into_owned();
            if bytes.len() > MAX_TEXT_SHOWN {
                text.push_str("\n\n");
                text.push_str(&fill(&t.text_truncated, &[("limit", human_size(MAX_TEXT_SHOWN as u64))]));
            }
            part.body = Body::Text(text);
        }
        _ => {
            let reason = match look.reason {
                "too_large" => fill(
                    &t.reason_too_large,
                    &[
                        ("size", human_size(item.state.size)),
                        ("limit", human_size(look.content.limit().min(MAX_ATTACHMENT))),
                    ],
                ),
                "picture_format" => {
                    fill(&t.reason_picture_format, &[("format", look.content.name().to_uppercase())])
                }
                _ => t.reason_type.clone(),
            };
            part.body = Body::Placeholder { reason, note: Note::NotAttached };
        }
    }
    if attach {
        match bytes {
            Some(bytes) if bytes.len() as u64 <= MAX_ATTACHMENT => {
                part.attachment = Some(Attachment {
                    name: fill(
                        &t.attachment_name,
                        &[("n", format!("{number:03}")), ("name", item.state.original_name.clone())],
                    ),
                    description: item.state.title.clone(),
                    bytes,
                });
            }
            _ => attach = false,
        }
    }
    if let Body::Placeholder { note, .. } = &mut part.body {
        *note = if attach {
            Note::Attached
        } else if withheld {
            Note::Withheld
        } else {
            Note::NotAttached
        };
    }
    part
}

/// The worker's answer for a picture: a JSON header line, then the bytes.
fn picture(answer: &[u8]) -> std::result::Result<(Prepared, Vec<u8>), Failure> {
    let bad = |why: &str| Failure::Unreadable(why.to_owned());
    let nl = answer.iter().position(|&b| b == b'\n').ok_or_else(|| bad("no picture header"))?;
    let header: Prepared = serde_json::from_slice(&answer[..nl]).map_err(|_| bad("bad picture header"))?;
    let data = answer[nl + 1..].to_vec();
    let expected = u64::from(header.width) * u64::from(header.height) * u64::from(header.components);
    let ok = header.width > 0
        && header.height > 0
        && matches!(header.components, 1 | 3)
        && match header.encoding {
            crate::pdf::picture::Encoding::Rgb => data.len() as u64 == expected,
            crate::pdf::picture::Encoding::Jpeg => !data.is_empty(),
        };
    if !ok {
        return Err(bad("the prepared picture does not match its header"));
    }
    Ok((header, data))
}

/// A writer that also hands what passes through it, in 1 MiB pieces, to a hashing thread.
struct Hashing<W: Write> {
    inner: W,
    pending: Vec<u8>,
    tx: std::sync::mpsc::SyncSender<Vec<u8>>,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.pending.extend_from_slice(&buf[..n]);
        if self.pending.len() >= 1 << 20 {
            let full = std::mem::replace(&mut self.pending, Vec::with_capacity(1 << 20));
            self.tx.send(full).map_err(|_| std::io::Error::other("the hashing thread stopped"))?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The worker's answer, parsed on the pool's thread.
enum Answer {
    Pages(std::result::Result<Box<Exhibit>, Failure>),
    Picture(std::result::Result<(Prepared, Vec<u8>), Failure>),
    /// The bytes read do not have the stored SHA-256 (this one): the journal is damaged.
    Damaged(String),
    /// Nothing to parse (text, other files): the bytes are used as they are.
    Local,
    /// The item could not be read from the journal.
    Unread(String),
}

/// One exhibit, ready to be laid out.
struct Part {
    number: u32,
    evidence: i64,
    title: String,
    sha256: String,
    body: Body,
    /// Why it could not be rendered, when that is the case.
    failure: Option<Failure>,
    attachment: Option<Attachment>,
}

enum Body {
    Pages(Box<Exhibit>),
    Picture(Prepared, Vec<u8>),
    Text(String),
    Placeholder { reason: String, note: Note },
}

/// What a placeholder page says of the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Note {
    Attached,
    NotAttached,
    /// The person asked for it, but the reader crashed or timed out on it: it is not passed on.
    Withheld,
}

struct Cover {
    case: String,
    prepared_for: String,
    date: String,
    chain: (i64, String),
    encrypted: bool,
}

/// Where things landed in the last layout (1-based pages): what the next layout prints in the index and stamps.
#[derive(Debug, Default, PartialEq, Eq)]
struct Layout {
    total: u32,
    index_page: u32,
    chronology_page: Option<u32>,
    verify_page: u32,
    /// Exhibit number → (first page, last page).
    ranges: BTreeMap<u32, (u32, u32)>,
}

/// What to look for in the rendered document to find where things are.
#[derive(Default)]
struct Anchors {
    /// Heading number (among the document's headings) of the index, the chronology and the verify page.
    index: usize,
    chronology: Option<usize>,
    verify: usize,
    /// For each exhibit in order: its first slot (number among slots) or its heading.
    exhibits: Vec<(u32, Anchor)>,
    /// (table, row) of the index → exhibit number.
    index_rows: HashMap<(usize, usize), u32>,
}

enum Anchor {
    Slots { first: usize, count: usize },
    Heading(usize),
}

impl Layout {
    fn from_rendered(r: &pdf::Rendered, a: &Anchors) -> Result<Layout> {
        let heading = |h: usize| {
            r.section_pages
                .get(h)
                .map(|s| s.1)
                .ok_or_else(|| Error::Integrity("a heading went missing".into()))
        };
        let slot = |s: usize| {
            r.slot_pages.get(s).copied().ok_or_else(|| Error::Integrity("a slot went missing".into()))
        };
        let verify_page = heading(a.verify)?;
        let mut starts = Vec::with_capacity(a.exhibits.len());
        for (number, anchor) in &a.exhibits {
            let first = match anchor {
                Anchor::Slots { first, .. } => slot(*first)?,
                Anchor::Heading(h) => heading(*h)?,
            };
            starts.push((*number, first, anchor));
        }
        let mut ranges = BTreeMap::new();
        for (k, (number, first, anchor)) in starts.iter().enumerate() {
            let last = match anchor {
                Anchor::Slots { first, count } => slot(first + count.saturating_sub(1))?,
                Anchor::Heading(_) => {
                    starts.get(k + 1).map_or(verify_page, |n| n.1).saturating_sub(1).max(*first)
                }
            };
            ranges.insert(*number, (*first, last));
        }
        Ok(Layout {
            total: r.pages,
            index_page: heading(a.index)?,
            chronology_page: a.chronology.map(heading).transpose()?,
            verify_page,
            ranges,
        })
    }
}

/// The bundle as a `pdf::Document`, numbered from `layout` (zeros on the first pass), and its anchors.
fn document(
    language: &str,
    t: &Texts,
    cover: &Cover,
    checked: &Checked,
    parts: &[Part],
    layout: &Layout,
) -> Result<(Document, Anchors)> {
    let mut blocks = Vec::new();
    let mut headings = 0usize;
    let mut heading = |blocks: &mut Vec<Block>, text: String| {
        blocks.push(Block::Heading { text, bookmark: false });
        headings += 1;
        headings - 1
    };
    let mut anchors = Anchors::default();
    // The widest numbers until the real ones are known, so the index takes its final room from the first pass.
    let total = if layout.total == 0 { 9999 } else { layout.total };

    blocks.push(Block::Title(t.title.clone()));
    let mut rows = Vec::new();
    if !cover.case.is_empty() {
        rows.push((t.case.clone(), cover.case.clone()));
    }
    let prepared = if cover.prepared_for.is_empty() { t.nobody.clone() } else { cover.prepared_for.clone() };
    rows.push((t.prepared_for.clone(), prepared));
    rows.push((t.date.clone(), cover.date.clone()));
    rows.push((t.items.clone(), checked.exhibits.len().to_string()));
    rows.push((t.pages.clone(), total.to_string()));
    let chain =
        fill(&t.chain_head_value, &[("seq", cover.chain.0.to_string()), ("hash", cover.chain.1.clone())]);
    rows.push((t.chain_head.clone(), chain));
    blocks.push(Block::KeyValue(rows));
    blocks.push(Block::Spacer(12.0));
    blocks.push(Block::Paragraph(t.cover_note.clone()));
    if cover.encrypted {
        blocks.push(Block::Paragraph(t.encrypted_note.clone()));
    }

    blocks.push(Block::PageBreak);
    anchors.index = heading(&mut blocks, t.index.clone());
    let header = vec![
        t.col_number.clone(),
        t.col_title.clone(),
        t.col_date.clone(),
        t.col_pages.clone(),
        t.col_sha256.clone(),
    ];
    let mut table = 0usize;
    let mut k = 0;
    while k < checked.exhibits.len() {
        let section = &checked.exhibits[k].0;
        let mut rows = Vec::new();
        while let Some((s, number, item)) = checked.exhibits.get(k) {
            if s != section {
                break;
            }
            let pages = match layout.ranges.get(number) {
                Some((a, b)) if a == b => a.to_string(),
                Some((a, b)) => format!("{a}–{b}"),
                None => "9999–9999".into(),
            };
            let date = item.state.doc_date.as_ref().map(|d| d.to_string()).unwrap_or_default();
            anchors.index_rows.insert((table, rows.len()), *number);
            rows.push(vec![
                number.to_string(),
                item.state.title.clone(),
                date,
                pages,
                item.state.sha256.clone(),
            ]);
            k += 1;
        }
        heading(&mut blocks, section.clone());
        blocks.push(Block::Table {
            header: header.clone(),
            rows,
            widths: vec![0.07, 0.31, 0.14, 0.13, 0.35],
        });
        table += 1;
    }

    let numbers: HashMap<i64, u32> = checked.exhibits.iter().map(|(_, n, i)| (i.id, *n)).collect();
    if !checked.events.is_empty() {
        blocks.push(Block::PageBreak);
        anchors.chronology = Some(heading(&mut blocks, t.chronology.clone()));
        let rows = checked
            .events
            .iter()
            .map(|e| {
                let refs: Vec<String> = e
                    .state
                    .evidence
                    .iter()
                    .filter_map(|id| numbers.get(id))
                    .map(|n| fill(&t.exhibit_ref, &[("n", n.to_string())]))
                    .collect();
                let mut what = e.state.title.clone();
                if !e.state.description.trim().is_empty() {
                    what = format!("{what}\n{}", e.state.description.trim());
                }
                vec![e.state.date.to_string(), what, e.state.place.clone(), refs.join(", ")]
            })
            .collect();
        let header =
            vec![t.col_date.clone(), t.col_event.clone(), t.col_place.clone(), t.col_exhibits.clone()];
        blocks.push(Block::Table { header, rows, widths: vec![0.16, 0.52, 0.16, 0.16] });
    }

    let mut slots = 0usize;
    for part in parts {
        let item = checked.exhibits.iter().find(|e| e.1 == part.number).map(|e| &e.2);
        let head = fill(&t.exhibit_heading, &[("n", part.number.to_string()), ("title", part.title.clone())]);
        match &part.body {
            Body::Pages(ex) => {
                for p in 0..ex.page_count() {
                    let (w, h) = ex.page_size(p);
                    blocks.push(Block::Slot { width: w, height: h, band: true });
                }
                anchors.exhibits.push((part.number, Anchor::Slots { first: slots, count: ex.page_count() }));
                slots += ex.page_count();
            }
            Body::Picture(..) => {
                blocks.push(Block::Slot { width: crate::pdf::A4.0, height: crate::pdf::A4.1, band: false });
                anchors.exhibits.push((part.number, Anchor::Slots { first: slots, count: 1 }));
                slots += 1;
            }
            Body::Text(text) => {
                blocks.push(Block::PageBreak);
                let h = heading(&mut blocks, head);
                anchors.exhibits.push((part.number, Anchor::Heading(h)));
                for para in text.split("\n\n") {
                    blocks.push(Block::Paragraph(para.to_owned()));
                }
            }
            Body::Placeholder { reason, note } => {
                blocks.push(Block::PageBreak);
                let h = heading(&mut blocks, head);
                anchors.exhibits.push((part.number, Anchor::Heading(h)));
                blocks.push(Block::Paragraph(t.placeholder_title.clone()));
                if let Some(item) = item {
                    let mut rows = vec![
                        (t.placeholder_file.clone(), item.state.original_name.clone()),
                        (t.placeholder_type.clone(), item.state.mime.clone()),
                        (t.placeholder_size.clone(), human_size(item.state.size)),
                        (t.placeholder_sha256.clone(), item.state.sha256.clone()),
                    ];
                    if let Some(d) = &item.state.doc_date {
                        rows.push((t.placeholder_date.clone(), d.to_string()));
                    }
                    if !item.state.description.trim().is_empty() {
                        rows.push((t.placeholder_description.clone(), item.state.description.clone()));
                    }
                    rows.push((t.placeholder_reason.clone(), reason.clone()));
                    blocks.push(Block::KeyValue(rows));
                }
                let note = match note {
                    Note::Attached => &t.attached_note,
                    Note::NotAttached => &t.not_attached_note,
                    Note::Withheld => &t.withheld_note,
                };
                blocks.push(Block::Paragraph(note.clone()));
            }
        }
    }
    blocks.push(Block::PageBreak);
    anchors.verify = heading(&mut blocks, t.verify.clone());
    blocks.push(Block::Paragraph(t.verify_intro.clone()));
    blocks.push(Block::KeyValue(vec![
        (t.verify_windows.clone(), t.verify_windows_cmd.clone()),
        (t.verify_macos.clone(), t.verify_macos_cmd.clone()),
        (t.verify_linux.clone(), t.verify_linux_cmd.clone()),
    ]));
    blocks.push(Block::Paragraph(t.verify_pages.clone()));
    blocks.push(Block::Paragraph(t.verify_chain.clone()));
    if parts.iter().any(|p| matches!(p.body, Body::Picture(..)) && p.attachment.is_some()) {
        blocks.push(Block::Paragraph(t.kept_metadata_note.clone()));
    }

    // Page labels: the stamp of every page, from the last layout.
    let mut page_labels = Vec::new();
    if layout.total > 0 {
        let mut owner: Vec<Option<(u32, u32, u32)>> = vec![None; layout.total as usize + 1];
        for (number, (a, b)) in &layout.ranges {
            for p in *a..=*b {
                if let Some(slot) = owner.get_mut(p as usize) {
                    *slot = Some((*number, p - a + 1, b - a + 1));
                }
            }
        }
        for p in 1..=layout.total {
            let pairs_total = [("page", p.to_string()), ("pages", layout.total.to_string())];
            let label = match owner.get(p as usize).copied().flatten() {
                Some((n, i, count)) => fill(
                    &t.stamp_exhibit,
                    &[
                        ("n", n.to_string()),
                        ("i", i.to_string()),
                        ("count", count.to_string()),
                        pairs_total[0].clone(),
                        pairs_total[1].clone(),
                    ],
                ),
                None => fill(&t.stamp_bundle, &pairs_total),
            };
            page_labels.push(label);
        }
    }
    let doc = Document {
        title: if cover.case.is_empty() {
            t.title.clone()
        } else {
            format!("{} — {}", t.title, cover.case)
        },
        language: language.to_owned(),
        author: String::new(),
        subject: t.footer.clone(),
        footer: t.footer.clone(),
        page_label: t.stamp_bundle.clone(),
        page_labels,
        blocks,
    };
    Ok((doc, anchors))
}
