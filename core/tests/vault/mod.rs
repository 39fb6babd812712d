//! Keys that can be revoked (issue 9 §1): re-key, the two slot copies, restore with the recovery key. Each test
//! tries what an adversary with an old copy of the vault's files would try.

use std::fs;
use std::path::Path;

use redress_core::evidence::{check_source, EvidenceMeta};
use redress_core::secret::RecoveryKey;
use redress_core::vault::{Unlock, SLOTS_COPY_FILE, SLOTS_FILE};
use redress_core::{backup, Error, SystemClock, Vault};
use secrecy::SecretString;

use crate::common::*;

mod first_open;

fn import_file(vault: &mut Vault, path: &Path) {
    let source = check_source(path).unwrap();
    let meta = EvidenceMeta { title: Some("scan".into()), ..Default::default() };
    vault.journal_mut().import(&source, &meta, &mut no_progress()).unwrap();
}

/// The journal file the slot file names (`journal.db`, or `journal-N.db` after a re-key).
fn journal_file(vault_dir: &Path) -> String {
    let slots: serde_json::Value =
        serde_json::from_slice(&fs::read(vault_dir.join(SLOTS_FILE)).unwrap()).unwrap();
    slots["db"]["file"].as_str().unwrap().to_owned()
}

fn open_err(dir: &Path, secret: Unlock<'_>) -> Error {
    match Vault::open_with(dir, secret, Box::new(SystemClock)) {
        Ok(vault) => {
            panic!("{secret:?} must not open {}: it lists {:?}", dir.display(), event_titles(&vault))
        }
        Err(e) => e,
    }
}

#[test]
fn rekey_revokes_the_old_passphrase_the_old_recovery_key_and_every_old_slot_copy() {
    let dir = scratch();
    let src = scratch();
    let vault_dir = dir.path().join("vault");
    let (mut vault, old_recovery) = new_vault(dir.path());
    add_event(&mut vault, "BEFORE-CHANGE");
    let scan = src.path().join("scan.bin");
    write_random(&scan, 3 * 1024 * 1024 + 17, 9);
    import_file(&mut vault, &scan);
    let backup_before = src.path().join("before.redress-backup");
    vault.backup(&backup_before, &mut no_progress()).unwrap();
    // What a border search images: the slot files of today.
    let old_slots = fs::read(vault_dir.join(SLOTS_FILE)).unwrap();
    let old_journal_name = journal_file(&vault_dir);

    let new_recovery = vault.rekey_with(&new_pass(), fast(), &mut no_progress()).unwrap();
    add_event(&mut vault, "AFTER-CHANGE");
    drop(vault);
    assert_ne!(new_recovery.display().as_str(), old_recovery, "a re-key gives a new recovery key");

    // 1. The old passphrase and the old recovery key no longer open the vault.
    assert!(matches!(open_err(&vault_dir, Unlock::Passphrase(&pass())), Error::WrongPassphrase(_)));
    let old_key = RecoveryKey::parse(&old_recovery).unwrap();
    assert!(matches!(open_err(&vault_dir, Unlock::Recovery(&old_key)), Error::WrongRecoveryKey(_)));

    // 2. The imaged slot file + the old passphrase (or old recovery key) + today's journal opens nothing.
    let current = journal_file(&vault_dir);
    assert_ne!(current, old_journal_name, "the journal is written anew");
    let forged = dir.path().join("forged");
    fs::create_dir(&forged).unwrap();
    fs::write(forged.join(SLOTS_FILE), &old_slots).unwrap();
    fs::copy(vault_dir.join(&current), forged.join(&old_journal_name)).unwrap();
    let err = open_err(&forged, Unlock::Passphrase(&pass()));
    assert!(err.to_string().contains("cannot be read with this vault's key"), "got {err}");
    open_err(&forged, Unlock::Recovery(&old_key));

    // 3. A backup made before opens with the passphrase of its day, but only its own content; its slots do not
    //    open today's journal.
    let (restored, _) = backup::restore(
        &backup_before,
        &dir.path().join("restored"),
        &pass(),
        Box::new(SystemClock),
        &mut no_progress(),
    )
    .unwrap();
    assert_eq!(event_titles(&restored), ["BEFORE-CHANGE"], "an old backup holds only what it held");
    let restored_journal = journal_file(&dir.path().join("restored"));
    drop(restored);
    fs::copy(vault_dir.join(&current), dir.path().join("restored").join(&restored_journal)).unwrap();
    open_err(&dir.path().join("restored"), Unlock::Passphrase(&pass()));

    // 4. The new passphrase and the new recovery key open everything, evidence re-hashed.
    let vault = Vault::open(&vault_dir, &new_pass(), Box::new(SystemClock)).unwrap();
    let mut titles = event_titles(&vault);
    titles.sort();
    assert_eq!(titles, ["AFTER-CHANGE", "BEFORE-CHANGE"]);
    let report = vault.journal().verify().unwrap();
    assert!(report.ok(), "the re-keyed journal verifies: {:?}", report.problems);
    assert_eq!(report.files_hashed, 1, "the evidence file is re-hashed from the new journal");
    drop(vault);
    Vault::open_with_recovery(&vault_dir, &new_recovery, Box::new(SystemClock)).unwrap();

    // 5. The old journal is gone from the vault folder: only the new one and the two slot copies remain.
    let mut names: Vec<String> =
        fs::read_dir(&vault_dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, [current.as_str(), SLOTS_COPY_FILE, SLOTS_FILE]);
}

#[test]
fn a_cancelled_rekey_leaves_the_vault_as_it_was() {
    let dir = scratch();
    let vault_dir = dir.path().join("vault");
    let (mut vault, recovery) = new_vault(dir.path());
    add_event(&mut vault, "KEPT");
    let before = snapshot(&vault_dir);
    let err = vault.rekey_with(&new_pass(), fast(), &mut |_| false).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "got {err}");
    assert_eq!(
        before,
        snapshot(&vault_dir),
        "a cancelled re-key must not change one byte of the vault folder"
    );
    // The open vault keeps working on its journal.
    add_event(&mut vault, "AFTER-CANCEL");
    drop(vault);
    let vault = reopen(dir.path());
    assert_eq!(event_titles(&vault).len(), 2);
    drop(vault);
    Vault::open_with_recovery(&vault_dir, &RecoveryKey::parse(&recovery).unwrap(), Box::new(SystemClock))
        .unwrap();
    // A weak passphrase is refused before anything is written.
    let mut vault = reopen(dir.path());
    let before = snapshot(&vault_dir);
    let weak = SecretString::from("short".to_owned());
    assert!(vault
        .rekey_with(&weak, fast(), &mut no_progress())
        .unwrap_err()
        .to_string()
        .contains("at least"));
    assert_eq!(before, snapshot(&vault_dir), "a refused re-key must not change one byte of the vault folder");
}

#[test]
fn a_rekey_interrupted_at_each_step_leaves_the_old_or_the_new_vault() {
    // Before the commit: a half-written new journal is left beside the old one.
    let dir = scratch();
    let vault_dir = dir.path().join("vault");
    let (mut vault, _) = new_vault(dir.path());
    add_event(&mut vault, "ONE");
    drop(vault);
    fs::write(vault_dir.join("journal-2.db"), b"half of a journal").unwrap();
    fs::write(vault_dir.join("journal-2.db-journal"), b"its rollback journal").unwrap();
    let mut vault = reopen(dir.path());
    assert_eq!(event_titles(&vault), ["ONE"], "before the commit the old vault opens");
    assert!(!vault_dir.join("journal-2.db").exists(), "the unfinished journal is removed at the next open");
    assert!(!vault_dir.join("journal-2.db-journal").exists());

    // After the first slot copy (the commit), before the second and before the old journal is removed.
    let old_copy = fs::read(vault_dir.join(SLOTS_COPY_FILE)).unwrap();
    let old_journal = fs::read(vault_dir.join("journal.db")).unwrap();
    vault.rekey_with(&new_pass(), fast(), &mut no_progress()).unwrap();
    add_event(&mut vault, "TWO");
    drop(vault);
    fs::write(vault_dir.join(SLOTS_COPY_FILE), &old_copy).unwrap();
    fs::write(vault_dir.join("journal.db"), &old_journal).unwrap();
    assert!(
        matches!(open_err(&vault_dir, Unlock::Passphrase(&pass())), Error::WrongPassphrase(_)),
        "the copy of an older generation must never open the vault"
    );
    let vault = Vault::open(&vault_dir, &new_pass(), Box::new(SystemClock)).unwrap();
    let mut titles = event_titles(&vault);
    titles.sort();
    assert_eq!(titles, ["ONE", "TWO"], "after the commit the new vault opens with all its content");
    drop(vault);
    assert_eq!(
        fs::read(vault_dir.join(SLOTS_COPY_FILE)).unwrap(),
        fs::read(vault_dir.join(SLOTS_FILE)).unwrap(),
        "the open finishes the re-key: the second copy is repaired"
    );
    assert!(!vault_dir.join("journal.db").exists(), "and the replaced journal is removed");
}

#[test]
fn a_damaged_slot_file_is_repaired_from_its_copy() {
    let dir = scratch();
    let vault_dir = dir.path().join("vault");
    let (mut vault, recovery) = new_vault(dir.path());
    add_event(&mut vault, "KEPT");
    drop(vault);
    let primary = vault_dir.join(SLOTS_FILE);
    let copy = vault_dir.join(SLOTS_COPY_FILE);
    let good = fs::read(&primary).unwrap();
    assert_eq!(good, fs::read(&copy).unwrap(), "both copies are written alike");

    // Truncated by one byte: the recovery key still opens, and the open repairs the file.
    fs::write(&primary, &good[..good.len() - 1]).unwrap();
    let key = RecoveryKey::parse(&recovery).unwrap();
    drop(Vault::open_with_recovery(&vault_dir, &key, Box::new(SystemClock)).unwrap());
    assert_eq!(fs::read(&primary).unwrap(), good, "the damaged copy is rewritten from the intact one");

    // One changed character that still parses (inside the wrapped key): the checksum tells damage from a wrong
    // passphrase, so the passphrase opens from the other copy.
    let text = String::from_utf8(good.clone()).unwrap();
    let at = text.find("\"wrapped_key\": \"").unwrap() + "\"wrapped_key\": \"".len();
    let mut bytes = good.clone();
    bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
    fs::write(&copy, &bytes).unwrap();
    fs::write(&primary, &bytes).unwrap();
    let err = open_err(&vault_dir, Unlock::Passphrase(&pass()));
    assert!(err.to_string().contains("damaged"), "two damaged copies are reported as damage: {err}");
    fs::write(&primary, &good).unwrap();
    drop(reopen(dir.path()));
    assert_eq!(fs::read(&copy).unwrap(), good, "the damaged second copy is repaired on open");

    // A missing copy is recreated; so is a missing first file.
    fs::remove_file(&copy).unwrap();
    drop(reopen(dir.path()));
    assert_eq!(fs::read(&copy).unwrap(), good);
    fs::remove_file(&primary).unwrap();
    drop(reopen(dir.path()));
    assert_eq!(fs::read(&primary).unwrap(), good);
}

#[test]
fn a_vault_with_a_format_1_slot_file_still_opens_and_gains_its_checked_copy() {
    let dir = scratch();
    let vault_dir = dir.path().join("vault");
    let (mut vault, _) = new_vault(dir.path());
    add_event(&mut vault, "OLD FORMAT");
    drop(vault);
    // Format 1, as written before this change: no generation, no checksum, no second copy.
    let mut v: serde_json::Value =
        serde_json::from_slice(&fs::read(vault_dir.join(SLOTS_FILE)).unwrap()).unwrap();
    let map = v.as_object_mut().unwrap();
    map.remove("generation");
    map.remove("checksum");
    map.insert("version".into(), 1.into());
    fs::write(vault_dir.join(SLOTS_FILE), serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    fs::remove_file(vault_dir.join(SLOTS_COPY_FILE)).unwrap();
    let vault = reopen(dir.path());
    assert_eq!(event_titles(&vault), ["OLD FORMAT"]);
    drop(vault);
    let now: serde_json::Value =
        serde_json::from_slice(&fs::read(vault_dir.join(SLOTS_FILE)).unwrap()).unwrap();
    assert_eq!(now["version"], 2, "the open upgrades the slot file");
    assert!(now["checksum"].is_string());
    assert_eq!(
        fs::read(vault_dir.join(SLOTS_FILE)).unwrap(),
        fs::read(vault_dir.join(SLOTS_COPY_FILE)).unwrap()
    );
}

/// Changing the passphrase needs the current one: a wrong one (or a new one too short) changes no byte, and the
/// old passphrase still opens the vault.
#[test]
fn a_passphrase_change_with_a_wrong_current_one_changes_no_byte() {
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let vault_dir = dir.path().join("vault");
    let before = snapshot(&vault_dir);
    let wrong = SecretString::from("not the passphrase at all".to_owned());
    let err = vault.change_passphrase_from(&wrong, &new_pass()).unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase(_)), "{err}");
    let err = vault.change_passphrase_from(&pass(), &SecretString::from("short".to_owned())).unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    drop(vault);
    assert_eq!(snapshot(&vault_dir), before, "a refused change writes nothing");
    drop(reopen(dir.path()));
}

/// Unlocking with the recovery key sets a new passphrase; a wrong key or a too-short passphrase changes nothing.
#[test]
fn recover_refuses_a_wrong_key_and_a_short_passphrase_without_writing() {
    let dir = scratch();
    let (vault, key) = new_vault(dir.path());
    let (_other, foreign) = new_vault(&dir.path().join("other"));
    drop(vault);
    let vault_dir = dir.path().join("vault");
    assert!(redress_core::vault::exists(&vault_dir), "a vault has its slot file");
    assert!(!redress_core::vault::exists(dir.path()), "a folder without one is no vault");
    let before = snapshot(&vault_dir);
    let err = Vault::recover(&vault_dir, &foreign, &new_pass(), Box::new(SystemClock)).unwrap_err();
    assert!(matches!(err, Error::WrongRecoveryKey(_)), "{err}");
    let err =
        Vault::recover(&vault_dir, &key, &SecretString::from("short".to_owned()), Box::new(SystemClock))
            .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert_eq!(snapshot(&vault_dir), before, "nothing written");
    drop(reopen(dir.path()));
}

/// Issue 12 §7 (review L2): a new passphrase needs 10 characters, counted in its NFC form (an accented letter
/// typed as a letter and a combining mark counts once), and the same words typed in either Unicode form open.
#[test]
fn issue_12_a_new_passphrase_needs_ten_characters_and_either_unicode_form_opens() {
    let dir = scratch();
    let nfd = |n: usize| SecretString::from("e\u{301}".repeat(n));
    let err = Vault::create(&dir.path().join("nine"), &nfd(9), fast(), Box::new(SystemClock)).unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert!(err.to_string().contains("at least 10 characters; the one given has 9"), "{err}");
    assert!(!dir.path().join("nine").join("keyslots.json").exists(), "a refused passphrase writes no vault");

    let vault_dir = dir.path().join("vault");
    drop(Vault::create(&vault_dir, &nfd(10), fast(), Box::new(SystemClock)).unwrap());
    let nfc = SecretString::from("\u{e9}".repeat(10));
    drop(Vault::open(&vault_dir, &nfc, Box::new(SystemClock)).expect("the precomposed form must open"));
    drop(Vault::open(&vault_dir, &nfd(10), Box::new(SystemClock)).expect("the decomposed form must open"));
    let err = Vault::open(&vault_dir, &nfd(11), Box::new(SystemClock)).unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase(_)), "{err}");
}
