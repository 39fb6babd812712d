//! The counsel bundle as a person prepares it in the demo case, and a bundle opened from a CCF request.

use super::*;

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
    close_app(app);
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
pub(super) fn click_option(d: &WebDriver, select_testid: &str, text: &str) -> Element {
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
pub(super) fn choose_option(d: &WebDriver, select_testid: &str, text: &str) {
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
    include_bytes!("../../core/tests/data/gps-photo.jpg").to_vec()
}
