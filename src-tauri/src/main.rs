// Keeps a console window from opening beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // The app never serves as its own reader of untrusted files: it starts `redress-worker`, installed beside it
    // (WebKit's libraries start a thread before `main`, which the worker's sandbox could not cover).
    // Before any window, thread or key: no core file (inherited by the worker and WebKit's processes), no ptrace.
    redress_core::process::harden_process();
    // WebKitGTK's web process (which parses what the pages show) runs inside bubblewrap with seccomp only when
    // asked before its first web process starts; Tauri has no switch for it yet (wry issue 935).
    // Without bubblewrap a forced sandbox would leave a blank window, so it is asked for only when WebKit can
    // start it (the package depends on bubblewrap and xdg-dbus-proxy; `make` installs them).
    #[cfg(target_os = "linux")]
    if redress_app::web_sandbox_available() {
        std::env::set_var("WEBKIT_FORCE_SANDBOX", "1");
    }
    redress_app::run();
}
