//! PDF rendering read back with the real tools: poppler's pdfinfo, pdftotext and pdffonts, and qpdf.

use std::path::PathBuf;

use redress_core::pdf::{measure, render, Block, Document, Rendered};

use crate::common::*;

mod arabic;
mod preview;

const NAME: &str = "Михаил Андреевич Орлов";
const FOOTER: &str = "Draft for review by counsel — not legal advice";
const SHAS: [&str; 3] = [
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
];

fn heading(text: &str, bookmark: bool) -> Block {
    Block::Heading { text: text.into(), bookmark }
}

fn para(text: &str) -> Block {
    Block::Paragraph(text.into())
}

/// A request-like draft over several pages: three languages' letters, digests, a long table, a list, a signature,
/// and two characters no face has (a CJK ideograph and an emoji).
fn draft() -> Document {
    let mut blocks = vec![
        Block::Title("Request to the Commission for the Control of INTERPOL's Files".into()),
        Block::KeyValue(vec![
            ("Applicant".into(), NAME.into()),
            ("Latin spelling".into(), "Mikhail Andreevich Orlov".into()),
            ("Date of birth".into(), "14 March 1979".into()),
            ("Représentant".into(), "Maître Hélène Dupont-Lefèvre, avocate à la Cour".into()),
        ]),
        heading("Zeta: summary of the request", true),
        para(
            "The applicant asks the Commission to delete the Red Notice published at the request of the \
              requesting country. Le requérant conteste la notice rouge : elle est fondée sur des faits à \
              caractère politique. El solicitante pide la supresión de la notificación roja; la petición es \
              urgente y está justificada.",
        ),
        heading("Alpha: same page, earlier in the outline than its name sorts", true),
        para(&format!("Он же {NAME}. The applicant's name in Cyrillic is {NAME}.")),
        heading("Not in the outline", false),
        para("This heading has no bookmark."),
        heading("Facts", true),
    ];
    for i in 1..=28 {
        blocks.push(para(&format!(
            "Fact {i}. On the {i}th day the applicant was summoned; the summons names him as {NAME} and refers \
             to proceedings that the European Court of Human Rights later found to be arbitrary. The \
             investigator's file (SHA-256 {}) was obtained through counsel.",
            SHAS[i % 3]
        )));
    }
    blocks.push(heading("Evidence", true));
    let rows = (1..=60)
        .map(|i| {
            vec![
                format!("{i}"),
                format!("Document {i}: décision de la cour d'appel, pièce n° {i}"),
                SHAS[i % 3].to_owned(),
            ]
        })
        .collect();
    blocks.push(Block::Table {
        header: vec!["No.".into(), "Document".into(), "SHA-256".into()],
        rows,
        widths: vec![0.08, 0.42, 0.5],
    });
    blocks.push(heading("Requests", true));
    blocks.push(Block::List(vec![
        "Delete the Red Notice and all data about the applicant from INTERPOL's files.".into(),
        "Pending that decision, block access to the data (Article 37 of the Statute of the CCF).".into(),
        "Inform the applicant and his counsel of the outcome.".into(),
    ]));
    blocks.push(para("Characters no face has: 中 and 😀 must not vanish."));
    blocks.push(Block::Spacer(12.0));
    blocks.push(Block::Signature { place_date: "Lyon, 2 March 2026".into(), name: NAME.into() });
    blocks.push(Block::PageBreak);
    blocks.push(heading("Annex: list of documents", true));
    blocks.push(para("See the table in the section on evidence."));
    Document {
        title: "CCF request — Mikhail Orlov".into(),
        language: "en".into(),
        author: "Hélène Dupont-Lefèvre".into(),
        subject: "Request for deletion of a Red Notice".into(),
        footer: FOOTER.into(),
        page_label: "Page {page} of {pages}".into(),
        page_labels: Vec::new(),
        label_samples: Vec::new(),
        blocks,
    }
}

pub(crate) struct Pdf {
    _dir: tempfile::TempDir,
    pub(crate) path: PathBuf,
}

pub(crate) fn write_pdf(rendered: &Rendered) -> Pdf {
    let dir = scratch();
    let path = write(dir.path(), "draft.pdf", &rendered.bytes);
    Pdf { _dir: dir, path }
}

#[test]
fn a_draft_reads_back_with_poppler_and_qpdf() {
    let doc = draft();
    let rendered = render(&doc).unwrap();
    let pdf = write_pdf(&rendered);
    assert!(rendered.pages >= 5, "the sample draft spans several pages, got {}", rendered.pages);

    let info = tool("pdfinfo", &[], &pdf.path);
    assert_eq!(info_field(&info, "Pages"), rendered.pages.to_string(), "pdfinfo's page count is ours");
    assert_eq!(info_field(&info, "Title"), doc.title);
    assert_eq!(info_field(&info, "Author"), doc.author);
    assert_eq!(info_field(&info, "Subject"), doc.subject);
    assert_eq!(info_field(&info, "Producer"), "Redress");
    assert!(info_field(&info, "Page size").contains("(A4)"), "{info}");

    let pages = page_texts(&pdf.path);
    assert_eq!(pages.len() as u32, rendered.pages);
    for (k, page) in pages.iter().enumerate() {
        let label = format!("Page {} of {}", k + 1, rendered.pages);
        assert!(page.contains(FOOTER), "the footer must be on page {} too: {page}", k + 1);
        assert!(page.contains(&label), "page {} must say '{label}': {page}", k + 1);
    }
    // Every heading is on the page `section_pages` says, in document order.
    let headings: Vec<&str> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(rendered.section_pages.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(), headings);
    for (text, page) in &rendered.section_pages {
        let on_page = squeeze(&pages[*page as usize - 1]);
        assert!(on_page.contains(&squeeze(text)), "heading '{text}' must be on page {page}");
    }
    let all = pages.concat();
    // Lines may break anywhere in a phrase: compare with whitespace runs as single spaces.
    let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(NAME), "the Cyrillic name must be extractable text");
    assert!(flat.contains("Le requérant conteste la notice rouge"), "French accents survive");
    assert!(flat.contains("la petición es urgente y está justificada"), "Spanish accents survive");
    assert!(flat.contains("Maître Hélène Dupont-Lefèvre"));
    let squeezed = squeeze(&all);
    for sha in SHAS {
        assert!(squeezed.contains(sha), "digest {sha} must be printed whole (possibly across lines)");
    }
    // The table goes on over pages, its header repeated on each.
    let table_pages: Vec<_> = pages.iter().filter(|p| p.contains("décision de la cour")).collect();
    assert!(table_pages.len() >= 2, "the 60-row table spans pages");
    for p in &table_pages {
        assert!(p.contains("No.") && p.contains("SHA-256"), "the table header is repeated: {p}");
    }
    for i in 1..=60 {
        assert!(flat.contains(&format!("pièce n° {i} ")), "row {i} of the table is printed");
    }

    // Characters no face has are reported and printed as a visible replacement.
    assert_eq!(rendered.substituted, vec!['中', '😀']);
    assert!(
        flat.contains("no face has: \u{FFFD} and \u{FFFD} must not vanish"),
        "replacement glyphs are visible"
    );

    let fonts = tool("pdffonts", &[], &pdf.path);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "regular and bold, nothing else: {fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let (name, emb, sub, uni) =
            (cols[0], cols[cols.len() - 5], cols[cols.len() - 4], cols[cols.len() - 3]);
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+' && name[..6].bytes().all(|b| b.is_ascii_uppercase()),
            "a subset font carries a subset tag: {row}"
        );
        assert!(name.contains("NotoSans"), "{row}");
        assert_eq!((emb, sub, uni), ("yes", "yes", "yes"), "embedded, subset, with a ToUnicode map: {row}");
    }
    let size = rendered.bytes.len();
    assert!(size < 150 * 1024, "a {}-page draft is {size} bytes", rendered.pages);

    let check = tool("qpdf", &["--check"], &pdf.path);
    assert!(check.contains("No syntax or stream encoding errors found"), "{check}");

    // The outline: one entry per bookmarked heading, in document order, pointing at the heading's page.
    let json: serde_json::Value =
        serde_json::from_str(&tool("qpdf", &["--json=2", "--json-key=outlines"], &pdf.path)).unwrap();
    let outline: Vec<(String, u64)> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["title"].as_str().unwrap().to_owned(), o["destpageposfrom1"].as_u64().unwrap()))
        .collect();
    let expected: Vec<(String, u64)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { text, bookmark: true } => Some(text.clone()),
            _ => None,
        })
        .map(|t| {
            let page = rendered.section_pages.iter().find(|(s, _)| *s == t).unwrap().1;
            (t, u64::from(page))
        })
        .collect();
    assert_eq!(outline, expected);
    assert_eq!(
        expected[0].1, expected[1].1,
        "the sample has two bookmarks on one page ('Zeta' before 'Alpha')"
    );

    // The catalog names the language and opens the outline.
    let trailer = tool("qpdf", &["--show-object=trailer"], &pdf.path);
    let root = trailer.split("/Root ").nth(1).and_then(|s| s.split(' ').next()).unwrap().to_owned();
    let catalog = tool("qpdf", &[&format!("--show-object={root}")], &pdf.path);
    assert!(catalog.contains("/Lang (en)"), "{catalog}");
    assert!(catalog.contains("/PageMode /UseOutlines"), "{catalog}");

    // Measuring the same blocks gives the page count rendering gives.
    assert_eq!(measure(&doc.blocks).unwrap(), rendered.pages);
}

#[test]
fn labels_and_footers_follow_the_language() {
    let mut doc = draft();
    doc.language = "fr".into();
    doc.footer = "Projet à faire relire par un avocat — ce n'est pas un avis juridique".into();
    doc.page_label = "Page {page} sur {pages}".into();
    doc.blocks.truncate(6);
    let rendered = render(&doc).unwrap();
    let pdf = write_pdf(&rendered);
    let pages = page_texts(&pdf.path);
    assert_eq!(pages.len(), 1);
    assert!(pages[0].contains("Page 1 sur 1"));
    assert!(pages[0].contains("ce n'est pas un avis juridique"));
    let trailer = tool("qpdf", &["--show-object=trailer"], &pdf.path);
    let root = trailer.split("/Root ").nth(1).and_then(|s| s.split(' ').next()).unwrap().to_owned();
    assert!(tool("qpdf", &[&format!("--show-object={root}")], &pdf.path).contains("/Lang (fr)"));
    assert_eq!(render(&doc).unwrap().bytes, rendered.bytes, "the same document gives the same bytes");
    doc.language = "fr_FR".into();
    let err = render(&doc).unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
}

/// A document of exactly `pages` pages: one section per page, each with a heading, text and a small table.
fn pages_of_text(pages: usize) -> Document {
    let mut blocks = Vec::new();
    for p in 1..=pages {
        if p > 1 {
            blocks.push(Block::PageBreak);
        }
        blocks.push(heading(&format!("Section {p}"), true));
        for i in 0..6 {
            blocks.push(para(&format!(
                "Paragraph {i} of section {p}. The applicant, {NAME}, submits that the notice is based on \
                 facts of a predominantly political character, contrary to Article 3 of INTERPOL's \
                 Constitution; le requérant demande l'effacement des données. Digest {}.",
                SHAS[(p + i) % 3]
            )));
        }
        blocks.push(Block::Table {
            header: vec!["Date".into(), "Event".into()],
            rows: (1..=5)
                .map(|r| vec![format!("2019-0{r}-1{r}"), format!("Hearing {r} in Москва")])
                .collect(),
            widths: vec![0.3, 0.7],
        });
    }
    Document {
        title: "Twenty pages".into(),
        language: "en".into(),
        footer: FOOTER.into(),
        page_label: "Page {page} of {pages}".into(),
        page_labels: Vec::new(),
        label_samples: Vec::new(),
        blocks,
        ..Default::default()
    }
}

#[test]
fn a_twenty_page_document_stays_under_150_kb() {
    let rendered = render(&pages_of_text(20)).unwrap();
    assert_eq!(rendered.pages, 20);
    assert!(rendered.bytes.len() < 150 * 1024, "20 pages take {} bytes", rendered.bytes.len());
    let pdf = write_pdf(&rendered);
    assert_eq!(page_texts(&pdf.path).len(), 20);
    assert!(rendered.substituted.is_empty());
}
