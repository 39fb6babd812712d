//! Scans from the CLI (issue 13, item 5): `ocr ID` reads a page in the isolated worker (this executable, started
//! again) with progress lines on stderr, `text ID` prints it page by page, `search` finds a word of it, and a
//! language that is not installed is refused with its name, changing nothing.

use std::process::Command;

use crate::common::*;
use crate::run_cli;

#[test]
fn issue_13_ocr_text_and_search_from_the_cli() {
    let dir = scratch();
    let pass_file = write(dir.path(), "pass", PASSPHRASE.as_bytes());
    let vault = dir.path().join("vault");
    let cli = |args: &[&str]| run_cli(&vault, &pass_file, args);
    let page = dir.path().join("ruling.png");
    let drawn = Command::new("convert")
        .args(["-size", "1500x300", "xc:white", "-font", "DejaVu-Sans", "-pointsize", "44", "-fill", "black"])
        .args(["-annotate", "+50+110", "Постановление Тверского суда"])
        .args(["-annotate", "+50+210", "Extradition request refused"])
        .arg(&page)
        .status()
        .expect("ImageMagick's convert draws the test page; `make deps` installs it");
    assert!(drawn.success());
    let (ok, text) = cli(&["init"]);
    assert!(ok, "{text}");
    let (ok, text) = cli(&["import", page.to_str().unwrap()]);
    assert!(ok && text.starts_with("imported 1 "), "{text}");

    let (ok, text) = cli(&["ocr", "1", "--lang", "rus+deu"]);
    assert!(!ok && text.contains("'deu' is not installed"), "a missing language is named: {text}");
    let (ok, text) = cli(&["text", "1"]);
    assert!(!ok && text.contains("no recognised text yet"), "the refused run stored nothing: {text}");

    let (ok, text) = cli(&["ocr", "1"]);
    assert!(ok, "{text}");
    assert!(text.contains("recognised evidence 1: version 1, 1 page(s)"), "{text}");
    assert!(text.contains("languages rus+eng") && text.contains("progress 1 1"), "{text}");

    let (ok, text) = cli(&["text", "1"]);
    assert!(ok && text.contains("--- page 1 ---"), "{text}");
    assert!(text.contains("Тверского") && text.contains("Extradition"), "{text}");
    let (ok, text) = cli(&["search", "тверск"]);
    assert!(ok && text.starts_with("evidence     1"), "search finds a word recognised in the scan: {text}");

    let (ok, text) = cli(&["ocr", "1", "--lang", "eng", "--json"]);
    assert!(ok, "{text}");
    let json: serde_json::Value = serde_json::from_str(text.split("progress").next().unwrap()).unwrap();
    assert_eq!((json["version"].as_u64(), json["languages"].as_str()), (Some(2), Some("eng")), "{json}");
    let (ok, text) = cli(&["text", "1", "--versions"]);
    assert!(ok && text.lines().count() == 2 && text.contains("version 1  rus+eng"), "{text}");
}

/// Issue 13 §5: `translation link` marks an item as the translation of another, `translation list` shows the
/// links, `show` names both ends, a link that cannot hold is refused with words, and `unlink` removes it.
#[test]
fn issue_13_translation_link_list_and_unlink_from_the_cli() {
    let dir = scratch();
    let pass_file = write(dir.path(), "pass", PASSPHRASE.as_bytes());
    let vault = dir.path().join("vault");
    let cli = |args: &[&str]| run_cli(&vault, &pass_file, args);
    let ruling = write(dir.path(), "ruling-ru.txt", "Постановление суда".as_bytes());
    let english = write(dir.path(), "ruling-en.txt", b"Ruling of the court");
    assert!(cli(&["init"]).0);
    let (ok, text) =
        cli(&["import", ruling.to_str().unwrap(), english.to_str().unwrap(), "--language", "ru"]);
    assert!(ok, "{text}");

    let (ok, text) =
        cli(&["translation", "link", "1", "2", "--lang", "EN", "--translator", "A. T.", "--certified"]);
    assert!(ok && text.contains("evidence 2 is now the English translation of evidence 1"), "{text}");
    let (ok, text) = cli(&["translation", "list"]);
    assert!(
        ok && text.contains("2 'ruling-en' translates 1 'ruling-ru': English, certified, by A. T."),
        "{text}"
    );
    let (ok, text) = cli(&["translation", "list", "--json"]);
    let links: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(ok && links[0]["translation"] == 2 && links[0]["original"] == 1 && links[0]["language"] == "en");
    let (ok, text) = cli(&["show", "1"]);
    assert!(ok && text.contains("translations:  2 (en)"), "{text}");
    let (ok, text) = cli(&["show", "2"]);
    assert!(ok && text.contains("translation:   of evidence 1 into en, certified"), "{text}");

    let (ok, text) = cli(&["translation", "link", "2", "1", "--lang", "ru"]);
    assert!(!ok && text.contains("is itself a translation of item 1"), "{text}");
    // A language's name is read as its code (`English` as en); what names none is refused.
    let (ok, text) = cli(&["translation", "link", "1", "2", "--lang", "engl1sh"]);
    assert!(!ok && text.contains("'engl1sh' is not a language code"), "{text}");
    let (ok, text) = cli(&["translation", "list", "--json"]);
    assert!(ok && text.contains("\"certified\": true"), "the refused links changed nothing: {text}");

    let (ok, text) = cli(&["translation", "unlink", "2"]);
    assert!(ok && text.contains("no longer linked"), "{text}");
    let (ok, text) = cli(&["translation", "list"]);
    assert!(ok && text.contains("no translations are linked"), "{text}");
    let (ok, text) = cli(&["translation", "unlink", "2"]);
    assert!(!ok && text.contains("is not linked as a translation"), "{text}");
}
