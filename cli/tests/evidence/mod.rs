//! Evidence from the CLI: global options before or after the command, JSON listings, one-line errors, an import
//! that checks every file before writing any, and an import killed at any point.

use std::path::Path;
use std::process::{Command, Stdio};

use redress_core::secret::RecoveryKey;
use redress_core::{SystemClock, Vault};

use crate::common::*;

#[test]
fn killing_an_import_at_any_point_leaves_a_sound_vault_without_a_partial_item() {
    let dir = scratch();
    let src = scratch();
    let vault_dir = dir.path().join("vault");
    let pass_file = write(src.path(), "pass", PASSPHRASE.as_bytes());
    let cli = env!("CARGO_BIN_EXE_redress-cli");
    let init = Command::new(cli)
        .args(["init", "--vault"])
        .arg(&vault_dir)
        .arg("--passphrase-file")
        .arg(&pass_file)
        .output()
        .unwrap();
    assert!(init.status.success(), "init failed: {}", String::from_utf8_lossy(&init.stderr));
    let big = src.path().join("big.bin");
    write_random(&big, 160 * 1024 * 1024, 11);
    for fraction in [0.0, 0.1, 0.5, 0.97] {
        let mut child = Command::new(cli)
            .arg("--vault")
            .arg(&vault_dir)
            .arg("--passphrase-file")
            .arg(&pass_file)
            .args(["import", "--progress"])
            .arg(&big)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
        let mut killed = false;
        while let Some(Ok(line)) = lines.next() {
            let mut parts = line.split_whitespace().skip(1).map(|v| v.parse::<f64>().unwrap_or(0.0));
            let (done, total) = (parts.next().unwrap_or(0.0), parts.next().unwrap_or(1.0));
            if done / total >= fraction {
                child.kill().unwrap();
                killed = true;
                break;
            }
        }
        child.wait().unwrap();
        assert!(killed, "the import finished before it could be killed at {fraction}");
        let vault = Vault::open(&vault_dir, &pass(), Box::new(SystemClock)).unwrap();
        let conn = vault.raw_connection().unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok", "after a kill at {fraction} the database must pass integrity_check");
        let report = vault.journal().verify().unwrap();
        assert!(report.ok(), "after a kill at {fraction} the journal must verify: {:?}", report.problems);
        assert!(vault.journal().list_evidence(true).unwrap().is_empty(), "no partial item may be visible");
        let chunks: i64 = conn.query_row("SELECT count(*) FROM blob_chunk", [], |r| r.get(0)).unwrap();
        assert_eq!(chunks, 0, "no chunk of the killed import may remain");
    }
    let done = Command::new(cli)
        .arg("import")
        .arg(&big)
        .arg("--vault")
        .arg(&vault_dir)
        .arg("--passphrase-file")
        .arg(&pass_file)
        .output()
        .unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let vault = Vault::open(&vault_dir, &pass(), Box::new(SystemClock)).unwrap();
    let items = vault.journal().list_evidence(false).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].state.sha256, sha256_file(&big));
}

fn cli(args: &[&str], vault: &Path, pass_file: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_redress-cli"))
        .args(args)
        .arg("--vault")
        .arg(vault)
        .arg("--passphrase-file")
        .arg(pass_file)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn cli_takes_global_options_anywhere_and_reports_errors_in_one_line() {
    let dir = scratch();
    let src = scratch();
    let vault = dir.path().join("v");
    let pf = write(src.path(), "pass", format!("{PASSPHRASE}\n").as_bytes());
    let out = cli(&["init"], &vault, &pf);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let code = stdout.lines().map(str::trim).find(|l| l.len() == 39 && l.matches('-').count() == 7).unwrap();
    assert!(RecoveryKey::parse(code).is_ok(), "init prints a valid recovery key once");

    let a = write(src.path(), "Паспорт.pdf", b"%PDF-1.4 passport scan");
    let b = write(src.path(), "notes.txt", b"plain notes about the case");
    let out = cli(&["import", a.to_str().unwrap(), b.to_str().unwrap(), "--tag", "identity"], &vault, &pf);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Global options before the subcommand.
    let out = Command::new(env!("CARGO_BIN_EXE_redress-cli"))
        .arg("--vault")
        .arg(&vault)
        .arg("--passphrase-file")
        .arg(&pf)
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        for field in ["id", "title", "sha256", "size", "type"] {
            assert!(row.get(field).is_some(), "list --json must give {field}: {row}");
        }
    }
    let passport = rows.iter().find(|r| r["title"] == "Паспорт").unwrap();
    assert_eq!(passport["sha256"], sha256_file(&a));
    assert_eq!(passport["type"], "application/pdf");

    let out = cli(&["search", "паспорт", "--json"], &vault, &pf);
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 1);
    let out = cli(&["verify"], &vault, &pf);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let wrong = write(src.path(), "wrong", b"definitely wrong");
    let out = cli(&["list"], &vault, &wrong);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one clear line on error: {err}");
    assert!(err.contains("passphrase is not correct"), "{err}");
    let out = cli(&["show", "999"], &vault, &pf);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("evidence item 999 does not exist"));

    // A file the vault has never seen beside an empty one: were it written first, the count would grow.
    let items = || {
        Vault::open(&vault, &pass(), Box::new(SystemClock)).unwrap().journal().list_evidence(true).unwrap()
    };
    let before = items().len();
    let fresh = write(src.path(), "fresh.txt", b"a letter this vault has never seen");
    let empty = write(src.path(), "zero.pdf", b"");
    let out = cli(&["import", fresh.to_str().unwrap(), empty.to_str().unwrap()], &vault, &pf);
    assert!(!out.status.success(), "an empty file fails the import");
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 bytes"));
    assert_eq!(items().len(), before, "one bad file fails the whole import before anything is written");
    let out = cli(&["import", fresh.to_str().unwrap()], &vault, &pf);
    assert!(out.status.success(), "alone, the fresh file imports: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(items().len(), before + 1, "the file refused with the empty one was importable all along");
}
