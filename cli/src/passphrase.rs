//! Every secret the CLI is given: the passphrase, a new passphrase, a recovery key, a bundle's password. Each
//! comes from a file or from the terminal without echo; none is ever printed, logged or kept longer than the
//! command needs it.

use std::io::IsTerminal;
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::args::Global;
use crate::cmd::CliResult;

/// Reads the secret in `path`, less one trailing newline; `what` names it in errors ("passphrase", "recovery key").
pub fn read_secret_file(path: &Path, what: &str) -> CliResult<SecretString> {
    let bytes = Zeroizing::new(
        std::fs::read(path).map_err(|e| format!("cannot read the {what} file '{}': {e}", path.display()))?,
    );
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| format!("the {what} file '{}' is not UTF-8 text", path.display()))?;
    let line = text.strip_suffix('\n').unwrap_or(text);
    let line = line.strip_suffix('\r').unwrap_or(line);
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
