//! Traces outside the vault that the system leaves about what the person did: here, GTK's recently-used list.

use super::*;

/// Runs xdotool on the test's display.
fn xdotool(app: &App, args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .env("DISPLAY", app.display())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run xdotool (Debian package xdotool): {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Issue 12 §6 (review M9): a backup saved through the real GTK save dialog (no e2e hook: xdotool types the path
/// into it and presses Enter, as a person would) leaves no trace of its name in GTK's recently-used list, which
/// GTK keeps in the app's XDG data folder. GTK's file chooser adds every accepted file to that list unless the
/// app turned it off; the unit test `recent::tests` shows the same call writing the name when it is not off.
#[test]
fn a_file_chosen_in_the_save_dialog_is_not_in_recently_used() {
    let app = App::start("a_file_chosen_in_the_save_dialog_is_not_in_recently_used");
    let d = &app.driver;

    step("open the demo case and ask for a backup");
    d.click_when_ready(&tid("welcome-demo"));
    d.wait_for(&tid("nav-overview"));
    d.click_when_ready(&tid("nav-settings"));
    d.click_when_ready(&tid("backup-now"));

    step("type the backup's path into GTK's save dialog");
    let dialog = d.wait_until("GTK's save dialog", |_| {
        xdotool(&app, &["search", "--onlyvisible", "--name", "^Save File$"]).lines().next().map(str::to_owned)
    });
    let name = format!("RDRS-CANARY-{}.redress-backup", random_hex(6));
    let target = app.dirs.files.join(&name);
    xdotool(&app, &["windowfocus", "--sync", &dialog]);
    // The name field has the focus with the suggested name selected: typing replaces it; GTK takes a full path.
    xdotool(&app, &["key", "ctrl+a"]);
    xdotool(&app, &["type", "--delay", "20", &target.to_string_lossy()]);
    xdotool(&app, &["key", "Return"]);
    d.wait_until("the backup written where the dialog was told", |_| {
        (target.exists() && fs::metadata(&target).map(|m| m.len() > 0).unwrap_or(false)).then_some(())
    });
    screenshot(&app, "backup-through-the-dialog.png");
    // GTK writes its list 250 ms after a change.
    thread::sleep(Duration::from_secs(2));

    let xbel = app.dirs.data.join("recently-used.xbel");
    let recent = fs::read_to_string(&xbel).unwrap_or_default();
    println!(
        "   recently-used.xbel: {} ({} bytes)",
        if xbel.exists() { "present" } else { "absent" },
        recent.len()
    );
    assert!(
        !recent.contains("RDRS-CANARY"),
        "a file chosen in Redress's save dialog must not be named in {}:\n{recent}",
        xbel.display()
    );
    close_app(app);
}
