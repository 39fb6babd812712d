//! Issue 14 §2: Arabic laid out right to left, shaped, and read back in logical order by poppler.

use redress_core::pdf::{render, Block, Document};

use super::write_pdf;
use crate::common::*;

const COMMISSION: &str = "لجنة الرقابة على محفوظات الإنتربول";
const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn arabic(blocks: Vec<Block>) -> Document {
    Document {
        title: "طلب".into(),
        language: "ar".into(),
        footer: "مسودة لمراجعة المحامي — ليست استشارة قانونية".into(),
        page_label: "الصفحة {page} من {pages}".into(),
        blocks,
        ..Default::default()
    }
}

/// pdftotext's words with their boxes: (text, xMin, yMin, xMax).
fn words(path: &std::path::Path) -> Vec<(String, f32, f32, f32)> {
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |line: &str, name: &str| -> f32 {
        let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[at..].split('"').next().unwrap().parse().unwrap()
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let text = l.split('>').nth(1).unwrap().split('<').next().unwrap().to_owned();
            (text, attr(l, "xMin"), attr(l, "yMin"), attr(l, "xMax"))
        })
        .collect()
}

#[test]
fn issue_14_a_mixed_line_reads_right_to_left_and_copies_in_logical_order() {
    let sentence = format!("تقدم Mikhail Orlov بتاريخ 2024-03-01 بطلب إلى {COMMISSION}.");
    let doc = arabic(vec![
        Block::Title("طلب محو البيانات".into()),
        Block::Paragraph(sentence.clone()),
        Block::KeyValue(vec![("الاسم".into(), "Mikhail Orlov".into())]),
        Block::List(vec![format!("المرفق 1، SHA-256 {SHA}")]),
        Block::Table {
            header: vec!["الرقم".into(), "المستند".into()],
            rows: vec![vec!["7".into(), "جواز السفر".into()]],
            widths: vec![0.2, 0.8],
        },
    ]);
    let rendered = render(&doc).unwrap();
    assert!(rendered.substituted.is_empty(), "{:?}", rendered.substituted);
    let pdf = write_pdf(&rendered);
    tool("qpdf", &["--check"], &pdf.path);

    // Copying gives the words in the order they were written: the sentence (poppler may move a space to the
    // other side of a Latin run, so spaces are not compared there), the Commission's name, the Latin name and
    // the digest intact, spaces and all.
    let text = page_texts(&pdf.path).join("\n");
    assert!(squeeze(&text).contains(&squeeze(&sentence)), "the sentence in logical order:\n{text}");
    assert!(text.contains(COMMISSION) && text.contains("Mikhail Orlov") && text.contains(SHA), "{text}");

    // The page shows it right to left: the first word at the right margin, the Latin name reading left to
    // right, and the date (after the name in the text) to the name's left.
    let w = words(&pdf.path);
    // -bbox lists each word as it stands, an Arabic one with its letters left to right.
    let find = |t: &str| {
        let shown: String =
            if t.chars().any(|c| c > '\u{0600}') { t.chars().rev().collect() } else { t.into() };
        w.iter().find(|x| x.0 == t || x.0 == shown).unwrap_or_else(|| panic!("'{t}' in {w:?}")).clone()
    };
    let (first, mikhail, orlov, date) = (find("تقدم"), find("Mikhail"), find("Orlov"), find("2024-03-01"));
    assert!((first.2 - mikhail.2).abs() < 1.0 && (mikhail.2 - date.2).abs() < 1.0, "one line");
    let right_margin = 595.2756 - 70.866;
    assert!((first.3 - right_margin).abs() < 1.0, "the line starts at the right margin: {first:?}");
    assert!(mikhail.1 < orlov.1 && orlov.1 < first.1, "the name left to right, right of it the start");
    assert!(date.3 < mikhail.1, "the date, written after the name, stands to its left: {date:?} {mikhail:?}");
    // The key–value label stands right of its value.
    let label = find("الاسم");
    let values: Vec<_> = w.iter().filter(|x| x.0 == "Mikhail").collect();
    assert!(values.iter().any(|v| (v.2 - label.2).abs() < 1.0 && v.3 < label.1), "label right of value");

    // A list's number stands right of its item, at the margin; a table's first column is the rightmost.
    let (number, item) = (find(".1"), find("المرفق"));
    assert!((number.3 - right_margin).abs() < 1.0 && item.3 < number.1, "{number:?} {item:?}");
    let (first, second) = (find("الرقم"), find("المستند"));
    assert!(second.3 < first.1, "the first column at the right: {first:?} {second:?}");
    // Both Arabic faces that were used and Noto Sans are embedded as subsets.
    let fonts = tool("pdffonts", &[], &pdf.path);
    assert!(fonts.contains("NotoNaskhArabic"), "{fonts}");
    assert!(fonts.contains("NotoSans-Regular"), "{fonts}");
    assert!(fonts.lines().skip(2).all(|l| l.contains("yes yes")), "{fonts}");
    // The name, the date and the digest are each written as one string of glyphs, as on a left-to-right page
    // (`Tj`), not a string per glyph: the Arabic page stays within twice the English one's time (`make bench`).
    let lo = lopdf::Document::load_mem(&rendered.bytes).unwrap();
    let page = *lo.get_pages().get(&1).unwrap();
    let content = lopdf::content::Content::decode(&lo.get_page_content(page)).unwrap();
    let one_string = |len: usize| {
        content.operations.iter().any(|op| {
            op.operator == "Tj"
                && op.operands.first().and_then(|o| o.as_str().ok()).is_some_and(|s| s.len() == len * 2)
        })
    };
    assert!(one_string("Mikhail Orlov".len()) && one_string("2024-03-01".len()), "{:?}", content.operations);
    assert!(one_string(SHA.len()), "the digest as one string");
    // The catalog says the document is Arabic.
    let trailer = tool("qpdf", &["--show-object=trailer"], &pdf.path);
    let root = trailer.split("/Root ").nth(1).and_then(|s| s.split(' ').next()).unwrap().to_owned();
    assert!(tool("qpdf", &[&format!("--show-object={root}")], &pdf.path).contains("/Lang (ar)"));
}

#[test]
fn issue_14_arabic_letters_are_shaped_not_printed_in_isolated_forms() {
    // Shaping changes widths: a joined word is narrower than its letters printed alone, and pdftotext gives back
    // the letters (never presentation forms) of the lam-alef ligature.
    let rendered = render(&arabic(vec![Block::Paragraph("لا إله الإنتربول".into())])).unwrap();
    let pdf = write_pdf(&rendered);
    let text = page_texts(&pdf.path).join("\n");
    assert!(text.contains("لا إله الإنتربول"), "{text}");
    assert!(!text.chars().any(|c| ('\u{FB50}'..='\u{FEFF}').contains(&c)), "no presentation forms: {text}");
}

#[test]
fn issue_14_footer_and_page_label_change_sides_right_to_left() {
    let blocks = (0..80).map(|i| Block::Paragraph(format!("فقرة رقم {i} من نص طويل."))).collect();
    let rendered = render(&arabic(blocks)).unwrap();
    assert!(rendered.pages >= 2);
    let pdf = write_pdf(&rendered);
    let w = words(&pdf.path);
    let shown = |t: &str| -> String { t.chars().rev().collect() };
    let footer = w.iter().find(|x| x.0 == "مسودة" || x.0 == shown("مسودة")).unwrap();
    assert!((footer.3 - (595.2756 - 70.866)).abs() < 1.0, "the footer ends at the right margin: {footer:?}");
    let label = w.iter().find(|x| x.0 == "الصفحة" || x.0 == shown("الصفحة")).unwrap();
    assert!(label.1 < 300.0, "the page label is at the left: {label:?}");
    let texts = page_texts(&pdf.path);
    assert!(
        squeeze(&texts[1]).contains(&squeeze(&format!("الصفحة 2 من {}", rendered.pages))),
        "{}",
        texts[1]
    );
}
