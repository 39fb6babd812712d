//! End-to-end tests of the desktop app: the real binary (built with the `e2e-hooks` feature) in a real WebKit
//! window under Xvfb, driven over W3C WebDriver through tauri-driver. Run them with `make e2e`, or
//! `cargo test -p redress --features e2e-hooks --test e2e -- --test-threads=1` (one app at a time: the driver's
//! ports are fixed). Elements are found by data-testid only; the steps assert on the DOM, never on screenshots.
//! Files are "dropped" through the `e2e_drop` command, which takes the backend path a real drop takes.
#![cfg(feature = "e2e-hooks")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

mod support;

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
    let confirm = d.wait_for(&tid("recovery-confirm"));
    d.click(&confirm);
    assert_eq!(
        d.property(&confirm, "checked"),
        Value::Bool(true),
        "ticking 'I wrote it down' must check the box, or the person cannot continue"
    );
    d.click_when_ready(&tid("recovery-continue"));
    d.wait_for(&tid("nav-overview"));
    key
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

fn lock(d: &WebDriver) {
    d.click_when_ready(&tid("lock-now"));
    d.wait_for(&tid("unlock-passphrase"));
    assert!(
        d.try_find(&tid("nav-overview")).ok().flatten().is_none(),
        "after Lock now no screen of the unlocked journal may remain in the window"
    );
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

// ---------------------------------------------------------------------------------------------------------
// The tests

/// The first screen of a fresh install, and the Content-Security-Policy: the window must reach nothing outside
/// the app, neither the network nor the file system, even if a script tried.
#[test]
fn first_screen_and_csp() {
    let app = App::start("first_screen_and_csp");
    let d = &app.driver;

    step("first screen: with no vault yet, the Welcome screen offers to create one");
    d.wait_for(&tid("welcome-create"));

    step(
        "CSP: fetch to a listening local server, an <img> from it and fetch of file:///etc/hostname all fail",
    );
    let server = CountingServer::start();
    let probe = TcpStream::connect(("127.0.0.1", server.port));
    assert!(
        probe.is_ok(),
        "the test's HTTP server must accept a plain connection, so that a failure in the window is the CSP's doing \
         and not a missing network: {probe:?}"
    );
    drop(probe);
    let baseline = server.wait_for_connections(1);

    let result = d
        .execute_async(
            r#"
            const port = arguments[0];
            const violations = [];
            document.addEventListener('securitypolicyviolation', (e) =>
              violations.push(`${e.violatedDirective} ${e.blockedURI}`));
            const attempt = async (f) => {
              try { await f(); return 'succeeded'; } catch (e) { return `failed: ${e}`; }
            };
            const fetchHttp = await attempt(() => fetch(`http://127.0.0.1:${port}/x`, { cache: 'no-store' }));
            const img = await new Promise((resolve) => {
              const el = document.createElement('img');
              const timer = setTimeout(() => resolve('no load or error event within 10 s'), 10000);
              el.onload = () => { clearTimeout(timer); el.remove(); resolve('loaded'); };
              el.onerror = () => { clearTimeout(timer); el.remove(); resolve('failed: error event'); };
              el.alt = '';
              el.src = `http://127.0.0.1:${port}/pixel.gif?${Date.now()}`;
              document.body.appendChild(el);
            });
            const fetchFile = await attempt(() => fetch('file:///etc/hostname'));
            await new Promise((r) => setTimeout(r, 300));
            return { fetchHttp, img, fetchFile, violations };
            "#,
            vec![json!(server.port)],
        )
        .unwrap_or_else(|e| panic!("the CSP probe script could not run: {e}"));
    println!("   CSP probe: {result}");
    for (key, what) in [
        ("fetchHttp", "fetch() to http://127.0.0.1"),
        ("img", "an <img> from http://127.0.0.1"),
        ("fetchFile", "fetch() of file:///etc/hostname"),
    ] {
        let outcome = result[key].as_str().unwrap_or_default();
        assert!(
            outcome.starts_with("failed"),
            "{what} must be blocked by the Content-Security-Policy (a compromised or tricked page must not send the \
             journal anywhere or read local files); it {outcome}"
        );
    }
    let violations: Vec<&str> = result["violations"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for directive in ["connect-src", "img-src"] {
        assert!(
            violations
                .iter()
                .any(|v| v.starts_with(directive) && v.contains(&format!("127.0.0.1:{}", server.port))),
            "the request to the local server must be refused by the CSP's {directive} (reported as a \
             securitypolicyviolation), not by chance; violations reported: {violations:?}"
        );
    }
    let after = server.connections();
    assert_eq!(
        after,
        baseline,
        "the window must not open a single connection to a local server (connect-src/img-src); it opened {}",
        after - baseline
    );
    drop(server);

    let closed = app.close();
    assert!(
        closed.survivors.is_empty(),
        "the app and its driver must end with the test: {:?}",
        closed.survivors
    );
}

/// A person's first session and the next ones: create the journal, import evidence by drop, lock and unlock,
/// record a contact, an event and a deadline, switch language; then nothing decrypted may be left on disk.
#[test]
fn case_journal_end_to_end() {
    let started = SystemTime::now();
    let mut canaries = Canaries::new();
    let passphrase = format!("horse staple {}", canaries.make("the passphrase"));
    let contact_name = format!("Lawyer {}", canaries.make("the contact's name"));
    let event_title = format!("Arrest at the border {}", canaries.make("the event's title"));
    let deadline_title = format!("CCF request {}", canaries.make("the deadline's title"));

    let app = App::start("case_journal_end_to_end");
    let d = &app.driver;
    let (passport, ruling) = case_files(&app.dirs.files, &mut canaries);

    step("1. create the journal; the recovery key reads as 8 groups of 4");
    record_csp_violations(d);
    create_vault(d, &passphrase);

    step(
        "1. drop 'Паспорт скан.txt' and 'court-ruling.pdf'; both are listed with the SHA-256 of the originals",
    );
    drop_files(d, &[&passport, &ruling]);
    d.click_when_ready(&tid("nav-evidence"));
    let rows = evidence_rows(d, 2);
    assert_rows_match(&rows, &[&passport, &ruling], "after the drop");
    assert!(
        rows.iter().any(|(_, text)| text.contains("Паспорт скан")),
        "a Cyrillic file name must survive the import unchanged (the person's documents are named in their \
         language); rows: {rows:?}"
    );

    step(
        "1. open each item: the preview shows the decrypted content (so the leak check below means something)",
    );
    // Problems that do not stop the journey are collected and fail the test at the end.
    let mut problems: Vec<String> = Vec::new();
    let passport_line =
        fs::read_to_string(&passport.path).unwrap().lines().nth(2).unwrap_or_default().to_owned();
    open_item(d, "Паспорт скан");
    let shown = d.poll(PREVIEW_TIMEOUT, |d| page_text(d).contains(&passport_line).then_some(()));
    if shown.is_none() {
        problems.push(format!(
            "the evidence detail of 'Паспорт скан.txt' (text/plain) must show the file's text; it shows no preview \
             (CSP violations so far: {:?})",
            csp_violations(d)
        ));
    }
    open_item(d, "court-ruling");
    let rendered = d.poll(PREVIEW_TIMEOUT, |d| {
        let state = d
            .execute(
                "const c = document.querySelector('.pdf canvas'); const a = document.querySelector('.pdf [role=alert]');\
                 return a ? 'failed: ' + a.innerText : (c && c.width > 0 && !c.closest('.hidden') ? 'rendered' : null);",
                vec![],
            )
            .ok()?;
        state.as_str().map(str::to_owned)
    });
    if rendered.as_deref() != Some("rendered") {
        problems.push(format!(
            "the evidence detail of 'court-ruling.pdf' must render the PDF; it shows {rendered:?} (CSP violations so \
             far: {:?})",
            csp_violations(d)
        ));
    }

    step("2. lock; a wrong passphrase shows an error, stays locked and changes nothing in the vault");
    lock(d);
    let vault_before = snapshot(&app.dirs.vault);
    d.fill(&tid("unlock-passphrase"), "not the passphrase at all");
    d.click_when_ready(&tid("unlock-submit"));
    let error = d.wait_for_text(&tid("unlock-error"), "an error", |t| !t.trim().is_empty());
    println!("   wrong passphrase says: {error}");
    assert!(
        d.try_find(&tid("unlock-passphrase")).ok().flatten().is_some()
            && d.try_find(&tid("nav-overview")).ok().flatten().is_none(),
        "a wrong passphrase must leave the journal locked"
    );
    assert_eq!(
        snapshot(&app.dirs.vault),
        vault_before,
        "a wrong passphrase must not change one byte of the vault"
    );

    step("2. unlock with the right passphrase; both items are still there");
    unlock(d, &passphrase);
    d.click_when_ready(&tid("nav-evidence"));
    assert_rows_match(&evidence_rows(d, 2), &[&passport, &ruling], "after lock and unlock");

    step("3. add a contact");
    d.click_when_ready(&tid("nav-contacts"));
    open_form(d, "contact-add", "contact-form-name");
    d.fill(&tid("contact-form-name"), &contact_name);
    d.click_when_ready(&tid("contact-save"));
    wait_saved(d, "contact-form-name", &contact_name, "the contact");

    step("3. add a chronology event linked to court-ruling.pdf");
    d.click_when_ready(&tid("nav-chronology"));
    open_form(d, "event-add", "event-form-title");
    d.fill(&tid("event-form-date"), "2019-03-14");
    d.fill(&tid("event-form-title"), &event_title);
    let select = d.wait_for(&tid("event-form-evidence"));
    let options = d.find_all_in(&select, "option");
    let option = options
        .iter()
        .find(|o| d.try_text(o).is_ok_and(|t| t.contains("court-ruling")))
        .unwrap_or_else(|| {
            panic!(
                "the event form must offer the imported items to link; it offers {} options",
                options.len()
            )
        });
    d.click(option);
    assert_eq!(
        d.property(option, "selected"),
        Value::Bool(true),
        "clicking an item in the evidence list must select it, or the event cannot cite its evidence"
    );
    d.click_when_ready(&tid("event-save"));
    wait_saved(d, "event-form-title", &event_title, "the event");
    let article = d
        .execute(
            "return [...document.querySelectorAll('article')].map((a) => a.innerText)\
             .find((t) => t.includes(arguments[0])) ?? null;",
            vec![json!(event_title)],
        )
        .unwrap_or(Value::Null);
    assert!(
        article.as_str().is_some_and(|t| t.contains("court-ruling")),
        "the saved event must show its linked evidence (court-ruling); it shows {article}"
    );

    step("3. add a deadline due tomorrow");
    let tomorrow = chrono::Local::now()
        .date_naive()
        .succ_opt()
        .expect("tomorrow is a date")
        .format("%Y-%m-%d")
        .to_string();
    d.click_when_ready(&tid("nav-deadlines"));
    open_form(d, "deadline-add", "deadline-form-title");
    d.fill(&tid("deadline-form-title"), &deadline_title);
    d.fill(&tid("deadline-form-due"), &tomorrow);
    d.click_when_ready(&tid("deadline-save"));
    wait_saved(d, "deadline-form-title", &deadline_title, "the deadline");

    step("3. lock and unlock: the attention banner names the deadline");
    lock(d);
    unlock(d, &passphrase);
    d.wait_for_text(&tid("attention-banner"), "the deadline due tomorrow", |t| t.contains(&deadline_title));

    step("4. switch to Russian: the overview heading is in Cyrillic; then back to English");
    set_language(d, "ru");
    d.click_when_ready(&tid("nav-overview"));
    let heading = d.wait_for_text(&tid("overview-heading"), "a Russian heading", has_cyrillic);
    println!("   overview heading in Russian: {heading}");
    let lang = d.execute("return document.documentElement.lang;", vec![]).unwrap_or(Value::Null);
    assert_eq!(
        lang,
        json!("ru"),
        "the page must declare its language, so screen readers read Russian as Russian"
    );
    set_language(d, "en");
    d.click_when_ready(&tid("nav-overview"));
    let heading = d
        .wait_for_text(&tid("overview-heading"), "an English heading", |t| !has_cyrillic(t) && !t.is_empty());
    println!("   overview heading in English: {heading}");

    step(
        "5. Settings: change and re-encrypt; a new recovery key is shown once; the old passphrase stops working",
    );
    let rekeyed = format!("battery horse {}", canaries.make("the re-keyed passphrase"));
    d.click_when_ready(&tid("nav-settings"));
    d.click_when_ready(&tid("mode-rekey"));
    d.fill(&tid("settings-passphrase-current"), &passphrase);
    d.fill(&tid("settings-passphrase-new"), &rekeyed);
    d.fill(&tid("settings-passphrase-repeat"), &rekeyed);
    screenshot(&app, "settings-rekey.png");
    d.click_when_ready(&tid("passphrase-submit"));
    let new_key = d.wait_for_text(&tid("recovery-key"), "the new recovery key", |t| !t.trim().is_empty());
    println!("   re-encrypted; a new recovery key of {} characters is shown", new_key.trim().len());
    d.wait_for(&tid("recovery-replaces"));
    screenshot(&app, "settings-rekey-new-key.png");
    d.click_when_ready(&tid("recovery-confirm"));
    d.click_when_ready(&tid("recovery-continue"));
    d.wait_for_text(&tid("passphrase-notice"), "the re-encryption notice", |t| !t.is_empty());
    lock(d);
    d.fill(&tid("unlock-passphrase"), &passphrase);
    d.click_when_ready(&tid("unlock-submit"));
    let refused =
        d.wait_for_text(".error-text[role=alert], [role=alert]", "the old passphrase refused", |t| {
            !t.is_empty()
        });
    println!("   the old passphrase says: {refused}");
    assert!(
        d.try_find(&tid("nav-overview")).ok().flatten().is_none(),
        "after a re-key the old passphrase must not open the journal"
    );
    unlock(d, &rekeyed);
    d.click_when_ready(&tid("nav-evidence"));
    let rows = evidence_rows(d, 2);
    assert_rows_match(&rows, &[&passport, &ruling], "after the re-key");

    let violations = csp_violations(d);
    if !violations.is_empty() {
        problems.push(format!(
            "using the app as intended must not trip its own Content-Security-Policy (each violation is a \
             feature that silently does not work): {violations:?}"
        ));
    }

    step("7. close the app; no canary is in the vault, the temp dir or the app's XDG data/config/cache");
    let closed = app.close();
    assert!(
        closed.survivors.is_empty(),
        "the app must be gone before its files are checked (it could still write): {:?}",
        closed.survivors
    );
    assert!(
        closed.dirs.vault.join("journal-2.db").metadata().is_ok_and(|m| m.len() > 0),
        "the vault must hold the re-keyed journal (journal-2.db), or finding no canary in it proves nothing"
    );
    // The scanner must find what is there: the originals hold their canaries.
    let control = canaries.scan(&closed.dirs.files, None);
    assert_eq!(
        control.len(),
        2,
        "the leak scanner must find the canaries in the original files: {control:?}"
    );
    let mut hits = Vec::new();
    for dir in closed.dirs.app_private() {
        hits.extend(canaries.scan(dir, None));
    }
    hits.extend(canaries.scan(&closed.dirs.runtime, None));
    // The system temp dir is shared: only files written since this test started can be the app's.
    // The test's own originals hold the canaries on purpose; they sit under the temp dir when the checkout does.
    hits.extend(
        canaries
            .scan(&std::env::temp_dir(), Some(started - Duration::from_secs(2)))
            .into_iter()
            .filter(|h| !h.path.starts_with(&closed.dirs.files)),
    );
    assert!(
        hits.is_empty(),
        "nothing the person typed or imported may reach the disk unencrypted (a seized laptop must reveal \
         nothing); found: {hits:#?}"
    );
    assert!(problems.is_empty(), "the journey ran to its end, but:\n- {}", problems.join("\n- "));
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

/// Axe-core on the screens a person sees most: no "serious" or "critical" accessibility violation.
#[test]
fn accessibility_of_main_screens() {
    let axe = read_axe();
    let mut canaries = Canaries::new();
    let passphrase = format!("horse staple {}", random_hex(8));

    let app = App::start("accessibility_of_main_screens");
    let d = &app.driver;
    let (passport, ruling) = case_files(&app.dirs.files, &mut canaries);
    create_vault(d, &passphrase);
    drop_files(d, &[&passport, &ruling]);

    let mut failures = Vec::new();
    step("6. axe: evidence screen");
    d.click_when_ready(&tid("nav-evidence"));
    evidence_rows(d, 2);
    failures.extend(axe_check(d, &axe, "evidence"));

    step("6. axe: overview screen");
    d.click_when_ready(&tid("nav-overview"));
    d.wait_for(&tid("overview-heading"));
    failures.extend(axe_check(d, &axe, "overview"));

    step("6. axe: unlock screen");
    lock(d);
    failures.extend(axe_check(d, &axe, "unlock"));

    let closed = app.close();
    assert!(
        closed.survivors.is_empty(),
        "the app and its driver must end with the test: {:?}",
        closed.survivors
    );
    assert!(
        failures.is_empty(),
        "a person using a screen reader, the keyboard or low vision must be able to use these screens; serious or \
         critical axe violations:\n{}",
        failures.join("\n")
    );
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

/// The counsel bundle in the demo case, as a person prepares it for their lawyer: evidence chosen and arranged in
/// two sections (buttons, the section list, "sort by date" and a drag), a contact and an event; the check names
/// the GPS position an export removes from a photo; a passphrase typed twice (a mismatch refused); the export's
/// report (a damaged PDF listed as a placeholder), a PDF that poppler opens with that passphrase and counts the same
/// pages, and the contact's "Shared with this contact" list.
#[test]
fn counsel_bundle_end_to_end() {
    let axe = read_axe();
    let app = App::start("counsel_bundle_end_to_end");
    let d = &app.driver;
    record_csp_violations(d);
    let mut failures = Vec::new();

    step("open the fictional demo case; drop a photo with a GPS position and a damaged PDF into it");
    d.click_when_ready(&tid("welcome-demo"));
    d.wait_for(&tid("nav-overview"));
    let photo = write_original(&app.dirs.files, "gps-photo.jpg", &jpeg_with_gps());
    let damaged =
        write_original(&app.dirs.files, "damaged.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9");
    drop_files(d, &[&photo, &damaged]);

    step("Bundle screen: every item of the case is offered with a checkbox");
    d.click_when_ready(&tid("nav-bundle"));
    let offered: Vec<(i64, String)> = d.wait_until("the evidence checklist of the Bundle screen", |d| {
        let value = d
            .execute(
                "return [...document.querySelectorAll('[data-testid^=\"bundle-item-\"]')]\
                 .map((e) => [Number(e.dataset.testid.slice('bundle-item-'.length)), e.closest('tr').innerText]);",
                vec![],
            )
            .ok()?;
        let rows: Vec<(i64, String)> = value
            .as_array()?
            .iter()
            .map(|r| (r[0].as_i64().unwrap_or(-1), r[1].as_str().unwrap_or_default().to_owned()))
            .collect();
        (rows.len() >= 14).then_some(rows)
    });
    let id_of = |title: &str| {
        offered
            .iter()
            .find(|(_, text)| text.contains(title))
            .map(|(id, _)| *id)
            .unwrap_or_else(|| panic!("the Bundle screen must offer '{title}'; it offers {offered:?}"))
    };
    let passport = id_of("Passport, data page");
    let warrant = id_of("Detention in absentia");
    let asylum = id_of("Refugee status granted");
    let gps = id_of("gps-photo");
    let broken = id_of("damaged");

    step(
        "tick the warrant, the asylum decision and the damaged PDF: they go to the first section, in that order",
    );
    for id in [warrant, asylum, broken] {
        d.click_when_ready(&tid(&format!("bundle-item-{id}")));
    }
    wait_sections(d, &[&[warrant, asylum, broken]], "three items ticked");

    step("add the suggested section 'Identity'; the passport and the GPS photo ticked next go there");
    d.click_when_ready(&tid("bundle-preset-identity"));
    d.click_when_ready(&tid(&format!("bundle-item-{passport}")));
    d.click_when_ready(&tid(&format!("bundle-item-{gps}")));
    wait_sections(
        d,
        &[&[warrant, asylum, broken], &[passport, gps]],
        "two items ticked after adding 'Identity'",
    );
    screenshot(&app, "bundle-choose.png");

    step("arrange: 'Move up', 'Sort by date' (undated last), a drag, and the section list");
    d.click_when_ready(&tid(&format!("bundle-up-{asylum}")));
    wait_sections(d, &[&[asylum, warrant, broken], &[passport, gps]], "'Move up' on the asylum decision");
    d.click_when_ready(&tid("bundle-sort-1"));
    wait_sections(
        d,
        &[&[warrant, asylum, broken], &[passport, gps]],
        "'Sort by date' (2022 warrant, 2023 decision, the undated PDF last)",
    );
    drag_before(d, asylum, warrant);
    wait_sections(
        d,
        &[&[asylum, warrant, broken], &[passport, gps]],
        "dragging the decision above the warrant",
    );
    // The exhibit moves to the other section with its select: the sections below show where it went.
    click_option(d, &format!("bundle-move-{broken}"), "Identity");
    wait_sections(d, &[&[asylum, warrant], &[passport, gps, broken]], "moving the damaged PDF to 'Identity'");
    d.execute("document.querySelector('[data-testid=\"bundle-section\"]').scrollIntoView();", vec![]).ok();
    screenshot(&app, "bundle-sections.png");

    step("prepared for Claire Dubois, with one chronology event");
    choose_option(d, "bundle-contact", "Claire Dubois");
    let event = d.wait_for("[data-testid^=\"bundle-event-\"]");
    d.click(&event);

    step("Check: five exhibits in bundle order; the photo's GPS position and camera will be removed");
    d.click_when_ready(&tid("bundle-check"));
    let plan: Vec<(i64, String, String)> = d.wait_until("the checked plan of five exhibits", |d| {
        let value = d
            .execute(
                "return [...document.querySelectorAll('[data-testid=\"bundle-plan-row\"]')].map((r) => \
                 [Number(r.dataset.evidence), r.dataset.treatment, \
                  r.querySelector('[data-testid=\"bundle-plan-metadata\"]').innerText]);",
                vec![],
            )
            .ok()?;
        let rows: Vec<(i64, String, String)> = value
            .as_array()?
            .iter()
            .map(|r| {
                (
                    r[0].as_i64().unwrap_or(-1),
                    r[1].as_str().unwrap_or_default().to_owned(),
                    r[2].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        (rows.len() == 5).then_some(rows)
    });
    println!("   plan: {plan:?}");
    assert_eq!(
        plan.iter().map(|(id, _, _)| *id).collect::<Vec<_>>(),
        vec![asylum, warrant, passport, gps, broken],
        "the check must number the exhibits in the order the person arranged them (sections, then order within)"
    );
    let treatments: Vec<&str> = plan.iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(
        treatments,
        ["pages", "pages", "picture", "picture", "pages"],
        "PDFs must appear as their own pages and JPEGs as pictures"
    );
    assert!(
        plan[2].2.contains("None found") && !plan[2].2.contains("Will be removed"),
        "the demo passport scan holds no metadata (a bare JFIF header), so its row must say none was found and \
         promise no removal: {:?}",
        plan[2].2
    );
    assert!(
        plan[3].2.contains("Will be removed")
            && plan[3].2.contains("GPS position 55.75000, 37.61667")
            && plan[3].2.contains("Camera Cam"),
        "before export the person must see that the photo's GPS position and camera leave it; the row shows {:?}",
        plan[3].2
    );
    screenshot(&app, "bundle-check.png");
    failures.extend(axe_check(d, &axe, "bundle"));

    step("a passphrase typed differently twice is refused before anything is written");
    let out = app.dirs.files.join("bundle-for-counsel.pdf");
    let passphrase = "correct horse battery";
    d.fill(&tid("bundle-passphrase"), passphrase);
    d.fill(&tid("bundle-passphrase-repeat"), "correct horse batterx");
    d.click_when_ready(&tid("bundle-export"));
    let refused = d.wait_for_text(
        ".field:has([data-testid=\"bundle-passphrase-repeat\"]) [role=alert]",
        "a mismatch",
        |t| !t.trim().is_empty(),
    );
    println!("   mismatch says: {refused}");
    assert!(
        d.try_find(&tid("progress-panel")).ok().flatten().is_none() && !out.exists(),
        "a mismatched passphrase must not start an export"
    );

    step("export with the passphrase (the save dialog answered by the e2e hook)");
    d.fill(&tid("bundle-passphrase-repeat"), passphrase);
    d.execute_async(
        "await window.__TAURI_INTERNALS__.invoke('e2e_save_as', { path: arguments[0] }); return true;",
        vec![json!(out.to_string_lossy())],
    )
    .unwrap_or_else(|e| {
        panic!("the save-as hook (command e2e_save_as) failed: {e}; build with --features e2e-hooks")
    });
    d.click_when_ready(&tid("bundle-export"));
    let pages_shown =
        d.wait_for_text(&tid("bundle-result-pages"), "the page count of the written bundle", |t| {
            t.trim().parse::<u32>().is_ok()
        });
    let pages_shown: u32 = pages_shown.trim().parse().unwrap();
    let file_shown = d.text(&d.find(&tid("bundle-result-file")));
    let sha_shown = d.text(&d.find(&tid("bundle-result-sha256")));
    let exhibits_shown = d.text(&d.find(&tid("bundle-result-exhibits")));
    let encrypted = d.attribute(&d.find(&tid("bundle-result-encrypted")), "data-encrypted");
    let cleaned = d.text(&d.find(&tid("bundle-result-metadata")));
    let placeholders = d.text(&d.find(&tid("bundle-result-placeholders")));
    println!(
        "   result: {file_shown}, {pages_shown} pages, {exhibits_shown} exhibits, encrypted {encrypted:?}, \
         {cleaned} picture(s) cleaned, placeholders: {placeholders:?}"
    );
    screenshot(&app, "bundle-result.png");

    let bytes = fs::read(&out).unwrap_or_else(|e| {
        panic!("the bundle must be written where the save dialog said ({}): {e}", out.display())
    });
    assert_eq!(file_shown.trim(), "bundle-for-counsel.pdf", "the result must name the file written");
    assert_eq!(exhibits_shown.trim(), "5", "the result must count the five exhibits chosen");
    assert_eq!(
        cleaned.trim(),
        "1",
        "the result must count the one picture whose metadata was removed (the GPS photo)"
    );
    assert!(
        placeholders.contains("damaged"),
        "the damaged PDF must be reported as an exhibit shown by a placeholder, with its reason: {placeholders:?}"
    );
    assert_eq!(
        encrypted.as_deref(),
        Some("true"),
        "a bundle exported with a passphrase must say it is encrypted"
    );
    assert_eq!(
        sha_shown.trim(),
        sha256_hex(&bytes),
        "the SHA-256 shown must be the file's, or counsel cannot check that what arrived is what was sent"
    );
    let locked =
        Command::new("pdfinfo").arg(&out).output().expect("pdfinfo (poppler-utils) must be installed");
    assert!(
        !locked.status.success(),
        "without the passphrase a PDF reader must not open the bundle: pdfinfo said {}",
        String::from_utf8_lossy(&locked.stdout)
    );
    let info = Command::new("pdfinfo").arg("-upw").arg(passphrase).arg(&out).output().expect("pdfinfo runs");
    let info_text = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.status.success(),
        "counsel must open the bundle with the passphrase in an ordinary PDF reader (poppler): {}",
        String::from_utf8_lossy(&info.stderr)
    );
    let pages: u32 = info_text
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo must report the page count: {info_text}"));
    assert_eq!(pages, pages_shown, "the page count shown must be the page count of the file written");

    step("Contacts: Claire Dubois's 'Shared with this contact' list names the file");
    d.click_when_ready(&tid("nav-contacts"));
    let card = d.wait_until("the contact card of Claire Dubois", |d| {
        d.find_all("li.card").into_iter().find(|c| d.try_text(c).is_ok_and(|t| t.contains("Claire Dubois")))
    });
    let edit = d
        .find_all_in(&card, "button")
        .into_iter()
        .find(|b| d.try_text(b).is_ok_and(|t| t.starts_with("Edit")))
        .expect("a contact card has an Edit button");
    d.click(&edit);
    let shared = d.wait_for_text(&tid("contact-shared"), "the bundle just exported", |t| {
        t.contains("bundle-for-counsel.pdf")
    });
    println!("   shared with Claire Dubois: {}", shared.replace('\n', " | "));
    d.execute("document.querySelector('[data-testid=\"contact-shared\"]').scrollIntoView();", vec![]).ok();
    screenshot(&app, "contact-shared.png");
    assert!(
        shared.contains("Refugee status granted")
            && shared.contains("Passport, data page")
            && shared.contains("gps-photo"),
        "the disclosure log must list the titles of the items shared: {shared}"
    );
    failures.extend(axe_check(d, &axe, "contact with shared bundles"));

    step(
        "Requests: 'Bundle for counsel' opens the Bundle screen with the request's annexes chosen, in order",
    );
    d.click_when_ready(&tid("nav-requests"));
    let row = d.wait_for(&tid("request-row"));
    let request: i64 = d
        .attribute(&row, "data-id")
        .and_then(|id| id.parse().ok())
        .expect("a request row carries its request's id");
    let annexes = request_annexes(d, request);
    assert!(!annexes.is_empty(), "the demo request {request} must have annexes, or this step proves nothing");
    d.click(
        &d.find_all_in(&row, &tid("request-bundle")).into_iter().next().expect("the row's 'Bundle' button"),
    );
    d.wait_for_text(&tid("bundle-notice"), "that the selection comes from the request", |t| {
        !t.trim().is_empty()
    });
    wait_sections(d, &[annexes.as_slice()], "opening the bundle of the request");
    let mut ticked: Vec<i64> = serde_json::from_value(
        d.execute(
            "return [...document.querySelectorAll('[data-testid^=\"bundle-item-\"]:checked')]\
             .map((e) => Number(e.dataset.testid.slice('bundle-item-'.length)));",
            vec![],
        )
        .expect("the ticked items can be read"),
    )
    .expect("the ticked items are numbers");
    ticked.sort_unstable();
    let mut expected = annexes.clone();
    expected.sort_unstable();
    println!("   annexes of request {request}: {annexes:?}; ticked: {ticked:?}");
    assert_eq!(
        ticked, expected,
        "the Bundle screen must tick exactly the request's annexes (nothing left from the bundle just exported)"
    );

    let violations = csp_violations(d);
    let closed = app.close();
    assert!(
        closed.survivors.is_empty(),
        "the app and its driver must end with the test: {:?}",
        closed.survivors
    );
    assert!(
        violations.is_empty(),
        "preparing a bundle must not trip the Content-Security-Policy: {violations:?}"
    );
    assert!(
        failures.is_empty(),
        "the Bundle screen and the contact's shared list must be usable with a screen reader and the keyboard; \
         serious or critical axe violations:\n{}",
        failures.join("\n")
    );
}

/// Tidying up the demo case: a contact moved to the trash (asked first), seen in the trash, restored (the search
/// finds it again), trashed again and erased for good, after which the search no longer finds it; and a deadline
/// computed from a CCF request's dates added to the person's own deadlines, listed there and shown as added, also
/// after the screen reloads, and as in the trash once that deadline is moved there.
#[test]
fn trash_and_computed_deadlines() {
    const NAME: &str = "Jonas Petraitis";
    let app = App::start("trash_and_computed_deadlines");
    let d = &app.driver;
    record_csp_violations(d);

    step("open the fictional demo case");
    d.click_when_ready(&tid("welcome-demo"));
    d.wait_for(&tid("nav-overview"));

    step("Deadlines: 'Add to my deadlines' on a deadline computed from a request");
    d.click_when_ready(&tid("nav-deadlines"));
    let before = deadline_titles(d);
    let (request, rule) = d.wait_until("a computed deadline that can be added", |d| {
        let found = d
            .execute(
                "const row = [...document.querySelectorAll('[data-testid=\"computed-row\"]')].find((r) => {\
                   const b = r.querySelector('[data-testid=\"computed-adopt\"]'); return b && !b.disabled; });\
                 return row ? [row.dataset.request, row.dataset.rule] : null;",
                vec![],
            )
            .ok()?;
        Some((found[0].as_str()?.to_owned(), found[1].as_str()?.to_owned()))
    });
    let row = format!("{}[data-request=\"{request}\"][data-rule=\"{rule}\"]", tid("computed-row"));
    assert_eq!(d.find_all(&row).len(), 1, "one computed row must stand for request {request}'s rule {rule}");
    let adopt = format!("{row} {}", tid("computed-adopt"));
    d.click_when_ready(&adopt);
    let notice = d.wait_for_text(&tid("computed-notice"), "the notice of the added deadline", |t| {
        t.contains("was added to your deadlines")
    });
    let title = notice
        .split(['“', '”'])
        .nth(1)
        .unwrap_or_else(|| panic!("the notice must quote the added deadline's title: {notice:?}"))
        .to_owned();
    println!("   added from request {request}, rule {rule}: {title}");
    let after = d.wait_until("the added deadline in the list", |d| {
        let titles = deadline_titles(d);
        (titles.len() == before.len() + 1).then_some(titles)
    });
    assert!(
        after.iter().filter(|t| t.contains(&title)).count() == 1
            && before.iter().all(|t| !t.contains(&title)),
        "the deadline added from the request must be listed once among my deadlines, and only now: {after:?}"
    );
    let shown_as_added = |d: &WebDriver, what: &str| {
        d.wait_until(what, |d| {
            let button = d.try_find(&adopt).ok()??;
            let text = d.try_text(&button).ok()?;
            (d.property(&button, "disabled") == Value::Bool(true)
                && text.starts_with("Added to my deadlines"))
            .then_some(())
        })
    };
    shown_as_added(d, "the computed deadline shown as added, its button disabled");
    d.execute("document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });", vec![json!(row)])
        .ok();
    screenshot(&app, "computed-adopted.png");

    step("another screen and back: still shown as added, so it cannot be added twice");
    d.click_when_ready(&tid("nav-overview"));
    d.click_when_ready(&tid("nav-deadlines"));
    shown_as_added(d, "the computed deadline still shown as added after the screen reloaded");
    assert_eq!(deadline_titles(d).len(), after.len(), "reopening the screen must not add the deadline again");

    step("extend it (a wrong date refused in the dialog), mark it done, reopen it");
    click_in_deadline(d, &title, "deadline-extend");
    d.fill(&tid("date-action-date"), "sometime soon");
    d.click_when_ready(&tid("date-action-confirm"));
    d.wait_for_text(".field:has([data-testid=\"date-action-date\"]) [role=alert]", "the date refused", |t| {
        !t.trim().is_empty()
    });
    let later = chrono::Local::now()
        .date_naive()
        .checked_add_days(chrono::Days::new(400))
        .expect("a date 400 days from today")
        .format("%Y-%m-%d")
        .to_string();
    d.fill(&tid("date-action-date"), &later);
    d.click_when_ready(&tid("date-action-confirm"));
    wait_notice(d, &format!("“{title}” was extended."));
    d.wait_until("the deadline shown as extended", |d| {
        d.try_text(&deadline_row(d, &title)).ok().filter(|t| t.contains("Extended from")).map(|_| ())
    });
    click_in_deadline(d, &title, "deadline-done");
    d.click_when_ready(&tid("date-action-confirm"));
    wait_notice(d, &format!("“{title}” is marked as done."));
    click_in_deadline(d, &title, "deadline-reopen");
    wait_notice(d, &format!("“{title}” is open again."));
    d.wait_until("the deadline open again", |d| {
        d.find_all_in(&deadline_row(d, &title), &tid("deadline-done")).into_iter().next().map(|_| ())
    });

    step("move the added deadline to the trash: the computed row says it is in the trash");
    click_in_deadline(d, &title, "record-trash");
    d.click_when_ready(&tid("confirm-ok"));
    wait_notice(d, &format!("“{title}” was moved to the trash."));
    d.wait_for_text(
        &format!("{row} {}", tid("computed-adopted")),
        "the computed deadline shown as in the trash",
        |t| t.contains("In the trash of your deadlines"),
    );
    assert!(
        d.try_find(&adopt).ok().flatten().is_none(),
        "a computed deadline whose copy is in the trash must not offer to be added again (the backend refuses it)"
    );

    step("the search finds the contact before anything is done to it");
    assert!(
        search_finds(d, "Petraitis", "contact", NAME),
        "the search must find {NAME} before the trash, or finding nothing after the erase proves nothing"
    );

    step("Contacts: move the contact to the trash, asked first; it leaves the list");
    d.click_when_ready(&tid("nav-contacts"));
    click_in_card(d, NAME, "record-trash");
    d.click_when_ready(&tid("confirm-ok"));
    wait_notice(d, &format!("“{NAME}” was moved to the trash."));
    wait_card_gone(d, NAME, "the contact list");
    assert!(
        !search_finds(d, "Petraitis", "contact", NAME),
        "a contact in the trash must not be found by the search"
    );

    step("the trash lists it; Restore brings it back to the list and to the search");
    d.click_when_ready(&tid("nav-contacts"));
    d.click_when_ready(&tid("show-trash"));
    click_in_card(d, NAME, "record-restore");
    wait_notice(d, &format!("“{NAME}” was restored."));
    wait_card_gone(d, NAME, "the trash after the restore");
    d.click_when_ready(&tid("show-trash"));
    contact_card(d, NAME);
    assert!(
        search_finds(d, "Petraitis", "contact", NAME),
        "a restored contact must be found by the search again"
    );

    step("trash it again and erase it for good from the trash (asked first)");
    d.click_when_ready(&tid("nav-contacts"));
    click_in_card(d, NAME, "record-trash");
    d.click_when_ready(&tid("confirm-ok"));
    wait_notice(d, &format!("“{NAME}” was moved to the trash."));
    d.click_when_ready(&tid("show-trash"));
    click_in_card(d, NAME, "record-purge");
    d.click_when_ready(&tid("confirm-ok"));
    wait_notice(d, &format!("“{NAME}” was erased."));
    wait_card_gone(d, NAME, "the trash after the erase");
    d.click_when_ready(&tid("show-trash"));
    wait_card_gone(d, NAME, "the contact list after the erase");

    step("the search no longer finds the erased contact");
    assert!(
        !search_finds(d, "Petraitis", "contact", NAME),
        "an erased contact must be gone from the search index"
    );

    let violations = csp_violations(d);
    let closed = app.close();
    assert!(
        closed.survivors.is_empty(),
        "the app and its driver must end with the test: {:?}",
        closed.survivors
    );
    assert!(
        violations.is_empty(),
        "the trash and the deadlines must not trip the Content-Security-Policy: {violations:?}"
    );
}

/// The titles of the deadlines listed, once the list has loaded (the demo case always has some).
fn deadline_titles(d: &WebDriver) -> Vec<String> {
    d.wait_until("the deadline list", |d| {
        let rows = d.find_all(&tid("deadline-row"));
        let titles: Vec<String> = rows.iter().filter_map(|r| d.try_text(r).ok()).collect::<Vec<_>>();
        (!titles.is_empty() && titles.len() == rows.len()).then_some(titles)
    })
}

/// Waits for a notice of the screen to say `text`.
fn wait_notice(d: &WebDriver, text: &str) {
    d.wait_until(&format!("the notice {text:?}"), |d| {
        d.find_all("p.banner.info[role=status]")
            .iter()
            .any(|n| d.try_text(n).is_ok_and(|t| t.contains(text)))
            .then_some(())
    });
}

/// The row of the deadline titled `title`.
fn deadline_row(d: &WebDriver, title: &str) -> Element {
    d.wait_until(&format!("the deadline row of {title:?}"), |d| {
        d.find_all(&tid("deadline-row")).into_iter().find(|r| d.try_text(r).is_ok_and(|t| t.contains(title)))
    })
}

/// Clicks the button `testid` of the deadline row titled `title`.
fn click_in_deadline(d: &WebDriver, title: &str, testid: &str) {
    let row = deadline_row(d, title);
    let button = d
        .find_all_in(&row, &tid(testid))
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the deadline row of {title:?} must have the button {testid}"));
    click_centred(d, &button);
}

/// Clicks `el` after scrolling it to the middle of the window: the driver does not scroll an element it deems in
/// view, and a button at the bottom edge, under the table's scroll bar, then cannot be clicked.
fn click_centred(d: &WebDriver, el: &Element) {
    d.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![el.as_arg()])
        .unwrap_or_else(|e| panic!("cannot scroll `{}` into view: {e}", el.selector));
    d.click(el);
}

/// The contact card that shows `name`.
fn contact_card(d: &WebDriver, name: &str) -> Element {
    d.wait_until(&format!("the contact card of {name}"), |d| {
        d.find_all("li.card").into_iter().find(|c| d.try_text(c).is_ok_and(|t| t.contains(name)))
    })
}

/// Clicks the button `testid` of the contact card that shows `name`.
fn click_in_card(d: &WebDriver, name: &str, testid: &str) {
    let card = contact_card(d, name);
    let button = d
        .find_all_in(&card, &tid(testid))
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the card of {name} must have the button {testid}"));
    click_centred(d, &button);
}

/// Waits until no contact card shows `name` (the list reloaded without it).
fn wait_card_gone(d: &WebDriver, name: &str, where_: &str) {
    d.wait_until(&format!("{name} to be gone from {where_}"), |d| {
        d.find_all("li.card").iter().all(|c| d.try_text(c).is_ok_and(|t| !t.contains(name))).then_some(())
    });
}

/// Searches for `query` with the search box; true when a hit of `kind` names `name`.
fn search_finds(d: &WebDriver, query: &str, kind: &str, name: &str) -> bool {
    d.fill(&tid("search-input"), query);
    d.click_when_ready(&tid("search-submit"));
    let hits: Vec<(String, String)> = d.wait_until(&format!("the results of a search for {query:?}"), |d| {
        if d.try_find(&tid("search-none")).ok().flatten().is_some() {
            return Some(Vec::new());
        }
        let hits = d.find_all(&tid("search-hit"));
        if hits.is_empty() {
            return None;
        }
        hits.iter().map(|h| Some((d.try_attribute(h, "data-kind").ok()??, d.try_text(h).ok()?))).collect()
    });
    println!("   search {query:?}: {hits:?}");
    hits.iter().any(|(k, text)| k == kind && text.contains(name))
}

/// Saves a screenshot for a person to look at (the display lags the DOM by a frame or two, so it settles first).
fn screenshot(app: &App, name: &str) {
    thread::sleep(Duration::from_millis(1500));
    if let Some(path) = app.screenshot(name) {
        println!("   screenshot: {}", path.display());
    }
}

/// The exhibits of each section of the Bundle screen, waiting until they are `expected`.
fn wait_sections(d: &WebDriver, expected: &[&[i64]], after: &str) {
    let want: Vec<Vec<i64>> = expected.iter().map(|s| s.to_vec()).collect();
    let mut last = Vec::new();
    let found = d.poll(Duration::from_secs(10), |d| {
        let value = d
            .execute(
                "return [...document.querySelectorAll('[data-testid=\"bundle-section\"]')].map((s) => \
                 [...s.querySelectorAll('[data-testid^=\"bundle-exhibit-\"]')]\
                 .map((e) => Number(e.dataset.testid.slice('bundle-exhibit-'.length))));",
                vec![],
            )
            .ok()?;
        last = serde_json::from_value::<Vec<Vec<i64>>>(value).ok()?;
        (last == want).then_some(())
    });
    assert!(
        found.is_some(),
        "after {after} the sections must hold {want:?} in that order; they hold {last:?}"
    );
}

/// The annexes of request `id`, in order, as the backend holds them (read over IPC, not from the screen under test).
fn request_annexes(d: &WebDriver, id: i64) -> Vec<i64> {
    let requests = d
        .execute_async(
            "return await window.__TAURI_INTERNALS__.invoke('list_requests', { includeTrashed: false });",
            vec![],
        )
        .unwrap_or_else(|e| panic!("the requests could not be read over IPC: {e}"));
    let request = requests
        .as_array()
        .and_then(|all| all.iter().find(|r| r["id"].as_i64() == Some(id)))
        .unwrap_or_else(|| panic!("request {id} must be listed: {requests}"));
    request["annexes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|a| a["evidence"].as_i64().expect("an annex names its evidence item"))
        .collect()
}

/// Drags exhibit `item` onto the upper half of exhibit `before` with the page's own drag events (WebDriver has no
/// HTML drag and drop), so the screen's drop code runs as for a mouse.
fn drag_before(d: &WebDriver, item: i64, before: i64) {
    d.execute(
        "const src = document.querySelector(`[data-testid=\"bundle-exhibit-${arguments[0]}\"]`);\
         const dst = document.querySelector(`[data-testid=\"bundle-exhibit-${arguments[1]}\"]`);\
         const r = dst.getBoundingClientRect();\
         const at = { bubbles: true, cancelable: true, clientX: r.left + 10, clientY: r.top + 2 };\
         src.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true }));\
         dst.dispatchEvent(new DragEvent('dragenter', at));\
         dst.dispatchEvent(new DragEvent('dragover', at));\
         dst.dispatchEvent(new DragEvent('drop', at));\
         src.dispatchEvent(new DragEvent('dragend', { bubbles: true }));",
        vec![json!(item), json!(before)],
    )
    .unwrap_or_else(|e| panic!("dragging exhibit {item} before {before} failed: {e}"));
}

/// Clicks the option of a select whose text contains `text`, as a person would.
fn click_option(d: &WebDriver, select_testid: &str, text: &str) -> Element {
    let select = d.wait_for(&tid(select_testid));
    let option = d
        .find_all_in(&select, "option")
        .into_iter()
        .find(|o| d.try_text(o).is_ok_and(|t| t.contains(text)))
        .unwrap_or_else(|| panic!("the select {select_testid} must offer '{text}'"));
    d.click(&option);
    option
}

/// Chooses the option of a select whose text contains `text`, and checks that it is then selected.
fn choose_option(d: &WebDriver, select_testid: &str, text: &str) {
    let option = click_option(d, select_testid, text);
    assert_eq!(
        d.property(&option, "selected"),
        Value::Bool(true),
        "clicking '{text}' must select it in {select_testid}"
    );
}

/// A JPEG whose EXIF block holds a camera model ("Cam") and a GPS position (55.75 N, 37.6167 E): the backend
/// tests' fixture.
fn jpeg_with_gps() -> Vec<u8> {
    include_bytes!("../core/tests/data/gps-photo.jpg").to_vec()
}

/// axe-core's script, from the UI's npm packages.
fn read_axe() -> String {
    let axe_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/node_modules/axe-core/axe.min.js");
    fs::read_to_string(&axe_path).unwrap_or_else(|e| {
        panic!("cannot read {} ({e}): run `make ui-deps` (npm ci in ui/)", axe_path.display())
    })
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

/// A loopback HTTP server that counts connections (and would answer, so a request that got through shows as
/// success, not as an error).
struct CountingServer {
    port: u16,
    count: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl CountingServer {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let count = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, s) = (Arc::clone(&count), Arc::clone(&stop));
        let thread = thread::spawn(move || {
            // A 1×1 transparent GIF.
            const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b";
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        c.fetch_add(1, Ordering::SeqCst);
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
                        let mut buf = [0u8; 2048];
                        let _ = stream.read(&mut buf);
                        let head = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nAccess-Control-Allow-Origin: *\r\n\
                             Content-Length: {}\r\nConnection: close\r\n\r\n",
                            GIF.len()
                        );
                        let _ = stream.write_all(head.as_bytes());
                        let _ = stream.write_all(GIF);
                    }
                    Err(_) => thread::sleep(Duration::from_millis(20)),
                }
            }
        });
        CountingServer { port, count, stop, thread: Some(thread) }
    }

    fn connections(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Waits (briefly) until at least `n` connections were counted; returns the count.
    fn wait_for_connections(&self, n: usize) -> usize {
        let start = Instant::now();
        while self.connections() < n && start.elapsed() < Duration::from_secs(5) {
            thread::sleep(Duration::from_millis(20));
        }
        let got = self.connections();
        assert!(got >= n, "the test's HTTP server did not count the test's own connection");
        got
    }
}

impl Drop for CountingServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
