//! Backend integration tests: real SQLCipher files on disk, driven through the public API and `redress-cli`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

mod bundle;
mod ccf;
mod common;
mod files;
mod formats;
mod layers;
mod pdf;
mod vault;

use std::fs;
use std::path::Path;

use common::*;
use redress_core::chronology::EventInput;
use redress_core::contacts::{ContactInput, ContactRole};
use redress_core::deadlines::{DeadlineInput, DeadlineKind, DeadlineStatus, Due};
use redress_core::evidence::{check_source, EvidenceMeta};
use redress_core::profile::{NoticeType, ProfileInput};
use redress_core::secret::RecoveryKey;
use redress_core::{backup, Error, Kind, SystemClock, Vault};
use secrecy::SecretString;

fn import(
    vault: &mut Vault,
    path: &Path,
    meta: &EvidenceMeta,
) -> redress_core::Result<redress_core::evidence::Imported> {
    let source = check_source(path)?;
    vault.journal_mut().import(&source, meta, &mut no_progress())
}

#[test]
fn schema_migrations_apply_in_order_from_an_empty_vault() {
    let dir = scratch();
    let (vault, _) = new_vault(dir.path());
    assert_eq!(vault.journal().schema_version().unwrap(), 4, "a new vault must carry every migration");
    let conn = vault.raw_connection().unwrap();
    for table in
        ["audit", "profile", "blob", "blob_chunk", "evidence", "event", "contact", "deadline", "search"]
    {
        let n: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = ?1", [table], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "migration 1 must create table {table}");
    }
    let (page, journal_mode, fk, secure): (i64, String, i64, i64) = (
        conn.query_row("PRAGMA cipher_page_size", [], |r| r.get::<_, String>(0).map(|s| s.parse().unwrap()))
            .unwrap(),
        conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap(),
        conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap(),
        conn.query_row("PRAGMA secure_delete", [], |r| r.get(0)).unwrap(),
    );
    assert_eq!((page, journal_mode.as_str(), fk, secure), (65536, "delete", 1, 1));
    drop(conn);
    drop(vault);
    let header = fs::read(dir.path().join("vault/journal.db")).unwrap();
    assert!(!header.starts_with(b"SQLite format 3"), "the journal must be encrypted from its first byte");
    // Reopening does not re-run migrations or fail.
    let vault = reopen(dir.path());
    assert_eq!(vault.journal().schema_version().unwrap(), 4);
    // A vault of schema 1 (before CCF requests) is brought up to date on open, its content kept.
    let conn = vault.raw_connection().unwrap();
    conn.execute_batch("DROP TABLE ccf_request; DROP TABLE disclosure; PRAGMA user_version = 1;").unwrap();
    drop(conn);
    drop(vault);
    let vault = reopen(dir.path());
    assert_eq!(
        vault.journal().schema_version().unwrap(),
        4,
        "opening a schema-1 vault applies migrations 2, 3 and 4"
    );
    assert!(vault.journal().verify().unwrap().ok(), "the migrated vault verifies");
}

#[test]
fn no_marker_reaches_any_file_in_the_clear() {
    // The system temp dir is shared: only files written since this test started can be ours (with a margin for
    // file systems whose clocks tick coarsely).
    let started = std::time::SystemTime::now() - std::time::Duration::from_secs(2);
    let dir = scratch();
    let src = scratch();
    let ascii = marker("REDRESSMARKER");
    let cyrillic = marker("МАРКЕРСЕКРЕТ");
    let (mut vault, _) = new_vault(dir.path());
    let a = write(
        src.path(),
        "statement.txt",
        format!("witness statement {ascii} {cyrillic}\n").repeat(200).as_bytes(),
    );
    let mut big = vec![0u8; 3 * 1024 * 1024 + 17];
    big[2 * 1024 * 1024..2 * 1024 * 1024 + ascii.len()].copy_from_slice(ascii.as_bytes());
    let b = write(src.path(), "scan.bin", &big);
    let meta = EvidenceMeta { description: format!("note {ascii} {cyrillic}"), ..Default::default() };
    import(&mut vault, &a, &meta).unwrap();
    import(&mut vault, &b, &EvidenceMeta { title: Some(format!("title {cyrillic}")), ..Default::default() })
        .unwrap();
    let j = vault.journal_mut();
    j.add_contact(&ContactInput {
        name: "Counsel".into(),
        notes: format!("call about {ascii}"),
        ..Default::default()
    })
    .unwrap();
    j.add_event(&EventInput {
        date: "2019-03".into(),
        title: format!("Search {cyrillic}"),
        description: ascii.clone(),
        ..Default::default()
    })
    .unwrap();
    j.set_profile(&ProfileInput {
        name_latin: "Ivan".into(),
        name_native: cyrillic.clone(),
        ..Default::default()
    })
    .unwrap();
    j.add_deadline(&DeadlineInput {
        title: "CCF reply".into(),
        due: "2027-01-05".into(),
        notes: ascii.clone(),
        ..Default::default()
    })
    .unwrap();
    // Edit and trash: old versions and trashed content live in the journal too.
    let first = j.list_evidence(false).unwrap()[0].id;
    j.edit_evidence(first, &EvidenceMeta { title: Some(format!("edited {ascii}")), ..Default::default() })
        .unwrap();
    j.trash(Kind::Evidence, first).unwrap();
    assert!(!j.search(&cyrillic, 10).unwrap().is_empty(), "the markers must be searchable while unlocked");
    let backup_file = dir.path().join("case.redress-backup");
    vault.backup(&backup_file, &mut no_progress()).unwrap();
    drop(vault);

    for needle in [ascii.as_bytes(), cyrillic.as_bytes()] {
        let leaks = files_containing(dir.path(), needle, u64::MAX);
        assert!(
            leaks.is_empty(),
            "no vault file (database, journal, slots, backup) may hold a marker: {leaks:?}"
        );
        // The test's own source files hold the markers in the clear on purpose; they may sit under the temp
        // directory when the checkout itself does (CI clones there).
        let tmp: Vec<_> =
            files_containing_since(&std::env::temp_dir(), needle, 512 * 1024 * 1024, Some(started))
                .into_iter()
                .filter(|p| !p.starts_with(src.path()))
                .collect();
        assert!(tmp.is_empty(), "nothing may leak into the system temp directory: {tmp:?}");
    }
    assert!(dir.path().join("vault/keyslots.json").exists(), "the vault scanned was a whole vault");
}

#[test]
fn a_wrong_passphrase_changes_no_byte_and_the_recovery_key_opens() {
    let dir = scratch();
    let src = scratch();
    let (mut vault, recovery) = new_vault(dir.path());
    let f = write(src.path(), "a.txt", b"first evidence");
    import(&mut vault, &f, &EvidenceMeta::default()).unwrap();
    drop(vault);
    let before = snapshot(dir.path());
    let wrong = SecretString::from("not the passphrase".to_owned());
    let err = Vault::open(&dir.path().join("vault"), &wrong, Box::new(SystemClock)).unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase(_)), "got {err}");
    assert_eq!(err.code(), "wrong_passphrase");
    let bad_key = RecoveryKey::parse(FOREIGN_RECOVERY_KEY).unwrap();
    let err =
        Vault::open_with_recovery(&dir.path().join("vault"), &bad_key, Box::new(SystemClock)).unwrap_err();
    assert!(matches!(err, Error::WrongRecoveryKey(_)), "got {err}");
    assert_eq!(
        before,
        snapshot(dir.path()),
        "a wrong passphrase or recovery key must not change one byte of the vault"
    );

    let key = RecoveryKey::parse(&recovery).unwrap();
    let mut vault =
        Vault::open_with_recovery(&dir.path().join("vault"), &key, Box::new(SystemClock)).unwrap();
    assert_eq!(vault.journal().list_evidence(false).unwrap().len(), 1);
    let new = SecretString::from("a brand new passphrase".to_owned());
    vault.change_passphrase_with(&new, redress_core::KdfParams::THROWAWAY).unwrap();
    drop(vault);
    let db_before = fs::read(dir.path().join("vault/journal.db")).unwrap();
    assert!(
        matches!(
            Vault::open(&dir.path().join("vault"), &pass(), Box::new(SystemClock)).unwrap_err(),
            Error::WrongPassphrase(_)
        ),
        "the old passphrase must stop working"
    );
    let vault = Vault::open(&dir.path().join("vault"), &new, Box::new(SystemClock)).unwrap();
    let items = vault.journal().list_evidence(false).unwrap();
    assert_eq!(items.len(), 1, "a passphrase change keeps all content");
    assert_eq!(items[0].state.title, "a");
    assert!(vault.journal().verify().unwrap().ok(), "a passphrase change keeps the chain verifying");
    drop(vault);
    let db_after = fs::read(dir.path().join("vault/journal.db")).unwrap();
    // Only the audit entry of the change is appended; the pages are not re-encrypted under a new key.
    assert_eq!(
        db_before[..16],
        db_after[..16],
        "a passphrase change must not rewrite the database (same salt)"
    );
    assert!(
        db_after.len() <= db_before.len() + 2 * 65536,
        "a passphrase change must not rewrite the database"
    );
}

/// A well-formed recovery key (its checksum correct) of another vault: the stored-format fixture's.
const FOREIGN_RECOVERY_KEY: &str = "R82G-9Y9S-C03F-W340-B0MY-CVEM-H6Q3-3FCM";

#[test]
fn exported_bytes_hash_like_the_original_and_duplicates_are_reported() {
    let dir = scratch();
    let src = scratch();
    let out = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let path = src.path().join("scan.pdf");
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend(std::iter::repeat_n(b'x', 2_500_000));
    fs::write(&path, &pdf).unwrap();
    let item = import(&mut vault, &path, &EvidenceMeta::default()).unwrap();
    assert_eq!(item.mime, "application/pdf", "the type is sniffed from the content");
    assert_eq!(item.sha256, sha256_file(&path));
    let copy = src.path().join("renamed.txt");
    fs::copy(&path, &copy).unwrap();
    match import(&mut vault, &copy, &EvidenceMeta::default()) {
        Err(Error::Duplicate { existing_id, .. }) => assert_eq!(existing_id, item.id),
        other => panic!("the same content imported twice must be reported as a duplicate, got {other:?}"),
    }
    assert_eq!(vault.journal().list_evidence(false).unwrap().len(), 1);
    let target = out.path().join("export.pdf");
    let sha = vault.journal_mut().export_evidence(item.id, &target, &mut no_progress()).unwrap();
    assert_eq!(sha, item.sha256);
    assert_eq!(sha256_file(&target), item.sha256, "export must write the original bytes");
    // Replacing an existing file is the caller's consent to give (the save dialog, `--replace`): the library
    // replaces it whole, once the new copy is verified (issue 9).
    vault.journal_mut().export_evidence(item.id, &target, &mut no_progress()).unwrap();
    assert_eq!(sha256_file(&target), item.sha256, "a second export replaces the file with the same bytes");
    // A range read (the preview path) returns the same bytes as the file.
    let mid = vault.journal().read_evidence_range(item.id, 1_048_570, 20).unwrap();
    assert_eq!(&mid[..], &pdf[1_048_570..1_048_590]);
}

#[test]
fn a_one_gib_file_imports_and_exports_intact() {
    let dir = scratch();
    let src = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let path = src.path().join("video.bin");
    write_random(&path, 1024 * 1024 * 1024, 7);
    let original = sha256_file(&path);
    let item = import(&mut vault, &path, &EvidenceMeta::default()).unwrap();
    assert_eq!(item.size, 1024 * 1024 * 1024);
    assert_eq!(item.sha256, original);
    fs::remove_file(&path).unwrap();
    let target = src.path().join("back.bin");
    vault.journal_mut().export_evidence(item.id, &target, &mut no_progress()).unwrap();
    assert_eq!(sha256_file(&target), original, "1 GiB must come back byte for byte");
}

#[test]
fn cancelling_an_import_leaves_nothing() {
    let dir = scratch();
    let src = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let path = src.path().join("big.bin");
    write_random(&path, 8 * 1024 * 1024, 3);
    let source = check_source(&path).unwrap();
    let mut calls = 0;
    let err = vault
        .journal_mut()
        .import(&source, &EvidenceMeta::default(), &mut |_| {
            calls += 1;
            calls < 4
        })
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "the import reports the cancel: {err}");
    assert!(vault.journal().list_evidence(true).unwrap().is_empty(), "a cancelled import lists nothing");
    let conn = vault.raw_connection().unwrap();
    let chunks: i64 = conn.query_row("SELECT count(*) FROM blob_chunk", [], |r| r.get(0)).unwrap();
    assert_eq!(chunks, 0, "a cancelled import must leave no chunk behind");
    assert!(vault.journal().verify().unwrap().ok(), "a cancelled import leaves the chain verifying");
}

#[test]
fn changing_a_stored_row_outside_redress_makes_verify_name_the_entry() {
    let dir = scratch();
    let src = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let f = write(src.path(), "letter.txt", b"letter from the prosecutor");
    let item = import(&mut vault, &f, &EvidenceMeta::default()).unwrap();
    let contact = vault
        .journal_mut()
        .add_contact(&ContactInput { name: "A. Lawyer".into(), ..Default::default() })
        .unwrap();
    assert!(vault.journal().verify().unwrap().ok(), "the untouched vault verifies (the test's premise)");
    let import_entry = vault.journal().history(Kind::Evidence, item.id).unwrap()[0].seq;

    // 1. A record's row changed with a raw connection.
    let conn = vault.raw_connection().unwrap();
    conn.execute("UPDATE evidence SET state = replace(state, 'letter', 'forged') WHERE id = ?1", [item.id])
        .unwrap();
    let report = vault.journal().verify().unwrap();
    assert!(!report.ok(), "a changed row must fail verification");
    assert_eq!(
        report.problems[0].entry,
        Some(import_entry),
        "verify must name the entry that recorded the row"
    );
    assert!(
        report.problems[0].message.contains(&format!("audit entry {import_entry}")),
        "the message names the entry: {}",
        report.problems[0].message
    );
    conn.execute("UPDATE evidence SET state = replace(state, 'forged', 'letter') WHERE id = ?1", [item.id])
        .unwrap();
    assert!(vault.journal().verify().unwrap().ok(), "undoing the change must verify again");

    // 2. An audit entry's payload altered.
    let contact_entry = vault.journal().history(Kind::Contact, contact).unwrap()[0].seq;
    conn.execute(
        "UPDATE audit SET payload = replace(payload, 'A. Lawyer', 'B. Lawyer') WHERE seq = ?1",
        [contact_entry],
    )
    .unwrap();
    let report = vault.journal().verify().unwrap();
    assert_eq!(report.problems[0].entry, Some(contact_entry), "{:?}", report.problems);
    assert!(report.problems[0].message.contains("altered"), "{}", report.problems[0].message);
    conn.execute(
        "UPDATE audit SET payload = replace(payload, 'B. Lawyer', 'A. Lawyer') WHERE seq = ?1",
        [contact_entry],
    )
    .unwrap();

    // 3. A stored chunk of the file changed.
    conn.execute("UPDATE blob_chunk SET data = X'00' || substr(data, 2)", []).unwrap();
    let report = vault.journal().verify().unwrap();
    assert!(
        report.problems.iter().any(|p| p.message.contains("does not match its SHA-256")),
        "{:?}",
        report.problems
    );
}

#[test]
fn edits_keep_versions_and_trash_restore_purge_work() {
    let dir = scratch();
    let src = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let f = write(src.path(), "decision.txt", b"asylum decision text");
    let item = import(&mut vault, &f, &EvidenceMeta::default()).unwrap();
    let j = vault.journal_mut();
    j.edit_evidence(
        item.id,
        &EvidenceMeta {
            title: Some("Asylum decision".into()),
            doc_date: "2021-06-30".into(),
            tags: vec!["asylum".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let history = j.history(Kind::Evidence, item.id).unwrap();
    assert_eq!(history.len(), 2, "an import and an edit: two versions");
    assert!(
        history[0].payload.as_deref().unwrap().contains("\"title\":\"decision\""),
        "the prior version is kept"
    );
    assert!(history[1].payload.as_deref().unwrap().contains("Asylum decision"), "the new version is kept");

    j.trash(Kind::Evidence, item.id).unwrap();
    assert!(j.list_evidence(false).unwrap().is_empty(), "a trashed item leaves the list");
    assert!(j.search("asylum", 10).unwrap().is_empty(), "trashed items leave the search");
    j.restore(Kind::Evidence, item.id).unwrap();
    assert_eq!(j.search("asylum", 10).unwrap().len(), 1, "a restored item is found again");
    let err = j.purge(Kind::Evidence, item.id).unwrap_err();
    assert!(err.to_string().contains("must be in the trash"), "only a trashed item can be purged: {err}");
    j.trash(Kind::Evidence, item.id).unwrap();
    j.purge(Kind::Evidence, item.id).unwrap();
    assert!(matches!(j.evidence(item.id), Err(Error::NotFound { .. })), "a purged item is gone");
    let history = j.history(Kind::Evidence, item.id).unwrap();
    assert!(
        history.iter().all(|e| e.payload.is_none() || e.action == "purge"),
        "purge erases every stored copy"
    );
    assert!(!history.is_empty(), "the chain keeps the purged item's entries");
    let report = j.verify().unwrap();
    assert!(report.ok(), "a purge keeps the chain verifiable: {:?}", report.problems);
    let conn = vault.raw_connection().unwrap();
    let chunks: i64 = conn.query_row("SELECT count(*) FROM blob_chunk", [], |r| r.get(0)).unwrap();
    assert_eq!(chunks, 0, "purge erases the content");
}

#[test]
fn backup_restores_equal_items_and_a_damaged_backup_is_refused() {
    let dir = scratch();
    let src = scratch();
    let (mut vault, _) = new_vault(dir.path());
    for (i, name) in ["a.txt", "b.bin", "в.txt"].iter().enumerate() {
        let f = src.path().join(name);
        write_random(&f, 100_000 * (i as u64 + 1) + 3, i as u64 + 5);
        import(&mut vault, &f, &EvidenceMeta::default()).unwrap();
    }
    vault
        .journal_mut()
        .add_event(&EventInput {
            date: "before 2020-02".into(),
            title: "Arrest warrant".into(),
            ..Default::default()
        })
        .unwrap();
    let file = src.path().join("vault.backup");
    vault.backup(&file, &mut no_progress()).unwrap();
    let original: Vec<(String, String)> = vault
        .journal()
        .list_evidence(false)
        .unwrap()
        .into_iter()
        .map(|i| (i.state.title, i.state.sha256))
        .collect();

    let target = dir.path().join("restored");
    let (restored, report) =
        backup::restore(&file, &target, &pass(), Box::new(SystemClock), &mut no_progress()).unwrap();
    assert!(report.ok(), "a restored vault verifies: {:?}", report.problems);
    assert_eq!(report.files_hashed, 3, "restore re-hashes every stored file");
    let copy: Vec<(String, String)> = restored
        .journal()
        .list_evidence(false)
        .unwrap()
        .into_iter()
        .map(|i| (i.state.title, i.state.sha256))
        .collect();
    assert_eq!(copy, original, "a restored vault holds the same items with the same hashes");
    assert_eq!(
        restored.journal().list_events(false).unwrap()[0].state.date.to_string(),
        "before 2020-02",
        "the event comes back with its fuzzy date"
    );
    drop(restored);

    let bytes = fs::read(&file).unwrap();
    let truncated = src.path().join("truncated.backup");
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let err = backup::restore(
        &truncated,
        &dir.path().join("t"),
        &pass(),
        Box::new(SystemClock),
        &mut no_progress(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("truncated"), "a truncated backup must be named as such: {err}");
    assert!(!dir.path().join("t").exists(), "a refused restore leaves no directory behind");

    let mut tampered = bytes.clone();
    let at = tampered.len() - 5000;
    tampered[at] ^= 0x40;
    let tampered_file = src.path().join("tampered.backup");
    fs::write(&tampered_file, &tampered).unwrap();
    let err = backup::restore(
        &tampered_file,
        &dir.path().join("u"),
        &pass(),
        Box::new(SystemClock),
        &mut no_progress(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("altered"), "a tampered backup must be refused: {err}");
    assert!(!dir.path().join("u").exists(), "a refused restore leaves no directory behind");

    let wrong = SecretString::from("wrong passphrase!".to_owned());
    let err =
        backup::restore(&file, &dir.path().join("w"), &wrong, Box::new(SystemClock), &mut no_progress())
            .unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase(_)), "a wrong passphrase is named as such: {err}");
    let err =
        backup::restore(&file, &target, &pass(), Box::new(SystemClock), &mut no_progress()).unwrap_err();
    assert!(err.to_string().contains("not empty"), "restore never writes into an existing vault: {err}");
}

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
    assert!(message.contains("at least 8"), "the rule is named: {message}");
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
