//! `redress-worker`: the isolated reader of untrusted files and nothing else, for the backend's tests and bench
//! (`Worker::new(env!("CARGO_BIN_EXE_redress-worker"))`). The app and `redress-cli` serve as their own workers.

fn main() {
    redress_core::pdf::isolate::serve_if_requested();
    eprintln!(
        "usage: redress-worker {} serve (started by Redress to read an untrusted file; not for use by hand)",
        redress_core::pdf::isolate::WORKER_FLAG
    );
    std::process::exit(2);
}
