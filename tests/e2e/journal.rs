//! A case journal kept in the real window: a vault created, files dropped and previewed, records, lock and unlock,
//! re-key; nothing in the clear on disk.

use super::*;

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
    lock(&app, LockBy::Button);
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

    step("3. lock with Ctrl+L and unlock: the attention banner names the deadline");
    lock(&app, LockBy::Keys);
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
    // Settings → Security lists what a worker started now reports. The app starts redress-worker (no WebKit, one
    // thread): started as its own worker, the app had a second thread before `main`, so the namespace could not
    // be made and Landlock covered one thread only (issue 12 §1).
    let layers: Vec<(String, bool)> = d.wait_until("the worker's protections listed in Settings", |d| {
        let value = d
            .execute(
                "return [...document.querySelectorAll('[data-testid=\"security-layers\"] li')]\
                 .map((li) => [li.dataset.layer, li.dataset.active === 'true']);",
                vec![],
            )
            .ok()?;
        let rows: Vec<(String, bool)> = value
            .as_array()?
            .iter()
            .map(|r| (r[0].as_str().unwrap_or_default().to_owned(), r[1].as_bool().unwrap_or(false)))
            .collect();
        (!rows.is_empty()).then_some(rows)
    });
    println!("   worker protections: {layers:?}");
    let active = |layer: &str| layers.iter().any(|(l, on)| l == layer && *on);
    for layer in [
        "single_thread",
        "clean_environment",
        "no_inherited_files",
        "no_new_privileges",
        "system_call_filter",
    ] {
        assert!(active(layer), "Settings must show the worker's {layer} as active: {layers:?}");
    }
    if Command::new("unshare").args(["-Urn", "true"]).status().is_ok_and(|s| s.success()) {
        assert!(
            active("no_network"),
            "user namespaces work here, so the worker must have no network: {layers:?}"
        );
    }
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
    confirm_recovery_key(d, &new_key);
    d.wait_for_text(&tid("passphrase-notice"), "the re-encryption notice", |t| !t.is_empty());
    lock(&app, LockBy::Button);
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
