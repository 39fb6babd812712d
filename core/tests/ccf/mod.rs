//! CCF requests: the model's validation, the admissibility checklist (one test per item) and computed deadlines.

use chrono::NaiveDate;
use redress_core::ccf::draft::AnnexPages;
use redress_core::ccf::{
    Annex, ApplicantForm, ApplicantKind, GroundArgument, RequestInput, RevisionInput, Severity, Signer,
};
use redress_core::contacts::ContactInput;
use redress_core::evidence::{check_source, EvidenceMeta};
use redress_core::rules::{CitationStatus, DueKind, RequestType, RuleId};
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
        identity_complete: true,
        identity_expiry: "2030-01-31".into(),
        ..Default::default()
    }
}

/// The blocking items that fail.
fn missing(c: &Case, id: i64) -> Vec<String> {
    let list = c.vault.journal().checklist(id, 1, 0).unwrap();
    list.items
        .into_iter()
        .filter(|i| !i.passed && i.severity == Severity::Blocking)
        .map(|i| i.key.as_str().to_owned())
        .collect()
}

/// The warnings shown (items that fail without holding the draft back).
fn warned(c: &Case, id: i64) -> Vec<String> {
    let list = c.vault.journal().checklist(id, 1, 0).unwrap();
    list.items
        .into_iter()
        .filter(|i| !i.passed && i.severity == Severity::Warning)
        .map(|i| i.key.as_str().to_owned())
        .collect()
}

fn import_as(c: &mut Case, name: &str, language: &str) -> i64 {
    let path = write(c._dir.path(), name, name.as_bytes());
    let source = check_source(&path).unwrap();
    let meta = EvidenceMeta { language: language.into(), ..Default::default() };
    c.vault.journal_mut().import(&source, &meta, &mut no_progress()).unwrap().id
}

#[test]
fn a_complete_request_passes_every_item() {
    let mut c = case();
    let input = complete(&c);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    assert_eq!(missing(&c, id), Vec::<String>::new(), "a complete request misses nothing");
    assert!(c.vault.journal().checklist(id, 1, 0).unwrap().ready(), "a complete request is ready");
    assert_eq!(
        warned(&c, id),
        ["unverified_citations"],
        "the political ground's list of factors is [check]: flagged for counsel, never a failure"
    );
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
        ("identity_complete", Box::new(|r| r.identity_complete = false)),
        ("working_language", Box::new(|r| r.language = "ar".into())),
        ("reasons", Box::new(|r| r.grounds[0].argument.clear())),
        ("signed", Box::new(|r| r.signature_date.clear())),
        ("signed", Box::new(|r| r.signature_place = " ".into())),
    ];
    for (key, breaker) in cases {
        let mut input = complete(&c);
        breaker(&mut input);
        c.vault.journal_mut().edit_request(id, &input).unwrap();
        let list = c.vault.journal().checklist(id, 1, 0).unwrap();
        assert!(!list.ready(), "a missing '{key}' is blocking (§2)");
        let failing: Vec<_> =
            list.items.iter().filter(|i| !i.passed && i.severity == Severity::Blocking).collect();
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
    input.signature_date = "2026-03-01".into();
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
        ..Default::default()
    });
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert_eq!(
        missing(&c, id),
        ["new_fact"],
        "§2 item 9: why the fact was not known before and why it could have changed the decision are required"
    );
    let rev = input.revision.as_mut().unwrap();
    rev.why_unknown = "The ruling was given after the decision.".into();
    rev.why_decisive = "It finds the prosecution political.".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert!(missing(&c, id).is_empty(), "{:?}", missing(&c, id));
    input.revision.as_mut().unwrap().decision_date.clear();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert_eq!(missing(&c, id), ["revised_decision"], "the decision revised needs its date too");
    input.revision.as_mut().unwrap().decision_date = "2025-06-01".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let state = c.vault.journal().request(id).unwrap().state;
    let due = redress_core::ccf::request_deadlines(&state).unwrap();
    assert_eq!(
        due[0].due,
        NaiveDate::from_ymd_opt(2026, 5, 25).unwrap(),
        "revision due 6 months after discovery"
    );
    assert_eq!((due[0].rule, due[0].citation.as_str()), (RuleId::CcfRevisionWindow, "ST 42(2)"));
    assert!(!due[0].theirs, "the revision window is the applicant's own limit");
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
    input.grounds[0].argument = "The applicant states the facts of the persecution in detail. ".repeat(900);
    for n in 0..18 {
        let path = write(c._dir.path(), &format!("extra{n}.txt"), format!("annex {n}").as_bytes());
        let source = check_source(&path).unwrap();
        let id =
            c.vault.journal_mut().import(&source, &EvidenceMeta::default(), &mut no_progress()).unwrap().id;
        input.annexes.push(Annex { evidence: id, confidential: false });
    }
    assert_eq!(input.annexes.len(), 21);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    // Measured by the draft's own layout: the annexes counted, the arguments laid out as the draft prints them.
    let list = redress_core::ccf::draft::checklist(c.vault.journal(), id).unwrap();
    let keys: Vec<_> = list.warnings.iter().map(|w| (w.key.as_str(), w.limit)).collect();
    assert_eq!(
        keys,
        [("too_many_annexes", 20), ("arguments_too_long", 10)],
        "both portal limits are exceeded"
    );
    assert_eq!(list.warnings[0].measured, 21, "the annexes are counted");
    let pages = list.warnings[1].measured;
    assert!(pages > 10, "900 sentences of argument take more than 10 pages, measured {pages}");
    for w in &list.warnings {
        assert!(w.message.contains(&w.measured.to_string()), "the warning says the measured value: {w:?}");
    }
    assert!(list.ready(), "limits are warnings, not missing items");
    input.grounds[0].argument = "The charges punish journalism.".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let list = redress_core::ccf::draft::checklist(c.vault.journal(), id).unwrap();
    let keys: Vec<_> = list.warnings.iter().map(|w| w.key.as_str()).collect();
    assert_eq!(keys, ["too_many_annexes"], "a one-line argument is measured within the limit");
}

/// The revision summary's limit (2 pages, reference §2) is measured on the draft like the arguments.
#[test]
fn a_long_revision_summary_warns_with_its_measured_pages() {
    let mut c = case();
    let mut input = complete(&c);
    input.request_type = Some(RequestType::Revision);
    input.signature_date = "2026-03-01".into();
    input.revision = Some(RevisionInput {
        revised_type: Some(RequestType::CorrectionDeletion),
        decision_reference: "CCF/2025/123".into(),
        decision_date: "2025-06-01".into(),
        new_fact: "The court refused extradition on 21 November 2025.".into(),
        discovered_on: "2025-11-25".into(),
        summary: "The ruling sets out why the prosecution is political and why it was not known before. "
            .repeat(400),
        why_unknown: "The ruling was given after the decision.".into(),
        why_decisive: "It finds the prosecution political.".into(),
        ..Default::default()
    });
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let list = redress_core::ccf::draft::checklist(c.vault.journal(), id).unwrap();
    let w = list
        .warnings
        .iter()
        .find(|w| w.key == "revision_summary_too_long")
        .unwrap_or_else(|| panic!("a summary of 400 sentences is flagged: {:?}", list.warnings));
    assert_eq!(w.limit, 2, "the summary may take 2 pages");
    assert!(w.measured > 2, "measured on the draft's own layout: {w:?}");
    assert!(
        w.message.contains(&format!("takes {} pages", w.measured)),
        "the message says the measure: {w:?}"
    );
    input.revision.as_mut().unwrap().summary = "New ruling.".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let list = redress_core::ccf::draft::checklist(c.vault.journal(), id).unwrap();
    assert!(
        list.warnings.iter().all(|w| w.key != "revision_summary_too_long"),
        "a one-line summary is within the limit: {:?}",
        list.warnings
    );
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
    let err = c.vault.journal_mut().add_request(&input).unwrap_err().to_string();
    assert!(err.contains("working languages"), "a language the CCF does not work in is refused: {err}");
    let mut input = complete(&c);
    input.grounds[0].ground = "invented".into();
    let err = c.vault.journal_mut().add_request(&input).unwrap_err().to_string();
    assert!(err.starts_with("grounds:") && err.contains("'invented'"), "an unknown ground is named: {err}");
    let mut input = complete(&c);
    input.annexes.push(Annex { evidence: c.passport, confidential: true });
    let err = c.vault.journal_mut().add_request(&input).unwrap_err().to_string();
    assert!(err.contains("twice"), "an annex given twice is refused: {err}");
    assert!(c.vault.journal().list_requests(true).unwrap().is_empty(), "rejected requests leave nothing");
    assert!(c.vault.journal().verify().unwrap().ok(), "and the chain verifies");
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
    let got: Vec<_> = due.iter().map(|d| (d.rule.as_str(), d.kind, d.due.to_string())).collect();
    assert_eq!(
        got,
        [
            ("ccf-admissibility-expected", DueKind::Expectation, "2026-02-28".to_owned()),
            ("ccf-deletion-decision", DueKind::Limit, "2026-11-27".to_owned()),
        ],
        "§5: admissibility after about a month is only reported (an expectation); ST 40(2) gives 9 months"
    );
    assert_eq!(due[0].citation, "CCF practice reported by practitioners; no rule found");
    assert!(due.iter().all(|d| d.clock.as_deref() == Some("Europe/Paris")), "CCF dates end in Lyon");
}

/// Issue 10: a request for access and deletion runs both time limits of ST 40 from its admissibility, not only
/// the main purpose's.
#[test]
fn issue_10_a_combined_request_gets_the_decision_limit_of_each_purpose() {
    let mut c = case();
    let mut input = complete(&c);
    input.request_type = Some(RequestType::Access);
    input.other_purposes = vec![RequestType::CorrectionDeletion];
    input.admissibility = "2026-02-27".into();
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let state = c.vault.journal().request(id).unwrap().state;
    let due = redress_core::ccf::request_deadlines(&state).unwrap();
    let got: Vec<_> = due.iter().map(|d| (d.rule.as_str(), d.due.to_string())).collect();
    assert_eq!(
        got,
        [
            ("ccf-access-decision", "2026-06-27".to_owned()),
            ("ccf-deletion-decision", "2026-11-27".to_owned())
        ],
        "ST 40(1) gives the access part 4 months and ST 40(2) the deletion part 9 months"
    );
}

/// Issue 10 (§5 as revised): a revision's admissibility gives no CCF decision date (no source), and a decision of
/// any type gives the expected notification, not a limit.
#[test]
fn issue_10_revision_has_no_decision_limit_and_every_decision_is_notified() {
    let mut c = case();
    let mut input = complete(&c);
    input.request_type = Some(RequestType::Revision);
    input.received = "2026-01-10".into();
    input.admissibility = "2026-02-10".into();
    input.decision = "2026-10-31".into();
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let state = c.vault.journal().request(id).unwrap().state;
    let due = redress_core::ccf::request_deadlines(&state).unwrap();
    let got: Vec<_> = due.iter().map(|d| (d.rule, d.due.to_string())).collect();
    assert_eq!(
        got,
        [
            (RuleId::CcfAdmissibilityExpected, "2026-02-10".to_owned()),
            (RuleId::CcfNotificationExpected, "2026-11-30".to_owned()),
        ]
    );
    assert!(
        due.iter().all(|d| d.kind == DueKind::Expectation && d.status == CitationStatus::Reported),
        "both are expectations from reported practice, not limits: {due:?}"
    );
    assert!(
        !due.iter().any(|d| d.citation.contains("ST 41")),
        "an unverified article never prints as a citation"
    );
}

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
                for line in &ground.lines {
                    assert!(all.contains(&squeeze(line)), "{what}: the ground's line '{line}' must appear");
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
    let err =
        redress_core::ccf::draft::assemble(c.vault.journal(), id, None, &AnnexPages::default()).unwrap_err();
    assert_eq!(err.reason(), "no_type");
    input.request_type = Some(RequestType::Access);
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let err = redress_core::ccf::draft::assemble(c.vault.journal(), id, Some("ar"), &AnnexPages::default())
        .unwrap_err();
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

fn checklist_item(c: &Case, id: i64, key: &str) -> redress_core::ccf::CheckItem {
    let list = c.vault.journal().checklist(id, 1, 0).unwrap();
    list.items.into_iter().find(|i| i.key == key).unwrap_or_else(|| panic!("the checklist has no '{key}'"))
}

fn draft_text(c: &Case, id: i64, language: &str) -> String {
    let draft =
        redress_core::ccf::draft::assemble(c.vault.journal(), id, Some(language), &AnnexPages::default())
            .unwrap();
    draft.sections.iter().map(|s| format!("{}\n{}", s.heading, s.text)).collect::<Vec<_>>().join("\n")
}

/// The signature section of a draft, as text.
fn signature(c: &Case, id: i64, language: &str) -> String {
    let draft =
        redress_core::ccf::draft::assemble(c.vault.journal(), id, Some(language), &AnnexPages::default())
            .unwrap();
    draft.sections.iter().find(|s| s.heading.starts_with("9.")).map(|s| s.text.clone()).unwrap_or_default()
}

/// Issue 10 (§2 item 1): the identity document's expiry is asked for and an expired one is flagged; warnings
/// both, since an expired document is only a reported cause of rejection.
#[test]
fn issue_10_an_identity_document_without_expiry_or_expired_is_a_warning() {
    let mut c = case();
    let mut input = complete(&c);
    input.identity_expiry.clear();
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let valid = checklist_item(&c, id, "identity_valid");
    assert!(!valid.passed && valid.severity == Severity::Warning, "{valid:?}");
    assert!(valid.fix.contains("expiry date"), "{}", valid.fix);
    assert!(c.vault.journal().checklist(id, 1, 0).unwrap().ready(), "a warning never holds the draft back");
    input.identity_expiry = "2026-11-27".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let valid = checklist_item(&c, id, "identity_valid");
    assert!(!valid.passed && valid.fix.contains("expired on 2026-11-27"), "{valid:?}");
    assert_eq!(valid.date, NaiveDate::from_ymd_opt(2026, 11, 27));
    input.identity_expiry = "2026-11-28".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert!(checklist_item(&c, id, "identity_valid").passed, "valid on the day of signature");
    input.identity_expiry = "2026-02-30".into();
    let err = c.vault.journal_mut().edit_request(id, &input).unwrap_err();
    assert!(err.to_string().contains("expiry date"), "an impossible date is refused by name: {err}");
}

/// Issue 10 (§2 item 3): an entity shows its registration and its signatory's authority instead of a person's
/// identity document.
#[test]
fn issue_10_an_entity_needs_its_registration_and_the_signatorys_authority() {
    let mut c = case();
    let registration = import_as(&mut c, "registration.txt", "en");
    let authority = import_as(&mut c, "board-resolution.txt", "en");
    let mut input = complete(&c);
    input.applicant_kind = ApplicantKind::Entity;
    input.identity_document = None;
    input.identity_complete = false;
    input.identity_expiry.clear();
    input.annexes.remove(0);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    assert_eq!(missing(&c, id), ["entity_documents"]);
    let keys: Vec<String> = c
        .vault
        .journal()
        .checklist(id, 1, 0)
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.key.as_str().to_owned())
        .collect();
    assert!(
        !keys.iter().any(|k| k.starts_with("identity_")),
        "a person's identity items do not apply: {keys:?}"
    );
    input.entity_registration = Some(registration);
    input.annexes.push(Annex { evidence: registration, confidential: false });
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert_eq!(missing(&c, id), ["entity_documents"], "the signatory's authority is still missing");
    input.entity_authority = Some(authority);
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert_eq!(missing(&c, id), ["entity_documents"], "marked but not annexed");
    input.annexes.push(Annex { evidence: authority, confidential: false });
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert!(missing(&c, id).is_empty(), "{:?}", missing(&c, id));
}

/// Issue 10 (§2 item 4): a request for a minor needs the document proving the relationship.
#[test]
fn issue_10_a_request_for_a_minor_needs_the_proof_of_relationship() {
    let mut c = case();
    let birth = import_as(&mut c, "birth-certificate.txt", "en");
    let mut input = complete(&c);
    input.applicant_kind = ApplicantKind::Minor;
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    assert_eq!(missing(&c, id), ["minor_documents"]);
    assert!(!checklist_item(&c, id, "minor_documents").fix.is_empty(), "the missing item says how to fix it");
    input.minor_relationship = Some(birth);
    input.annexes.push(Annex { evidence: birth, confidential: false });
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert!(missing(&c, id).is_empty(), "{:?}", missing(&c, id));
    c.vault.journal_mut().trash(Kind::Evidence, birth).unwrap();
    assert!(missing(&c, id).contains(&"minor_documents".to_owned()), "a trashed proof no longer counts");
}

/// Issue 10 (§2 item 5): signed by whoever signs; when counsel signs, the signature block names counsel.
#[test]
fn issue_10_the_signature_block_names_the_representative_when_counsel_signs() {
    let mut c = case();
    c.vault
        .journal_mut()
        .set_profile(&redress_core::profile::ProfileInput {
            name_latin: "Ivan Petrov".into(),
            ..Default::default()
        })
        .unwrap();
    let mut input = complete(&c);
    input.signer = Signer::Representative;
    input.representative = None;
    input.power_of_attorney = None;
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let signed = checklist_item(&c, id, "signed");
    assert!(!signed.passed && signed.fix.contains("representative"), "{signed:?}");
    let input = RequestInput { signer: Signer::Representative, ..complete(&c) };
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert!(missing(&c, id).is_empty(), "{:?}", missing(&c, id));
    let en = signature(&c, id, "en");
    assert!(en.contains("Counsel, duly authorised representative of Ivan Petrov"), "{en}");
    let fr = signature(&c, id, "fr");
    assert!(fr.contains("Counsel, mandataire de Ivan Petrov"), "the French block names counsel: {fr}");
    let es = signature(&c, id, "es");
    assert!(
        es.contains("Counsel, en representación de Ivan Petrov"),
        "the Spanish block names counsel: {es}"
    );
    let input = complete(&c);
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let en = signature(&c, id, "en");
    assert!(
        en.contains("Ivan Petrov") && !en.contains("representative of"),
        "the applicant signs by default: {en}"
    );
}

/// Issue 10 (§2 item 6): an annex whose language is not a working language is flagged for translation, per annex.
#[test]
fn issue_10_an_annex_not_in_a_working_language_needs_a_translation() {
    let mut c = case();
    let russian = import_as(&mut c, "article-ru.txt", "ru");
    let bilingual = import_as(&mut c, "passport-ru-en.txt", "ru, en");
    let unknown = import_as(&mut c, "photo.txt", "");
    let mut input = complete(&c);
    for e in [russian, bilingual, unknown] {
        input.annexes.push(Annex { evidence: e, confidential: false });
    }
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let list = c.vault.journal().checklist(id, 1, 0).unwrap();
    let flagged: Vec<_> = list.items.iter().filter(|i| i.key == "annex_translation").collect();
    assert_eq!(flagged.len(), 1, "only the Russian annex: {flagged:?}");
    assert_eq!((flagged[0].annex, flagged[0].evidence), (Some(4), Some(russian)));
    assert_eq!(flagged[0].severity, Severity::Warning);
    assert!(list.ready(), "a missing translation is a warning, not a missing item");
    assert!(
        draft_text(&c, id, "fr")
            .contains("L'annexe 4 est dans une langue qui n'est pas une langue de travail"),
        "the French draft names the annex to translate"
    );
}

/// Issue 10 (§1, review E6): several purposes in one request are a warning, not a failure.
#[test]
fn issue_10_several_purposes_are_a_warning_not_a_failure() {
    let mut c = case();
    let mut input = complete(&c);
    input.request_type = Some(RequestType::Access);
    input.other_purposes = vec![RequestType::CorrectionDeletion];
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    assert!(warned(&c, id).contains(&"several_purposes".to_owned()), "several purposes are a warning");
    assert!(c.vault.journal().checklist(id, 1, 0).unwrap().ready(), "not a missing item");
    let text = draft_text(&c, id, "en");
    assert!(
        text.contains("to grant the applicant access") && text.contains("to order their deletion"),
        "{text}"
    );
    input.grounds[0].argument.clear();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert!(
        missing(&c, id).contains(&"reasons".to_owned()),
        "a deletion purpose needs reasons, combined or not"
    );
    input.other_purposes = vec![RequestType::Access];
    let err = c.vault.journal_mut().edit_request(id, &input).unwrap_err();
    assert!(err.to_string().contains("twice"), "{err}");
}

/// Issue 10 (§2 item 9): a revision filed after the 6-month window of ST 42(2) is a blocking error until counsel
/// writes the reason for filing it nonetheless; the reason goes into the draft's notes.
#[test]
fn issue_10_a_late_revision_is_blocked_until_counsel_writes_a_reason() {
    let mut c = case();
    let mut input = complete(&c);
    input.request_type = Some(RequestType::Revision);
    input.revision = Some(RevisionInput {
        revised_type: Some(RequestType::CorrectionDeletion),
        decision_reference: "CCF/2025/123".into(),
        decision_date: "2025-06-01".into(),
        new_fact: "The court refused extradition.".into(),
        discovered_on: "2025-11-25".into(),
        summary: "New ruling.".into(),
        why_unknown: "Given after the decision.".into(),
        why_decisive: "It finds the case political.".into(),
        late_reason: String::new(),
    });
    input.signature_date = "2026-05-26".into();
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    assert_eq!(missing(&c, id), ["revision_window"], "one day late");
    let window = checklist_item(&c, id, "revision_window");
    assert_eq!(window.date, NaiveDate::from_ymd_opt(2026, 5, 25), "discovery + 6 months, §5's month rule");
    assert!(window.fix.contains("2026-05-25") && !window.overridden, "{window:?}");
    input.signature_date = "2026-05-25".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert!(missing(&c, id).is_empty(), "the last day is within the window");
    input.signature_date = "2026-11-28".into();
    input.received = "2026-05-20".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert!(missing(&c, id).is_empty(), "the date the CCF received it counts before the signature's");
    input.received.clear();
    input.revision.as_mut().unwrap().late_reason =
        "The applicant learned of the ruling only through counsel.".into();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    let window = checklist_item(&c, id, "revision_window");
    assert!(window.passed && window.overridden, "a written reason overrides the error: {window:?}");
    let notes = draft_text(&c, id, "en");
    assert!(notes.contains("25 May 2026 (Article 42(2) of the Statute of the CCF)"), "{notes}");
    assert!(
        notes.contains("The applicant learned of the ruling only through counsel."),
        "counsel's reason is in the draft: {notes}"
    );
    assert!(
        draft_text(&c, id, "es").contains("(art. 42(2) del Estatuto de la CCF)"),
        "the Spanish draft cites the window's article"
    );
}

/// Issue 10: a ground resting partly on [check] citations is flagged for counsel in the checklist, per ground.
#[test]
fn issue_10_unverified_citations_are_flagged_per_ground() {
    let mut c = case();
    let mut input = complete(&c);
    input.grounds.push(GroundArgument {
        ground: "threshold".into(),
        argument: "The offence carries one year at most.".into(),
        evidence: vec![],
    });
    input.grounds.push(GroundArgument {
        ground: "no-international-interest".into(),
        argument: "A local matter.".into(),
        evidence: vec![],
    });
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let list = c.vault.journal().checklist(id, 1, 0).unwrap();
    let grounds: Vec<_> =
        list.items.iter().filter(|i| i.key == "unverified_citations").map(|i| i.ground.clone()).collect();
    assert_eq!(
        grounds,
        [Some("political".to_owned()), Some("no-international-interest".to_owned())],
        "the threshold ground rests on verified citations only"
    );
    let en = draft_text(&c, id, "en");
    assert!(
        en.contains("CCF practice: the data must be of interest for international police cooperation."),
        "the ground is stated as practice: {en}"
    );
    assert!(
        en.contains("Not verified against the official text, so not cited as an article or paragraph"),
        "the draft says why no article is cited: {en}"
    );
    for number in ["RPD 35", "Article 35 RPD", "77(2)"] {
        assert!(!en.contains(number), "[check] '{number}' must not reach the draft:\n{en}");
    }
}

/// Issue 10: a request stored before issue 10's fields reads, and re-encodes to the same bytes (its audit hash
/// stays valid); an untouched edit adds no audit entry.
#[test]
fn issue_10_a_request_stored_before_the_new_fields_keeps_its_bytes() {
    let mut c = case();
    let input = RequestInput { identity_complete: false, identity_expiry: String::new(), ..complete(&c) };
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let stored: String = c
        .vault
        .raw_connection()
        .unwrap()
        .query_row("SELECT state FROM ccf_request WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    for key in [
        "other_purposes",
        "applicant_kind",
        "applicant_form",
        "identity_complete",
        "identity_expiry",
        "signer",
        "entity_registration",
        "entity_authority",
        "minor_relationship",
    ] {
        assert!(!stored.contains(key), "a default '{key}' is left out of the stored form: {stored}");
    }
    let state: redress_core::ccf::RequestState = serde_json::from_str(&stored).unwrap();
    assert_eq!(state.applicant_form, ApplicantForm::Neutral, "nothing is assumed about an old request");
    assert_eq!(serde_json::to_string(&state).unwrap(), stored, "an old request re-encodes to its own bytes");
    let before = c.vault.journal().history(Kind::Request, id).unwrap().len();
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert_eq!(
        c.vault.journal().history(Kind::Request, id).unwrap().len(),
        before,
        "saving the same request again records no new version"
    );
    assert!(c.vault.journal().verify().unwrap().ok(), "the chain verifies");
}

/// Issue 10 (§2 item 8): no supporting document besides the identity document and the power of attorney is a
/// warning (a reported cause of rejection), not a failure.
#[test]
fn issue_10_missing_supporting_documents_are_a_warning() {
    let mut c = case();
    let mut input = complete(&c);
    input.grounds[0].evidence.clear();
    input.annexes.truncate(2);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    assert!(warned(&c, id).contains(&"supporting_documents".to_owned()), "no supporting document is warned");
    assert!(
        missing(&c, id).is_empty() && c.vault.journal().checklist(id, 1, 0).unwrap().ready(),
        "a warning, not a missing item"
    );
    input.grounds[0].evidence = vec![c.ruling];
    c.vault.journal_mut().edit_request(id, &input).unwrap();
    assert!(!warned(&c, id).contains(&"supporting_documents".to_owned()), "a linked document clears it");
}

/// The app's and the CLI's list of computed deadlines: every request's, soonest first, with the end of the last
/// day in Lyon and in the person's zone, UTC when that zone is unknown.
#[test]
fn computed_deadlines_are_sorted_and_fall_back_to_utc_for_an_unknown_zone() {
    let mut c = case();
    let mut later = complete(&c);
    later.title = "Later".into();
    later.admissibility = "2026-06-01".into();
    let mut sooner = complete(&c);
    sooner.title = "Sooner".into();
    sooner.admissibility = "2026-02-27".into();
    c.vault.journal_mut().add_request(&later).unwrap();
    c.vault.journal_mut().add_request(&sooner).unwrap();
    let j = c.vault.journal();
    let here = j.computed_deadlines("Asia/Tokyo").unwrap();
    let titles: Vec<&str> = here.iter().map(|d| d.request_title.as_str()).collect();
    assert_eq!(titles, ["Sooner", "Later"], "soonest first, whatever order they were added in");
    assert!(here.windows(2).all(|w| w[0].computed.due <= w[1].computed.due), "sorted by due date");
    let unknown = j.computed_deadlines("Mars/Olympus").unwrap();
    let utc = j.computed_deadlines("UTC").unwrap();
    assert_eq!(unknown.len(), 2, "an unknown zone still lists every deadline");
    for ((u, t), h) in unknown.iter().zip(&utc).zip(&here) {
        assert_eq!(u.ends_here, t.ends_here, "an unknown zone falls back to UTC");
        assert_ne!(h.ends_here, t.ends_here, "a known zone is used");
        assert_eq!(u.ends_in_lyon, h.ends_in_lyon, "Lyon's clock does not depend on the person's zone");
    }
}

/// Saving a draft writes the whole PDF or nothing: an existing file is replaced in one rename (no temporary
/// file is left beside it), and a target in the vault folder is refused without writing.
#[test]
fn a_draft_export_replaces_a_file_atomically_and_refuses_the_vault_folder() {
    let mut c = case();
    let input = complete(&c);
    let id = c.vault.journal_mut().add_request(&input).unwrap();
    let out_dir = c._dir.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let target = write(&out_dir, "draft.pdf", b"OLD");
    let rendered =
        redress_core::ccf::draft::render(c.vault.journal(), id, Some("en"), &AnnexPages::default()).unwrap();
    redress_core::ccf::draft::save(&c.vault, &rendered, &target).unwrap();
    let written = std::fs::read(&target).unwrap();
    assert_eq!(written, rendered.bytes, "the file holds the rendered draft");
    assert!(written.starts_with(b"%PDF"), "a PDF");
    let left: Vec<_> = std::fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["draft.pdf"], "no temporary file is left");

    let vault_dir = c.vault.dir().to_owned();
    let before = snapshot(&vault_dir);
    let err = redress_core::ccf::draft::save(&c.vault, &rendered, &vault_dir.join("draft.pdf")).unwrap_err();
    assert_eq!(err.reason(), "target_in_vault", "{err}");
    assert!(!vault_dir.join("draft.pdf").exists(), "nothing written in the vault folder");
    assert_eq!(snapshot(&vault_dir).keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
}
