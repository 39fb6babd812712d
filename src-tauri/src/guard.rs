//! What the window may do beyond showing the app's own pages: nothing. A top-level navigation anywhere else (a
//! link in a document, a script, a drop) is refused, and WebKit's web process runs in its bubblewrap sandbox
//! where the system can start one.

use std::path::{Path, PathBuf};

use tauri::plugin::TauriPlugin;
use tauri::{Runtime, Url};

/// Whether WebKit can start its web-process sandbox here: bubblewrap and xdg-dbus-proxy at the paths Debian's
/// WebKitGTK was built with, and a session bus for the proxy to filter. Without a bus the sandboxed web process
/// never paints (seen under Xvfb: a blank window), while the unsandboxed one works: a window that shows nothing
/// would cost the person more than the sandbox protects, so the sandbox is then left off (and Settings says so).
///
/// The proxy's socket must also fit: see [`proxy_socket_fits`].
pub fn web_sandbox_available() -> bool {
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
        || std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| Path::new(&dir).join("bus").exists());
    bus && glib_runtime_dir().is_some_and(|dir| proxy_socket_fits(&dir))
        && Path::new("/usr/bin/bwrap").is_file()
        && Path::new("/usr/bin/xdg-dbus-proxy").is_file()
}

/// GLib's `g_get_user_runtime_dir()`: `XDG_RUNTIME_DIR`, else the user's cache directory.
fn glib_runtime_dir() -> Option<PathBuf> {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    set("XDG_RUNTIME_DIR").or_else(|| set("XDG_CACHE_HOME")).or_else(|| set("HOME").map(|h| h.join(".cache")))
}

/// Whether WebKit's D-Bus proxy sockets (`<runtime dir>/webkitgtk/a11y-proxy-XXXXXX`, the longer of its two
/// names) fit in a Unix socket address, 107 bytes of path. A longer one is cut short when the proxy binds it, the
/// sandboxed web process then finds no socket and the window never starts (seen in CI under a long runtime path).
fn proxy_socket_fits(runtime_dir: &Path) -> bool {
    runtime_dir.join("webkitgtk").join("a11y-proxy-XXXXXX").as_os_str().len() <= 107
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
    use super::{is_app_page, proxy_socket_fits};
    use std::path::Path;
    use tauri::Url;

    #[test]
    fn the_sandbox_is_left_off_where_webkits_proxy_socket_would_not_fit() {
        assert!(proxy_socket_fits(Path::new("/run/user/1000")));
        // The runtime directory under which CI's window never started: 111 bytes to the session proxy's socket.
        let ci = "/check/work/main/target/tmp/e2e/files_chosen_in_dialogs_are_not_in_recently_used/run";
        assert!(!proxy_socket_fits(Path::new(ci)));
        // The exact edge: 107 bytes fit, 108 do not.
        let suffix = "/webkitgtk/a11y-proxy-XXXXXX".len();
        assert!(proxy_socket_fits(Path::new(&format!("/{}", "r".repeat(107 - suffix - 1)))));
        assert!(!proxy_socket_fits(Path::new(&format!("/{}", "r".repeat(108 - suffix - 1)))));
    }

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
