//! The counsel bundle: chosen evidence as one PDF — cover, hyperlinked index with each original's SHA-256,
//! optional chronology, the exhibits page by page with a stamp on every page, a "how to verify" page — and the
//! disclosure log that records each export. The one decision to know: page numbers are known only after layout, so
//! the document is laid out, its pages counted, and laid out again with the real numbers (`pdf::render` twice).
//! Untrusted files are read only through `isolate`: a hostile exhibit becomes a placeholder page, never a crash.
//! What the pages *say* lives here; how pages look and merge lives in `pdf`. One entry point: `export`.

/// Files larger than these are not read into the bundle: a PDF or picture beyond is a placeholder, an original
/// beyond is not attached even when asked for (its hash still identifies it).
pub(crate) const MAX_PDF: u64 = 512 * 1024 * 1024;
pub(crate) const MAX_PICTURE: u64 = 128 * 1024 * 1024;
pub(crate) const MAX_TEXT_SHOWN: usize = 512 * 1024;
pub(crate) const MAX_ATTACHMENT: u64 = 256 * 1024 * 1024;
/// A passphrase shorter than this is refused: the file may travel by e-mail.
pub(crate) const MIN_PASSWORD: usize = 8;

mod document;
mod exhibits;
mod export;
mod plan;
mod spec;
mod texts;

pub use crate::records::disclosures::{DisclosedItem, Disclosure, DisclosureState};
pub use export::{export, BundleProgress, BundleReport, Placeholder};
pub use plan::{PlannedExhibit, Treatment};
pub use spec::{BundleSection, BundleSpec};
