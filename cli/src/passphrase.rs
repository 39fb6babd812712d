//! Every secret the CLI is given: the passphrase, a new passphrase, a recovery key, a bundle's password. Each
//! comes from a file (its first line, so a trailing newline or a note below it is never part of the secret) or
//! from the terminal without echo; none is ever printed, logged or kept longer than the command needs it.

use std::io::IsTerminal;
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::args::Global;
use crate::cmd::CliResult;

/// The first line of a secret file's bytes, without its line ending (`\n` or `\r\n`); `None` if it is not UTF-8.
fn first_line(bytes: &[u8]) -> Option<&str> {
    let line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = std::str::from_utf8(line).ok()?;
    Some(line.strip_suffix('\r').unwrap_or(line))
}

/// Reads the secret on the first line of `path`; `what` names it in errors ("passphrase", "recovery key").
pub fn read_secret_file(path: &Path, what: &str) -> CliResult<SecretString> {
    let bytes = Zeroizing::new(
        std::fs::read(path).map_err(|e| format!("cannot read the {what} file '{}': {e}", path.display()))?,
    );
    let line = first_line(&bytes)
        .ok_or_else(|| format!("the {what} file '{}' is not UTF-8 text", path.display()))?;
    Ok(SecretString::from(line.to_owned()))
}

/// Asks on the terminal without echo.
pub fn prompt(text: &str) -> CliResult<SecretString> {
    if !std::io::stdin().is_terminal() && !Path::new("/dev/tty").exists() {
        return Err("no terminal to ask on; give --passphrase-file FILE".into());
    }
    rpassword::prompt_password(text)
        .map(SecretString::from)
        .map_err(|e| format!("cannot ask for the passphrase ({e}); give --passphrase-file FILE"))
}

/// The vault's passphrase: from `--passphrase-file`, or asked for.
pub fn passphrase(global: &Global) -> CliResult<SecretString> {
    match &global.passphrase_file {
        Some(p) => read_secret_file(p, "passphrase"),
        None => prompt("Passphrase: "),
    }
}

/// A new passphrase: from `file`, or asked for twice.
pub fn new_passphrase(file: Option<&Path>) -> CliResult<SecretString> {
    if let Some(p) = file {
        return read_secret_file(p, "new passphrase");
    }
    let first = prompt("New passphrase: ")?;
    let second = prompt("Repeat the new passphrase: ")?;
    if first.expose_secret() != second.expose_secret() {
        return Err("the two passphrases differ; nothing was changed".into());
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::first_line;

    #[test]
    fn only_the_first_line_of_a_secret_file_is_the_secret() {
        for (bytes, secret) in [
            (&b"correct horse\n"[..], "correct horse"),
            (b"correct horse", "correct horse"),
            (b"correct horse\r\n", "correct horse"),
            (b"correct horse\nsecond line\n", "correct horse"),
            (b"correct horse\r\nsecond line", "correct horse"),
            (b"  spaces kept  \n", "  spaces kept  "),
            (b"", ""),
            (b"\nsecond line", ""),
        ] {
            assert_eq!(
                first_line(bytes),
                Some(secret),
                "--help promises the first line is the secret: {:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn a_secret_file_whose_first_line_is_not_utf8_is_refused() {
        assert_eq!(
            first_line(b"\xff\xfe pass\n"),
            None,
            "a secret that is not text must not become a passphrase"
        );
        assert_eq!(first_line(b"pass\n\xff\xfe"), Some("pass"), "what follows the first line is never read");
    }
}
