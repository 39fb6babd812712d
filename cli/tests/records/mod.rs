//! Records of every kind from the CLI: the README says `redress-cli` runs every journal operation, so `--kind`
//! names every kind the journal has, and what the journal refuses (trashing the case profile) is refused with its
//! own message.

use redress_core::{Kind, SystemClock, Vault};

use crate::common::*;
use crate::run_cli;

/// The CCF requests of the vault at `dir` with their trash flags, opened with the library (not the CLI under test).
fn requests(dir: &std::path::Path) -> Vec<(i64, bool)> {
    let vault = Vault::open(dir, &pass(), Box::new(SystemClock)).unwrap();
    vault.journal().list_requests(true).unwrap().into_iter().map(|r| (r.id, r.trashed)).collect()
}

#[test]
fn a_ccf_request_is_trashed_and_restored_through_the_cli() {
    let dir = scratch();
    let pass_file = write(dir.path(), "pass", PASSPHRASE.as_bytes());
    let vault = dir.path().join("vault");
    let cli = |args: &[&str]| run_cli(&vault, &pass_file, args);
    let (ok, text) = cli(&["demo"]);
    assert!(ok, "{text}");
    assert!(requests(&vault).contains(&(1, false)), "the demo case has request 1, not in the trash");

    let (ok, text) = cli(&["trash", "1", "--kind", "request"]);
    assert!(ok, "a request can be moved to the trash from the CLI: {text}");
    assert_eq!(text, "request 1 moved to the trash\n");
    assert!(requests(&vault).contains(&(1, true)), "the journal holds request 1 in the trash");
    let (ok, text) = cli(&["request", "list", "--json"]);
    assert!(ok, "{text}");
    let listed: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert!(listed.iter().all(|r| r["id"] != 1), "a trashed request is not listed: {text}");

    let (ok, text) = cli(&["untrash", "1", "--kind", "request"]);
    assert!(ok, "a request can be restored from the CLI: {text}");
    assert_eq!(text, "request 1 restored from the trash\n");
    assert!(requests(&vault).contains(&(1, false)), "the journal holds request 1 out of the trash again");

    let (ok, text) = cli(&["history", "1", "--kind", "request"]);
    assert!(ok, "{text}");
    let actions: Vec<&str> = text.lines().filter_map(|l| l.split_whitespace().nth(2)).collect();
    assert!(actions.ends_with(&["delete", "restore"]), "the history records both actions: {text}");
    let (ok, text) = cli(&["verify"]);
    assert!(ok, "the chain verifies after the trash and the restore: {text}");
}

#[test]
fn kind_takes_every_kind_and_names_them_all_when_refusing_one() {
    let dir = scratch();
    let pass_file = write(dir.path(), "pass", PASSPHRASE.as_bytes());
    let vault = dir.path().join("vault");
    let cli = |args: &[&str]| run_cli(&vault, &pass_file, args);
    assert!(cli(&["init"]).0);
    for kind in Kind::ALL {
        let (ok, text) = cli(&["history", "1", "--kind", kind.name()]);
        assert!(
            ok && text.is_empty(),
            "--kind {} is accepted (no record 1 yet, so no history): {text}",
            kind.name()
        );
    }
    let (ok, text) = cli(&["trash", "1", "--kind", "ccf_request"]);
    assert!(!ok, "a table name is not a kind: {text}");
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    assert!(
        text.contains(&format!("is not one of {}", names.join(", "))),
        "the error lists every kind: {text}"
    );
    assert_eq!(text.lines().count(), 1, "one line on error: {text}");
    let (ok, text) = cli(&["trash", "1", "--kind", "profile"]);
    assert!(
        !ok && text.contains("cannot be moved to the trash"),
        "the journal's own refusal is shown: {text}"
    );
}

/// Issue 14 §4, on an old copy of a vault (`core/tests/data/places-before-codes`, written by the release before
/// it): the first unlock stores as codes the countries and languages it typed, keeps the rest as typed, and leaves
/// a journal that verifies; a second unlock writes nothing.
#[test]
fn an_old_vaults_countries_and_languages_become_codes_at_its_first_unlock() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/data/places-before-codes");
    let dir = scratch();
    let vault = dir.path().join("vault");
    std::fs::create_dir(&vault).unwrap();
    for f in ["journal.db", "keyslots.json", "keyslots.copy.json"] {
        std::fs::copy(fixture.join("vault").join(f), vault.join(f)).unwrap();
    }
    let pass_file = fixture.join("passphrase.txt");
    let cli = |args: &[&str]| run_cli(&vault, &pass_file, args);
    let json = |args: &[&str]| -> serde_json::Value {
        let (ok, text) = cli(args);
        assert!(ok, "{args:?}: {text}");
        serde_json::from_str(&text).unwrap()
    };

    let profile = json(&["profile", "show", "--json"]);
    assert_eq!(profile["nationalities"], serde_json::json!(["RU", "Ruritania"]));
    assert_eq!(profile["current_country"], "LT", "«Литва» is Lithuania's Russian name");
    assert_eq!(profile["issuing_country"], "Russian Federation", "not CLDR's name: kept as typed");
    let contacts = json(&["contact", "list", "--json"]);
    let contact =
        |name: &str| contacts.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap().clone();
    assert_eq!(contact("Jonas Petraitis")["jurisdiction"], "LT");
    assert_eq!(contact("Jonas Petraitis")["languages"], serde_json::json!(["lt", "en", "Klingon"]));
    assert_eq!(contact("Claire Dubois")["jurisdiction"], "France; CCF");
    assert_eq!(contact("Claire Dubois")["languages"], serde_json::json!(["fr"]));
    let item = json(&["show", "1", "--json"]);
    assert_eq!(item["item"]["language"], "ru, en", "{item}");

    let (ok, text) = cli(&["verify"]);
    assert!(ok, "the migrated journal verifies: {text}");
    let history = |args: &[&str]| cli(args).1.lines().count();
    let before = history(&["history", "1", "--kind", "profile"]);
    let (ok, text) = cli(&["profile", "show"]);
    assert!(ok, "{text}");
    assert_eq!(history(&["history", "1", "--kind", "profile"]), before, "a second unlock writes nothing");
}
