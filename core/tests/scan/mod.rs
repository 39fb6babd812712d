//! Scans (issue 13, item 1): offline OCR in the sandboxed worker. The page is made in the test (ImageMagick draws
//! Russian and English lines with a system font), imported as a PNG and inside an image-only PDF (its picture
//! stored once as a JPEG and once as Flate samples), read by Tesseract in a real worker, stored in the real
//! SQLCipher journal and found by search. Bad input changes nothing: the run fails with words and no version.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use lopdf::{dictionary, Object, Stream};
use redress_core::evidence::{check_source, EvidenceMeta};
use redress_core::isolate::Layer;
use redress_core::pdf::isolate::Worker;
use redress_core::scan::{self, Outcome, HAS_TEXT};
use redress_core::{Error, Kind, Reason, Vault};

use crate::common::{new_vault, no_progress, scratch};

mod translations;

const LINES: [&str; 3] =
    ["Приговор Басманного районного суда", "Judgment of the district court", "Обвинение по статье 159 УК РФ"];

/// The app's pair: files read by `redress-worker`, OCR run by `redress-ocr-worker`.
fn worker() -> Worker {
    Worker::new(env!("CARGO_BIN_EXE_redress-worker"))
        .with_ocr_program(env!("CARGO_BIN_EXE_redress-ocr-worker"))
}

/// A page picture with `LINES`, drawn by ImageMagick in DejaVu Sans (both installed by `make`).
fn page(dir: &Path, name: &str, lines: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut convert = Command::new("convert");
    convert.args([
        "-size",
        "1700x460",
        "xc:white",
        "-font",
        "DejaVu-Sans",
        "-pointsize",
        "44",
        "-fill",
        "black",
    ]);
    for (k, line) in lines.iter().enumerate() {
        convert.args(["-annotate", &format!("+60+{}", 110 + 110 * k), line]);
    }
    let status = convert.arg("-colorspace").arg("Gray").arg(&out).status().unwrap_or_else(|e| {
        panic!("ImageMagick's convert is needed to draw the test page ({e}); `make deps` installs it")
    });
    assert!(status.success(), "convert failed for {name}");
    out
}

/// An image-only PDF: page 1 the picture as a JPEG (DCTDecode), page 2 the same pixels as Flate-compressed grey
/// samples, page 3 a page with text of its own (a font) and no picture.
fn image_only_pdf(dir: &Path, png: &Path) -> PathBuf {
    let jpeg = dir.join("page.jpg");
    assert!(Command::new("convert").arg(png).args(["-quality", "90"]).arg(&jpeg).status().unwrap().success());
    let grey = image::open(png).unwrap().into_luma8();
    let (w, h) = grey.dimensions();
    let mut flate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    flate.write_all(grey.as_raw()).unwrap();
    let samples = flate.finish().unwrap();

    let mut doc = lopdf::Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let image = |filter: &str, content: Vec<u8>| {
        Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => filter,
            },
            content,
        )
    };
    let mut kids = Vec::new();
    let (pw, ph) = (w as f32 * 72.0 / 200.0, h as f32 * 72.0 / 200.0);
    for xobject in [image("DCTDecode", fs::read(&jpeg).unwrap()), image("FlateDecode", samples)] {
        let im = doc.add_object(xobject);
        let content = format!("q {pw} 0 0 {ph} 0 0 cm /Im1 Do Q").into_bytes();
        let content = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), pw.into(), ph.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => im } }, "Contents" => content,
        }));
    }
    let font =
        doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let content =
        doc.add_object(Stream::new(dictionary! {}, b"BT /F1 12 Tf 72 720 Td (Typed page) Tj ET".to_vec()));
    kids.push(doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } }, "Contents" => content,
    }));
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids.into_iter().map(Object::Reference).collect::<Vec<_>>(), "Count" => count,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let out = dir.join("scan.pdf");
    doc.save(&out).unwrap();
    out
}

fn import(vault: &mut Vault, path: &Path) -> i64 {
    let source = check_source(path).unwrap();
    vault.journal_mut().import(&source, &EvidenceMeta::default(), &mut no_progress()).unwrap().id
}

fn ocr(vault: &mut Vault, worker: &Worker, id: i64, langs: Option<&str>) -> redress_core::Result<Outcome> {
    scan::recognise(vault.journal_mut(), worker, id, langs, false, &mut |_, _| true)
}

fn page_text(vault: &Vault, id: i64, version: Option<u32>) -> Vec<String> {
    let (_, pages) = vault.journal().recognised_pages(Kind::Evidence, id, version).unwrap().unwrap();
    pages.into_iter().map(|p| p.text).collect()
}

fn found(vault: &Vault, word: &str) -> Vec<i64> {
    let hits = vault.journal().search(word, 20).unwrap();
    hits.into_iter().filter(|h| h.kind == Kind::Evidence).map(|h| h.id).collect()
}

#[test]
fn issue_13_a_scanned_page_as_a_picture_and_in_an_image_only_pdf_is_read_and_found_by_search() {
    let dir = scratch();
    let png = page(dir.path(), "page.png", &LINES);
    let pdf = image_only_pdf(dir.path(), &png);
    let (mut vault, _) = new_vault(dir.path());
    let picture = import(&mut vault, &png);
    let scan_pdf = import(&mut vault, &pdf);
    assert!(found(&vault, "Басманного").is_empty(), "nothing is recognised before OCR runs");

    let mut seen = Vec::new();
    let outcome = scan::recognise(vault.journal_mut(), &worker(), picture, None, false, &mut |d, t| {
        seen.push((d, t));
        true
    })
    .unwrap();
    assert_eq!((outcome.version, outcome.pages, outcome.languages.as_str()), (1, 1, "rus+eng"));
    assert!(outcome.skipped.is_empty() && outcome.words >= 12, "{outcome:?}");
    assert_eq!(seen.last(), Some(&(1, 1)), "progress ends at the last page: {seen:?}");
    let text = page_text(&vault, picture, None).join("\n");
    for word in ["Приговор", "Басманного", "Judgment", "district", "Обвинение", "159"]
    {
        assert!(text.contains(word), "'{word}' is not in the recognised text: {text}");
    }

    // The words carry boxes on the page picture, line by line down the page.
    let (_, pages) = vault.journal().recognised_pages(Kind::Evidence, picture, None).unwrap().unwrap();
    let words: Vec<redress_core::pdf::ocr::Word> = serde_json::from_str(&pages[0].words).unwrap();
    assert_eq!((pages[0].width, pages[0].height), (1700, 460));
    let at = |t: &str| words.iter().find(|w| w.text == t).unwrap_or_else(|| panic!("no word {t}: {words:?}"));
    let (first, second, third) = (at("Приговор"), at("Judgment"), at("Обвинение"));
    assert!(first.line < second.line && second.line < third.line, "{first:?} {second:?} {third:?}");
    assert!(first.y < second.y && second.y < third.y && (50..=80).contains(&first.x), "{first:?}");
    assert!(words.iter().all(|w| w.x + w.w <= 1700 && w.y + w.h <= 460 && w.w > 0 && w.h > 0));

    let outcome = ocr(&mut vault, &worker(), scan_pdf, None).unwrap();
    assert_eq!(outcome.pages, 3);
    let skipped: Vec<(u32, &str)> = outcome.skipped.iter().map(|s| (s.page, s.reason.as_str())).collect();
    assert_eq!(skipped, [(3, HAS_TEXT)], "the typed page is not read again: {outcome:?}");
    let texts = page_text(&vault, scan_pdf, None);
    for (k, page) in texts.iter().take(2).enumerate() {
        assert!(page.contains("Басманного") && page.contains("Judgment"), "PDF page {}: {page}", k + 1);
    }
    assert_eq!(texts[2], "", "a page not read has no text");

    let mut hits = found(&vault, "Басманного");
    hits.sort();
    assert_eq!(hits, [picture, scan_pdf], "search finds the Russian word in both scans, each once");
    let mut prefix = found(&vault, "басманн");
    prefix.sort();
    assert_eq!(prefix, hits, "as a prefix and in any case");
}

#[test]
fn issue_13_a_new_run_is_a_new_version_and_trash_restore_and_purge_carry_the_text() {
    let dir = scratch();
    let png = page(dir.path(), "page.png", &LINES);
    let (mut vault, _) = new_vault(dir.path());
    let id = import(&mut vault, &png);
    ocr(&mut vault, &worker(), id, Some("eng")).unwrap();
    let second = ocr(&mut vault, &worker(), id, Some("rus+eng")).unwrap();
    assert_eq!(second.version, 2);
    let versions = vault.journal().text_versions(Kind::Evidence, id).unwrap();
    let seen: Vec<(u32, &str)> = versions.iter().map(|v| (v.version, v.languages.as_str())).collect();
    assert_eq!(seen, [(1, "eng"), (2, "rus+eng")]);
    assert!(!page_text(&vault, id, Some(1))[0].contains("Басманного"), "English alone cannot read Cyrillic");
    assert!(page_text(&vault, id, None)[0].contains("Басманного"), "the newest run is the one shown");
    let history = vault.journal().history(Kind::Evidence, id).unwrap();
    assert_eq!(
        history.iter().filter(|e| e.action == "recognise").count(),
        2,
        "each run is in the audit chain"
    );
    assert!(vault.journal().verify().unwrap().ok());

    // The audit entry fixes each run's text by hash: an edit outside Redress is named by verify.
    let conn = vault.raw_connection().unwrap();
    let original: String = conn
        .query_row("SELECT p.text FROM recognised_page p JOIN recognised r ON r.id = p.recognised_id WHERE r.version = 2", [], |r| r.get(0))
        .unwrap();
    let forged = original.replace("159", "105");
    assert_ne!(forged, original, "the test's premise: the text holds the article number");
    let set = |text: &str| {
        conn.execute(
            "UPDATE recognised_page SET text = ?1 WHERE recognised_id = (SELECT id FROM recognised WHERE version = 2)",
            [text],
        )
        .unwrap()
    };
    set(&forged);
    let report = vault.journal().verify().unwrap();
    assert!(
        report.problems.iter().any(|p| p.message.contains("text recognised in evidence item")
            && p.message.contains("changed outside Redress")),
        "{:?}",
        report.problems
    );
    set(&original);
    assert!(vault.journal().verify().unwrap().ok(), "the original text verifies again");
    drop(conn);

    vault.journal_mut().trash(Kind::Evidence, id).unwrap();
    assert!(found(&vault, "Басманного").is_empty(), "a trashed item's text is not found");
    let refused = ocr(&mut vault, &worker(), id, None).unwrap_err();
    assert!(refused.to_string().contains("in the trash"), "{refused}");
    vault.journal_mut().restore(Kind::Evidence, id).unwrap();
    assert_eq!(found(&vault, "Басманного"), [id], "restored, its text is found again");

    let before = left_behind(&vault);
    assert!(
        before.0 >= 1 && before.2 >= 1 && before.3 >= 1,
        "the test's premise (the index's keys hold only each leaf's first term): {before:?}"
    );
    vault.journal_mut().trash(Kind::Evidence, id).unwrap();
    vault.journal_mut().purge(Kind::Evidence, id).unwrap();
    assert!(vault.journal().text_versions(Kind::Evidence, id).unwrap().is_empty(), "purge erases every run");
    assert!(found(&vault, "Басманного").is_empty());
    assert_eq!(
        left_behind(&vault),
        (0, 0, 0, 0),
        "the recognised words are gone from the index and the journal"
    );
    assert!(vault.journal().verify().unwrap().ok(), "the chain still verifies after the purge");
}

/// Where a recognised word could stay after "Erase for good": the index's raw blocks and keys (folded to lower
/// case), its content copy, and the recognised pages.
fn left_behind(vault: &Vault) -> (i64, i64, i64, i64) {
    let conn = vault.raw_connection().unwrap();
    let count = |sql: &str, word: &str| -> i64 { conn.query_row(sql, [word], |r| r.get(0)).unwrap() };
    (
        count("SELECT count(*) FROM search_data WHERE instr(block, CAST(?1 AS BLOB)) > 0", "басманного"),
        count(
            "SELECT count(*) FROM search_idx WHERE instr(CAST(term AS BLOB), CAST(?1 AS BLOB)) > 0",
            "басманного",
        ),
        count("SELECT count(*) FROM search_content WHERE instr(c3, ?1) > 0", "Басманного"),
        count("SELECT count(*) FROM recognised_page WHERE instr(text, ?1) > 0", "Басманного"),
    )
}

#[test]
fn issue_13_bad_input_gets_words_and_changes_nothing() {
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let png = page(dir.path(), "page.png", &LINES);
    let id = import(&mut vault, &png);
    let nothing_stored =
        |vault: &Vault, id: i64| vault.journal().text_versions(Kind::Evidence, id).unwrap().is_empty();
    let reason = |e: &Error| match e {
        Error::Invalid { reason, .. } => Some(*reason),
        _ => None,
    };

    let e = ocr(&mut vault, &worker(), id, Some("../etc")).unwrap_err();
    assert_eq!(reason(&e), Some(Reason::BadLanguages), "{e}");
    let e = ocr(&mut vault, &worker(), id, Some("rus+deu")).unwrap_err();
    assert_eq!(reason(&e), Some(Reason::OcrUnavailable), "{e}");
    assert!(e.to_string().contains("'deu' is not installed"), "the missing language is named: {e}");

    let notes = dir.path().join("notes.txt");
    fs::write(&notes, "Не картинка: a text file.\n").unwrap();
    let text = import(&mut vault, &notes);
    let e = ocr(&mut vault, &worker(), text, None).unwrap_err();
    assert_eq!(reason(&e), Some(Reason::NotScan), "{e}");

    // Killed mid-way: the worker overruns its deadline on the only page.
    let slow = worker().with_limits(Duration::from_millis(20), 768 << 20);
    let e = ocr(&mut vault, &slow, id, None).unwrap_err();
    assert!(e.to_string().contains("no page could be read") && e.to_string().contains("timed_out"), "{e}");

    // 20,000 × 20,000 pixels: refused by the decoder's bound in the worker, with words.
    let huge = dir.path().join("huge.png");
    let mut encoder = png::Encoder::new(fs::File::create(&huge).unwrap(), 20_000, 20_000);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().unwrap().into_stream_writer().unwrap();
    let row = vec![255u8; 20_000];
    for _ in 0..20_000 {
        writer.write_all(&row).unwrap();
    }
    writer.finish().unwrap();
    let huge_id = import(&mut vault, &huge);
    let e = ocr(&mut vault, &worker(), huge_id, None).unwrap_err();
    assert!(e.to_string().contains("no page could be read"), "{e}");
    for item in [id, text, huge_id] {
        assert!(nothing_stored(&vault, item), "item {item} has no recognised text after a failed run");
    }

    // A cancel before the end stores nothing either.
    let e = scan::recognise(vault.journal_mut(), &worker(), id, None, false, &mut |done, _| done == 0)
        .unwrap_err();
    assert!(matches!(e, Error::Cancelled), "{e}");
    assert!(nothing_stored(&vault, id));

    // A picture with no text is a finished run that found nothing, said so by its word count.
    let blank = dir.path().join("blank.png");
    assert!(Command::new("convert")
        .args(["-size", "800x600", "xc:white"])
        .arg(&blank)
        .status()
        .unwrap()
        .success());
    let blank_id = import(&mut vault, &blank);
    let outcome = ocr(&mut vault, &worker(), blank_id, None).unwrap();
    assert_eq!((outcome.words, outcome.pages), (0, 1), "{outcome:?}");
    assert_eq!(page_text(&vault, blank_id, None), [""]);
}

#[test]
fn issue_13_an_ocr_worker_keeps_every_wall_and_reads_no_file_but_its_languages() {
    let data = scan::data_folder().expect("Tesseract's language data is installed by `make deps`");
    let worker = worker().for_ocr("rus+eng", data.clone());
    let mut running = worker.start_for_test().unwrap();
    let protections = running.protections().unwrap();
    for layer in Layer::ALL {
        if matches!(layer, Layer::NoNetwork) {
            continue;
        }
        assert!(protections.is_active(layer), "{layer:?} is down in an OCR worker: {protections:?}");
    }
    let pid = running.pid().unwrap();
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    assert!(status.contains("Threads:\t1"), "Tesseract started no thread of its own:\n{status}");
    let said = running.probe(&data.join("eng.traineddata"), 9).unwrap();
    assert!(
        said.contains("open=13") || said.contains("open=1\n"),
        "the language data is refused once walled in: {said}"
    );
}

/// The pages of a PDF as `pdftotext` reads them (form feeds between pages).
fn pdf_pages_text(pdf: &Path) -> Vec<String> {
    let out =
        Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext (poppler-utils, `make deps`)");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).split('\u{c}').map(str::to_owned).collect()
}

/// Page `page` (from 1) of a PDF rendered by `pdftoppm` at 60 dpi, as RGB pixels.
fn render(pdf: &Path, page: usize, dir: &Path, name: &str) -> image::RgbImage {
    let prefix = dir.join(name);
    let n = page.to_string();
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-singlefile", "-f", &n, "-l", &n])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success());
    image::open(prefix.with_extension("png")).unwrap().into_rgb8()
}

/// Issue 13 §2: in the counsel bundle a recognised picture carries an invisible text layer over its words, so
/// counsel can search, select and copy them; the page looks exactly as it did without it, and the layer holds
/// only the words OCR read on that page.
#[test]
fn issue_13_a_recognised_scan_is_searchable_in_the_bundle_and_looks_the_same() {
    let dir = scratch();
    let png = page(dir.path(), "page.png", &LINES);
    let pdf = image_only_pdf(dir.path(), &png);
    let (mut vault, _) = new_vault(dir.path());
    let id = import(&mut vault, &png);
    let scan_pdf = import(&mut vault, &pdf);
    let spec = redress_core::bundle::BundleSpec::for_items(&[id, scan_pdf]);
    let before = dir.path().join("before.pdf");
    redress_core::bundle::export(&mut vault, &spec, None, &before, &worker(), &mut |_| true).unwrap();
    ocr(&mut vault, &worker(), id, None).unwrap();
    ocr(&mut vault, &worker(), scan_pdf, None).unwrap();
    let after = dir.path().join("after.pdf");
    redress_core::bundle::export(&mut vault, &spec, None, &after, &worker(), &mut |_| true).unwrap();

    let check = Command::new("qpdf").arg("--check").arg(&after).output().expect("qpdf (`make deps`)");
    assert!(check.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&check.stdout));
    let (pages_before, pages_after) = (pdf_pages_text(&before), pdf_pages_text(&after));
    assert_eq!(pages_before.len(), pages_after.len(), "the text layer adds no page");
    let found: Vec<usize> =
        (0..pages_after.len()).filter(|&k| pages_after[k].contains("Басманного")).collect();
    assert_eq!(
        found.len(),
        3,
        "the recognised word is on the picture's page and the PDF's two scanned pages, not its typed one nor the \
         bundle's own pages: {pages_after:?}"
    );
    for &k in &found {
        assert!(!pages_before[k].contains("Басманного"), "without OCR the scanned page has no such text");
        let (a, b) =
            (render(&before, k + 1, dir.path(), "before"), render(&after, k + 1, dir.path(), "after"));
        assert_eq!(a.dimensions(), b.dimensions());
        let differing = a.pixels().zip(b.pixels()).filter(|(p, q)| p != q).count();
        assert_eq!(differing, 0, "the invisible text changes no pixel of bundle page {}", k + 1);
        let text = &pages_after[k];
        assert!(
            text.find("Приговор") < text.find("Judgment") && text.find("Judgment") < text.find("Обвинение"),
            "bundle page {}: the lines in the order the page shows them: {text}",
            k + 1
        );
    }
    let k = found[0];
    for word in ["Приговор", "Judgment", "district", "Обвинение", "159"] {
        assert!(
            pages_after[k].contains(word),
            "'{word}' can be found on the exhibit page: {}",
            pages_after[k]
        );
    }
    // Nothing but the recognised words was added to the page's text.
    let (_, recognised) = vault.journal().recognised_pages(Kind::Evidence, id, None).unwrap().unwrap();
    let read: Vec<redress_core::pdf::ocr::Word> = serde_json::from_str(&recognised[0].words).unwrap();
    let mut added: Vec<&str> = pages_after[k].split_whitespace().collect();
    for w in pages_before[k].split_whitespace() {
        if let Some(at) = added.iter().position(|a| *a == w) {
            added.remove(at);
        }
    }
    assert!(
        added.iter().all(|a| read.iter().any(|r| r.text == *a)),
        "the layer carries only words OCR read there: {added:?}"
    );
    assert!(added.len() >= 12, "the words were added: {added:?}");
}

/// Issue 13, bad input: a 500-page scan. Its pages are counted before any is read, progress runs against all
/// 500, and a run stopped after a few pages stores nothing, so a partial text is never shown as the item's text.
#[test]
fn issue_13_a_500_page_scan_counts_every_page_and_a_stopped_run_stores_nothing() {
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let png = page(dir.path(), "page.png", &LINES[..1]);
    let grey = image::open(&png).unwrap().into_luma8();
    let (w, h) = grey.dimensions();
    let mut flate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    flate.write_all(grey.as_raw()).unwrap();
    let mut doc = lopdf::Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let im = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "FlateDecode",
        },
        flate.finish().unwrap(),
    ));
    let (pw, ph) = (w as f32 * 72.0 / 200.0, h as f32 * 72.0 / 200.0);
    let content =
        doc.add_object(Stream::new(dictionary! {}, format!("q {pw} 0 0 {ph} 0 0 cm /Im1 Do Q").into_bytes()));
    let kids: Vec<Object> = (0..500)
        .map(|_| {
            Object::Reference(doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), pw.into(), ph.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => im } }, "Contents" => content,
            }))
        })
        .collect();
    let path = save_pages(doc, pages_id, kids, &dir.path().join("500-pages.pdf"));
    let id = import(&mut vault, &path);

    let mut seen = Vec::new();
    let e = scan::recognise(vault.journal_mut(), &worker(), id, None, false, &mut |done, total| {
        seen.push((done, total));
        done < 3
    })
    .unwrap_err();
    assert!(matches!(e, Error::Cancelled), "{e}");
    assert!(seen.iter().all(|&(_, total)| total == 500), "progress counts all 500 pages: {seen:?}");
    let last = seen.last().map_or(0, |s| s.0);
    assert!((3..10).contains(&last), "it stops where asked, a page or two later on two cores: {seen:?}");
    assert!(vault.journal().text_versions(Kind::Evidence, id).unwrap().is_empty(), "nothing is stored");
    assert!(found(&vault, "Басманного").is_empty(), "and nothing is found by search");
}

/// A black-and-white scan stored as CCITT Group 4 fax (what scanners write for court papers), encoded in the test
/// with the `fax` crate: page 1 with 0 bits black (the default), page 2 with `BlackIs1` and a `Decode` of [1 0] (the
/// same page as shown). Both are read; a Group 3 page is refused by name.
#[test]
fn issue_13_a_ccitt_group_4_scan_is_read() {
    let dir = scratch();
    let png = page(dir.path(), "page.png", &LINES);
    let grey = image::open(&png).unwrap().into_luma8();
    let (w, h) = grey.dimensions();
    let encode = |black: bool| {
        let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
        for y in 0..h {
            let row = (0..w).map(|x| {
                if (grey.get_pixel(x, y).0[0] < 128) == black {
                    fax::Color::Black
                } else {
                    fax::Color::White
                }
            });
            encoder.encode_line(row, w as u16).unwrap();
        }
        encoder.finish().unwrap().finish()
    };
    let mut doc = lopdf::Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let (pw, ph) = (w as f32 * 72.0 / 200.0, h as f32 * 72.0 / 200.0);
    let mut kids = Vec::new();
    for (k, parms) in [
        dictionary! { "K" => -1, "Columns" => w as i64, "Rows" => h as i64 },
        dictionary! { "K" => -1, "Columns" => w as i64, "BlackIs1" => true },
        dictionary! { "K" => 0, "Columns" => w as i64 },
    ]
    .into_iter()
    .enumerate()
    {
        let mut dict = dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1, "Filter" => "CCITTFaxDecode",
            "DecodeParms" => parms,
        };
        if k == 1 {
            dict.set("Decode", vec![1.into(), 0.into()]);
        }
        let im = doc.add_object(Stream::new(dict, encode(true)).with_compression(false));
        let content = doc.add_object(Stream::new(
            dictionary! {},
            format!("q {pw} 0 0 {ph} 0 0 cm /Im1 Do Q").into_bytes(),
        ));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), pw.into(), ph.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => im } }, "Contents" => content,
        })));
    }
    let path = save_pages(doc, pages_id, kids, &dir.path().join("fax.pdf"));

    let (mut vault, _) = new_vault(dir.path());
    let id = import(&mut vault, &path);
    let outcome = ocr(&mut vault, &worker(), id, None).unwrap();
    assert_eq!(outcome.pages, 3);
    let texts = page_text(&vault, id, None);
    for (k, text) in texts.iter().take(2).enumerate() {
        assert!(text.contains("Басманного") && text.contains("Judgment"), "fax page {}: {text}", k + 1);
    }
    let skipped: Vec<(u32, String)> = outcome.skipped.iter().map(|s| (s.page, s.detail.clone())).collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].0 == 3 && skipped[0].1.contains("CCITT Group 3"), "named: {skipped:?}");
}

/// Saves `doc` with `kids` as its pages (under `pages_id`) to `path`.
fn save_pages(
    mut doc: lopdf::Document,
    pages_id: lopdf::ObjectId,
    kids: Vec<Object>,
    path: &Path,
) -> PathBuf {
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
    path.to_owned()
}

/// OCR runs in a program of its own: the app's reader of files (`redress-worker`) links no Tesseract, nor the
/// libraries it pulls in (libcurl, GnuTLS, Kerberos…), so a booby-trapped file has less code within its reach
/// and a bundle's workers start in a fraction of the time; an OCR job sent to it is refused by name.
#[test]
fn issue_12_the_reader_of_files_links_no_tesseract_and_refuses_ocr() {
    let needed = |program: &str| {
        let out = Command::new("ldd").arg(program).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let reader = needed(env!("CARGO_BIN_EXE_redress-worker"));
    for library in ["libtesseract", "libcurl", "libgnutls", "libkrb5"] {
        assert!(!reader.contains(library), "redress-worker links {library}:\n{reader}");
    }
    let ocr_reader = needed(env!("CARGO_BIN_EXE_redress-ocr-worker"));
    assert!(ocr_reader.contains("libtesseract"), "the OCR worker links Tesseract:\n{ocr_reader}");

    let dir = scratch();
    let png = page(dir.path(), "page.png", &LINES);
    let (mut vault, _) = new_vault(dir.path());
    let id = import(&mut vault, &png);
    let plain = Worker::new(env!("CARGO_BIN_EXE_redress-worker"));
    let e = ocr(&mut vault, &plain, id, None).unwrap_err().to_string();
    assert!(e.contains("does not recognise text") && e.contains("nothing was stored"), "{e}");
    assert!(vault.journal().recognised_pages(Kind::Evidence, id, None).unwrap().is_none(), "and it was not");
}
