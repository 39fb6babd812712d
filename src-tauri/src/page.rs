//! After a lock, the page that showed decrypted records is thrown away with the process that drew it.
//! The UI's own reset drops every decrypted value it held, but the JavaScript and WebKit heaps keep their bytes
//! until they happen to be reused (review M8): a preview, a name, a note could stay in the web process's memory
//! for as long as the window is open. On Linux the WebKit web process is ended and a new one loads the first
//! screen, so nothing the locked vault showed is in any process's address space (the kernel gets the pages back;
//! it does not overwrite them until it reuses them). On other systems the page is reloaded: a new JavaScript heap
//! in the same process, which is less.

use tauri::{AppHandle, Manager};

/// Ends the window's web process and loads the app's first screen in a new one. Does nothing without a window
/// (the app is closing).
pub fn start_afresh(app: &AppHandle) {
    let Some(window) = app.get_webview_window("main") else { return };
    #[cfg(target_os = "linux")]
    let done = window.with_webview(|webview| {
        use webkit2gtk::WebViewExt;
        let view = webview.inner();
        view.terminate_web_process();
        // The view keeps its address; loading it again starts a new web process.
        view.reload();
    });
    #[cfg(not(target_os = "linux"))]
    let done = window.reload();
    if let Err(error) = done {
        eprintln!("redress: the page could not be reloaded after the lock: {error}");
    }
}
