//! Issue 14 §4: countries and languages by code, named in the interface's language and picked from a list.

use super::*;

/// The value of a place field (a combobox input found by its data-testid).
fn field_value(d: &WebDriver, testid: &str) -> String {
    d.property(&d.wait_for(&tid(testid)), "value").as_str().unwrap_or_default().to_owned()
}

/// Empties a field as a person deleting its text would (an input event the field hears), then types `text`.
fn retype(d: &WebDriver, testid: &str, text: &str) -> Element {
    let el = d.wait_for(&tid(testid));
    d.click(&el);
    d.execute(
        "const e = arguments[0]; e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![el.as_arg()],
    )
    .unwrap();
    d.send_keys(&el, text);
    eprintln!("{testid} now reads '{}'", field_value(d, testid));
    el
}

/// With a Russian interface, the demo's countries (typed in English in its manifest, stored as codes) show in
/// Russian; a country is found by typing the start of its Russian name and picked with the keyboard, saved, and
/// shown again by name; a value that names no country is said to be kept as typed.
#[test]
fn countries_are_picked_by_name_in_russian_and_kept_as_codes() {
    let app = App::start("countries_are_picked_by_name_in_russian_and_kept_as_codes");
    let d = &app.driver;

    step("1. Russian on the first screen, then the demo case");
    d.click_when_ready(&format!("{} option[value=\"ru\"]", tid("front-language")));
    d.wait_until("the page to be in Russian", |d| {
        let lang = d.execute("return document.documentElement.lang;", vec![]).ok()?;
        (lang.as_str() == Some("ru")).then_some(())
    });
    d.click_when_ready(&tid("welcome-demo"));
    d.wait_for(&tid("nav-overview"));

    step("2. the profile names the demo's countries in Russian");
    d.click_when_ready(&tid("nav-profile"));
    d.wait_until("Lithuania in Russian", |d| {
        (field_value(d, "profile-current-country") == "Литва").then_some(())
    });
    assert_eq!(field_value(d, "profile-nationalities"), "Россия");
    assert_eq!(field_value(d, "profile-issuing-country"), "Россия");

    step("3. typing the start of a Russian name offers it; the keyboard picks it");
    let issuing = retype(d, "profile-issuing-country", "Тур");
    let offered = d.wait_until("the list of suggestions", |d| {
        let options: Vec<String> = d.find_all("[role=\"option\"]").iter().map(|o| d.text(o)).collect();
        (!options.is_empty()).then_some(options)
    });
    // Sorted as Russian sorts: Turkmenistan, then Turkey.
    assert_eq!(offered, ["Туркменистан TM", "Турция TR"], "by their Russian names, with their codes");
    assert_eq!(d.attribute(&issuing, "aria-expanded").as_deref(), Some("true"));
    screenshot(&app, "place-list-ru.png");
    // Down twice to the second, Enter to pick it.
    d.send_keys(&issuing, "\u{E015}\u{E015}\u{E007}");
    d.wait_until("the pick in the field", |d| {
        (field_value(d, "profile-issuing-country") == "Турция").then_some(())
    });
    assert_eq!(d.attribute(&issuing, "aria-expanded").as_deref(), Some("false"), "the list closes");

    step("4. an English name is read as its country too; a value that names no country is said to be kept as typed");
    retype(d, "profile-current-country", "Lithuania");
    d.click_when_ready(&tid("profile-nationalities")); // away from the field: the list closes
    thread::sleep(Duration::from_millis(300));
    assert!(
        !page_text(d).contains("сохранится так, как вы написали"),
        "Lithuania is stored as LT, not as typed"
    );
    retype(d, "profile-current-country", "Руритания");
    d.wait_until("the kept-as-typed note", |d| {
        page_text(d).contains("сохранится так, как вы написали: Руритания").then_some(())
    });

    step("5. saved, left and opened again: Turkey by name, Ruritania as typed");
    d.click_when_ready(&tid("profile-save"));
    d.wait_for("[role=\"status\"].banner");
    d.click_when_ready(&tid("nav-contacts"));
    d.wait_until("Lithuania named in Russian in the contacts list", |d| {
        page_text(d).contains("Литва").then_some(())
    });
    d.click_when_ready(&tid("nav-profile"));
    d.wait_until("the saved country", |d| {
        (field_value(d, "profile-issuing-country") == "Турция").then_some(())
    });
    assert_eq!(field_value(d, "profile-current-country"), "Руритания");
    close_app(app);
}
