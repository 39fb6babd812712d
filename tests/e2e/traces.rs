//! Traces outside the vault that the system leaves about what the person did: here, GTK's recently-used list.

use super::*;

/// The visible windows titled exactly `title`.
fn windows(app: &App, title: &str) -> Vec<String> {
    xdotool(app, &["search", "--onlyvisible", "--name", &format!("^{title}$")])
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Types `path` into GTK's dialog titled `title` (not one of the `known` windows) and presses Enter, as a person would (no e2e hook). In the save
/// dialog the name field has the focus with the suggested name selected; in the open dialog Ctrl+L opens the
/// location field. GTK takes a full path in both.
fn choose_in_dialog(app: &App, title: &str, path: &Path, known: &[String]) {
    let dialog = app.driver.wait_until(&format!("GTK's '{title}' dialog"), |_| {
        windows(app, title).into_iter().find(|w| !known.contains(w))
    });
    xdotool(app, &["windowfocus", "--sync", &dialog]);
    if title == "Save File" {
        xdotool(app, &["key", "ctrl+a"]);
    } else {
        // Ctrl+L opens the location field first; typing `/` opens it too, but eats the next key or two.
        xdotool(app, &["key", "ctrl+l"]);
        thread::sleep(Duration::from_millis(500));
    }
    xdotool(app, &["type", "--delay", "20", &path.to_string_lossy()]);
    xdotool(app, &["key", "Return"]);
    // In GTK's "Recent" view (its start view while recent files are on) the first Enter only goes to the file.
    thread::sleep(Duration::from_millis(1000));
    if windows(app, title).contains(&dialog) {
        xdotool(app, &["key", "Return"]);
    }
}

/// Issue 12 §6 (review M9): a file imported through the real GTK open dialog, a bundle exported and a backup saved
/// through the save dialog (no e2e hook: xdotool types the paths, as a person would) leave no trace of their names in GTK's
/// recently-used list, which GTK keeps in the app's XDG data folder. GTK's file chooser adds every accepted file to that list unless the
/// app turned it off; the unit test `recent::tests` shows the same call writing the name when it is not off.
#[test]
fn files_chosen_in_dialogs_are_not_in_recently_used() {
    let app = App::start("files_chosen_in_dialogs_are_not_in_recently_used");
    let d = &app.driver;

    step("open the demo case and import a file through GTK's open dialog");
    d.click_when_ready(&tid("welcome-demo"));
    d.wait_for(&tid("nav-overview"));
    d.click_when_ready(&tid("nav-evidence"));
    let imported = format!("RDRS-CANARY-{}-scan.txt", random_hex(6));
    let source = app.dirs.files.join(&imported);
    fs::write(&source, "a scan chosen in the open dialog\n").unwrap();
    // The open dialog is titled "Redress", like the main window.
    let main_window = windows(&app, "Redress");
    d.click_when_ready(&tid("evidence-import"));
    choose_in_dialog(&app, "Redress", &source, &main_window);
    d.wait_until("the imported file listed", |d| page_text(d).contains(&imported).then_some(()));

    step("export a bundle of that file through GTK's save dialog");
    d.click_when_ready(&tid("nav-bundle"));
    d.wait_until("the imported file offered in the bundle", |d| {
        d.execute(
            "const box = [...document.querySelectorAll('input[data-testid^=\"bundle-item-\"]')]\
             .find((b) => b.closest('label').innerText.includes(arguments[0]));\
             if (!box) return false; if (!box.checked) box.click(); return box.checked;",
            vec![json!("RDRS-CANARY")],
        )
        .ok()?
        .as_bool()?
        .then_some(())
    });
    d.click_when_ready(&tid("bundle-check"));
    d.wait_for(&tid("bundle-plan-row"));
    d.fill(&tid("bundle-passphrase"), "correct horse battery staple");
    d.fill(&tid("bundle-passphrase-repeat"), "correct horse battery staple");
    d.click_when_ready(&tid("bundle-export"));
    let bundle_name = format!("RDRS-CANARY-{}-bundle.pdf", random_hex(6));
    let bundle = app.dirs.files.join(&bundle_name);
    choose_in_dialog(&app, "Save File", &bundle, &[]);
    let shown = d.wait_for_text(&tid("bundle-result-file"), "the bundle written", |t| !t.trim().is_empty());
    assert_eq!(shown.trim(), bundle_name, "the bundle must be written under the name typed in the dialog");
    assert!(bundle.is_file(), "the bundle must be at {}", bundle.display());

    step("back up through GTK's save dialog");
    d.click_when_ready(&tid("nav-settings"));
    d.click_when_ready(&tid("backup-now"));
    let name = format!("RDRS-CANARY-{}.redress-backup", random_hex(6));
    let target = app.dirs.files.join(&name);
    choose_in_dialog(&app, "Save File", &target, &[]);
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
        "a file chosen in Redress's dialogs must not be named in {}:\n{recent}",
        xbel.display()
    );
    close_app(app);
}
