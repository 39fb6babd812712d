//! Scans in the window (issue 13, item 3): a scanned page dropped on the window is read by "Recognise text" in the
//! sandboxed worker beside the app, its text shown page by page, found by the search box, and marked where the
//! search found it when the item is opened from the results.

use super::*;

#[test]
fn a_scanned_page_is_recognised_shown_and_found() {
    let app = App::start("a_scanned_page_is_recognised_shown_and_found");
    let d = &app.driver;
    let page = app.dirs.files.join("постановление.png");
    let drawn = Command::new("convert")
        .args(["-size", "1500x300", "xc:white", "-font", "DejaVu-Sans", "-pointsize", "44", "-fill", "black"])
        .args(["-annotate", "+50+110", "Постановление Тверского суда"])
        .args(["-annotate", "+50+210", "Extradition request refused"])
        .arg(&page)
        .status()
        .expect("ImageMagick's convert draws the test page; `make deps` installs it");
    assert!(drawn.success());
    let original = Original { sha256: sha256_hex(&fs::read(&page).unwrap()), path: page };

    step("create the journal and drop the scan");
    record_csp_violations(d);
    create_vault(d, &format!("scan e2e {}", random_hex(6)));
    drop_files(d, &[&original]);

    step("open it: no text yet; 'Recognise text' reads it in the worker, with the page's lines shown");
    open_item(d, "постановление");
    d.wait_for_text(&tid("evidence-text"), "the empty text card", |t| {
        t.contains("No text has been recognised")
    });
    d.click_when_ready(&tid("ocr-run"));
    let notice = d.wait_for_text(&tid("ocr-notice"), "the end of the run", |t| t.contains("Text recognised"));
    assert!(notice.contains("Pages: 1."), "one page was read: {notice}");
    let text = d.wait_for_text(&tid("ocr-text"), "the recognised text", |t| t.contains("Тверского"));
    assert!(text.contains("Extradition"), "both lines are shown: {text}");
    assert!(d.find_all(&tid("ocr-page")).len() == 1, "a picture is one page");
    screenshot(&app, "ocr-text.png");

    step("search for a word of the scan: the item is found, and opened from the results the word is marked");
    d.fill(&tid("search-input"), "тверск");
    d.click_when_ready(&tid("search-submit"));
    let hit = d.wait_until("the scan among the search results", |d| {
        d.find_all(&tid("search-hit"))
            .into_iter()
            .find(|h| d.attribute(h, "data-kind").as_deref() == Some("evidence"))
    });
    let open = d.find_all_in(&hit, "button").into_iter().next().expect("a search hit opens its item");
    d.click(&open);
    let marked = d.wait_until("the searched word marked in the text", |d| {
        let marks = d.find_all(&format!("{} mark", tid("ocr-text")));
        let words: Vec<String> = marks.iter().filter_map(|m| d.try_text(m).ok()).collect();
        (!words.is_empty()).then_some(words)
    });
    assert_eq!(marked, ["Тверского"], "exactly the word the search found is marked");
    assert!(csp_violations(d).is_empty(), "no CSP violation: {:?}", csp_violations(d));
}

/// Issue 13 §4 in the window: an item is marked as the translation of another on its page, the list then folds it
/// under its original (a toggle unfolds it), and the original's page lists it.
#[test]
fn a_translation_is_linked_on_its_page_and_folded_under_its_original() {
    let app = App::start("a_translation_is_linked_on_its_page_and_folded_under_its_original");
    let d = &app.driver;
    let ruling = write_original(&app.dirs.files, "решение-суда.txt", "Решение Тверского суда".as_bytes());
    let english = write_original(&app.dirs.files, "ruling-en.txt", b"Ruling of the Tverskoy court");

    step("create the journal and drop the ruling and its translation");
    record_csp_violations(d);
    create_vault(d, &format!("translation e2e {}", random_hex(6)));
    drop_files(d, &[&ruling, &english]);

    step("open the translation and link it to the ruling: English, certified");
    open_item(d, "ruling-en");
    d.wait_for_text(&tid("translation-section"), "the translation card", |t| {
        t.contains("translation of another")
    });
    d.click_when_ready(&tid("translation-mark"));
    super::bundle::choose_option(d, "translation-original", "решение-суда");
    super::bundle::choose_option(d, "translation-language", "English");
    d.click_when_ready(&tid("translation-certified"));
    d.click_when_ready(&tid("translation-save"));
    let summary =
        d.wait_for_text(&tid("translation-summary"), "the saved link", |t| t.contains("решение-суда"));
    assert!(summary.contains("translation into English"), "{summary}");
    let card = d.text(&d.find(&tid("translation-section")));
    assert!(card.contains("Certified translation"), "{card}");
    screenshot(&app, "translation-linked.png");

    step("the list folds the translation under the ruling; the toggle unfolds it");
    d.click_when_ready(&tid("nav-overview"));
    d.click_when_ready(&tid("nav-evidence"));
    let rows = evidence_rows(d, 1);
    assert_rows_match(&rows, &[&ruling], "with the translation folded");
    let toggle = d.wait_for(&tid("evidence-translations-toggle"));
    assert_eq!(d.attribute(&toggle, "aria-expanded").as_deref(), Some("false"));
    d.click(&toggle);
    let rows = evidence_rows(d, 2);
    assert_rows_match(&rows, &[&ruling, &english], "unfolded");
    assert!(rows[1].1.contains("translation into English") && rows[1].1.contains("ruling-en"), "{rows:?}");
    let row = d.find_all(&tid("evidence-row")).remove(1);
    let original_id = d.attribute(&d.find_all(&tid("evidence-row"))[0], "data-id");
    assert_eq!(
        d.attribute(&row, "data-translation-of"),
        original_id,
        "the folded row is the ruling's translation"
    );
    screenshot(&app, "translation-folded.png");

    step("the ruling's page lists its translation");
    open_item(d, "решение-суда");
    let list =
        d.wait_for_text(&tid("translation-list"), "the ruling's translations", |t| t.contains("ruling-en"));
    assert!(list.contains("English"), "{list}");
    assert!(csp_violations(d).is_empty(), "no CSP violation: {:?}", csp_violations(d));
}
