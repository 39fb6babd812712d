//! Tests of the deadline rules: each rule against worked examples of §5, and the table against the reference
//! (`docs/ccf-reference.md`), so a row cannot drift from what the reference says unseen.

use super::table::{DEFS, SOURCES};
use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn due(id: RuleId, from: NaiveDate) -> NaiveDate {
    compute(id, from, None).unwrap().due
}

#[test]
fn calendar_months_clamp_to_the_end_of_the_month() {
    let table = [
        (d(2026, 1, 31), 1, d(2026, 2, 28)),
        (d(2024, 1, 31), 1, d(2024, 2, 29)),
        (d(2024, 2, 29), 12, d(2025, 2, 28)),
        (d(2023, 2, 28), 12, d(2024, 2, 28)),
        (d(2025, 8, 31), 9, d(2026, 5, 31)),
        (d(2026, 8, 31), 6, d(2027, 2, 28)),
        (d(2027, 8, 31), 6, d(2028, 2, 29)),
        (d(2026, 12, 31), 1, d(2027, 1, 31)),
        (d(2026, 12, 31), 4, d(2027, 4, 30)),
        (d(2026, 3, 31), 1, d(2026, 4, 30)),
    ];
    for (from, months, expected) in table {
        assert_eq!(add_months(from, months), Some(expected), "{from} + {months} months");
    }
}

/// Issue 10: every rule of §5 against dates worked out by hand from its counting rules.
#[test]
fn issue_10_every_rule_against_dates_worked_out_by_hand() {
    use RuleId::*;
    let table = [
        // ≈ D + 1 month, clamped: 31 Jan → 28 Feb (common year), 29 Feb (leap year).
        (CcfAdmissibilityExpected, d(2026, 1, 31), d(2026, 2, 28)),
        (CcfAdmissibilityExpected, d(2028, 1, 31), d(2028, 2, 29)),
        // D + 4 months.
        (CcfAccessDecision, d(2026, 8, 31), d(2026, 12, 31)),
        (CcfAccessDecision, d(2026, 10, 31), d(2027, 2, 28)),
        (CcfAccessDecision, d(2027, 10, 31), d(2028, 2, 29)),
        // D + 9 months.
        (CcfDeletionDecision, d(2025, 8, 31), d(2026, 5, 31)),
        (CcfDeletionDecision, d(2026, 5, 31), d(2027, 2, 28)),
        (CcfDeletionDecision, d(2024, 2, 29), d(2024, 11, 29)),
        // ≈ D + 1 month.
        (CcfNotificationExpected, d(2026, 12, 31), d(2027, 1, 31)),
        (CcfNotificationExpected, d(2026, 3, 31), d(2026, 4, 30)),
        // D + 6 months.
        (CcfRevisionWindow, d(2026, 8, 31), d(2027, 2, 28)),
        (CcfRevisionWindow, d(2027, 8, 31), d(2028, 2, 29)),
        (CcfRevisionWindow, d(2025, 11, 25), d(2026, 5, 25)),
        // The date as set.
        (CcfFurtherSubmissions, d(2026, 6, 15), d(2026, 6, 15)),
        // 7 days starting with D: D + 6.
        (UkPart1Appeal, d(2026, 2, 25), d(2026, 3, 3)),
        (UkPart1Appeal, d(2024, 2, 26), d(2024, 3, 3)),
        (UkPart1Appeal, d(2026, 12, 28), d(2027, 1, 3)),
        // 14 days starting with D: D + 13; §5's example, then a leap February.
        (UkPart2Appeal, d(2010, 12, 22), d(2011, 1, 4)),
        (UkPart2Appeal, d(2026, 2, 20), d(2026, 3, 5)),
        (UkPart2Appeal, d(2024, 2, 20), d(2024, 3, 4)),
        // 18 and 40 days after D.
        (EceRelease, d(2026, 12, 20), d(2027, 1, 7)),
        (EceRelease, d(2024, 2, 20), d(2024, 3, 9)),
        (EceMax, d(2026, 12, 20), d(2027, 1, 29)),
        (EceMax, d(2024, 1, 31), d(2024, 3, 11)),
        // Same date a year later, then the next business day.
        (UsAsylumOneYear, d(2025, 6, 10), d(2026, 6, 10)), // a Wednesday: stays
        (UsAsylumOneYear, d(2025, 3, 15), d(2026, 3, 16)), // Sunday 15 March 2026 → Monday
        (UsAsylumOneYear, d(2025, 1, 17), d(2026, 1, 20)), // Saturday 17 → Sunday → MLK Day 19 → Tuesday 20
        (UsAsylumOneYear, d(2025, 12, 25), d(2026, 12, 28)), // Christmas on a Friday → Monday 28
        (UsAsylumOneYear, d(2025, 11, 26), d(2026, 11, 27)), // Thanksgiving, Thursday 26 → Friday 27
        (UsAsylumOneYear, d(2024, 2, 29), d(2025, 2, 28)), // leap day → 28 February, a Friday
        (UsAsylumOneYear, d(2021, 6, 18), d(2022, 6, 20)), // Saturday 18 → Sunday Juneteenth → Monday 20
    ];
    for (id, from, expected) in table {
        assert_eq!(due(id, from), expected, "{id} from {from}");
    }
    // Every rule appears in the table.
    for id in RuleId::ALL {
        assert!(table.iter().any(|(x, _, _)| *x == id), "{id} has no hand-worked date");
    }
}

#[test]
fn a_us_date_on_a_weekend_says_where_it_moved_from() {
    let c = compute(RuleId::UsAsylumOneYear, d(2025, 3, 15), Some("America/New_York")).unwrap();
    assert_eq!((c.due, c.unrolled), (d(2026, 3, 16), Some(d(2026, 3, 15))));
    assert!(c.computed_from.contains("2026-03-15 is a weekend day"), "{}", c.computed_from);
    assert_eq!(c.clock.as_deref(), Some("America/New_York"));
    let stays = compute(RuleId::UsAsylumOneYear, d(2025, 6, 10), None).unwrap();
    assert_eq!(stays.unrolled, None, "a weekday is not moved");
    assert_eq!(stays.clock, None, "the filing office's zone is the person's to give");
    // UK and CCF dates are never rolled over, even on a Sunday: 22 Dec 2010 + 13 is a Tuesday, but
    // 21 Dec 2025 + 13 = Saturday 3 Jan 2026 stays.
    let uk = compute(RuleId::UkPart2Appeal, d(2025, 12, 21), None).unwrap();
    assert_eq!((uk.due, uk.unrolled), (d(2026, 1, 3), None));
}

#[test]
fn us_federal_holidays_on_their_own_dates() {
    let holidays = [
        d(2026, 1, 1),
        d(2026, 1, 19),
        d(2026, 2, 16),
        d(2026, 5, 25),
        d(2026, 6, 19),
        d(2026, 7, 4),
        d(2026, 9, 7),
        d(2026, 10, 12),
        d(2026, 11, 11),
        d(2026, 11, 26),
        d(2026, 12, 25),
    ];
    for h in holidays {
        assert!(us_federal_holiday(h), "{h} is a federal holiday");
    }
    for not in [d(2026, 1, 12), d(2026, 5, 18), d(2026, 11, 27), d(2020, 6, 19), d(2026, 7, 3)] {
        assert!(!us_federal_holiday(not), "{not} is not a federal holiday");
    }
}

#[test]
fn each_rule_carries_its_citation_status_clock_and_kind() {
    for (i, id) in RuleId::ALL.into_iter().enumerate() {
        assert_eq!((DEFS[i].id, id as usize), (id, i), "DEFS and RuleId::ALL follow the enum's order");
        let r = rule(id);
        assert_eq!(r.id.as_str().parse::<RuleId>().unwrap(), id);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["id"], id.as_str(), "the id is serialised as written in §5's list");
        if r.status == CitationStatus::Verified {
            assert!(!r.sources.is_empty(), "{id}: a verified citation names its source");
        }
        for u in &r.unverified {
            assert!(!r.citation.contains(u.as_str()), "{id}: an unverified article is never the citation");
        }
        if r.status == CitationStatus::Reported {
            assert_eq!(r.kind, DueKind::Expectation, "{id}: a reported row is an expectation, not a limit");
        }
        if r.group == RuleGroup::Ccf && r.theirs {
            assert!(
                r.notes.iter().any(|n| n.key == "ccf_overdue_not_a_win"),
                "{id}: an overdue CCF date is the CCF's delay, not a win"
            );
        }
    }
    let clock = |id| rule(id).clock;
    assert_eq!(clock(RuleId::CcfAccessDecision).as_deref(), Some("Europe/Paris"));
    assert_eq!(clock(RuleId::UkPart1Appeal).as_deref(), Some("Europe/London"));
    assert_eq!(clock(RuleId::UkPart2Appeal).as_deref(), Some("Europe/London"));
    assert_eq!(clock(RuleId::EceMax), None, "the requested state's zone, never Paris");
    assert_eq!(clock(RuleId::UsAsylumOneYear), None, "the filing office's zone, never Paris");
    assert_eq!(rule(RuleId::CcfAdmissibilityExpected).kind, DueKind::Expectation);
    assert_eq!(rule(RuleId::CcfNotificationExpected).kind, DueKind::Expectation);
    assert_eq!(rule(RuleId::UkPart1Appeal).citation, "Extradition Act 2003 s.26(4)");
    assert_eq!(same_trigger(RuleId::EceMax), [RuleId::EceMax, RuleId::EceRelease]);
    assert_eq!(same_trigger(RuleId::UkPart1Appeal), [RuleId::UkPart1Appeal]);
}

#[test]
fn zones_are_checked_and_fixed_clocks_cannot_be_moved() {
    assert!(compute(RuleId::UkPart1Appeal, d(2026, 1, 5), Some("Europe/Paris")).is_err());
    assert!(compute(RuleId::UkPart1Appeal, d(2026, 1, 5), Some("Europe/London")).is_ok());
    let err = compute(RuleId::EceMax, d(2026, 1, 5), Some("Mars/Olympus")).unwrap_err().to_string();
    assert!(err.contains("Mars/Olympus") && err.contains("time zone"), "{err}");
    let err = "ccf-revision".parse::<RuleId>().unwrap_err().to_string();
    assert!(err.contains("ccf-revision-window"), "the error lists the ids: {err}");
}

#[test]
fn the_calculator_gives_every_date_of_the_event_with_its_end_of_day() {
    let got = calculate(RuleId::EceMax, "2026-12-20", Some("Europe/Berlin"), "Europe/Moscow").unwrap();
    let dates: Vec<_> = got.iter().map(|c| (c.computed.rule, c.computed.due)).collect();
    assert_eq!(dates, [(RuleId::EceMax, d(2027, 1, 29)), (RuleId::EceRelease, d(2027, 1, 7))]);
    assert_eq!(got[0].ends_there.as_deref(), Some("2027-01-29 23:59 +01:00"));
    assert_eq!(got[0].ends_here.as_deref(), Some("2027-01-30 01:59 +03:00"));
    let unzoned = calculate(RuleId::UsAsylumOneYear, "2025-03-15", None, "Nowhere/City").unwrap();
    assert_eq!((unzoned[0].ends_there.as_ref(), unzoned[0].computed.due), (None, d(2026, 3, 16)));
    let uk = calculate(RuleId::UkPart2Appeal, "2010-12-22", None, "not a zone").unwrap();
    assert_eq!(uk[0].ends_there.as_deref(), Some("2011-01-04 23:59 +00:00"));
    assert_eq!(uk[0].ends_here.as_deref(), Some("2011-01-04 23:59 +00:00"), "an unknown zone reads as UTC");
    for bad in ["2026-02-30", "tomorrow", "", "2026-2-3"] {
        let err = calculate(RuleId::UkPart1Appeal, bad, None, "UTC").unwrap_err().to_string();
        assert!(err.contains("expected YYYY-MM-DD"), "{bad:?}: {err}");
    }
}

/// The sources cited are the reference's own, with the same address.
#[test]
fn every_source_is_listed_in_the_reference() {
    let reference = include_str!("../../../docs/ccf-reference.md");
    for (id, url) in SOURCES {
        assert!(
            reference.lines().any(|l| l.starts_with(&format!("- {id} {url}"))),
            "{id} {url} must be in the reference's list of sources"
        );
    }
    let used: Vec<&str> = DEFS
        .iter()
        .flat_map(|d| d.sources.iter().chain(d.notes.iter().flat_map(|n| n.3.iter())))
        .copied()
        .collect();
    for id in used {
        assert!(SOURCES.iter().any(|(s, _)| *s == id), "{id} is cited but not in SOURCES");
    }
}

#[test]
fn a_day_seen_from_other_zones_across_daylight_saving() {
    // 29 March 2026: Paris moves to summer time (UTC+2) that night.
    assert_eq!(end_of_paris_day_in(d(2026, 3, 29), "Europe/Paris").unwrap(), "2026-03-29 23:59 +02:00");
    assert_eq!(end_of_paris_day_in(d(2026, 3, 28), "Europe/Moscow").unwrap(), "2026-03-29 01:59 +03:00");
    assert_eq!(end_of_paris_day_in(d(2026, 3, 29), "Europe/Moscow").unwrap(), "2026-03-30 00:59 +03:00");
    // 25 October 2026: back to winter time (UTC+1).
    assert_eq!(end_of_paris_day_in(d(2026, 10, 25), "America/New_York").unwrap(), "2026-10-25 18:59 -04:00");
    assert_eq!(end_of_paris_day_in(d(2026, 10, 25), "Europe/Vilnius").unwrap(), "2026-10-26 00:59 +02:00");
    assert!(end_of_paris_day_in(d(2026, 10, 25), "Nowhere/City").is_err());
    // A London day seen from Lyon and Moscow.
    assert_eq!(
        end_of_day_in(d(2011, 1, 4), "Europe/London", "Europe/Paris").unwrap(),
        "2011-01-05 00:59 +01:00"
    );
    assert_eq!(
        end_of_day_in(d(2026, 7, 1), "Europe/London", "Europe/Moscow").unwrap(),
        "2026-07-02 01:59 +03:00"
    );
}
