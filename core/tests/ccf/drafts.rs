//! CCF drafts read back: every type and language, refusals, length warnings, adopted deadlines and blanks.

use super::*;

/// The demo applicant's name in Latin letters (`assets/demo/case.json`).
const LATIN_NAME: &str = "Mikhail Andreevich Orlov";

/// The demo case's three requests (one per type), each drafted in each working language, parsed back with the
/// real tools.
#[test]
fn drafts_of_each_type_and_language_read_back_complete() {
    use crate::common::{info_field, page_texts, squeeze, tool};
    use crate::pdf::write_pdf;
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    redress_core::demo::fill(&mut vault, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
    let j = vault.journal();
    let requests = j.list_requests(false).unwrap();
    assert_eq!(requests.len(), 3);
    let headings = |lang: &str| -> Vec<String> {
        let t = template(lang);
        t["sections"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .filter(|(k, _)| k != "revision_summary")
            .map(|(_, v)| v)
            .collect()
    };
    for r in &requests {
        for lang in ["en", "fr", "es", "ar"] {
            let what = format!("request {} ({:?}) in {lang}", r.id, r.state.request_type);
            let draft =
                redress_core::ccf::draft::assemble(j, r.id, Some(lang), &AnnexPages::default()).unwrap();
            let rendered = redress_core::pdf::render(&draft.document).unwrap();
            assert!(rendered.substituted.is_empty(), "{what}: nothing replaced");
            let pdf = write_pdf(&rendered);
            let info = tool("pdfinfo", &[], &pdf.path);
            let pages: usize = info_field(&info, "Pages").parse().unwrap();
            assert_eq!(pages as u32, rendered.pages, "{what}");
            let texts = page_texts(&pdf.path);
            assert_eq!(texts.len(), pages);
            // Poppler copies an Arabic vowel mark before its letter (it orders by position), and punctuation
            // beside a left-to-right run of a right-to-left line on its other side (": 3" as "3 :", "(1951)." as
            // ".)1951("): Arabic is compared on its letters and digits, in order.
            let norm = |t: &str| if lang == "ar" { letters(t) } else { squeeze(t) };
            let all = norm(&texts.join(" "));
            // Where most of a page is Latin (the demo's arguments are English), poppler reads its lines left to
            // right, an Arabic line's words in the order they stand: there, each word of an Arabic line is looked
            // for. The Arabic-only test (`pdf::arabic`) checks order on an Arabic page.
            let words =
                |t: &str| t.split_whitespace().map(letters).filter(|w| !w.is_empty()).collect::<Vec<_>>();
            let shows = |expected: &str| {
                if lang == "ar" {
                    words(expected).iter().all(|w| all.contains(w.as_str()))
                } else {
                    all.contains(&norm(expected))
                }
            };
            for h in headings(lang) {
                let h = redress_core::grounds::in_form(&h, r.state.applicant_form);
                // Right to left, "8." shows as ".8" and poppler copies it so: the Arabic words are compared.
                let words = if lang == "ar" {
                    h.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                } else {
                    &h
                };
                assert!(shows(words), "{what}: heading '{h}' must be in the text:\n{all}");
            }
            assert!(
                all.contains(&squeeze("Михаил Андреевич Орлов")),
                "{what}: the Cyrillic name must be extractable"
            );
            if lang == "ar" {
                // Issue 14: copied in logical order, spaces and all, the Commission's name and the Latin name.
                let text = texts.join("\n");
                assert!(
                    text.contains("لجنة الرقابة على محفوظات الإنتربول"),
                    "{what}: the Commission:\n{text}"
                );
                assert!(text.contains(LATIN_NAME), "{what}: the Latin name as written:\n{text}");
            }
            let library = redress_core::grounds::library(lang).unwrap();
            for g in &r.state.grounds {
                let ground = library.grounds.iter().find(|x| x.id == g.ground).unwrap();
                for line in &ground.lines {
                    assert!(shows(line), "{what}: the ground's line '{line}' must appear");
                }
            }
            let t = template(lang);
            let footer = t["footer"].as_str().unwrap();
            for (k, text) in texts.iter().enumerate() {
                let page = norm(text);
                let label = t["page_label"]
                    .as_str()
                    .unwrap()
                    .replace("{page}", &(k + 1).to_string())
                    .replace("{pages}", &pages.to_string());
                if lang == "ar" {
                    for w in words(footer).iter().chain(&words(&label)) {
                        assert!(
                            page.contains(w.as_str()),
                            "{what}: page {} must say '{w}' ({label}):\n{text}",
                            k + 1
                        );
                    }
                    continue;
                }
                assert!(page.contains(&norm(footer)), "{what}: the footer must be on page {}", k + 1);
                assert!(page.contains(&norm(&label)), "{what}: page {} must say '{label}'", k + 1);
            }
            for a in &r.state.annexes {
                let sha = j.evidence(a.evidence).unwrap().state.sha256;
                for group in sha.as_bytes().chunks(16).map(|c| std::str::from_utf8(c).unwrap()) {
                    assert!(
                        all.contains(group),
                        "{what}: annex SHA-256 {sha} must be listed (group {group})"
                    );
                }
            }
            tool("qpdf", &["--check"], &pdf.path);
            let fonts = tool("pdffonts", &[], &pdf.path);
            let embedded: Vec<&str> = fonts.lines().skip(2).collect();
            assert!(
                !embedded.is_empty() && embedded.iter().all(|l| l.contains("yes yes")),
                "{what}: fonts embedded as subsets:\n{fonts}"
            );
            let text = draft
                .sections
                .iter()
                .map(|s| format!("{}\n{}", s.heading, s.text))
                .collect::<Vec<_>>()
                .join("\n");
            assert!(text.contains("Михаил Андреевич Орлов"), "{what}: the paste-ready text has the name too");
            // Issue 14 §4: the demo's countries are stored as codes (RU, LT) and named in the draft's language.
            let (russia, lithuania) = match lang {
                "fr" => ("Russie", "Lituanie"),
                "es" => ("Rusia", "Lituania"),
                "ar" => ("روسيا", "ليتوانيا"),
                _ => ("Russia", "Lithuania"),
            };
            for country in [russia, lithuania] {
                assert!(text.contains(country), "{what}: '{country}' in the paste-ready text:\n{text}");
                assert!(shows(country), "{what}: '{country}' in the PDF:\n{all}");
            }
            assert!(!text.contains(": RU") && !text.contains(": LT"), "{what}: no bare code:\n{text}");
            if lang == "ar" {
                // The paste-ready text is the draft's own Arabic, exact (no reader of the PDF in between).
                assert!(
                    text.contains("لجنة الرقابة على محفوظات الإنتربول") && text.contains(LATIN_NAME),
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn a_draft_refuses_a_request_without_type_and_a_language_the_ccf_does_not_work_in() {
    let mut c = case();
    let mut input = complete(&c);
    input.request_type = None;
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let err =
        redress_core::ccf::draft::assemble(c.vault.journal(), id, None, &AnnexPages::default()).unwrap_err();
    assert_eq!(err.reason(), "no_type");
    input.request_type = Some(RequestType::Access);
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let err = redress_core::ccf::draft::assemble(c.vault.journal(), id, Some("ru"), &AnnexPages::default())
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert!(err.to_string().contains("'ru'"), "{err}");
}

#[test]
fn eleven_pages_of_arguments_raise_the_length_warning() {
    let mut c = case();
    let mut input = complete(&c);
    input.grounds[0].argument = "The applicant states the facts of the persecution in detail. ".repeat(900);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let list = redress_core::ccf::draft::checklist(c.vault.journal(), id).unwrap();
    let w = list
        .warnings
        .iter()
        .find(|w| w.key == "arguments_too_long")
        .expect("a long argument is measured and flagged");
    assert!(w.measured > 10, "measured on the draft's own layout: {w:?}");
    assert!(w.message.contains(&w.measured.to_string()), "the message says the measure: {w:?}");
}

#[test]
fn a_computed_deadline_adopted_can_be_extended_keeping_the_computed_date() {
    use redress_core::deadlines::{DeadlineStatus, Due};
    let mut c = case();
    let mut input = complete(&c);
    input.received = "2026-01-31".into();
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let d = c.vault.journal_mut().adopt_computed_deadline(id, "ccf-admissibility-expected").unwrap();
    let state = c.vault.journal().deadline(d).unwrap().state;
    assert_eq!(state.due, Due::Date { date: NaiveDate::from_ymd_opt(2026, 2, 28).unwrap() });
    let from = state.computed.clone().expect("the deadline says where it comes from");
    assert_eq!(
        (from.key.as_str(), from.rule.as_str(), from.from.as_str()),
        (
            "ccf-admissibility-expected",
            "CCF practice reported by practitioners; no rule found",
            "1 month after 2026-01-31"
        )
    );
    let err = c.vault.journal_mut().adopt_computed_deadline(id, "ccf-admissibility-expected").unwrap_err();
    assert!(err.to_string().contains("already among your deadlines"), "adopted once only: {err}");
    c.vault.journal_mut().extend_deadline(d, "2026-03-31").unwrap();
    let state = c.vault.journal().deadline(d).unwrap().state;
    assert_eq!(state.due.to_string(), "2026-02-28", "the computed date stays as the original");
    assert!(matches!(state.status, DeadlineStatus::Extended { .. }), "extended: {:?}", state.status);
    assert!(state.computed.is_some(), "an extension keeps the rule");
    let manual = c
        .vault
        .journal_mut()
        .add_deadline(&redress_core::deadlines::DeadlineInput {
            title: "x".into(),
            due: "2026-05-01".into(),
            ..Default::default()
        })
        .unwrap();
    let history = c.vault.journal().history(Kind::Deadline, manual).unwrap();
    assert!(
        !history[0].payload.as_deref().unwrap().contains("computed"),
        "a deadline entered by hand keeps its canonical form"
    );
    assert!(c.vault.journal().verify().unwrap().ok(), "the chain verifies");
}

#[test]
fn template_blanks_left_in_an_argument_are_named_by_the_checklist() {
    let mut c = case();
    let mut input = complete(&c);
    input.grounds[0].argument =
        "Facts as in note [1]. If returned to {{issuing_country}} I risk {{ risk }}; charged on [date_of_charges].".into();
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let list = c.vault.journal().checklist(id, 1, 0).unwrap();
    let blanks = list.items.iter().find(|i| i.key == "placeholders_filled").expect("the check is listed");
    assert!(!blanks.passed, "an argument with template blanks is not ready");
    assert!(
        blanks.fix.ends_with("issuing_country, risk, date_of_charges"),
        "each blank is named once, '[1]' is not one: {}",
        blanks.fix
    );
    assert!(!list.ready(), "template blanks keep the request from being ready");
    input.grounds[0].argument = "Facts as in note [1]. If returned to Russia I risk torture.".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let list = c.vault.journal().checklist(id, 1, 0).unwrap();
    assert!(list.items.iter().any(|i| i.key == "placeholders_filled" && i.passed), "filled in, it passes");
}

/// The request template of `lang` as shipped in assets/templates.
fn template(lang: &str) -> serde_json::Value {
    let path = format!("{}/../assets/templates/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
