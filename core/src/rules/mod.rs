//! Pure domain rules (layer 0: no I/O, no clock, only the leaves imported): the deadline rules of
//! `docs/ccf-reference.md` §5 here, the grounds library (`grounds`), its summaries in the languages of the interface
//! (`summaries`) and citations (`citation`). Each rule gives the
//! last day from a date the person enters, in the clock of the body it runs against: "N days starting with D" ends
//! on D + N − 1, "N days after D" on D + N, months clamp to the month's last day, and only the US rule rolls over a
//! weekend or holiday. [reported] rows are expectations, never limits; nothing unverified prints as exact.

pub mod citation;
pub mod grounds;
pub mod summaries;
mod table;

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, LocalResult, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::shown;
use table::{def, notes, sources, Def};

/// The type of a CCF request, as far as deadlines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum RequestType {
    Access,
    CorrectionDeletion,
    Revision,
}

/// A rule of §5, by its stable id (`ccf-access-decision`, `uk-part2-appeal`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    CcfAdmissibilityExpected,
    CcfAccessDecision,
    CcfDeletionDecision,
    CcfNotificationExpected,
    CcfRevisionWindow,
    CcfFurtherSubmissions,
    UkPart1Appeal,
    UkPart2Appeal,
    EceRelease,
    EceMax,
    UsAsylumOneYear,
}

impl RuleId {
    /// Every rule, in the order §5 lists them.
    pub const ALL: [RuleId; 11] = [
        RuleId::CcfAdmissibilityExpected,
        RuleId::CcfAccessDecision,
        RuleId::CcfDeletionDecision,
        RuleId::CcfNotificationExpected,
        RuleId::CcfRevisionWindow,
        RuleId::CcfFurtherSubmissions,
        RuleId::UkPart1Appeal,
        RuleId::UkPart2Appeal,
        RuleId::EceRelease,
        RuleId::EceMax,
        RuleId::UsAsylumOneYear,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::CcfAdmissibilityExpected => "ccf-admissibility-expected",
            RuleId::CcfAccessDecision => "ccf-access-decision",
            RuleId::CcfDeletionDecision => "ccf-deletion-decision",
            RuleId::CcfNotificationExpected => "ccf-notification-expected",
            RuleId::CcfRevisionWindow => "ccf-revision-window",
            RuleId::CcfFurtherSubmissions => "ccf-further-submissions",
            RuleId::UkPart1Appeal => "uk-part1-appeal",
            RuleId::UkPart2Appeal => "uk-part2-appeal",
            RuleId::EceRelease => "ece-release",
            RuleId::EceMax => "ece-max",
            RuleId::UsAsylumOneYear => "us-asylum-one-year",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let wanted = s.trim();
        RuleId::ALL.into_iter().find(|id| id.as_str() == wanted).ok_or_else(|| {
            let ids: Vec<&str> = RuleId::ALL.iter().map(|id| id.as_str()).collect();
            Error::invalid(
                "rule",
                format!("'{}' is not a rule (expected one of: {})", shown(s), ids.join(", ")),
            )
        })
    }
}

/// Where a rule belongs, for grouping in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum RuleGroup {
    Ccf,
    Uk,
    Europe,
    Us,
}

/// The event, with its date, that a rule counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The CCF received the request.
    RequestReceived,
    /// The CCF declared an access request admissible.
    AdmissibleAccess,
    /// The CCF declared a correction or deletion request admissible.
    AdmissibleCorrectionDeletion,
    /// The CCF adopted its decision (any request type).
    DecisionAdopted,
    /// A new fact that could have changed a CCF decision was discovered.
    NewFactDiscovered,
    /// The CCF set a date for further submissions (the date entered is that date).
    SubmissionsDateSet,
    /// UK Part 1: the judge made the extradition order.
    UkPart1Order,
    /// UK Part 2: the Secretary of State informed the person (or their solicitor) of the order.
    UkPart2Informed,
    /// Provisional arrest under the European Convention on Extradition.
    ProvisionalArrest,
    /// The person's last arrival in the United States.
    LastArrivalInUs,
}

/// How the last day is counted from the trigger date D (`span` is N).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// N calendar months after D, clamped to the month's last day.
    Months,
    /// N days starting with D: D is day 1, the last day is D + N − 1.
    DaysStartingWith,
    /// N days after D: D is not counted, the last day is D + N.
    DaysAfter,
    /// N years after D: the same date N years later (29 February clamps to 28 February).
    YearsAfter,
    /// The date entered is itself the date (a date someone else set).
    AsSet,
}

/// Whether a date is a limit someone must meet or only what practitioners report to expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    Limit,
    Expectation,
}

/// The reference's tag on a citation: verified against source Sn, not verified ("check"), or only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum CitationStatus {
    Verified,
    Check,
    Reported,
}

impl CitationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CitationStatus::Verified => "verified",
            CitationStatus::Check => "check",
            CitationStatus::Reported => "reported",
        }
    }
}

/// Whose end of day a deadline falls at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ClockOf {
    /// The CCF, in Lyon: Europe/Paris.
    Ccf,
    /// The UK courts: Europe/London.
    UkCourt,
    /// The requested state (the person gives its zone).
    RequestedState,
    /// The US office where the application is filed (the person gives its zone).
    FilingOffice,
}

impl ClockOf {
    /// The zone, when the body has one; `None` when the person must say which.
    pub fn fixed_zone(self) -> Option<&'static str> {
        match self {
            ClockOf::Ccf => Some("Europe/Paris"),
            ClockOf::UkCourt => Some("Europe/London"),
            ClockOf::RequestedState | ClockOf::FilingOffice => None,
        }
    }
}

/// What happens when the last day is not a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Rollover {
    /// The date stands (the unrolled date errs early, which is safe).
    None,
    /// A Saturday, Sunday or US federal holiday moves to the next day that is none of them.
    UsNextBusinessDay,
}

/// One source of the reference's list (S1…S75).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RuleSource {
    /// `S44`
    pub id: String,
    pub url: String,
}

/// A fact that goes with a rule, with its own status; the UI translates it by `key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RuleNote {
    pub key: String,
    /// English text (the CLI prints it; the UI translates by `key`).
    pub text: String,
    pub status: CitationStatus,
    pub sources: Vec<RuleSource>,
}

/// A rule of §5, as listed by `rule list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Rule {
    pub id: RuleId,
    pub group: RuleGroup,
    pub trigger: Trigger,
    /// English: the event the person enters the date of.
    pub trigger_text: String,
    /// English: what the rule computes.
    pub title: String,
    pub counting: Counting,
    /// N in the counting ("14" days starting with D); 0 for a date as set.
    pub span: u32,
    pub kind: DueKind,
    /// `true` when the limit is the other side's to meet (the CCF, a state), `false` when it is the person's own.
    pub theirs: bool,
    /// The citation as it may be printed: a verified rule, or for [check]/[reported] rows the principle only.
    pub citation: String,
    pub status: CitationStatus,
    pub sources: Vec<RuleSource>,
    /// Article numbers the reference marks [check]: shown to counsel as unverified, never as the citation.
    pub unverified: Vec<String>,
    pub clock_of: ClockOf,
    /// The zone the deadline ends in (23:59), or `None` when the person gives it (requested state, filing office).
    pub clock: Option<String>,
    pub rollover: Rollover,
    pub notes: Vec<RuleNote>,
}

/// A date computed by a rule from a trigger date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Computed {
    pub rule: RuleId,
    /// English title (the UI translates by `rule`).
    pub title: String,
    /// The last day: the deadline ends at 23:59 of it in `clock`.
    pub due: NaiveDate,
    /// The date before a roll-over to the next business day, when there was one.
    pub unrolled: Option<NaiveDate>,
    /// The trigger date it was counted from.
    pub from: NaiveDate,
    pub counting: Counting,
    pub span: u32,
    /// English: `14 days starting with 2010-12-22`.
    pub computed_from: String,
    pub kind: DueKind,
    pub theirs: bool,
    pub citation: String,
    pub status: CitationStatus,
    pub clock_of: ClockOf,
    /// IANA zone of the clock, or `None` when the person has not said which (requested state, filing office).
    pub clock: Option<String>,
    pub notes: Vec<RuleNote>,
}

/// The rule with id `id`.
pub fn rule(id: RuleId) -> Rule {
    let d = def(id);
    Rule {
        id: d.id,
        group: d.group,
        trigger: d.trigger,
        trigger_text: d.trigger_text.to_owned(),
        title: d.title.to_owned(),
        counting: d.counting,
        span: d.span,
        kind: d.kind,
        theirs: d.theirs,
        citation: d.citation.to_owned(),
        status: d.status,
        sources: sources(d.sources),
        unverified: d.unverified.iter().map(|s| (*s).to_owned()).collect(),
        clock_of: d.clock_of,
        clock: d.clock_of.fixed_zone().map(str::to_owned),
        rollover: d.rollover,
        notes: notes(d.notes),
    }
}

/// Every rule of §5, in its order.
pub fn list() -> Vec<Rule> {
    RuleId::ALL.into_iter().map(rule).collect()
}

/// The rules that count from the same event as `id` (itself first): one trigger date gives all their dates.
pub fn same_trigger(id: RuleId) -> Vec<RuleId> {
    let trigger = def(id).trigger;
    std::iter::once(id)
        .chain(RuleId::ALL.into_iter().filter(|x| *x != id && def(*x).trigger == trigger))
        .collect()
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

/// A US federal legal holiday (5 U.S.C. 6103(a)) on its own date. The Friday or Monday observed in lieu of a
/// holiday on a weekend is not counted: without it the limit can only come out a day early, never late.
pub fn us_federal_holiday(d: NaiveDate) -> bool {
    let (year, month, day, weekday) = (d.year(), d.month(), d.day(), d.weekday());
    let nth = (day - 1) / 7 + 1;
    let last_of_month = last_day(year, month).is_some_and(|last| day + 7 > last);
    match (month, weekday) {
        (1, _) if day == 1 => true,                    // New Year's Day
        (1, Weekday::Mon) if nth == 3 => year >= 1986, // Birthday of Martin Luther King, Jr.
        (2, Weekday::Mon) if nth == 3 => true,         // Washington's Birthday
        (5, Weekday::Mon) if last_of_month => true,    // Memorial Day
        (6, _) if day == 19 => year >= 2021,           // Juneteenth National Independence Day
        (7, _) if day == 4 => true,                    // Independence Day
        (9, Weekday::Mon) if nth == 1 => true,         // Labor Day
        (10, Weekday::Mon) if nth == 2 => true,        // Columbus Day
        (11, _) if day == 11 => true,                  // Veterans Day
        (11, Weekday::Thu) if nth == 4 => true,        // Thanksgiving Day
        (12, _) if day == 25 => true,                  // Christmas Day
        _ => false,
    }
}

fn business_day_on_or_after(mut d: NaiveDate) -> Option<NaiveDate> {
    // At most a weekend plus a holiday in a row; the bound keeps the loop finite whatever the calendar.
    for _ in 0..10 {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !us_federal_holiday(d) {
            return Some(d);
        }
        d = d.succ_opt()?;
    }
    None
}

fn count(d: &Def, from: NaiveDate) -> Option<NaiveDate> {
    match d.counting {
        Counting::Months => add_months(from, d.span),
        Counting::YearsAfter => add_months(from, d.span.checked_mul(12)?),
        Counting::DaysStartingWith => {
            from.checked_add_days(chrono::Days::new(u64::from(d.span.checked_sub(1)?)))
        }
        Counting::DaysAfter => from.checked_add_days(chrono::Days::new(u64::from(d.span))),
        Counting::AsSet => Some(from),
    }
}

fn describe(d: &Def, from: NaiveDate) -> String {
    let from = from.format("%Y-%m-%d");
    let n = d.span;
    let s = if n == 1 { "" } else { "s" };
    match d.counting {
        Counting::Months => format!("{n} month{s} after {from}"),
        Counting::YearsAfter => format!("{n} year{s} after {from}"),
        Counting::DaysStartingWith => format!("{n} day{s} starting with {from}"),
        Counting::DaysAfter => format!("{n} day{s} after {from}"),
        Counting::AsSet => format!("the date set: {from}"),
    }
}

fn parse_zone(field: &str, zone: &str) -> Result<Tz> {
    zone.trim().parse().map_err(|_| {
        Error::invalid(field, format!("'{}' is not a time zone (expected e.g. Europe/Berlin)", shown(zone)))
    })
}

/// The date rule `id` gives for an event on `from`. `zone` is the requested state's or the filing office's time
/// zone for the rules that end there; the CCF's and the UK's clocks are fixed, and another zone for them is refused.
pub fn compute(id: RuleId, from: NaiveDate, zone: Option<&str>) -> Result<Computed> {
    let d = def(id);
    let zone = zone.map(str::trim).filter(|z| !z.is_empty());
    let clock = match (d.clock_of.fixed_zone(), zone) {
        (Some(fixed), None) => Some(fixed.to_owned()),
        (Some(fixed), Some(z)) => {
            if parse_zone("time zone", z)?.name() != fixed {
                return Err(Error::invalid(
                    "time zone",
                    format!("{id} ends in {fixed}; a time zone can be given only for the ECE and US rules"),
                ));
            }
            Some(fixed.to_owned())
        }
        (None, Some(z)) => Some(parse_zone("time zone", z)?.name().to_owned()),
        (None, None) => None,
    };
    let counted = count(d, from)
        .ok_or_else(|| Error::invalid("date", format!("{from} is too far in the future to count from")))?;
    let due = match d.rollover {
        Rollover::None => counted,
        Rollover::UsNextBusinessDay => business_day_on_or_after(counted).ok_or_else(|| {
            Error::invalid("date", format!("{from} is too far in the future to count from"))
        })?,
    };
    let mut computed_from = describe(d, from);
    if due != counted {
        computed_from.push_str(&format!(
            "; {} is a weekend day or US federal holiday, so the limit moves to the next business day",
            counted.format("%Y-%m-%d")
        ));
    }
    Ok(Computed {
        rule: id,
        title: d.title.to_owned(),
        due,
        unrolled: (due != counted).then_some(counted),
        from,
        counting: d.counting,
        span: d.span,
        computed_from,
        kind: d.kind,
        theirs: d.theirs,
        citation: d.citation.to_owned(),
        status: d.status,
        clock_of: d.clock_of,
        clock,
        notes: notes(d.notes),
    })
}

/// A date of the calculator, with the end of its last day in its clock and in the person's own zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Calculated {
    pub computed: Computed,
    /// `2011-01-04 23:59 +00:00`: the end of the last day in the rule's clock; `None` until its zone is given.
    pub ends_there: Option<String>,
    /// The same moment in the person's zone; `None` until the rule's zone is given.
    pub ends_here: Option<String>,
}

/// The calculator: every date that follows from the event of rule `id` on `date` (`YYYY-MM-DD`), rule `id`'s
/// first. `zone` is the requested state's or filing office's zone (ECE and US rules); `here` is the person's zone
/// (UTC if it is not one).
pub fn calculate(id: RuleId, date: &str, zone: Option<&str>, here: &str) -> Result<Vec<Calculated>> {
    let from = crate::dates::parse_day("date", date)?;
    let here = if here.trim().parse::<Tz>().is_ok() { here.trim() } else { "UTC" };
    same_trigger(id)
        .into_iter()
        .map(|id| {
            let computed = compute(id, from, zone)?;
            let (ends_there, ends_here) = match computed.clock.as_deref() {
                Some(clock) => (
                    Some(end_of_day_in(computed.due, clock, clock)?),
                    Some(end_of_day_in(computed.due, clock, here)?),
                ),
                None => (None, None),
            };
            Ok(Calculated { computed, ends_there, ends_here })
        })
        .collect()
}

/// The last moment of `day` (23:59:59) in the zone `clock`, shown in `zone`: what "due on `day`" means for someone
/// elsewhere. Returns the local date-time text with its offset, e.g. `2026-03-30 00:59 +03:00`.
pub fn end_of_day_in(day: NaiveDate, clock: &str, zone: &str) -> Result<String> {
    let clock_tz = parse_zone("clock", clock)?;
    let tz = parse_zone("time zone", zone)?;
    let end =
        day.and_time(NaiveTime::from_hms_opt(23, 59, 59).ok_or_else(|| Error::invalid("time", "invalid"))?);
    let there = match clock_tz.from_local_datetime(&end) {
        LocalResult::Single(t) | LocalResult::Ambiguous(_, t) => t,
        LocalResult::None => {
            return Err(Error::invalid("date", format!("{end} does not exist in {}", clock_tz.name())))
        }
    };
    Ok(there.with_timezone(&tz).format("%Y-%m-%d %H:%M %:z").to_string())
}

/// The last moment of `day` in Lyon (Europe/Paris), shown in `zone`.
pub fn end_of_paris_day_in(day: NaiveDate, zone: &str) -> Result<String> {
    end_of_day_in(day, "Europe/Paris", zone)
}

#[cfg(test)]
mod tests;
