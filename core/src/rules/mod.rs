//! Pure domain rules (layer 0: no I/O, no clock, only the leaves imported): the deadline rules of
//! `docs/ccf-reference.md` §5 here, the grounds library (`grounds`) and citations (`citation`). Each rule gives the
//! last day from a date the person enters, in the clock of the body it runs against: "N days starting with D" ends
//! on D + N − 1, "N days after D" on D + N, months clamp to the month's last day, and only the US rule rolls over a
//! weekend or holiday. [reported] rows are expectations, never limits; nothing unverified prints as exact.

pub mod citation;
pub mod grounds;

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, LocalResult, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::shown;

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

/// The sources §5 relies on, as listed at the end of the reference (a test checks each line is there).
const SOURCES: [(&str, &str); 15] = [
    ("S3", "https://www.interpol.int/Who-we-are/Commission-for-the-Control-of-INTERPOL-s-Files-CCF/CCF-sessions-and-decisions"),
    ("S6", "https://www.rednoticelawjournal.com/?s=new+rules"),
    ("S40", "https://gerrymccannsblogs.co.uk./press/58feb12/SupremeCourt_20_02_2012.htm"),
    ("S41", "https://caselaw.findlaw.com/court/us-9th-circuit/1311715.html"),
    ("S42", "http://wordscope.be/engels/nederlands/X-hour+week.html"),
    ("S43", "https://www.law.cornell.edu/cfr/text/8/1208.4"),
    ("S44", "https://legal-status.eu/en/services/interpol/processing-conditions/"),
    ("S45", "https://www.rednoticelawjournal.com/tag/commission-for-the-control-of-interpols-files/"),
    ("S46", "https://www.casemine.com/commentary/uk/strict-interpretation-of-extradition-appeal-time-limits-in-mucelli-v.-government-of-albania/view"),
    ("S47", "https://legislation.gov.uk/uksi/2014/1610/article/17.19/made"),
    ("S48", "http://legislation.data.gov.uk/ukpga/2003/41/section/103?view=plain+extent"),
    ("S49", "http://www.legislation.gov.uk/ukpga/2003/41/section/108?view=plain"),
    ("S50", "https://www.newlawjournal.co.uk/content/law-reports-160"),
    ("S51", "https://standardyprawa.pl/akt/193/art/23984"),
    ("S52", "https://articles.folaform.com/articles/asylum-i-589-one-year-filing-deadline"),
];

/// (key, English text, status, sources)
type NoteDef = (&'static str, &'static str, CitationStatus, &'static [&'static str]);

const OVERDUE_NOT_A_WIN: NoteDef = (
    "ccf_overdue_not_a_win",
    "An overdue CCF date is not a win. INTERPOL says the CCF is missing its time limits under its workload. A \
     passed CCF limit only means the CCF is late: no decision, no deletion, no default in your favour.",
    CitationStatus::Verified,
    &["S3"],
);
const CCF_MAY_EXTEND: NoteDef = (
    "ccf_may_extend",
    "The CCF may extend this limit and must inform the parties (ST 40(3)). Keep the original date and record the \
     extension and its new date.",
    CitationStatus::Verified,
    &["S45"],
);
const CCF_MONTHS_ESTIMATE: NoteDef = (
    "ccf_months_estimate",
    "No CCF text on counting months was found, so this date is an estimate: the same date in the target month, or \
     that month's last day if the date does not exist.",
    CitationStatus::Check,
    &["S42"],
);
const REPORTED_NOT_A_LIMIT: NoteDef = (
    "reported_not_a_limit",
    "Practitioners report this; no rule was found. It is what to expect, not a limit.",
    CitationStatus::Reported,
    &[],
);
const NO_ROLLOVER: NoteDef = (
    "no_rollover",
    "The date is not moved when it falls on a weekend or holiday: no rule for that was verified, and the earlier \
     date is the safe one.",
    CitationStatus::Check,
    &[],
);
const CCF_SET_DATE: NoteDef = (
    "ccf_set_date",
    "Enter the date the CCF gave for further submissions: that date is the deadline.",
    CitationStatus::Check,
    &[],
);
const UK_FILED_AND_SERVED: NoteDef = (
    "uk_filed_and_served",
    "The notice must be both filed and served by the end of this day.",
    CitationStatus::Verified,
    &["S46"],
);
const UK_STARTING_WITH: NoteDef = (
    "uk_starting_with",
    "The period runs \"starting with\" the day of the event: that day counts as day 1.",
    CitationStatus::Verified,
    &["S40", "S47"],
);
const UK_FROM_RECEIPT: NoteDef = (
    "uk_from_receipt",
    "Time runs from the day you or your solicitor received the letter informing you of the order, not from the \
     date of the decision.",
    CitationStatus::Verified,
    &["S50"],
);
const UK_LATE_NOTICE: NoteDef = (
    "uk_late_notice",
    "A late notice may be accepted if you did everything reasonably possible to give it in time (s.103(10), \
     s.108(7A)): never rely on it.",
    CitationStatus::Verified,
    &["S48", "S49"],
);
const ECE_MAY_RELEASE: NoteDef = (
    "ece_may_release",
    "If the request and its documents have not arrived 18 days after the arrest, the requested state may end the \
     provisional arrest; it does not have to.",
    CitationStatus::Verified,
    &["S51"],
);
const ECE_REARREST: NoteDef = (
    "ece_rearrest",
    "Release does not prevent a new arrest if the request arrives later (ECE Art. 16(5)).",
    CitationStatus::Verified,
    &["S51"],
);
const ECE_PARTIES_ONLY: NoteDef = (
    "ece_parties_only",
    "Only between states party to the European Convention on Extradition; bilateral treaties and the CIS Minsk \
     Convention set other periods (not verified).",
    CitationStatus::Check,
    &[],
);
const US_LAST_ARRIVAL: NoteDef = (
    "us_last_arrival",
    "The year runs from your last arrival in the United States, not your first.",
    CitationStatus::Verified,
    &["S43"],
);
const US_ROLLOVER: NoteDef = (
    "us_rollover",
    "If the last day is a Saturday, Sunday or federal holiday, the limit moves to the next business day.",
    CitationStatus::Verified,
    &["S43"],
);
const US_EXCUSES: NoteDef = (
    "us_excuses",
    "Changed or extraordinary circumstances may excuse a delay.",
    CitationStatus::Verified,
    &["S52"],
);
const US_FILING_OFFICE_CLOCK: NoteDef = (
    "us_filing_office_clock",
    "The day ends at midnight where the office you file with is; that this is the right clock is not verified.",
    CitationStatus::Check,
    &[],
);

/// One row of §5, as written in the code.
struct Def {
    id: RuleId,
    group: RuleGroup,
    trigger: Trigger,
    trigger_text: &'static str,
    title: &'static str,
    counting: Counting,
    span: u32,
    kind: DueKind,
    theirs: bool,
    citation: &'static str,
    status: CitationStatus,
    sources: &'static [&'static str],
    unverified: &'static [&'static str],
    clock_of: ClockOf,
    rollover: Rollover,
    notes: &'static [NoteDef],
}

const CCF_RECEIVED: &str = "The CCF received your request";
const UK_TITLE: &str = "Notice of application for leave to appeal: last day to file and serve it";
const ECE_TRIGGER: &str = "Provisional arrest under the European Convention on Extradition";

/// §5's table, row by row. Not computed, as §5 says: a CCF time limit for deciding a revision (no source); a
/// 45-day General Secretariat answer ("ST 33(2)" [check]); the end of a suspension (information only).
const DEFS: [Def; 11] = [
    Def {
        id: RuleId::CcfAdmissibilityExpected,
        group: RuleGroup::Ccf,
        trigger: Trigger::RequestReceived,
        trigger_text: CCF_RECEIVED,
        title: "The CCF's decision on admissibility is expected (not a limit)",
        counting: Counting::Months,
        span: 1,
        kind: DueKind::Expectation,
        theirs: true,
        citation: "CCF practice reported by practitioners; no rule found",
        status: CitationStatus::Reported,
        sources: &[],
        unverified: &["ST 32(1)"],
        clock_of: ClockOf::Ccf,
        rollover: Rollover::None,
        notes: &[REPORTED_NOT_A_LIMIT, OVERDUE_NOT_A_WIN, CCF_MONTHS_ESTIMATE],
    },
    Def {
        id: RuleId::CcfAccessDecision,
        group: RuleGroup::Ccf,
        trigger: Trigger::AdmissibleAccess,
        trigger_text: "The CCF declared an access request admissible",
        title: "The CCF's decision on the access request is due",
        counting: Counting::Months,
        span: 4,
        kind: DueKind::Limit,
        theirs: true,
        citation: "ST 40(1)",
        status: CitationStatus::Verified,
        sources: &["S44"],
        unverified: &[],
        clock_of: ClockOf::Ccf,
        rollover: Rollover::None,
        notes: &[OVERDUE_NOT_A_WIN, CCF_MAY_EXTEND, CCF_MONTHS_ESTIMATE],
    },
    Def {
        id: RuleId::CcfDeletionDecision,
        group: RuleGroup::Ccf,
        trigger: Trigger::AdmissibleCorrectionDeletion,
        trigger_text: "The CCF declared a correction or deletion request admissible",
        title: "The CCF's decision on the correction or deletion request is due",
        counting: Counting::Months,
        span: 9,
        kind: DueKind::Limit,
        theirs: true,
        citation: "ST 40(2)",
        status: CitationStatus::Verified,
        sources: &["S44"],
        unverified: &[],
        clock_of: ClockOf::Ccf,
        rollover: Rollover::None,
        notes: &[OVERDUE_NOT_A_WIN, CCF_MAY_EXTEND, CCF_MONTHS_ESTIMATE],
    },
    Def {
        id: RuleId::CcfNotificationExpected,
        group: RuleGroup::Ccf,
        trigger: Trigger::DecisionAdopted,
        trigger_text: "The CCF adopted its decision (any type of request)",
        title: "The CCF's decision is expected to reach you (not a limit)",
        counting: Counting::Months,
        span: 1,
        kind: DueKind::Expectation,
        theirs: true,
        citation: "CCF practice reported by practitioners; no rule found",
        status: CitationStatus::Reported,
        sources: &[],
        unverified: &["ST 41"],
        clock_of: ClockOf::Ccf,
        rollover: Rollover::None,
        notes: &[REPORTED_NOT_A_LIMIT, OVERDUE_NOT_A_WIN, CCF_MONTHS_ESTIMATE],
    },
    Def {
        id: RuleId::CcfRevisionWindow,
        group: RuleGroup::Ccf,
        trigger: Trigger::NewFactDiscovered,
        trigger_text: "You discovered a new fact that could have changed a CCF decision",
        title: "Your application for revision is due",
        counting: Counting::Months,
        span: 6,
        kind: DueKind::Limit,
        theirs: false,
        citation: "ST 42(2)",
        status: CitationStatus::Verified,
        sources: &["S6"],
        unverified: &[],
        clock_of: ClockOf::Ccf,
        rollover: Rollover::None,
        notes: &[CCF_MONTHS_ESTIMATE, NO_ROLLOVER],
    },
    Def {
        id: RuleId::CcfFurtherSubmissions,
        group: RuleGroup::Ccf,
        trigger: Trigger::SubmissionsDateSet,
        trigger_text: "The CCF set a date for your further submissions",
        title: "Your further submissions are due (the date the CCF set)",
        counting: Counting::AsSet,
        span: 0,
        kind: DueKind::Limit,
        theirs: false,
        citation: "The date the CCF set",
        status: CitationStatus::Check,
        sources: &[],
        unverified: &["ST 31(3)"],
        clock_of: ClockOf::Ccf,
        rollover: Rollover::None,
        notes: &[CCF_SET_DATE, NO_ROLLOVER],
    },
    Def {
        id: RuleId::UkPart1Appeal,
        group: RuleGroup::Uk,
        trigger: Trigger::UkPart1Order,
        trigger_text: "UK, Part 1 (European arrest warrant): the judge made the extradition order",
        title: UK_TITLE,
        counting: Counting::DaysStartingWith,
        span: 7,
        kind: DueKind::Limit,
        theirs: false,
        citation: "Extradition Act 2003 s.26(4)",
        status: CitationStatus::Verified,
        sources: &["S46", "S47"],
        unverified: &[],
        clock_of: ClockOf::UkCourt,
        rollover: Rollover::None,
        notes: &[UK_FILED_AND_SERVED, UK_STARTING_WITH, NO_ROLLOVER],
    },
    Def {
        id: RuleId::UkPart2Appeal,
        group: RuleGroup::Uk,
        trigger: Trigger::UkPart2Informed,
        trigger_text:
            "UK, Part 2: the Secretary of State informed you (or your solicitor) of the extradition order",
        title: UK_TITLE,
        counting: Counting::DaysStartingWith,
        span: 14,
        kind: DueKind::Limit,
        theirs: false,
        citation: "Extradition Act 2003 s.103(9) and s.108(4)",
        status: CitationStatus::Verified,
        sources: &["S48", "S49", "S46"],
        unverified: &[],
        clock_of: ClockOf::UkCourt,
        rollover: Rollover::None,
        notes: &[UK_FILED_AND_SERVED, UK_STARTING_WITH, UK_FROM_RECEIPT, UK_LATE_NOTICE, NO_ROLLOVER],
    },
    Def {
        id: RuleId::EceRelease,
        group: RuleGroup::Europe,
        trigger: Trigger::ProvisionalArrest,
        trigger_text: ECE_TRIGGER,
        title: "The extradition request and its documents should have arrived; if not, release may follow",
        counting: Counting::DaysAfter,
        span: 18,
        kind: DueKind::Limit,
        theirs: true,
        citation: "ECE Art. 16(4)",
        status: CitationStatus::Verified,
        sources: &["S51"],
        unverified: &[],
        clock_of: ClockOf::RequestedState,
        rollover: Rollover::None,
        notes: &[ECE_MAY_RELEASE, ECE_REARREST, ECE_PARTIES_ONLY],
    },
    Def {
        id: RuleId::EceMax,
        group: RuleGroup::Europe,
        trigger: Trigger::ProvisionalArrest,
        trigger_text: ECE_TRIGGER,
        title: "Provisional detention may never last beyond this day",
        counting: Counting::DaysAfter,
        span: 40,
        kind: DueKind::Limit,
        theirs: true,
        citation: "ECE Art. 16(4)",
        status: CitationStatus::Verified,
        sources: &["S51"],
        unverified: &[],
        clock_of: ClockOf::RequestedState,
        rollover: Rollover::None,
        notes: &[ECE_REARREST, ECE_PARTIES_ONLY],
    },
    Def {
        id: RuleId::UsAsylumOneYear,
        group: RuleGroup::Us,
        trigger: Trigger::LastArrivalInUs,
        trigger_text: "Your last arrival in the United States",
        title: "Your US asylum application is due (one-year limit)",
        counting: Counting::YearsAfter,
        span: 1,
        kind: DueKind::Limit,
        theirs: false,
        citation: "INA 208(a)(2)(B); 8 CFR 208.4(a)(2)(ii) / 1208.4(a)(2)(ii)",
        status: CitationStatus::Verified,
        sources: &["S43", "S41"],
        unverified: &[],
        clock_of: ClockOf::FilingOffice,
        rollover: Rollover::UsNextBusinessDay,
        notes: &[US_LAST_ARRIVAL, US_ROLLOVER, US_EXCUSES, US_FILING_OFFICE_CLOCK],
    },
];

fn def(id: RuleId) -> &'static Def {
    // DEFS holds one row per id, in the order the enum declares them (a test checks it).
    &DEFS[id as usize]
}

fn sources(ids: &[&str]) -> Vec<RuleSource> {
    ids.iter()
        .map(|id| RuleSource {
            id: (*id).to_owned(),
            url: SOURCES.iter().find(|(s, _)| s == id).map(|(_, u)| (*u).to_owned()).unwrap_or_default(),
        })
        .collect()
}

fn notes(defs: &[NoteDef]) -> Vec<RuleNote> {
    defs.iter()
        .map(|(key, text, status, src)| RuleNote {
            key: (*key).to_owned(),
            text: (*text).to_owned(),
            status: *status,
            sources: sources(src),
        })
        .collect()
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
mod tests {
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
                assert!(
                    !r.citation.contains(u.as_str()),
                    "{id}: an unverified article is never the citation"
                );
            }
            if r.status == CitationStatus::Reported {
                assert_eq!(
                    r.kind,
                    DueKind::Expectation,
                    "{id}: a reported row is an expectation, not a limit"
                );
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
        assert_eq!(
            uk[0].ends_here.as_deref(),
            Some("2011-01-04 23:59 +00:00"),
            "an unknown zone reads as UTC"
        );
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
        assert_eq!(
            end_of_paris_day_in(d(2026, 10, 25), "America/New_York").unwrap(),
            "2026-10-25 18:59 -04:00"
        );
        assert_eq!(
            end_of_paris_day_in(d(2026, 10, 25), "Europe/Vilnius").unwrap(),
            "2026-10-26 00:59 +02:00"
        );
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
}
