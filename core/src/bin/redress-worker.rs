//! `redress-worker`: the isolated reader of untrusted files and nothing else. The app starts it from beside its
//! own binary (`Worker::beside_current_exe`): it links no WebKit, so it runs one thread and every layer of its
//! sandbox covers all of it; and it links no Tesseract (OCR runs in `redress-ocr-worker`), so it starts in a
//! fraction of the time and carries less code. The backend's tests and bench use it too
//! (`env!("CARGO_BIN_EXE_redress-worker")`); `redress-cli` serves as its own worker (it starts no thread before
//! `main` either).

fn main() {
    redress_core::pdf::isolate::serve_parsers_if_requested();
    eprintln!(
        "usage: redress-worker {} serve (started by Redress to read an untrusted file; not for use by hand)",
        redress_core::pdf::isolate::WORKER_FLAG
    );
    std::process::exit(2);
}
