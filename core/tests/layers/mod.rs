//! The core's layers (`core/src/lib.rs`): every `crate::` path in `core/src` must name a module of its own layer or
//! a lower one, and the top-level modules must not import each other in a cycle. Read from the sources, no tool.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `core/src` and its layer: 0 leaves, 1 store, 2 vault, 3 records, 4 documents, 5 edges.
#[rustfmt::skip]
const LAYERS: [(&str, u8); 18] = [
    ("error", 0), ("text", 0), ("dates", 0), ("secret", 0), ("files", 0), ("places", 0), ("process", 0), ("rules", 0),
    ("store", 1), ("vault", 2), ("records", 3),
    ("pdf", 4), ("isolate", 4), ("ccf", 4), ("bundle", 4), ("scan", 4),
    ("demo", 5), ("lib", 5),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The top-level modules a source text names through `crate::` paths (`crate::a::b`, `crate::{a, b::{c, d}}`),
/// comment lines left out.
fn named(source: &str) -> BTreeSet<String> {
    let code = source.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        // Read the path: its first name, or the first name of each item of a group right after `crate::`.
        let (mut depth, mut word, mut reading, mut group) = (0, String::new(), true, false);
        for c in code[at + "crate::".len()..].chars() {
            match c {
                c if c.is_alphanumeric() || c == '_' => word.extend(reading.then_some(c)),
                c if c.is_whitespace() && word.is_empty() => {}
                c => {
                    out.insert(std::mem::take(&mut word));
                    match c {
                        '{' if depth == 0 => (depth, group) = (1, reading),
                        '{' => (depth, reading) = (depth + 1, false),
                        ',' => reading = depth == 1 && group,
                        '}' if depth == 1 => break,
                        '}' => depth -= 1,
                        _ if depth == 0 && c != ':' => break,
                        _ => reading = false,
                    }
                }
            }
        }
        out.insert(word);
    }
    // `crate::Vault` and the like are the crate root's re-exports (lib.rs): the edge layer's to use.
    let root = |m: String| if m.starts_with(char::is_uppercase) { "lib".to_owned() } else { m };
    out.into_iter().filter(|m| !m.is_empty() && m != "self").map(root).collect()
}

/// The imports of `module` (a top-level module) that go up a layer, or name a module the table does not know.
fn upward(module: &str, source: &str) -> Vec<String> {
    let own = layer(module).unwrap_or(0);
    named(source).into_iter().filter(|m| layer(m).is_none_or(|l| l > own)).collect()
}

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn issue_11_no_module_of_the_core_imports_from_a_layer_above_it_or_in_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.iter().any(|(p, _)| p.ends_with("store/db.rs")), "no sources found under {src:?}");
    let mut problems = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, source) in files {
        let relative = path.strip_prefix(&format!("{}/", src.display())).unwrap_or(&path).to_owned();
        let module = relative.split(['/', '.']).next().unwrap_or_default().to_owned();
        if module == "bin" {
            continue; // the CLI is an edge: it uses the public API only.
        }
        if layer(&module).is_none() {
            problems.push(format!("{relative}: module '{module}' has no layer in LAYERS"));
        }
        for up in upward(&module, &source) {
            problems.push(format!(
                "{relative} (layer {:?}) imports crate::{up} (layer {:?})",
                layer(&module),
                layer(&up)
            ));
        }
        edges.entry(module.clone()).or_default().extend(named(&source).into_iter().filter(|m| *m != module));
    }
    assert!(
        problems.is_empty(),
        "a module may import only from its own layer or a lower one:\n{}",
        problems.join("\n")
    );
    // Within one layer, no cycle either: follow the edges from each module and never come back to it.
    for start in edges.keys() {
        let (mut seen, mut next) = (BTreeSet::new(), vec![start.clone()]);
        while let Some(m) = next.pop() {
            for to in edges.get(&m).into_iter().flatten() {
                assert!(
                    to != start,
                    "the top-level modules '{start}' and '{m}' import each other in a cycle"
                );
                if seen.insert(to.clone()) {
                    next.push(to.clone());
                }
            }
        }
    }
}

#[test]
fn issue_11_the_layer_check_catches_an_upward_import() {
    assert_eq!(upward("store", "use crate::vault::Vault;"), ["vault"], "the store may not know the vault");
    assert_eq!(upward("records", "use crate::{error::Result, bundle::export};"), ["bundle"]);
    assert_eq!(upward("records", "use crate::{\n    store::{Journal, Kind},\n    pdf::Block,\n};"), ["pdf"]);
    assert_eq!(
        upward("isolate", "let x = crate::newthing::f();"),
        ["newthing"],
        "an unknown module is refused"
    );
    assert!(upward("vault", "use crate::store::{Clock, Journal};\n// crate::bundle in a comment").is_empty());
    assert!(upward("demo", "redress_core::bundle::export(); crate::records::x; crate::Vault").is_empty());
    assert_eq!(upward("records", "let v: crate::Vault;"), ["lib"], "the root's re-exports are the edges'");
    assert!(upward("bundle", "crate::pdf::Document { title: crate::text::shown(x) }").is_empty());
    assert!(upward("rules", "use crate::rules::citation::Cite;").is_empty(), "its own module is allowed");
}
