// Keeps a console window from opening beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Started as the isolated reader of an untrusted file (a bundle's exhibit)? Then that is all it does (with
    // the core limit of 0 it inherited, and the sandbox it sets up itself: a non-dumpable worker could no longer
    // write its own /proc entries, such as oom_score_adj).
    redress_core::pdf::isolate::serve_if_requested();
    // Before any window, thread or key: no core file (inherited by the worker and WebKit's processes), no ptrace.
    redress_core::process::harden_process();
    redress_app::run();
}
