//! `redress-cli rule` (no vault): the rules listed with citation, status and clock, a date computed from an event,
//! impossible dates refused naming the input.

use std::process::{Command, Output};

use crate::common::*;

/// Runs `redress-cli rule ARGS` with no vault anywhere: HOME points at an empty directory.
fn rule(args: &[&str]) -> Output {
    let home = scratch();
    Command::new(env!("CARGO_BIN_EXE_redress-cli"))
        .arg("rule")
        .args(args)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path())
        .output()
        .unwrap()
}

fn json_of(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("--json prints JSON")
}

#[test]
fn issue_10_cli_lists_every_rule_with_citation_status_and_clock() {
    let list = json_of(&rule(&["list", "--json"]));
    let rules = list.as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in [
        "ccf-access-decision",
        "ccf-deletion-decision",
        "ccf-revision-window",
        "ccf-admissibility-expected",
        "ccf-notification-expected",
        "uk-part1-appeal",
        "uk-part2-appeal",
        "ece-release",
        "ece-max",
        "us-asylum-one-year",
    ] {
        assert!(ids.contains(&id), "{id} is listed: {ids:?}");
    }
    for r in rules {
        for field in ["trigger", "trigger_text", "title", "citation", "status", "kind", "clock_of", "sources"]
        {
            assert!(!r[field].is_null(), "{} has {field}", r["id"]);
        }
        if r["status"] == "reported" {
            assert_eq!(r["kind"], "expectation", "{}: a reported row is not a limit", r["id"]);
        }
    }
    let uk = rules.iter().find(|r| r["id"] == "uk-part2-appeal").unwrap();
    assert_eq!((uk["clock"].as_str(), uk["status"].as_str()), (Some("Europe/London"), Some("verified")));
    let text = rule(&["list"]);
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains("uk-part1-appeal"));
}

#[test]
fn issue_10_cli_computes_a_rule_from_a_date_without_a_vault() {
    let c = json_of(&rule(&["uk-part2-appeal", "2010-12-22", "--json"]));
    assert_eq!(c["rule"], "uk-part2-appeal");
    assert_eq!(c["due"], "2011-01-04", "§5's example: informed 22 Dec 2010, 14 days starting with that day");
    assert_eq!(c["clock"], "Europe/London");
    assert_eq!(c["kind"], "limit");
    assert_eq!(c["status"], "verified");
    assert_eq!(c["citation"], "Extradition Act 2003 s.103(9) and s.108(4)");

    let us = json_of(&rule(&["--json", "us-asylum-one-year", "2025-03-15", "--zone", "America/Chicago"]));
    assert_eq!((us["due"].as_str(), us["unrolled"].as_str()), (Some("2026-03-16"), Some("2026-03-15")));
    assert_eq!(us["clock"], "America/Chicago");

    let ccf = json_of(&rule(&["ccf-admissibility-expected", "2026-01-31", "--json"]));
    assert_eq!((ccf["due"].as_str(), ccf["kind"].as_str()), (Some("2026-02-28"), Some("expectation")));
    assert_eq!(ccf["clock"], "Europe/Paris");

    let text = rule(&["ece-max", "2026-12-20"]);
    assert!(text.status.success());
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(out.starts_with("2027-01-29"), "{out}");
}

#[test]
fn issue_10_cli_refuses_an_impossible_date_naming_it_and_the_expected_form() {
    for bad in ["2026-02-30", "tomorrow", "", "2026-2-3"] {
        let out = rule(&["uk-part1-appeal", bad, "--json"]);
        assert!(!out.status.success(), "{bad:?} must be refused");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("'{bad}'")) && err.contains("expected YYYY-MM-DD"),
            "the message names the input and the form: {err}"
        );
        assert!(out.stdout.is_empty(), "nothing is printed for a refused date");
    }
    let out = rule(&["uk-appeal", "2026-01-05"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("uk-part1-appeal"), "the error lists the ids");
    let out = rule(&["uk-part1-appeal", "2026-01-05", "--zone", "Europe/Paris"]);
    assert!(!out.status.success(), "a UK deadline is never computed in Paris time");
    let out = rule(&["uk-part1-appeal"]);
    assert!(!out.status.success(), "a date is required");
}
