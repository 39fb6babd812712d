//! The records through the library: fuzzy dates and deadline statuses, clear refusals of bad input, vault states,
//! what a purge leaves in the search index, the overview, and record kinds by name.

use super::*;

#[test]
fn fuzzy_dates_and_deadline_statuses_round_trip_and_search_finds_both_scripts() {
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let j = vault.journal_mut();
    let texts = ["2014", "2016-05", "2017-09-12", "before 2018-01", "after 2019-03-02", "about 2015"];
    for t in texts {
        j.add_event(&EventInput {
            date: t.into(),
            title: format!("event {t}"),
            place: "Москва".into(),
            ..Default::default()
        })
        .unwrap();
    }
    let events = j.list_events(false).unwrap();
    let dates: Vec<String> = events.iter().map(|e| e.state.date.to_string()).collect();
    assert_eq!(
        dates,
        ["2014", "about 2015", "2016-05", "2017-09-12", "before 2018-01", "after 2019-03-02"],
        "timeline order"
    );
    let lawyer = j
        .add_contact(&ContactInput {
            name: "Мария Соколова".into(),
            role: ContactRole::Lawyer,
            email: "m.sokolova@example.org".into(),
            power_of_attorney: "2024-02-29".into(),
            ..Default::default()
        })
        .unwrap();
    let d = j
        .add_deadline(&DeadlineInput {
            title: "Reply to the CCF".into(),
            due: "2027-01-31 17:00 Europe/Paris".into(),
            kind: DeadlineKind::Ccf,
            contact: Some(lawyer),
            reminders: vec![7, 30],
            ..Default::default()
        })
        .unwrap();
    j.extend_deadline(d, "2027-02-28").unwrap();
    let dl = j.deadline(d).unwrap().state;
    assert_eq!(dl.due.to_string(), "2027-01-31 17:00 Europe/Paris", "the original date is kept");
    assert_eq!(dl.status, DeadlineStatus::Extended { to: Due::parse("d", "2027-02-28").unwrap() });
    assert_eq!(dl.reminders, vec![30, 7]);
    let on = chrono::NaiveDate::from_ymd_opt(2027, 2, 20).unwrap();
    j.mark_deadline_done(d, on).unwrap();
    assert_eq!(j.deadline(d).unwrap().state.status, DeadlineStatus::Done { on });
    let err = j.extend_deadline(d, "2026-01-01").unwrap_err();
    assert!(
        err.to_string().contains("is not later than the date that applies now"),
        "an extension must be later than the current date: {err}"
    );
    j.reopen_deadline(d).unwrap();
    assert_eq!(
        j.deadline(d).unwrap().state.status,
        DeadlineStatus::Extended { to: Due::parse("d", "2027-02-28").unwrap() },
        "reopening a done deadline keeps its extension"
    );
    j.mark_deadline_done(d, on).unwrap();
    drop(vault);
    let vault = reopen(dir.path());
    let j = vault.journal();
    assert_eq!(j.deadline(d).unwrap().state.due.to_string(), "2027-01-31 17:00 Europe/Paris");
    assert_eq!(j.list_events(false).unwrap().len(), texts.len());
    let hits = j.search("соколова", 10).unwrap();
    assert_eq!(hits.len(), 1, "Cyrillic search folds case");
    assert_eq!(hits[0].kind, Kind::Contact);
    assert_eq!(j.search("МОСКВ", 10).unwrap().len(), texts.len(), "Cyrillic prefix search");
    assert_eq!(j.search("ccf reply", 10).unwrap().len(), 1, "Latin words in any order");
    assert_eq!(j.search("\"unbalanced", 10).unwrap().len(), 0, "stray quotes are not an error");
    assert!(j.verify().unwrap().ok(), "the chain verifies after every change");
}

#[test]
fn bad_input_gets_a_clear_message_and_changes_nothing() {
    let dir = scratch();
    let src = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let ok = write(src.path(), "ok.txt", b"fine");
    import(&mut vault, &ok, &EvidenceMeta::default()).unwrap();
    let before = snapshot(&dir.path().join("vault"));

    let empty = write(src.path(), "empty.pdf", b"");
    let err = check_source(&empty).unwrap_err().to_string();
    assert!(err.contains("empty.pdf") && err.contains("0 bytes"), "{err}");
    let err = check_source(src.path()).unwrap_err().to_string();
    assert!(err.contains("is a folder"), "{err}");
    let err = check_source(&src.path().join("missing.pdf")).unwrap_err().to_string();
    assert!(err.contains("does not exist"), "{err}");
    let rtl = write(src.path(), "invoice\u{202E}fdp.exe", b"x");
    let err = check_source(&rtl).unwrap_err().to_string();
    assert!(err.contains("U+202E") && !err.contains('\u{202E}'), "the override is named, not echoed: {err}");
    // Larger than the free disk space: a sparse file, refused before a byte is read.
    let huge = src.path().join("huge.mp4");
    let free = fs4::available_space(src.path()).unwrap();
    fs::File::create(&huge).unwrap().set_len(free + (1 << 30)).unwrap();
    let err = import(&mut vault, &huge, &EvidenceMeta::default()).unwrap_err().to_string();
    assert!(err.contains("free"), "{err}");
    fs::remove_file(&huge).unwrap();

    let f = write(src.path(), "doc.txt", b"document");
    let j = vault.journal_mut();
    let long = "t".repeat(100_000);
    let source = check_source(&f).unwrap();
    for (meta, expect) in [
        (EvidenceMeta { title: Some(long), ..Default::default() }, "100000 characters"),
        (EvidenceMeta { title: Some("a\u{0007}b".into()), ..Default::default() }, "control character"),
        (EvidenceMeta { doc_date: "2023-02-29".into(), ..Default::default() }, "does not exist"),
        (EvidenceMeta { doc_date: "31/12/2020".into(), ..Default::default() }, "not a date"),
    ] {
        let err = j.import(&source, &meta, &mut no_progress()).unwrap_err().to_string();
        assert!(err.contains(expect), "expected '{expect}' in: {err}");
    }
    // Each refusal names its field and why (the reason code is what the UI translates).
    fn refusal<T: std::fmt::Debug>(result: redress_core::Result<T>) -> (&'static str, String) {
        let err = result.unwrap_err();
        (err.reason(), err.to_string())
    }
    let (reason, message) = refusal(j.add_event(&EventInput {
        date: "2021-02-30".into(),
        title: "x".into(),
        ..Default::default()
    }));
    assert_eq!(reason, "bad_date", "{message}");
    assert!(message.starts_with("event date:") && message.contains("does not exist"), "{message}");
    let (reason, message) = refusal(j.add_deadline(&DeadlineInput {
        title: "x".into(),
        due: "2026-13-01".into(),
        ..Default::default()
    }));
    assert_eq!(reason, "bad_date", "{message}");
    assert!(message.starts_with("due date:") && message.contains("not a real date"), "{message}");
    let (reason, message) = refusal(j.add_contact(&ContactInput {
        name: "x".into(),
        email: "not-an-email".into(),
        ..Default::default()
    }));
    assert_eq!(reason, "invalid", "{message}");
    assert!(message.starts_with("email:") && message.contains("not an email address"), "{message}");
    let (_, message) = refusal(j.add_event(&EventInput {
        date: "2021".into(),
        title: "x".into(),
        evidence: vec![999],
        ..Default::default()
    }));
    assert!(message.contains("evidence item 999 does not exist"), "a missing link is named: {message}");
    let (reason, message) = refusal(j.set_profile(&ProfileInput {
        name_latin: "\u{202E}x".into(),
        notice_type: NoticeType::RedNotice,
        ..Default::default()
    }));
    assert_eq!(reason, "forbidden_char", "{message}");
    assert!(message.contains("U+202E") && !message.contains('\u{202E}'), "named, not echoed: {message}");
    let weak = SecretString::from("short".to_owned());
    let (reason, message) = refusal(vault.change_passphrase(&weak));
    assert_eq!(reason, "passphrase_short", "{message}");
    assert!(message.contains("at least 10"), "the rule is named: {message}");
    assert_eq!(
        before,
        snapshot(&dir.path().join("vault")),
        "rejected input must not change one byte of the vault"
    );
}

#[test]
fn vault_states_are_told_apart() {
    let dir = scratch();
    let open = |p: &Path| Vault::open(p, &pass(), Box::new(SystemClock)).unwrap_err().to_string();
    let message = open(&dir.path().join("nope"));
    assert!(message.contains("does not exist"), "a missing folder: {message}");
    fs::create_dir(dir.path().join("plain")).unwrap();
    let message = open(&dir.path().join("plain"));
    assert!(message.contains("not a Redress vault"), "a folder that is not a vault: {message}");
    fs::create_dir(dir.path().join("half")).unwrap();
    fs::write(dir.path().join("half/journal.db"), b"partial").unwrap();
    let message = open(&dir.path().join("half"));
    assert!(message.contains("half-written"), "a vault whose creation was interrupted: {message}");
    let (vault, _) = new_vault(dir.path());
    drop(vault);
    let slots = dir.path().join("vault/keyslots.json");
    let copy = dir.path().join("vault/keyslots.copy.json");
    let text = fs::read_to_string(&slots).unwrap();
    fs::write(&slots, text.replace("\"version\": 2", "\"version\": 9")).unwrap();
    assert!(
        open(&dir.path().join("vault")).contains("newer Redress"),
        "a slot file from a newer version is refused even when the other copy would open"
    );
    fs::write(&slots, "{ not json").unwrap();
    fs::write(&copy, "{ not json either").unwrap();
    let message = open(&dir.path().join("vault"));
    assert!(message.contains("damaged"), "two damaged slot copies: {message}");
    let (_, _) = Vault::create(&dir.path().join("second"), &pass(), fast(), Box::new(SystemClock)).unwrap();
    let err = Vault::create(&dir.path().join("second"), &pass(), fast(), Box::new(SystemClock)).unwrap_err();
    assert!(err.to_string().contains("not empty"), "a vault is never created over another: {err}");
}

/// Issue 9 §5 (review M3): "Erase for good" leaves no word of the record in the search index, not even in the
/// index's own pages (FTS5 keeps deleted terms in `search_data` until a merge unless secure-delete is on).
#[test]
fn issue_9_a_purged_record_leaves_no_word_in_the_search_index() {
    const CANARY: &str = "zqxwvkjcanary";
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let j = vault.journal_mut();
    // Neighbours, so the index keeps segments after the purge and the canary cannot vanish with a whole segment.
    for n in 0..40 {
        j.add_event(&EventInput {
            date: "2020".into(),
            title: format!("Hearing number {n} about the extradition"),
            description: format!("Court session {n}, adjourned"),
            ..Default::default()
        })
        .unwrap();
    }
    let id = j
        .add_event(&EventInput {
            date: "2021-03-14".into(),
            title: format!("Meeting with {CANARY} source"),
            description: format!("The {CANARY} witness named the officer"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(j.search(CANARY, 10).unwrap().len(), 1);
    let in_index = |vault: &Vault| -> (i64, i64, i64) {
        let conn = vault.raw_connection().unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [CANARY], |r| r.get(0)).unwrap() };
        (
            count("SELECT count(*) FROM search_data WHERE instr(block, CAST(?1 AS BLOB)) > 0"),
            count("SELECT count(*) FROM search_idx WHERE instr(CAST(term AS BLOB), CAST(?1 AS BLOB)) > 0"),
            count("SELECT count(*) FROM search_content WHERE instr(c2 || c3, ?1) > 0"),
        )
    };
    assert!(in_index(&vault).0 >= 1, "the canary is indexed before the purge (the test's own premise)");
    let j = vault.journal_mut();
    j.trash(Kind::Event, id).unwrap();
    j.purge(Kind::Event, id).unwrap();
    assert!(j.search(CANARY, 10).unwrap().is_empty(), "a purged record is not found");
    assert_eq!(
        in_index(&vault),
        (0, 0, 0),
        "after 'Erase for good' the purged words must be gone from the index's raw blocks, keys and content"
    );
    assert_eq!(vault.journal().search("extradition", 100).unwrap().len(), 40, "the other records stay found");
    drop(vault);
    let hits = files_containing(&dir.path().join("vault"), CANARY.as_bytes(), u64::MAX);
    assert!(hits.is_empty(), "no file of the vault holds the purged word in the clear: {hits:?}");

    // The check sees what is left behind: with secure-delete off (as before schema 4), the same steps leave the
    // purged words in the index's blocks.
    let mut vault = reopen(dir.path());
    let conn = vault.raw_connection().unwrap();
    conn.execute("INSERT INTO search (search, rank) VALUES ('secure-delete', 0)", []).unwrap();
    drop(conn);
    let j = vault.journal_mut();
    let id = j
        .add_event(&EventInput {
            date: "2021".into(),
            title: format!("Call with {CANARY}"),
            description: format!("{CANARY} again"),
            ..Default::default()
        })
        .unwrap();
    j.trash(Kind::Event, id).unwrap();
    j.purge(Kind::Event, id).unwrap();
    assert!(in_index(&vault).0 >= 1, "without secure-delete a purged word stays in search_data");
    drop(vault);
    let hits = files_containing(&dir.path().join("vault"), CANARY.as_bytes(), u64::MAX);
    assert!(hits.is_empty(), "no file of the vault holds the purged word in the clear: {hits:?}");
}

/// The overview: counts of what is not in the trash, the deadlines not done within 60 days (overdue ones
/// included), each with the one urgency rule, and the latest changes.
#[test]
fn the_overview_counts_and_lists_the_deadlines_of_the_next_sixty_days() {
    use redress_core::deadlines::Urgency;
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let j = vault.journal_mut();
    let mut add = |title: &str, due: &str, reminders: Vec<u32>| {
        j.add_deadline(&DeadlineInput {
            title: title.into(),
            due: due.into(),
            reminders,
            ..Default::default()
        })
        .unwrap()
    };
    add("overdue", "2026-11-30", vec![]);
    add("twenty days, reminders 30 and 7", "2026-12-21", vec![30, 7]);
    add("sixty days", "2027-01-30", vec![]);
    add("sixty-one days", "2027-01-31", vec![]);
    let done = add("done", "2026-12-05", vec![]);
    let trashed = add("trashed", "2026-12-06", vec![]);
    j.mark_deadline_done(done, today).unwrap();
    j.trash(Kind::Deadline, trashed).unwrap();
    j.add_contact(&ContactInput { name: "A. Lawyer".into(), ..Default::default() }).unwrap();
    j.add_event(&EventInput { date: "2019".into(), title: "Arrest".into(), ..Default::default() }).unwrap();
    let o = vault.journal().overview(today).unwrap();
    assert_eq!((o.evidence, o.events, o.contacts), (0, 1, 1), "counts");
    assert_eq!(o.deadlines, 5, "every deadline not in the trash, the done one included");
    let upcoming: Vec<(&str, Option<Urgency>)> =
        o.upcoming.iter().map(|d| (d.state.title.as_str(), d.urgency)).collect();
    assert_eq!(
        upcoming,
        [
            ("overdue", Some(Urgency::Overdue)),
            ("twenty days, reminders 30 and 7", Some(Urgency::Soon)),
            ("sixty days", Some(Urgency::Later)),
        ],
        "not done, within 60 days, with the urgency the deadline lists show"
    );
    assert!(!o.recent.is_empty() && o.recent.len() <= 12, "the latest changes, at most 12");
    let attention = vault.journal().deadlines_needing_attention(today).unwrap();
    assert_eq!(attention.len(), 2, "the banner shows the overdue one and the one within its 30-day reminder");
}

/// The app and the CLI take a kind of record by its name; an unknown one is refused with the names accepted.
#[test]
fn every_kind_of_record_parses_from_its_name() {
    for k in Kind::ALL {
        assert_eq!(k.name().parse::<Kind>().unwrap(), k);
    }
    let err = "ccf_request".parse::<Kind>().unwrap_err().to_string();
    assert!(err.contains("'ccf_request'") && err.contains("evidence, event, contact"), "{err}");
}
