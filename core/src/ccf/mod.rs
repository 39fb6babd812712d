//! CCF review requests: the request model stored in the journal, its validation, the admissibility checklist
//! (`docs/ccf-reference.md` §2) and the deadlines that follow from the CCF's dates (§5, via `rules`).
//! A request is always a draft for counsel: the app never files anything, and every output says so.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::parse_optional_day;
use crate::error::{Error, Result};
use crate::journal::{Indexed, Journal, Kind};
use crate::profile::NoticeType;
use crate::rules::{self, Computed, RequestType, Trigger};
use crate::text;

/// The CCF's working languages (ST 30(2), 18(1)); drafts are produced in the first three.
pub const WORKING_LANGUAGES: [&str; 4] = ["en", "fr", "es", "ar"];
/// Languages Redress can write a draft in today (Arabic needs text shaping).
pub const DRAFT_LANGUAGES: [&str; 3] = ["en", "fr", "es"];
/// The grounds of the reference's §4 table, in its order; the grounds library has one entry for each.
pub const GROUND_IDS: [&str; 11] = [
    "political",
    "human-rights",
    "refugee",
    "private-dispute",
    "threshold",
    "data-quality",
    "no-international-interest",
    "no-extradition",
    "limitation",
    "extradition-refused",
    "diffusion",
];
/// Reported portal limits (practitioners; warnings, not errors).
pub const MAX_ANNEXES: usize = 20;
pub const MAX_ARGUMENT_PAGES: u32 = 10;
pub const MAX_REVISION_SUMMARY_PAGES: u32 = 2;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    #[default]
    Draft,
    SentToCounsel,
    Filed,
    Decided,
}

/// The INTERPOL data the request is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, ts_rs::TS)]
#[ts(export)]
pub struct DataConcerned {
    pub issuing_country: String,
    pub instrument: NoticeType,
    pub references: Vec<String>,
    /// Dates known about the notice or diffusion, as the person knows them (free text, e.g. "issued 2022").
    pub dates: String,
}

/// One ground the request relies on, with the person's argument and the evidence that supports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct GroundArgument {
    /// An id from the grounds library (`political`, `refugee`, …).
    pub ground: String,
    pub argument: String,
    #[ts(type = "number[]")]
    pub evidence: Vec<i64>,
}

/// An annex: an evidence item, numbered by its place in the list, possibly confidential (not to be passed to the
/// source country, e.g. an asylum decision).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Annex {
    #[ts(type = "number")]
    pub evidence: i64,
    pub confidential: bool,
}

/// What a revision application (ST 42) needs: the decision revised and the newly discovered fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, ts_rs::TS)]
#[ts(export)]
pub struct Revision {
    pub revised_type: Option<RequestType>,
    pub decision_reference: String,
    pub decision_date: Option<NaiveDate>,
    pub new_fact: String,
    pub discovered_on: Option<NaiveDate>,
    pub summary: String,
}

/// The CCF's dates as the person learns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, ts_rs::TS)]
#[ts(export)]
pub struct CcfDates {
    pub received: Option<NaiveDate>,
    pub admissibility: Option<NaiveDate>,
    pub decision: Option<NaiveDate>,
}

/// Stored state of a CCF request. Hashed into the audit chain: do not change; add a new version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RequestState {
    pub title: String,
    pub request_type: Option<RequestType>,
    pub language: String,
    #[ts(type = "number | null")]
    pub representative: Option<i64>,
    #[ts(type = "number | null")]
    pub power_of_attorney: Option<i64>,
    #[ts(type = "number | null")]
    pub identity_document: Option<i64>,
    pub data: DataConcerned,
    #[ts(type = "number[]")]
    pub facts: Vec<i64>,
    pub grounds: Vec<GroundArgument>,
    pub annexes: Vec<Annex>,
    pub revision: Option<Revision>,
    pub confidentiality: String,
    pub signature_place: String,
    pub signature_date: Option<NaiveDate>,
    pub status: RequestStatus,
    pub ccf: CcfDates,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Request {
    #[ts(type = "number")]
    pub id: i64,
    pub trashed: bool,
    #[serde(flatten)]
    pub state: RequestState,
}

/// What the person enters; dates as `YYYY-MM-DD` text, validated on save.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RequestInput {
    pub title: String,
    pub request_type: Option<RequestType>,
    pub language: String,
    #[ts(type = "number | null")]
    pub representative: Option<i64>,
    #[ts(type = "number | null")]
    pub power_of_attorney: Option<i64>,
    #[ts(type = "number | null")]
    pub identity_document: Option<i64>,
    pub data: DataConcerned,
    #[ts(type = "number[]")]
    pub facts: Vec<i64>,
    pub grounds: Vec<GroundArgument>,
    pub annexes: Vec<Annex>,
    pub revision: Option<RevisionInput>,
    pub confidentiality: String,
    pub signature_place: String,
    pub signature_date: String,
    pub status: RequestStatus,
    pub received: String,
    pub admissibility: String,
    pub decision: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RevisionInput {
    pub revised_type: Option<RequestType>,
    pub decision_reference: String,
    pub decision_date: String,
    pub new_fact: String,
    pub discovered_on: String,
    pub summary: String,
}

pub(crate) fn indexed(state: &RequestState) -> Indexed {
    let mut body = vec![
        state.data.issuing_country.clone(),
        state.data.references.join(" "),
        state.confidentiality.clone(),
    ];
    body.extend(state.grounds.iter().map(|g| g.argument.clone()));
    if let Some(r) = &state.revision {
        body.push(r.new_fact.clone());
        body.push(r.summary.clone());
    }
    Indexed { title: state.title.clone(), body: body.join("\n") }
}

/// One line of the admissibility checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CheckItem {
    /// Stable key for translation, e.g. `identity_annexed`.
    pub key: String,
    pub passed: bool,
    /// What it checks, in English.
    pub label: String,
    /// How to fix it when missing, in English.
    pub fix: String,
    /// For an annex that is missing: its number and evidence item, for a UI to word the fix itself.
    #[ts(type = "number | null")]
    pub annex: Option<u32>,
    #[ts(type = "number | null")]
    pub evidence: Option<i64>,
}

/// A portal limit exceeded, with the measured value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LimitWarning {
    pub key: String,
    pub measured: u32,
    pub limit: u32,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Checklist {
    pub items: Vec<CheckItem>,
    pub warnings: Vec<LimitWarning>,
}

impl Checklist {
    pub fn ready(&self) -> bool {
        self.items.iter().all(|i| i.passed)
    }
}

fn item(key: &str, passed: bool, label: &str, fix: String) -> CheckItem {
    CheckItem {
        key: key.into(),
        passed,
        label: label.into(),
        fix: if passed { String::new() } else { fix },
        annex: None,
        evidence: None,
    }
}

fn needs_reasons(t: Option<RequestType>) -> bool {
    matches!(t, Some(RequestType::CorrectionDeletion) | Some(RequestType::Revision))
}

impl Journal {
    /// Why evidence item `id` cannot be cited, if it cannot; the caller's error names the field.
    fn annex_problem(&self, id: i64) -> Option<String> {
        match self.evidence(id) {
            Err(_) => Some(format!("evidence item {id} does not exist")),
            Ok(item) if item.trashed => Some(format!(
                "evidence item {id} ('{}') is in the trash; restore it or remove it",
                item.state.title
            )),
            Ok(_) => None,
        }
    }

    fn request_state(&self, input: &RequestInput) -> Result<RequestState> {
        let language = input.language.trim().to_lowercase();
        if !WORKING_LANGUAGES.contains(&language.as_str()) {
            return Err(Error::invalid_because(
                "not_working_language",
                "language",
                format!(
                    "'{}' is not one of the CCF's working languages (English, French, Spanish, Arabic); write the request in one of them",
                    crate::error::shown(&input.language)
                ),
            ));
        }
        if let Some(c) = input.representative {
            if self.contact(c).is_err() {
                return Err(Error::invalid("representative", format!("contact {c} does not exist")));
            }
        }
        for (field, id) in
            [("power of attorney", input.power_of_attorney), ("identity document", input.identity_document)]
        {
            if let Some(problem) = id.and_then(|id| self.annex_problem(id)) {
                return Err(Error::invalid_because("trashed_annex", field, problem));
            }
        }
        for (n, annex) in input.annexes.iter().enumerate() {
            if let Some(problem) = self.annex_problem(annex.evidence) {
                return Err(Error::invalid_because("trashed_annex", format!("annex {}", n + 1), problem));
            }
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = input.annexes.iter().find(|a| !seen.insert(a.evidence)) {
            return Err(Error::invalid(
                "annexes",
                format!("evidence item {} is annexed twice", dup.evidence),
            ));
        }
        for id in &input.facts {
            if self.event(*id).is_err() {
                return Err(Error::invalid("facts", format!("chronology event {id} does not exist")));
            }
        }
        let mut grounds = Vec::new();
        for g in &input.grounds {
            if !GROUND_IDS.contains(&g.ground.as_str()) {
                return Err(Error::invalid(
                    "grounds",
                    format!("'{}' is not a ground of the library", crate::error::shown(&g.ground)),
                ));
            }
            for id in &g.evidence {
                if let Some(problem) = self.annex_problem(*id) {
                    return Err(Error::invalid_because("trashed_annex", "supporting evidence", problem));
                }
            }
            grounds.push(GroundArgument {
                ground: g.ground.clone(),
                argument: text::text(&format!("argument for '{}'", g.ground), &g.argument)?,
                evidence: g.evidence.clone(),
            });
        }
        let ccf = CcfDates {
            received: parse_optional_day("date the CCF received the request", &input.received)?,
            admissibility: parse_optional_day("admissibility date", &input.admissibility)?,
            decision: parse_optional_day("decision date", &input.decision)?,
        };
        if let (Some(r), Some(a)) = (ccf.received, ccf.admissibility) {
            if a < r {
                return Err(Error::invalid_because(
                    "dates_out_of_order",
                    "admissibility date",
                    format!("{a} is before the date the CCF received the request ({r})"),
                ));
            }
        }
        if let (Some(a), Some(d)) = (ccf.admissibility, ccf.decision) {
            if d < a {
                return Err(Error::invalid_because(
                    "dates_out_of_order",
                    "decision date",
                    format!("{d} is before the admissibility date ({a})"),
                ));
            }
        }
        if let (Some(r), None, Some(d)) = (ccf.received, ccf.admissibility, ccf.decision) {
            if d < r {
                return Err(Error::invalid_because(
                    "dates_out_of_order",
                    "decision date",
                    format!("{d} is before the date the CCF received the request ({r})"),
                ));
            }
        }
        let revision = match &input.revision {
            None => None,
            Some(r) => Some(Revision {
                revised_type: r.revised_type,
                decision_reference: text::optional_line("decision reference", &r.decision_reference)?,
                decision_date: parse_optional_day("date of the decision revised", &r.decision_date)?,
                new_fact: text::text("new fact", &r.new_fact)?,
                discovered_on: parse_optional_day("date the new fact was discovered", &r.discovered_on)?,
                summary: text::text("revision summary", &r.summary)?,
            }),
        };
        if let Some(Revision { decision_date: Some(dd), discovered_on: Some(found), .. }) = &revision {
            if found < dd {
                return Err(Error::invalid_because(
                    "dates_out_of_order",
                    "date the new fact was discovered",
                    format!("{found} is before the decision it would revise ({dd}): a revision needs a fact discovered after it"),
                ));
            }
        }
        Ok(RequestState {
            title: text::line("request title", &input.title)?,
            request_type: input.request_type,
            language,
            representative: input.representative,
            power_of_attorney: input.power_of_attorney,
            identity_document: input.identity_document,
            data: DataConcerned {
                issuing_country: text::optional_line("issuing country", &input.data.issuing_country)?,
                instrument: input.data.instrument,
                references: text::labels("references", &input.data.references)?,
                dates: text::optional_line("dates of the notice", &input.data.dates)?,
            },
            facts: input.facts.clone(),
            grounds,
            annexes: input.annexes.clone(),
            revision,
            confidentiality: text::text("confidentiality request", &input.confidentiality)?,
            signature_place: text::optional_line("place of signature", &input.signature_place)?,
            signature_date: parse_optional_day("date of signature", &input.signature_date)?,
            status: input.status,
            ccf,
        })
    }

    pub fn add_request(&mut self, input: &RequestInput) -> Result<i64> {
        let state = self.request_state(input)?;
        let key = state.title.to_lowercase();
        self.create_record(Kind::Request, &state, &key, indexed(&state))
    }

    pub fn edit_request(&mut self, id: i64, input: &RequestInput) -> Result<()> {
        self.request(id)?;
        let state = self.request_state(input)?;
        let key = state.title.to_lowercase();
        self.update_record(Kind::Request, id, &state, &key, indexed(&state))
    }

    pub fn request(&self, id: i64) -> Result<Request> {
        let (state, trashed) = self.get_record::<RequestState>(Kind::Request, id)?;
        Ok(Request { id, trashed, state })
    }

    pub fn list_requests(&self, include_trashed: bool) -> Result<Vec<Request>> {
        Ok(self
            .list_records::<RequestState>(Kind::Request, include_trashed)?
            .into_iter()
            .map(|(id, state, trashed)| Request { id, trashed, state })
            .collect())
    }

    /// The admissibility checklist of a request (reference §2), with the portal limits as warnings.
    /// `argument_pages` is the measured length of the grounds section as laid out in the draft.
    pub fn checklist(&self, id: i64, argument_pages: u32, revision_summary_pages: u32) -> Result<Checklist> {
        let r = self.request(id)?.state;
        let annexed = |e: Option<i64>| e.is_some_and(|e| r.annexes.iter().any(|a| a.evidence == e));
        let live = |e: i64| self.evidence(e).is_ok_and(|i| !i.trashed);
        let mut items = vec![item(
            "type_chosen",
            r.request_type.is_some(),
            "One request type, stating its purpose (access, correction/deletion, or revision)",
            "Choose the type of this request; for a second purpose, make a second request".into(),
        )];
        items.push(item(
            "identity_annexed",
            annexed(r.identity_document) && r.identity_document.is_some_and(live),
            "A copy of an official identity document (name, date of birth, photo), annexed",
            "Add your passport or ID card scan as an annex and mark it as the identity document".into(),
        ));
        if r.representative.is_some() {
            items.push(item(
                "power_of_attorney_annexed",
                annexed(r.power_of_attorney) && r.power_of_attorney.is_some_and(live),
                "A power of attorney signed by you, authorising your representative to access INTERPOL data on you",
                "Add the signed power of attorney as an annex and mark it as such".into(),
            ));
        }
        items.push(item(
            "working_language",
            DRAFT_LANGUAGES.contains(&r.language.as_str()),
            "Written in a working language of the CCF (English, French or Spanish here)",
            if r.language == "ar" {
                "Arabic drafts are not yet supported by Redress: choose English, French or Spanish".into()
            } else {
                "Choose English, French or Spanish as the language of the draft".into()
            },
        ));
        if needs_reasons(r.request_type) {
            let reasons = r.grounds.iter().any(|g| !g.argument.trim().is_empty());
            items.push(item(
                "reasons",
                reasons,
                "Reasons: at least one ground, with your argument",
                "Select a ground and write why it applies to your case, with dates, names and places".into(),
            ));
            let mut left: Vec<String> = Vec::new();
            for g in &r.grounds {
                for name in crate::grounds::unfilled(&g.argument) {
                    if !left.contains(&name) {
                        left.push(name);
                    }
                }
            }
            items.push(item(
                "placeholders_filled",
                left.is_empty(),
                "Every blank of the ground templates is filled with your facts",
                format!("Replace these blanks in your arguments with your own facts: {}", left.join(", ")),
            ));
            let supported = r.grounds.iter().any(|g| !g.evidence.is_empty())
                || r.annexes.iter().any(|a| {
                    Some(a.evidence) != r.identity_document && Some(a.evidence) != r.power_of_attorney
                });
            items.push(item(
                "supporting_documents",
                supported,
                "Supporting documents for the grounds",
                "Link the evidence that supports each ground (court rulings, asylum decision, proof of your work)".into(),
            ));
        }
        if r.request_type == Some(RequestType::Revision) {
            let rev = r.revision.clone().unwrap_or_default();
            items.push(item(
                "new_fact",
                !rev.new_fact.trim().is_empty() && rev.discovered_on.is_some(),
                "For a revision: the newly discovered fact and the date it was discovered (ST 42)",
                "Describe the new fact and give the date you discovered it".into(),
            ));
            items.push(item(
                "revised_decision",
                rev.revised_type.is_some() && !rev.decision_reference.trim().is_empty(),
                "For a revision: the CCF decision it concerns (reference and type of the original request)",
                "Give the reference of the CCF decision and the type of the request it decided".into(),
            ));
        }
        for (n, a) in r.annexes.iter().enumerate() {
            if !live(a.evidence) {
                let mut missing = item(
                    "annex_available",
                    false,
                    "Every annex is in the journal",
                    format!(
                        "Annex {} (evidence item {}) is in the trash or was purged: restore it or remove it",
                        n + 1,
                        a.evidence
                    ),
                );
                missing.annex = u32::try_from(n + 1).ok();
                missing.evidence = Some(a.evidence);
                items.push(missing);
            }
        }
        items.push(item(
            "signed",
            !r.signature_place.trim().is_empty() && r.signature_date.is_some(),
            "Signed, with place and date",
            "Give the place and date of signature (you sign the final version)".into(),
        ));
        let mut warnings = Vec::new();
        if r.annexes.len() > MAX_ANNEXES {
            warnings.push(LimitWarning {
                key: "too_many_annexes".into(),
                measured: r.annexes.len() as u32,
                limit: MAX_ANNEXES as u32,
                message: format!(
                    "{} annexes; the portal reportedly accepts at most {MAX_ANNEXES}",
                    r.annexes.len()
                ),
            });
        }
        if argument_pages > MAX_ARGUMENT_PAGES {
            warnings.push(LimitWarning {
                key: "arguments_too_long".into(),
                measured: argument_pages,
                limit: MAX_ARGUMENT_PAGES,
                message: format!("the arguments take {argument_pages} pages; the portal reportedly accepts at most {MAX_ARGUMENT_PAGES}"),
            });
        }
        if r.request_type == Some(RequestType::Revision)
            && revision_summary_pages > MAX_REVISION_SUMMARY_PAGES
        {
            warnings.push(LimitWarning {
                key: "revision_summary_too_long".into(),
                measured: revision_summary_pages,
                limit: MAX_REVISION_SUMMARY_PAGES,
                message: format!(
                    "the revision summary takes {revision_summary_pages} pages; it should be at most {MAX_REVISION_SUMMARY_PAGES}"
                ),
            });
        }
        Ok(Checklist { items, warnings })
    }
}

/// The deadlines that follow from a request's CCF dates and, for a revision, from the discovery of the new fact.
pub fn request_deadlines(state: &RequestState) -> Result<Vec<Computed>> {
    let mut out = Vec::new();
    if let Some(d) = state.ccf.received {
        out.extend(rules::compute(Trigger::RequestReceived, d)?);
    }
    if let (Some(d), Some(t)) = (state.ccf.admissibility, state.request_type) {
        let revised = state.revision.as_ref().and_then(|r| r.revised_type);
        if t != RequestType::Revision || revised.is_some() {
            out.extend(rules::compute(Trigger::Admissibility { request: t, revised }, d)?);
        }
    }
    if let (Some(d), Some(t)) = (state.ccf.decision, state.request_type) {
        let t = match (t, state.revision.as_ref().and_then(|r| r.revised_type)) {
            (RequestType::Revision, Some(revised)) => revised,
            (t, _) => t,
        };
        out.extend(rules::compute(Trigger::DecisionAdopted { request: t }, d)?);
    }
    if state.request_type == Some(RequestType::Revision) {
        if let Some(d) = state.revision.as_ref().and_then(|r| r.discovered_on) {
            out.extend(rules::compute(Trigger::NewFactDiscovered, d)?);
        }
    }
    Ok(out)
}

pub mod draft;
