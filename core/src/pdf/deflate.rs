//! Compressing a PDF's streams, as lopdf's `Document::compress` does (zlib, kept only where it saves more than the
//! `/Filter` entry costs), but with one compressor reset between streams, and streams of a few hundred bytes left
//! plain. lopdf sets up a new compressor for each stream (some 300 KB of tables, mapped, zeroed and unmapped), and
//! even a reset clears 250 KB: for a bundle's 500 page stamps of some 300 bytes, each of which compression would
//! shorten by tens of bytes, that cost most of the 7 ms compressing took (of the 18 ms its layout takes).

use flate2::{Compress, Compression, FlushCompress, Status};
use lopdf::{Object, Stream};

/// Streams shorter than this stay plain.
const PLAIN: usize = 512;

/// One compressor for many streams.
pub(crate) struct Deflater {
    z: Compress,
    out: Vec<u8>,
}

impl Deflater {
    pub(crate) fn new() -> Deflater {
        Deflater { z: Compress::new(Compression::default(), true), out: Vec::new() }
    }

    /// Compresses `stream` if it allows it, has no filter yet, is not tiny, and gets smaller by more than the
    /// filter's entry.
    pub(crate) fn compress(&mut self, stream: &mut Stream) {
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() || stream.content.len() < PLAIN {
            return;
        }
        self.z.reset();
        self.out.clear();
        self.out.reserve(stream.content.len() / 2 + 64);
        loop {
            let consumed = usize::try_from(self.z.total_in()).unwrap_or(usize::MAX);
            let rest = stream.content.get(consumed..).unwrap_or_default();
            match self.z.compress_vec(rest, &mut self.out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(_) => self.out.reserve(self.out.capacity().max(64)),
                Err(_) => return,
            }
        }
        if self.out.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(self.out.clone());
        }
    }
}

/// Compresses every stream of `doc` that `Deflater::compress` would.
pub(crate) fn compress_streams(doc: &mut lopdf::Document) {
    let mut deflater = Deflater::new();
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object {
            deflater.compress(stream);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What it writes inflates to the very bytes it was given, stream after stream (the reset forgets the one
    /// before), and a stream that would not shrink, or carries a filter already, is left as it was.
    #[test]
    fn streams_inflate_back_to_their_bytes_and_small_ones_stay_plain() {
        let texts: Vec<Vec<u8>> = vec![
            b"BT /F1 12 Tf 72 720 Td (Exhibit 1 page 1 of 3) Tj ET\n".repeat(40),
            (0..200_000u32).flat_map(|n| (n.wrapping_mul(2_654_435_761) >> 7).to_le_bytes()).collect(),
            b"q 1 0 0 1 0 0 cm /RdxPage Do Q\n".repeat(12),
        ];
        let mut doc = lopdf::Document::with_version("1.7");
        let ids: Vec<_> =
            texts.iter().map(|t| doc.add_object(Stream::new(lopdf::Dictionary::new(), t.clone()))).collect();
        let tiny = doc.add_object(Stream::new(lopdf::Dictionary::new(), b"q Q".to_vec()));
        let mut filtered = lopdf::Dictionary::new();
        filtered.set("Filter", "DCTDecode");
        let jpeg = doc.add_object(Stream::new(filtered, vec![7; 5000]));
        compress_streams(&mut doc);
        for (id, text) in ids.iter().zip(&texts) {
            let stream = doc.get_object(*id).unwrap().as_stream().unwrap();
            assert_eq!(&stream.decompressed_content().unwrap(), text);
            let compressed = stream.dict.get(b"Filter").is_ok();
            let saves = stream.content.len() + 19 < text.len() && text.len() >= PLAIN;
            assert_eq!(compressed, saves, "kept only where it saves, for a stream not tiny");
        }
        let first = doc.get_object(ids[0]).unwrap().as_stream().unwrap();
        assert!(first.content.len() < 200, "repeated text shrinks: {}", first.content.len());
        let tiny = doc.get_object(tiny).unwrap().as_stream().unwrap();
        assert!(tiny.dict.get(b"Filter").is_err() && tiny.content == b"q Q");
        let jpeg = doc.get_object(jpeg).unwrap().as_stream().unwrap();
        assert_eq!(jpeg.content, vec![7; 5000], "a filtered stream is not compressed again");
    }
}
