//! Stored values pinned by value: the canonical JSON of every stored state, the names stored for kinds and choices,
//! and the digests of the shipped migrations.

use super::*;

/// Encodes `value`, compares it with `expected`, and decodes `expected` back to `value`: the literal, not the
/// code under test, is the reference.
fn pinned_json<S: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &S, expected: &str) {
    assert_eq!(json(value), expected, "the canonical JSON of a stored state must not change");
    assert_eq!(&serde_json::from_str::<S>(expected).unwrap(), value, "the stored form must decode");
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn every_stored_state_keeps_its_canonical_json() {
    pinned_json(
        &ProfileState {
            name_latin: "Mikhail Orlov".into(),
            name_native: "Михаил Орлов".into(),
            date_of_birth: Some(day(1980, 5, 17)),
            nationalities: vec!["RU".into(), "IL".into()],
            current_country: "LT".into(),
            issuing_country: "RU".into(),
            notice_type: NoticeType::Diffusion,
            references: vec!["A-1/2023".into()],
        },
        concat!(
            r#"{"name_latin":"Mikhail Orlov","name_native":"Михаил Орлов","date_of_birth":"1980-05-17","#,
            r#""nationalities":["RU","IL"],"current_country":"LT","issuing_country":"RU","#,
            r#""notice_type":"diffusion","references":["A-1/2023"]}"#,
        ),
    );
    pinned_json(
        &EvidenceState {
            title: "Scan".into(),
            original_name: "scan.pdf".into(),
            sha256: "ab".repeat(32),
            size: 1234,
            mime: "application/pdf".into(),
            doc_date: Some(FuzzyDate::parse("date", "about 2019-03").unwrap()),
            source: "Court".into(),
            language: "ru".into(),
            description: "Ruling".into(),
            tags: vec!["court".into()],
            translation: None,
        },
        concat!(
            r#"{"title":"Scan","original_name":"scan.pdf","#,
            r#""sha256":"abababababababababababababababababababababababababababababababab","size":1234,"#,
            r#""mime":"application/pdf","doc_date":"about 2019-03","source":"Court","language":"ru","#,
            r#""description":"Ruling","tags":["court"]}"#,
        ),
    );
    // A translation (issue 13): the link is one more field, written only when set.
    pinned_json(
        &EvidenceState {
            title: "Ruling (EN)".into(),
            original_name: "ruling-en.pdf".into(),
            sha256: "cd".repeat(32),
            size: 99,
            mime: "application/pdf".into(),
            doc_date: None,
            source: String::new(),
            language: "en".into(),
            description: String::new(),
            tags: Vec::new(),
            translation: Some(TranslationOf {
                original: 3,
                language: "en".into(),
                translator: "A. Translator".into(),
                certified: true,
                date: Some(FuzzyDate::parse("date", "2024-05").unwrap()),
            }),
        },
        concat!(
            r#"{"title":"Ruling (EN)","original_name":"ruling-en.pdf","#,
            r#""sha256":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd","size":99,"#,
            r#""mime":"application/pdf","doc_date":null,"source":"","language":"en","description":"","tags":[],"#,
            r#""translation":{"original":3,"language":"en","translator":"A. Translator","certified":true,"#,
            r#""date":"2024-05"}}"#,
        ),
    );
    pinned_json(
        &EventState {
            date: FuzzyDate::parse("date", "before 2019-03-14").unwrap(),
            title: "Arrest".into(),
            place: "Minsk".into(),
            description: "Detained for 10 days".into(),
            evidence: vec![3, 1],
        },
        concat!(
            r#"{"date":"before 2019-03-14","title":"Arrest","place":"Minsk","#,
            r#""description":"Detained for 10 days","evidence":[3,1]}"#,
        ),
    );
    pinned_json(
        &ContactState {
            name: "A. Lawyer".into(),
            firm: String::new(),
            role: ContactRole::Ngo,
            jurisdiction: "DE".into(),
            languages: vec!["de".into()],
            email: "a@example.org".into(),
            phone: "+49 30 1".into(),
            messenger: String::new(),
            notes: "Line one\nline two".into(),
            power_of_attorney: None,
        },
        concat!(
            r#"{"name":"A. Lawyer","firm":"","role":"ngo","jurisdiction":"DE","languages":["de"],"#,
            r#""email":"a@example.org","phone":"+49 30 1","messenger":"","notes":"Line one\nline two","#,
            r#""power_of_attorney":null}"#,
        ),
    );
    let deadline = |due: Due, status: DeadlineStatus, computed: Option<ComputedFrom>| DeadlineState {
        title: "Appeal".into(),
        due,
        kind: DeadlineKind::Extradition,
        contact: Some(2),
        event: None,
        status,
        reminders: vec![14, 1],
        notes: String::new(),
        computed,
    };
    let paris =
        Due::DateTime { local: day(2027, 1, 31).and_hms_opt(17, 0, 0).unwrap(), zone: "Europe/Paris".into() };
    pinned_json(
        &deadline(paris.clone(), DeadlineStatus::Open, None),
        concat!(
            r#"{"title":"Appeal","due":{"type":"date_time","local":"2027-01-31T17:00:00","#,
            r#""zone":"Europe/Paris"},"kind":"extradition","contact":2,"event":null,"#,
            r#""status":{"status":"open"},"reminders":[14,1],"notes":""}"#,
        ),
    );
    pinned_json(
        &deadline(Due::Date { date: day(2027, 1, 5) }, DeadlineStatus::Done { on: day(2027, 1, 4) }, None),
        concat!(
            r#"{"title":"Appeal","due":{"type":"date","date":"2027-01-05"},"kind":"extradition","#,
            r#""contact":2,"event":null,"status":{"status":"done","on":"2027-01-04"},"reminders":[14,1],"#,
            r#""notes":""}"#,
        ),
    );
    pinned_json(
        &deadline(
            Due::Date { date: day(2027, 1, 5) },
            DeadlineStatus::Extended { to: paris },
            Some(ComputedFrom {
                request: 4,
                key: "ccf-access-decision".into(),
                rule: "ST 40(1)".into(),
                from: "4 months after 2026-09-05".into(),
            }),
        ),
        concat!(
            r#"{"title":"Appeal","due":{"type":"date","date":"2027-01-05"},"kind":"extradition","#,
            r#""contact":2,"event":null,"status":{"status":"extended","to":{"type":"date_time","#,
            r#""local":"2027-01-31T17:00:00","zone":"Europe/Paris"}},"reminders":[14,1],"notes":"","#,
            r#""computed":{"request":4,"key":"ccf-access-decision","rule":"ST 40(1)","#,
            r#""from":"4 months after 2026-09-05"}}"#,
        ),
    );
    let request = RequestState {
        title: "Revision".into(),
        request_type: Some(RequestType::Revision),
        language: "fr".into(),
        representative: Some(2),
        power_of_attorney: Some(5),
        identity_document: Some(1),
        data: DataConcerned {
            issuing_country: "RU".into(),
            instrument: NoticeType::RedNotice,
            references: vec!["A-1/2023".into()],
            dates: "issued 2022".into(),
        },
        facts: vec![7],
        grounds: vec![GroundArgument {
            ground: "refugee".into(),
            argument: "Status granted.".into(),
            evidence: vec![6],
        }],
        annexes: vec![Annex { evidence: 6, confidential: true }],
        revision: Some(Revision {
            revised_type: Some(RequestType::CorrectionDeletion),
            decision_reference: "CCF/2025/1".into(),
            decision_date: Some(day(2025, 6, 1)),
            new_fact: "A court refused extradition.".into(),
            discovered_on: Some(day(2025, 11, 25)),
            summary: "New ruling.".into(),
            why_unknown: "Given after the decision.".into(),
            why_decisive: "It finds the case political.".into(),
            late_reason: String::new(),
        }),
        confidentiality: "Do not share annex 1.".into(),
        signature_place: "Vilnius".into(),
        signature_date: Some(day(2026, 3, 1)),
        status: RequestStatus::SentToCounsel,
        ccf: CcfDates { received: Some(day(2026, 3, 5)), admissibility: None, decision: None },
        other_purposes: vec![RequestType::Access],
        applicant_kind: ApplicantKind::Minor,
        applicant_form: ApplicantForm::Feminine,
        identity_complete: true,
        identity_expiry: Some(day(2030, 1, 31)),
        entity_registration: None,
        entity_authority: None,
        minor_relationship: Some(8),
        signer: Signer::Representative,
    };
    pinned_json(
        &request,
        concat!(
            r#"{"title":"Revision","request_type":"revision","language":"fr","representative":2,"#,
            r#""power_of_attorney":5,"identity_document":1,"data":{"issuing_country":"RU","#,
            r#""instrument":"red_notice","references":["A-1/2023"],"dates":"issued 2022"},"facts":[7],"#,
            r#""grounds":[{"ground":"refugee","argument":"Status granted.","evidence":[6]}],"#,
            r#""annexes":[{"evidence":6,"confidential":true}],"#,
            r#""revision":{"revised_type":"correction_deletion","decision_reference":"CCF/2025/1","#,
            r#""decision_date":"2025-06-01","new_fact":"A court refused extradition.","#,
            r#""discovered_on":"2025-11-25","summary":"New ruling.","#,
            r#""why_unknown":"Given after the decision.","why_decisive":"It finds the case political."},"#,
            r#""confidentiality":"Do not share annex 1.","signature_place":"Vilnius","#,
            r#""signature_date":"2026-03-01","status":"sent_to_counsel","ccf":{"received":"2026-03-05","#,
            r#""admissibility":null,"decision":null},"other_purposes":["access"],"applicant_kind":"minor","#,
            r#""applicant_form":"feminine","identity_complete":true,"identity_expiry":"2030-01-31","#,
            r#""minor_relationship":8,"signer":"representative"}"#,
        ),
    );
    pinned_json(
        &DisclosureState {
            contact: None,
            contact_name: String::new(),
            items: vec![DisclosedItem {
                exhibit: 1,
                evidence: 6,
                title: "Ruling".into(),
                sha256: "cd".repeat(32),
            }],
            file_name: "bundle.pdf".into(),
            sha256: "ef".repeat(32),
            pages: 12,
            encrypted: true,
            at: "2026-11-28T14:05:09.250Z".parse().unwrap(),
        },
        concat!(
            r#"{"contact":null,"contact_name":"","items":[{"exhibit":1,"evidence":6,"title":"Ruling","#,
            r#""sha256":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"}],"#,
            r#""file_name":"bundle.pdf","#,
            r#""sha256":"efefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefef","pages":12,"#,
            r#""encrypted":true,"at":"2026-11-28T14:05:09.250Z"}"#,
        ),
    );
}

/// The names an enum's values are stored under.
fn names<S: Serialize>(values: &[S]) -> Vec<String> {
    values.iter().map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_owned()).collect()
}

#[test]
fn the_names_stored_for_kinds_and_choices_do_not_change() {
    let kinds = ["profile", "evidence", "event", "contact", "deadline", "request", "disclosure"];
    assert_eq!(Kind::ALL.map(Kind::name), kinds, "the audit chain's entity names");
    assert_eq!(names(&Kind::ALL), kinds, "a kind's stored name");
    assert_eq!(
        names(&[NoticeType::RedNotice, NoticeType::Diffusion, NoticeType::Unknown]),
        ["red_notice", "diffusion", "unknown"],
        "notice types"
    );
    assert_eq!(
        names(&[
            ContactRole::Lawyer,
            ContactRole::Translator,
            ContactRole::Ngo,
            ContactRole::Journalist,
            ContactRole::Family,
            ContactRole::Other
        ]),
        ["lawyer", "translator", "ngo", "journalist", "family", "other"],
        "contact roles"
    );
    assert_eq!(
        names(&[
            DeadlineKind::Ccf,
            DeadlineKind::Extradition,
            DeadlineKind::Asylum,
            DeadlineKind::Court,
            DeadlineKind::Other
        ]),
        ["ccf", "extradition", "asylum", "court", "other"],
        "deadline kinds"
    );
    assert_eq!(
        names(&[RequestType::Access, RequestType::CorrectionDeletion, RequestType::Revision]),
        ["access", "correction_deletion", "revision"],
        "request types"
    );
    assert_eq!(
        names(&[
            RequestStatus::Draft,
            RequestStatus::SentToCounsel,
            RequestStatus::Filed,
            RequestStatus::Decided
        ]),
        ["draft", "sent_to_counsel", "filed", "decided"],
        "request statuses"
    );
    assert_eq!(
        names(&[ApplicantKind::Person, ApplicantKind::Minor, ApplicantKind::Entity]),
        ["person", "minor", "entity"],
        "applicant kinds"
    );
    assert_eq!(
        names(&[ApplicantForm::Neutral, ApplicantForm::Feminine, ApplicantForm::Masculine]),
        ["neutral", "feminine", "masculine"],
        "applicant forms"
    );
    assert_eq!(
        names(&[Signer::Applicant, Signer::Representative]),
        ["applicant", "representative"],
        "signers"
    );
}

#[test]
fn shipped_migrations_are_never_edited() {
    // Found by name anywhere under core/src, so moving the folder keeps this test.
    const SHIPPED: [(&str, &str); 4] = [
        ("0001_journal.sql", "94ffe09db5efff1552f6a4c24bc979f4c8abd728a3111aefd5a1a3588d58759d"),
        ("0002_ccf_requests.sql", "5ed22fee1fc3c0bd645da6c49e15b15e5dd5567451f65acff1e98dbc639be7af"),
        ("0003_disclosures.sql", "29dd8cdeaf54ee62eaa501866eba056e41820aa64d0132b52447730eff6c0d90"),
        ("0004_search_secure_delete.sql", "4c91726fcd7fe8c5f3e19ab441ef954451b0826400e7922dc72c8fc5ffd1abe5"),
    ];
    let mut found = BTreeMap::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                if SHIPPED.iter().any(|(shipped, _)| *shipped == name) {
                    let previous = found.insert(name.to_owned(), sha256_file(&path));
                    assert!(previous.is_none(), "migration {name} exists twice under core/src");
                }
            }
        }
    }
    for (name, digest) in SHIPPED {
        let Some(actual) = found.get(name) else {
            panic!("the shipped migration {name} is missing from core/src: migrations are never renamed or removed")
        };
        assert_eq!(actual, digest, "migration {name} has shipped: never edit it, add the next one instead");
    }
}
