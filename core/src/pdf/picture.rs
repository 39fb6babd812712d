//! Pictures for a bundle: what a picture is (from its bytes, never its name or declared type), what metadata it
//! carries (to show the person what an export removes), and the picture made ready for a PDF page without it. A
//! JPEG that needs no downsampling and holds one image and nothing after it keeps its compressed image data byte
//! for byte, with every metadata segment dropped; anything else is decoded and re-encoded. Apart from that
//! pass-through check, all of this runs inside the isolated worker (`isolate`): these are untrusted files, parsed
//! with bounds on every read.

use std::io::Cursor;

use serde::{Deserialize, Serialize};

mod metadata;

use metadata::jpeg_segment_metadata;
pub(crate) use metadata::{metadata, push};

/// The longest side a picture keeps in a bundle: A4 at 300 dpi. Larger pictures are downsampled to it.
pub(crate) const MAX_SIDE: u32 = 3508;
/// Pictures whose decoded pixels would need more memory than this are refused rather than decoded.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// One kind of metadata found in a picture, with what it says where that helps the person judge the risk.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataItem {
    /// `gps`, `camera`, `serial`, `date_taken`, `software`, `author`, `comment`, `xmp`, `iptc`, `icc`, `text`,
    /// `thumbnail` or `other`.
    pub kind: String,
    /// A value shown as is (a position, a camera model, a date); may be empty.
    pub detail: String,
}

/// What a picture carries besides its pixels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Metadata {
    pub(crate) items: Vec<MetadataItem>,
    /// The EXIF orientation (1–8; 1 when absent), applied when the picture is placed on its page.
    pub(crate) orientation: u8,
}

/// How the prepared picture's bytes are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Encoding {
    /// A baseline or progressive JPEG stream (PDF's DCTDecode), grey or colour.
    Jpeg,
    /// Raw 8-bit RGB samples, row by row.
    Rgb,
}

/// The header the worker writes before a prepared picture's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Prepared {
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// 1 (grey) or 3 (colour).
    pub(crate) components: u8,
    pub(crate) encoding: Encoding,
    pub(crate) downsampled: bool,
    pub(crate) metadata: Metadata,
}

/// Why a picture cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unusable(pub(crate) String);

/// What kind of picture a file is, told from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Jpeg,
    Png,
    Tiff,
    Webp,
    Gif,
    Bmp,
    /// HEIC/HEIF (an iPhone's photos): no decoder without a C library, so never shown.
    Heif,
    Avif,
    JpegXl,
    Jpeg2000,
}

impl Format {
    /// A short name of the format, for the plan and the placeholder page.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Tiff => "tiff",
            Format::Webp => "webp",
            Format::Gif => "gif",
            Format::Bmp => "bmp",
            Format::Heif => "heif",
            Format::Avif => "avif",
            Format::JpegXl => "jxl",
            Format::Jpeg2000 => "jp2",
        }
    }

    /// How the worker decodes it, when it can.
    fn decoder(self) -> Option<image::ImageFormat> {
        match self {
            Format::Jpeg => Some(image::ImageFormat::Jpeg),
            Format::Png => Some(image::ImageFormat::Png),
            Format::Tiff => Some(image::ImageFormat::Tiff),
            Format::Webp => Some(image::ImageFormat::WebP),
            Format::Gif => Some(image::ImageFormat::Gif),
            Format::Bmp => Some(image::ImageFormat::Bmp),
            Format::Heif | Format::Avif | Format::JpegXl | Format::Jpeg2000 => None,
        }
    }

    /// Whether the worker can decode it (and so show it on a page without its metadata).
    pub(crate) fn decodable(self) -> bool {
        self.decoder().is_some()
    }
}

/// The picture format of these bytes, from their signature; none for anything else.
pub(crate) fn format(bytes: &[u8]) -> Option<Format> {
    let at = |range: std::ops::Range<usize>| bytes.get(range).unwrap_or(&[]);
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Format::Png);
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Some(Format::Tiff);
    }
    if bytes.starts_with(b"RIFF") && at(8..12) == b"WEBP" {
        return Some(Format::Webp);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(Format::Gif);
    }
    // "BM" alone is too weak (a text file may start so): the reserved fields are zero and the header size known.
    if bytes.starts_with(b"BM")
        && at(6..10) == [0, 0, 0, 0]
        && matches!(at(14..18), [12 | 40 | 52 | 56 | 64 | 108 | 124, 0, 0, 0])
    {
        return Some(Format::Bmp);
    }
    if bytes.starts_with(&[0xFF, 0x0A]) || at(0..12) == b"\0\0\0\x0cJXL \r\n\x87\n" {
        return Some(Format::JpegXl);
    }
    if at(0..12) == b"\0\0\0\x0cjP  \r\n\x87\n" || bytes.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
        return Some(Format::Jpeg2000);
    }
    // ISO base media (HEIF, AVIF, but also MP4 video): an `ftyp` box whose brands say which.
    if at(4..8) == b"ftyp" {
        let size = at(0..4).iter().fold(0usize, |n, &b| n << 8 | usize::from(b));
        let end = size.clamp(16, 4096).min(bytes.len());
        let mut brands = vec![at(8..12)];
        brands.extend(bytes.get(16..end).unwrap_or(&[]).chunks_exact(4));
        if brands.iter().any(|b| matches!(*b, b"avif" | b"avis")) {
            return Some(Format::Avif);
        }
        let heif = [b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"];
        if brands.iter().any(|b| heif.iter().any(|h| h.as_slice() == *b)) {
            return Some(Format::Heif);
        }
    }
    None
}

fn is_jpeg(bytes: &[u8]) -> bool {
    format(bytes) == Some(Format::Jpeg)
}

/// The picture ready for a page: its header and bytes.
pub(crate) fn prepare(bytes: &[u8]) -> Result<(Prepared, Vec<u8>), Unusable> {
    if let Some(ready) = passthrough(bytes) {
        return Ok(ready);
    }
    let Some(format) = format(bytes) else {
        return Err(Unusable("the file is not a picture Redress knows".into()));
    };
    let Some(decoder) = format.decoder() else {
        return Err(Unusable(format!("pictures in the {} format cannot be read here", format.name())));
    };
    // Photos are re-encoded as JPEG; a PNG, GIF, BMP or TIFF (often a screenshot or a scan of text) losslessly.
    let as_jpeg = matches!(format, Format::Jpeg | Format::Webp);
    decoded(bytes, decoder, metadata(bytes), as_jpeg)
}

/// A JPEG that needs no decoding (grey or colour, within `MAX_SIDE`): its image data kept byte for byte, every
/// metadata segment dropped. This walks only the marker structure, with a bound on every read, so it runs in the
/// app itself; anything that needs decoding goes to the isolated worker.
pub(crate) fn passthrough(bytes: &[u8]) -> Option<(Prepared, Vec<u8>)> {
    if !is_jpeg(bytes) {
        return None;
    }
    let walk = jpeg_walk(bytes);
    let frame = whole(bytes, &walk)?;
    let mut metadata = Metadata { items: Vec::new(), orientation: 1 };
    for p in &walk.pieces {
        jpeg_segment_metadata(p.marker, bytes.get(p.data.clone()).unwrap_or(&[]), &mut metadata);
    }
    let header = Prepared {
        width: frame.width,
        height: frame.height,
        components: frame.components,
        encoding: Encoding::Jpeg,
        downsampled: false,
        metadata,
    };
    Some((header, stripped(bytes, &walk)))
}

/// Whether `passthrough` will take these bytes (looked at without copying them): one whole JPEG that ends with
/// its first end-of-image marker, with no metadata segment after its first scan. Anything else (truncated, data
/// or a second image appended, comments between progressive scans) is decoded and re-encoded instead, so a
/// reader gets the first picture and nothing more. (The bundle asks `passthrough` itself, once per photo; this
/// states the rule for the tests.)
#[cfg(test)]
pub(crate) fn passes_through(bytes: &[u8]) -> bool {
    is_jpeg(bytes) && whole(bytes, &jpeg_walk(bytes)).is_some()
}

/// The frame of a walked JPEG that can pass through: nothing after its end-of-image, no metadata after its first
/// scan, grey or colour within `MAX_SIDE`.
fn whole(bytes: &[u8], walk: &Walk) -> Option<Frame> {
    if walk.end != Some(bytes.len())
        || walk.pieces.iter().any(|p| p.after_scan && is_metadata_marker(p.marker))
    {
        return None;
    }
    jpeg_frame(bytes, walk).filter(|f| {
        f.width > 0
            && f.height > 0
            && f.width <= MAX_SIDE
            && f.height <= MAX_SIDE
            && (f.components == 1 || f.components == 3)
    })
}

/// Decodes (within memory limits), flattens transparency onto white, downsamples, and re-encodes: a photo as
/// JPEG, a PNG (often a screenshot of text) as lossless RGB.
fn decoded(
    bytes: &[u8],
    format: image::ImageFormat,
    metadata: Metadata,
    as_jpeg: bool,
) -> Result<(Prepared, Vec<u8>), Unusable> {
    let (rgba, grey, downsampled) = flattened(bytes, format, MAX_SIDE)?;
    let (width, height) = rgba.dimensions();
    let rgb: Vec<u8> = if grey {
        rgba.pixels().map(|p| p.0[0]).collect()
    } else {
        rgba.pixels().flat_map(|p| [p.0[0], p.0[1], p.0[2]]).collect()
    };
    let components = if grey { 1 } else { 3 };
    if as_jpeg {
        let mut out = Vec::new();
        let color = if grey { image::ExtendedColorType::L8 } else { image::ExtendedColorType::Rgb8 };
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode(&rgb, width, height, color)
            .map_err(|e| Unusable(format!("the picture cannot be re-encoded: {e}")))?;
        let header = Prepared { width, height, components, encoding: Encoding::Jpeg, downsampled, metadata };
        return Ok((header, out));
    }
    let header = Prepared { width, height, components, encoding: Encoding::Rgb, downsampled, metadata };
    Ok((header, rgb))
}

/// Decodes (within memory limits), flattens transparency onto white and downsamples to `max_side`: the pixels,
/// whether the picture was grey, and whether it was downsampled.
fn flattened(
    bytes: &[u8],
    format: image::ImageFormat,
    max_side: u32,
) -> Result<(image::RgbaImage, bool, bool), Unusable> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits.max_image_width = Some(40_000);
    limits.max_image_height = Some(40_000);
    reader.limits(limits);
    let picture = reader.decode().map_err(|e| Unusable(format!("the picture cannot be decoded: {e}")))?;
    let (w, h) = (picture.width(), picture.height());
    if w == 0 || h == 0 {
        return Err(Unusable("the picture has no pixels".into()));
    }
    let grey = !picture.color().has_color();
    let mut rgba = picture.into_rgba8();
    for px in rgba.pixels_mut() {
        let [r, g, b, a] = px.0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        px.0 = [over(r), over(g), over(b), 255];
    }
    let downsampled = w > max_side || h > max_side;
    if downsampled {
        let scale = f64::from(max_side) / f64::from(w.max(h));
        let nw = ((f64::from(w) * scale).round() as u32).clamp(1, max_side);
        let nh = ((f64::from(h) * scale).round() as u32).clamp(1, max_side);
        rgba = image::imageops::resize(&rgba, nw, nh, image::imageops::FilterType::Triangle);
    }
    Ok((rgba, grey, downsampled))
}

/// A picture for the preview pane, made in the worker so the webview never decodes the person's untrusted bytes
/// natively: decoded, flattened, at most `PREVIEW_SIDE` pixels on its longest side, and re-encoded (a photo as
/// JPEG, anything else as PNG) with no metadata at all.
pub(crate) fn preview(bytes: &[u8]) -> Result<Vec<u8>, Unusable> {
    let Some(format) = format(bytes) else {
        return Err(Unusable("the file is not a picture Redress knows".into()));
    };
    let Some(decoder) = format.decoder() else {
        return Err(Unusable(format!("pictures in the {} format cannot be shown here", format.name())));
    };
    let (rgba, _, _) = flattened(bytes, decoder, PREVIEW_SIDE)?;
    let rgb = image::DynamicImage::ImageRgba8(rgba).into_rgb8();
    let mut out = Vec::new();
    let written = if matches!(format, Format::Jpeg | Format::Webp) {
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&rgb)
    } else {
        rgb.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
    };
    written.map_err(|e| Unusable(format!("the picture cannot be re-encoded: {e}")))?;
    Ok(out)
}

/// A picture as grey pixels for OCR (`ocr`): decoded within the same limits, flattened onto white, turned
/// upright by its EXIF orientation when `upright` (a phone's photo of a page is often stored on its side; a JPEG
/// inside a PDF is drawn as stored) and scaled down to `max_side` if larger.
pub(crate) fn grey_for_ocr(bytes: &[u8], max_side: u32, upright: bool) -> Result<image::GrayImage, Unusable> {
    let Some(format) = format(bytes) else {
        return Err(Unusable("the file is not a picture Redress knows".into()));
    };
    let Some(decoder) = format.decoder() else {
        return Err(Unusable(format!("pictures in the {} format cannot be read here", format.name())));
    };
    let orientation = metadata(bytes).orientation;
    let (rgba, _, _) = flattened(bytes, decoder, max_side)?;
    let mut picture = image::DynamicImage::ImageRgba8(rgba);
    if let Some(o) = image::metadata::Orientation::from_exif(orientation).filter(|_| upright) {
        picture.apply_orientation(o);
    }
    Ok(picture.into_luma8())
}

/// The longest side of a preview: enough for a full-screen view on most laptops.
pub(crate) const PREVIEW_SIDE: u32 = 2560;

/// One piece of a JPEG's marker structure: a marker segment, or a scan (SOS with its entropy-coded data).
struct Piece {
    marker: u8,
    /// Where the piece starts (at its 0xFF) and ends (after its payload, or its scan's data).
    start: usize,
    end: usize,
    /// The segment's payload, without marker and length (a scan's header only).
    data: std::ops::Range<usize>,
    /// Whether it comes after the first scan began.
    after_scan: bool,
}

/// A JPEG's first image, walked marker by marker.
struct Walk {
    pieces: Vec<Piece>,
    /// Just after the first end-of-image marker, when the walk reached one; none for a truncated or malformed
    /// picture (the pieces then end where the walk stopped).
    end: Option<usize>,
}

/// Walks the JPEG image starting at `from` (its SOI) through its first EOI, scans included: entropy-coded data
/// is skipped to the next marker (0xFF followed by neither 0x00 nor a restart marker), so a segment between
/// scans is seen. Every read is bounded; the walk stops at the first malformed byte.
fn jpeg_walk_at(bytes: &[u8], from: usize) -> Walk {
    let mut walk = Walk { pieces: Vec::new(), end: None };
    if bytes.get(from..from + 2) != Some(&[0xFF, 0xD8]) {
        return walk;
    }
    let mut i = from + 2;
    let mut scanned = false;
    while walk.pieces.len() < 100_000 {
        // Fill bytes (0xFF repeated) may precede a marker.
        while bytes.get(i) == Some(&0xFF) && bytes.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) else { break };
        match marker {
            0xD9 => {
                walk.end = Some(i + 2);
                break;
            }
            0xD0..=0xD7 | 0x01 => {
                i += 2;
                continue;
            }
            0x00 | 0xD8 => break,
            _ => {}
        }
        let Some(len) = bytes.get(i + 2..i + 4).map(|b| usize::from(u16::from_be_bytes([b[0], b[1]]))) else {
            break;
        };
        if len < 2 || i + 2 + len > bytes.len() {
            break;
        }
        let data = i + 4..i + 2 + len;
        let mut end = i + 2 + len;
        if marker == 0xDA {
            // The scan's data runs to the next marker.
            let mut j = end;
            loop {
                match bytes.get(j..).and_then(|rest| memchr::memchr(0xFF, rest)) {
                    Some(k) => j += k,
                    None => {
                        j = bytes.len();
                        break;
                    }
                }
                match bytes.get(j + 1) {
                    Some(0x00 | 0xD0..=0xD7) => j += 2,
                    Some(0xFF) => j += 1,
                    _ => break,
                }
            }
            end = j;
        }
        walk.pieces.push(Piece { marker, start: i, end, data, after_scan: scanned });
        scanned |= marker == 0xDA;
        i = end;
    }
    walk
}

fn jpeg_walk(bytes: &[u8]) -> Walk {
    jpeg_walk_at(bytes, 0)
}

/// APPn and COM: what a JPEG carries besides its image.
fn is_metadata_marker(marker: u8) -> bool {
    matches!(marker, 0xE0..=0xEF | 0xFE)
}

/// The first picture of a JPEG and nothing else: every APPn (but JFIF's APP0 and Adobe's APP14, which say how to
/// read the colours) and every comment removed, before and between scans; whatever follows the first
/// end-of-image (an appended picture, an MPF secondary image, a gain map) dropped. The image data is untouched.
/// A truncated or malformed JPEG keeps what could be walked, then ends.
pub(crate) fn strip_jpeg(bytes: &[u8]) -> Vec<u8> {
    stripped(bytes, &jpeg_walk(bytes))
}

fn stripped(bytes: &[u8], walk: &Walk) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    for p in &walk.pieces {
        let data = bytes.get(p.data.clone()).unwrap_or(&[]);
        let keep = match p.marker {
            0xE0 => !p.after_scan && data.starts_with(b"JFIF\0"),
            0xEE => !p.after_scan && data.starts_with(b"Adobe"),
            m => !is_metadata_marker(m),
        };
        if keep {
            out.extend_from_slice(bytes.get(p.start..p.end).unwrap_or(&[]));
        }
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

struct Frame {
    width: u32,
    height: u32,
    components: u8,
}

/// The frame header (SOF0–SOF15 but DHT/JPG/DAC) of a walked JPEG, before its first scan.
fn jpeg_frame(bytes: &[u8], walk: &Walk) -> Option<Frame> {
    walk.pieces.iter().take_while(|p| p.marker != 0xDA).find_map(|p| {
        let (marker, d) = (p.marker, bytes.get(p.data.clone()).unwrap_or(&[]));
        let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if !sof {
            return None;
        }
        let height = u32::from(u16::from_be_bytes([*d.get(1)?, *d.get(2)?]));
        let width = u32::from(u16::from_be_bytes([*d.get(3)?, *d.get(4)?]));
        Some(Frame { width, height, components: *d.get(5)? })
    })
}

#[cfg(test)]
mod tests;
