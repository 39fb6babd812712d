//! Trash, restore and purge, and computed deadlines added to the person's own deadlines.

use super::*;

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
    close_app(app);
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
