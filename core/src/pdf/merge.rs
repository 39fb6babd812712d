//! Merging a bundle with lopdf: the pages Redress wrote (printpdf, with empty "slot" pages that carry only their
//! stamp) are filled with the exhibits' pages and pictures, then linked, bookmarked, given attachments and,
//! if asked, encrypted (AES-256, PDF 2.0 security handler revision 6). An exhibit's page enters as a Form XObject
//! drawn under the stamp, in a band added below it, so the stamp never covers what the exhibit shows, and the
//! page's own rotation is turned into the drawing matrix so every page reads upright with its stamp at the bottom.

use std::collections::BTreeMap;
use std::sync::Arc;

use lopdf::encryption::crypt_filters::{Aes256CryptFilter, CryptFilter};
use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use secrecy::{ExposeSecret, SecretString};

use super::layout::{DEFAULT_BODY_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_H, PAGE_W};
use super::picture::{Encoding, Prepared};
use super::render::text_string;
use super::SLOT_BAND;
use crate::error::{Error, Result};

/// A sanitized exhibit PDF (the isolated worker's answer), loaded, with what each page needs to be drawn.
pub(crate) struct Exhibit {
    doc: lopdf::Document,
    pages: Vec<PageInfo>,
}

#[derive(Debug, Clone, Copy)]
struct PageInfo {
    id: ObjectId,
    bbox: [f32; 4],
    rotate: i64,
}

impl Exhibit {
    /// Loads the worker's answer. It is lopdf's own output, but is still checked page by page.
    pub(crate) fn load(bytes: &[u8]) -> Result<Exhibit> {
        let bad = |why: String| Error::Integrity(format!("a sanitized exhibit is not as expected: {why}"));
        let doc = lopdf::Document::load_mem(bytes).map_err(|e| bad(e.to_string()))?;
        let mut pages = Vec::new();
        for id in doc.get_pages().into_values() {
            let dict = doc.get_dictionary(id).map_err(|e| bad(e.to_string()))?;
            let b: Vec<f32> = dict
                .get(b"MediaBox")
                .and_then(Object::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_float().ok()).collect())
                .map_err(|e| bad(e.to_string()))?;
            let [x0, y0, x1, y1] = b[..] else { return Err(bad("a page box has not four numbers".into())) };
            let rotate = dict.get(b"Rotate").and_then(Object::as_i64).unwrap_or(0);
            pages.push(PageInfo { id, bbox: [x0, y0, x1, y1], rotate });
        }
        if pages.is_empty() {
            return Err(bad("no pages".into()));
        }
        Ok(Exhibit { doc, pages })
    }

    pub(crate) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The size of page `n` (0-based) as it is seen, rotation applied, in points.
    pub(crate) fn page_size(&self, n: usize) -> (f32, f32) {
        let Some(p) = self.pages.get(n) else { return (PAGE_W, PAGE_H) };
        let (w, h) = (p.bbox[2] - p.bbox[0], p.bbox[3] - p.bbox[1]);
        if p.rotate == 90 || p.rotate == 270 {
            (h, w)
        } else {
            (w, h)
        }
    }
}

/// What fills one slot page.
pub(crate) enum Fill {
    /// Page `page` (0-based) of exhibit PDF number `exhibit`.
    Page { exhibit: usize, page: usize },
    /// Picture number `picture`.
    Picture { picture: usize },
}

/// A bookmark: level 0 at the top of the outline, level 1 under the level-0 entry before it.
pub(crate) struct Mark {
    pub(crate) title: String,
    pub(crate) level: u8,
    /// 1-based page.
    pub(crate) page: u32,
}

/// A file carried inside the PDF.
pub(crate) struct Attachment {
    /// The name shown in the viewer's attachments pane; unique within the bundle.
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) bytes: Vec<u8>,
}

/// A word recognised in a picture (OCR), for the invisible text layer over it: its box as fractions of the upright
/// picture (origin top left) and its text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextWord {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) w: f32,
    pub(crate) h: f32,
    pub(crate) text: String,
}

/// The words over one page's picture and the matrix placing the picture's unit square on that page.
pub(crate) type TextLayer = (Vec<TextWord>, [f32; 6]);

pub(crate) struct Merge<'a> {
    /// The rendered pages (cover, index, … and the slots).
    pub(crate) base: &'a [u8],
    /// The 1-based page of each slot, in order, and what fills it.
    pub(crate) slots: Vec<(u32, Fill)>,
    pub(crate) exhibits: Vec<Exhibit>,
    pub(crate) pictures: Vec<(Prepared, Vec<u8>)>,
    /// For each picture, the words OCR recognised in it (empty: no text layer).
    pub(crate) picture_words: Vec<Vec<TextWord>>,
    /// For pages of exhibit PDFs (exhibit, page, both 0-based): the words OCR read in the page's picture, and the
    /// matrix placing that picture's unit square on the page.
    pub(crate) page_words: std::collections::HashMap<(usize, usize), TextLayer>,
    /// (page, rectangle, target page), pages 1-based.
    pub(crate) links: Vec<(u32, [f32; 4], u32)>,
    pub(crate) marks: Vec<Mark>,
    pub(crate) attachments: Vec<Attachment>,
    pub(crate) password: Option<&'a SecretString>,
}

/// Writes the merged, finished PDF to `out`.
pub(crate) fn merge(m: Merge<'_>, out: &mut dyn std::io::Write) -> Result<()> {
    let fail = |e: lopdf::Error| Error::Integrity(format!("the bundle could not be assembled: {e}"));
    let mut doc = lopdf::Document::load_mem(m.base).map_err(fail)?;
    let page_ids = doc.get_pages();
    let page = |n: u32| {
        page_ids.get(&n).copied().ok_or_else(|| Error::Integrity(format!("the bundle has no page {n}")))
    };

    // Each exhibit's objects move in under fresh numbers; each page's content stream becomes a Form XObject.
    let mut forms: Vec<Vec<(ObjectId, PageInfo)>> = Vec::with_capacity(m.exhibits.len());
    for mut exhibit in m.exhibits {
        let start = doc.max_id + 1;
        let before: Vec<ObjectId> = exhibit.pages.iter().map(|p| p.id).collect();
        exhibit.doc.renumber_objects_with(start);
        let after: Vec<ObjectId> = exhibit.doc.get_pages().into_values().collect();
        if after.len() != before.len() {
            return Err(Error::Integrity("an exhibit lost pages while being merged".into()));
        }
        doc.max_id = exhibit.doc.objects.keys().map(|k| k.0).max().unwrap_or(start).max(doc.max_id);
        let mut list = Vec::with_capacity(after.len());
        for (info, id) in exhibit.pages.iter().zip(after) {
            let dict = exhibit.doc.get_dictionary(id).map_err(fail)?;
            let resources = dict.get(b"Resources").cloned().unwrap_or(Object::Dictionary(Dictionary::new()));
            let content = dict.get(b"Contents").and_then(Object::as_reference).map_err(fail)?;
            let stream = exhibit.doc.get_object_mut(content).and_then(Object::as_stream_mut).map_err(fail)?;
            stream.dict.set("Type", Object::Name(b"XObject".to_vec()));
            stream.dict.set("Subtype", Object::Name(b"Form".to_vec()));
            stream.dict.set("BBox", Object::Array(info.bbox.iter().map(|v| Object::Real(*v)).collect()));
            stream.dict.set("Resources", resources);
            list.push((content, PageInfo { id, ..*info }));
        }
        doc.objects.extend(std::mem::take(&mut exhibit.doc.objects));
        forms.push(list);
    }

    let mut pictures = Vec::with_capacity(m.pictures.len());
    for (header, bytes) in m.pictures {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Image".to_vec()));
        dict.set("Width", Object::Integer(i64::from(header.width)));
        dict.set("Height", Object::Integer(i64::from(header.height)));
        let space: &[u8] = if header.components == 1 { b"DeviceGray" } else { b"DeviceRGB" };
        dict.set("ColorSpace", Object::Name(space.to_vec()));
        dict.set("BitsPerComponent", Object::Integer(8));
        let stream = match header.encoding {
            Encoding::Jpeg => {
                dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
                Stream::new(dict, bytes).with_compression(false)
            }
            Encoding::Rgb => {
                let mut s = Stream::new(dict, bytes);
                s.compress().map_err(fail)?;
                s
            }
        };
        pictures.push((doc.add_object(stream), header));
    }

    let mut glyphless = None;
    let mut deflater = super::deflate::Deflater::new();
    for (slot_page, fill) in m.slots {
        let id = page(slot_page)?;
        let mut text_layer = None;
        let (name, xobject, matrix) = match fill {
            Fill::Page { exhibit, page: n } => {
                let (form, info) = forms
                    .get(exhibit)
                    .and_then(|f| f.get(n))
                    .copied()
                    .ok_or_else(|| Error::Integrity(format!("exhibit page {n} is missing")))?;
                let matrix = page_matrix(info.bbox, info.rotate);
                if let Some((words, placed)) = m.page_words.get(&(exhibit, n)).filter(|(w, _)| !w.is_empty())
                {
                    text_layer = Some(invisible_text(words, then(*placed, matrix)));
                }
                (b"RdxPage".to_vec(), form, matrix)
            }
            Fill::Picture { picture } => {
                let (image, header) = pictures
                    .get(picture)
                    .ok_or_else(|| Error::Integrity(format!("picture {picture} is missing")))?;
                if let Some(words) = m.picture_words.get(picture).filter(|w| !w.is_empty()) {
                    let (x, y, dw, dh) = picture_rect(header);
                    text_layer = Some(invisible_text(words, [dw, 0.0, 0.0, dh, x, y]));
                }
                (b"RdxPicture".to_vec(), *image, picture_matrix(header))
            }
        };
        let draw = format!(
            "q {} cm /{} Do Q\n",
            matrix.iter().map(|v| format!("{v:.4}")).collect::<Vec<_>>().join(" "),
            String::from_utf8_lossy(&name)
        );
        // A line of some 60 bytes: compressing it would save a few bytes and cost a compressor's setup per page.
        let draw_id =
            doc.add_object(Stream::new(Dictionary::new(), draw.into_bytes()).with_compression(false));
        let page_dict = doc.get_dictionary(id).map_err(fail)?;
        let mut resources = match page_dict.get(b"Resources") {
            Ok(Object::Reference(r)) => doc.get_dictionary(*r).map_err(fail)?.clone(),
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        let mut xobjects = match resources.get(b"XObject") {
            Ok(Object::Dictionary(d)) => d.clone(),
            Ok(Object::Reference(r)) => doc.get_dictionary(*r).map_err(fail)?.clone(),
            _ => Dictionary::new(),
        };
        xobjects.set(name, Object::Reference(xobject));
        resources.set("XObject", Object::Dictionary(xobjects));
        let mut contents = vec![Object::Reference(draw_id)];
        match page_dict.get(b"Contents") {
            Ok(Object::Array(a)) => contents.extend(a.iter().cloned()),
            Ok(other) => contents.push(other.clone()),
            Err(_) => {}
        }
        if let Some(text) = text_layer {
            let font = *glyphless.get_or_insert_with(|| glyphless_font(&mut doc));
            let mut fonts = match resources.get(b"Font") {
                Ok(Object::Dictionary(d)) => d.clone(),
                Ok(Object::Reference(r)) => doc.get_dictionary(*r).map_err(fail)?.clone(),
                _ => Dictionary::new(),
            };
            fonts.set("RdxOcr", Object::Reference(font));
            resources.set("Font", Object::Dictionary(fonts));
            let mut stream = Stream::new(Dictionary::new(), text);
            deflater.compress(&mut stream);
            // Second, after the picture and before the page's own drawing, in a saved graphics state, so the
            // stamp band's text is drawn as before (render mode 3 would otherwise stay set).
            contents.insert(1, Object::Reference(doc.add_object(stream)));
        }
        let page_dict = doc.get_dictionary_mut(id).map_err(fail)?;
        page_dict.set("Resources", Object::Dictionary(resources));
        page_dict.set("Contents", Object::Array(contents));
    }

    for (on, rect, target) in m.links {
        let (on, target) = (page(on)?, page(target)?);
        let mut link = Dictionary::new();
        link.set("Type", Object::Name(b"Annot".to_vec()));
        link.set("Subtype", Object::Name(b"Link".to_vec()));
        link.set("Rect", Object::Array(rect.iter().map(|v| Object::Real(*v)).collect()));
        link.set("Border", Object::Array(vec![0.into(), 0.into(), 0.into()]));
        link.set("Dest", Object::Array(vec![Object::Reference(target), Object::Name(b"Fit".to_vec())]));
        let link = doc.add_object(link);
        let page_dict = doc.get_dictionary_mut(on).map_err(fail)?;
        let mut annots = match page_dict.get(b"Annots") {
            Ok(Object::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        annots.push(Object::Reference(link));
        page_dict.set("Annots", Object::Array(annots));
    }

    let outline = outline(&mut doc, &m.marks, &page_ids)?;
    let files = attachments(&mut doc, m.attachments);
    let catalog = doc.catalog_mut().map_err(fail)?;
    if let Some(root) = outline {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    if let Some((tree, specs)) = files {
        let mut names = Dictionary::new();
        names.set("EmbeddedFiles", Object::Reference(tree));
        catalog.set("Names", Object::Dictionary(names));
        catalog.set("AF", Object::Array(specs.into_iter().map(Object::Reference).collect()));
    }
    doc.prune_objects();

    if let Some(password) = m.password {
        encrypt(&mut doc, password)?;
    }
    doc.save_to(&mut { out })
        .map_err(|e| Error::io("writing the bundle", std::io::Error::other(e.to_string())))?;
    Ok(())
}

/// Applies `b` after `a` (PDF matrices, row vectors).
pub(crate) fn then(a: [f32; 6], b: [f32; 6]) -> [f32; 6] {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// Draws a page's box upright, with its lower-left corner at the top of the stamp band.
fn page_matrix(bbox: [f32; 4], rotate: i64) -> [f32; 6] {
    let (w, h) = (bbox[2] - bbox[0], bbox[3] - bbox[1]);
    let to_origin = [1.0, 0.0, 0.0, 1.0, -bbox[0], -bbox[1]];
    let turn = match rotate {
        90 => [0.0, -1.0, 1.0, 0.0, 0.0, w],
        180 => [-1.0, 0.0, 0.0, -1.0, w, h],
        270 => [0.0, 1.0, -1.0, 0.0, h, 0.0],
        _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    };
    then(then(to_origin, turn), [1.0, 0.0, 0.0, 1.0, 0.0, SLOT_BAND])
}

/// Where a picture stands on its page, upright: its lower-left corner, width and height in points. It fits the
/// A4 text area (at most one point per pixel), centred and at the top.
fn picture_rect(p: &Prepared) -> (f32, f32, f32, f32) {
    let (pw, ph) = (p.width as f32, p.height as f32);
    let turned = p.metadata.orientation >= 5;
    let (dw0, dh0) = if turned { (ph, pw) } else { (pw, ph) };
    let (bw, bh) = (PAGE_W - 2.0 * MARGIN_X, PAGE_H - MARGIN_TOP - DEFAULT_BODY_BOTTOM);
    let scale = (bw / dw0).min(bh / dh0).min(1.0);
    let (dw, dh) = (dw0 * scale, dh0 * scale);
    (MARGIN_X + (bw - dw) / 2.0, PAGE_H - MARGIN_TOP - dh, dw, dh)
}

/// The invisible text layer over a picture whose unit square `m` maps onto the page (row 0 of the picture at the
/// top, v = 1): each word in render mode 3 (neither filled nor stroked) in the glyphless font, stretched over its
/// box, so a viewer finds, selects and copies it where the picture shows it, and the page looks exactly as before.
/// Characters outside the Basic Multilingual Plane are left out (the font's codes are two bytes).
fn invisible_text(words: &[TextWord], m: [f32; 6]) -> Vec<u8> {
    let mut out = String::from("q\nBT\n3 Tr\n/RdxOcr 1 Tf\n");
    for word in words {
        let codes: Vec<u16> = word.text.chars().filter_map(|c| u16::try_from(u32::from(c)).ok()).collect();
        if codes.is_empty() || word.w <= 0.0 || word.h <= 0.0 {
            continue;
        }
        // Every glyph of the font is half an em wide: the word's width over its glyphs gives the horizontal scale.
        // In the picture's unit square the word's box starts at (u, v), bottom left, and is w by h.
        let sx = word.w / (codes.len() as f32 * 0.5);
        let (u, v, h) = (word.x, 1.0 - (word.y + word.h), word.h);
        let tm = [
            sx * m[0],
            sx * m[1],
            h * m[2],
            h * m[3],
            u * m[0] + v * m[2] + m[4],
            u * m[1] + v * m[3] + m[5],
        ];
        let tm: Vec<String> = tm.iter().map(|x| format!("{x:.4}")).collect();
        let hex: String = codes.iter().map(|c| format!("{c:04X}")).collect();
        out.push_str(&format!("{} Tm <{hex}> Tj\n", tm.join(" ")));
    }
    out.push_str("ET\nQ\n");
    out.into_bytes()
}

/// Tesseract's glyphless font as a Type 0 font with two-byte codes equal to Unicode (Identity-H), every code drawn
/// with its one empty glyph, and a ToUnicode map that gives the code back as the character: the font of the
/// invisible text layer (`invisible_text`).
fn glyphless_font(doc: &mut lopdf::Document) -> ObjectId {
    const PROGRAM: &[u8] = include_bytes!("../../../assets/fonts/GlyphLessFont.ttf");
    let mut file = Stream::new(Dictionary::new(), PROGRAM.to_vec());
    file.dict.set("Length1", Object::Integer(PROGRAM.len() as i64));
    let _ = file.compress();
    let file = doc.add_object(file);
    let mut descriptor = Dictionary::new();
    descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
    descriptor.set("FontName", Object::Name(b"GlyphLessFont".to_vec()));
    descriptor.set("Flags", Object::Integer(5));
    descriptor.set("FontBBox", Object::Array(vec![0.into(), 0.into(), 500.into(), 1000.into()]));
    descriptor.set("ItalicAngle", Object::Integer(0));
    descriptor.set("Ascent", Object::Integer(1000));
    descriptor.set("Descent", Object::Integer(0));
    descriptor.set("CapHeight", Object::Integer(1000));
    descriptor.set("StemV", Object::Integer(80));
    descriptor.set("FontFile2", Object::Reference(file));
    let descriptor = doc.add_object(descriptor);
    // Every code (CID) is drawn with glyph 1, the font's one empty glyph.
    let mut map = Stream::new(Dictionary::new(), [0u8, 1].repeat(65536));
    let _ = map.compress();
    let map = doc.add_object(map);
    let mut system = Dictionary::new();
    system.set("Registry", Object::string_literal("Adobe"));
    system.set("Ordering", Object::string_literal("Identity"));
    system.set("Supplement", Object::Integer(0));
    let mut cid = Dictionary::new();
    cid.set("Type", Object::Name(b"Font".to_vec()));
    cid.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
    cid.set("BaseFont", Object::Name(b"GlyphLessFont".to_vec()));
    cid.set("CIDSystemInfo", Object::Dictionary(system));
    cid.set("FontDescriptor", Object::Reference(descriptor));
    cid.set("CIDToGIDMap", Object::Reference(map));
    cid.set("DW", Object::Integer(500));
    let cid = doc.add_object(cid);
    let cmap = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
        /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
        /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
        1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
        1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n\
        endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    let mut to_unicode = Stream::new(Dictionary::new(), cmap.as_bytes().to_vec());
    let _ = to_unicode.compress();
    let to_unicode = doc.add_object(to_unicode);
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type0".to_vec()));
    font.set("BaseFont", Object::Name(b"GlyphLessFont".to_vec()));
    font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
    font.set("DescendantFonts", Object::Array(vec![Object::Reference(cid)]));
    font.set("ToUnicode", Object::Reference(to_unicode));
    doc.add_object(font)
}

/// Fits a picture in an A4 page's text area (at most one point per pixel), centred and at the top, turned as
/// its EXIF orientation says.
fn picture_matrix(p: &Prepared) -> [f32; 6] {
    let (x, y, dw, dh) = picture_rect(p);
    match p.metadata.orientation {
        2 => [-dw, 0.0, 0.0, dh, x + dw, y],
        3 => [-dw, 0.0, 0.0, -dh, x + dw, y + dh],
        4 => [dw, 0.0, 0.0, -dh, x, y + dh],
        5 => [0.0, -dh, -dw, 0.0, x + dw, y + dh],
        6 => [0.0, -dh, dw, 0.0, x, y + dh],
        7 => [0.0, dh, dw, 0.0, x, y],
        8 => [0.0, dh, -dw, 0.0, x + dw, y],
        _ => [dw, 0.0, 0.0, dh, x, y],
    }
}

/// A two-level outline: level-1 marks nest under the level-0 mark before them.
fn outline(
    doc: &mut lopdf::Document,
    marks: &[Mark],
    pages: &BTreeMap<u32, ObjectId>,
) -> Result<Option<ObjectId>> {
    if marks.is_empty() {
        return Ok(None);
    }
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = marks.iter().map(|_| doc.new_object_id()).collect();
    // For each mark: its parent (None = root).
    let mut parent_of: Vec<Option<usize>> = Vec::with_capacity(marks.len());
    let mut last_top = None;
    for (i, mark) in marks.iter().enumerate() {
        if mark.level == 0 {
            last_top = Some(i);
            parent_of.push(None);
        } else {
            parent_of.push(last_top);
        }
    }
    let children = |p: Option<usize>| -> Vec<usize> {
        parent_of.iter().enumerate().filter(|(_, q)| **q == p).map(|(i, _)| i).collect()
    };
    let mut dicts: Vec<Dictionary> = Vec::with_capacity(marks.len());
    for (i, mark) in marks.iter().enumerate() {
        let page = pages
            .get(&mark.page)
            .copied()
            .ok_or_else(|| Error::Integrity(format!("a bookmark points at missing page {}", mark.page)))?;
        let mut d = Dictionary::new();
        d.set("Title", text_string(&mark.title));
        d.set("Parent", Object::Reference(parent_of[i].map_or(root, |p| ids[p])));
        d.set("Dest", Object::Array(vec![Object::Reference(page), Object::Name(b"Fit".to_vec())]));
        dicts.push(d);
    }
    let link = |list: &[usize], dicts: &mut Vec<Dictionary>| {
        for (k, &i) in list.iter().enumerate() {
            if k > 0 {
                dicts[i].set("Prev", Object::Reference(ids[list[k - 1]]));
            }
            if let Some(&next) = list.get(k + 1) {
                dicts[i].set("Next", Object::Reference(ids[next]));
            }
        }
    };
    let top = children(None);
    link(&top, &mut dicts);
    for &t in &top {
        let kids = children(Some(t));
        link(&kids, &mut dicts);
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            dicts[t].set("First", Object::Reference(ids[first]));
            dicts[t].set("Last", Object::Reference(ids[last]));
            // Negative: the entry starts closed, its exhibits one click away.
            dicts[t].set("Count", Object::Integer(-(kids.len() as i64)));
        }
    }
    for (id, d) in ids.iter().zip(dicts) {
        doc.objects.insert(*id, Object::Dictionary(d));
    }
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        dict.set("First", Object::Reference(ids[first]));
        dict.set("Last", Object::Reference(ids[last]));
    }
    dict.set("Count", Object::Integer(top.len() as i64));
    doc.objects.insert(root, Object::Dictionary(dict));
    Ok(Some(root))
}

/// The embedded files' name tree and file specifications.
fn attachments(doc: &mut lopdf::Document, files: Vec<Attachment>) -> Option<(ObjectId, Vec<ObjectId>)> {
    if files.is_empty() {
        return None;
    }
    let mut entries: Vec<(String, ObjectId)> = Vec::with_capacity(files.len());
    for file in files {
        let mut params = Dictionary::new();
        params.set("Size", Object::Integer(file.bytes.len() as i64));
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
        dict.set("Params", Object::Dictionary(params));
        let stream = doc.add_object(Stream::new(dict, file.bytes).with_compression(false));
        let mut ef = Dictionary::new();
        ef.set("F", Object::Reference(stream));
        ef.set("UF", Object::Reference(stream));
        let ascii: String =
            file.name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
        let mut spec = Dictionary::new();
        spec.set("Type", Object::Name(b"Filespec".to_vec()));
        spec.set("F", Object::String(ascii.into_bytes(), StringFormat::Literal));
        spec.set("UF", text_string(&file.name));
        spec.set("Desc", text_string(&file.description));
        spec.set("EF", Object::Dictionary(ef));
        spec.set("AFRelationship", Object::Name(b"Source".to_vec()));
        let spec = doc.add_object(spec);
        entries.push((file.name, spec));
    }
    // Name tree keys are compared as bytes: sort by the key as written (UTF-16BE with its mark).
    let key = |name: &str| match text_string(name) {
        Object::String(bytes, _) => bytes,
        _ => Vec::new(),
    };
    entries.sort_by_key(|(name, _)| key(name));
    let mut names = Vec::with_capacity(entries.len() * 2);
    for (name, spec) in &entries {
        names.push(Object::String(key(name), StringFormat::Hexadecimal));
        names.push(Object::Reference(*spec));
    }
    let mut tree = Dictionary::new();
    tree.set("Names", Object::Array(names));
    let tree = doc.add_object(tree);
    Some((tree, entries.into_iter().map(|(_, s)| s).collect()))
}

/// AES-256 with the PDF 2.0 standard security handler (V5, R6): the person's passphrase opens the file; the
/// owner password is random and never shown (counsel gets every permission with the passphrase).
fn encrypt(doc: &mut lopdf::Document, password: &SecretString) -> Result<()> {
    let fail = |e: lopdf::Error| Error::Crypto(format!("the bundle could not be encrypted: {e}"));
    let mut file_key = zeroize::Zeroizing::new([0u8; 32]);
    let mut owner = zeroize::Zeroizing::new([0u8; 24]);
    getrandom::getrandom(file_key.as_mut()).map_err(|e| Error::Crypto(e.to_string()))?;
    getrandom::getrandom(owner.as_mut()).map_err(|e| Error::Crypto(e.to_string()))?;
    let owner = zeroize::Zeroizing::new(hex::encode(owner.as_ref()));
    let filter: Arc<dyn CryptFilter> = Arc::new(Aes256CryptFilter);
    let version = EncryptionVersion::V5 {
        encrypt_metadata: true,
        crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), filter)]),
        file_encryption_key: file_key.as_ref(),
        stream_filter: b"StdCF".to_vec(),
        string_filter: b"StdCF".to_vec(),
        owner_password: owner.as_str(),
        user_password: password.expose_secret(),
        permissions: Permissions::all(),
    };
    let state = EncryptionState::try_from(version).map_err(fail)?;
    doc.encrypt(&state).map_err(fail)?;
    // lopdf leaves out the key lengths; without /Length 256 poppler assumes a 40-bit key and cannot decrypt.
    let dict_id = doc.trailer.get(b"Encrypt").and_then(Object::as_reference).map_err(fail)?;
    let dict = doc.get_dictionary_mut(dict_id).map_err(fail)?;
    dict.set("Length", Object::Integer(256));
    if let Ok(Object::Dictionary(filters)) = dict.get_mut(b"CF") {
        if let Ok(Object::Dictionary(std_cf)) = filters.get_mut(b"StdCF") {
            std_cf.set("Length", Object::Integer(32));
            std_cf.set("AuthEvent", Object::Name(b"DocOpen".to_vec()));
        }
    }
    // Revision 6 belongs to PDF 2.0; 1.7 readers know it as Adobe extension level 8.
    let mut adbe = Dictionary::new();
    adbe.set("BaseVersion", Object::Name(b"1.7".to_vec()));
    adbe.set("ExtensionLevel", Object::Integer(8));
    let mut ext = Dictionary::new();
    ext.set("ADBE", Object::Dictionary(adbe));
    doc.catalog_mut().map_err(fail)?.set("Extensions", Object::Dictionary(ext));
    doc.version = "1.7".into();
    Ok(())
}
