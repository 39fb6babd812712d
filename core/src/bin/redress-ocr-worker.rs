//! `redress-ocr-worker`: the isolated reader of untrusted files that also recognises text (Tesseract, linked here
//! and nowhere else the app starts). The app starts it from beside its own binary for OCR only
//! (`Worker::beside_current_exe`, then `for_ocr`); it loads the language data before the same sandbox as
//! `redress-worker` goes up.

fn main() {
    redress_core::pdf::isolate::serve_if_requested();
    eprintln!(
        "usage: redress-ocr-worker {} serve (started by Redress to read an untrusted file; not for use by hand)",
        redress_core::pdf::isolate::WORKER_FLAG
    );
    std::process::exit(2);
}
