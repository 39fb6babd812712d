//! How a page looks: a generic document (title, headings, paragraphs, key–value lines, lists, tables, a signature)
//! laid out by our own line layout on printpdf's page ops, with the compiled-in Noto Sans faces, and finished with
//! lopdf (document language, outline, metadata). The one decision to know: everything is laid out first, then
//! painted, so every page knows the page count for its "Page x of y" and `measure` counts pages with the very code
//! `render` uses. What a CCF draft *says* lives in `ccf`; this module only knows blocks.

mod deflate;
mod fonts;
pub mod isolate;
mod layout;
pub(crate) mod merge;
pub mod ocr;
pub mod picture;
mod render;
pub(crate) mod sanitize;
pub(crate) mod scanned;
mod shape;

use crate::error::{Error, Result};

/// A document to print. Text is plain Unicode; characters the fonts lack are replaced visibly and reported.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The document title in the PDF metadata (what a viewer shows in its title bar).
    pub title: String,
    /// BCP-47 tag of the document language ("en", "fr", "es"), written as the catalog's /Lang.
    pub language: String,
    pub author: String,
    pub subject: String,
    /// Printed at the bottom of every page, e.g. "Draft for review by counsel — not legal advice".
    pub footer: String,
    /// The page number at the bottom right of every page; `{page}` and `{pages}` are replaced, e.g.
    /// "Page {page} of {pages}", "Page {page} sur {pages}", "Página {page} de {pages}".
    pub page_label: String,
    /// A label per page, replacing `page_label` where given (a bundle's stamps); `{page}`/`{pages}` work here too.
    pub page_labels: Vec<String>,
    /// Labels the footer keeps room for beside its text (numbers at their widest), so that no page's own label
    /// runs into it: a bundle gives its stamps here from its first layout on, so room does not change the layout
    /// once the page numbers are known.
    pub label_samples: Vec<String>,
    pub blocks: Vec<Block>,
}

/// One element of the document's flow, laid out top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The document's title on the page: large, bold, centred.
    Title(String),
    /// A section heading, bold, never left alone at the bottom of a page. With `bookmark`, it also gets an entry
    /// in the PDF outline (the viewer's bookmarks pane).
    Heading { text: String, bookmark: bool },
    /// Running text, wrapped to the text width. A `\n` starts a new line; consecutive spaces count as one.
    Paragraph(String),
    /// Label–value lines: the label bold in a left column, the value wrapped beside it. Labels are printed as
    /// given, so include a colon if the language wants one ("Nom :" in French).
    KeyValue(Vec<(String, String)>),
    /// A numbered list (1., 2., …), each item wrapped with a hanging indent.
    List(Vec<String>),
    /// A table with wrapped cells; the header row is repeated at the top of each page the table continues on.
    /// `widths` are the columns' shares of the text width (normalised; empty means equal columns). A row with
    /// fewer cells than columns leaves the rest empty. An empty `header` prints no header row.
    Table { header: Vec<String>, rows: Vec<Vec<String>>, widths: Vec<f32> },
    /// Extra vertical space in points (1/72 inch), dropped at the top of a page.
    Spacer(f32),
    /// Start a new page (ignored at the top of an empty page, so two in a row do not make a blank page).
    PageBreak,
    /// A place and date line, room for a handwritten signature, a line to sign on, and the name under it.
    Signature { place_date: String, name: String },
    /// A page of its own of `width` × `height` points that the caller fills afterwards (an exhibit's page or an
    /// image), with nothing on it but the page label. With `band`, a strip of `SLOT_BAND` points is added below
    /// the given height for the label, so it never covers what the page shows; without, the label sits where it
    /// does on every page, and the caller keeps the bottom margin free.
    Slot { width: f32, height: f32, band: bool },
}

/// A4 in points, width and height.
pub const A4: (f32, f32) = (layout::PAGE_W, layout::PAGE_H);

/// Height of the strip added below a `Block::Slot` page with `band`, for its label.
pub const SLOT_BAND: f32 = 22.0;

/// A finished PDF and what a caller may want to know about it.
#[derive(Clone, PartialEq)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pages: u32,
    /// Characters of the document the fonts cannot draw (emoji, CJK, control characters, direction marks), each
    /// once, in code point order. Each occurrence was printed as a visible replacement (U+FFFD).
    pub substituted: Vec<char>,
    /// Every `Heading`, in document order, with the (1-based) page it starts on.
    pub section_pages: Vec<(String, u32)>,
    /// The (1-based) page of every `Block::Slot`, in order.
    pub slot_pages: Vec<u32>,
    /// Where each body row of each table was printed: for a link over the row.
    pub table_rows: Vec<RowBox>,
}

/// The area a table row covers on one page, in PDF points from the page's bottom left. A row split over two pages
/// (only when it is taller than a page) has one box per page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowBox {
    /// The table's number among the document's `Block::Table`s, from 0.
    pub table: usize,
    pub row: usize,
    pub page: u32,
    pub rect: [f32; 4],
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("pages", &self.pages)
            .field("substituted", &self.substituted)
            .field("section_pages", &self.section_pages)
            .field("slot_pages", &self.slot_pages)
            .field("table_rows", &self.table_rows.len())
            .finish()
    }
}

/// Lays out and paints `doc` as an A4 PDF with embedded font subsets.
pub fn render(doc: &Document) -> Result<Rendered> {
    build(doc, true)
}

/// What `render` would report about `doc`, without painting it (`bytes` is empty): for callers that lay out
/// several times until page numbers settle, and paint once.
pub fn lay_out(doc: &Document) -> Result<Rendered> {
    build(doc, false)
}

fn build(doc: &Document, paint: bool) -> Result<Rendered> {
    check_language(&doc.language)?;
    let _forget = shape::ForgetOnDrop;
    let fonts = fonts::Fonts::get()?;
    let mut cleaner = fonts::Cleaner::new(fonts);
    let footer = layout::Footer::new(fonts, &mut cleaner, &doc.footer, &doc.page_label, &doc.label_samples);
    let labels: Vec<String> = doc.page_labels.iter().map(|l| cleaner.clean_line(l)).collect();
    let rtl = shape::is_rtl_language(&doc.language);
    let laid = layout::lay_out(fonts, &mut cleaner, &doc.blocks, footer.body_bottom(), rtl)?;
    let bytes = if paint { render::paint(fonts, doc, &labels, &laid, &footer)? } else { Vec::new() };
    let section_pages = laid.sections.iter().map(|s| (s.text.clone(), s.page)).collect();
    let slot_pages = (0..laid.pages.len())
        .filter(|&p| laid.slot_of(p).is_some())
        .map(|p| u32::try_from(p + 1).unwrap_or(u32::MAX))
        .collect();
    let table_rows = render::row_boxes(&laid);
    Ok(Rendered {
        bytes,
        pages: laid.page_count(),
        substituted: cleaner.substituted(),
        section_pages,
        slot_pages,
        table_rows,
    })
}

/// How many pages `blocks` take when laid out from the top of a fresh page, with exactly the layout `render` uses
/// (and a footer of one or two lines). The admissibility checklist measures the arguments' length with this.
pub fn measure(blocks: &[Block]) -> Result<u32> {
    let fonts = fonts::Fonts::get()?;
    let mut cleaner = fonts::Cleaner::new(fonts);
    let _forget = shape::ForgetOnDrop;
    let laid = layout::lay_out(fonts, &mut cleaner, blocks, layout::DEFAULT_BODY_BOTTOM, false)?;
    Ok(laid.page_count())
}

/// A BCP-47 tag in its plain shape: letters and digits in subtags of 1 to 8, joined by hyphens.
fn check_language(tag: &str) -> Result<()> {
    let ok = !tag.is_empty()
        && tag.len() <= 35
        && tag.split('-').all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
        && tag.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "language",
            format!("'{}' is not a language tag such as \"en\", \"fr\" or \"es\"", crate::text::shown(tag)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked() {
        for ok in ["en", "fr", "es", "en-GB", "es-419", "zh-Hant-TW"] {
            assert!(check_language(ok).is_ok(), "{ok} is a valid tag");
        }
        for bad in ["", "e n", "en_GB", "-en", "en-", "français", "toolongsubtag"] {
            assert!(check_language(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
