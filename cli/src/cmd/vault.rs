//! The vault as a whole: `init`, `demo`, `verify`, `backup`, `restore`, `passwd`, `rekey`, `unlock-with-recovery`.
//! What each prints about keys is a promise the person relies on: `passwd` says that old copies of the key slots
//! still open the journal, `rekey` that they no longer do; a recovery key is printed once, when it is made.

use redress_core::secret::RecoveryKey;
use redress_core::vault::Unlock;
use redress_core::{backup, SystemClock, Vault};
use secrecy::ExposeSecret;

use crate::args::{BackupArgs, Global, JsonArgs, PasswdArgs, RekeyArgs, RestoreArgs, UnlockWithRecoveryArgs};
use crate::cmd::{err, open, output_target, vault_dir, CliResult};
use crate::output::{json, progress_printer};
use crate::passphrase::{new_passphrase, passphrase, prompt, read_secret_file};

pub fn init(g: &Global) -> CliResult {
    let dir = vault_dir(g)?;
    let pass = new_passphrase(g.passphrase_file.as_deref())?;
    let (vault, recovery) =
        Vault::create(&dir, &pass, Default::default(), Box::new(SystemClock)).map_err(err)?;
    println!("Created an encrypted vault in {}", dir.display());
    println!();
    println!("Recovery key (write it down now; it is shown only this once):");
    println!();
    println!("    {}", recovery.display().as_str());
    println!();
    println!("Without the passphrase or this key, nobody can open the vault, not even you.");
    vault.lock();
    Ok(())
}

pub fn demo(g: &Global) -> CliResult {
    let dir = vault_dir(g)?;
    let pass = new_passphrase(g.passphrase_file.as_deref())?;
    let vault = redress_core::demo::create(&dir, &pass, chrono::Local::now().date_naive()).map_err(err)?;
    let items = vault.journal().list_evidence(false).map_err(err)?.len();
    println!("Created the fictional demo case in {} ({items} evidence items)", dir.display());
    vault.lock();
    Ok(())
}

pub fn verify(g: &Global, JsonArgs { json: as_json }: JsonArgs) -> CliResult {
    let vault = open(g)?;
    let report = vault.journal().verify().map_err(err)?;
    if as_json {
        json(&report)?;
    }
    if let Some(first) = report.problems.first() {
        if !as_json {
            for p in &report.problems {
                println!("problem: {}", p.message);
            }
        }
        return Err(format!(
            "the journal does not verify ({} problem(s)); first: {}",
            report.problems.len(),
            first.message
        ));
    }
    if !as_json {
        println!(
            "journal verified: {} audit entries, {} records, {} files re-hashed; chain head {}",
            report.entries, report.records, report.files_hashed, report.head
        );
    }
    Ok(())
}

pub fn backup(g: &Global, BackupArgs { out, replace }: BackupArgs) -> CliResult {
    output_target(g, &out, replace)?;
    let mut vault = open(g)?;
    let mut report = progress_printer(false);
    let size = vault.backup(&out, &mut report).map_err(err)?;
    println!("backup written to {} ({size} bytes, encrypted)", out.display());
    Ok(())
}

pub fn restore(g: &Global, RestoreArgs { backup: file, recovery_key_file }: RestoreArgs) -> CliResult {
    let Some(dir) = g.vault.clone() else {
        return Err("restore needs --vault DIR for the new vault".into());
    };
    let mut report = progress_printer(false);
    let (_vault, verified) = match &recovery_key_file {
        Some(path) => {
            let code = read_secret_file(path, "recovery key")?;
            let key = RecoveryKey::parse(code.expose_secret()).map_err(err)?;
            backup::restore_with(&file, &dir, Unlock::Recovery(&key), Box::new(SystemClock), &mut report)
        }
        None => {
            let pass = passphrase(g)?;
            backup::restore(&file, &dir, &pass, Box::new(SystemClock), &mut report)
        }
    }
    .map_err(err)?;
    println!(
        "restored into {}: {} audit entries and {} files verified",
        dir.display(),
        verified.entries,
        verified.files_hashed
    );
    if recovery_key_file.is_some() {
        println!(
            "It still opens with the passphrase of the backup's day. To choose a new one, run \
             `redress-cli unlock-with-recovery --vault {}`; if that key may be known to someone, then \
             `redress-cli rekey`.",
            dir.display()
        );
    }
    Ok(())
}

pub fn passwd(g: &Global, PasswdArgs { new_passphrase_file }: PasswdArgs) -> CliResult {
    let mut vault = open(g)?;
    let new = new_passphrase(new_passphrase_file.as_deref())?;
    vault.change_passphrase(&new).map_err(err)?;
    println!("passphrase changed: the old one no longer opens this copy of the vault.");
    println!(
        "The journal keeps its key: backups and any earlier copy of the key slots still open with the \
         passphrase of their day. If the old passphrase may be known to someone, run `redress-cli rekey`."
    );
    Ok(())
}

pub fn rekey(g: &Global, RekeyArgs { new_passphrase_file, progress }: RekeyArgs) -> CliResult {
    let mut vault = open(g)?;
    let new = new_passphrase(new_passphrase_file.as_deref())?;
    let mut report = progress_printer(progress);
    let recovery = vault.rekey(&new, &mut report).map_err(err)?;
    println!("The journal is re-encrypted under a new key.");
    println!(
        "The old passphrase, the old recovery key and every earlier copy of the key slots no longer open it."
    );
    println!("Backups made before today still open with the passphrase of their day: replace them.");
    println!();
    println!("New recovery key (write it down now; it is shown only this once):");
    println!();
    println!("    {}", recovery.display().as_str());
    println!();
    Ok(())
}

pub fn unlock_with_recovery(
    g: &Global,
    UnlockWithRecoveryArgs { recovery_key_file, new_passphrase_file }: UnlockWithRecoveryArgs,
) -> CliResult {
    let dir = vault_dir(g)?;
    let code = match &recovery_key_file {
        Some(p) => read_secret_file(p, "recovery key")?,
        None => prompt("Recovery key: ")?,
    };
    let key = RecoveryKey::parse(code.expose_secret()).map_err(err)?;
    let mut vault = Vault::open_with_recovery(&dir, &key, Box::new(SystemClock)).map_err(err)?;
    let new = new_passphrase(new_passphrase_file.as_deref())?;
    vault.change_passphrase(&new).map_err(err)?;
    println!("vault opened with the recovery key; the new passphrase is set");
    println!(
        "If the recovery key or the old passphrase may be known to someone, run `redress-cli rekey`: it \
         gives the journal a new key and you a new recovery key."
    );
    Ok(())
}
