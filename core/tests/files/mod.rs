//! Saving for the person (issue 9 §3, review H3 and L1): an export, a backup or a bundle that is refused,
//! cancelled or fails leaves the file it would replace as it was and nothing beside it; a target inside the
//! vault folder or a symlink is refused and the vault still opens; exported evidence is private (0600).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use redress_core::bundle::{export, BundleSpec};
use redress_core::evidence::{check_source, EvidenceMeta};
use redress_core::files;
use redress_core::pdf::isolate::Worker;
use redress_core::pdf::{render, Block, Document};
use redress_core::{backup, Error, SystemClock, Vault};
use secrecy::SecretString;

use crate::common::*;

struct Case {
    dir: tempfile::TempDir,
    out: PathBuf,
    vault: Vault,
}

impl Case {
    fn new() -> Case {
        let dir = scratch();
        let (vault, _) = new_vault(dir.path());
        let out = dir.path().join("usb");
        fs::create_dir_all(&out).unwrap();
        Case { dir, out, vault }
    }

    fn vault_dir(&self) -> PathBuf {
        self.dir.path().join("vault")
    }

    fn add(&mut self, name: &str, bytes: &[u8]) -> i64 {
        let path = write(self.dir.path(), name, bytes);
        let source = check_source(&path).unwrap();
        self.vault.journal_mut().import(&source, &EvidenceMeta::default(), &mut no_progress()).unwrap().id
    }

    /// A file holding "OLD" in the output folder, as the previous backup or export on the stick.
    fn old(&self, name: &str) -> PathBuf {
        write(&self.out, name, b"OLD")
    }
}

fn pdf(text: &str) -> Vec<u8> {
    let doc = Document {
        title: text.into(),
        language: "en".into(),
        blocks: vec![Block::Paragraph(text.into())],
        ..Document::default()
    };
    render(&doc).unwrap().bytes
}

fn worker() -> Worker {
    Worker::new(env!("CARGO_BIN_EXE_redress-worker"))
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn assert_untouched(target: &Path, why: &str) {
    assert_eq!(fs::read(target).unwrap(), b"OLD", "{why}: the file it would replace must stay as it was");
    let left = names(target.parent().unwrap());
    assert!(
        left.iter().all(|n| !n.starts_with('.')),
        "{why}: no temporary file may remain beside it: {left:?}"
    );
}

#[test]
fn issue_9_a_refused_cancelled_or_failed_save_keeps_the_file_it_would_replace() {
    let mut case = Case::new();
    let a = case.add("a.pdf", &pdf("EXHIBIT-A"));
    let big = case.add("big.bin", &{
        let mut v = b"%PDF-1.4\n".to_vec();
        v.resize(3 * 1024 * 1024 + 17, b'x');
        v
    });

    // A bundle with a password that is too short.
    let target = case.old("bundle.pdf");
    let short = SecretString::from("short".to_owned());
    let spec = BundleSpec::for_items(&[a]);
    let err = export(&mut case.vault, &spec, Some(&short), &target, &worker(), &mut |_| true).unwrap_err();
    assert_eq!(err.reason(), "weak_password");
    assert_untouched(&target, "a bundle with a weak password");
    // A bundle cancelled once it is written, just before it would take the name.
    let err =
        export(&mut case.vault, &spec, None, &target, &worker(), &mut |p| p.done < p.total - 1).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert_untouched(&target, "a bundle cancelled while writing");

    // A backup cancelled half-way over the previous backup on the stick.
    let target = case.old("redress-2026-12-01.redress-backup");
    let err = case.vault.backup(&target, &mut |p| p.done < p.total / 2).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert_untouched(&target, "a cancelled backup");

    // An evidence export cancelled half-way.
    let target = case.old("big.bin");
    let err = case.vault.journal_mut().export_evidence(big, &target, &mut |p| p.done < 2 << 20).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert_untouched(&target, "a cancelled evidence export");
    // A draft that cannot be written (its folder is gone) never touches anything either.
    let err = files::write(&case.out.join("gone/draft.pdf"), Some(&case.vault_dir()), b"PDF").unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");

    // And a save that succeeds replaces the old file in one step, leaving nothing else.
    let target = case.old("a.pdf");
    fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
    case.vault.journal_mut().export_evidence(a, &target, &mut no_progress()).unwrap();
    assert_eq!(fs::read(&target).unwrap(), pdf("EXHIBIT-A"), "the export replaced the old file");
    let backup_file = case.out.join("redress-2026-12-01.redress-backup");
    let size = case.vault.backup(&backup_file, &mut no_progress()).unwrap();
    assert_eq!(fs::metadata(&backup_file).unwrap().len(), size, "the size reported is the size written");
    let target = case.out.join("bundle.pdf");
    export(&mut case.vault, &spec, None, &target, &worker(), &mut |_| true).unwrap();
    assert!(fs::read(&target).unwrap().starts_with(b"%PDF"), "the bundle replaced the old file");
    assert_eq!(names(&case.out), ["a.pdf", "big.bin", "bundle.pdf", "redress-2026-12-01.redress-backup"]);
    // The replaced backup is a real one: it restores.
    let restored = case.dir.path().join("restored");
    let count = case.vault.journal().list_evidence(false).unwrap().len();
    let (back, _) =
        backup::restore(&backup_file, &restored, &pass(), Box::new(SystemClock), &mut no_progress()).unwrap();
    assert_eq!(back.journal().list_evidence(false).unwrap().len(), count);

    // Last (the journal is damaged from here on): an export that fails its hash check.
    let target = case.old("big.bin");
    let raw = case.vault.raw_connection().unwrap();
    raw.execute(
        "UPDATE blob_chunk SET data = zeroblob(length(data)) WHERE seq = 1 AND blob_id = \
         (SELECT blob_id FROM evidence WHERE id = ?1)",
        [big],
    )
    .unwrap();
    drop(raw);
    let err = case.vault.journal_mut().export_evidence(big, &target, &mut no_progress()).unwrap_err();
    assert!(matches!(err, Error::Integrity(_)), "{err}");
    assert_untouched(&target, "an evidence export that fails its hash check");
}

#[test]
fn issue_9_exported_evidence_is_private() {
    let mut case = Case::new();
    let id = case.add("scan.pdf", &pdf("PRIVATE"));
    let fresh = case.out.join("scan.pdf");
    case.vault.journal_mut().export_evidence(id, &fresh, &mut no_progress()).unwrap();
    let replaced = case.old("replaced.pdf");
    fs::set_permissions(&replaced, fs::Permissions::from_mode(0o644)).unwrap();
    case.vault.journal_mut().export_evidence(id, &replaced, &mut no_progress()).unwrap();
    for path in [fresh, replaced] {
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "decrypted evidence must not be readable by other users: {}", path.display());
    }
}

#[test]
fn issue_9_a_target_inside_the_vault_is_refused_and_the_vault_still_opens() {
    let mut case = Case::new();
    let a = case.add("a.pdf", &pdf("EXHIBIT-A"));
    let vault_dir = case.vault_dir();
    std::os::unix::fs::symlink(&vault_dir, case.out.join("shortcut")).unwrap();
    let before = snapshot(&vault_dir);
    let targets = [
        vault_dir.join("journal.db"),
        vault_dir.join("keyslots.json"),
        vault_dir.join("new-file.pdf"),
        case.out.join("shortcut").join("keyslots.json"),
    ];
    for target in &targets {
        let why = |what: &str, e: &Error| {
            assert_eq!(e.reason(), "target_in_vault", "{what} to {}: {e}", target.display());
            assert!(e.to_string().contains("vault folder"), "the message says why: {e}");
        };
        why("check", &files::check_target(target, Some(&vault_dir)).unwrap_err());
        why(
            "evidence export",
            &case.vault.journal_mut().export_evidence(a, target, &mut no_progress()).unwrap_err(),
        );
        why("backup", &case.vault.backup(target, &mut no_progress()).unwrap_err());
        let spec = BundleSpec::for_items(&[a]);
        why("bundle", &export(&mut case.vault, &spec, None, target, &worker(), &mut |_| true).unwrap_err());
        why("draft", &files::write(target, Some(&vault_dir), b"PDF").unwrap_err());
    }
    drop(case.vault);
    let after = snapshot(&vault_dir);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no file was added or removed"
    );
    assert_eq!(before.get(&vault_dir.join("keyslots.json")), after.get(&vault_dir.join("keyslots.json")));
    let reopened = reopen(case.dir.path());
    assert_eq!(reopened.journal().list_evidence(false).unwrap().len(), 1, "the vault still opens, whole");
}

#[test]
fn issue_9_a_symlink_target_is_refused_and_what_it_points_to_is_untouched() {
    let mut case = Case::new();
    let a = case.add("a.pdf", &pdf("EXHIBIT-A"));
    let elsewhere = write(case.dir.path(), "elsewhere.pdf", b"OLD");
    let link = case.out.join("link.pdf");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let dangling = case.out.join("dangling.pdf");
    std::os::unix::fs::symlink(case.dir.path().join("nothing-here"), &dangling).unwrap();
    for target in [&link, &dangling] {
        let refused = |e: Error| assert_eq!(e.reason(), "target_is_link", "{}: {e}", target.display());
        refused(case.vault.journal_mut().export_evidence(a, target, &mut no_progress()).unwrap_err());
        refused(case.vault.backup(target, &mut no_progress()).unwrap_err());
        let spec = BundleSpec::for_items(&[a]);
        refused(export(&mut case.vault, &spec, None, target, &worker(), &mut |_| true).unwrap_err());
        refused(files::write(target, None, b"PDF").unwrap_err());
    }
    assert_eq!(fs::read(&elsewhere).unwrap(), b"OLD", "nothing is written through a link");
    assert!(!case.dir.path().join("nothing-here").exists(), "nor created at a dangling link's end");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link itself is left alone");
}
