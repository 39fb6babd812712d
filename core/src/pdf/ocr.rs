//! OCR in the worker: Tesseract reads a page's pixels and gives its text and the box of every word. Tesseract's
//! language data is loaded before the worker walls itself in (`prepare`, from the system's folder, trusted files
//! of the installed package); the untrusted page arrives after, is decoded by `image` (memory-safe, with limits)
//! and handed to Tesseract as grey pixels, so neither Tesseract nor Leptonica parses a file format. Tesseract runs
//! on one thread here (`OMP_THREAD_LIMIT=1` from the parent): the seccomp filter forbids new threads, and the
//! parent gets its speed from one worker per core instead.

use std::cell::RefCell;
use std::ffi::CString;

use serde::{Deserialize, Serialize};
use tesseract_plumbing::TessBaseApi;

use super::picture;
use crate::isolate::{Refusal, EXIT_UNREADABLE};

/// The longest side a page keeps for OCR: A4 at 600 dpi. A larger picture is scaled down to it first.
pub(crate) const OCR_MAX_SIDE: u32 = 7016;

/// One recognised word: its box on the page in the page picture's pixels (origin top left), its line (words of
/// one line share it, numbered down the page), Tesseract's confidence (0–100) and its text.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub line: u32,
    pub conf: f32,
    pub text: String,
}

/// What OCR found on one page: the page picture's size in pixels, the text in reading order, the words.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageText {
    pub width: u32,
    pub height: u32,
    pub text: String,
    pub words: Vec<Word>,
    /// For a page of a PDF: the matrix that maps the picture's unit square onto the page (PDF user space), when
    /// the page draws it once; the bundle lays the invisible text over the picture with it.
    #[serde(default)]
    #[ts(optional)]
    pub placement: Option<[f32; 6]>,
}

thread_local! {
    /// The worker's engine, loaded by `prepare` before the sandbox goes up (the worker runs one thread).
    static ENGINE: RefCell<Option<std::result::Result<TessBaseApi, String>>> = const { RefCell::new(None) };
}

/// Whether `languages` is a list of Tesseract language names joined by `+` (`rus+eng`, `chi_sim`): nothing that
/// could name a path.
pub(crate) fn valid_languages(languages: &str) -> bool {
    !languages.is_empty()
        && languages.len() <= 64
        && languages
            .split('+')
            .all(|l| (3..=16).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

/// Loads Tesseract with `languages` from the folder `data`, before the worker walls itself in; a failure is kept
/// and given as the answer to every OCR job, so the parent hears it in words.
pub(crate) fn prepare(data: &str, languages: &str) {
    let engine = (|| {
        if !valid_languages(languages) {
            return Err(format!("'{languages}' is not a list of OCR languages"));
        }
        let path = CString::new(data).map_err(|_| "the OCR data folder's name holds a NUL".to_owned())?;
        let langs = CString::new(languages).map_err(|_| "the OCR language list holds a NUL".to_owned())?;
        let mut api = TessBaseApi::create();
        api.init_2(Some(&path), Some(&langs))
            .map_err(|_| format!("Tesseract could not load the languages '{languages}' from {data}"))?;
        Ok(api)
    })();
    ENGINE.with(|e| *e.borrow_mut() = Some(engine));
}

/// Recognises the page picture `bytes` (any format `picture` decodes) with the engine `prepare` loaded.
pub(crate) fn recognise(bytes: &[u8]) -> std::result::Result<PageText, Refusal> {
    let grey = picture::grey_for_ocr(bytes, OCR_MAX_SIDE, true).map_err(|e| (EXIT_UNREADABLE, e.0))?;
    recognise_grey(&grey)
}

/// Recognises the picture on one page of a PDF: `input` is the page's index (from 0, a little-endian u32) and
/// the PDF.
pub(crate) fn recognise_pdf_page(input: &[u8]) -> std::result::Result<PageText, Refusal> {
    let (Some(index), Some(pdf)) = (input.get(..4), input.get(4..)) else {
        return Err((EXIT_UNREADABLE, "no page was named".into()));
    };
    let index = u32::from_le_bytes([index[0], index[1], index[2], index[3]]) as usize;
    let (grey, placement) = super::scanned::page_picture(pdf, index)?;
    Ok(PageText { placement, ..recognise_grey(&grey)? })
}

fn recognise_grey(grey: &image::GrayImage) -> std::result::Result<PageText, Refusal> {
    let unreadable = |why: String| (EXIT_UNREADABLE, why);
    ENGINE.with(|engine| {
        let mut engine = engine.borrow_mut();
        let api = match engine.as_mut() {
            Some(Ok(api)) => api,
            Some(Err(why)) => return Err(unreadable(why.clone())),
            None => return Err(unreadable("this worker was not started for OCR".into())),
        };
        let (width, height) = grey.dimensions();
        // Both sides are at most OCR_MAX_SIDE, so these fit an i32 and their product does too.
        let (w, h) = (width as i32, height as i32);
        api.set_image(grey.as_raw(), w, h, 1, w).map_err(|e| unreadable(format!("the page: {e}")))?;
        api.recognize().map_err(|_| unreadable("Tesseract could not read the page".into()))?;
        let text = api.get_utf8_text().map_err(|_| unreadable("Tesseract gave no text".into()))?;
        let text = text.as_ref().to_string_lossy().into_owned();
        let tsv = api.get_tsv_text(0).map_err(|_| unreadable("Tesseract gave no word boxes".into()))?;
        let words = words_of_tsv(&tsv.as_ref().to_string_lossy());
        Ok(PageText { width, height, text: text.trim_end().to_owned(), words, placement: None })
    })
}

/// The words of Tesseract's TSV (level, page, block, paragraph, line, word, left, top, width, height, confidence,
/// text): the rows of level 5 with some text, each with the number of its line counted down the page.
fn words_of_tsv(tsv: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut lines: Vec<(u32, u32, u32)> = Vec::new();
    for row in tsv.lines() {
        let cols: Vec<&str> = row.splitn(12, '\t').collect();
        if cols.len() != 12 || cols[0] != "5" {
            continue;
        }
        let text = cols[11].trim();
        let num = |i: usize| cols[i].trim().parse::<u32>().ok();
        let (Some(block), Some(par), Some(line), Some(x), Some(y), Some(w), Some(h)) =
            (num(2), num(3), num(4), num(6), num(7), num(8), num(9))
        else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let key = (block, par, line);
        let line = match lines.iter().position(|l| *l == key) {
            Some(n) => n,
            None => {
                lines.push(key);
                lines.len() - 1
            }
        } as u32;
        let conf = cols[10].trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 100.0);
        words.push(Word { x, y, w, h, line, conf, text: text.to_owned() });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::{valid_languages, words_of_tsv};

    #[test]
    fn language_lists_cannot_name_a_path() {
        assert!(valid_languages("rus+eng"));
        assert!(valid_languages("chi_sim"));
        for bad in ["", "../eng", "rus+", "RUS", "rus eng", "a+b", "/tmp/x"] {
            assert!(!valid_languages(bad), "{bad}");
        }
    }

    #[test]
    fn words_come_from_level_five_rows_with_their_lines() {
        let tsv = "1\t1\t0\t0\t0\t0\t0\t0\t100\t50\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.5\tПриговор\n\
                   5\t1\t1\t1\t1\t2\t45\t20\t20\t12\t91\tсуда\n\
                   5\t1\t1\t1\t2\t1\t10\t40\t30\t12\t88\tcourt\n\
                   5\t1\t1\t1\t2\t2\t45\t40\t20\t12\t-1\t \n";
        let words = words_of_tsv(tsv);
        let seen: Vec<(&str, u32, u32)> = words.iter().map(|w| (w.text.as_str(), w.line, w.x)).collect();
        assert_eq!(seen, [("Приговор", 0, 10), ("суда", 0, 45), ("court", 1, 10)]);
        assert_eq!(words[0].conf, 96.5);
    }
}
