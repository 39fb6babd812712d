//! Secret files: `--passphrase-file` (and the recovery key and bundle password files, read the same way) gives
//! its first line only, as `--help` says, so a note on a second line never becomes part of the passphrase.

use redress_core::{SystemClock, Vault};

use crate::common::*;
use crate::run_cli;

#[test]
fn a_passphrase_file_gives_its_first_line_only() {
    let dir = scratch();
    let vault = dir.path().join("vault");
    let two_lines =
        write(dir.path(), "two-lines", format!("{PASSPHRASE}\nwritten down in Vilnius\n").as_bytes());
    let (ok, text) = run_cli(&vault, &two_lines, &["init"]);
    assert!(ok, "{text}");
    Vault::open(&vault, &pass(), Box::new(SystemClock))
        .expect("the passphrase set from a two-line file is its first line, not the whole file");
    for (name, bytes) in [
        ("one-line", PASSPHRASE.to_owned()),
        ("crlf", format!("{PASSPHRASE}\r\nanother note")),
        ("two-lines-again", format!("{PASSPHRASE}\nsomething else entirely\n")),
    ] {
        let file = write(dir.path(), name, bytes.as_bytes());
        let (ok, text) = run_cli(&vault, &file, &["verify"]);
        assert!(ok, "{name}: the first line opens the vault, whatever follows it: {text}");
    }
    let wrong = write(dir.path(), "wrong", format!("not it\n{PASSPHRASE}\n").as_bytes());
    let (ok, text) = run_cli(&vault, &wrong, &["verify"]);
    assert!(!ok && text.contains("not correct"), "a passphrase on the second line is not read: {text}");
}
