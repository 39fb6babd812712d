//! Backend integration tests: real SQLCipher files on disk, driven through the public API and `redress-cli`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

mod bundle;
mod ccf;
mod common;
mod files;
mod formats;
mod isolate;
mod layers;
mod pdf;
mod records;
mod scan;
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
    assert_eq!(vault.journal().schema_version().unwrap(), 5, "a new vault must carry every migration");
    let conn = vault.raw_connection().unwrap();
    for table in [
        "audit",
        "profile",
        "blob",
        "blob_chunk",
        "evidence",
        "event",
        "contact",
        "deadline",
        "search",
        "recognised",
        "recognised_page",
    ] {
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
    assert_eq!(vault.journal().schema_version().unwrap(), 5);
    // A vault of schema 1 (before CCF requests) is brought up to date on open, its content kept.
    let conn = vault.raw_connection().unwrap();
    conn.execute_batch(
        "DROP TABLE ccf_request; DROP TABLE disclosure; DROP TABLE recognised_page; DROP TABLE recognised;
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    drop(vault);
    let vault = reopen(dir.path());
    assert_eq!(
        vault.journal().schema_version().unwrap(),
        5,
        "opening a schema-1 vault applies migrations 2 to 5"
    );
    assert!(vault.journal().verify().unwrap().ok(), "the migrated vault verifies");
}

/// Issue 12 §3 (review M8): SQLCipher wipes what it frees (the parser's copy of the hex key, decrypted pages).
#[test]
fn issue_12_sqlcipher_memory_security_is_on_for_every_connection() {
    let dir = scratch();
    let (vault, _) = new_vault(dir.path());
    let conn = vault.raw_connection().unwrap();
    let on: String = conn.query_row("PRAGMA cipher_memory_security", [], |r| r.get(0)).unwrap();
    assert_eq!(on, "1", "freed SQLCipher memory may hold the hex key and decrypted pages: it must be wiped");

    // Built with OMIT_MEMLOCK (.cargo/config.toml): with memory security on, SQLCipher would otherwise mlock every
    // allocation it makes (two system calls each, search three times slower) and this process would show locked
    // memory. Nothing else in the test process locks any.
    let mut stmt = conn.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE ?1").unwrap();
    for pattern in ["%", "search%", "evidence%"] {
        let _: i64 = stmt.query_row([pattern], |r| r.get(0)).unwrap();
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let locked = status.lines().find(|l| l.starts_with("VmLck:")).unwrap_or("VmLck: unreadable");
    assert_eq!(
        locked.split_whitespace().nth(1),
        Some("0"),
        "SQLCipher must be built without its per-allocation mlock (LIBSQLITE3_FLAGS=-DOMIT_MEMLOCK): {locked}"
    );
}

/// Whether any writable mapping of this process holds `inverted` with every byte inverted (the needle is kept
/// inverted, so the search itself never holds the plain text it looks for). Read through `/proc/self/mem`, as a
/// memory dump of the running app would be.
fn memory_holds(inverted: &[u8]) -> bool {
    use std::os::unix::fs::FileExt;
    let maps = fs::read_to_string("/proc/self/maps").unwrap();
    let mem = fs::File::open("/proc/self/mem").unwrap();
    // Wiped when dropped: a chunk that held the text (the open connection's page) would otherwise leave it in
    // freed heap memory for the next search to find.
    let mut chunk = zeroize::Zeroizing::new(vec![0u8; 1 << 20]);
    let first = !inverted[0];
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else { continue };
        if !perms.starts_with("rw") {
            continue;
        }
        let Some((from, to)) = range.split_once('-') else { continue };
        let (Ok(from), Ok(to)) = (u64::from_str_radix(from, 16), u64::from_str_radix(to, 16)) else {
            continue;
        };
        let mut at = from;
        while at < to {
            let len = chunk.len().min((to - at) as usize);
            let Ok(n) = mem.read_at(&mut chunk[..len], at) else { break };
            if n == 0 {
                break;
            }
            let found = chunk[..n]
                .windows(inverted.len())
                .any(|w| w[0] == first && w.iter().zip(inverted).all(|(b, i)| *b == !*i));
            if found {
                return true;
            }
            // Overlap the next chunk by the needle's length, so no match falls between two reads.
            at += (n.saturating_sub(inverted.len()).max(1)) as u64;
        }
    }
    false
}

/// Issue 12 §3 (review M8), tried as a memory dump would: a text stored through a connection lives in SQLCipher's
/// decrypted pages while the connection is open, and once it is closed no byte of process memory holds it, because
/// SQLCipher overwrites what it frees. The text is made on the stack and bound without a copy on Rust's heap
/// (whose freed memory nobody wipes), so SQLCipher's memory is the only place it can remain.
#[test]
fn issue_12_a_closed_connection_leaves_no_decrypted_text_in_memory() {
    use zeroize::Zeroize;
    // As in an app that has run a while: glibc raises its mmap threshold after large frees (up to 32 MiB), and
    // then SQLite's 64 KiB pages live on the heap, where free() leaves their bytes, instead of being unmapped (a
    // fresh process would unmap them and pass without any wipe). The thresholds are set at start only, so the test
    // runs itself again with them.
    const CHILD: &str = "REDRESS_WIPE_PROBE_CHILD";
    if std::env::var_os(CHILD).is_none() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "issue_12_a_closed_connection_leaves_no_decrypted_text_in_memory",
                "--nocapture",
            ])
            .env(CHILD, "1")
            .env(
                "GLIBC_TUNABLES",
                "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824",
            )
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && text.contains("1 passed"), "the probe failed:\n{text}");
        return;
    }
    let dir = scratch();
    let (vault, _) = new_vault(dir.path());
    let mut random = [0u8; 12];
    getrandom::getrandom(&mut random).unwrap();
    let mut text = *b"RDRS-WIPE-000000000000000000000000";
    for (i, b) in random.iter().enumerate() {
        text[10 + 2 * i] = b"0123456789abcdef"[(b >> 4) as usize];
        text[11 + 2 * i] = b"0123456789abcdef"[(b & 15) as usize];
    }
    // Element by element: `text.map(..)` would take a by-value copy of the plain text onto the stack.
    let mut inverted = [0u8; 34];
    for (inv, b) in inverted.iter_mut().zip(&text) {
        *inv = !*b;
    }
    random.zeroize();

    let conn = vault.raw_connection().unwrap();
    conn.execute_batch("CREATE TABLE wipe_probe (x TEXT)").unwrap();
    conn.execute("INSERT INTO wipe_probe VALUES (?1)", [std::str::from_utf8(&text).unwrap()]).unwrap();
    text.zeroize();
    let read: i64 =
        conn.query_row("SELECT count(*) FROM wipe_probe WHERE length(x) = 34", [], |r| r.get(0)).unwrap();
    assert_eq!(read, 1);
    assert!(
        memory_holds(&inverted),
        "while the connection is open its decrypted page holds the text: the search must find it there"
    );
    drop(conn);
    assert!(
        !memory_holds(&inverted),
        "a closed connection must leave no copy of a decrypted text in freed memory (cipher_memory_security)"
    );
    inverted.zeroize();
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
    let whole = vault.journal().read_evidence_range(item.id, 0, pdf.len()).unwrap();
    assert!(whole == pdf, "a read of the whole item returns every byte");
    let n = pdf.len() as u64;
    let tail = vault.journal().read_evidence_range(item.id, n - 10, 1000).unwrap();
    assert_eq!(&tail[..], &pdf[pdf.len() - 10..], "a read past the end stops at the end");
    assert!(vault.journal().read_evidence_range(item.id, n + 5, 10).unwrap().is_empty());
}

#[test]
fn a_chunk_altered_outside_redress_is_reported_as_damaged_and_nothing_is_written() {
    let dir = scratch();
    let src = scratch();
    let out = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let path = src.path().join("three-chunks.bin");
    write_random(&path, 2_500_000, 11);
    let item = import(&mut vault, &path, &EvidenceMeta::default()).unwrap();
    // A sound item checked after the damaged one: verify must not blame it.
    let sound = src.path().join("two-chunks.bin");
    write_random(&sound, 1_500_000, 12);
    import(&mut vault, &sound, &EvidenceMeta::default()).unwrap();
    let conn = vault.raw_connection().unwrap();
    let chunk_of_item =
        format!("seq = 1 AND blob_id = (SELECT blob_id FROM evidence WHERE id = {})", item.id);
    let original: Vec<u8> = conn
        .query_row(&format!("SELECT data FROM blob_chunk WHERE {chunk_of_item}"), [], |r| r.get(0))
        .unwrap();
    // The middle chunk no longer holds bytes, then holds one byte more than a chunk.
    for altered in ["7", "zeroblob(1048577)"] {
        conn.execute(&format!("UPDATE blob_chunk SET data = {altered} WHERE {chunk_of_item}"), []).unwrap();
        let target = out.path().join("back.bin");
        let err = vault.journal_mut().export_evidence(item.id, &target, &mut no_progress()).unwrap_err();
        assert!(
            matches!(&err, Error::Integrity(m) if m.contains(&format!("evidence item {} is damaged; run verify", item.id))),
            "{altered}: {err}"
        );
        assert!(!target.exists(), "{altered}: nothing is written");
        let err = vault.journal().read_evidence_range(item.id, 1_000_000, 100_000).unwrap_err();
        assert!(matches!(err, Error::Integrity(_)), "{altered}: a range read over it fails too: {err}");
        let report = vault.journal().verify().unwrap();
        let named = format!("evidence item {} ", item.id);
        assert!(
            report.problems.len() == 1 && report.problems[0].message.contains(&named),
            "{altered}: verify reports the damaged item and only it: {:?}",
            report.problems
        );
        assert_eq!(report.files_hashed, 2, "{altered}: both items are re-hashed");
    }
    conn.execute(&format!("UPDATE blob_chunk SET data = ?1 WHERE {chunk_of_item}"), [&original]).unwrap();
    assert!(vault.journal().verify().unwrap().ok(), "restored, the journal verifies again");
    let target = out.path().join("back.bin");
    vault.journal_mut().export_evidence(item.id, &target, &mut no_progress()).unwrap();
    assert_eq!(sha256_file(&target), item.sha256, "restored, the item exports whole again");
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
