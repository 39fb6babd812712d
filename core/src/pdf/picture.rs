//! Pictures for a bundle: what metadata a JPEG or PNG carries (to show the person what an export removes), and
//! the picture made ready for a PDF page without it. A JPEG that needs no downsampling keeps its compressed image
//! data byte for byte, with every metadata segment dropped; anything else is decoded and re-encoded. All of this
//! runs inside the isolated worker (`isolate`): these are untrusted files, parsed with bounds on every read.

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

fn is_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
}

/// The metadata of a JPEG or PNG (nothing for other bytes).
pub(crate) fn metadata(bytes: &[u8]) -> Metadata {
    let mut meta = Metadata { items: Vec::new(), orientation: 1 };
    if is_jpeg(bytes) {
        for seg in jpeg_segments(bytes) {
            jpeg_segment_metadata(seg.marker, seg.data, &mut meta);
        }
    } else if is_png(bytes) {
        png_metadata(bytes, &mut meta);
    }
    meta
}

/// The picture ready for a page: its header and bytes.
pub(crate) fn prepare(bytes: &[u8]) -> Result<(Prepared, Vec<u8>), Unusable> {
    if let Some(ready) = passthrough(bytes) {
        return Ok(ready);
    }
    let metadata = metadata(bytes);
    if is_jpeg(bytes) {
        return decoded(bytes, image::ImageFormat::Jpeg, metadata, true);
    }
    if is_png(bytes) {
        return decoded(bytes, image::ImageFormat::Png, metadata, false);
    }
    Err(Unusable("the file is neither a JPEG nor a PNG picture".into()))
}

/// A JPEG that needs no decoding (grey or colour, within `MAX_SIDE`): its image data kept byte for byte, every
/// metadata segment dropped. This reads only the marker segments before the image data, with a bound on every
/// read, so it runs in the app itself; anything that needs decoding goes to the isolated worker.
pub(crate) fn passthrough(bytes: &[u8]) -> Option<(Prepared, Vec<u8>)> {
    if !passes_through(bytes) {
        return None;
    }
    let frame = jpeg_frame(bytes)?;
    let header = Prepared {
        width: frame.width,
        height: frame.height,
        components: frame.components,
        encoding: Encoding::Jpeg,
        downsampled: false,
        metadata: metadata(bytes),
    };
    Some((header, strip_jpeg(bytes)))
}

/// Whether `passthrough` will take these bytes (looked at without copying them). A JPEG that does not end with
/// its end-of-image marker (truncated, or with data appended) is decoded and re-encoded instead, so a reader gets
/// a whole picture.
pub(crate) fn passes_through(bytes: &[u8]) -> bool {
    is_jpeg(bytes)
        && bytes.ends_with(&[0xFF, 0xD9])
        && jpeg_frame(bytes).is_some_and(|f| {
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

struct Segment<'a> {
    marker: u8,
    /// The segment's payload, without marker and length.
    data: &'a [u8],
    /// Where the segment starts (at its 0xFF) and ends.
    start: usize,
    end: usize,
}

/// The marker segments of a JPEG before its image data (SOS). Stops at the first malformed byte.
fn jpeg_segments(bytes: &[u8]) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut i = 2;
    while let (Some(&0xFF), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) {
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xD9 || marker == 0xDA || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            break;
        }
        let Some(len) = bytes.get(i + 2..i + 4).map(|b| usize::from(u16::from_be_bytes([b[0], b[1]]))) else {
            break;
        };
        if len < 2 {
            break;
        }
        let end = i + 2 + len;
        let Some(data) = bytes.get(i + 4..end) else { break };
        out.push(Segment { marker, data, start: i, end });
        i = end;
    }
    out
}

/// A JPEG with every APPn (but JFIF's APP0 and Adobe's APP14, which say how to read the colours) and every
/// comment removed; the image data is untouched.
pub(crate) fn strip_jpeg(bytes: &[u8]) -> Vec<u8> {
    let segments = jpeg_segments(bytes);
    let rest = segments.last().map_or(2, |s| s.end);
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    for s in &segments {
        let keep = match s.marker {
            0xE0 => s.data.starts_with(b"JFIF\0"),
            0xEE => s.data.starts_with(b"Adobe"),
            0xE1..=0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(&bytes[s.start..s.end]);
        }
    }
    out.extend_from_slice(bytes.get(rest..).unwrap_or(&[]));
    out
}

struct Frame {
    width: u32,
    height: u32,
    components: u8,
}

/// The frame header (SOF0–SOF15 but DHT/JPG/DAC) of a JPEG.
fn jpeg_frame(bytes: &[u8]) -> Option<Frame> {
    jpeg_segments(bytes).into_iter().find_map(|s| {
        let sof = matches!(s.marker, 0xC0..=0xCF) && !matches!(s.marker, 0xC4 | 0xC8 | 0xCC);
        if !sof {
            return None;
        }
        let d = s.data;
        let height = u32::from(u16::from_be_bytes([*d.get(1)?, *d.get(2)?]));
        let width = u32::from(u16::from_be_bytes([*d.get(3)?, *d.get(4)?]));
        Some(Frame { width, height, components: *d.get(5)? })
    })
}

fn push(meta: &mut Metadata, kind: &str, detail: impl Into<String>) {
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
    fn hostile_bytes_never_panic() {
        let jpeg = jpeg_with_gps();
        for cut in [3, 5, 10, 20, 40, 60, 100, jpeg.len() / 2] {
            let _ = metadata(&jpeg[..cut]);
            let _ = prepare(&jpeg[..cut]);
        }
        let mut bogus = b"\x89PNG\r\n\x1a\n".to_vec();
        bogus.extend([0xFF; 64]);
        assert!(prepare(&bogus).is_err(), "a PNG with a bogus header is refused, not drawn");
        assert!(prepare(b"not a picture").is_err());
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
