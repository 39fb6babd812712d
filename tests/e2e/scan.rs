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
