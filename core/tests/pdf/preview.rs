//! Picture previews (issue 12 §2, review H4): the webview must never decode a person's untrusted picture
//! natively, so the preview pane is given bytes the isolated worker decoded and re-encoded.

use std::io::Cursor;

use redress_core::pdf::isolate::{preview_picture, Failure, Worker};

fn worker() -> Worker {
    Worker::new(env!("CARGO_BIN_EXE_redress-worker"))
}

fn webp(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x * 7) as u8, (y * 5) as u8, ((x + y) * 3) as u8, 255])
    });
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .encode(pixels.as_raw(), width, height, image::ExtendedColorType::Rgba8)
        .unwrap();
    out
}

#[test]
fn issue_12_a_webp_preview_is_made_by_the_worker_and_is_not_the_original() {
    let original = webp(300, 200);
    let (mime, preview) = preview_picture(&worker(), &original).unwrap();
    assert_eq!(mime, "image/jpeg", "a photo format is previewed as JPEG");
    assert_ne!(preview, original, "the webview must be given re-encoded bytes, never the original");
    let decoded = image::load_from_memory_with_format(&preview, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (300, 200), "the preview keeps the picture's size");

    // Without a worker there is no preview: nothing decodes the picture in this process instead.
    let missing = Worker::new("/nonexistent/redress-worker");
    assert!(preview_picture(&missing, &original).is_err(), "no worker, no preview");
}

#[test]
fn issue_12_a_preview_carries_no_metadata_and_is_bounded() {
    let photo = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/gps-photo.jpg")).unwrap();
    assert!(photo.windows(4).any(|w| w == b"Exif"), "the test photo carries EXIF (with a GPS position)");
    let (_, preview) = preview_picture(&worker(), &photo).unwrap();
    assert!(!preview.windows(4).any(|w| w == b"Exif"), "the preview must carry no EXIF");
    assert!(!preview.windows(4).any(|w| w == b"GPS\0"), "nor any GPS tag");

    // A large screenshot (PNG) stays lossless but no longer than the preview bound.
    let big = image::RgbImage::from_fn(4000, 1000, |x, _| image::Rgb([(x % 256) as u8, 0, 0]));
    let mut png = Vec::new();
    big.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    let (mime, preview) = preview_picture(&worker(), &png).unwrap();
    assert_eq!(mime, "image/png");
    let decoded = image::load_from_memory_with_format(&preview, image::ImageFormat::Png).unwrap();
    assert_eq!(
        (decoded.width(), decoded.height()),
        (2560, 640),
        "downsampled to 2560 px on its longest side"
    );
}

#[test]
fn issue_12_bytes_that_are_not_a_picture_get_no_preview() {
    for (name, bytes) in [
        ("empty", Vec::new()),
        ("svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec()),
        ("truncated png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
    ] {
        match preview_picture(&worker(), &bytes) {
            Err(Failure::Unreadable(why)) => assert!(!why.is_empty(), "{name}: a reason is given"),
            other => panic!("{name}: expected a refusal, got {:?}", other.map(|(m, b)| (m, b.len()))),
        }
    }
}
