//! Tauri commands: each takes the state and arguments, calls one `redress-core` function, converts the error.
//! Long work (imports, backup, restore, verify) runs off the UI thread and reports through a channel
//! (`progress`). Files are read only when the person chose them in a dialog the backend opened (`dialogs`), or
//! dropped them on the window.

pub mod bundle;
pub mod ccf;
mod dialogs;
#[cfg(feature = "e2e-hooks")]
pub mod e2e;
pub mod evidence;
pub mod progress;
pub mod records;
pub mod scan;
pub mod security;
pub mod vault;

use chrono::NaiveDate;
use redress_core::Vault;
use secrecy::{ExposeSecret, SecretString};

pub use evidence::files_dropped;

use crate::error::CmdResult;
use vault::UnlockResult;

/// A secret shown to the person once (a new recovery key): sent to the webview as its text, zeroed here when the
/// answer has been written. Passphrases come the other way as `SecretString` arguments, taken straight from the
/// request (review M8): no plain `String` copy of them lives in a command.
pub struct ShownOnce(SecretString);

impl ShownOnce {
    fn new(text: &str) -> ShownOnce {
        ShownOnce(SecretString::from(text.to_owned()))
    }
}

impl serde::Serialize for ShownOnce {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.expose_secret())
    }
}

#[cfg(test)]
fn passphrase(text: String) -> SecretString {
    SecretString::from(text)
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// What every unlock does once the vault is open: values kept in an older form brought to today's (countries and
/// languages as codes), then the deadlines that need attention. A conversion that fails (a full disk) must not
/// keep the person out of their journal: the values stay as typed, readable as before, and the next unlock tries
/// again.
fn opened(vault: &mut Vault) -> CmdResult<UnlockResult> {
    let _ = vault.journal_mut().store_places_as_codes();
    Ok(UnlockResult { attention: vault.journal().deadlines_needing_attention(today())? })
}

/// What the command tests share: a scratch folder and a vault that opens fast.
#[cfg(test)]
pub(crate) mod testing {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

    use std::path::{Path, PathBuf};

    use redress_core::vault::KdfParams;
    use redress_core::{CreateOptions, SystemClock, Vault};

    pub const PASS: &str = "correct horse battery staple";

    /// A fresh folder for one test (the app crate has no tempfile), removed by the test when it passes.
    pub fn scratch(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redress-commands-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A private X server for one test: Xvfb picks a free display and writes its number on its pipe.
    pub fn start_xvfb() -> (std::process::Child, String) {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};

        let mut xvfb = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "640x480x24"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb must be installed (`make` installs xvfb)");
        let mut line = String::new();
        BufReader::new(xvfb.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let display = format!(":{}", line.trim());
        (xvfb, display)
    }

    pub fn fast_vault(dir: &Path) -> Vault {
        let fast = CreateOptions { passphrase_kdf: KdfParams::THROWAWAY, recovery_kdf: KdfParams::THROWAWAY };
        Vault::create(dir, &super::passphrase(PASS.into()), fast, Box::new(SystemClock)).unwrap().0
    }
}
