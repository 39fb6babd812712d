//! Painting laid-out pages as printpdf ops (one text object per page, glyphs placed line by line), then finishing
//! the file with lopdf: printpdf writes the fonts as subsets with their /ToUnicode maps, but has no /Lang and sorts
//! same-page bookmarks by name, so the outline, the language and the document info are set here, on printpdf's own
//! lopdf document (the same lopdf 0.44, no second parse). No dates are written: a draft does not say when it was
//! printed unless its text does.

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Codepoint, Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PdfDocument, PdfFont, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, TextItem, TextMatrix,
};
use sha2::{Digest, Sha256};

use super::fonts::{Font, Fonts, Script, Style};
use super::layout::{
    Footer, Item, Laid, Role, Slot, StripRef, FOOTER, FOOTER_BASELINE, MARGIN_TOP, MARGIN_X, PAGE_H, TEXT_W,
};
use super::shape;
use super::{Block, Document, RowBox, SLOT_BAND};
use crate::error::{Error, Result};

/// Resource names of the fonts. Their first six letters become the subset tag ("RDXREG+NotoSans-Regular").
const REGULAR_ID: &str = "RDXREG";
const BOLD_ID: &str = "RDXBLD";
const ARABIC_REGULAR_ID: &str = "RDXARR";
const ARABIC_BOLD_ID: &str = "RDXARB";

fn font_id(style: Style, script: Script) -> &'static str {
    match (style, script) {
        (Style::Regular, Script::Latin) => REGULAR_ID,
        (Style::Bold, Script::Latin) => BOLD_ID,
        (Style::Regular, Script::Arabic) => ARABIC_REGULAR_ID,
        (Style::Bold, Script::Arabic) => ARABIC_BOLD_ID,
    }
}
const FOOTER_GREY: f32 = 0.35;

pub(crate) fn paint(
    fonts: &Fonts,
    doc: &Document,
    labels: &[String],
    laid: &Laid,
    footer: &Footer,
) -> Result<Vec<u8>> {
    let mut pdf = PdfDocument::new(&doc.title);
    let rtl = shape::is_rtl_language(&doc.language);
    let mut arabic = false;
    let total = laid.page_count();
    let body_top = PAGE_H - MARGIN_TOP;
    for (n, page) in laid.pages.iter().enumerate() {
        let page_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let label = match labels.get(n) {
            Some(own) => Footer::label_with(own, page_no, total),
            None => footer.label(page_no, total),
        };
        if let Some(slot) = laid.slot_of(n) {
            let (page, used) = slot_page(fonts, rtl, slot, &label);
            arabic |= used;
            pdf.pages.push(page);
            continue;
        }
        let mut text = Painter::new(fonts, rtl);
        let mut rules = Vec::new();
        for placed in page {
            let Some(strip) = laid.strip(placed.strip) else { continue };
            let top = body_top - placed.top;
            for item in &strip.items {
                match item {
                    Item::Text { x, baseline, style, size, text: t } => {
                        text.show(*style, *size, 0.0, MARGIN_X + x, top - baseline, t);
                    }
                    Item::Rule { x1, x2, y, width, grey } => {
                        rules.push((MARGIN_X + x1, MARGIN_X + x2, top - y, *width, *grey));
                    }
                }
            }
        }
        // The footer: its text bottom-up from the last baseline, the page label on that baseline at the other
        // end (right of a left-to-right page, left of a right-to-left one).
        let lh = Footer::line_height();
        for (k, line) in footer.lines.iter().rev().enumerate() {
            let x = if rtl { MARGIN_X + TEXT_W - fonts.regular.width(line, FOOTER) } else { MARGIN_X };
            text.show(Style::Regular, FOOTER, FOOTER_GREY, x, FOOTER_BASELINE + k as f32 * lh, line);
        }
        let label_x = if rtl { MARGIN_X } else { MARGIN_X + TEXT_W - fonts.regular.width(&label, FOOTER) };
        text.show(Style::Regular, FOOTER, FOOTER_GREY, label_x, FOOTER_BASELINE, &label);
        let footer_rule = FOOTER_BASELINE + (footer.lines.len().max(1) - 1) as f32 * lh + FOOTER + 5.0;
        rules.push((MARGIN_X, MARGIN_X + TEXT_W, footer_rule, 0.4, 0.6));

        arabic |= text.arabic;
        let mut ops = text.finish();
        for (x1, x2, y, width, grey) in rules {
            ops.push(Op::SetOutlineColor { col: grey_color(grey) });
            ops.push(Op::SetOutlineThickness { pt: Pt(width) });
            ops.push(Op::DrawLine { line: segment(x1, x2, y) });
        }
        pdf.pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }

    let mut used = vec![(REGULAR_ID, &fonts.regular.latin), (BOLD_ID, &fonts.bold.latin)];
    if arabic {
        used.extend([(ARABIC_REGULAR_ID, &fonts.regular.arabic), (ARABIC_BOLD_ID, &fonts.bold.arabic)]);
    }
    for (id, font) in used {
        pdf.resources.fonts.map.insert(FontId(id.to_owned()), PdfFont::new(font.parsed.clone()));
    }
    let options =
        PdfSaveOptions { optimize: true, subset_fonts: true, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&options, &mut warnings);
    if let Some(w) = warnings.iter().find(|w| w.severity == printpdf::PdfParseErrorSeverity::Error) {
        return Err(Error::Integrity(format!("the PDF writer reported a problem: {}", w.msg)));
    }
    finish(&mut lo, doc, laid)
        .map_err(|e| Error::Integrity(format!("the PDF could not be finished: {e}")))?;
    super::deflate::compress_streams(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| Error::io("writing the PDF", std::io::Error::other(e.to_string())))?;
    Ok(bytes)
}

/// A page the caller fills: only its label, at the right (at the left in a right-to-left document), in the band
/// below the content or in the usual footer. Also says whether the label needed the Arabic font.
fn slot_page(fonts: &Fonts, rtl: bool, slot: Slot, label: &str) -> (PdfPage, bool) {
    let mut text = Painter::new(fonts, rtl);
    let (height, baseline, right) = if slot.band {
        (slot.height + SLOT_BAND, 7.5, 18.0_f32.min(slot.width / 8.0))
    } else {
        (slot.height, FOOTER_BASELINE, MARGIN_X.min(slot.width / 8.0))
    };
    let x = if rtl { right } else { (slot.width - right - fonts.regular.width(label, FOOTER)).max(4.0) };
    text.show(Style::Regular, FOOTER, FOOTER_GREY, x, baseline, label);
    let arabic = text.arabic;
    (PdfPage::new(Pt(slot.width).into(), Pt(height).into(), text.finish()), arabic)
}

/// The boxes of the tables' body rows, page by page, in PDF coordinates.
pub(crate) fn row_boxes(laid: &Laid) -> Vec<RowBox> {
    let body_top = PAGE_H - MARGIN_TOP;
    let mut boxes: Vec<RowBox> = Vec::new();
    for (n, page) in laid.pages.iter().enumerate() {
        let page_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        for placed in page {
            let StripRef::Flow(_) = placed.strip else { continue };
            let Some(strip) = laid.strip(placed.strip) else { continue };
            let (Role::TableRow(table), Some(row)) = (strip.role, strip.row) else { continue };
            let top = body_top - placed.top;
            let bottom = top - strip.height;
            match boxes.last_mut() {
                Some(b) if b.table == table && b.row == row && b.page == page_no => b.rect[1] = bottom,
                _ => boxes.push(RowBox {
                    table,
                    row,
                    page: page_no,
                    rect: [MARGIN_X, bottom, MARGIN_X + TEXT_W, top],
                }),
            }
        }
    }
    boxes
}

/// Text ops of one page, inside one BT/ET, switching font and colour only when they change.
struct Painter<'f> {
    fonts: &'f Fonts,
    /// The document is written right to left: every line is ordered by the bidi algorithm.
    rtl: bool,
    ops: Vec<Op>,
    font: Option<(Style, Script, u32)>,
    grey: Option<u32>,
    /// Some text needed the Arabic fonts.
    arabic: bool,
}

impl<'f> Painter<'f> {
    fn new(fonts: &'f Fonts, rtl: bool) -> Self {
        Painter { fonts, rtl, ops: Vec::new(), font: None, grey: None, arabic: false }
    }

    /// `text` with its left end at (x, y): drawn as it is when it is left-to-right text without Arabic in a
    /// left-to-right document, otherwise shaped and ordered glyph by glyph (`shape::line`).
    fn show(&mut self, style: Style, size: f32, grey: f32, x: f32, y: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.ops.is_empty() {
            self.ops.push(Op::StartTextSection);
        }
        if self.grey != Some(grey.to_bits()) {
            self.ops.push(Op::SetFillColor { col: grey_color(grey) });
            self.grey = Some(grey.to_bits());
        }
        if !self.rtl && !shape::is_complex(text) {
            self.set_font(style, Script::Latin, size);
            self.ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(x), Pt(y)) });
            self.ops.push(Op::ShowText { items: vec![TextItem::Text(text.to_owned())] });
            return;
        }
        // One show per run of glyphs in one font on the baseline (a mark raised above its letter gets its own),
        // each glyph placed exactly by the TJ number after the one before it: the viewer advances by the glyph's
        // /W width, and the number makes up the difference to where the shaper put the next glyph (none when
        // they agree, which is most of the time).
        let face = self.fonts.face(style);
        // Spaces between Arabic words are gaps, not glyphs (`shape::line`): the words join one show, and a reader
        // of the page (poppler, a viewer) sees the gap as a space.
        let (glyphs, _) = shape::line(face, text, size, self.rtl);
        let mut rest = glyphs.as_slice();
        while let Some(first) = rest.first() {
            let n = if first.y != 0.0 {
                1
            } else {
                rest.iter().take_while(|g| g.script == first.script && g.y == 0.0).count()
            };
            let (run, after) = rest.split_at(n);
            rest = after;
            let first = &run[0];
            self.set_font(style, first.script, size);
            self.ops
                .push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(x + first.x), Pt(y + first.y)) });
            let font = face.font(first.script);
            // Positions in thousandths of an em from the run's first glyph, as TJ counts.
            let origin = first.x;
            let at = |x: f32| (x - origin) * 1000.0 / size;
            let offset = |k: usize| match run.get(k + 1) {
                Some(next) => {
                    let off = at(run[k].x) + font.pdf_width(run[k].gid) - at(next.x);
                    // Float noise is no reason for a number.
                    if off.abs() < 0.01 {
                        0.0
                    } else {
                        (off * 100.0).round() / 100.0
                    }
                }
                None => 0.0,
            };
            if let Some(plain) = plain_text(font, text, run, offset) {
                // A name, a date or a digest: the same glyphs as text, as a left-to-right page draws them.
                self.ops.push(Op::ShowText { items: vec![TextItem::Text(plain)] });
                continue;
            }
            let mut items = Vec::with_capacity(run.len());
            for (k, g) in run.iter().enumerate() {
                let offset = offset(k);
                // The glyph's characters, for the PDF's /ToUnicode map.
                let cid = (!g.text.is_empty()).then(|| text[g.text.clone()].to_owned());
                items.push(Codepoint { gid: g.gid, offset, cid });
            }
            self.ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(items)] });
        }
    }

    fn set_font(&mut self, style: Style, script: Script, size: f32) {
        if self.font != Some((style, script, size.to_bits())) {
            let id = font_id(style, script);
            self.ops
                .push(Op::SetFont { font: PdfFontHandle::External(FontId(id.to_owned())), size: Pt(size) });
            self.font = Some((style, script, size.to_bits()));
            self.arabic |= script == Script::Arabic;
        }
    }

    fn finish(mut self) -> Vec<Op> {
        if !self.ops.is_empty() {
            self.ops.push(Op::EndTextSection);
        }
        self.ops
    }
}

/// The characters of `run` when drawing them as text draws the same page: each glyph is its one character's own
/// glyph in the font, and each stands where the one before it leaves the pen (no TJ number). So does a Latin run
/// of a right-to-left line, shaped without kerning or ligatures: a name, a date, a digest. Given as text, printpdf
/// writes it as one string, not one per glyph, and maps it for copying from its characters, as on a left-to-right
/// page. `offset(k)` is the TJ number after glyph `k`.
fn plain_text(
    font: &Font,
    line: &str,
    run: &[shape::Glyph],
    offset: impl Fn(usize) -> f32,
) -> Option<String> {
    let mut text = String::new();
    for (k, g) in run.iter().enumerate() {
        let mut chars = line.get(g.text.clone())?.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else { return None };
        if font.glyph_of(c) != g.gid || offset(k) != 0.0 {
            return None;
        }
        text.push(c);
    }
    Some(text)
}

/// DeviceGray: 0 is black, 1 white.
fn grey_color(grey: f32) -> Color {
    Color::Greyscale(Greyscale::new(grey.clamp(0.0, 1.0), None))
}

fn segment(x1: f32, x2: f32, y: f32) -> Line {
    let point = |x: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
    Line { points: vec![point(x1), point(x2)], is_closed: false }
}

/// The catalog's /Lang and outline, the document info, the file identifier.
fn finish(lo: &mut lopdf::Document, doc: &Document, laid: &Laid) -> lopdf::Result<()> {
    lo.version = "1.7".into();
    let page_ids = lo.get_pages();
    let body_top = PAGE_H - MARGIN_TOP;
    let marks: Vec<(&str, ObjectId, f32)> = laid
        .sections
        .iter()
        .filter(|s| s.bookmark)
        .filter_map(|s| Some((s.text.as_str(), *page_ids.get(&s.page)?, body_top - s.top)))
        .collect();
    let outline = if marks.is_empty() { None } else { Some(outline(lo, &marks)) };

    let catalog = lo.catalog_mut()?;
    catalog.set("Lang", Object::String(doc.language.as_bytes().to_vec(), StringFormat::Literal));
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", true);
    catalog.set("ViewerPreferences", prefs);
    match outline {
        Some(root) => {
            catalog.set("Outlines", Object::Reference(root));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => {
            catalog.remove(b"Outlines");
            catalog.set("PageMode", Object::Name(b"UseNone".to_vec()));
        }
    }

    let info_id = lo.trailer.get(b"Info")?.as_reference()?;
    let info = lo.get_dictionary_mut(info_id)?;
    *info = Dictionary::new();
    for (key, value) in [("Title", &doc.title), ("Author", &doc.author), ("Subject", &doc.subject)] {
        if !value.trim().is_empty() {
            info.set(key, text_string(value));
        }
    }
    info.set("Producer", text_string("Redress"));
    info.set("Creator", text_string("Redress"));

    // The same document gives the same file: the identifier is a digest of what it says, not a random number.
    let id = Object::String(fingerprint(doc).to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    Ok(())
}

/// A flat outline, one entry per bookmarked heading in document order, each pointing at the heading itself.
fn outline(lo: &mut lopdf::Document, marks: &[(&str, ObjectId, f32)]) -> ObjectId {
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = marks.iter().map(|_| lo.new_object_id()).collect();
    for (i, (title, page, y)) in marks.iter().enumerate() {
        let mut item = Dictionary::new();
        item.set("Title", text_string(title));
        item.set("Parent", Object::Reference(root));
        if i > 0 {
            item.set("Prev", Object::Reference(ids[i - 1]));
        }
        if let Some(next) = ids.get(i + 1) {
            item.set("Next", Object::Reference(*next));
        }
        let dest = vec![
            Object::Reference(*page),
            Object::Name(b"XYZ".to_vec()),
            Object::Null,
            Object::Real((y + 4.0).min(PAGE_H)),
            Object::Null,
        ];
        item.set("Dest", Object::Array(dest));
        lo.objects.insert(ids[i], Object::Dictionary(item));
    }
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
        dict.set("First", Object::Reference(*first));
        dict.set("Last", Object::Reference(*last));
    }
    dict.set("Count", Object::Integer(i64::try_from(ids.len()).unwrap_or(i64::MAX)));
    lo.objects.insert(root, Object::Dictionary(dict));
    root
}

/// A PDF text string: UTF-16BE with its byte order mark, so any script survives.
pub(crate) fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn fingerprint(doc: &Document) -> [u8; 16] {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    for s in [&doc.title, &doc.language, &doc.author, &doc.subject, &doc.footer, &doc.page_label] {
        put(s);
    }
    doc.page_labels.iter().for_each(|l| put(l));
    for block in &doc.blocks {
        put(match block {
            Block::Title(_) => "title",
            Block::Heading { .. } => "heading",
            Block::Paragraph(_) => "paragraph",
            Block::KeyValue(_) => "key-value",
            Block::List(_) => "list",
            Block::Table { .. } => "table",
            Block::Spacer(_) => "spacer",
            Block::PageBreak => "page-break",
            Block::Signature { .. } => "signature",
            Block::Slot { .. } => "slot",
        });
        match block {
            Block::Title(t) | Block::Paragraph(t) => put(t),
            Block::Heading { text, bookmark } => {
                put(text);
                put(if *bookmark { "b" } else { "-" });
            }
            Block::KeyValue(rows) => rows.iter().for_each(|(k, v)| {
                put(k);
                put(v);
            }),
            Block::List(items) => items.iter().for_each(|i| put(i)),
            Block::Table { header, rows, widths } => {
                header.iter().for_each(|c| put(c));
                for row in rows {
                    put(&row.len().to_string());
                    row.iter().for_each(|c| put(c));
                }
                widths.iter().for_each(|w| put(&w.to_string()));
            }
            Block::Spacer(p) => put(&p.to_string()),
            Block::PageBreak => {}
            Block::Signature { place_date, name } => {
                put(place_date);
                put(name);
            }
            Block::Slot { width, height, band } => {
                put(&format!("{width}x{height}{band}"));
            }
        }
    }
    let digest = h.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    id
}
