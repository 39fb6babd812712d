//! §5's table as data: one `Def` per rule (its trigger, how it counts, its clock, citation, status and notes) and
//! the sources the reference lists. Only data and its lookups live here; counting the dates is `rules`' work. A
//! test checks every row against `docs/ccf-reference.md`, so a row cannot drift from the reference unseen.

use super::{
    CitationStatus, ClockOf, Counting, DueKind, Rollover, RuleGroup, RuleId, RuleNote, RuleSource, Trigger,
};

/// The sources §5 relies on, as listed at the end of the reference (a test checks each line is there).
pub(super) const SOURCES: [(&str, &str); 15] = [
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
pub(super) type NoteDef = (&'static str, &'static str, CitationStatus, &'static [&'static str]);

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
pub(super) struct Def {
    pub(super) id: RuleId,
    pub(super) group: RuleGroup,
    pub(super) trigger: Trigger,
    pub(super) trigger_text: &'static str,
    pub(super) title: &'static str,
    pub(super) counting: Counting,
    pub(super) span: u32,
    pub(super) kind: DueKind,
    pub(super) theirs: bool,
    pub(super) citation: &'static str,
    pub(super) status: CitationStatus,
    pub(super) sources: &'static [&'static str],
    pub(super) unverified: &'static [&'static str],
    pub(super) clock_of: ClockOf,
    pub(super) rollover: Rollover,
    pub(super) notes: &'static [NoteDef],
}

const CCF_RECEIVED: &str = "The CCF received your request";
const UK_TITLE: &str = "Notice of application for leave to appeal: last day to file and serve it";
const ECE_TRIGGER: &str = "Provisional arrest under the European Convention on Extradition";

/// §5's table, row by row. Not computed, as §5 says: a CCF time limit for deciding a revision (no source); a
/// 45-day General Secretariat answer ("ST 33(2)" [check]); the end of a suspension (information only).
pub(super) const DEFS: [Def; 11] = [
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

pub(super) fn def(id: RuleId) -> &'static Def {
    // DEFS holds one row per id, in the order the enum declares them (a test checks it).
    &DEFS[id as usize]
}

pub(super) fn sources(ids: &[&str]) -> Vec<RuleSource> {
    ids.iter()
        .map(|id| RuleSource {
            id: (*id).to_owned(),
            url: SOURCES.iter().find(|(s, _)| s == id).map(|(_, u)| (*u).to_owned()).unwrap_or_default(),
        })
        .collect()
}

pub(super) fn notes(defs: &[NoteDef]) -> Vec<RuleNote> {
    defs.iter()
        .map(|(key, text, status, src)| RuleNote {
            key: (*key).to_owned(),
            text: (*text).to_owned(),
            status: *status,
            sources: sources(src),
        })
        .collect()
}
