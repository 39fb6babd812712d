//! Reading PDFs back with poppler, as `core/tests/pdf` does (copied, not shared: that module's tests would run
//! again in this binary).

use std::path::Path;
use std::process::Command;

pub(crate) fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(program).args(args).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// pdftotext's text of each page (it ends every page with a form feed).
pub(crate) fn page_texts(file: &Path) -> Vec<String> {
    let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(file).arg("-").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    assert_eq!(
        pages.pop().as_deref().map(str::trim),
        Some(""),
        "pdftotext ends the last page with a form feed"
    );
    pages
}

pub(crate) fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
