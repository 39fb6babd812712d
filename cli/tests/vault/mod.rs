//! Keys from the CLI (issue 9 §1): `rekey` killed at any point, `restore` with the recovery key of the backup's
//! day, and what `passwd` and `rekey` print about what they do and do not protect.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use redress_core::secret::RecoveryKey;
use redress_core::vault::Unlock;
use redress_core::{backup, Error, SystemClock, Vault};
use secrecy::SecretString;

use crate::common::*;

#[test]
fn killing_a_rekey_at_any_point_leaves_a_vault_that_opens_with_the_old_or_the_new_passphrase() {
    let src = scratch();
    let template = scratch();
    let template_vault = template.path().join("vault");
    let old_file = write(src.path(), "old", PASSPHRASE.as_bytes());
    let new_file = write(src.path(), "new", b"the passphrase after the kill test");
    let cli = env!("CARGO_BIN_EXE_redress-cli");
    let run = |args: &[&str], vault: &Path| {
        let mut command = Command::new(cli);
        command.args(args).arg("--vault").arg(vault).arg("--passphrase-file").arg(&old_file);
        command
    };
    let out = run(&["init"], &template_vault).stdin(Stdio::null()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let big = src.path().join("big.bin");
    write_random(&big, 96 * 1024 * 1024, 3);
    let out = run(&["import", big.to_str().unwrap()], &template_vault).stdin(Stdio::null()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let (mut old_seen, mut new_seen) = (0, 0);
    // Kill after the open (Argon2id takes ~0.6 s) at points through the export and the commit; the last run is
    // not killed.
    for (round, delay_ms) in [700u64, 900, 1100, 1400, 1800, 2600, 0].into_iter().enumerate() {
        let work = scratch();
        let vault_dir = work.path().join("vault");
        fs::create_dir(&vault_dir).unwrap();
        for entry in fs::read_dir(&template_vault).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), vault_dir.join(entry.file_name())).unwrap();
        }
        let mut child = run(&["rekey", "--new-passphrase-file", new_file.to_str().unwrap()], &vault_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if delay_ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(delay_ms));
            let _ = child.kill();
        }
        let status = child.wait().unwrap();
        let old = Vault::open(&vault_dir, &pass(), Box::new(SystemClock));
        let new = Vault::open(
            &vault_dir,
            &SecretString::from("the passphrase after the kill test".to_owned()),
            Box::new(SystemClock),
        );
        let vault = match (old, new) {
            (Ok(v), Err(Error::WrongPassphrase(_))) => {
                old_seen += 1;
                v
            }
            (Err(Error::WrongPassphrase(_)), Ok(v)) => {
                new_seen += 1;
                v
            }
            (old, new) => panic!(
                "round {round} (kill at {delay_ms} ms): exactly one passphrase must open the vault; old: {:?}, new: {:?}",
                old.map(|_| "opens"),
                new.map(|_| "opens")
            ),
        };
        let report = vault.journal().verify().unwrap();
        assert!(report.ok(), "round {round}: the vault verifies after the kill: {:?}", report.problems);
        assert_eq!(report.files_hashed, 1, "round {round}: the evidence is whole");
        drop(vault);
        let journals = fs::read_dir(&vault_dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("journal"))
            .count();
        assert_eq!(journals, 1, "round {round}: after an open, one journal file is left");
        if delay_ms == 0 {
            assert!(status.success(), "the uninterrupted re-key succeeds");
        }
    }
    assert!(old_seen >= 1, "at least one kill must land before the commit (old vault seen {old_seen} times)");
    assert!(new_seen >= 1, "the uninterrupted run must give the new vault");
}

#[test]
fn restore_accepts_the_recovery_key_of_the_backups_day() {
    let dir = scratch();
    let src = scratch();
    let (mut vault, recovery) = new_vault(dir.path());
    add_event(&mut vault, "IN THE BACKUP");
    let file = src.path().join("b.redress-backup");
    vault.backup(&file, &mut no_progress()).unwrap();
    // The passphrase changes and is forgotten; the recovery key of the backup's day still restores it.
    vault.change_passphrase_with(&new_pass(), redress_core::KdfParams::THROWAWAY).unwrap();
    drop(vault);
    let key = RecoveryKey::parse(&recovery).unwrap();
    let target = dir.path().join("restored");
    let (restored, report) = backup::restore_with(
        &file,
        &target,
        Unlock::Recovery(&key),
        Box::new(SystemClock),
        &mut no_progress(),
    )
    .unwrap();
    assert!(report.ok());
    assert_eq!(event_titles(&restored), ["IN THE BACKUP"]);
    drop(restored);
    // A wrong recovery key restores nothing and leaves no folder.
    let other = RecoveryKey::parse(&new_vault(src.path()).1).unwrap();
    let target2 = dir.path().join("restored2");
    let err = backup::restore_with(
        &file,
        &target2,
        Unlock::Recovery(&other),
        Box::new(SystemClock),
        &mut no_progress(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::WrongRecoveryKey(_)), "got {err}");
    assert!(!target2.exists(), "a refused restore leaves nothing behind");

    // The CLI takes it from a file.
    let key_file = write(src.path(), "key", format!("{recovery}\n").as_bytes());
    let target3 = dir.path().join("restored3");
    let out = Command::new(env!("CARGO_BIN_EXE_redress-cli"))
        .args([
            "restore",
            file.to_str().unwrap(),
            "--recovery-key-file",
            key_file.to_str().unwrap(),
            "--vault",
        ])
        .arg(&target3)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("restored into"));
    let vault = Vault::open_with_recovery(&target3, &key, Box::new(SystemClock)).unwrap();
    assert_eq!(event_titles(&vault), ["IN THE BACKUP"]);
}

#[test]
fn cli_rekey_prints_a_new_recovery_key_and_passwd_says_what_it_does_not_protect() {
    let dir = scratch();
    let src = scratch();
    let vault_dir = dir.path().join("v");
    let old_file = write(src.path(), "old", PASSPHRASE.as_bytes());
    let new_file = write(src.path(), "new", b"the rekeyed passphrase");
    let cli = |args: &[&str], pass: &Path| {
        Command::new(env!("CARGO_BIN_EXE_redress-cli"))
            .args(args)
            .arg("--vault")
            .arg(&vault_dir)
            .arg("--passphrase-file")
            .arg(pass)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let find_key = |out: &[u8]| {
        String::from_utf8_lossy(out)
            .lines()
            .map(str::trim)
            .find(|l| l.len() == 39 && l.matches('-').count() == 7)
            .map(str::to_owned)
    };
    let out = cli(&["init"], &old_file);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let old_key = find_key(&out.stdout).unwrap();

    let out = cli(&["passwd", "--new-passphrase-file", old_file.to_str().unwrap()], &old_file);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("no longer opens the vault\n"), "passwd must not claim more than it does: {text}");
    assert!(
        text.contains("backups") && text.contains("rekey"),
        "passwd says what it does not protect: {text}"
    );

    let out = cli(&["rekey", "--new-passphrase-file", new_file.to_str().unwrap()], &old_file);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let new_key = find_key(&out.stdout).expect("rekey prints the new recovery key");
    assert_ne!(new_key, old_key);
    let out = cli(&["list"], &old_file);
    assert!(!out.status.success(), "the old passphrase no longer opens the vault");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not correct"));
    let out = cli(&["list"], &new_file);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let old_key_file = write(src.path(), "old-key", old_key.as_bytes());
    let out = cli(
        &[
            "unlock-with-recovery",
            "--recovery-key-file",
            old_key_file.to_str().unwrap(),
            "--new-passphrase-file",
            old_file.to_str().unwrap(),
        ],
        &new_file,
    );
    assert!(!out.status.success(), "the old recovery key no longer opens the vault");
    Vault::open_with_recovery(&vault_dir, &RecoveryKey::parse(&new_key).unwrap(), Box::new(SystemClock))
        .unwrap();
}

/// Issue 12 §3 (review H5): the CLI process that reads the passphrase and holds the key writes no core file. The
/// passphrase file is a FIFO, so the CLI waits on it with its limits in place while the test reads them.
#[cfg(target_os = "linux")]
#[test]
fn issue_12_the_cli_runs_with_a_core_size_limit_of_zero() {
    use rustix::fs::{Mode, OFlags, CWD};

    let dir = scratch();
    drop(new_vault(dir.path()));
    let fifo = dir.path().join("passphrase.fifo");
    rustix::fs::mknodat(CWD, &fifo, rustix::fs::FileType::Fifo, Mode::from_raw_mode(0o600), 0).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_redress-cli"))
        .arg("--vault")
        .arg(dir.path().join("vault"))
        .arg("--passphrase-file")
        .arg(&fifo)
        .arg("list")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A writer can open the FIFO only once the CLI is waiting on it to read the passphrase: past its start-up.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let writer = loop {
        match rustix::fs::open(&fifo, OFlags::WRONLY | OFlags::NONBLOCK | OFlags::CLOEXEC, Mode::empty()) {
            Ok(fd) => break std::fs::File::from(fd),
            Err(rustix::io::Errno::NXIO) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10))
            }
            Err(e) => panic!("the CLI never opened its passphrase file: {e}"),
        }
    };
    let limits = fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let core = limits.lines().find(|l| l.starts_with("Max core file size")).unwrap_or_default().to_owned();
    {
        use std::io::Write;
        let mut writer = writer;
        writer.write_all(PASSPHRASE.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        core.split_whitespace().collect::<Vec<_>>(),
        ["Max", "core", "file", "size", "0", "0", "bytes"],
        "the process holding the key must write no core file, and be unable to raise the limit again"
    );
    assert!(
        out.status.success(),
        "the hardened CLI still opens the vault: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
