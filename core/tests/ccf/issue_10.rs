//! Issue 10's legal corrections of the checklist and drafts: identity, entities, minors, representatives,
//! translations, late revisions, unverified citations, stored requests, computed deadlines and saving a draft.

use super::*;

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
