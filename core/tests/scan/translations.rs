//! Translations linked to their originals (issue 13, item 4): the scanned Russian page and an English translation
//! of it, linked; the bundle places the translation right after its original and says so in its index, headings
//! and stamps (read back with `pdftotext`); a CCF request annexing the original is warned until the translation is
//! linked, and its draft then annexes the translation after it. Links that cannot hold are refused with words and
//! change nothing.

use redress_core::ccf::draft::AnnexPages;
use redress_core::ccf::{Annex, RequestInput};
use redress_core::evidence::EvidenceMeta;
use redress_core::records::translations::{TranslationInput, TranslationOf};
use redress_core::rules::RequestType;
use redress_core::{Error, Reason};

use super::*;
use crate::common::write;

fn import_meta(vault: &mut Vault, path: &Path, title: &str, language: &str) -> i64 {
    let source = check_source(path).unwrap();
    let meta = EvidenceMeta { title: Some(title.into()), language: language.into(), ..Default::default() };
    vault.journal_mut().import(&source, &meta, &mut no_progress()).unwrap().id
}

fn english(original: i64) -> TranslationInput {
    TranslationInput {
        original,
        language: "EN".into(),
        translator: "A. Translator".into(),
        certified: true,
        date: "2026-11".into(),
    }
}

fn annex_warnings(vault: &Vault, request: i64) -> Vec<(Option<u32>, Option<i64>)> {
    let list = vault.journal().checklist(request, 1, 0).unwrap();
    list.items
        .iter()
        .filter(|i| i.key == "annex_translation" && !i.passed)
        .map(|i| (i.annex, i.evidence))
        .collect()
}

#[test]
fn issue_13_a_translation_follows_its_original_in_the_bundle_and_the_draft() {
    let dir = scratch();
    let png = page(dir.path(), "page.png", &LINES);
    let (mut vault, _) = new_vault(dir.path());
    let other = write(dir.path(), "letter.txt", b"A letter from the employer, in English.");
    let other = import_meta(&mut vault, &other, "Employer letter", "en");
    let original = import_meta(&mut vault, &png, "Basmanny court judgment", "ru");
    let text =
        write(dir.path(), "judgment-en.txt", b"Judgment of the Basmanny district court (translation).");
    let translation = import_meta(&mut vault, &text, "Judgment in English", "");

    // A request annexing the Russian scan is warned: no translation into the draft's language.
    let input = RequestInput {
        title: "Deletion".into(),
        request_type: Some(RequestType::CorrectionDeletion),
        language: "en".into(),
        annexes: vec![
            Annex { evidence: other, confidential: false },
            Annex { evidence: original, confidential: true },
        ],
        ..Default::default()
    };
    let request = vault.journal_mut().add_request(&input).unwrap();
    assert_eq!(annex_warnings(&vault, request), [(Some(2), Some(original))]);

    let before = vault.journal().evidence(translation).unwrap().state;
    vault.journal_mut().link_translation(translation, &english(original)).unwrap();
    let linked = vault.journal().evidence(translation).unwrap().state;
    assert_eq!(
        linked.translation,
        Some(TranslationOf {
            original,
            language: "en".into(),
            translator: "A. Translator".into(),
            certified: true,
            date: Some(redress_core::dates::FuzzyDate::parse("d", "2026-11").unwrap()),
        })
    );
    assert_eq!(
        (linked.title.as_str(), linked.sha256.as_str()),
        (before.title.as_str(), before.sha256.as_str())
    );
    let history = vault.journal().history(Kind::Evidence, translation).unwrap();
    assert_eq!(history.last().map(|h| h.action.as_str()), Some("edit"), "the link is a new, audited version");
    assert!(vault.journal().verify().unwrap().problems.is_empty(), "the chain still verifies");

    // The checklist warning is gone, and the draft annexes the translation right after its original.
    assert_eq!(annex_warnings(&vault, request), []);
    let draft =
        redress_core::ccf::draft::assemble(vault.journal(), request, None, &AnnexPages::default()).unwrap();
    let annexes = draft.sections.iter().find(|s| s.text.contains("Employer letter")).unwrap().text.clone();
    let lines: Vec<&str> = annexes.lines().filter(|l| l.starts_with(char::is_numeric)).collect();
    assert_eq!(lines.len(), 3, "{annexes}");
    assert!(lines[0].starts_with("1. Employer letter"), "{annexes}");
    assert!(lines[1].starts_with("2. Basmanny court judgment"), "{annexes}");
    assert!(
        lines[2].starts_with("3. Judgment in English — English translation of Annex 2 (certified)")
            && lines[2].ends_with("yes"),
        "the translation of a confidential annex is listed after it, confidential too: {annexes}"
    );
    assert!(!draft.document.blocks.is_empty());
    let spec = redress_core::bundle::BundleSpec::for_request(vault.journal(), request).unwrap();
    assert_eq!(spec.sections[0].items, [other, original, translation], "the request's bundle holds it too");

    // In a bundle chosen in another order, the translation moves right after its original.
    let spec = redress_core::bundle::BundleSpec::for_items(&[translation, other, original]);
    let plan = vault.journal().bundle_plan(&spec, &worker()).unwrap();
    type Planned = (u32, i64, Option<(String, Option<u32>)>);
    let planned: Vec<Planned> = plan
        .iter()
        .map(|p| (p.number, p.evidence, p.translation.as_ref().map(|t| (t.language.clone(), t.of))))
        .collect();
    assert_eq!(
        planned,
        [(1, other, None), (2, original, None), (3, translation, Some(("en".to_owned(), Some(2))))],
        "the check shows the order the export writes"
    );
    let out = dir.path().join("bundle.pdf");
    redress_core::bundle::export(&mut vault, &spec, None, &out, &worker(), &mut |_| true).unwrap();
    let check = Command::new("qpdf").arg("--check").arg(&out).output().expect("qpdf (`make deps`)");
    assert!(check.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&check.stdout));
    let pages = pdf_pages_text(&out);
    let index = pages.iter().find(|p| p.contains("SHA-256 of the original")).unwrap();
    let squeezed = crate::common::squeeze(index);
    let sq = crate::common::squeeze;
    let at =
        |s: &str| squeezed.find(&sq(s)).unwrap_or_else(|| panic!("'{s}' is not in the index: {squeezed}"));
    assert!(at("Employer letter") < at("Basmanny court judgment"));
    assert!(at("Basmanny court judgment") < at("Translation: Exhibit 3 (English)"));
    assert!(at("Translation: Exhibit 3 (English)") < at("Judgment in English"));
    assert!(at("Judgment in English") < at("English translation of Exhibit 2 (certified)"));
    // The promise of the item page ("the bundle does not name the translator"), tried on every page's text, the
    // document's metadata and every uncompressed stream of the file.
    let everything = sq(&pages.join("\n"));
    assert!(!everything.contains(&sq("A. Translator")), "the translator's name is on no page of the bundle");
    let info = crate::common::tool("pdfinfo", &[], &out);
    assert!(!info.contains("Translator"), "nor in its metadata: {info}");
    let mut doc = lopdf::Document::load(&out).unwrap();
    doc.decompress();
    let mut raw = Vec::new();
    doc.save_to(&mut raw).unwrap();
    assert!(!raw.windows(10).any(|w| w == b"Translator"), "nor anywhere in the file's streams");
    let original_page = pages.iter().find(|p| p.contains("Exhibit 2 (translation: Ex. 3) · page 1 of 1"));
    assert!(original_page.is_some(), "the original's stamp names its translation: {pages:?}");
    let heading = "Exhibit 3 — English translation of Exhibit 2 (certified) — Judgment in English";
    let translated = pages.iter().find(|p| sq(p).contains(&sq(heading)));
    let translated = translated.unwrap_or_else(|| panic!("no page with '{heading}': {pages:?}"));
    assert!(translated.contains("Basmanny district court (translation)"), "{translated}");
    assert!(translated.contains("Exhibit 3 (English translation of Ex. 2) · page 1 of 1"), "{translated}");

    // Unlinked, the warning comes back and the bundle keeps the chosen order.
    vault.journal_mut().unlink_translation(translation).unwrap();
    assert_eq!(annex_warnings(&vault, request), [(Some(2), Some(original))]);
    let spec = redress_core::bundle::BundleSpec::for_request(vault.journal(), request).unwrap();
    assert_eq!(spec.sections[0].items, [other, original]);
}

#[test]
fn issue_13_a_link_that_cannot_hold_is_refused_and_changes_nothing() {
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let add = |vault: &mut Vault, name: &str| {
        let path = write(dir.path(), name, name.as_bytes());
        import_meta(vault, &path, name, "ru")
    };
    let original = add(&mut vault, "ruling.txt");
    let translation = add(&mut vault, "ruling-en.txt");
    let third = add(&mut vault, "ruling-fr.txt");
    let trashed = add(&mut vault, "old.txt");
    vault.journal_mut().trash(Kind::Evidence, trashed).unwrap();
    vault.journal_mut().link_translation(translation, &english(original)).unwrap();
    let states =
        |vault: &Vault| [original, translation, third].map(|id| vault.journal().evidence(id).unwrap().state);
    let before = states(&vault);
    let audit_before = vault.journal().recent_changes(1).unwrap()[0].seq;

    let refused =
        |vault: &mut Vault, id: i64, input: TranslationInput, expected: &str, reason: Reason| match vault
            .journal_mut()
            .link_translation(id, &input)
        {
            Err(Error::Invalid { message, reason: r, .. }) => {
                assert_eq!(r, reason, "{message}");
                assert!(message.contains(expected), "'{expected}' is not in: {message}");
            }
            other => panic!("linking {id} as {input:?} was not refused: {other:?}"),
        };
    refused(
        &mut vault,
        original,
        english(original),
        "cannot be a translation of itself",
        Reason::TranslationLink,
    );
    refused(
        &mut vault,
        third,
        english(translation),
        "is itself a translation of item",
        Reason::TranslationLink,
    );
    refused(&mut vault, original, english(third), "has translations of its own", Reason::TranslationLink);
    refused(&mut vault, third, english(trashed), "is in the trash", Reason::TranslationLink);
    refused(&mut vault, trashed, english(original), "is in the trash", Reason::TranslationLink);
    let bad_language = TranslationInput { language: "English!".into(), ..english(original) };
    refused(&mut vault, third, bad_language, "'English!' is not a language code", Reason::Invalid);
    let bad_date = TranslationInput { date: "2026-13-45".into(), ..english(original) };
    refused(&mut vault, third, bad_date, "", Reason::BadDate);
    match vault.journal_mut().link_translation(third, &english(99_999)) {
        Err(e) => assert_eq!(e.error_code(), redress_core::Code::NotFound, "{e}"),
        Ok(()) => panic!("a link to an item that does not exist was made"),
    }
    match vault.journal_mut().unlink_translation(third) {
        Err(Error::Invalid { message, .. }) => assert!(message.contains("is not linked as a translation")),
        other => panic!("unlinking an item that is no translation: {other:?}"),
    }
    assert_eq!(states(&vault), before, "a refused link changes no item");
    assert_eq!(vault.journal().recent_changes(1).unwrap()[0].seq, audit_before, "and writes no audit entry");

    // The list shows the link, and says when the original is gone.
    let links = vault.journal().translation_links().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!((links[0].translation, links[0].original_title.as_str()), (translation, "ruling.txt"));
    vault.journal_mut().trash(Kind::Evidence, original).unwrap();
    let links = vault.journal().translation_links().unwrap();
    assert_eq!((links[0].translation, links[0].original_title.as_str()), (translation, ""));
    // A bundle of the translation alone says its original is not in it.
    let spec = redress_core::bundle::BundleSpec::for_items(&[translation]);
    let out = dir.path().join("alone.pdf");
    redress_core::bundle::export(&mut vault, &spec, None, &out, &worker(), &mut |_| true).unwrap();
    let text = crate::common::squeeze(&pdf_pages_text(&out).join("\n"));
    let expected =
        crate::common::squeeze("English translation of a document that is not in this bundle (certified)");
    assert!(text.contains(&expected), "{text}");
}

/// The annex order the draft, the checklist and the request's bundle share (the UI's `listedAnnexes` mirrors it,
/// tested on the same cases): translations into the draft's language are added after their original, an annexed
/// translation moves after its original, one whose original is not annexed stays, a trashed one is not added.
#[test]
fn issue_13_the_listed_annexes_put_each_translation_after_its_original() {
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let mut ids = Vec::new();
    for k in 1..=6 {
        let path = write(dir.path(), &format!("item{k}.txt"), format!("item {k}").as_bytes());
        ids.push(import_meta(&mut vault, &path, &format!("item {k}"), ""));
    }
    let [i1, i2, i3, i4, i5, i6] = ids[..] else { unreachable!() };
    for (translation, original, language) in [(i3, i2, "en"), (i4, i2, "fr"), (i5, i1, "en"), (i6, i1, "en")]
    {
        let input = TranslationInput { original, language: language.into(), ..Default::default() };
        vault.journal_mut().link_translation(translation, &input).unwrap();
    }
    vault.journal_mut().trash(Kind::Evidence, i6).unwrap();
    assert_eq!(listed(&mut vault, &[i2, i1], "en"), [(i2, None), (i3, Some(1)), (i1, None), (i5, Some(3))]);
    assert_eq!(listed(&mut vault, &[i2, i1], "fr"), [(i2, None), (i4, Some(1)), (i1, None)]);
    assert_eq!(listed(&mut vault, &[i4, i1, i2], "es"), [(i1, None), (i2, None), (i4, Some(2))]);
    assert_eq!(listed(&mut vault, &[i3], "en"), [(i3, None)]);

    // A chain left by the trash (i5 translated i1 while i6, a translation of i5, was trashed; then i6 restored and
    // i5 linked to i2): no item is ever left out of the list, or of a bundle.
    vault.journal_mut().unlink_translation(i5).unwrap();
    let input = TranslationInput { original: i5, language: "fr".into(), ..Default::default() };
    vault.journal_mut().restore(Kind::Evidence, i6).unwrap();
    vault.journal_mut().link_translation(i6, &input).unwrap();
    vault.journal_mut().trash(Kind::Evidence, i6).unwrap();
    let input = TranslationInput { original: i1, language: "en".into(), ..Default::default() };
    vault.journal_mut().link_translation(i5, &input).unwrap();
    vault.journal_mut().restore(Kind::Evidence, i6).unwrap();
    let all = listed(&mut vault, &[i6, i1, i5], "en").into_iter().map(|a| a.0).collect::<Vec<_>>();
    assert_eq!(all, [i6, i1, i5], "nothing is left out; the chain's end keeps its place");
    let spec = redress_core::bundle::BundleSpec::for_items(&[i6, i1, i5]);
    let plan = vault.journal().bundle_plan(&spec, &worker()).unwrap();
    assert_eq!(plan.len(), 3, "the bundle holds every chosen item");
}

/// The annexes of a new request in `language` as its draft lists them: (evidence, number of the annex translated).
fn listed(vault: &mut Vault, annexes: &[i64], language: &str) -> Vec<(i64, Option<u32>)> {
    let input = RequestInput {
        title: "Order".into(),
        language: language.into(),
        annexes: annexes.iter().map(|&e| Annex { evidence: e, confidential: false }).collect(),
        ..Default::default()
    };
    let id = vault.journal_mut().add_request(&input).unwrap();
    let request = vault.journal().request(id).unwrap().state;
    let listed = vault.journal().listed_annexes(&request, language).unwrap();
    listed.into_iter().map(|a| (a.evidence, a.translates)).collect()
}
