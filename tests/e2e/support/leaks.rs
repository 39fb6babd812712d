//! Looks for canary strings in files on disk: proof that nothing decrypted was written where it must not be.
//! Each canary is searched as UTF-8 and as UTF-16LE (WebKit stores local storage and some caches as UTF-16).

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::harness::random_hex;

/// Every canary starts with this, so a scan looks for one prefix and checks the full strings only there.
const PREFIX: &str = "RDRS-CANARY-";
const CHUNK: usize = 1 << 20;

/// Unique random strings put into the data the test gives the app, each with a label for reports.
pub struct Canaries {
    items: Vec<(String, String)>,
}

/// A canary found in a file.
#[derive(Debug)]
pub struct Hit {
    pub path: PathBuf,
    pub label: String,
}

impl Canaries {
    pub fn new() -> Self {
        Canaries { items: Vec::new() }
    }

    /// A new canary, remembered under `label` (what it was put into: "contents of scan.txt", …).
    pub fn make(&mut self, label: &str) -> String {
        let canary = format!("{PREFIX}{}", random_hex(12));
        self.items.push((label.to_owned(), canary.clone()));
        canary
    }

    fn patterns(&self) -> Vec<(Vec<u8>, &str)> {
        let mut out = Vec::new();
        for (label, canary) in &self.items {
            out.push((canary.as_bytes().to_vec(), label.as_str()));
            out.push((canary.encode_utf16().flat_map(u16::to_le_bytes).collect(), label.as_str()));
        }
        out
    }

    /// Every file under `dir` (not following symlinks) that holds a canary. With `since`, only files modified
    /// at or after it are read (for shared directories such as the system temp dir). Unreadable files are
    /// skipped: the scan runs as the same user as the app, so what it cannot read the app could not write.
    pub fn scan(&self, dir: &Path, since: Option<SystemTime>) -> Vec<Hit> {
        let patterns = self.patterns();
        let mut hits = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(path) = stack.pop() {
            let Ok(meta) = fs::symlink_metadata(&path) else { continue };
            if meta.is_dir() {
                if let Ok(entries) = fs::read_dir(&path) {
                    stack.extend(entries.flatten().map(|e| e.path()));
                }
                continue;
            }
            // Sockets, FIFOs and devices are not files: reading a FIFO would block.
            if !meta.is_file() {
                continue;
            }
            if let Some(since) = since {
                if meta.modified().map(|m| m < since).unwrap_or(false) {
                    continue;
                }
            }
            for label in scan_file(&path, &patterns) {
                hits.push(Hit { path: path.clone(), label });
            }
        }
        hits
    }
}

/// The labels of the patterns found in one file, read in chunks that overlap by the longest pattern.
fn scan_file(path: &Path, patterns: &[(Vec<u8>, &str)]) -> Vec<String> {
    let Ok(mut file) = File::open(path) else { return Vec::new() };
    let longest = patterns.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
    let prefix8 = PREFIX.as_bytes()[0];
    let mut found: Vec<String> = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + longest);
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        // Both encodings of every canary start with the prefix's first byte.
        for (i, _) in buf.iter().enumerate().filter(|(_, b)| **b == prefix8) {
            for (pattern, label) in patterns {
                if buf[i..].starts_with(pattern) && !found.iter().any(|f| f == label) {
                    found.push((*label).to_owned());
                }
            }
        }
        let keep = buf.len().min(longest.saturating_sub(1));
        buf.drain(..buf.len() - keep);
    }
    found
}
