//! The worker's side of `isolate`, with the parsers it runs: a PDF is sanitised to pages (`sanitize`), a picture
//! prepared for a page or looked into for metadata (`picture`), a page read by OCR (`ocr`, only in a worker that
//! links Tesseract). Also the path the app, the CLI and the tests use for the pool (`pdf::isolate::Worker`), kept
//! from before the pool became its own module.

use super::{ocr, picture, sanitize, scanned};
pub use crate::isolate::{Failure, Worker, WORKER_FLAG};
use crate::isolate::{Mode, Refusal, EXIT_UNREADABLE};

/// If this process was started as a worker, serves jobs until its input ends, then exits; otherwise returns at
/// once. Call it first thing in `main`, before anything else starts (threads, windows). Serves every mode, OCR
/// included (`redress-ocr-worker`, and `redress-cli`, its own worker).
pub fn serve_if_requested() {
    crate::isolate::serve(answer_all, ocr::prepare);
}

/// `serve_if_requested` without OCR: the parsers of files alone (`redress-worker`). Tesseract is not referenced,
/// so the linker leaves libtesseract and the 50-odd libraries it pulls in (libcurl, GnuTLS, Kerberos…) out of
/// the program: less code within a booby-trapped file's reach, and a start in a fraction of the time.
pub fn serve_parsers_if_requested() {
    crate::isolate::serve(answer, |_, _| {});
}

fn answer_all(mode: Mode, input: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    match mode {
        Mode::Ocr => ocr::recognise(input)
            .and_then(|page| serde_json::to_vec(&page).map_err(|e| (EXIT_UNREADABLE, e.to_string()))),
        Mode::OcrPdfPage => ocr::recognise_pdf_page(input)
            .and_then(|page| serde_json::to_vec(&page).map_err(|e| (EXIT_UNREADABLE, e.to_string()))),
        _ => answer(mode, input),
    }
}

fn answer(mode: Mode, input: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    match mode {
        Mode::Pdf => sanitize::sanitize(input),
        Mode::Picture => {
            picture::prepare(input).map_err(|e| (EXIT_UNREADABLE, e.0)).and_then(|(header, bytes)| {
                let mut out = serde_json::to_vec(&header).map_err(|e| (EXIT_UNREADABLE, e.to_string()))?;
                out.push(b'\n');
                out.extend(bytes);
                Ok(out)
            })
        }
        Mode::Inspect => {
            let metadata = if sanitize::looks_like_pdf(input) {
                sanitize::pdf_metadata(input)?
            } else {
                picture::metadata(input)
            };
            serde_json::to_vec(&metadata).map_err(|e| (EXIT_UNREADABLE, e.to_string()))
        }
        Mode::PageCount => sanitize::page_count(input),
        Mode::Preview => picture::preview(input).map_err(|e| (EXIT_UNREADABLE, e.0)),
        Mode::Ocr | Mode::OcrPdfPage => {
            Err((EXIT_UNREADABLE, "this reader does not recognise text (redress-ocr-worker does)".to_owned()))
        }
        Mode::ScanPages => scanned::scan_pages(input),
        // The protocol answers these itself, without a parser.
        Mode::Status => Err((EXIT_UNREADABLE, "not a parser's job".to_owned())),
        #[cfg(debug_assertions)]
        Mode::Probe => Err((EXIT_UNREADABLE, "not a parser's job".to_owned())),
    }
}

/// The preview of an evidence picture, decoded and re-encoded in the worker (the webview never decodes the
/// original): its MIME type (`image/png` or `image/jpeg`) and bytes, or why the worker gave none.
pub fn preview_picture(
    worker: &Worker,
    bytes: &[u8],
) -> std::result::Result<(&'static str, Vec<u8>), Failure> {
    let out = worker.run_once(Mode::Preview, bytes)?;
    // The answer is checked for what it claims to be before the webview is handed it.
    let mime = if out.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if out.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else {
        return Err(Failure::Unreadable("the worker's preview is neither PNG nor JPEG".into()));
    };
    Ok((mime, out))
}
