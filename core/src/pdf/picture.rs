//! Pictures for a bundle: what a picture is (from its bytes, never its name or declared type), what metadata it
//! carries (to show the person what an export removes), and the picture made ready for a PDF page without it. A
//! JPEG that needs no downsampling and holds one image and nothing after it keeps its compressed image data byte
//! for byte, with every metadata segment dropped; anything else is decoded and re-encoded. Apart from that
//! pass-through check, all of this runs inside the isolated worker (`isolate`): these are untrusted files, parsed
//! with bounds on every read.

use std::io::Cursor;

use serde::{Deserialize, Serialize};

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

/// The metadata of a picture (nothing for bytes that are not one). A JPEG is read whole, every image in it (an
/// appended or MPF secondary image carries its own EXIF).
pub(crate) fn metadata(bytes: &[u8]) -> Metadata {
    let mut meta = Metadata { items: Vec::new(), orientation: 1 };
    match format(bytes) {
        Some(Format::Jpeg) => jpeg_metadata(bytes, &mut meta),
        Some(Format::Png) => png_metadata(bytes, &mut meta),
        Some(Format::Tiff) => exif(bytes, &mut meta),
        Some(Format::Webp) => webp_metadata(bytes, &mut meta),
        Some(Format::Gif) => gif_metadata(bytes, &mut meta),
        Some(Format::Bmp) | None => {}
        Some(Format::Heif | Format::Avif | Format::JpegXl | Format::Jpeg2000) => {
            embedded_metadata(bytes, &mut meta)
        }
    }
    meta
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
/// reader gets the first picture and nothing more.
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
    let downsampled = w > MAX_SIDE || h > MAX_SIDE;
    if downsampled {
        let scale = f64::from(MAX_SIDE) / f64::from(w.max(h));
        let nw = ((f64::from(w) * scale).round() as u32).clamp(1, MAX_SIDE);
        let nh = ((f64::from(h) * scale).round() as u32).clamp(1, MAX_SIDE);
        rgba = image::imageops::resize(&rgba, nw, nh, image::imageops::FilterType::Triangle);
    }
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

/// Adds one item (once), its detail cut to a line of 120 characters.
pub(crate) fn push(meta: &mut Metadata, kind: &str, detail: impl Into<String>) {
    let detail: String = detail.into();
    let detail: String = detail.chars().filter(|c| !c.is_control()).take(120).collect();
    let detail = detail.trim().to_owned();
    if !meta.items.iter().any(|m| m.kind == kind && m.detail == detail) {
        meta.items.push(MetadataItem { kind: kind.into(), detail });
    }
}

fn jpeg_segment_metadata(marker: u8, data: &[u8], meta: &mut Metadata) {
    match marker {
        0xE1 if data.starts_with(b"Exif\0\0") => exif(&data[6..], meta),
        0xE1 if data.starts_with(b"http://ns.adobe.com/xap/1.0/") => push(meta, "xmp", ""),
        0xE1 => push(meta, "other", "APP1"),
        0xE2 if data.starts_with(b"ICC_PROFILE\0") => push(meta, "icc", ""),
        0xED => push(meta, "iptc", ""),
        0xFE => push(meta, "comment", String::from_utf8_lossy(data)),
        0xE0 if data.starts_with(b"JFIF\0") => {}
        0xE0 if data.starts_with(b"JFXX\0") => push(meta, "thumbnail", ""),
        0xEE if data.starts_with(b"Adobe") => {}
        0xE0..=0xEF => push(meta, "other", format!("APP{}", marker - 0xE0)),
        _ => {}
    }
}

/// Every marker segment of every image in a JPEG file: its first picture, segments between scans, and any
/// picture appended after it (MPF secondary images, gain maps, a whole second photo); other trailing data too.
fn jpeg_metadata(bytes: &[u8], meta: &mut Metadata) {
    let mut from = 0;
    for image in 0..64 {
        let walk = jpeg_walk_at(bytes, from);
        for p in &walk.pieces {
            let data = bytes.get(p.data.clone()).unwrap_or(&[]);
            // Only the first picture's own EXIF says how it is turned.
            let orientation = meta.orientation;
            jpeg_segment_metadata(p.marker, data, meta);
            if image > 0 || p.after_scan {
                meta.orientation = orientation;
            }
        }
        let Some(end) = walk.end else { return };
        let rest = bytes.get(end..).unwrap_or(&[]);
        // Padding after a picture is harmless; anything else is reported, as another picture when it is one.
        let Some(skip) = rest.iter().position(|&b| !matches!(b, 0 | b'\r' | b'\n')) else { return };
        from = end + skip;
        if !is_jpeg(bytes.get(from..).unwrap_or(&[])) {
            push(meta, "other", "");
            return;
        }
    }
}

/// The chunks of a WebP file (RIFF): `EXIF`, `XMP ` and `ICCP`.
fn webp_metadata(bytes: &[u8], meta: &mut Metadata) {
    let mut i = 12;
    for _ in 0..100_000 {
        let Some(head) = bytes.get(i..i + 8) else { return };
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let data = bytes.get(i + 8..(i + 8).saturating_add(len).min(bytes.len())).unwrap_or(&[]);
        match &head[..4] {
            b"EXIF" => exif(data.strip_prefix(b"Exif\0\0").unwrap_or(data), meta),
            b"XMP " => push(meta, "xmp", ""),
            b"ICCP" => push(meta, "icc", ""),
            _ => {}
        }
        // Chunks are padded to an even length.
        i = i.saturating_add(8).saturating_add(len).saturating_add(len & 1);
    }
}

/// A GIF's comment and application extensions (XMP rides in one).
fn gif_metadata(bytes: &[u8], meta: &mut Metadata) {
    let Some(&flags) = bytes.get(10) else { return };
    let mut i = 13;
    if flags & 0x80 != 0 {
        i += 3 << ((flags & 7) + 1);
    }
    // The data sub-blocks from `at`: where they end.
    let skip_blocks = |mut at: usize| -> Option<usize> {
        loop {
            let n = usize::from(*bytes.get(at)?);
            at += 1 + n;
            if n == 0 {
                return Some(at);
            }
        }
    };
    for _ in 0..100_000 {
        match bytes.get(i) {
            Some(0x21) => {
                let Some(&label) = bytes.get(i + 1) else { return };
                match label {
                    0xFE => push(meta, "comment", ""),
                    0xFF if bytes.get(i + 3..i + 14) == Some(b"XMP DataXMP") => push(meta, "xmp", ""),
                    0xFF => {
                        push(meta, "other", String::from_utf8_lossy(bytes.get(i + 3..i + 11).unwrap_or(&[])))
                    }
                    _ => {}
                }
                let Some(next) = skip_blocks(i + 2) else { return };
                i = next;
            }
            Some(0x2C) => {
                let Some(&flags) = bytes.get(i + 9) else { return };
                let mut at = i + 10;
                if flags & 0x80 != 0 {
                    at += 3 << ((flags & 7) + 1);
                }
                let Some(next) = skip_blocks(at + 1) else { return };
                i = next;
            }
            _ => return,
        }
    }
}

/// Metadata inside a picture Redress cannot decode (HEIF, AVIF, JPEG XL, JPEG 2000), found by its signatures: an
/// EXIF block (with its GPS position) and XMP.
fn embedded_metadata(bytes: &[u8], meta: &mut Metadata) {
    let mut from = 0;
    for _ in 0..16 {
        let Some(k) = bytes.get(from..).and_then(|rest| rest.windows(6).position(|w| w == b"Exif\0\0"))
        else {
            break;
        };
        let at = from + k + 6;
        exif(bytes.get(at..).unwrap_or(&[]), meta);
        from = at;
    }
    // Some writers store the TIFF header without the "Exif" prefix.
    if !meta.items.iter().any(|m| m.kind == "gps" || m.kind == "camera") {
        for sig in [&b"MM\0*\0\0\0\x08"[..], &b"II*\0\x08\0\0\0"[..]] {
            if let Some(k) = bytes.windows(8).position(|w| w == sig) {
                exif(bytes.get(k..).unwrap_or(&[]), meta);
            }
        }
    }
    if bytes.windows(10).any(|w| w == b"<x:xmpmeta") {
        push(meta, "xmp", "");
    }
}

fn png_metadata(bytes: &[u8], meta: &mut Metadata) {
    let mut i = 8;
    let mut chunks = 0;
    while let Some(head) = bytes.get(i..i + 8) {
        chunks += 1;
        if chunks > 100_000 {
            break;
        }
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        let Some(data) = bytes.get(i + 8..(i + 8).saturating_add(len)) else { break };
        match kind {
            b"eXIf" => exif(data, meta),
            b"tEXt" | b"zTXt" | b"iTXt" => {
                let key_end = data.iter().position(|&b| b == 0).unwrap_or(data.len()).min(79);
                let key = String::from_utf8_lossy(&data[..key_end]).into_owned();
                if key == "XML:com.adobe.xmp" {
                    push(meta, "xmp", "");
                } else {
                    push(meta, "text", key);
                }
            }
            b"tIME" => push(meta, "date_taken", ""),
            b"iCCP" => push(meta, "icc", ""),
            b"IEND" => break,
            _ => {}
        }
        i = i.saturating_add(12).saturating_add(len);
    }
}

/// A TIFF structure (EXIF) read with a bound on every offset and count.
struct Tiff<'a> {
    d: &'a [u8],
    le: bool,
}

impl Tiff<'_> {
    fn u16(&self, at: usize) -> Option<u16> {
        let b = self.d.get(at..at + 2)?;
        Some(if self.le { u16::from_le_bytes([b[0], b[1]]) } else { u16::from_be_bytes([b[0], b[1]]) })
    }

    fn u32(&self, at: usize) -> Option<u32> {
        let b = self.d.get(at..at + 4)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if self.le { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    }

    /// The entries of the IFD at `at`: (tag, type, count, offset of the value).
    fn entries(&self, at: usize) -> Vec<(u16, u16, u32, usize)> {
        let Some(n) = self.u16(at) else { return Vec::new() };
        (0..usize::from(n.min(512)))
            .filter_map(|k| {
                let e = at + 2 + 12 * k;
                let (tag, typ, count) = (self.u16(e)?, self.u16(e + 2)?, self.u32(e + 4)?);
                let size = match typ {
                    1 | 2 | 6 | 7 => 1,
                    3 | 8 => 2,
                    4 | 9 | 11 => 4,
                    _ => 8,
                } * count as usize;
                let value = if size <= 4 { e + 8 } else { self.u32(e + 8)? as usize };
                Some((tag, typ, count, value))
            })
            .collect()
    }

    fn ascii(&self, at: usize, count: u32) -> String {
        let end = at.saturating_add(count.min(256) as usize);
        let bytes = self.d.get(at..end).unwrap_or(&[]);
        String::from_utf8_lossy(bytes).trim_end_matches('\0').trim().to_owned()
    }

    fn rational(&self, at: usize) -> Option<f64> {
        let (n, d) = (self.u32(at)?, self.u32(at + 4)?);
        (d != 0).then(|| f64::from(n) / f64::from(d))
    }

    /// Degrees, minutes, seconds as decimal degrees.
    fn dms(&self, at: usize) -> Option<f64> {
        Some(self.rational(at)? + self.rational(at + 8)? / 60.0 + self.rational(at + 16)? / 3600.0)
    }
}

fn exif(d: &[u8], meta: &mut Metadata) {
    let le = match d.get(..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => return,
    };
    let t = Tiff { d, le };
    let Some(ifd0) = t.u32(4) else { return };
    let ifd0 = ifd0 as usize;
    let mut camera = (String::new(), String::new());
    let mut sub = Vec::new();
    for (tag, _, count, at) in t.entries(ifd0) {
        match tag {
            0x010F => camera.0 = t.ascii(at, count),
            0x0110 => camera.1 = t.ascii(at, count),
            0x0131 => push(meta, "software", t.ascii(at, count)),
            0x0132 => push(meta, "date_taken", t.ascii(at, count)),
            0x013B => push(meta, "author", t.ascii(at, count)),
            0x8298 => push(meta, "author", t.ascii(at, count)),
            0x0112 => {
                if let Some(o) = t.u16(at).filter(|o| (1..=8).contains(o)) {
                    meta.orientation = o as u8;
                }
            }
            0x02BC => push(meta, "xmp", ""),
            0x83BB => push(meta, "iptc", ""),
            0x8773 => push(meta, "icc", ""),
            0x8769 => sub.push(("exif", t.u32(at))),
            0x8825 => sub.push(("gps", t.u32(at))),
            _ => {}
        }
    }
    if !camera.0.is_empty() || !camera.1.is_empty() {
        push(meta, "camera", format!("{} {}", camera.0, camera.1));
    }
    // IFD1 (after IFD0's entries) holds the embedded thumbnail, a small copy of the picture.
    if let Some(n) = t.u16(ifd0) {
        if t.u32(ifd0 + 2 + 12 * usize::from(n)).is_some_and(|next| next != 0) {
            push(meta, "thumbnail", "");
        }
    }
    for (which, at) in sub {
        let Some(at) = at else { continue };
        let entries = t.entries(at as usize);
        if which == "exif" {
            for (tag, _, count, at) in entries {
                match tag {
                    0x9003 => push(meta, "date_taken", t.ascii(at, count)),
                    0xA430 => push(meta, "author", t.ascii(at, count)),
                    0xA431 => push(meta, "serial", t.ascii(at, count)),
                    0xA434 => push(meta, "camera", t.ascii(at, count)),
                    0x927C => push(meta, "other", "MakerNote"),
                    _ => {}
                }
            }
            continue;
        }
        let find = |tag: u16| entries.iter().find(|e| e.0 == tag);
        let sign = |tag: u16, neg: &str| {
            find(tag).map(|e| t.ascii(e.3, e.2)).map_or(1.0, |r| if r == neg { -1.0 } else { 1.0 })
        };
        let lat = find(2).and_then(|e| t.dms(e.3)).map(|v| v * sign(1, "S"));
        let lon = find(4).and_then(|e| t.dms(e.3)).map(|v| v * sign(3, "W"));
        match (lat, lon) {
            (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => {
                push(meta, "gps", format!("{lat:.5}, {lon:.5}"));
            }
            _ if !entries.is_empty() => push(meta, "gps", ""),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG (64 × 32) whose EXIF block holds a camera model and a GPS position: the integration tests' fixture.
    pub(crate) fn jpeg_with_gps() -> Vec<u8> {
        include_bytes!("../../tests/data/gps-photo.jpg").to_vec()
    }

    #[test]
    fn gps_and_camera_are_found_and_stripped() {
        let jpeg = jpeg_with_gps();
        let meta = metadata(&jpeg);
        let gps = meta.items.iter().find(|m| m.kind == "gps").expect("the GPS position must be reported");
        assert_eq!(gps.detail, "55.75000, 37.61667");
        assert!(meta.items.iter().any(|m| m.kind == "camera" && m.detail == "Cam"), "{meta:?}");
        let (header, bytes) = prepare(&jpeg).unwrap();
        assert_eq!((header.width, header.height, header.encoding), (64, 32, Encoding::Jpeg));
        assert!(metadata(&bytes).items.is_empty(), "a prepared picture must carry no metadata");
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "no EXIF block may survive");
        image::load_from_memory(&bytes).expect("the stripped JPEG must still decode");
    }

    #[test]
    fn only_whole_jpegs_pass_through() {
        let jpeg = jpeg_with_gps();
        assert!(passes_through(&jpeg));
        assert!(!passes_through(&jpeg[..jpeg.len() - 10]), "a truncated JPEG is decoded, not passed on");
        let mut appended = jpeg.clone();
        appended.extend(b"trailing data");
        assert!(!passes_through(&appended), "data after the picture is not passed on");
        let (_, clean) = prepare(&appended).unwrap();
        assert!(clean.ends_with(&[0xFF, 0xD9]) && !clean.windows(8).any(|w| w == b"trailing"));
    }

    #[test]
    fn a_jpeg_passes_through_only_alone_and_without_metadata_after_its_scan() {
        let img = image::RgbImage::from_fn(240, 180, |x, y| image::Rgb([x as u8, y as u8, (x ^ y) as u8]));
        let mut encoded = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut encoded, 85)
            .encode(img.as_raw(), 240, 180, image::ExtendedColorType::Rgb8)
            .unwrap();
        assert!(passes_through(&encoded), "a plain JPEG passes through, not decoded again");
        let jpeg = jpeg_with_gps();
        let mut two = strip_jpeg(&jpeg);
        assert!(passes_through(&two), "a clean JPEG passes through");
        two.extend(&jpeg);
        assert!(!passes_through(&two), "a second picture appended is decoded, not passed on");
        assert!(
            metadata(&two).items.iter().any(|m| m.kind == "gps"),
            "the appended picture's GPS is reported"
        );
        let clean = strip_jpeg(&two);
        assert!(!clean.windows(4).any(|w| w == b"Exif") && clean.len() < two.len() / 2 + 8);
        image::load_from_memory(&clean).unwrap();
        // A comment between the scan and the end of the image.
        let eoi = jpeg.len() - 2;
        let mut late = jpeg[..eoi].to_vec();
        late.extend([0xFF, 0xFE, 0x00, 0x07]);
        late.extend(b"where");
        late.extend([0xFF, 0xD9]);
        assert!(!passes_through(&late), "a segment after the scan is not passed on");
        assert!(metadata(&late).items.iter().any(|m| m.kind == "comment"));
        assert!(!strip_jpeg(&late).windows(5).any(|w| w == b"where"), "and is stripped");
    }

    #[test]
    fn formats_are_told_from_their_bytes() {
        let cases: [(&[u8], Option<Format>); 9] = [
            (b"\xFF\xD8\xFF\xE0", Some(Format::Jpeg)),
            (b"II*\0\x08\0\0\0", Some(Format::Tiff)),
            (b"RIFF\0\0\0\0WEBPVP8L", Some(Format::Webp)),
            (b"GIF89a", Some(Format::Gif)),
            (b"BM\0\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0", Some(Format::Bmp)),
            (b"BMW notes, 2021", None),
            (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", Some(Format::Heif)),
            (b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf", Some(Format::Avif)),
            (b"\0\0\0\x18ftypisom\0\0\0\0isomiso2", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(format(bytes), expected, "{bytes:?}");
        }
        assert!(!Format::Heif.decodable() && Format::Webp.decodable());
        assert!(prepare(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").is_err(), "HEIC is refused, never drawn");
    }

    /// What a prepared picture must be, whatever went in: within `MAX_SIDE`, grey or colour, as many raw samples
    /// as its header says, or a JPEG from its start to its end marker whose frame is the header's size, and no
    /// metadata left in it.
    fn assert_well_formed(what: &str, header: &Prepared, bytes: &[u8]) {
        let (w, h, c) = (header.width, header.height, header.components);
        assert!((1..=MAX_SIDE).contains(&w) && (1..=MAX_SIDE).contains(&h), "{what}: size {w} × {h}");
        assert!(c == 1 || c == 3, "{what}: {c} components");
        match header.encoding {
            Encoding::Rgb => {
                assert_eq!(
                    bytes.len() as u64,
                    u64::from(w * h) * u64::from(c),
                    "{what}: one sample per pixel"
                )
            }
            Encoding::Jpeg => {
                assert!(
                    bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]),
                    "{what}: a whole JPEG"
                );
                let frame =
                    jpeg_frame(bytes, &jpeg_walk(bytes)).unwrap_or_else(|| panic!("{what}: no frame"));
                assert_eq!(
                    (frame.width, frame.height, frame.components),
                    (w, h, c),
                    "{what}: the header's frame"
                );
            }
        }
        assert_eq!(metadata(bytes).items, [], "{what}: a prepared picture carries no metadata");
    }

    /// Checks every entry point an untrusted picture goes through: nothing panics, an `Ok` is well formed, an
    /// `Err` says why, and what a JPEG is stripped to carries no metadata.
    fn check_picture(what: &str, bytes: &[u8]) {
        let meta = metadata(bytes);
        assert!((1..=8).contains(&meta.orientation), "{what}: orientation {}", meta.orientation);
        match prepare(bytes) {
            Ok((header, out)) => assert_well_formed(what, &header, &out),
            Err(Unusable(why)) => assert!(!why.trim().is_empty(), "{what}: a refusal says why"),
        }
        let through = passthrough(bytes);
        assert_eq!(
            passes_through(bytes),
            through.is_some(),
            "{what}: the quick check agrees with passthrough"
        );
        if let Some((header, out)) = through {
            assert_well_formed(what, &header, &out);
        }
        let stripped = strip_jpeg(bytes);
        assert_eq!(metadata(&stripped).items, [], "{what}: a stripped JPEG carries no metadata");
    }

    /// A PDF goes through `sanitize` and `pdf_metadata` (in the worker): a refusal has the unreadable (4) or
    /// encrypted (3) exit code and a reason; what `sanitize` gives back is a PDF with pages.
    fn check_pdf(what: &str, bytes: &[u8]) {
        match crate::pdf::isolate::sanitize(bytes) {
            Ok(out) => {
                let doc = lopdf::Document::load_mem(&out)
                    .unwrap_or_else(|e| panic!("{what}: sanitized, unreadable: {e}"));
                assert!(!doc.get_pages().is_empty(), "{what}: a sanitized PDF has pages");
            }
            Err((code, why)) => {
                assert!((code == 3 || code == 4) && !why.is_empty(), "{what}: refused {code} {why}")
            }
        }
        match crate::pdf::isolate::pdf_metadata(bytes) {
            Ok(meta) => assert!(meta.items.iter().all(|m| !m.kind.is_empty()), "{what}: {meta:?}"),
            Err((code, why)) => {
                assert!((code == 3 || code == 4) && !why.is_empty(), "{what}: refused {code} {why}")
            }
        }
    }

    #[test]
    fn hostile_bytes_never_panic() {
        let jpeg = jpeg_with_gps();
        for cut in [3, 5, 10, 20, 40, 60, 100, jpeg.len() / 2, jpeg.len() - 2] {
            let what = format!("the GPS JPEG cut at {cut} of {} bytes", jpeg.len());
            check_picture(&what, &jpeg[..cut]);
            assert!(!passes_through(&jpeg[..cut]), "{what}: a truncated JPEG never passes through as it is");
        }
        // Cut before its image data, a JPEG has nothing to draw: it is refused, saying so.
        for cut in [3, 5, 10, 20, 40, 60, 100] {
            let Err(Unusable(why)) = prepare(&jpeg[..cut]) else {
                panic!("the GPS JPEG cut at {cut} bytes must be refused")
            };
            assert!(why.starts_with("the picture cannot be decoded"), "cut at {cut}: {why}");
        }
        let mut bogus = b"\x89PNG\r\n\x1a\n".to_vec();
        bogus.extend([0xFF; 64]);
        assert!(prepare(&bogus).is_err(), "a PNG with a bogus header is refused, not drawn");
        let Err(Unusable(why)) = prepare(b"not a picture") else { panic!("text is not a picture") };
        assert_eq!(why, "the file is not a picture Redress knows");
        for bytes in [
            &b"RIFF\xff\xff\xff\xffWEBPEXIF\xff\xff\xff\xff"[..],
            b"GIF89a\x01\x00\x01\x00\xff",
            b"MM\0*\xff\xff\xff\xff",
        ] {
            check_picture(&format!("{bytes:?}"), bytes);
            assert!(prepare(bytes).is_err(), "{bytes:?}: a header with nothing after it is refused");
        }
        for cut in 0..jpeg.len() {
            check_picture(&format!("the GPS JPEG cut at {cut}"), &jpeg[..cut]);
        }
    }

    /// A small deterministic generator (xorshift64), so a failure names a case that reproduces.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// `seed`'s mutation of `original`: a few byte flips, interesting values, cuts, repeats and insertions.
    fn mutate(original: &[u8], rng: &mut Rng) -> Vec<u8> {
        let mut out = original.to_vec();
        for _ in 0..=rng.below(4) {
            let at = rng.below(out.len());
            match rng.below(6) {
                0 if !out.is_empty() => out[at] ^= 1 << rng.below(8),
                1 if !out.is_empty() => out[at] = [0x00, 0xFF, 0x7F, 0x80, 0xD9, 0xDA][rng.below(6)],
                2 => out.truncate(at),
                3 => {
                    let end = (at + 1 + rng.below(64)).min(out.len());
                    let slice = out[at..end].to_vec();
                    out.splice(at..at, slice);
                }
                4 => {
                    let end = (at + 1 + rng.below(64)).min(out.len());
                    out.drain(at..end);
                }
                _ => {
                    let noise: Vec<u8> = (0..1 + rng.below(16)).map(|_| rng.next() as u8).collect();
                    out.splice(at..at, noise);
                }
            }
        }
        out
    }

    /// A one-page PDF whose document information names an author and whose page draws the GPS JPEG.
    fn small_pdf() -> Vec<u8> {
        use lopdf::{dictionary, Object, Stream};
        let mut doc = lopdf::Document::with_version("1.7");
        let pages = doc.new_object_id();
        let image = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 64, "Height" => 32,
                "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
            },
            jpeg_with_gps(),
        ));
        let content = doc.add_object(Stream::new(dictionary! {}, b"q 64 0 0 32 10 10 cm /Im0 Do Q".to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 200.into(), 100.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        let info = doc.add_object(dictionary! { "Author" => Object::string_literal("A. Author") });
        doc.trailer.set("Root", catalog);
        doc.trailer.set("Info", info);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn small_png() -> Vec<u8> {
        let img = image::RgbaImage::from_fn(12, 8, |x, y| image::Rgba([x as u8 * 20, y as u8 * 30, 90, 200]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn mutated_pictures_and_pdfs_never_panic_and_give_well_formed_results() {
        let pdf = small_pdf();
        let meta = crate::pdf::isolate::pdf_metadata(&pdf).unwrap();
        assert!(
            meta.items.iter().any(|m| m.kind == "gps") && meta.items.iter().any(|m| m.kind == "author"),
            "the seed PDF carries what the fuzzing perturbs: {meta:?}"
        );
        check_pdf("the seed PDF", &pdf);
        let seeds: [(&str, Vec<u8>); 3] = [("jpeg", jpeg_with_gps()), ("png", small_png()), ("pdf", pdf)];
        let mut rng = Rng(0x5EED_F00D_CAFE_D00D);
        for (name, seed) in &seeds {
            for n in 0..300 {
                let mutated = mutate(seed, &mut rng);
                let what = format!("{name} mutation {n} ({} bytes)", mutated.len());
                check_picture(&what, &mutated);
                if *name == "pdf" {
                    check_pdf(&what, &mutated);
                }
            }
        }
    }

    #[test]
    fn large_pictures_are_downsampled() {
        let big = image::GrayImage::from_pixel(MAX_SIDE + 500, 100, image::Luma([128]));
        let mut png = Vec::new();
        big.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        let (header, bytes) = prepare(&png).unwrap();
        assert!(header.downsampled);
        assert_eq!(header.width, MAX_SIDE);
        assert_eq!((header.components, header.encoding), (1, Encoding::Rgb));
        assert_eq!(bytes.len(), (header.width * header.height) as usize);
    }
}
