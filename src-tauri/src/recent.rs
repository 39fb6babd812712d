//! Keeps the files chosen in the system's dialogs out of GTK's recently-used list
//! (`~/.local/share/recently-used.xbel`), which would otherwise name every imported file, export and backup in the
//! clear. GTK's file chooser adds each accepted file through `GtkRecentManager`, which does not record it while the
//! application's `gtk-recent-files-enabled` setting is off: set once at start, before any dialog opens.
//! The cost, measured with GTK 3.24.38: GTK then rewrites the list *empty* when a dialog accepts a file, so the
//! entries other applications had put there are gone too (GTK does the same for anyone who turns the setting off).

/// Turns GTK's recent-files list off for this process (the application's value outranks the desktop's).
#[cfg(target_os = "linux")]
pub fn keep_out_of_recent_files() {
    use gtk::prelude::GtkSettingsExt;
    if let Some(settings) = gtk::Settings::default() {
        settings.set_gtk_recent_files_enabled(false);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn keep_out_of_recent_files() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

    use std::path::Path;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use gtk::prelude::RecentManagerExt;

    const TEST: &str = "recent::tests::issue_12_files_chosen_in_dialogs_stay_out_of_recently_used";
    const CHILD: &str = "REDRESS_RECENT_CHILD";

    /// In a child process (GTK starts once per process, on its own display and data folder): adds a file to the
    /// recent list the way the file chooser does on accept, with or without the app's setting.
    fn child(mode: &str) {
        gtk::init().expect("GTK starts on the test's Xvfb");
        if mode == "app" {
            super::keep_out_of_recent_files();
        }
        let name = if mode == "app" { "RDRS-CANARY-exported.pdf" } else { "RDRS-CONTROL-other-app.pdf" };
        gtk::RecentManager::default().unwrap().add_item(&format!("file:///tmp/{name}"));
        // The manager queries the file, then writes after a 250 ms coalescing timeout.
        let end = Instant::now() + Duration::from_millis(1500);
        while Instant::now() < end {
            gtk::main_iteration_do(false);
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn run_child(display: &str, data: &Path, mode: &str) {
        let status = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
            .env(CHILD, mode)
            .env("DISPLAY", display)
            .env("XDG_DATA_HOME", data)
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "the GTK child ({mode}) failed");
    }

    /// Issue 12 §6 (review M9). What this shows: with the app's setting, GtkRecentManager (the GTK 3 library this
    /// app links) does not write an added file, while without it the same call does (the control). What it cannot
    /// show: that rfd's dialog takes this path; GTK 3's file chooser calls `gtk_recent_manager_add_item` on accept
    /// (`add_selection_to_recent_list`), and the e2e hooks bypass the dialog, so no test here clicks one.
    #[test]
    fn issue_12_files_chosen_in_dialogs_stay_out_of_recently_used() {
        if let Some(mode) = std::env::var_os(CHILD) {
            return child(&mode.to_string_lossy());
        }
        let (mut xvfb, display) = crate::commands::testing::start_xvfb();
        let root = crate::commands::testing::scratch("recent");
        let data = root.join("data");
        std::fs::create_dir_all(&data).unwrap();
        let xbel = data.join("recently-used.xbel");

        run_child(&display, &data, "control");
        let control = std::fs::read_to_string(&xbel).unwrap_or_default();
        run_child(&display, &data, "app");
        let after = std::fs::read_to_string(&xbel).unwrap_or_default();
        let _ = xvfb.kill();
        let _ = xvfb.wait();

        assert!(
            control.contains("RDRS-CONTROL-other-app.pdf"),
            "without the setting GTK must record the file, or this test shows nothing: {control:?}"
        );
        assert!(
            !after.contains("RDRS-CANARY"),
            "a file chosen in Redress must not reach recently-used.xbel: {after}"
        );
        std::fs::remove_dir_all(root).unwrap();
    }
}
