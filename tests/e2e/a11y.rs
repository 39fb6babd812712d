//! Accessibility of the main screens, checked with axe-core in the real window.

use super::*;

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
    lock(&app, LockBy::Button);
    failures.extend(axe_check(d, &axe, "unlock"));

    close_app(app);
    assert!(
        failures.is_empty(),
        "a person using a screen reader, the keyboard or low vision must be able to use these screens; serious or \
         critical axe violations:\n{}",
        failures.join("\n")
    );
}

fn has_arabic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// The page's `dir` and `lang`.
fn direction(d: &WebDriver) -> (String, String) {
    let v = d
        .execute("return [document.documentElement.dir, document.documentElement.lang];", vec![])
        .unwrap_or(Value::Null);
    (v[0].as_str().unwrap_or_default().to_owned(), v[1].as_str().unwrap_or_default().to_owned())
}

/// The text of every heading on the screen.
fn headings(d: &WebDriver) -> Vec<String> {
    let v = d
        .execute(
            "return [...document.querySelectorAll('main h1, main h2')].map((h) => h.textContent.trim());",
            vec![],
        )
        .unwrap_or(Value::Null);
    v.as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|h| h.as_str().map(str::to_owned))
        .collect()
}

/// Issue 14 §1: the language is chosen on the first screen, before a journal exists; Arabic turns the whole window
/// right to left (the sidebar moves to the right edge), every heading of the overview is Arabic and axe finds no
/// serious violation; Turkish and Ukrainian read in their own words, left to right. The overview's screenshots in
/// Arabic and Turkish are left in the test's logs (docs/screenshots/ holds copies looked at by a person).
#[test]
fn languages_of_the_interface_right_to_left_included() {
    let axe = read_axe();
    let passphrase = format!("horse staple {}", random_hex(8));
    let app = App::start("languages_of_the_interface_right_to_left_included");
    let d = &app.driver;

    step("1. Arabic on the first screen, before a journal exists: the window turns right to left");
    d.click_when_ready(&format!("{} option[value=\"ar\"]", tid("front-language")));
    d.wait_until("the window to turn right to left", |d| (direction(d).0 == "rtl").then_some(()));
    assert_eq!(
        direction(d),
        ("rtl".to_owned(), "ar".to_owned()),
        "screen readers must read Arabic as Arabic"
    );
    let create = d.wait_for_text(&tid("welcome-create"), "the create button in Arabic", has_arabic);
    println!("   first screen's button in Arabic: {create}");

    step("2. a journal created in Arabic: the overview's headings are Arabic, the sidebar at the right edge");
    create_vault(d, &passphrase);
    d.click_when_ready(&tid("nav-overview"));
    d.wait_for_text(&tid("overview-heading"), "an Arabic heading", has_arabic);
    let seen = headings(d);
    assert!(
        !seen.is_empty() && seen.iter().all(|h| has_arabic(h)),
        "every heading of the overview must be Arabic: {seen:?}"
    );
    let (nav_left, width) = {
        let v = d
            .execute(
                "const r = document.querySelector('nav').getBoundingClientRect(); return [r.left, window.innerWidth];",
                vec![],
            )
            .unwrap_or(Value::Null);
        (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0))
    };
    assert!(
        nav_left > width / 2.0,
        "the sidebar must stand at the right edge in Arabic: left {nav_left} of {width}"
    );
    // A hash or a code (`.mono`), and a draft's English (`lang="en"`), keep left to right, isolated from the Arabic
    // around them (README: "every hash isolated so it never reorders the words around it").
    let styles = d
        .execute(
            "const out = []; for (const [cls, lang] of [['mono', ''], ['', 'en']]) { \
             const e = document.createElement('span'); if (cls) e.className = cls; if (lang) e.lang = lang; \
             e.textContent = 'SHA-256 3f2a…'; document.querySelector('main').append(e); \
             const s = getComputedStyle(e); out.push([s.direction, s.unicodeBidi]); e.remove(); } return out;",
            vec![],
        )
        .unwrap_or(Value::Null);
    assert_eq!(styles, json!([["ltr", "isolate"], ["ltr", "isolate"]]), "inside the Arabic interface");
    let mut failures = axe_check(d, &axe, "overview in Arabic");
    screenshot(&app, "overview-ar.png");

    step("3. Turkish: left to right, Turkish words");
    set_language(d, "tr");
    d.click_when_ready(&tid("nav-overview"));
    assert_eq!(direction(d), ("ltr".to_owned(), "tr".to_owned()));
    let heading = d.wait_for_text(&tid("overview-heading"), "a Turkish heading", |t| {
        !t.is_empty() && !has_arabic(t) && !has_cyrillic(t) && t != "Overview"
    });
    println!("   overview heading in Turkish: {heading}");
    failures.extend(axe_check(d, &axe, "overview in Turkish"));
    screenshot(&app, "overview-tr.png");

    step("4. Ukrainian: Ukrainian letters");
    set_language(d, "uk");
    d.click_when_ready(&tid("nav-overview"));
    assert_eq!(direction(d), ("ltr".to_owned(), "uk".to_owned()));
    d.wait_for_text(&tid("overview-heading"), "a Cyrillic heading", has_cyrillic);
    let text = page_text(d);
    assert!(
        text.chars().any(|c| "іїєґІЇЄҐ".contains(c)),
        "the Ukrainian interface must use Ukrainian letters, not Russian: {text}"
    );
    set_language(d, "en");

    close_app(app);
    assert!(failures.is_empty(), "serious or critical axe violations:\n{}", failures.join("\n"));
}

/// Issue 14 §3 and §5: with a Russian interface the demo case speaks Russian (its deadlines, its requests' own
/// titles), and the grounds step of its French draft shows each ground in French, as the draft says it, and in
/// Russian beside it, marked as Russian for screen readers.
#[test]
fn the_demo_in_russian_explains_the_grounds_of_a_french_draft_in_russian() {
    let texts: Value = serde_json::from_str(
        &fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/texts/ru.json")).unwrap(),
    )
    .unwrap();
    let app = App::start("the_demo_in_russian_explains_the_grounds_of_a_french_draft_in_russian");
    let d = &app.driver;

    step("1. Russian on the first screen, then the demo case");
    d.click_when_ready(&format!("{} option[value=\"ru\"]", tid("front-language")));
    d.wait_until("the page to be in Russian", |d| (direction(d).1 == "ru").then_some(()));
    d.click_when_ready(&tid("welcome-demo"));
    d.wait_for(&tid("nav-overview"));
    let overdue = texts["deadlines"][0]["title"].as_str().unwrap();
    d.wait_until("the demo's deadline in Russian on the overview", |d| {
        page_text(d).contains(overdue).then_some(())
    });

    step("2. the French draft's grounds step: French as the draft says it, Russian beside it");
    d.click_when_ready(&tid("nav-requests"));
    let french = texts["requests"][1]["title"].as_str().unwrap();
    let row = d.wait_until("the French draft's row, titled in Russian", |d| {
        d.find_all(&tid("request-row")).into_iter().find(|r| d.text(r).contains(french))
    });
    d.click(&d.find_all_in(&row, &tid("request-open")).into_iter().next().expect("the row's Open button"));
    let steps = d.wait_until("the wizard's steps", |d| {
        let s = d.find_all(&tid("wizard-step"));
        (s.len() >= 5).then_some(s)
    });
    d.click(&steps[4]);
    let own = d.wait_until("a ground explained in Russian", |d| {
        d.find_all("[data-testid^=\"ground-own-\"]").into_iter().next()
    });
    assert_eq!(d.attribute(&own, "lang").as_deref(), Some("ru"), "marked as Russian for screen readers");
    let explained = d.text(&own);
    assert!(has_cyrillic(&explained), "the ground in Russian: {explained}");
    let french_words: Vec<String> = serde_json::from_value(
        d.execute("return [...document.querySelectorAll('.ground-title span[lang=\"fr\"]')].map((s) => s.textContent);", vec![])
            .unwrap_or(Value::Null),
    )
    .unwrap_or_default();
    assert!(
        !french_words.is_empty() && french_words.iter().all(|w| !has_cyrillic(w)),
        "each ground's title as the French draft says it: {french_words:?}"
    );
    screenshot(&app, "grounds-ru-fr.png");

    step("3. the wizard's first step offers all four working languages, Arabic too (issue 14 §2)");
    let open_first_step = |d: &WebDriver| {
        d.click_when_ready(&tid("nav-requests"));
        let row = d.wait_until("the French draft's row", |d| {
            d.find_all(&tid("request-row")).into_iter().find(|r| d.text(r).contains(french))
        });
        d.click(
            &d.find_all_in(&row, &tid("request-open")).into_iter().next().expect("the row's Open button"),
        );
        let steps = d.wait_until("the wizard's steps", |d| {
            let s = d.find_all(&tid("wizard-step"));
            (s.len() >= 5).then_some(s)
        });
        d.click(&steps[0]);
        d.wait_for(&tid("request-language"));
        let offered: Vec<(String, bool)> = serde_json::from_value(
            d.execute(
                "return [...document.querySelectorAll('[data-testid=\"request-language\"] option')]\
                 .map((o) => [o.value, o.disabled]);",
                vec![],
            )
            .unwrap_or(Value::Null),
        )
        .unwrap_or_default();
        let codes: Vec<&str> = offered.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["en", "fr", "es", "ar"], "the CCF's working languages");
        assert!(offered.iter().all(|(_, disabled)| !disabled), "none is disabled: {offered:?}");
        // For the screenshot: the language field in view.
        let _ = d.execute(
            "document.querySelector('[data-testid=\"request-language\"]').scrollIntoView({ block: 'center' });",
            vec![],
        );
    };
    open_first_step(d);
    screenshot(&app, "wizard-language-ru.png");
    set_language(d, "en");
    open_first_step(d);
    screenshot(&app, "wizard-language-en.png");
    close_app(app);
}
