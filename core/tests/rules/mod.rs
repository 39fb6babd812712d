//! The reference copy in `docs/` that the deadline rules are checked against. `redress-cli rule` is tested in
//! `cli/tests/rules`.

use std::path::Path;

/// Issue 10: the reference the rules implement is the shared one, byte for byte. `../shared` sits beside the clone
/// in CI; a missing file fails this test rather than skipping it.
#[test]
fn issue_10_the_reference_copy_in_docs_is_the_shared_reference() {
    let shared = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/docs/ccf-reference.md"));
    let copy = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/ccf-reference.md"));
    let shared_text = std::fs::read_to_string(shared).unwrap_or_else(|e| {
        panic!(
            "the shared reference {} cannot be read ({e}): check out `shared` beside the repository (CI does); \
             this test compares docs/ccf-reference.md with it and must not be skipped",
            shared.display()
        )
    });
    let copy_text = std::fs::read_to_string(copy).unwrap();
    assert!(
        copy_text == shared_text,
        "docs/ccf-reference.md differs from {}: copy the shared reference over it (cp ../shared/docs/ccf-reference.md \
         docs/) and update the rules to match",
        shared.display()
    );
}
