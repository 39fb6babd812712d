//! `redress-cli` driven as a process against real vaults on disk: every command group, the exit codes and the
//! one-line errors scripts rely on. Each module mirrors a `src/cmd` group; the backend's own behaviour is tested
//! in `core/tests`, whose helpers (scratch folders, fast vaults) are shared through `common`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

mod bundle;
mod ccf;
#[allow(dead_code, reason = "the backend tests' helpers, of which the CLI tests use a subset")]
#[path = "../../core/tests/common/mod.rs"]
mod common;
mod evidence;
mod files;
mod passphrase;
mod records;
mod rules;
mod scan;
mod vault;

use std::path::Path;

/// Runs `redress-cli ARGS --vault VAULT --passphrase-file PASS_FILE`; returns whether it succeeded, and its
/// stdout followed by its stderr.
pub fn run_cli(vault: &Path, pass_file: &Path, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_redress-cli"))
        .arg("--vault")
        .arg(vault)
        .arg("--passphrase-file")
        .arg(pass_file)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}
