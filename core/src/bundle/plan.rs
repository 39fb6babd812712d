//! How each exhibit will appear, decided before any of it is parsed: what its file is (from its first bytes, never
//! its name), whether it is shown as pages, a picture, text or a placeholder, and whether its original is attached.
//! `Journal::bundle_plan` shows this to the person, with the metadata the export removes; the export does the same.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::spec::{BundleSpec, Checked};
use super::{MAX_ATTACHMENT, MAX_PDF, MAX_PICTURE};
use crate::error::{Error, Result};
use crate::isolate::{Input, Job, Mode, Worker};
use crate::pdf::picture::{self, Format, MetadataItem};
use crate::records::evidence::EvidenceItem;
use crate::store::Journal;

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
    /// When it is a translation: the language it is in (a code), and the number of the exhibit it translates
    /// (none when that is not in the bundle). A translation follows its original, whatever order was chosen.
    pub translation: Option<PlannedTranslation>,
}

#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct PlannedTranslation {
    pub language: String,
    pub of: Option<u32>,
}

/// What an exhibit's file is, told from its first bytes: never from its name or the type given at import, so a
/// HEIC named `.jpg` or a JPEG stored as `application/octet-stream` is treated as what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Content {
    Pdf,
    Picture(Format),
    Text,
    Other,
}

/// How many first bytes of a file tell what it is (a PDF's header may come within its first KiB).
pub(super) const HEAD: usize = 1024;

impl Content {
    pub(super) fn of(head: &[u8], mime: &str) -> Content {
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

    pub(super) fn name(self) -> &'static str {
        match self {
            Content::Pdf => "pdf",
            Content::Picture(f) => f.name(),
            Content::Text => "text",
            Content::Other => "other",
        }
    }

    /// The largest file of this kind shown in a bundle.
    pub(super) fn limit(self) -> u64 {
        match self {
            Content::Pdf => MAX_PDF,
            Content::Picture(_) => MAX_PICTURE,
            Content::Text | Content::Other => MAX_ATTACHMENT,
        }
    }
}

/// How one exhibit will appear, decided before any of it is parsed: the plan shows this, the export does it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Look {
    pub(super) content: Content,
    pub(super) treatment: Treatment,
    /// Why a placeholder (`picture_format`, `file_type`, `too_large`), or empty.
    pub(super) reason: &'static str,
    /// The original is to be attached: the person asked, and it is not too large.
    pub(super) attach: bool,
}

impl Look {
    pub(super) fn of(item: &EvidenceItem, content: Content, spec: &BundleSpec) -> Look {
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
    pub(super) fn reads(&self) -> bool {
        self.attach || matches!(self.treatment, Treatment::Pages | Treatment::Picture | Treatment::Text)
    }
}

impl Journal {
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
        let links = checked.links;
        for (index, ((section, number, item), look)) in checked.exhibits.into_iter().zip(looks).enumerate() {
            let translation = links
                .get(&number)
                .and_then(|l| l.translates.as_ref())
                .map(|(of, language, _)| PlannedTranslation { language: language.clone(), of: *of });
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
                translation,
            });
        }
        Ok(out)
    }

    /// How each exhibit will appear, from its first bytes.
    pub(super) fn looks(&self, checked: &Checked, spec: &BundleSpec) -> Result<Vec<Look>> {
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
    pub(super) fn read_unchecked(&self, item: &EvidenceItem) -> Result<Vec<u8>> {
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
}
