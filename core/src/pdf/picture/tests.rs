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
    for bytes in [
        &b"RIFF\xff\xff\xff\xffWEBPEXIF\xff\xff\xff\xff"[..],
        b"GIF89a\x01\x00\x01\x00\xff",
        b"MM\0*\xff\xff\xff\xff",
    ] {
        let _ = metadata(bytes);
        let _ = prepare(bytes);
    }
    for cut in 0..jpeg.len() {
        let _ = strip_jpeg(&jpeg[..cut]);
        let _ = passes_through(&jpeg[..cut]);
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
