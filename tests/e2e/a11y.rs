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
