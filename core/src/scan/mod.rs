//! Scans (layer 4): offline OCR of an evidence item, run in the sandboxed worker, its text stored encrypted in the
//! journal page by page (`store::texts`) and found by search. The one decision to know: a run is stored only when
//! every page has been read or its failure named, so a cancelled, killed or failed run leaves the item as it was
//! and partial text is never shown as complete. Tesseract's language data is looked for where the system's
//! packages put it; a missing language is named with the package that brings it, before any page is read.

use std::path::{Path, PathBuf};

use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::{Error, Reason, Result};
use crate::isolate::{Failure, Input, Job, Mode, Worker};
use crate::pdf::ocr::PageText;
use crate::pdf::picture;
use crate::pdf::scanned::ScanPage;
use crate::store::texts::{StoredPage, TextVersion};
use crate::store::{Journal, Kind};

/// The languages read when the item names none Redress knows: most papers of a Red Notice case are Russian,
/// with Latin names and references among them.
pub const DEFAULT_LANGUAGES: &str = "rus+eng";

/// The OCR languages Redress offers, with the names people give them (an item's `language` field is free text)
/// and the Debian package that brings each.
const LANGUAGES: [(&str, &[&str], &str); 7] = [
    ("rus", &["ru", "rus", "russian", "русский", "ru-ru"], "tesseract-ocr-rus"),
    ("eng", &["en", "eng", "english", "английский", "en-gb", "en-us"], "tesseract-ocr-eng"),
    ("ukr", &["uk", "ukr", "ukrainian", "українська", "украинский"], "tesseract-ocr-ukr"),
    ("tur", &["tr", "tur", "turkish", "türkçe", "турецкий"], "tesseract-ocr-tur"),
    ("ara", &["ar", "ara", "arabic", "العربية", "арабский"], "tesseract-ocr-ara"),
    ("fra", &["fr", "fra", "fre", "french", "français", "французский"], "tesseract-ocr-fra"),
    ("spa", &["es", "spa", "spanish", "español", "испанский"], "tesseract-ocr-spa"),
];

/// What a finished run stored.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub version: u32,
    pub languages: String,
    pub pages: u32,
    /// Pages without text, with why (stored so, and said so wherever shown).
    pub skipped: Vec<SkippedPage>,
    pub words: u32,
}

/// A page a run has no text for: `reason` is a code (`has_text`, the page carries text of its own and was not
/// asked for; or a `Failure` code: `unreadable`, `crashed`, `timed_out`, `encrypted`), `detail` the reader's words.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct SkippedPage {
    pub page: u32,
    pub reason: String,
    pub detail: String,
}

/// How far a run is: pages read of those to read.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ScanProgress {
    pub done: u32,
    pub total: u32,
}

/// An OCR language Redress offers, and whether this computer has its data.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct OcrLanguage {
    /// Tesseract's name (`rus`), as `recognise` takes it joined by `+`.
    pub code: String,
    pub installed: bool,
}

/// One page of recognised text as a screen shows it: its text, or why it has none. Word boxes stay in the
/// backend (the bundle's text layer needs them, a screen does not).
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct TextPage {
    pub page: u32,
    pub text: String,
    /// `None`, `has_text` (`HAS_TEXT`) or a `Failure` code.
    pub problem: Option<String>,
    pub detail: String,
}

/// The recognised text of an item: the run shown, every run, its pages.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct RecognisedText {
    pub version: TextVersion,
    pub versions: Vec<TextVersion>,
    pub pages: Vec<TextPage>,
}

/// The offered OCR languages, each with whether its data is installed here.
pub fn ocr_languages() -> Vec<OcrLanguage> {
    let data = data_folder();
    LANGUAGES
        .iter()
        .map(|(code, _, _)| OcrLanguage {
            code: (*code).to_owned(),
            installed: data.as_ref().is_some_and(|d| d.join(format!("{code}.traineddata")).is_file()),
        })
        .collect()
}

/// The recognised text of evidence item `id`: run `version`, or the newest; `None` when it has none.
pub fn recognised_text(journal: &Journal, id: i64, version: Option<u32>) -> Result<Option<RecognisedText>> {
    journal.evidence(id)?;
    let Some((shown, pages)) = journal.recognised_pages(Kind::Evidence, id, version)? else {
        return Ok(None);
    };
    let versions = journal.text_versions(Kind::Evidence, id)?;
    let pages = pages
        .into_iter()
        .map(|p| TextPage { page: p.page, text: p.text, problem: p.problem, detail: p.detail })
        .collect();
    Ok(Some(RecognisedText { version: shown, versions, pages }))
}

/// The problem code of a page with text of its own that OCR was not asked to read again.
pub const HAS_TEXT: &str = "has_text";

/// The languages to read item `language` in: its own (the first it lists, as `ru, en` is stored), with English for
/// the Latin names every case paper holds, when Redress knows it; else `DEFAULT_LANGUAGES`.
pub fn languages_for(language: &str) -> String {
    let wanted = language.split([',', ';']).next().unwrap_or("").trim().to_lowercase();
    match LANGUAGES.iter().find(|(_, names, _)| names.contains(&wanted.as_str())) {
        Some(("eng", _, _)) => "eng".to_owned(),
        Some((code, _, _)) => format!("{code}+eng"),
        None => DEFAULT_LANGUAGES.to_owned(),
    }
}

/// The folder of Tesseract's language data: `TESSDATA_PREFIX` when set, else where Debian, Fedora and Homebrew
/// put it.
pub fn data_folder() -> Option<PathBuf> {
    let from_env = std::env::var_os("TESSDATA_PREFIX").map(PathBuf::from);
    let known = [
        "/usr/share/tesseract-ocr/5/tessdata",
        "/usr/share/tesseract-ocr/4.00/tessdata",
        "/usr/share/tessdata",
        "/usr/local/share/tessdata",
        "/opt/homebrew/share/tessdata",
    ];
    from_env.into_iter().chain(known.iter().map(PathBuf::from)).find(|d| d.join("eng.traineddata").is_file())
}

/// Checks `languages` (`rus+eng`) against what is installed in `data`: each must be a language name and have its
/// data file, or the error names the language and the package to install.
pub fn check_languages(languages: &str, data: Option<&Path>) -> Result<PathBuf> {
    if !crate::pdf::ocr::valid_languages(languages) {
        return Err(Error::invalid_because(
            Reason::BadLanguages,
            "OCR languages",
            format!(
                "'{}' is not a list of languages such as rus+eng (three-letter names joined by +)",
                crate::text::shown(languages)
            ),
        ));
    }
    let Some(data) = data else {
        return Err(Error::invalid_because(
            Reason::OcrUnavailable,
            "OCR",
            "Tesseract's language data is not installed (Debian: tesseract-ocr and tesseract-ocr-rus)",
        ));
    };
    for lang in languages.split('+') {
        if !data.join(format!("{lang}.traineddata")).is_file() {
            let package = LANGUAGES.iter().find(|(c, _, _)| *c == lang).map_or("", |(_, _, p)| p).to_owned();
            let install =
                if package.is_empty() { String::new() } else { format!(" (Debian package {package})") };
            return Err(Error::invalid_because(
                Reason::OcrUnavailable,
                "OCR languages",
                format!("the language '{lang}' is not installed in {}{install}", data.display()),
            ));
        }
    }
    Ok(data.to_path_buf())
}

/// Reads evidence item `id` with OCR in `languages` (`None`: from the item's language, `languages_for`) and
/// stores the text as the item's next version: `Run::start`, `Run::read`, `Run::save` in one go, for callers that
/// may hold the journal throughout (the CLI, tests). The app holds it only for the first and last step.
pub fn recognise(
    journal: &mut Journal,
    worker: &Worker,
    id: i64,
    languages: Option<&str>,
    force: bool,
    progress: &mut dyn FnMut(u32, u32) -> bool,
) -> Result<Outcome> {
    let run = Run::start(journal, id, languages)?;
    let pages = run.read(worker, force, progress)?;
    run.save(journal, pages)
}

/// One OCR run of an evidence item: its bytes, read from the journal and zeroed when the run ends.
pub struct Run {
    id: i64,
    languages: String,
    data: PathBuf,
    is_pdf: bool,
    bytes: Zeroizing<Vec<u8>>,
}

impl Run {
    /// Checks the item and the languages (before any page is read) and reads the item's bytes.
    pub fn start(journal: &Journal, id: i64, languages: Option<&str>) -> Result<Run> {
        let item = journal.evidence(id)?;
        if item.trashed {
            return Err(Error::invalid(
                "evidence item",
                format!("{id} is in the trash; restore it before reading its text"),
            ));
        }
        let languages = languages.map_or_else(|| languages_for(&item.state.language), str::to_owned);
        let data = check_languages(&languages, data_folder().as_deref())?;
        let size = usize::try_from(item.state.size).unwrap_or(usize::MAX);
        let head = journal.read_evidence_range(id, 0, size.min(1024))?;
        let is_pdf = crate::pdf::sanitize::looks_like_pdf(&head);
        if !is_pdf && picture::format(&head).is_none() {
            return Err(Error::invalid_because(
                Reason::NotScan,
                "evidence item",
                format!(
                    "{id} ('{}') is neither a picture nor a PDF, so it has no page to read",
                    crate::text::shown(&item.state.title)
                ),
            ));
        }
        let bytes = Zeroizing::new(journal.read_evidence_range(id, 0, size)?);
        Ok(Run { id, languages, data, is_pdf, bytes })
    }

    /// The languages this run reads.
    pub fn languages(&self) -> &str {
        &self.languages
    }

    /// Reads the pages in workers, without the journal: a picture is one page; a PDF's pages are read on every
    /// core, those with text of their own only when `force` is set. `progress(done, total)` is called as pages
    /// finish; returning false cancels the run. A run that could read no page at all is an error.
    pub fn read(
        &self,
        worker: &Worker,
        force: bool,
        progress: &mut dyn FnMut(u32, u32) -> bool,
    ) -> Result<Vec<StoredPage>> {
        let (id, languages) = (self.id, self.languages.as_str());
        let pages = if self.is_pdf {
            pdf_pages(worker, id, &self.bytes, languages, self.data.clone(), force, progress)?
        } else {
            let worker = worker.clone().for_ocr(languages, self.data.clone());
            if !progress(0, 1) {
                return Err(Error::Cancelled);
            }
            let page = stored(1, worker.run_once(Mode::Ocr, &self.bytes))?;
            if !progress(1, 1) {
                return Err(Error::Cancelled);
            }
            vec![page]
        };
        // A run that read nothing at all changes nothing: its first page's failure is the error.
        if let Some(first) = pages.first().filter(|_| pages.iter().all(|p| p.problem.is_some())) {
            if first.problem.as_deref() != Some(HAS_TEXT) {
                let why = if first.detail.is_empty() {
                    first.problem.clone().unwrap_or_default()
                } else {
                    first.detail.clone()
                };
                return Err(Error::invalid_because(
                    Reason::OcrFailed,
                    "evidence item",
                    format!("{id}: no page could be read ({why}); nothing was stored"),
                ));
            }
        }
        Ok(pages)
    }

    /// Stores what `read` gave as the item's next version (refused if the item went to the trash meanwhile).
    pub fn save(self, journal: &mut Journal, pages: Vec<StoredPage>) -> Result<Outcome> {
        finish(journal, self.id, &self.languages, pages)
    }
}

/// The pages of a PDF: which carry text of their own (asked of the worker), then each page without text (or
/// every page, with `force`) read by OCR workers, one per core, in page order.
fn pdf_pages(
    worker: &Worker,
    id: i64,
    bytes: &[u8],
    languages: &str,
    data: PathBuf,
    force: bool,
    progress: &mut dyn FnMut(u32, u32) -> bool,
) -> Result<Vec<StoredPage>> {
    let unreadable = |why: String| {
        Error::invalid_because(
            Reason::OcrFailed,
            "evidence item",
            format!("{id}: the PDF cannot be read: {why}"),
        )
    };
    let answer = worker.run_once(Mode::ScanPages, bytes).map_err(|f| unreadable(f.to_string()))?;
    let scan: Vec<ScanPage> = serde_json::from_slice(&answer).map_err(|e| unreadable(e.to_string()))?;
    let wanted: Vec<usize> = (0..scan.len()).filter(|&i| force || !scan[i].has_text).collect();
    if wanted.is_empty() {
        return Err(Error::invalid_because(
            Reason::NotScan,
            "evidence item",
            format!(
                "{id} is a PDF whose pages carry text of their own; ask again to read them with OCR anyway"
            ),
        ));
    }
    let total = wanted.len() as u32;
    let mut pages: Vec<StoredPage> = (0..scan.len())
        .filter(|i| !wanted.contains(i))
        .map(|i| skipped(i as u32 + 1, HAS_TEXT, String::new()))
        .collect();
    let worker = worker.clone().for_ocr(languages, data);
    let mut queue = wanted.iter();
    let done = std::cell::Cell::new(0);
    let mut failure = None;
    let cancelled = worker.run_batch(
        Vec::<()>::new(),
        || -> Result<Option<Job>> {
            if !progress(done.get(), total) {
                return Err(Error::Cancelled);
            }
            Ok(queue.next().map(|&i| {
                let mut input = (i as u32).to_le_bytes().to_vec();
                input.extend_from_slice(bytes);
                (i, Input::Bytes(input))
            }))
        },
        |_, _, _| Err("nothing to load".to_owned()),
        |_, _| Some(Mode::OcrPdfPage),
        |i, _, answer| stored(i as u32 + 1, answer.unwrap_or(Err(Failure::Crashed))),
        |_, mut input, page| {
            zeroize::Zeroize::zeroize(&mut input);
            done.set(done.get() + 1);
            match page {
                Ok(page) => pages.push(page),
                Err(e) => failure = failure.take().or(Some(e)),
            }
        },
    );
    cancelled?;
    if let Some(e) = failure {
        return Err(e);
    }
    if !progress(total, total) {
        return Err(Error::Cancelled);
    }
    pages.sort_by_key(|p| p.page);
    Ok(pages)
}

fn skipped(page: u32, reason: &str, detail: String) -> StoredPage {
    StoredPage {
        page,
        width: 0,
        height: 0,
        text: String::new(),
        words: "[]".to_owned(),
        placement: None,
        problem: Some(reason.to_owned()),
        detail,
    }
}

/// A page as stored: its text and words, or why it has none. A worker that could not be started at all fails
/// the whole run (no page could be read), never a page.
fn stored(page: u32, answer: std::result::Result<Vec<u8>, Failure>) -> Result<StoredPage> {
    match answer {
        Ok(json) => {
            let text: PageText = serde_json::from_slice(&json)
                .map_err(|e| Error::Integrity(format!("the OCR worker's answer for page {page}: {e}")))?;
            let words = serde_json::to_string(&text.words)
                .map_err(|e| Error::Integrity(format!("page {page}'s words could not be encoded: {e}")))?;
            let placement = text.placement.and_then(|m| serde_json::to_string(&m).ok());
            Ok(StoredPage {
                page,
                width: text.width,
                height: text.height,
                text: text.text,
                words,
                placement,
                problem: None,
                detail: String::new(),
            })
        }
        Err(Failure::Unavailable(why)) => Err(Error::invalid_because(
            Reason::OcrUnavailable,
            "OCR",
            format!("the reader of untrusted files could not be started: {why}"),
        )),
        Err(failure) => Ok(skipped(page, failure.code(), failure.detail().to_owned())),
    }
}

fn finish(journal: &mut Journal, id: i64, languages: &str, pages: Vec<StoredPage>) -> Result<Outcome> {
    let skipped = pages
        .iter()
        .filter_map(|p| {
            let reason = p.problem.clone()?;
            Some(SkippedPage { page: p.page, reason, detail: p.detail.clone() })
        })
        .collect();
    let words = pages
        .iter()
        .map(|p| serde_json::from_str::<Vec<serde_json::Value>>(&p.words).map_or(0, |w| w.len() as u32))
        .sum();
    let count = pages.len() as u32;
    let version = journal.save_recognised(Kind::Evidence, id, languages, &pages)?;
    Ok(Outcome { version, languages: languages.to_owned(), pages: count, skipped, words })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_items_languages_as_stored_read_in_the_first_it_lists() {
        assert_eq!(languages_for("ru, en"), "rus+eng", "languages are stored as codes, several joined");
        assert_eq!(languages_for("uk"), "ukr+eng");
        assert_eq!(languages_for("en, ru"), "eng");
        assert_eq!(languages_for("Klingon"), DEFAULT_LANGUAGES);
        assert_eq!(languages_for(""), DEFAULT_LANGUAGES);
    }
}
