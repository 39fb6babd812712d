//! CCF requests: the model's validation, the admissibility checklist (one test per item) and computed deadlines.

use chrono::NaiveDate;
use redress_core::ccf::{Annex, GroundArgument, RequestInput, RevisionInput};
use redress_core::contacts::ContactInput;
use redress_core::evidence::{check_source, EvidenceMeta};
use redress_core::rules::RequestType;
use redress_core::{Kind, Vault};

use crate::common::*;

struct Case {
    _dir: tempfile::TempDir,
    vault: Vault,
    passport: i64,
    poa: i64,
    ruling: i64,
    lawyer: i64,
}

fn case() -> Case {
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let mut add = |name: &str, body: &str| {
        let path = write(dir.path(), name, body.as_bytes());
        let source = check_source(&path).unwrap();
        vault.journal_mut().import(&source, &EvidenceMeta::default(), &mut no_progress()).unwrap().id
    };
    let passport = add("passport.txt", "passport scan");
    let poa = add("poa.txt", "power of attorney");
    let ruling = add("ruling.txt", "extradition refused");
    let lawyer = vault
        .journal_mut()
        .add_contact(&ContactInput { name: "Counsel".into(), ..Default::default() })
        .unwrap();
    Case { _dir: dir, vault, passport, poa, ruling, lawyer }
}

/// A complete correction/deletion request: every checklist item passes.
fn complete(c: &Case) -> RequestInput {
    RequestInput {
        title: "Deletion of the Red Notice".into(),
        request_type: Some(RequestType::CorrectionDeletion),
        language: "en".into(),
        representative: Some(c.lawyer),
        power_of_attorney: Some(c.poa),
        identity_document: Some(c.passport),
        grounds: vec![GroundArgument {
            ground: "political".into(),
            argument: "The charges punish journalism.".into(),
            evidence: vec![c.ruling],
        }],
        annexes: vec![
            Annex { evidence: c.passport, confidential: false },
            Annex { evidence: c.poa, confidential: false },
            Annex { evidence: c.ruling, confidential: true },
        ],
        signature_place: "Vilnius".into(),
        signature_date: "2026-11-28".into(),
        ..Default::default()
    }
}

fn missing(c: &Case, id: i64) -> Vec<String> {
    let list = c.vault.journal().checklist(id, 1, 0).unwrap();
    list.items.into_iter().filter(|i| !i.passed).map(|i| i.key).collect()
}

#[test]
fn a_complete_request_passes_every_item() {
    let mut c = case();
    let input = complete(&c);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    assert_eq!(missing(&c, id), Vec::<String>::new());
    assert!(c.vault.journal().checklist(id, 1, 0).unwrap().ready());
}

/// Each item: break one thing, the item (and only it) is missing with a fix; supply it, it passes again.
#[test]
fn each_missing_item_is_detected_and_disappears_when_supplied() {
    let mut c = case();
    let input = complete(&c);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    type Breaker = Box<dyn Fn(&mut RequestInput)>;
    let cases: Vec<(&str, Breaker)> = vec![
        ("type_chosen", Box::new(|r| r.request_type = None)),
        ("identity_annexed", Box::new(|r| r.identity_document = None)),
        (
            "identity_annexed",
            Box::new(|r: &mut RequestInput| {
                r.annexes.remove(0);
            }),
        ),
        ("power_of_attorney_annexed", Box::new(|r| r.power_of_attorney = None)),
        ("working_language", Box::new(|r| r.language = "ar".into())),
        ("reasons", Box::new(|r| r.grounds[0].argument.clear())),
        (
            "supporting_documents",
            Box::new(|r| {
                r.grounds[0].evidence.clear();
                r.annexes.truncate(2);
            }),
        ),
        ("signed", Box::new(|r| r.signature_date.clear())),
    ];
    for (key, breaker) in cases {
        let mut input = complete(&c);
        breaker(&mut input);
        c.vault.journal_mut().edit_request(id, &input).unwrap();
        let list = c.vault.journal().checklist(id, 1, 0).unwrap();
        let failing: Vec<_> = list.items.iter().filter(|i| !i.passed).collect();
        assert_eq!(failing.len(), 1, "breaking '{key}' must fail exactly that item: {failing:?}");
        assert_eq!(failing[0].key, key);
        assert!(!failing[0].fix.is_empty(), "a missing item says how to fix it");
        let input = complete(&c);
        c.vault.journal_mut().edit_request(id, &input).unwrap();
        assert!(missing(&c, id).is_empty(), "supplying '{key}' again must clear it");
    }
}

#[test]
fn a_revision_needs_its_new_fact_and_decision() {
    let mut c = case();
    let mut input = complete(&c);
    input.request_type = Some(RequestType::Revision);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let gaps = missing(&c, id);
    assert!(
        gaps.contains(&"new_fact".to_owned()) && gaps.contains(&"revised_decision".to_owned()),
        "{gaps:?}"
    );
    input.revision = Some(RevisionInput {
        revised_type: Some(RequestType::CorrectionDeletion),
        decision_reference: "CCF/2025/123".into(),
        decision_date: "2025-06-01".into(),
        new_fact: "The court refused extradition on 21 November 2025.".into(),
        discovered_on: "2025-11-25".into(),
        summary: "New ruling.".into(),
    });
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert!(missing(&c, id).is_empty(), "{:?}", missing(&c, id));
    let state = c.vault.journal().request(id).unwrap().state;
    let due = redress_core::ccf::request_deadlines(&state).unwrap();
    assert_eq!(
        due[0].due,
        NaiveDate::from_ymd_opt(2026, 5, 25).unwrap(),
        "revision due 6 months after discovery"
    );
    assert_eq!(due[0].rule, "ST 42");
}

#[test]
fn a_trashed_annex_is_flagged_and_cannot_be_added() {
    let mut c = case();
    let input = complete(&c);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    c.vault.journal_mut().trash(Kind::Evidence, c.ruling).unwrap();
    let list = c.vault.journal().checklist(id, 1, 0).unwrap();
    let flagged =
        list.items.iter().find(|i| i.key == "annex_available").expect("the trashed annex is flagged");
    assert!(flagged.fix.contains("Annex 3"), "{}", flagged.fix);
    assert_eq!(
        (flagged.annex, flagged.evidence),
        (Some(3), Some(c.ruling)),
        "the UI words the fix from these"
    );
    let before = c.vault.journal().request(id).unwrap().state;
    let input = complete(&c);
    let err = c.vault.journal_mut().edit_request(id, &input).unwrap_err();
    assert_eq!(err.reason(), "trashed_annex");
    assert!(err.to_string().contains("in the trash"), "{err}");
    assert_eq!(c.vault.journal().request(id).unwrap().state, before, "nothing is stored half-way");
}

#[test]
fn portal_limits_warn_with_the_measured_value() {
    let mut c = case();
    let mut input = complete(&c);
    for n in 0..18 {
        let path = write(c._dir.path(), &format!("extra{n}.txt"), format!("annex {n}").as_bytes());
        let source = check_source(&path).unwrap();
        let id =
            c.vault.journal_mut().import(&source, &EvidenceMeta::default(), &mut no_progress()).unwrap().id;
        input.annexes.push(Annex { evidence: id, confidential: false });
    }
    assert_eq!(input.annexes.len(), 21);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let list = c.vault.journal().checklist(id, 11, 0).unwrap();
    let keys: Vec<_> = list.warnings.iter().map(|w| (w.key.as_str(), w.measured, w.limit)).collect();
    assert_eq!(keys, [("too_many_annexes", 21, 20), ("arguments_too_long", 11, 10)]);
    assert!(list.warnings[0].message.contains("21"));
    assert!(list.ready(), "limits are warnings, not missing items");
}

#[test]
fn bad_request_input_names_the_field_and_stores_nothing() {
    let mut c = case();
    let mut input = complete(&c);
    input.received = "2026-03-01".into();
    input.admissibility = "2026-04-01".into();
    input.decision = "2026-03-15".into();
    let err = c.vault.journal_mut().add_request(&input).unwrap_err();
    assert!(err.to_string().starts_with("decision date:"), "{err}");
    let mut input = complete(&c);
    input.language = "ru".into();
    assert!(c.vault.journal_mut().add_request(&input).unwrap_err().to_string().contains("working languages"));
    let mut input = complete(&c);
    input.grounds[0].ground = "invented".into();
    assert!(c.vault.journal_mut().add_request(&input).is_err());
    let mut input = complete(&c);
    input.annexes.push(Annex { evidence: c.passport, confidential: true });
    assert!(c.vault.journal_mut().add_request(&input).unwrap_err().to_string().contains("twice"));
    assert!(c.vault.journal().list_requests(true).unwrap().is_empty(), "rejected requests leave nothing");
    assert!(c.vault.journal().verify().unwrap().ok());
}

#[test]
fn computed_deadlines_follow_the_ccf_dates() {
    let mut c = case();
    let mut input = complete(&c);
    input.received = "2026-01-31".into();
    input.admissibility = "2026-02-27".into();
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let state = c.vault.journal().request(id).unwrap().state;
    let due = redress_core::ccf::request_deadlines(&state).unwrap();
    let got: Vec<_> = due.iter().map(|d| (d.rule.as_str(), d.due.to_string())).collect();
    assert_eq!(got, [("ST 32(1)", "2026-02-28".to_owned()), ("ST 40(2)", "2026-11-27".to_owned())]);
}

/// The demo case's three requests (one per type), each drafted in each working language, parsed back with the
/// real tools.
#[test]
fn drafts_of_each_type_and_language_read_back_complete() {
    use crate::pdf::{info_field, page_texts, squeeze, tool, write_pdf};
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    redress_core::demo::fill(&mut vault, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
    let j = vault.journal();
    let requests = j.list_requests(false).unwrap();
    assert_eq!(requests.len(), 3);
    let headings = |lang: &str| -> Vec<String> {
        let t: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!(
                "{}/../assets/templates/{lang}.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        )
        .unwrap();
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
        for lang in ["en", "fr", "es"] {
            let what = format!("request {} ({:?}) in {lang}", r.id, r.state.request_type);
            let draft = redress_core::ccf::draft::assemble(j, r.id, Some(lang)).unwrap();
            let rendered = redress_core::pdf::render(&draft.document).unwrap();
            assert!(rendered.substituted.is_empty(), "{what}: nothing replaced");
            let pdf = write_pdf(&rendered);
            let info = tool("pdfinfo", &[], &pdf.path);
            let pages: usize = info_field(&info, "Pages").parse().unwrap();
            assert_eq!(pages as u32, rendered.pages, "{what}");
            let texts = page_texts(&pdf.path);
            assert_eq!(texts.len(), pages);
            let all = squeeze(&texts.join(" "));
            for h in headings(lang) {
                assert!(all.contains(&squeeze(&h)), "{what}: heading '{h}' must be in the text");
            }
            assert!(
                all.contains(&squeeze("Михаил Андреевич Орлов")),
                "{what}: the Cyrillic name must be extractable"
            );
            let library = redress_core::grounds::library(lang).unwrap();
            for g in &r.state.grounds {
                let ground = library.grounds.iter().find(|x| x.id == g.ground).unwrap();
                for rule in &ground.rules {
                    assert!(all.contains(&squeeze(rule)), "{what}: citation '{rule}' must appear");
                }
            }
            let t: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(format!(
                    "{}/../assets/templates/{lang}.json",
                    env!("CARGO_MANIFEST_DIR")
                ))
                .unwrap(),
            )
            .unwrap();
            let footer = squeeze(t["footer"].as_str().unwrap());
            for (k, page) in texts.iter().enumerate() {
                let page = squeeze(page);
                assert!(page.contains(&footer), "{what}: the footer must be on page {}", k + 1);
                let label = t["page_label"]
                    .as_str()
                    .unwrap()
                    .replace("{page}", &(k + 1).to_string())
                    .replace("{pages}", &pages.to_string());
                assert!(page.contains(&squeeze(&label)), "{what}: page {} must say '{label}'", k + 1);
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
        }
    }
}

#[test]
fn a_draft_refuses_a_request_without_type_and_arabic_output() {
    let mut c = case();
    let mut input = complete(&c);
    input.request_type = None;
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let err = redress_core::ccf::draft::assemble(c.vault.journal(), id, None).unwrap_err();
    assert_eq!(err.reason(), "no_type");
    input.request_type = Some(RequestType::Access);
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let err = redress_core::ccf::draft::assemble(c.vault.journal(), id, Some("ar")).unwrap_err();
    assert_eq!(err.reason(), "arabic_not_supported", "{err}");
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
    assert!(w.message.contains(&w.measured.to_string()));
}

#[test]
fn a_computed_deadline_adopted_can_be_extended_keeping_the_computed_date() {
    use redress_core::deadlines::{DeadlineStatus, Due};
    let mut c = case();
    let mut input = complete(&c);
    input.received = "2026-01-31".into();
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let d = c.vault.journal_mut().adopt_computed_deadline(id, "ccf.admissibility_due").unwrap();
    let state = c.vault.journal().deadline(d).unwrap().state;
    assert_eq!(state.due, Due::Date { date: NaiveDate::from_ymd_opt(2026, 2, 28).unwrap() });
    let from = state.computed.clone().expect("the deadline says where it comes from");
    assert_eq!((from.rule.as_str(), from.from.as_str()), ("ST 32(1)", "+1 month from 2026-01-31"));
    assert!(
        c.vault.journal_mut().adopt_computed_deadline(id, "ccf.admissibility_due").is_err(),
        "adopted once only"
    );
    c.vault.journal_mut().extend_deadline(d, "2026-03-31").unwrap();
    let state = c.vault.journal().deadline(d).unwrap().state;
    assert_eq!(state.due.to_string(), "2026-02-28", "the computed date stays as the original");
    assert!(matches!(state.status, DeadlineStatus::Extended { .. }));
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
    assert!(c.vault.journal().verify().unwrap().ok());
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
    assert!(!list.ready());
    input.grounds[0].argument = "Facts as in note [1]. If returned to Russia I risk torture.".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let list = c.vault.journal().checklist(id, 1, 0).unwrap();
    assert!(list.items.iter().any(|i| i.key == "placeholders_filled" && i.passed), "filled in, it passes");
}
