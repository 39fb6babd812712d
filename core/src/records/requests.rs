//! CCF review requests: the request model stored in the journal, its validation and the deadlines that follow
//! from the CCF's dates (`docs/ccf-reference.md` §5, via `rules`). The admissibility checklist is `checklist`, the
//! draft `ccf::draft`. A request is always a draft for counsel: the app never files anything, and every output says so.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::parse_optional_day;
use crate::error::{Error, Reason, Result};
use crate::records::profile::NoticeType;
use crate::rules::{self, Computed, RequestType, RuleId};
use crate::store::{Indexed, Journal, Kind};
use crate::{places, text};

pub use crate::rules::grounds::{ApplicantForm, GROUND_IDS};

/// The CCF's working languages (ST 30(2), 18(1)).
pub const WORKING_LANGUAGES: [&str; 4] = ["en", "fr", "es", "ar"];
/// Languages Redress writes a draft in: all four working languages (Arabic shaped and ordered right to left).
pub const DRAFT_LANGUAGES: [&str; 4] = ["en", "fr", "es", "ar"];
/// Reported portal limits (practitioners; warnings, not errors).
pub const MAX_ANNEXES: usize = 20;
pub const MAX_ARGUMENT_PAGES: u32 = 10;
pub const MAX_REVISION_SUMMARY_PAGES: u32 = 2;

/// Who the request is for: the person, a minor (a parent or guardian acts), or an entity (its signatory acts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    #[default]
    Person,
    Minor,
    Entity,
}

/// Who signs the request: the applicant, or the duly authorised representative (§2 item 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Signer {
    #[default]
    Applicant,
    Representative,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

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

/// What a revision application (ST 42) needs: the decision revised and the newly discovered fact. Fields added
/// after the first version are left out of the stored form while empty, so a stored revision keeps its bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, ts_rs::TS)]
#[ts(export)]
pub struct Revision {
    pub revised_type: Option<RequestType>,
    pub decision_reference: String,
    pub decision_date: Option<NaiveDate>,
    pub new_fact: String,
    pub discovered_on: Option<NaiveDate>,
    pub summary: String,
    /// Why the fact was not known before the decision.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub why_unknown: String,
    /// Why it could have led the CCF to another conclusion.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub why_decisive: String,
    /// Counsel's written reason for filing after the 6-month window of ST 42(2) (the checklist's override).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub late_reason: String,
}

/// The CCF's dates as the person learns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, ts_rs::TS)]
#[ts(export)]
pub struct CcfDates {
    pub received: Option<NaiveDate>,
    pub admissibility: Option<NaiveDate>,
    pub decision: Option<NaiveDate>,
}

/// Stored state of a CCF request. Hashed into the audit chain: do not change; add a new version. Fields added
/// after the first version (from `other_purposes` on) default when absent and are left out while they hold their
/// default, so a request stored before them reads, and re-encodes to the same bytes, unchanged.
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
    /// Further purposes of the same request (the CCF admitted access with deletion: Decision No. 2 (2018)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<RequestType>>", optional)]
    pub other_purposes: Vec<RequestType>,
    #[serde(default, skip_serializing_if = "is_default")]
    #[ts(as = "Option<ApplicantKind>", optional)]
    pub applicant_kind: ApplicantKind,
    /// How French and Spanish drafts refer to the applicant.
    #[serde(default, skip_serializing_if = "is_default")]
    #[ts(as = "Option<ApplicantForm>", optional)]
    pub applicant_form: ApplicantForm,
    /// The person confirms the identity document's copy is complete: nothing covered, erased or illegible.
    #[serde(default, skip_serializing_if = "is_default")]
    #[ts(as = "Option<bool>", optional)]
    pub identity_complete: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub identity_expiry: Option<NaiveDate>,
    /// For an entity: its registration document (full name, date of incorporation, registration number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub entity_registration: Option<i64>,
    /// For an entity: proof that the signatory may act for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub entity_authority: Option<i64>,
    /// For a minor: the document proving the relationship of the person acting with the minor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub minor_relationship: Option<i64>,
    #[serde(default, skip_serializing_if = "is_default")]
    #[ts(as = "Option<Signer>", optional)]
    pub signer: Signer,
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
    #[serde(default)]
    pub other_purposes: Vec<RequestType>,
    #[serde(default)]
    pub applicant_kind: ApplicantKind,
    #[serde(default)]
    pub applicant_form: ApplicantForm,
    #[serde(default)]
    pub identity_complete: bool,
    /// `YYYY-MM-DD`, or blank.
    #[serde(default)]
    pub identity_expiry: String,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub entity_registration: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub entity_authority: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub minor_relationship: Option<i64>,
    #[serde(default)]
    pub signer: Signer,
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
    #[serde(default)]
    pub why_unknown: String,
    #[serde(default)]
    pub why_decisive: String,
    #[serde(default)]
    pub late_reason: String,
}

pub(crate) fn indexed(state: &RequestState) -> Indexed {
    let mut body = vec![
        places::country_search_text(&state.data.issuing_country),
        state.data.references.join(" "),
        state.confidentiality.clone(),
    ];
    body.extend(state.grounds.iter().map(|g| g.argument.clone()));
    if let Some(r) = &state.revision {
        body.push(r.new_fact.clone());
        body.push(r.summary.clone());
        body.push(r.why_unknown.clone());
        body.push(r.why_decisive.clone());
    }
    Indexed { title: state.title.clone(), body: body.join("\n") }
}

/// The key a purpose has in the templates and the UI.
pub fn purpose_key(t: RequestType) -> &'static str {
    match t {
        RequestType::Access => "access",
        RequestType::CorrectionDeletion => "correction_deletion",
        RequestType::Revision => "revision",
    }
}

/// Whether an evidence item's `language` (free text such as "ru, en") includes a CCF working language; `None`
/// when it gives none at all (a photograph, say), so nothing is assumed.
pub fn in_working_language(language: &str) -> Option<bool> {
    const NAMES: [&str; 14] = [
        "english",
        "french",
        "spanish",
        "arabic",
        "anglais",
        "français",
        "francais",
        "espagnol",
        "arabe",
        "inglés",
        "ingles",
        "francés",
        "español",
        "árabe",
    ];
    let words: Vec<String> = language
        .split(|c: char| c == ',' || c == ';' || c == '/' || c == '+' || c.is_whitespace())
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(words.iter().any(|w| WORKING_LANGUAGES.contains(&w.as_str()) || NAMES.contains(&w.as_str())))
}

/// The revision's 6-month window (ST 42(2), month rule of §5): the last day, and whether the request is filed
/// after it (the date the CCF received it, else the date of signature). `None` while a date is missing.
pub fn revision_window(state: &RequestState) -> Option<(NaiveDate, bool)> {
    let discovered = state.revision.as_ref()?.discovered_on?;
    let filed = state.ccf.received.or(state.signature_date)?;
    let due = rules::compute(RuleId::CcfRevisionWindow, discovered, None).ok()?.due;
    Some((due, filed > due))
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
                Reason::NotWorkingLanguage,
                "language",
                format!(
                    "'{}' is not one of the CCF's working languages (English, French, Spanish, Arabic); write the request in one of them",
                    crate::text::shown(&input.language)
                ),
            ));
        }
        if let Some(c) = input.representative {
            if self.contact(c).is_err() {
                return Err(Error::invalid("representative", format!("contact {c} does not exist")));
            }
        }
        for (field, id) in [
            ("power of attorney", input.power_of_attorney),
            ("identity document", input.identity_document),
            ("entity registration document", input.entity_registration),
            ("proof of the signatory's authority", input.entity_authority),
            ("proof of the relationship with the minor", input.minor_relationship),
        ] {
            if let Some(problem) = id.and_then(|id| self.annex_problem(id)) {
                return Err(Error::invalid_because(Reason::TrashedAnnex, field, problem));
            }
        }
        for (n, annex) in input.annexes.iter().enumerate() {
            if let Some(problem) = self.annex_problem(annex.evidence) {
                return Err(Error::invalid_because(
                    Reason::TrashedAnnex,
                    format!("annex {}", n + 1),
                    problem,
                ));
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
                    format!("'{}' is not a ground of the library", crate::text::shown(&g.ground)),
                ));
            }
            for id in &g.evidence {
                if let Some(problem) = self.annex_problem(*id) {
                    return Err(Error::invalid_because(Reason::TrashedAnnex, "supporting evidence", problem));
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
                    Reason::DatesOutOfOrder,
                    "admissibility date",
                    format!("{a} is before the date the CCF received the request ({r})"),
                ));
            }
        }
        if let (Some(a), Some(d)) = (ccf.admissibility, ccf.decision) {
            if d < a {
                return Err(Error::invalid_because(
                    Reason::DatesOutOfOrder,
                    "decision date",
                    format!("{d} is before the admissibility date ({a})"),
                ));
            }
        }
        if let (Some(r), None, Some(d)) = (ccf.received, ccf.admissibility, ccf.decision) {
            if d < r {
                return Err(Error::invalid_because(
                    Reason::DatesOutOfOrder,
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
                why_unknown: text::text("why the fact was not known before", &r.why_unknown)?,
                why_decisive: text::text("why the fact could have changed the decision", &r.why_decisive)?,
                late_reason: text::text("reason for filing after the 6-month window", &r.late_reason)?,
            }),
        };
        let mut other_purposes: Vec<RequestType> = Vec::new();
        for p in &input.other_purposes {
            if Some(*p) == input.request_type || other_purposes.contains(p) {
                return Err(Error::invalid(
                    "purposes",
                    format!("the purpose '{}' is given twice", purpose_key(*p)),
                ));
            }
            other_purposes.push(*p);
        }
        if let Some(Revision { decision_date: Some(dd), discovered_on: Some(found), .. }) = &revision {
            if found < dd {
                return Err(Error::invalid_because(
                    Reason::DatesOutOfOrder,
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
                issuing_country: places::country(&text::optional_line(
                    "issuing country",
                    &input.data.issuing_country,
                )?),
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
            other_purposes,
            applicant_kind: input.applicant_kind,
            applicant_form: input.applicant_form,
            identity_complete: input.identity_complete,
            identity_expiry: parse_optional_day(
                "expiry date of the identity document",
                &input.identity_expiry,
            )?,
            entity_registration: input.entity_registration,
            entity_authority: input.entity_authority,
            minor_relationship: input.minor_relationship,
            signer: input.signer,
        })
    }

    /// Stores as a code the issuing country of requests written before countries were kept as codes (issue 14
    /// §4), each as a new version; a value that names no country stays as typed. Returns how many changed.
    pub(crate) fn request_places_as_codes(&mut self) -> Result<usize> {
        let mut changed = 0;
        for r in self.list_requests(false)? {
            let country = places::country(&r.state.data.issuing_country);
            if country != r.state.data.issuing_country {
                let mut new = r.state.clone();
                new.data.issuing_country = country;
                let key = new.title.to_lowercase();
                self.update_record(Kind::Request, r.id, &new, &key, indexed(&new))?;
                changed += 1;
            }
        }
        Ok(changed)
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
}

/// A date computed from a saved request's dates, with the end of its last day in two clocks.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ComputedDeadline {
    #[ts(type = "number")]
    pub request: i64,
    pub request_title: String,
    pub computed: Computed,
    /// The end of the due day in Lyon, in Europe/Paris and in the person's zone (`zone`).
    pub ends_in_lyon: String,
    pub ends_here: String,
}

impl Journal {
    /// The deadlines computed from every request's dates, soonest first, each with the end of its last day in
    /// Europe/Paris and in `zone` (UTC when `zone` is not a time zone this build knows).
    pub fn computed_deadlines(&self, zone: &str) -> Result<Vec<ComputedDeadline>> {
        let mut out = Vec::new();
        for r in self.list_requests(false)? {
            for c in request_deadlines(&r.state)? {
                out.push(ComputedDeadline {
                    request: r.id,
                    request_title: r.state.title.clone(),
                    ends_in_lyon: rules::end_of_paris_day_in(c.due, "Europe/Paris")?,
                    ends_here: rules::end_of_paris_day_in(c.due, zone)
                        .or_else(|_| rules::end_of_paris_day_in(c.due, "UTC"))?,
                    computed: c,
                });
            }
        }
        out.sort_by_key(|d| d.computed.due);
        Ok(out)
    }
}

/// The dates that follow from a request's CCF dates (§5 of the reference) and, for a revision, from the discovery
/// of the new fact. A revision's admissibility gives none: §5 found no time limit for the CCF to decide one.
pub fn request_deadlines(state: &RequestState) -> Result<Vec<Computed>> {
    let mut out = Vec::new();
    if let Some(d) = state.ccf.received {
        out.push(rules::compute(RuleId::CcfAdmissibilityExpected, d, None)?);
    }
    if let Some(d) = state.ccf.admissibility {
        // A request with several purposes (access and deletion) runs each purpose's own time limit.
        let purposes: Vec<RequestType> =
            state.request_type.into_iter().chain(state.other_purposes.iter().copied()).collect();
        if purposes.contains(&RequestType::Access) {
            out.push(rules::compute(RuleId::CcfAccessDecision, d, None)?);
        }
        if purposes.contains(&RequestType::CorrectionDeletion) {
            out.push(rules::compute(RuleId::CcfDeletionDecision, d, None)?);
        }
    }
    if let Some(d) = state.ccf.decision {
        out.push(rules::compute(RuleId::CcfNotificationExpected, d, None)?);
    }
    if state.request_type == Some(RequestType::Revision) {
        if let Some(d) = state.revision.as_ref().and_then(|r| r.discovered_on) {
            out.push(rules::compute(RuleId::CcfRevisionWindow, d, None)?);
        }
    }
    Ok(out)
}
