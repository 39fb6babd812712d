//! The words of the pages Redress writes into a bundle, per language (`assets/bundle/{en,fr,es}.json`), compiled
//! in, and how a template's `{name}` slots are filled. Sizes on the pages are written here too (`KB`, `MB`): they
//! are page text, not the messages `files::human_size` words.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::text::shown;

/// The texts of the pages Redress writes, per language (`assets/bundle/*.json`).
#[derive(Deserialize)]
pub(super) struct Texts {
    pub(super) title: String,
    pub(super) footer: String,
    pub(super) case: String,
    pub(super) case_of: String,
    pub(super) prepared_for: String,
    pub(super) nobody: String,
    pub(super) date: String,
    pub(super) items: String,
    pub(super) pages: String,
    pub(super) chain_head: String,
    pub(super) chain_head_value: String,
    pub(super) cover_note: String,
    pub(super) encrypted_note: String,
    pub(super) index: String,
    pub(super) col_number: String,
    pub(super) col_title: String,
    pub(super) col_date: String,
    pub(super) col_pages: String,
    pub(super) col_sha256: String,
    pub(super) chronology: String,
    pub(super) col_event: String,
    pub(super) col_place: String,
    pub(super) col_exhibits: String,
    pub(super) exhibit_ref: String,
    pub(super) exhibit_heading: String,
    /// The name of an attached original in the viewer's attachments pane; `{n}` is zero-padded so they sort.
    pub(super) attachment_name: String,
    pub(super) stamp_exhibit: String,
    /// A translation's exhibit number in its stamp: `{n}`, `{language}`, `{of}` (its original's number).
    pub(super) stamp_translation: String,
    /// An original's exhibit number in its stamp: `{n}`, `{list}` (its translations' numbers).
    pub(super) stamp_translated: String,
    /// The index line under a translation's title: `{language}`, `{n}` (its original's number).
    pub(super) translation_of: String,
    /// The same, when its original is not in the bundle.
    pub(super) translation_of_absent: String,
    pub(super) certified: String,
    /// The index line under an original's title: `{list}` of `translation_item`s.
    pub(super) translations: String,
    pub(super) translation_item: String,
    pub(super) stamp_bundle: String,
    pub(super) placeholder_title: String,
    pub(super) placeholder_file: String,
    pub(super) placeholder_type: String,
    pub(super) placeholder_size: String,
    pub(super) placeholder_sha256: String,
    pub(super) placeholder_date: String,
    pub(super) placeholder_description: String,
    pub(super) placeholder_reason: String,
    pub(super) reason_type: String,
    pub(super) reason_failed: String,
    pub(super) failure_encrypted: String,
    pub(super) failure_unreadable: String,
    pub(super) failure_crashed: String,
    pub(super) failure_timed_out: String,
    pub(super) failure_unavailable: String,
    pub(super) reason_too_large: String,
    pub(super) reason_picture_format: String,
    pub(super) attached_note: String,
    pub(super) not_attached_note: String,
    pub(super) withheld_note: String,
    pub(super) kept_metadata_note: String,
    pub(super) text_truncated: String,
    pub(super) verify: String,
    pub(super) verify_intro: String,
    pub(super) verify_windows: String,
    pub(super) verify_windows_cmd: String,
    pub(super) verify_macos: String,
    pub(super) verify_macos_cmd: String,
    pub(super) verify_linux: String,
    pub(super) verify_linux_cmd: String,
    pub(super) verify_pages: String,
    pub(super) verify_chain: String,
}

pub(super) fn texts(language: &str) -> Result<Texts> {
    let json = match language {
        "en" => include_str!("../../../assets/bundle/en.json"),
        "fr" => include_str!("../../../assets/bundle/fr.json"),
        "es" => include_str!("../../../assets/bundle/es.json"),
        "ar" => include_str!("../../../assets/bundle/ar.json"),
        other => {
            return Err(Error::invalid(
                "language",
                format!(
                    "bundles are written in English (en), French (fr), Spanish (es) or Arabic (ar), not '{}'",
                    shown(other)
                ),
            ))
        }
    };
    serde_json::from_str(json)
        .map_err(|e| Error::Integrity(format!("bundle texts for '{language}' unreadable: {e}")))
}

pub(super) fn fill(template: &str, pairs: &[(&str, String)]) -> String {
    pairs.iter().fold(template.to_owned(), |s, (k, v)| s.replace(&format!("{{{k}}}"), v))
}

pub(super) fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}
