//! Helpers shared by the backend integration tests: scratch directories outside the system temp directory (so
//! the temp directory can be searched for leaks), vaults with a fast KDF, and byte snapshots of a vault.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test helper that fails should fail loudly")]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use redress_core::chronology::EventInput;
use redress_core::vault::KdfParams;
use redress_core::{CreateOptions, SystemClock, Vault};
use secrecy::SecretString;

pub const PASSPHRASE: &str = "correct horse battery staple";

pub fn pass() -> SecretString {
    SecretString::from(PASSPHRASE.to_owned())
}

pub fn fast() -> CreateOptions {
    CreateOptions { passphrase_kdf: KdfParams::THROWAWAY, recovery_kdf: KdfParams::THROWAWAY }
}

/// A scratch directory under target/tmp, never under the system temp directory.
pub fn scratch() -> tempfile::TempDir {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    fs::create_dir_all(base).unwrap();
    tempfile::Builder::new().prefix("redress-test-").tempdir_in(base).unwrap()
}

/// A new vault in `dir/vault` with a fast KDF; returns it and the recovery key's text.
pub fn new_vault(dir: &Path) -> (Vault, String) {
    let (vault, key) = Vault::create(&dir.join("vault"), &pass(), fast(), Box::new(SystemClock)).unwrap();
    let shown = key.display().to_string();
    (vault, shown)
}

pub fn reopen(dir: &Path) -> Vault {
    Vault::open(&dir.join("vault"), &pass(), Box::new(SystemClock)).unwrap()
}

/// A marker unique to this run, so files left by an earlier run can never satisfy or break a check.
pub fn marker(label: &str) -> String {
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).unwrap();
    format!("{label}-{}", hex::encode(bytes))
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

/// Every regular file under `root` with its bytes.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = fs::symlink_metadata(&path) else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                if let Ok(bytes) = fs::read(&path) {
                    out.insert(path, bytes);
                }
            }
        }
    }
    out
}

/// Files under `root` (at most `max_size` bytes each) whose bytes contain `needle`.
pub fn files_containing(root: &Path, needle: &[u8], max_size: u64) -> Vec<PathBuf> {
    files_containing_since(root, needle, max_size, None)
}

/// As `files_containing`, reading only the files modified at or after `since` (for a shared directory such as the
/// system temp dir, whose other files cannot be ours and would make the scan's cost depend on the machine).
pub fn files_containing_since(
    root: &Path,
    needle: &[u8],
    max_size: u64,
    since: Option<std::time::SystemTime>,
) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = fs::symlink_metadata(&path) else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file()
                && meta.len() <= max_size
                && since.is_none_or(|since| meta.modified().is_ok_and(|m| m >= since))
            {
                if let Ok(bytes) = fs::read(&path) {
                    if bytes.windows(needle.len()).any(|w| w == needle) {
                        hits.push(path);
                    }
                }
            }
        }
    }
    hits
}

pub fn sha256_file(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut f = fs::File::open(path).unwrap();
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    hex::encode(h.finalize())
}

/// Writes `size` bytes of deterministic pseudo-random data (incompressible, no markers) to `path`.
pub fn write_random(path: &Path, size: u64, seed: u64) {
    use std::io::Write;
    let mut f = std::io::BufWriter::with_capacity(1 << 20, fs::File::create(path).unwrap());
    let mut state = seed | 1;
    let mut buf = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        for word in buf.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        let n = left.min(buf.len() as u64) as usize;
        f.write_all(&buf[..n]).unwrap();
        left -= n as u64;
    }
    f.flush().unwrap();
}

pub fn no_progress() -> impl FnMut(redress_core::evidence::Progress) -> bool {
    |_| true
}

// Reading PDFs back with poppler.

pub fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(program).args(args).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// pdftotext's text of each page (it ends every page with a form feed), without the direction marks poppler adds
/// around right-to-left lines and the left-to-right runs inside them (U+202A–U+202C): Redress never prints those
/// (its cleaner replaces every direction control), so they are poppler's, not the document's.
pub fn page_texts(file: &Path) -> Vec<String> {
    let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(file).arg("-").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text: String = String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !matches!(c, '\u{202A}' | '\u{202B}' | '\u{202C}'))
        .collect();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    assert_eq!(
        pages.pop().as_deref().map(str::trim),
        Some(""),
        "pdftotext ends the last page with a form feed"
    );
    pages
}

pub fn info_field(info: &str, field: &str) -> String {
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| panic!("pdfinfo shows no {field}: {info}"))
}

/// The letters and digits of `text`, in order, without Arabic vowel and other combining marks: what an Arabic page
/// read back by poppler is compared on (it may copy a mark before its letter, and punctuation beside a Latin run
/// on its other side).
pub fn letters(text: &str) -> String {
    let mark = |c: char| matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED);
    text.chars().filter(|c| c.is_alphanumeric() && !mark(*c)).collect()
}

pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

// Small records for the vault tests.

pub fn new_pass() -> SecretString {
    SecretString::from("a new passphrase nobody has seen".to_owned())
}

pub fn add_event(vault: &mut Vault, title: &str) {
    vault
        .journal_mut()
        .add_event(&EventInput { date: "2026-11-30".into(), title: title.into(), ..Default::default() })
        .unwrap();
}

pub fn event_titles(vault: &Vault) -> Vec<String> {
    vault.journal().list_events(false).unwrap().into_iter().map(|e| e.state.title).collect()
}
