//! After a lock, the page that showed decrypted records is thrown away with the process that drew it.
//! The UI's own reset drops every decrypted value it held, but the JavaScript and WebKit heaps keep their bytes
//! until they happen to be reused (review M8): a preview, a name, a note could stay in the web process's memory
//! for as long as the window is open. On Linux the WebKit web process is ended and a new one loads the first
//! screen, so nothing the locked vault showed is in any process's address space (the kernel gets the pages back;
//! it does not overwrite them until it reuses them). On other systems the page is reloaded: a new JavaScript heap
//! in the same process, which is less.

use std::time::Duration;

use tauri::{AppHandle, Manager};

/// How long a lock waits for the GTK main loop to end the web process. The wait holds logind's sleep (see
/// `desktop`), so a suspend does not freeze the old process with the page still in it; a main loop that is busy
/// longer (a native file dialog does not block it) only delays the new page.
const WAIT: Duration = Duration::from_secs(2);

/// Ends the window's web process and loads the app's first screen in a new one; returns once the old process is
/// ended (or after `WAIT`). Does nothing without a window (the app is closing). Never call it on the main thread:
/// it would wait there for itself.
pub fn start_afresh(app: &AppHandle) {
    let Some(window) = app.get_webview_window("main") else { return };
    let (done, ended) = std::sync::mpsc::channel::<()>();
    #[cfg(target_os = "linux")]
    let sent = window.with_webview(move |webview| {
        use webkit2gtk::WebViewExt;
        let view = webview.inner();
        // WebKit kills the process (SIGKILL) before this returns; a process still being launched (a lock right
        // after the last) is left to start, and has shown nothing.
        view.terminate_web_process();
        let _ = done.send(());
        // The view keeps its address; loading it again starts a new web process.
        view.reload();
    });
    #[cfg(not(target_os = "linux"))]
    let sent = window.reload().map(|()| {
        let _ = done.send(());
    });
    match sent {
        Ok(()) => {
            if ended.recv_timeout(WAIT).is_err() {
                eprintln!("redress: the page was not replaced within {} s of the lock", WAIT.as_secs());
            }
        }
        Err(error) => eprintln!("redress: the page could not be replaced after the lock: {error}"),
    }
}
