//! The deadline rules: from a date the person enters (request received, admissibility, decision, arrest…) the
//! deadlines that follow, each with the rule it comes from (`../shared/docs/ccf-reference.md`, section 5).
//! Calendar months are clamped to the month's last day (31 January + 1 month = 28/29 February). Time is passed
//! in; nothing here reads the clock. A CCF deadline falls due at the end of the day in Lyon (Europe/Paris).

use chrono::{Datelike, LocalResult, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The type of a CCF request, as far as deadlines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum RequestType {
    Access,
    CorrectionDeletion,
    Revision,
}

/// A date the person learned, from which deadlines follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Trigger {
    /// The CCF received the request.
    RequestReceived,
    /// The CCF declared the request admissible; `revised` is the type of the request a revision concerns.
    Admissibility { request: RequestType, revised: Option<RequestType> },
    /// The CCF consulted INTERPOL's General Secretariat.
    GeneralSecretariatAsked,
    /// The CCF adopted its decision.
    DecisionAdopted { request: RequestType },
    /// A new fact that could have changed a CCF decision was discovered.
    NewFactDiscovered,
    /// The notice was suspended.
    NoticeSuspended,
    /// Provisional arrest under the European Convention on Extradition.
    ProvisionalArrest,
    /// The UK Home Secretary's extradition decision (Extradition Act 2003); `part` is 1 or 2.
    UkHomeSecretaryDecision { part: u8 },
    /// Arrival in the United States (asylum).
    ArrivalInUs,
}

/// How a deadline is counted from its trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    Months(u32),
    Days(u32),
    Years(u32),
}

/// One deadline that follows from a trigger date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Computed {
    /// A stable key for the UI's translation, e.g. `ccf.admissibility_due`.
    pub key: String,
    /// English title (the UI translates by `key`).
    pub title: String,
    /// The due day (end of day in Europe/Paris for CCF rules).
    pub due: NaiveDate,
    /// The rule, as cited in the reference, e.g. `ST 32(1)`.
    pub rule: String,
    /// `"+1 month from 2026-01-31"`: what it was computed from.
    pub computed_from: String,
    /// The same, for a UI to word in its own language: `span` `span_unit`s (`day`, `month` or `year`) from `from`.
    pub span: u32,
    pub span_unit: String,
    pub from: NaiveDate,
    /// `true` when the rule is a limit the other side must meet (the CCF, a court), `false` for the person's own.
    pub theirs: bool,
}

/// Adds calendar months, clamping to the last day of the target month. `None` only past year 262143.
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    let total = date.year().checked_mul(12)?.checked_add(date.month0() as i32)?.checked_add(months as i32)?;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12) as u32);
    let last = last_day(year, month0 + 1)?;
    NaiveDate::from_ymd_opt(year, month0 + 1, date.day().min(last))
}

fn last_day(year: i32, month: u32) -> Option<u32> {
    let (ny, nm) = if month == 12 { (year.checked_add(1)?, 1) } else { (year, month + 1) };
    Some(NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()?.day())
}

fn apply(date: NaiveDate, span: Span) -> Option<NaiveDate> {
    match span {
        Span::Months(m) => add_months(date, m),
        Span::Years(y) => add_months(date, y.checked_mul(12)?),
        Span::Days(d) => date.checked_add_days(chrono::Days::new(u64::from(d))),
    }
}

fn describe(span: Span) -> String {
    match span {
        Span::Months(1) => "+1 month".into(),
        Span::Months(m) => format!("+{m} months"),
        Span::Days(d) => format!("+{d} days"),
        Span::Years(1) => "+1 year".into(),
        Span::Years(y) => format!("+{y} years"),
    }
}

/// (key, title, span, rule, theirs)
type Rule = (&'static str, &'static str, Span, &'static str, bool);

fn decision_span(request: RequestType) -> Span {
    match request {
        RequestType::Access => Span::Months(4),
        _ => Span::Months(9),
    }
}

fn rules(trigger: Trigger) -> Result<Vec<Rule>> {
    Ok(match trigger {
        Trigger::RequestReceived => {
            vec![(
                "ccf.admissibility_due",
                "CCF admissibility decision due",
                Span::Months(1),
                "ST 32(1)",
                true,
            )]
        }
        Trigger::Admissibility { request: RequestType::Revision, revised } => {
            let revised = revised.ok_or_else(|| {
                Error::invalid(
                    "revised request",
                    "a revision needs the type of the request whose decision it revises",
                )
            })?;
            if revised == RequestType::Revision {
                return Err(Error::invalid("revised request", "must be access or correction/deletion"));
            }
            vec![(
                "ccf.decision_due",
                "CCF decision due (revision)",
                decision_span(revised),
                "ST 42; ST 40",
                true,
            )]
        }
        Trigger::Admissibility { request: RequestType::Access, .. } => {
            vec![("ccf.decision_due", "CCF decision due (access)", Span::Months(4), "ST 40(1)", true)]
        }
        Trigger::Admissibility { request: RequestType::CorrectionDeletion, .. } => {
            vec![(
                "ccf.decision_due",
                "CCF decision due (correction/deletion)",
                Span::Months(9),
                "ST 40(2)",
                true,
            )]
        }
        Trigger::GeneralSecretariatAsked => {
            vec![(
                "ccf.gs_answer_due",
                "General Secretariat's answer to the CCF due",
                Span::Days(45),
                "ST 33(2)",
                true,
            )]
        }
        Trigger::DecisionAdopted { request } => {
            let mut v = vec![(
                "ccf.decision_to_gs",
                "CCF decision sent to the General Secretariat",
                Span::Months(1),
                "ST 41(1)",
                true,
            )];
            if request == RequestType::Access {
                v.push((
                    "ccf.decision_to_applicant",
                    "CCF decision sent to you",
                    Span::Months(1),
                    "ST 41(3)",
                    true,
                ));
            }
            v
        }
        Trigger::NewFactDiscovered => {
            vec![("ccf.revision_due", "Application for revision due", Span::Months(6), "ST 42", false)]
        }
        Trigger::NoticeSuspended => {
            vec![(
                "interpol.suspension_ends",
                "Suspension ends at the latest",
                Span::Months(6),
                "RPD 81(1), 100(1)",
                true,
            )]
        }
        Trigger::ProvisionalArrest => vec![
            (
                "ece.release_may_be_sought",
                "Release may be sought if no extradition request has arrived",
                Span::Days(18),
                "ECE Art. 16(4)",
                false,
            ),
            (
                "ece.detention_limit",
                "Provisional detention may not last beyond",
                Span::Days(40),
                "ECE Art. 16(4)",
                true,
            ),
        ],
        Trigger::UkHomeSecretaryDecision { part: 2 } => {
            vec![(
                "uk.appeal_due",
                "Notice of appeal due (Part 2)",
                Span::Days(14),
                "Extradition Act 2003 s.103(9)",
                false,
            )]
        }
        Trigger::UkHomeSecretaryDecision { part: 1 } => {
            vec![(
                "uk.appeal_due",
                "Notice of appeal due (Part 1)",
                Span::Days(7),
                "Extradition Act 2003 s.103(9)",
                false,
            )]
        }
        Trigger::UkHomeSecretaryDecision { part } => {
            return Err(Error::invalid("part", format!("Part {part} does not exist (expected 1 or 2)")))
        }
        Trigger::ArrivalInUs => {
            vec![("us.asylum_due", "US asylum application due", Span::Years(1), "INA 208(a)(2)(B)", false)]
        }
    })
}

/// The deadlines that follow from `trigger` on `date`.
pub fn compute(trigger: Trigger, date: NaiveDate) -> Result<Vec<Computed>> {
    rules(trigger)?
        .into_iter()
        .map(|(key, title, span, rule, theirs)| {
            let due = apply(date, span).ok_or_else(|| {
                Error::invalid("date", format!("{date} is too far in the future to count from"))
            })?;
            Ok(Computed {
                key: key.into(),
                title: title.into(),
                due,
                rule: rule.into(),
                computed_from: format!("{} from {}", describe(span), date.format("%Y-%m-%d")),
                span: match span {
                    Span::Months(n) | Span::Days(n) | Span::Years(n) => n,
                },
                span_unit: match span {
                    Span::Months(_) => "month",
                    Span::Days(_) => "day",
                    Span::Years(_) => "year",
                }
                .into(),
                from: date,
                theirs,
            })
        })
        .collect()
}

/// The last moment of `day` in Lyon (23:59:59 Europe/Paris), shown in `zone`: what "due on `day`" means for
/// someone elsewhere. Returns the local date-time text with its offset, e.g. `2026-03-30 00:59 +03:00`.
pub fn end_of_paris_day_in(day: NaiveDate, zone: &str) -> Result<String> {
    let tz: Tz =
        zone.parse().map_err(|_| Error::invalid("time zone", format!("'{zone}' is not a time zone")))?;
    let end =
        day.and_time(NaiveTime::from_hms_opt(23, 59, 59).ok_or_else(|| Error::invalid("time", "invalid"))?);
    let paris = match chrono_tz::Europe::Paris.from_local_datetime(&end) {
        LocalResult::Single(t) | LocalResult::Ambiguous(_, t) => t,
        LocalResult::None => {
            return Err(Error::invalid("date", format!("{end} does not exist in Europe/Paris")))
        }
    };
    Ok(paris.with_timezone(&tz).format("%Y-%m-%d %H:%M %:z").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn due(trigger: Trigger, date: NaiveDate) -> NaiveDate {
        compute(trigger, date).unwrap()[0].due
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

    #[test]
    fn each_rule_of_the_reference_table() {
        let access = RequestType::Access;
        let deletion = RequestType::CorrectionDeletion;
        assert_eq!(due(Trigger::RequestReceived, d(2026, 1, 31)), d(2026, 2, 28));
        assert_eq!(
            due(Trigger::Admissibility { request: access, revised: None }, d(2026, 8, 31)),
            d(2026, 12, 31)
        );
        assert_eq!(
            due(Trigger::Admissibility { request: deletion, revised: None }, d(2025, 8, 31)),
            d(2026, 5, 31)
        );
        assert_eq!(
            due(
                Trigger::Admissibility { request: RequestType::Revision, revised: Some(deletion) },
                d(2026, 1, 1)
            ),
            d(2026, 10, 1)
        );
        assert!(compute(
            Trigger::Admissibility { request: RequestType::Revision, revised: None },
            d(2026, 1, 1)
        )
        .is_err());
        assert_eq!(due(Trigger::GeneralSecretariatAsked, d(2026, 12, 31)), d(2027, 2, 14));
        let adopted = compute(Trigger::DecisionAdopted { request: access }, d(2026, 1, 31)).unwrap();
        assert_eq!(adopted.len(), 2, "an access decision goes to the GS and to the applicant");
        assert!(adopted.iter().all(|c| c.due == d(2026, 2, 28)));
        assert_eq!(compute(Trigger::DecisionAdopted { request: deletion }, d(2026, 1, 31)).unwrap().len(), 1);
        assert_eq!(due(Trigger::NewFactDiscovered, d(2026, 8, 31)), d(2027, 2, 28));
        assert_eq!(due(Trigger::NoticeSuspended, d(2024, 2, 29)), d(2024, 8, 29));
        let arrest = compute(Trigger::ProvisionalArrest, d(2026, 12, 20)).unwrap();
        assert_eq!((arrest[0].due, arrest[1].due), (d(2027, 1, 7), d(2027, 1, 29)));
        assert_eq!(arrest[0].rule, "ECE Art. 16(4)");
        assert_eq!(due(Trigger::UkHomeSecretaryDecision { part: 2 }, d(2026, 2, 20)), d(2026, 3, 6));
        assert_eq!(due(Trigger::UkHomeSecretaryDecision { part: 1 }, d(2026, 2, 25)), d(2026, 3, 4));
        assert!(compute(Trigger::UkHomeSecretaryDecision { part: 3 }, d(2026, 2, 25)).is_err());
        assert_eq!(due(Trigger::ArrivalInUs, d(2024, 2, 29)), d(2025, 2, 28));
        let c = &compute(Trigger::RequestReceived, d(2026, 1, 31)).unwrap()[0];
        assert_eq!((c.rule.as_str(), c.computed_from.as_str()), ("ST 32(1)", "+1 month from 2026-01-31"));
        assert_eq!((c.span, c.span_unit.as_str(), c.from.to_string().as_str()), (1, "month", "2026-01-31"));
    }

    #[test]
    fn a_day_in_lyon_seen_from_other_zones_across_daylight_saving() {
        // 29 March 2026: Paris moves to summer time (UTC+2) that night.
        assert_eq!(end_of_paris_day_in(d(2026, 3, 29), "Europe/Paris").unwrap(), "2026-03-29 23:59 +02:00");
        assert_eq!(end_of_paris_day_in(d(2026, 3, 28), "Europe/Moscow").unwrap(), "2026-03-29 01:59 +03:00");
        assert_eq!(end_of_paris_day_in(d(2026, 3, 29), "Europe/Moscow").unwrap(), "2026-03-30 00:59 +03:00");
        // 25 October 2026: back to winter time (UTC+1).
        assert_eq!(
            end_of_paris_day_in(d(2026, 10, 25), "America/New_York").unwrap(),
            "2026-10-25 18:59 -04:00"
        );
        assert_eq!(
            end_of_paris_day_in(d(2026, 10, 25), "Europe/Vilnius").unwrap(),
            "2026-10-26 00:59 +02:00"
        );
        assert!(end_of_paris_day_in(d(2026, 10, 25), "Nowhere/City").is_err());
    }
}
