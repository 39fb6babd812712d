// Keeps a console window from opening beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Started as the isolated reader of an untrusted file (a bundle's exhibit)? Then that is all it does.
    redress_core::pdf::isolate::serve_if_requested();
    redress_app::run();
}
