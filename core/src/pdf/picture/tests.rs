//! Tests of the picture reader: formats told from their bytes, metadata found, JPEGs passed through or re-encoded.
//! The GPS-tagged JPEG is the fixture the integration tests use too (`core/tests/data`).

use super::*;

/// A JPEG (64 × 32) whose EXIF block holds a camera model and a GPS position: the integration tests' fixture.
pub(crate) fn jpeg_with_gps() -> Vec<u8> {
    include_bytes!("../../../tests/data/gps-photo.jpg").to_vec()
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
    assert!(metadata(&two).items.iter().any(|m| m.kind == "gps"), "the appended picture's GPS is reported");
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
            assert_eq!(bytes.len() as u64, u64::from(w * h) * u64::from(c), "{what}: one sample per pixel")
        }
        Encoding::Jpeg => {
            assert!(
                bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]),
                "{what}: a whole JPEG"
            );
            let frame = jpeg_frame(bytes, &jpeg_walk(bytes)).unwrap_or_else(|| panic!("{what}: no frame"));
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
    assert_eq!(passes_through(bytes), through.is_some(), "{what}: the quick check agrees with passthrough");
    if let Some((header, out)) = through {
        assert_well_formed(what, &header, &out);
    }
    let stripped = strip_jpeg(bytes);
    assert_eq!(metadata(&stripped).items, [], "{what}: a stripped JPEG carries no metadata");
}

/// A PDF goes through `sanitize` and `pdf_metadata` (in the worker): a refusal has the unreadable (4) or
/// encrypted (3) exit code and a reason; what `sanitize` gives back is a PDF with pages.
fn check_pdf(what: &str, bytes: &[u8]) {
    match crate::pdf::sanitize::sanitize(bytes) {
        Ok(out) => {
            let doc = lopdf::Document::load_mem(&out)
                .unwrap_or_else(|e| panic!("{what}: sanitized, unreadable: {e}"));
            assert!(!doc.get_pages().is_empty(), "{what}: a sanitized PDF has pages");
        }
        Err((code, why)) => {
            assert!((code == 3 || code == 4) && !why.is_empty(), "{what}: refused {code} {why}")
        }
    }
    match crate::pdf::sanitize::pdf_metadata(bytes) {
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
    let meta = crate::pdf::sanitize::pdf_metadata(&pdf).unwrap();
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
