//! What the window may do beyond showing the app's own pages: nothing. A top-level navigation anywhere else (a
//! link in a document, a script, a drop) is refused, and WebKit's web process runs in its bubblewrap sandbox
//! where the system can start one.

use std::path::Path;

use tauri::plugin::TauriPlugin;
use tauri::{Runtime, Url};

/// Whether WebKit can start its web-process sandbox here: bubblewrap and xdg-dbus-proxy at the paths Debian's
/// WebKitGTK was built with, and a session bus for the proxy to filter. Without a bus the sandboxed web process
/// never paints (seen under Xvfb: a blank window), while the unsandboxed one works: a window that shows nothing
/// would cost the person more than the sandbox protects, so the sandbox is then left off (and Settings says so).
pub fn web_sandbox_available() -> bool {
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
        || std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| Path::new(&dir).join("bus").exists());
    bus && Path::new("/usr/bin/bwrap").is_file() && Path::new("/usr/bin/xdg-dbus-proxy").is_file()
}

/// The app's own pages: `tauri://localhost` (Linux, macOS) or `http(s)://tauri.localhost` (Windows).
fn is_app_page(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// Refuses every top-level navigation away from the app's own pages.
pub fn navigation_guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard").on_navigation(|_, url| is_app_page(url)).build()
}

#[cfg(test)]
mod tests {
    use super::is_app_page;
    use tauri::Url;

    #[test]
    fn only_the_apps_own_pages_may_be_navigated_to() {
        for ok in ["tauri://localhost/", "tauri://localhost/index.html#/evidence", "https://tauri.localhost/"]
        {
            assert!(is_app_page(&Url::parse(ok).unwrap()), "{ok} is the app");
        }
        for refused in [
            "https://example.org/",
            "http://127.0.0.1:8080/",
            "file:///etc/passwd",
            "evidence://localhost/3",
            "data:text/html,<script>1</script>",
            "tauri://attacker.example/",
            "https://tauri.localhost.example.org/",
            "about:blank",
        ] {
            assert!(!is_app_page(&Url::parse(refused).unwrap()), "{refused} must be refused");
        }
    }
}
