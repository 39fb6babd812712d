//! End-to-end tests of the desktop app: the real binary (built with the `e2e-hooks` feature) in a real WebKit
//! window under Xvfb, driven over W3C WebDriver through tauri-driver. Run them with `make e2e`, or
//! `cargo test -p redress --features e2e-hooks --test e2e -- --test-threads=1` (one app at a time: the driver's
//! ports are fixed). Elements are found by data-testid only; the steps assert on the DOM, never on screenshots.
//! Files are "dropped" through the `e2e_drop` command, which takes the backend path a real drop takes.
#![cfg(feature = "e2e-hooks")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

mod a11y;
mod bundle;
mod first_screen;
mod journal;
mod places;
mod scan;
mod support;
mod traces;
mod trash;

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use support::harness::{random_hex, App};
use support::leaks::Canaries;
use support::webdriver::{Element, WebDriver};

/// The selector of an element by its data-testid.
fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

fn step(text: &str) {
    println!("== {text}");
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn has_cyrillic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// A file to import: its path in the scratch directory and the SHA-256 of what was written.
struct Original {
    path: PathBuf,
    sha256: String,
}

fn write_original(dir: &Path, name: &str, contents: &[u8]) -> Original {
    let path = dir.join(name);
    fs::write(&path, contents).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    Original { path, sha256: sha256_hex(contents) }
}

/// The fixtures of a case: a Cyrillic-named text file and a small PDF, each holding a canary.
fn case_files(dir: &Path, canaries: &mut Canaries) -> (Original, Original) {
    let passport = canaries.make("contents of Паспорт скан.txt");
    let ruling = canaries.make("contents of court-ruling.pdf");
    let text =
        format!("Скан паспорта, страницы 2–3.\nВыдан: ГУ МВД, 2014-05-20.\nКонтрольная строка: {passport}\n");
    let pdf = minimal_pdf(&format!("Ruling of the district court. Marker {ruling}"));
    (write_original(dir, "Паспорт скан.txt", text.as_bytes()), write_original(dir, "court-ruling.pdf", &pdf))
}

/// A valid one-page PDF whose page shows `line` (offsets in the xref table are computed, not guessed).
fn minimal_pdf(line: &str) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 720 Td ({line}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    out
}

// ---------------------------------------------------------------------------------------------------------
// Steps shared by the tests

/// Creates the journal from the Welcome screen; returns the recovery key shown once.
fn create_vault(d: &WebDriver, passphrase: &str) -> String {
    d.click_when_ready(&tid("welcome-create"));
    d.fill(&tid("create-passphrase"), passphrase);
    d.fill(&tid("create-passphrase-repeat"), passphrase);
    d.click_when_ready(&tid("create-submit"));
    let key = d.wait_for_text(&tid("recovery-key"), "the recovery key", |t| !t.trim().is_empty());
    let groups: Vec<&str> =
        key.split(|c: char| c == '-' || c.is_whitespace()).filter(|g| !g.is_empty()).collect();
    assert!(
        groups.len() == 8
            && groups
                .iter()
                .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())),
        "the recovery key must read as 8 groups of 4 letters/digits, the form printed and typed back when the \
         passphrase is lost; it shows {key:?}"
    );
    confirm_recovery_key(d, &key);
    d.wait_for(&tid("nav-overview"));
    key
}

/// Types back the two groups of the shown key that the screen asks for (issue 12 §5), then continues. Continue
/// stays disabled until both are right.
fn confirm_recovery_key(d: &WebDriver, key: &str) {
    let groups: Vec<&str> =
        key.split(|c: char| c == '-' || c.is_whitespace()).filter(|g| !g.is_empty()).collect();
    let asked: Vec<usize> = (0..2)
        .map(|i| {
            let input = d.wait_for(&tid(&format!("recovery-group-{i}")));
            let n: usize = d.attribute(&input, "data-group").and_then(|n| n.parse().ok()).unwrap_or(0);
            assert!((1..=groups.len()).contains(&n), "the screen must ask for a group of the key, asked {n}");
            n
        })
        .collect();
    let cont = d.wait_for(&tid("recovery-continue"));
    d.fill(&tid("recovery-group-0"), groups[asked[0] - 1]);
    d.fill(&tid("recovery-group-1"), "ZZZZ");
    assert_eq!(
        d.property(&cont, "disabled"),
        Value::Bool(true),
        "Continue must stay disabled while a typed-back group is wrong"
    );
    d.fill(&tid("recovery-group-1"), &groups[asked[1] - 1].to_lowercase());
    d.click_when_ready(&tid("recovery-continue"));
}

/// Drops files on the window through the e2e hook (the backend path of a real drop) and waits until the UI
/// reports every one as imported.
fn drop_files(d: &WebDriver, files: &[&Original]) {
    let paths: Vec<String> = files.iter().map(|f| f.path.to_string_lossy().into_owned()).collect();
    d.execute_async(
        "await window.__TAURI_INTERNALS__.invoke('e2e_drop', { paths: arguments[0] }); return true;",
        vec![json!(paths)],
    )
    .unwrap_or_else(|e| {
        panic!("the simulated drop (command e2e_drop) failed: {e}; the app must be built with --features e2e-hooks")
    });
    let results: Vec<(String, String)> = d.wait_until("the import results of the dropped files", |d| {
        let value = d
            .execute(
                "return [...document.querySelectorAll('[data-testid=\"import-results\"] [data-status]')]\
                 .map((e) => [e.getAttribute('data-status'), e.innerText]);",
                vec![],
            )
            .ok()?;
        let rows: Vec<(String, String)> = value
            .as_array()?
            .iter()
            .map(|r| {
                (r[0].as_str().unwrap_or_default().to_owned(), r[1].as_str().unwrap_or_default().to_owned())
            })
            .collect();
        (rows.len() >= files.len()).then_some(rows)
    });
    assert!(
        results.len() == files.len() && results.iter().all(|(status, _)| status == "imported"),
        "every dropped file must be imported (a drop is how most evidence arrives); the results panel shows {results:?}"
    );
}

/// The evidence rows on screen: (data-sha256, text), waiting until there are `count`.
fn evidence_rows(d: &WebDriver, count: usize) -> Vec<(String, String)> {
    d.wait_until(&format!("{count} evidence rows with a data-sha256"), |d| {
        let rows = d.find_all(&tid("evidence-row"));
        if rows.len() != count {
            return None;
        }
        let mut out = Vec::new();
        for row in &rows {
            let sha = d.try_attribute(row, "data-sha256").ok()??;
            let text = d.try_text(row).ok()?;
            out.push((sha, text));
        }
        Some(out)
    })
}

fn assert_rows_match(rows: &[(String, String)], originals: &[&Original], when: &str) {
    let mut shown: Vec<&str> = rows.iter().map(|(sha, _)| sha.as_str()).collect();
    let mut expected: Vec<&str> = originals.iter().map(|o| o.sha256.as_str()).collect();
    shown.sort_unstable();
    expected.sort_unstable();
    assert_eq!(
        shown, expected,
        "{when}: the SHA-256 shown for each item must equal the SHA-256 of the original file, or the journal \
         cannot prove the evidence is unaltered"
    );
}

/// Runs xdotool on the test's display.
fn xdotool(app: &App, args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .env("DISPLAY", app.display())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run xdotool (Debian package xdotool): {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// How the person locks: the Lock now button, or its shortcut Ctrl+L.
#[derive(Clone, Copy, Debug)]
enum LockBy {
    Button,
    Keys,
}

/// The WebKit web processes below the app now (`comm` is cut to 15 characters: "WebKitWebProces").
fn web_processes(app: &App) -> Vec<u32> {
    app.processes()
        .into_iter()
        .filter(|(_, name)| name.starts_with("WebKitWebProc"))
        .map(|(pid, _)| pid)
        .collect()
}

/// Lock now. The page that showed the journal must be gone with its web process (review M8: its heaps held what
/// it showed), a new page in a new process shows the unlock screen and says the journal was locked.
fn lock(app: &App, by: LockBy) {
    let d = &app.driver;
    let before = web_processes(app);
    assert!(!before.is_empty(), "no WebKit web process found below the app: {:?}", app.processes());
    // The CSP recorder lives in the page: carry what it saw into the next page.
    let seen = csp_violations(d);
    let recording =
        d.execute("return Array.isArray(window.__e2eCsp);", vec![]).ok() == Some(Value::Bool(true));
    d.execute("window.__e2eOldPage = true;", vec![]).unwrap_or_else(|e| panic!("cannot mark the page: {e}"));
    // The pointer and the keys come from X (xdotool), as a person's, not from WebDriver: a WebDriver command that
    // runs while the page's process ends fails in ways that cannot be told from a real failure.
    let button = d.wait_for(&tid("lock-now"));
    let window = xdotool(app, &["search", "--onlyvisible", "--name", "^Redress$"]);
    let window =
        window.lines().next().unwrap_or_else(|| panic!("no visible window titled Redress")).to_owned();
    xdotool(app, &["windowfocus", "--sync", &window]);
    match by {
        LockBy::Button => {
            let rect = d
                .execute(
                    "const r = arguments[0].getBoundingClientRect(); \
                     return [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];",
                    vec![button.as_arg()],
                )
                .unwrap_or_else(|e| panic!("cannot read where Lock now is: {e}"));
            let (x, y) = (rect[0].to_string(), rect[1].to_string());
            xdotool(app, &["mousemove", "--window", &window, &x, &y, "click", "1"]);
        }
        LockBy::Keys => {
            xdotool(app, &["key", "ctrl+l"]);
        }
    }
    // Watched in /proc, not through WebDriver (see above).
    let old_alive = || web_processes(app).into_iter().filter(|pid| before.contains(pid)).collect::<Vec<_>>();
    let clicked = Instant::now();
    let deadline = clicked + Duration::from_secs(10);
    while !old_alive().is_empty() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    let gone_after = clicked.elapsed();
    assert!(
        old_alive().is_empty(),
        "after Lock now the web process that showed the journal must be ended; before: {before:?}, now: {:?}",
        web_processes(app)
    );
    // WebKit's driver ends its session with the page's process; go on in a session attached to the same app.
    // WebKit's driver ends its session with the page's process (at once, or after a command or two fails while
    // it notices): go on in a session attached to the same app.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match d.execute("return 1;", vec![]) {
            Ok(_) => break,
            Err(e) if e.error == "invalid session id" => {
                app.reattach();
                break;
            }
            Err(e) => {
                assert!(
                    Instant::now() < deadline,
                    "the window does not answer WebDriver after the lock: {e}"
                );
                thread::sleep(Duration::from_millis(100));
            }
        }
    }
    d.wait_until("a new page after the lock", |d| {
        let fresh = d.execute("return window.__e2eOldPage === undefined;", vec![]).ok()? == Value::Bool(true);
        (fresh && d.try_find(&tid("unlock-passphrase")).ok().flatten().is_some()).then_some(())
    });
    let after = web_processes(app);
    assert!(!after.is_empty(), "the unlock screen must run in a new web process: {:?}", app.processes());
    // The new process is sandboxed like the first (first_screen_and_csp checks the first in full).
    for pid in &after {
        let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        assert!(
            status.contains("NoNewPrivs:\t1") && status.contains("Seccomp:\t2"),
            "the web process {pid} started after the lock must run in WebKit's sandbox:\n{status}"
        );
    }
    assert!(
        d.try_find(&tid("nav-overview")).ok().flatten().is_none(),
        "after Lock now no screen of the unlocked journal may remain in the window"
    );
    // The new page knows nothing of the old one: the backend tells it why the journal is locked.
    let banner = d.wait_for_text(".banner[role=status]", "the lock message", |t| !t.trim().is_empty());
    assert!(
        ["The journal is locked.", "Журнал заблокирован."].contains(&banner.trim()),
        "the unlock screen after Lock now must say the journal was locked by the person; it says {banner:?}"
    );
    println!(
        "   locked: web process {before:?} -> {after:?} (the old one gone {} ms after xdotool returned); the new page says: \
         {banner}",
        gone_after.as_millis()
    );
    if recording {
        d.execute(
            "window.__e2eCsp = arguments[0]; document.addEventListener('securitypolicyviolation', \
             (e) => window.__e2eCsp.push(`${e.violatedDirective} ${e.blockedURI}`));",
            vec![json!(seen)],
        )
        .unwrap_or_else(|e| panic!("cannot install the CSP violation recorder again: {e}"));
    }
}

fn unlock(d: &WebDriver, passphrase: &str) {
    d.fill(&tid("unlock-passphrase"), passphrase);
    d.click_when_ready(&tid("unlock-submit"));
    d.wait_for(&tid("nav-overview"));
}

/// Text of the whole page, as the person sees it.
fn page_text(d: &WebDriver) -> String {
    d.execute("return document.body.innerText;", vec![])
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Opens a record form with its Add button.
fn open_form(d: &WebDriver, add_testid: &str, field_testid: &str) {
    d.click_when_ready(&tid(add_testid));
    d.wait_for(&tid(field_testid));
}

/// After Save: waits until the form closed and `text` shows on the page; an error shown in the form fails the
/// step with that error.
fn wait_saved(d: &WebDriver, field_testid: &str, text: &str, what: &str) {
    d.wait_until(&format!("{what} to be saved and listed"), |d| {
        let error = d
            .execute("return [...document.querySelectorAll('form [role=alert]')].map((e) => e.innerText).join(' | ');", vec![])
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        assert!(error.is_empty(), "saving {what} failed; the form shows: {error}");
        let closed = d.try_find(&tid(field_testid)).ok().flatten().is_none();
        (closed && page_text(d).contains(text)).then_some(())
    });
}

/// SHA-256 of every file under `dir`, by path.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in fs::read_dir(&path).unwrap_or_else(|e| panic!("cannot list {}: {e}", path.display()))
            {
                stack.push(entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", path.display())).path());
            }
        } else if let Ok(bytes) = fs::read(&path) {
            out.insert(path, sha256_hex(&bytes));
        }
    }
    out
}

/// Saves a screenshot for a person to look at (the display lags the DOM by a frame or two, so it settles first).
fn screenshot(app: &App, name: &str) {
    thread::sleep(Duration::from_millis(1500));
    if let Some(path) = app.screenshot(name) {
        println!("   screenshot: {}", path.display());
    }
}

/// Chooses a language in Settings by clicking its option, as a person would.
fn set_language(d: &WebDriver, code: &str) {
    d.click_when_ready(&tid("nav-settings"));
    d.click_when_ready(&format!("{} option[value=\"{code}\"]", tid("settings-language")));
    let select = d.wait_for(&tid("settings-language"));
    d.wait_until(&format!("the language select to hold {code}"), |d| {
        (d.property(&select, "value") == json!(code)).then_some(())
    });
}

/// How long a preview may take to appear (pdf.js starts a worker).
const PREVIEW_TIMEOUT: Duration = Duration::from_secs(15);

/// Goes to the evidence list and opens the item whose row shows `name`.
fn open_item(d: &WebDriver, name: &str) {
    // From an open item, the Evidence entry of the sidebar keeps the item open (by design: `go('evidence')`
    // keeps nav.evidenceId); another section first brings the list back.
    d.click_when_ready(&tid("nav-overview"));
    d.click_when_ready(&tid("nav-evidence"));
    let row = d.wait_until(&format!("the evidence row of '{name}'"), |d| {
        d.find_all(&tid("evidence-row")).into_iter().find(|r| d.try_text(r).is_ok_and(|t| t.contains(name)))
    });
    let open = d
        .find_all_in(&row, "button")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the evidence row of '{name}' must have a button that opens the item"));
    d.click(&open);
}

/// Starts recording the page's Content-Security-Policy violations (the page is never reloaded).
fn record_csp_violations(d: &WebDriver) {
    d.execute(
        "window.__e2eCsp = []; document.addEventListener('securitypolicyviolation', \
         (e) => window.__e2eCsp.push(`${e.violatedDirective} ${e.blockedURI}`));",
        vec![],
    )
    .unwrap_or_else(|e| panic!("cannot install the CSP violation recorder: {e}"));
}

fn csp_violations(d: &WebDriver) -> Vec<String> {
    d.execute("return window.__e2eCsp || [];", vec![])
        .ok()
        .and_then(|v| v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()))
        .unwrap_or_default()
}

/// Runs axe-core in the page; prints every violation and returns the serious and critical ones.
fn axe_check(d: &WebDriver, axe: &str, screen: &str) -> Vec<String> {
    // Let the screen settle (focus moves, fetches finish) before judging it.
    thread::sleep(Duration::from_millis(500));
    let body = format!(
        "{axe}\n;\nconst results = await axe.run(document, {{ resultTypes: ['violations'] }});\n\
         return {{ passes: results.passes.length, incomplete: results.incomplete.length, \
         violations: results.violations.map((v) => ({{ id: v.id, impact: v.impact, help: v.help, \
         nodes: v.nodes.map((n) => ({{ target: n.target, summary: n.failureSummary }})) }})) }};"
    );
    let report =
        d.execute_async(&body, vec![]).unwrap_or_else(|e| panic!("axe-core did not run on {screen}: {e}"));
    let passes = report["passes"].as_u64().unwrap_or(0);
    println!("   axe [{screen}]: {passes} rules passed, {} need review by a person", report["incomplete"]);
    assert!(
        passes > 0,
        "axe-core must have checked the {screen} screen (no rule passed: did it run on a page?)"
    );
    let mut serious = Vec::new();
    for v in report["violations"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let impact = v["impact"].as_str().unwrap_or("none");
        let targets: Vec<String> = v["nodes"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|n| {
                format!("{} ({})", n["target"], n["summary"].as_str().unwrap_or_default().replace('\n', " "))
            })
            .collect();
        let line = format!(
            "[{screen}] {} ({impact}): {} — {}",
            v["id"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or(""),
            targets.join("; ")
        );
        println!("   axe {line}");
        if impact == "serious" || impact == "critical" {
            serious.push(line);
        }
    }
    if serious.is_empty() {
        println!("   axe [{screen}]: no serious or critical violation");
    }
    serious
}

/// axe-core's script, from the UI's npm packages.
fn read_axe() -> String {
    let axe_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/node_modules/axe-core/axe.min.js");
    fs::read_to_string(&axe_path).unwrap_or_else(|e| {
        panic!("cannot read {} ({e}): run `make ui-deps` (npm ci in ui/)", axe_path.display())
    })
}

/// Closes the app at the end of a test: the app, its WebKit processes and the driver must all be gone.
fn close_app(app: App) {
    let closed = app.close();
    assert!(
        closed.survivors.is_empty(),
        "the app and its driver must end with the test: {:?}",
        closed.survivors
    );
}
