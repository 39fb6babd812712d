//! `redress-cli bundle` and `disclosures`: a request's annexes bundled for its representative, an existing file
//! never overwritten, the plan, and the disclosure log.

use crate::common::tool;
use crate::common::*;
use crate::run_cli;

#[test]
fn the_cli_bundles_a_request_and_lists_the_disclosures() {
    let dir = scratch();
    let pass_file = write(dir.path(), "pass", PASSPHRASE.as_bytes());
    let vault = dir.path().join("vault");
    let cli = |args: &[&str]| run_cli(&vault, &pass_file, args);
    assert!(cli(&["demo"]).0);
    let out = dir.path().join("request-1.pdf");
    let (ok, text) = cli(&["bundle", "--request", "1", "--out", out.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert!(text.contains("bundle written") && text.contains("disclosure log"), "{text}");
    let info = tool("pdfinfo", &[], &out);
    assert!(info.contains("Pages:"));
    let (ok, text) = cli(&["bundle", "--request", "1", "--out", out.to_str().unwrap()]);
    assert!(!ok && text.contains("already exists"), "an existing file is never overwritten: {text}");
    let (ok, text) = cli(&["bundle", "--out", dir.path().join("x.pdf").to_str().unwrap()]);
    assert!(!ok && text.contains("--request ID"), "{text}");
    let (ok, text) = cli(&["disclosures"]);
    assert!(ok && text.contains("request-1.pdf") && text.contains(&sha256_file(&out)), "{text}");
    let plan = dir.path().join("plan.pdf");
    let (ok, text) = cli(&[
        "bundle",
        "--items",
        "1,2",
        "--attach-original",
        "2",
        "--plan",
        "--out",
        plan.to_str().unwrap(),
    ]);
    assert!(ok, "{text}");
    let planned: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let attached: Vec<bool> = planned.iter().map(|p| p["attached"].as_bool().unwrap()).collect();
    assert_eq!(attached, [false, true], "--attach-original attaches that item's original only: {text}");
}
