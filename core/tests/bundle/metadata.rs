//! Issue 9, part 2 (review findings H2 and M2): with "keep metadata" off, a bundle carries no location and no
//! camera data, whatever the pictures' format, however the worker fares, and inside PDF exhibits too; an original
//! is attached only when the person asked for it, and never one the reader crashed or timed out on. Every file
//! is made here, and what comes out is read back with poppler's `pdfimages` and `pdfdetach` and with exiftool.

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{Dictionary, Object, Stream};
use redress_core::bundle::{export, BundleSpec, PlannedExhibit, Treatment};
use redress_core::pdf::isolate::Worker;

use super::{jpeg_with_gps, worker, Case};
use crate::common::squeeze;

/// The EXIF block of the fixture photo: a TIFF structure whose IFD0 names the camera ("Cam") and points to a GPS
/// IFD (55.75 N, 37.6167 E).
fn exif_tiff() -> Vec<u8> {
    let jpeg = jpeg_with_gps();
    let at = jpeg.windows(6).position(|w| w == b"Exif\0\0").unwrap() + 6;
    let len = usize::from(u16::from_be_bytes([jpeg[at - 8], jpeg[at - 7]])) - 8;
    jpeg[at..at + len].to_vec()
}

/// The GPS IFD of that block, byte for byte: what must never reach the bundle.
fn gps_ifd_bytes() -> Vec<u8> {
    let tiff = exif_tiff();
    let le =
        |at: usize, n: usize| tiff[at..at + n].iter().rev().fold(0usize, |v, &b| v << 8 | usize::from(b));
    let ifd0 = le(4, 4);
    let count = le(ifd0, 2);
    let gps = (0..count)
        .map(|k| ifd0 + 2 + 12 * k)
        .find(|&e| le(e, 2) == 0x8825)
        .map(|e| le(e + 8, 4))
        .expect("the fixture has a GPS IFD");
    let entries = le(gps, 2);
    tiff[gps..gps + 2 + 12 * entries].to_vec()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A grey 48 × 24 TIFF, uncompressed, whose IFD0 names a camera and points to a GPS IFD (55.75 N, 37.6167 E).
fn tiff_with_gps() -> Vec<u8> {
    let (w, h) = (48u32, 24u32);
    let mut out = b"II*\0\x08\0\0\0".to_vec();
    let entries: u16 = 11;
    let ifd0_end = 8 + 2 + 12 * usize::from(entries) + 4;
    let gps_at = ifd0_end;
    let gps_end = gps_at + 2 + 12 * 4 + 4;
    let lat_at = gps_end;
    let lon_at = lat_at + 24;
    let pixels_at = lon_at + 24;
    let entry = |out: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: u32| {
        out.extend(tag.to_le_bytes());
        out.extend(typ.to_le_bytes());
        out.extend(count.to_le_bytes());
        out.extend(value.to_le_bytes());
    };
    out.extend(entries.to_le_bytes());
    entry(&mut out, 256, 4, 1, w);
    entry(&mut out, 257, 4, 1, h);
    entry(&mut out, 258, 3, 1, 8);
    entry(&mut out, 259, 3, 1, 1);
    entry(&mut out, 262, 3, 1, 1);
    entry(&mut out, 271, 2, 4, u32::from_le_bytes(*b"Cam\0"));
    entry(&mut out, 273, 4, 1, pixels_at as u32);
    entry(&mut out, 277, 3, 1, 1);
    entry(&mut out, 278, 4, 1, h);
    entry(&mut out, 279, 4, 1, w * h);
    entry(&mut out, 0x8825, 4, 1, gps_at as u32);
    out.extend(0u32.to_le_bytes());
    assert_eq!(out.len(), gps_at);
    out.extend(4u16.to_le_bytes());
    entry(&mut out, 1, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut out, 2, 5, 3, lat_at as u32);
    entry(&mut out, 3, 2, 2, u32::from_le_bytes(*b"E\0\0\0"));
    entry(&mut out, 4, 5, 3, lon_at as u32);
    out.extend(0u32.to_le_bytes());
    for (deg, min) in [(55u32, 45u32), (37, 37)] {
        for (n, d) in [(deg, 1u32), (min, 1), (0, 1)] {
            out.extend(n.to_le_bytes());
            out.extend(d.to_le_bytes());
        }
    }
    assert_eq!(out.len(), pixels_at);
    out.extend((0..w * h).map(|k| (k % 251) as u8));
    out
}

/// A lossless 40 × 20 WebP in the extended format, with an EXIF chunk holding the fixture's GPS block.
fn webp_with_gps() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 20, |x, y| image::Rgb([(x * 6) as u8, (y * 12) as u8, 90]));
    let mut simple = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut simple)
        .encode(img.as_raw(), 40, 20, image::ExtendedColorType::Rgb8)
        .unwrap();
    assert_eq!(&simple[12..16], b"VP8L");
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = kind.to_vec();
        c.extend((data.len() as u32).to_le_bytes());
        c.extend(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    let mut vp8x = vec![0x08, 0, 0, 0];
    vp8x.extend(&39u32.to_le_bytes()[..3]);
    vp8x.extend(&19u32.to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(chunk(b"VP8X", &vp8x));
    body.extend(&simple[12..]);
    body.extend(chunk(b"EXIF", &exif_tiff()));
    let mut out = b"RIFF".to_vec();
    out.extend((body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

/// What an iPhone photo looks like to a sniffer: an ISO-BMFF `ftyp` box with the `heic` brand, then (in a
/// real one, inside the `meta` box) an EXIF block with the GPS position.
fn heic_with_gps() -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(24u32.to_be_bytes());
    out.extend(b"ftypheic\0\0\0\0mif1heic");
    let mut exif = b"\0\0\0\0Exif\0\0".to_vec();
    exif.extend(exif_tiff());
    out.extend((exif.len() as u32 + 8).to_be_bytes());
    out.extend(b"Exif");
    out.extend(exif);
    out.extend(vec![0x5A; 2000]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A 30 × 20 PNG with an `eXIf` chunk (the fixture's GPS block) before its image data.
fn png_with_exif() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(30, 20, image::Rgb([10, 120, 200]));
    let mut png = Vec::new();
    img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    let idat = png.windows(4).position(|w| w == b"IDAT").unwrap() - 4;
    let mut chunk = Vec::new();
    let exif = exif_tiff();
    chunk.extend((exif.len() as u32).to_be_bytes());
    let mut typed = b"eXIf".to_vec();
    typed.extend(&exif);
    chunk.extend(&typed);
    chunk.extend(crc32(&typed).to_be_bytes());
    let mut out = png[..idat].to_vec();
    out.extend(chunk);
    out.extend(&png[idat..]);
    out
}

/// A clean JPEG (made here, no metadata) with the GPS-tagged fixture appended whole.
fn jpeg_with_gps_appended() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 32, |x, y| image::Rgb([(x * 4) as u8, (y * 8) as u8, 30]));
    let mut clean = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut clean, 85)
        .encode(img.as_raw(), 64, 32, image::ExtendedColorType::Rgb8)
        .unwrap();
    assert!(!contains(&clean, b"Exif"), "the first picture is clean");
    clean.extend(jpeg_with_gps());
    clean
}

/// A one-page PDF whose page draws the GPS-tagged fixture as a DCTDecode image that has XMP of its own, with
/// document information naming its author.
fn pdf_with_gps_photo() -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.7");
    let dict = |pairs: Vec<(&str, Object)>| {
        let mut d = Dictionary::new();
        for (k, v) in pairs {
            d.set(k, v);
        }
        d
    };
    let name = |n: &str| Object::Name(n.as_bytes().to_vec());
    let xmp = doc.add_object(Stream::new(
        dict(vec![("Type", name("Metadata")), ("Subtype", name("XML"))]),
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><exif:GPSLatitude>55,45N</exif:GPSLatitude></x:xmpmeta>"
            .to_vec(),
    ));
    let image = doc.add_object(Stream::new(
        dict(vec![
            ("Type", name("XObject")),
            ("Subtype", name("Image")),
            ("Width", Object::Integer(64)),
            ("Height", Object::Integer(32)),
            ("ColorSpace", name("DeviceRGB")),
            ("BitsPerComponent", Object::Integer(8)),
            ("Filter", name("DCTDecode")),
            ("Metadata", Object::Reference(xmp)),
        ]),
        jpeg_with_gps(),
    ));
    let content =
        doc.add_object(Stream::new(Dictionary::new(), b"q 384 0 0 192 100 500 cm /Im0 Do Q".to_vec()));
    let pages = doc.new_object_id();
    let resources =
        dict(vec![("XObject", Object::Dictionary(dict(vec![("Im0", Object::Reference(image))])))]);
    let page = doc.add_object(dict(vec![
        ("Type", name("Page")),
        ("Parent", Object::Reference(pages)),
        ("Contents", Object::Reference(content)),
        ("Resources", Object::Dictionary(resources)),
        ("MediaBox", Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()])),
        ("PieceInfo", Object::Dictionary(dict(vec![("App", Object::string_literal("private"))]))),
    ]));
    doc.objects.insert(
        pages,
        Object::Dictionary(dict(vec![
            ("Type", name("Pages")),
            ("Kids", Object::Array(vec![Object::Reference(page)])),
            ("Count", Object::Integer(1)),
        ])),
    );
    let catalog = doc.add_object(dict(vec![
        ("Type", name("Catalog")),
        ("Pages", Object::Reference(pages)),
        ("Metadata", Object::Reference(xmp)),
    ]));
    let info = doc.add_object(dict(vec![("Author", Object::string_literal("Ivan Informant"))]));
    doc.trailer.set("Root", Object::Reference(catalog));
    doc.trailer.set("Info", Object::Reference(info));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// exiftool's reading of one file: every tag, with its group (`GPS:GPSLatitude`, `IFD0:Model`, …).
fn exiftool(file: &Path) -> serde_json::Map<String, serde_json::Value> {
    let out = Command::new("exiftool").args(["-json", "-a", "-G1"]).arg(file).output().unwrap();
    let list: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("exiftool's answer on {}: {e}", file.display()));
    list.into_iter().next().unwrap_or_default()
}

/// Tags that tell where or with what a picture was taken.
fn revealing(tags: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    tags.keys()
        .filter(|k| {
            k.contains("GPS")
                || ["IFD0:", "IFD1:", "ExifIFD:", "XMP", "MakerNotes", "Composite:Exif"]
                    .iter()
                    .any(|g| k.starts_with(g))
        })
        .cloned()
        .collect()
}

/// exiftool must see the GPS position in a file made here (so that its silence on the bundle means something).
fn assert_exiftool_sees_gps(name: &str, bytes: &[u8], dir: &Path) {
    let file = dir.join(format!("check-{name}"));
    fs::write(&file, bytes).unwrap();
    let tags = exiftool(&file);
    assert!(
        tags.keys().any(|k| k.starts_with("GPS:")),
        "exiftool must find the GPS position in {name}: {tags:?}"
    );
}

/// Every image (`pdfimages -all`) and every attachment (`pdfdetach -saveall`) of a bundle, saved under `dir`.
fn extract(bundle: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let images = dir.join("images");
    let attached = dir.join("attached");
    fs::create_dir_all(&images).unwrap();
    fs::create_dir_all(&attached).unwrap();
    let st = Command::new("pdfimages").arg("-all").arg(bundle).arg(images.join("img")).status().unwrap();
    assert!(st.success());
    let st = Command::new("pdfdetach").arg("-saveall").arg("-o").arg(&attached).arg(bundle).status().unwrap();
    assert!(st.success());
    let list = |d: &Path| {
        let mut v: Vec<PathBuf> = fs::read_dir(d).unwrap().map(|e| e.unwrap().path()).collect();
        v.sort();
        v
    };
    (list(&images), list(&attached))
}

/// No image and no attachment of the bundle carries a GPS, EXIF or XMP tag, as exiftool reads them; and the
/// bundle's own bytes, uncompressed, hold no EXIF block, no GPS IFD and no `eXIf` chunk. Returns the images.
fn assert_no_location(bundle: &Path, dir: &Path) -> Vec<PathBuf> {
    let (images, attached) = extract(bundle, dir);
    for file in images.iter().chain(&attached) {
        let tags = exiftool(file);
        let found = revealing(&tags);
        assert!(found.is_empty(), "{} out of the bundle carries {found:?}", file.display());
    }
    let plain = dir.join("plain.pdf");
    let st = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable", "--decode-level=generalized"])
        .arg(bundle)
        .arg(&plain)
        .status()
        .unwrap();
    assert!(st.code() == Some(0) || st.code() == Some(3), "qpdf could not rewrite the bundle");
    for bytes in [fs::read(bundle).unwrap(), fs::read(&plain).unwrap()] {
        assert!(!contains(&bytes, b"Exif"), "no EXIF block may reach counsel");
        assert!(!contains(&bytes, b"eXIf"), "no PNG EXIF chunk may reach counsel");
        assert!(!contains(&bytes, &gps_ifd_bytes()), "the GPS IFD must not reach counsel");
        assert!(!contains(&bytes, b"GPSLatitude"), "nor an XMP GPS position");
    }
    images
}

fn plan_of(case: &Case, spec: &BundleSpec, worker: &Worker) -> Vec<PlannedExhibit> {
    case.vault.journal().bundle_plan(spec, worker).unwrap()
}

fn has(items: &[redress_core::pdf::picture::MetadataItem], kind: &str) -> bool {
    items.iter().any(|m| m.kind == kind)
}

#[test]
fn issue_9_tiff_webp_and_heic_photos_lose_their_gps_or_stay_out() {
    let mut case = Case::new();
    let dir = case.files.clone();
    let tiff = tiff_with_gps();
    let webp = webp_with_gps();
    let heic = heic_with_gps();
    assert_exiftool_sees_gps("photo.tif", &tiff, &dir);
    assert_exiftool_sees_gps("photo.webp", &webp, &dir);
    // The review's case a): the bare EXIF block as a TIFF (no picture in it at all).
    let bare = exif_tiff();
    let ids = [
        case.add("photo.tif", &tiff, ""),
        case.add("photo.webp", &webp, ""),
        case.add("IMG_0001.HEIC", &heic, ""),
        case.add("exif-only.tif", &bare, ""),
    ];
    let spec = BundleSpec::for_items(&ids);

    let plan = plan_of(&case, &spec, &worker());
    let shown: Vec<(Treatment, &str, bool)> =
        plan.iter().map(|p| (p.treatment, p.content.as_str(), p.attached)).collect();
    assert_eq!(
        shown,
        [
            (Treatment::Picture, "tiff", false),
            (Treatment::Picture, "webp", false),
            (Treatment::Placeholder, "heif", false),
            (Treatment::Picture, "tiff", false),
        ],
        "treatment from the content, and no original attached"
    );
    for p in &plan {
        assert!(
            has(&p.metadata, "gps"),
            "the plan must say the GPS position is removed from {}: {p:?}",
            p.title
        );
        assert!(p.kept.is_empty(), "nothing is kept: {p:?}");
    }
    let gps = plan[0].metadata.iter().find(|m| m.kind == "gps").unwrap();
    assert_eq!(gps.detail, "55.75000, 37.61667");
    assert!(has(&plan[0].metadata, "camera"), "{:?}", plan[0].metadata);
    assert_eq!(plan[2].reason, "picture_format", "the plan says plainly why the HEIC is a placeholder");

    let out = case.out("photos.pdf");
    let report = export(&mut case.vault, &spec, None, &out, &worker(), &mut |_| true).unwrap();
    let failed: Vec<u32> = report.placeholders.iter().map(|p| p.number).collect();
    assert_eq!(failed, [4], "only the picture-less TIFF fails: {:?}", report.placeholders);
    assert!(!report.placeholders[0].attached && report.placeholders[0].sha256 == plan[3].sha256);
    let images = assert_no_location(&out, &dir.join("out"));
    assert_eq!(images.len(), 2, "the TIFF and the WebP are drawn on their pages: {images:?}");
    for image in &images {
        let img = image::open(image).unwrap();
        assert!(matches!((img.width(), img.height()), (48, 24) | (40, 20)), "{}", image.display());
    }
    let pages = crate::common::page_texts(&out);
    let heic_page =
        pages.iter().find(|p| p.contains("IMG_0001.HEIC")).expect("a placeholder page for the HEIC");
    let squeezed = squeeze(heic_page);
    assert!(squeezed.contains(&plan[2].sha256), "the placeholder names the original's SHA-256: {heic_page}");
    assert!(squeezed.contains("(HEIF)") && squeezed.contains("isnotattached"), "{heic_page}");
    assert!(!contains(&fs::read(&out).unwrap(), b"ftypheic"), "the HEIC itself is not in the bundle");
}

#[test]
fn issue_9_a_jpeg_with_a_gps_jpeg_appended_loses_both() {
    let mut case = Case::new();
    let dir = case.files.clone();
    let cat = jpeg_with_gps_appended();
    assert!(image::load_from_memory(&cat).is_ok());
    let id = case.add("joined.jpg", &cat, "");
    let spec = BundleSpec::for_items(&[id]);
    let plan = plan_of(&case, &spec, &worker());
    assert_eq!(plan[0].treatment, Treatment::Picture);
    assert!(has(&plan[0].metadata, "gps"), "the appended picture's GPS is reported: {:?}", plan[0].metadata);

    let out = case.out("joined.pdf");
    let report = export(&mut case.vault, &spec, None, &out, &worker(), &mut |_| true).unwrap();
    assert!(report.placeholders.is_empty(), "{:?}", report.placeholders);
    let images = assert_no_location(&out, &dir.join("out"));
    assert_eq!(images.len(), 1);
    let img = image::open(&images[0]).unwrap();
    assert_eq!((img.width(), img.height()), (64, 32), "the first picture is what is shown");
}

#[test]
fn issue_9_a_png_with_exif_is_not_attached_when_the_worker_is_unavailable() {
    let mut case = Case::new();
    let dir = case.files.clone();
    let png = png_with_exif();
    assert!(image::load_from_memory(&png).is_ok(), "the PNG made here decodes");
    assert_exiftool_sees_gps("exif.png", &png, &dir);
    let id = case.add("exif.png", &png, "");
    let spec = BundleSpec::for_items(&[id]);
    let gone = Worker::new("/nonexistent/redress-worker");
    let out = case.out("unavailable.pdf");
    let report = export(&mut case.vault, &spec, None, &out, &gone, &mut |_| true).unwrap();
    assert_eq!(report.placeholders.len(), 1);
    let ph = &report.placeholders[0];
    assert_eq!(ph.code, "unavailable");
    assert!(!ph.attached, "a picture the worker could not clean is not attached");
    let pages = crate::common::page_texts(&out);
    assert!(squeeze(&pages[2]).contains(&ph.sha256), "the placeholder carries the hash: {}", pages[2]);
    assert_no_location(&out, &dir.join("out"));
    assert!(!contains(&fs::read(&out).unwrap(), b"/EmbeddedFile"), "nothing is attached");
}

#[test]
fn issue_9_a_pdf_exhibit_loses_its_photos_exif_its_xmp_and_its_document_info() {
    let mut case = Case::new();
    let dir = case.files.clone();
    let pdf = pdf_with_gps_photo();
    let id = case.add("scan.pdf", &pdf, "");
    let spec = BundleSpec::for_items(&[id]);
    let plan = plan_of(&case, &spec, &worker());
    assert_eq!(plan[0].treatment, Treatment::Pages);
    for kind in ["gps", "camera", "xmp", "author"] {
        assert!(has(&plan[0].metadata, kind), "the plan lists {kind} as removed: {:?}", plan[0].metadata);
    }

    let out = case.out("pdf-exhibit.pdf");
    let report = export(&mut case.vault, &spec, None, &out, &worker(), &mut |_| true).unwrap();
    assert!(report.placeholders.is_empty(), "{:?}", report.placeholders);
    let images = assert_no_location(&out, &dir.join("out"));
    assert_eq!(images.len(), 1, "the page keeps its picture: {images:?}");
    // The same image data: the page looks the same.
    let shown = image::open(&images[0]).unwrap().to_rgb8();
    let original = image::load_from_memory(&jpeg_with_gps()).unwrap().to_rgb8();
    assert_eq!(shown.dimensions(), original.dimensions());
    assert!(shown.as_raw() == original.as_raw(), "the JPEG's image data is kept byte for byte");
    let plain = fs::read(dir.join("out").join("plain.pdf")).unwrap();
    assert!(!contains(&plain, b"Ivan Informant"), "the exhibit's document information is gone");
    assert!(!contains(&plain, b"PieceInfo") && !contains(&plain, b"xmpmeta"), "and its private data and XMP");
}

#[test]
fn issue_9_an_original_is_attached_only_when_asked_for() {
    let mut case = Case::new();
    let dir = case.files.clone();
    let photo = case.add("photo.webp", &webp_with_gps(), "");
    let heic = case.add("IMG_0002.HEIC", &heic_with_gps(), "");
    let notes = case.add("notes.bin", b"\x00\x01binary notes of a call\x00", "");
    let spec = BundleSpec::for_items(&[photo, heic, notes]);
    let out = case.out("none.pdf");
    export(&mut case.vault, &spec, None, &out, &worker(), &mut |_| true).unwrap();
    let (_, attached) = extract(&out, &dir.join("none"));
    assert!(attached.is_empty(), "nothing was asked for, nothing is attached: {attached:?}");
    assert!(!contains(&fs::read(&out).unwrap(), b"/EmbeddedFile"));

    let spec = BundleSpec { attach_originals: vec![heic], ..BundleSpec::for_items(&[photo, heic, notes]) };
    let plan = plan_of(&case, &spec, &worker());
    assert_eq!(plan[1].treatment, Treatment::Attached);
    assert!(plan[1].attached && has(&plan[1].kept, "gps"), "the plan says the GPS stays: {:?}", plan[1]);
    assert!(!plan[0].attached && !plan[2].attached && plan[2].treatment == Treatment::Placeholder);
    let out = case.out("asked.pdf");
    export(&mut case.vault, &spec, None, &out, &worker(), &mut |_| true).unwrap();
    let list = crate::common::tool("pdfdetach", &["-list"], &out);
    assert!(list.contains("1 embedded files") && list.contains("IMG_0002.HEIC"), "{list}");
}
