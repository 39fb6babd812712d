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

mod drafts;
mod issue_10;

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
        ("reasons", Box::new(|r| r.grounds[0].argument.clear())),
        ("signed", Box::new(|r| r.signature_date.clear())),
        ("signed", Box::new(|r| r.signature_place = " ".into())),
    ];
    // Every working language is a draft language now (Arabic too), and a request in another one is refused when
    // it is saved, so the working-language item cannot fail on a stored request.
    let mut russian = complete(&c);
    russian.language = "ru".into();
    let before = c.vault.journal().request(id).unwrap().state.language;
    let err = c.vault.journal_mut().edit_request(id, &russian).unwrap_err();
    assert_eq!(err.reason(), "not_working_language", "{err}");
    assert_eq!(c.vault.journal().request(id).unwrap().state.language, before, "the refusal changes nothing");
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
