//! The PDF sanitiser, run inside the isolated worker: a PDF reduced to its pages (one content stream per page,
//! inherited attributes resolved, what annotations show drawn in; no scripts, forms, annotations or attachments)
//! and scrubbed of what says who made it or where, so what the parent parses afterwards is a plain PDF that lopdf
//! wrote. Also the worker's page count and metadata report for PDFs. Every read is bounded: these files are hostile.

use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::picture;
use crate::isolate::{Refusal, EXIT_ENCRYPTED, EXIT_UNREADABLE};

/// The most pages one exhibit may have.
const MAX_PAGES: usize = 10_000;
/// The most a page's content may decompress to.
const MAX_PAGE_CONTENT: usize = 64 * 1024 * 1024;

pub(crate) fn unreadable(e: impl std::fmt::Display) -> Refusal {
    (EXIT_UNREADABLE, e.to_string())
}

/// The page count of a PDF. Object streams are inflated while the file loads, so they are bounded like page
/// contents: a PDF whose pages sit in a stream that inflates past the bound has no pages to count.
pub(crate) fn page_count(input: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    if !looks_like_pdf(input) {
        return Err(unreadable("it does not start like a PDF"));
    }
    let options = lopdf::LoadOptions { max_decompressed_size: Some(MAX_PAGE_CONTENT), ..Default::default() };
    let doc = match lopdf::Document::load_mem_with_options(input, options) {
        Ok(doc) => doc,
        Err(lopdf::Error::Decryption(_)) => return Err((EXIT_ENCRYPTED, "password".into())),
        Err(e) => return Err(unreadable(e)),
    };
    match doc.get_pages().len() {
        0 => Err(unreadable("it has no pages")),
        n => Ok(n.to_string().into_bytes()),
    }
}

/// Whether these bytes start like a PDF (its header within the first KiB, as readers accept it).
pub(crate) fn looks_like_pdf(input: &[u8]) -> bool {
    input.starts_with(b"%PDF-") || input.get(..1024).unwrap_or(input).windows(5).any(|w| w == b"%PDF-")
}

/// A PDF reduced to its pages (see the module header), without what says who made it or where (`scrub`).
pub(crate) fn sanitize(input: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    let (mut doc, _) = pages_only(input)?;
    scrub(&mut doc)?;
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(unreadable)?;
    Ok(out)
}

/// The metadata a PDF's pages carry, as `sanitize` would keep them before `scrub`: its document information,
/// XMP, applications' private data, and what the JPEG and JPEG 2000 images drawn on its pages hold (GPS, camera).
pub(crate) fn pdf_metadata(input: &[u8]) -> std::result::Result<picture::Metadata, Refusal> {
    let (doc, info) = pages_only(input)?;
    let mut meta = picture::Metadata { items: Vec::new(), orientation: 1 };
    for (key, value) in info.iter().take(64) {
        let text = || match value {
            Object::String(..) => lopdf::decode_text_string(value).unwrap_or_default(),
            _ => String::new(),
        };
        match key.as_slice() {
            b"Author" => picture::push(&mut meta, "author", text()),
            b"Creator" | b"Producer" => picture::push(&mut meta, "software", text()),
            other => picture::push(&mut meta, "document_info", String::from_utf8_lossy(other)),
        }
    }
    for object in doc.objects.values() {
        let dict = match object {
            Object::Stream(s) => &s.dict,
            Object::Dictionary(d) => d,
            _ => continue,
        };
        if dict.has(b"Metadata") {
            picture::push(&mut meta, "xmp", "");
        }
        if dict.has(b"PieceInfo") {
            picture::push(&mut meta, "other", "PieceInfo");
        }
        if let Object::Stream(stream) = object {
            if let Some((_, image)) = image_data(stream)? {
                for item in picture::metadata(&image).items {
                    picture::push(&mut meta, &item.kind, item.detail);
                }
            }
        }
    }
    Ok(meta)
}

/// A PDF reduced to its pages, with the document information it had (gone from the reduced one).
fn pages_only(input: &[u8]) -> std::result::Result<(lopdf::Document, Dictionary), Refusal> {
    let (mut doc, pages) = open(input, lopdf::LoadOptions::default())?;
    if pages.len() > MAX_PAGES {
        return Err(unreadable(format!("it has {} pages; at most {MAX_PAGES} are bundled", pages.len())));
    }
    let mut kids = Vec::with_capacity(pages.len());
    let tree = doc.new_object_id();
    for page in pages {
        let (media, rotate, mut resources) = inherited(&doc, page);
        // Decoding every content stream (within a bound) refuses decompression bombs; a page drawn by one
        // Flate stream then keeps its compressed bytes as they were, which saves compressing them again.
        let mut content = doc.get_page_content_with_limit(page, MAX_PAGE_CONTENT).map_err(unreadable)?;
        // What annotations show (filled form fields, stamps, ink signatures) is drawn into the page, since the
        // annotations themselves are not carried over.
        let shown = annotation_drawings(&doc, page);
        let flattened = !shown.is_empty();
        if flattened {
            let mut xobjects = resource_dict(&doc, &resources, b"XObject");
            let mut drawn = b"q\n".to_vec();
            drawn.extend_from_slice(&content);
            drawn.extend_from_slice(b"\nQ\n");
            for (k, (appearance, matrix)) in shown.into_iter().enumerate() {
                let name = format!("RdxAnnot{k}");
                xobjects.set(name.as_bytes().to_vec(), Object::Reference(appearance));
                let m: Vec<String> = matrix.iter().map(|v| format!("{v:.4}")).collect();
                drawn.extend_from_slice(format!("q {} cm /{name} Do Q\n", m.join(" ")).as_bytes());
            }
            let mut dict = match &resources {
                Object::Reference(r) => doc.get_dictionary(*r).cloned().unwrap_or_default(),
                Object::Dictionary(d) => d.clone(),
                _ => Dictionary::new(),
            };
            dict.set("XObject", Object::Dictionary(xobjects));
            resources = Object::Dictionary(dict);
            content = drawn;
        }
        let single = match doc.get_page_contents(page).as_slice() {
            [one] if !flattened => {
                doc.get_object(*one).and_then(Object::as_stream).ok().filter(|s| flate_only(s)).cloned()
            }
            _ => None,
        };
        let stream = match single {
            Some(original) => {
                let mut dict = Dictionary::new();
                dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                Stream::new(dict, original.content).with_compression(false)
            }
            None => {
                let mut stream = Stream::new(Dictionary::new(), content);
                let _ = stream.compress();
                stream
            }
        };
        let content_id = doc.add_object(stream);
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Page".to_vec()));
        dict.set("Parent", Object::Reference(tree));
        dict.set("MediaBox", Object::Array(media.iter().map(|v| Object::Real(*v)).collect()));
        dict.set("Rotate", Object::Integer(rotate));
        dict.set("Resources", resources);
        dict.set("Contents", Object::Reference(content_id));
        kids.push(Object::Reference(doc.add_object(dict)));
    }
    let mut tree_dict = Dictionary::new();
    tree_dict.set("Type", Object::Name(b"Pages".to_vec()));
    tree_dict.set("Count", Object::Integer(kids.len() as i64));
    tree_dict.set("Kids", Object::Array(kids));
    doc.objects.insert(tree, Object::Dictionary(tree_dict));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(tree));
    let catalog = doc.add_object(catalog);
    let info = match doc.trailer.get(b"Info") {
        Ok(info) => doc.dereference(info).ok().and_then(|(_, i)| i.as_dict().ok().cloned()),
        Err(_) => None,
    };
    doc.trailer = Dictionary::new();
    doc.trailer.set("Root", Object::Reference(catalog));
    doc.prune_objects();
    Ok((doc, info.unwrap_or_default()))
}

/// A PDF loaded with `options` (decrypted if it opens with the empty password) and its pages in order; refused
/// when it does not start like a PDF, needs a password or has no page.
pub(super) fn open(
    input: &[u8],
    options: lopdf::LoadOptions,
) -> std::result::Result<(lopdf::Document, Vec<ObjectId>), Refusal> {
    if !looks_like_pdf(input) {
        return Err(unreadable("it does not start like a PDF"));
    }
    let mut doc = match lopdf::Document::load_mem_with_options(input, options) {
        Ok(doc) => doc,
        Err(lopdf::Error::Decryption(_)) => return Err((EXIT_ENCRYPTED, "password".into())),
        Err(e) => return Err(unreadable(e)),
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err((EXIT_ENCRYPTED, "password".into()));
    }
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if pages.is_empty() {
        return Err(unreadable("it has no pages"));
    }
    Ok((doc, pages))
}

/// The most an image's outer filters (Flate, LZW, ASCII85 around its JPEG) may inflate to.
pub(super) const MAX_IMAGE_DATA: usize = 256 * 1024 * 1024;

/// Takes from every object of a reduced PDF what says who made it or where, keeping what the pages show: each
/// JPEG image loses its APPn segments (EXIF with GPS, XMP; JFIF's and Adobe's, which say how to read the colours,
/// stay) and comments, each JPEG 2000 image its XML and UUID boxes, and every dictionary its `/Metadata` (XMP) and
/// `/PieceInfo` (an application's private data). The document information went with the old trailer.
fn scrub(doc: &mut lopdf::Document) -> std::result::Result<(), Refusal> {
    for object in doc.objects.values_mut() {
        drop_private(object, 0);
        let Object::Stream(stream) = object else { continue };
        let Some((filter, image)) = image_data(stream)? else { continue };
        let clean = if filter == b"JPXDecode" { strip_jp2(&image) } else { picture::strip_jpeg(&image) };
        drop(image);
        // Filters around the image's own are undone: the image is kept with its own filter alone.
        if stream.filters().map_or(0, |f| f.len()) > 1 {
            let params = match stream.dict.get(b"DecodeParms") {
                Ok(Object::Array(a)) => a.last().cloned(),
                Ok(other) => Some(other.clone()),
                Err(_) => None,
            };
            stream.dict.set("Filter", Object::Name(filter));
            match params {
                Some(Object::Dictionary(p)) if !p.has(b"Predictor") => {
                    stream.dict.set("DecodeParms", Object::Dictionary(p))
                }
                _ => {
                    stream.dict.remove(b"DecodeParms");
                }
            }
        }
        stream.set_content(clean);
    }
    Ok(())
}

/// `/Metadata` and `/PieceInfo` removed from a dictionary (or stream's) and from those inside it.
fn drop_private(object: &mut Object, depth: u32) {
    if depth > 32 {
        return;
    }
    let dict = match object {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &mut s.dict,
        Object::Array(a) => {
            for item in a.iter_mut() {
                drop_private(item, depth + 1);
            }
            return;
        }
        _ => return,
    };
    dict.remove(b"Metadata");
    dict.remove(b"PieceInfo");
    for (_, value) in dict.iter_mut() {
        drop_private(value, depth + 1);
    }
}

/// An image's own filter (`DCTDecode` or `JPXDecode`) and its file (a JPEG or JPEG 2000), borrowed from the
/// stream when no other filter wraps it.
type ImageData<'a> = (Vec<u8>, std::borrow::Cow<'a, [u8]>);

/// For a stream whose last filter is a JPEG's (`DCTDecode`) or JPEG 2000's (`JPXDecode`): that filter and the
/// image file, the filters before it undone (within a bound). None for any other stream.
pub(super) fn image_data(stream: &Stream) -> std::result::Result<Option<ImageData<'_>>, Refusal> {
    let Ok(filters) = stream.filters() else { return Ok(None) };
    let Some((last, outer)) = filters.split_last() else { return Ok(None) };
    let filter: &[u8] = match *last {
        b"DCTDecode" | b"DCT" => b"DCTDecode",
        b"JPXDecode" => b"JPXDecode",
        _ => return Ok(None),
    };
    if outer.is_empty() {
        return Ok(Some((filter.to_vec(), std::borrow::Cow::Borrowed(&stream.content))));
    }
    let mut dict = Dictionary::new();
    dict.set("Filter", Object::Array(outer.iter().map(|f| Object::Name(f.to_vec())).collect()));
    let wrapped = Stream::new(dict, stream.content.clone());
    let image = wrapped.decompressed_content_with_limit(MAX_IMAGE_DATA).map_err(|e| {
        unreadable(format!("an image in it is encoded in a way whose metadata cannot be removed ({e})"))
    })?;
    Ok(Some((filter.to_vec(), std::borrow::Cow::Owned(image))))
}

/// A JPEG 2000 file without its XML, UUID and UUID-info boxes (where XMP and GPS ride). A bare codestream is
/// kept as it is; a box structure that does not add up ends where it stops adding up.
fn strip_jp2(bytes: &[u8]) -> Vec<u8> {
    if !bytes.starts_with(b"\0\0\0\x0cjP  ") {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(head) = bytes.get(i..i + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as u64;
        let (len, header) = match len {
            0 => ((bytes.len() - i) as u64, 8),
            1 => match bytes.get(i + 8..i + 16) {
                Some(x) => (u64::from_be_bytes([x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]]), 16),
                None => break,
            },
            n => (n, 8),
        };
        let Some(end) = usize::try_from(len).ok().and_then(|l| i.checked_add(l)) else { break };
        if len < header || end > bytes.len() {
            break;
        }
        if !matches!(&head[4..8], b"xml " | b"uuid" | b"uinf") {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
    }
    out
}

/// A resource category of a page's resources (`/XObject`, `/Font`, …) as a dictionary of its own, to add to.
pub(super) fn resource_dict(doc: &lopdf::Document, resources: &Object, key: &[u8]) -> Dictionary {
    let resources = match resources {
        Object::Reference(r) => doc.get_dictionary(*r).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    };
    match resources.and_then(|r| r.get(key).ok()) {
        Some(Object::Dictionary(d)) => d.clone(),
        Some(Object::Reference(r)) => doc.get_dictionary(*r).cloned().unwrap_or_default(),
        _ => Dictionary::new(),
    }
}

/// The normal appearance of each visible, printable annotation of a page (and every form field's), with the
/// matrix that puts it in its rectangle (PDF 32000-1 12.5.5). Links and pop-ups show nothing of their own.
fn annotation_drawings(doc: &lopdf::Document, page: ObjectId) -> Vec<(ObjectId, [f32; 6])> {
    let Ok(annots) = doc.get_dictionary(page).and_then(|p| p.get(b"Annots")) else { return Vec::new() };
    let Ok((_, annots)) = doc.dereference(annots) else { return Vec::new() };
    let Ok(annots) = annots.as_array() else { return Vec::new() };
    let mut out = Vec::new();
    for annot in annots.iter().take(2000) {
        let Ok((_, Object::Dictionary(a))) = doc.dereference(annot) else { continue };
        let subtype = a.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        if matches!(subtype, b"Link" | b"Popup") {
            continue;
        }
        let flags = a.get(b"F").and_then(Object::as_i64).unwrap_or(0);
        let (hidden, print) = (flags & 2 != 0, flags & 4 != 0);
        if hidden || !(print || subtype == b"Widget") {
            continue;
        }
        let Some(area) = a.get(b"Rect").ok().and_then(|r| rect(doc, r)) else { continue };
        let Ok((_, ap)) = a.get(b"AP").and_then(|ap| doc.dereference(ap)) else { continue };
        let Ok(normal) = ap.as_dict().and_then(|ap| ap.get(b"N")) else { continue };
        // A single appearance, or one per state (a check box's /Yes and /Off) chosen by /AS.
        let appearance = match normal {
            Object::Reference(r) if doc.get_object(*r).and_then(Object::as_stream).is_ok() => Some(*r),
            other => {
                let state = a.get(b"AS").and_then(Object::as_name).ok();
                let states = doc.dereference(other).ok().and_then(|(_, o)| o.as_dict().ok());
                match (states, state) {
                    (Some(states), Some(state)) => states.get(state).and_then(Object::as_reference).ok(),
                    _ => None,
                }
            }
        };
        let Some(appearance) = appearance else { continue };
        let Ok(stream) = doc.get_object(appearance).and_then(Object::as_stream) else { continue };
        let Some(bbox) = stream.dict.get(b"BBox").ok().and_then(|b| rect(doc, b)) else { continue };
        let m = stream
            .dict
            .get(b"Matrix")
            .and_then(Object::as_array)
            .ok()
            .map(|m| m.iter().filter_map(|v| v.as_float().ok()).collect::<Vec<f32>>())
            .filter(|m| m.len() == 6 && m.iter().all(|v| v.is_finite()))
            .unwrap_or_else(|| vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        // The appearance's box as its own matrix turns it, then scaled and moved onto the annotation's rectangle.
        let corners = [(bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])];
        let t: Vec<(f32, f32)> =
            corners.iter().map(|&(x, y)| (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])).collect();
        let (x0, x1) = t.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
        let (y0, y1) = t.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
        let (w, h) = (x1 - x0, y1 - y0);
        if w <= 0.0 || h <= 0.0 {
            continue;
        }
        let (sx, sy) = ((area[2] - area[0]) / w, (area[3] - area[1]) / h);
        out.push((appearance, [sx, 0.0, 0.0, sy, area[0] - x0 * sx, area[1] - y0 * sy]));
    }
    out
}

/// A stream compressed with Flate alone, without parameters.
fn flate_only(stream: &Stream) -> bool {
    let filter_ok = match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => n == b"FlateDecode",
        Ok(Object::Array(a)) => matches!(a.as_slice(), [Object::Name(n)] if n == b"FlateDecode"),
        _ => false,
    };
    filter_ok && stream.dict.get(b"DecodeParms").is_err()
}

/// A page's visible box (crop box within media box, lower-left first), its rotation (0, 90, 180 or 270) and its
/// resources, each looked up the page tree as PDF inheritance says. Nonsense boxes become A4.
pub(super) fn inherited(doc: &lopdf::Document, page: ObjectId) -> ([f32; 4], i64, Object) {
    let mut media = None;
    let mut crop = None;
    let mut rotate = None;
    let mut resources = None;
    let mut node = Some(page);
    for _ in 0..64 {
        let Some(id) = node else { break };
        let Ok(dict) = doc.get_dictionary(id) else { break };
        if media.is_none() {
            media = dict.get(b"MediaBox").ok().and_then(|o| rect(doc, o));
        }
        if crop.is_none() {
            crop = dict.get(b"CropBox").ok().and_then(|o| rect(doc, o));
        }
        if rotate.is_none() {
            rotate = dict
                .get(b"Rotate")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_i64().ok());
        }
        if resources.is_none() {
            resources = dict.get(b"Resources").ok().cloned();
        }
        node = dict.get(b"Parent").ok().and_then(|p| p.as_reference().ok());
    }
    let a4 = [0.0, 0.0, super::layout::PAGE_W, super::layout::PAGE_H];
    let media = media.unwrap_or(a4);
    let visible = match crop {
        Some(c) => [c[0].max(media[0]), c[1].max(media[1]), c[2].min(media[2]), c[3].min(media[3])],
        None => media,
    };
    let side =
        |lo: f32, hi: f32| (super::layout::MIN_SLOT / 4.0..=super::layout::MAX_SLOT).contains(&(hi - lo));
    let visible = if side(visible[0], visible[2]) && side(visible[1], visible[3]) {
        visible
    } else if side(media[0], media[2]) && side(media[1], media[3]) {
        media
    } else {
        a4
    };
    let rotate = rotate.unwrap_or(0).rem_euclid(360);
    let rotate = if rotate % 90 == 0 { rotate } else { 0 };
    (visible, rotate, resources.unwrap_or_else(|| Object::Dictionary(Dictionary::new())))
}

fn rect(doc: &lopdf::Document, o: &Object) -> Option<[f32; 4]> {
    let (_, o) = doc.dereference(o).ok()?;
    let a = o.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let mut v = [0f32; 4];
    for (k, item) in a.iter().enumerate() {
        let (_, item) = doc.dereference(item).ok()?;
        v[k] = item.as_float().ok().filter(|f| f.is_finite() && f.abs() < 1e6)?;
    }
    Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}
