//! Saving from the CLI (issue 9 §3): a target in the vault folder is refused, an existing file is replaced only
//! with `--replace`, and nothing else is left beside it.

use std::fs;
use std::path::Path;

use crate::common::*;
use crate::run_cli;

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn issue_9_the_cli_refuses_the_vault_and_an_existing_file_unless_asked_to_replace_it() {
    let dir = scratch();
    let pass_file = write(dir.path(), "pass", PASSPHRASE.as_bytes());
    let vault = dir.path().join("vault");
    let cli = |args: &[&str]| run_cli(&vault, &pass_file, args);
    assert!(cli(&["demo"]).0);
    let slots = fs::read(vault.join("keyslots.json")).unwrap();
    let in_vault = vault.join("keyslots.json");
    for args in [
        vec!["backup", in_vault.to_str().unwrap(), "--replace"],
        vec!["export", "1", in_vault.to_str().unwrap(), "--replace"],
        vec!["draft", "1", "--out", in_vault.to_str().unwrap(), "--replace"],
        vec!["bundle", "--request", "1", "--out", in_vault.to_str().unwrap(), "--replace"],
    ] {
        let (ok, text) = cli(&args);
        assert!(!ok && text.contains("vault folder"), "{args:?}: {text}");
    }
    assert_eq!(fs::read(vault.join("keyslots.json")).unwrap(), slots, "the slot file is untouched");

    let target = write(dir.path(), "backup.redress-backup", b"OLD");
    let (ok, text) = cli(&["backup", target.to_str().unwrap()]);
    assert!(!ok && text.contains("already exists") && text.contains("--replace"), "{text}");
    assert_eq!(fs::read(&target).unwrap(), b"OLD");
    let (ok, text) = cli(&["backup", target.to_str().unwrap(), "--replace"]);
    assert!(ok, "{text}");
    assert!(fs::read(&target).unwrap().starts_with(b"REDRESS-BACKUP"), "replaced when asked");
    let draft = write(dir.path(), "draft.pdf", b"OLD");
    let (ok, text) = cli(&["draft", "1", "--out", draft.to_str().unwrap(), "--replace"]);
    assert!(ok, "{text}");
    assert!(fs::read(&draft).unwrap().starts_with(b"%PDF"));
    assert_eq!(
        names(dir.path()),
        ["backup.redress-backup", "draft.pdf", "pass", "vault"],
        "nothing else left"
    );
    assert!(cli(&["list"]).0, "the vault still opens");
}
