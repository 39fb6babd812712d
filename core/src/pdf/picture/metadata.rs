//! What metadata a picture carries, told from its bytes for every format a phone or scanner gives: EXIF (camera,
//! GPS, dates, orientation), XMP, IPTC, ICC profiles, comments and embedded thumbnails, in JPEG (every image in the
//! file), PNG, TIFF, WebP, GIF and the ISO-BMFF family. Read with a bound on every offset: these files are hostile.

use super::*;

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

/// Adds one item (once), its detail cut to a line of 120 characters.
pub(crate) fn push(meta: &mut Metadata, kind: &str, detail: impl Into<String>) {
    let detail: String = detail.into();
    let detail: String = detail.chars().filter(|c| !c.is_control()).take(120).collect();
    let detail = detail.trim().to_owned();
    if !meta.items.iter().any(|m| m.kind == kind && m.detail == detail) {
        meta.items.push(MetadataItem { kind: kind.into(), detail });
    }
}

pub(super) fn jpeg_segment_metadata(marker: u8, data: &[u8], meta: &mut Metadata) {
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
