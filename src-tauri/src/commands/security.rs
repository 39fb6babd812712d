//! Tauri commands for Settings → Security: which walls stand around the worker that reads untrusted files, as
//! that worker itself reports them on this system, and what protects the app's own process and its window.

use redress_core::isolate::Protections;
use redress_core::Code;
use serde::Serialize;

use crate::error::{CmdResult, CommandError};

/// Starts a worker and returns the layers of its sandbox that took effect (all listed, active or not).
#[tauri::command(async)]
pub fn worker_protections() -> CmdResult<Protections> {
    let worker = redress_core::pdf::isolate::Worker::beside_current_exe()?;
    worker.protections().map_err(|e| CommandError::with_code(Code::Error, e.to_string()))
}

/// What protects the app itself, read from the running process: its web pages' sandbox, and its memory.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AppProtections {
    /// WebKit's web process (which draws the pages) runs in bubblewrap with seccomp and no network.
    pub web_sandbox: bool,
    /// A crash writes no core file (which would hold the key and the journal's pages).
    pub no_core_file: bool,
    /// Other programs of the same user cannot read the app's memory (ptrace, /proc/<pid>/mem).
    pub not_dumpable: bool,
    /// Locking ends the web process that drew the journal and starts a new one (Linux; elsewhere the page is
    /// only reloaded, see `page`).
    pub fresh_page_on_lock: bool,
}

#[tauri::command]
pub fn app_protections() -> AppProtections {
    let hardening = redress_core::process::current_hardening();
    AppProtections {
        // Set by `main` before the first web process starts, only where WebKit can start the sandbox.
        web_sandbox: std::env::var_os("WEBKIT_FORCE_SANDBOX").is_some_and(|v| v == "1"),
        no_core_file: hardening.no_core_file,
        not_dumpable: hardening.not_dumpable,
        fresh_page_on_lock: cfg!(target_os = "linux"),
    }
}

#[cfg(test)]
mod tests {
    use crate::contract::tests::{rust_files, src_dir};

    /// The app never reads an untrusted file in a worker started from its own binary, whose WebKit libraries start
    /// a thread before `main` that the sandbox cannot cover: every worker of the app is `redress-worker`, found
    /// beside it or not at all (`Worker::beside_current_exe`; the e2e journal test sees the layers in Settings).
    #[test]
    fn no_worker_of_the_app_is_its_own_binary() {
        let mut files = Vec::new();
        rust_files(&src_dir(), &mut files);
        let mut starts_workers = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                !text.contains(&["Worker", "::current_exe"].concat()),
                "{} starts a worker from the app's own binary",
                file.display()
            );
            starts_workers += text.matches("Worker::beside_current_exe").count();
        }
        assert!(starts_workers >= 5, "the app's workers were not found in its sources ({starts_workers})");
    }
}
