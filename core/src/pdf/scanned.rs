//! Scanned PDFs, in the worker: which pages carry text of their own (a font in their resources) and the picture
//! a scanner put on a page, for OCR (`ocr`). A scanned page is one large image drawn over the page; its pixels
//! are taken from the file as they are (JPEG decoded by `image`, Flate or LZW samples inflated within a bound),
//! never rendered, so no PDF renderer parses the untrusted file. CCITT Group 4 fax (black-and-white scanners) is
//! decoded by the `fax` crate. Encodings with no memory-safe decoder here (JPEG 2000, CCITT Group 3, JBIG2) are
//! named in the refusal.

use lopdf::{Object, ObjectId, Stream};
use serde::{Deserialize, Serialize};

use super::sanitize::{image_data, inherited, resource_dict, unreadable, MAX_IMAGE_DATA};
use crate::isolate::Refusal;

/// What OCR needs to know of a PDF's pages before reading them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ScanPage {
    /// The page has a font: it carries text of its own, which OCR would only repeat.
    pub(crate) has_text: bool,
    /// The page draws at least one image (a scan, a photo).
    pub(crate) has_image: bool,
}

/// The largest picture a page may hand to OCR, in pixels (A4 at 600 dpi is 35 million).
const MAX_PIXELS: u64 = 60_000_000;

fn load(input: &[u8]) -> std::result::Result<(lopdf::Document, Vec<ObjectId>), Refusal> {
    let options = lopdf::LoadOptions { max_decompressed_size: Some(MAX_IMAGE_DATA), ..Default::default() };
    super::sanitize::open(input, options)
}

/// Each page's `ScanPage`, as JSON.
pub(crate) fn scan_pages(input: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    let (doc, pages) = load(input)?;
    let out: Vec<ScanPage> = pages
        .iter()
        .map(|&page| {
            let (_, _, resources) = inherited(&doc, page);
            ScanPage {
                has_text: !resource_dict(&doc, &resources, b"Font").is_empty(),
                has_image: !images(&doc, &resources).is_empty(),
            }
        })
        .collect();
    serde_json::to_vec(&out).map_err(unreadable)
}

/// The image streams among a page's XObjects, with their names (one level: a scanner draws its image
/// directly). A stream is always an indirect object, so only references are followed.
fn named_images<'a>(doc: &'a lopdf::Document, resources: &Object) -> Vec<(Vec<u8>, &'a Stream)> {
    resource_dict(doc, resources, b"XObject")
        .iter()
        .filter_map(|(name, o)| Some((name.clone(), o.as_reference().ok()?)))
        .filter_map(|(name, id)| Some((name, doc.get_object(id).ok()?.as_stream().ok()?)))
        .filter(|(_, s)| s.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Image"))
        .collect()
}

fn images<'a>(doc: &'a lopdf::Document, resources: &Object) -> Vec<&'a Stream> {
    named_images(doc, resources).into_iter().map(|(_, s)| s).collect()
}

/// The matrix in force where page `page` draws the image named `name` (its unit square onto the page, PDF user
/// space), when the page draws it exactly once; `None` otherwise (then no text layer is placed over it).
fn placement(doc: &lopdf::Document, page: ObjectId, name: &[u8]) -> Option<[f32; 6]> {
    const IDENTITY: [f32; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let content = doc.get_page_content_with_limit(page, MAX_IMAGE_DATA).ok()?;
    let ops = lopdf::content::Content::decode(&content).ok()?;
    let (mut ctm, mut saved, mut found) = (IDENTITY, Vec::new(), None);
    for op in ops.operations {
        match op.operator.as_str() {
            "q" => saved.push(ctm),
            "Q" => ctm = saved.pop().unwrap_or(IDENTITY),
            "cm" => {
                let m: Vec<f32> = op.operands.iter().filter_map(|o| o.as_float().ok()).collect();
                let [a, b, c, d, e, f] = m.as_slice() else { return None };
                // The new matrix applies before the one in force (row vectors: m × ctm).
                ctm = super::merge::then([*a, *b, *c, *d, *e, *f], ctm);
            }
            "Do" if op.operands.first().and_then(|o| o.as_name().ok()) == Some(name) => {
                if found.is_some() {
                    return None;
                }
                found = Some(ctm);
            }
            _ => {}
        }
    }
    found.filter(|m| m.iter().all(|v| v.is_finite()) && (m[0] * m[3] - m[1] * m[2]).abs() > 1e-3)
}

/// The picture on page `index` (from 0) of a PDF, as grey pixels for OCR: the largest image the page draws, with
/// where the page draws it (`placement`).
pub(crate) fn page_picture(
    input: &[u8],
    index: usize,
) -> std::result::Result<(image::GrayImage, Option<[f32; 6]>), Refusal> {
    let (doc, pages) = load(input)?;
    let Some(&page) = pages.get(index) else {
        return Err(unreadable(format!("it has no page {}", index + 1)));
    };
    let (_, _, resources) = inherited(&doc, page);
    let number = |s: &Stream, key: &[u8]| {
        s.dict.get(key).ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_i64().ok())
    };
    let size = |s: &Stream| (number(s, b"Width").unwrap_or(0), number(s, b"Height").unwrap_or(0));
    let Some((name, image)) = named_images(&doc, &resources).into_iter().max_by_key(|(_, s)| {
        let (w, h) = size(s);
        w.max(0).saturating_mul(h.max(0))
    }) else {
        return Err(unreadable(format!("page {} has no picture to read", index + 1)));
    };
    let placed = placement(&doc, page, &name);
    let (w, h) = size(image);
    let (Ok(width), Ok(height)) = (u32::try_from(w), u32::try_from(h)) else {
        return Err(unreadable(format!("page {}'s picture has no size", index + 1)));
    };
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(unreadable(format!(
            "page {}'s picture is {width} × {height} pixels; OCR reads pictures of at most {} million",
            index + 1,
            MAX_PIXELS / 1_000_000
        )));
    }
    if let Some((filter, bytes)) = image_data(image)? {
        if filter != b"DCTDecode" {
            return Err(unreadable(format!(
                "page {}'s picture is JPEG 2000, which OCR cannot read here",
                index + 1
            )));
        }
        // The picture's own EXIF orientation is not applied here: the page places its pixels as stored.
        let grey = super::picture::grey_for_ocr(&bytes, super::ocr::OCR_MAX_SIDE, false)
            .map_err(|e| unreadable(e.0))?;
        return Ok((grey, placed));
    }
    let filters: Vec<Vec<u8>> =
        image.filters().map(|f| f.into_iter().map(<[u8]>::to_vec).collect()).unwrap_or_default();
    if filters.len() == 1 && filters[0] == b"CCITTFaxDecode" {
        let grey = fax_picture(&doc, image, width, height)
            .map_err(|why| unreadable(format!("page {}'s picture {why}", index + 1)))?;
        return Ok((fit(grey), placed));
    }
    if let Some(other) = filters.iter().find(|f| !matches!(f.as_slice(), b"FlateDecode" | b"LZWDecode")) {
        return Err(unreadable(format!(
            "page {}'s picture is encoded with {}, which OCR cannot read here",
            index + 1,
            String::from_utf8_lossy(other)
        )));
    }
    let samples = if filters.is_empty() {
        image.content.clone()
    } else {
        image.decompressed_content_with_limit(MAX_IMAGE_DATA).map_err(unreadable)?
    };
    let bits = number(image, b"BitsPerComponent").unwrap_or(8);
    let components = components(&doc, image);
    let grey = grey(&samples, width, height, bits, components)
        .ok_or_else(|| unreadable(format!("page {}'s picture has samples Redress cannot read", index + 1)))?;
    Ok((grey, placed))
}

/// How many colour components an image's samples have: 1 (grey), 3 (RGB) or 4 (CMYK); 0 for what is not read
/// here (indexed, separation, Lab).
fn components(doc: &lopdf::Document, image: &Stream) -> u8 {
    let space = image.dict.get(b"ColorSpace").ok().and_then(|o| doc.dereference(o).ok()).map(|(_, o)| o);
    match space {
        Some(Object::Name(n)) => match n.as_slice() {
            b"DeviceGray" | b"G" => 1,
            b"DeviceRGB" | b"RGB" => 3,
            b"DeviceCMYK" | b"CMYK" => 4,
            _ => 0,
        },
        Some(Object::Array(a)) if a.first().and_then(|o| o.as_name().ok()) == Some(b"ICCBased") => a
            .get(1)
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_stream().ok())
            .and_then(|s| s.dict.get(b"N").ok().and_then(|n| n.as_i64().ok()))
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| matches!(n, 1 | 3 | 4))
            .unwrap_or(0),
        // An image mask or a missing colour space: one bit per pixel, 0 for black.
        None => 1,
        _ => 0,
    }
}

/// Raw samples (8 bits per component, or 1 bit grey) as grey pixels; `None` when they do not add up.
fn grey(samples: &[u8], width: u32, height: u32, bits: i64, components: u8) -> Option<image::GrayImage> {
    let (w, h) = (width as usize, height as usize);
    let pixels: Vec<u8> = match (bits, components) {
        (1, 1) => {
            let row = w.div_ceil(8);
            if samples.len() < row * h {
                return None;
            }
            (0..h)
                .flat_map(|y| {
                    (0..w)
                        .map(move |x| if samples[y * row + x / 8] & (0x80 >> (x % 8)) == 0 { 0 } else { 255 })
                })
                .collect()
        }
        (8, n @ (1 | 3 | 4)) => {
            let n = usize::from(n);
            if samples.len() < w * h * n {
                return None;
            }
            samples[..w * h * n]
                .chunks_exact(n)
                .map(|p| match p {
                    [g] => *g,
                    [r, g, b] => {
                        ((u32::from(*r) * 299 + u32::from(*g) * 587 + u32::from(*b) * 114) / 1000) as u8
                    }
                    [c, m, y, k] => {
                        let ink = (u32::from(*c) * 299 + u32::from(*m) * 587 + u32::from(*y) * 114) / 1000;
                        255u32.saturating_sub(ink + u32::from(*k)) as u8
                    }
                    _ => 255,
                })
                .collect()
        }
        _ => return None,
    };
    Some(fit(image::GrayImage::from_raw(width, height, pixels)?))
}

/// A picture no larger than OCR reads (its longer side at most `OCR_MAX_SIDE`).
fn fit(picture: image::GrayImage) -> image::GrayImage {
    let (width, height) = picture.dimensions();
    let side = super::ocr::OCR_MAX_SIDE;
    if width.max(height) <= side {
        return picture;
    }
    let scale = f64::from(side) / f64::from(width.max(height));
    let nw = ((f64::from(width) * scale).round() as u32).clamp(1, side);
    let nh = ((f64::from(height) * scale).round() as u32).clamp(1, side);
    image::imageops::resize(&picture, nw, nh, image::imageops::FilterType::Triangle)
}

/// A CCITT Group 4 fax picture (`CCITTFaxDecode` with K < 0: what black-and-white scanners most often write),
/// decoded by the `fax` crate (safe Rust) into grey pixels as the page shows them (`BlackIs1`, `Decode`). Group 3
/// and byte-aligned rows are refused by name. Rows stop at the picture's height, so a hostile stream cannot grow it.
fn fax_picture(
    doc: &lopdf::Document,
    image: &Stream,
    width: u32,
    height: u32,
) -> std::result::Result<image::GrayImage, String> {
    let parms =
        match image.dict.get(b"DecodeParms").ok().and_then(|o| doc.dereference(o).ok()).map(|(_, o)| o) {
            Some(Object::Dictionary(d)) => Some(d.clone()),
            Some(Object::Array(a)) => {
                a.first().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok().cloned())
            }
            _ => None,
        };
    let int = |key: &[u8], default: i64| {
        parms.as_ref().and_then(|d| d.get(key).ok()).and_then(|o| o.as_i64().ok()).unwrap_or(default)
    };
    let flag = |key: &[u8]| {
        parms.as_ref().and_then(|d| d.get(key).ok()).and_then(|o| o.as_bool().ok()).unwrap_or(false)
    };
    if int(b"K", 0) >= 0 {
        return Err("is CCITT Group 3 fax, which OCR cannot read here".into());
    }
    if flag(b"EncodedByteAlign") {
        return Err("is CCITT fax with byte-aligned rows, which OCR cannot read here".into());
    }
    let columns = int(b"Columns", 1728);
    let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(format!("is {width} × {height} pixels, too large for a fax picture"));
    };
    if columns != i64::from(width) {
        return Err(format!("is {columns} fax columns wide in a picture {width} pixels wide"));
    }
    // 1 bits are black with BlackIs1, else 0 bits; a Decode of [1 0] inverts what the samples mean.
    let inverted = image
        .dict
        .get(b"Decode")
        .ok()
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .and_then(|o| o.as_float().ok().or_else(|| o.as_i64().ok().map(|i| i as f32)))
        .is_some_and(|first| first > 0.5);
    let black_bit = flag(b"BlackIs1");
    let shade = |black: bool| {
        let bit = if black { black_bit } else { !black_bit };
        if bit != inverted {
            255
        } else {
            0
        }
    };
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    fax::decoder::decode_g4(image.content.iter().copied(), w, Some(h), |transitions| {
        pixels.extend(fax::decoder::pels(transitions, w).map(|c| shade(c == fax::Color::Black)));
    })
    .ok_or_else(|| "is a damaged CCITT fax stream".to_owned())?;
    image::GrayImage::from_raw(width, height, pixels)
        .ok_or_else(|| "is a damaged CCITT fax stream".to_owned())
}

#[cfg(test)]
mod tests {
    use super::{fax_picture, grey};
    use lopdf::{dictionary, Stream};

    /// A fax picture shows black where the page does: 0 bits by default, 1 bits with `BlackIs1` (white on a
    /// DeviceGray page unless its `Decode` inverts them).
    #[test]
    fn fax_pictures_keep_the_page_s_black_and_white() {
        let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
        for _ in 0..2 {
            let row = (0..16).map(|x| if x < 8 { fax::Color::Black } else { fax::Color::White });
            encoder.encode_line(row, 16).unwrap();
        }
        let data = encoder.finish().unwrap().finish();
        let doc = lopdf::Document::with_version("1.7");
        let picture = |black_is_1: bool, decode: bool| {
            let mut dict = dictionary! {
                "DecodeParms" => dictionary! { "K" => -1, "Columns" => 16, "BlackIs1" => black_is_1 },
            };
            if decode {
                dict.set("Decode", vec![1.into(), 0.into()]);
            }
            let g = fax_picture(&doc, &Stream::new(dict, data.clone()), 16, 2).unwrap();
            (g.get_pixel(0, 1).0[0], g.get_pixel(15, 1).0[0])
        };
        assert_eq!(picture(false, false), (0, 255));
        assert_eq!(picture(true, false), (255, 0));
        assert_eq!(picture(true, true), (0, 255));
        let g3 =
            Stream::new(dictionary! { "DecodeParms" => dictionary! { "K" => 0, "Columns" => 16 } }, data);
        assert!(fax_picture(&doc, &g3, 16, 2).unwrap_err().contains("Group 3"));
        // Damaged or hostile data never panics and never yields more than the declared picture.
        let mut seed = 0x9e37_79b9_u32;
        for n in 0..300 {
            let junk: Vec<u8> = (0..n % 64)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed as u8
                })
                .collect();
            let parms = dictionary! { "DecodeParms" => dictionary! { "K" => -1, "Columns" => 16 } };
            if let Ok(g) = fax_picture(&doc, &Stream::new(parms, junk), 16, 2) {
                assert_eq!(g.dimensions(), (16, 2));
            }
        }
    }

    #[test]
    fn one_bit_and_colour_samples_become_grey() {
        // 10 pixels wide: two bytes a row, the last six bits padding.
        let bilevel = [0b1010_0000, 0b1100_0000];
        let g = grey(&bilevel, 10, 1, 1, 1).unwrap();
        assert_eq!(g.as_raw(), &[255, 0, 255, 0, 0, 0, 0, 0, 255, 255]);
        let rgb = [255, 255, 255, 0, 0, 0];
        assert_eq!(grey(&rgb, 2, 1, 8, 3).unwrap().as_raw(), &[255, 0]);
        assert!(grey(&rgb, 3, 1, 8, 3).is_none(), "too few samples for the size");
        assert!(grey(&rgb, 2, 1, 16, 3).is_none(), "16-bit samples are not read");
    }
}
