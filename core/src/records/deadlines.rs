//! Deadlines: a due date (a day, or a time in a named time zone), a kind, links, a status and reminder lead
//! times. An extension keeps the original date beside the new one; nothing is ever silently moved.

use chrono::{LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::dates::parse_day;
use crate::error::{Error, Reason, Result};
use crate::store::{Indexed, Journal, Kind};
use crate::text::{self, shown};

/// When something is due: a whole day, or a moment in a named time zone (e.g. the CCF's Europe/Paris).
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Due {
    Date { date: NaiveDate },
    DateTime { local: NaiveDateTime, zone: String },
}

impl Due {
    /// Parses `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM Zone/Name` (a `T` may replace the space).
    pub fn parse(field: &str, input: &str) -> Result<Due> {
        let input = input.trim();
        let mut parts = input.split_whitespace();
        let first = parts.next().unwrap_or("");
        let (day_text, time_text) = match first.split_once('T') {
            Some((d, t)) => (d, Some(t.to_owned())),
            None => (first, parts.next().map(str::to_owned)),
        };
        let zone_text = parts.next();
        if parts.next().is_some() {
            return Err(Error::invalid_because(
                Reason::BadDate,
                field,
                format!("'{}' has extra words (expected YYYY-MM-DD or YYYY-MM-DD HH:MM Zone)", shown(input)),
            ));
        }
        let date = parse_day(field, day_text)?;
        let Some(time_text) = time_text else {
            return Ok(Due::Date { date });
        };
        let time = chrono::NaiveTime::parse_from_str(&time_text, "%H:%M")
            .or_else(|_| chrono::NaiveTime::parse_from_str(&time_text, "%H:%M:%S"))
            .map_err(|_| {
                Error::invalid_because(
                    Reason::BadDate,
                    field,
                    format!("'{}' is not a time of day (expected HH:MM)", shown(&time_text)),
                )
            })?;
        let Some(zone_text) = zone_text else {
            return Err(Error::invalid_because(
                Reason::BadDate,
                field,
                "a time needs its time zone, e.g. '17:00 Europe/Paris'",
            ));
        };
        let zone: Tz = zone_text.parse().map_err(|_| {
            Error::invalid_because(
                Reason::BadDate,
                field,
                format!("'{}' is not a time zone (expected e.g. Europe/Paris)", shown(zone_text)),
            )
        })?;
        let local = date.and_time(time);
        if let LocalResult::None = zone.from_local_datetime(&local) {
            return Err(Error::invalid_because(
                Reason::BadDate,
                field,
                format!(
                    "{} does not exist in {zone_text}: the clocks skip that hour",
                    local.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        Ok(Due::DateTime { local, zone: zone.name().to_owned() })
    }

    /// The day it falls on, in its own zone.
    pub fn day(&self) -> NaiveDate {
        match self {
            Due::Date { date } => *date,
            Due::DateTime { local, .. } => local.date(),
        }
    }

    fn sort_key(&self) -> String {
        match self {
            Due::Date { date } => format!("{}T23:59", date.format("%Y-%m-%d")),
            Due::DateTime { local, .. } => local.format("%Y-%m-%dT%H:%M").to_string(),
        }
    }
}

impl std::fmt::Display for Due {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Due::Date { date } => write!(f, "{}", date.format("%Y-%m-%d")),
            Due::DateTime { local, zone } => write!(f, "{} {zone}", local.format("%Y-%m-%d %H:%M")),
        }
    }
}

/// What a deadline is about.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    Ccf,
    Extradition,
    Asylum,
    Court,
    #[default]
    Other,
}

impl std::str::FromStr for DeadlineKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        serde_json::from_value(serde_json::Value::String(s.trim().to_lowercase())).map_err(|_| {
            Error::invalid(
                "kind",
                format!(
                    "'{}' is not a deadline kind (expected ccf, extradition, asylum, court or other)",
                    shown(s)
                ),
            )
        })
    }
}

/// Where a deadline stands. `Extended` keeps the new date; the original stays in `due`.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DeadlineStatus {
    Open,
    Done { on: NaiveDate },
    Extended { to: Due },
}

/// Stored state of a deadline. Hashed into the audit chain: do not change; add a new version.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadlineState {
    pub title: String,
    /// The date as first set; an extension never overwrites it.
    pub due: Due,
    pub kind: DeadlineKind,
    #[ts(type = "number | null")]
    pub contact: Option<i64>,
    #[ts(type = "number | null")]
    pub event: Option<i64>,
    pub status: DeadlineStatus,
    /// Days before the due date at which to remind, largest first.
    pub reminders: Vec<u32>,
    pub notes: String,
    /// Set when the deadline was computed from a CCF request's dates by a rule of the reference. Absent from the
    /// stored JSON otherwise, so deadlines entered by hand keep their canonical form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<ComputedFrom>,
}

/// Where a computed deadline comes from: the request, the rule and the date it was counted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ComputedFrom {
    #[ts(type = "number")]
    pub request: i64,
    pub key: String,
    pub rule: String,
    pub from: String,
}

impl DeadlineState {
    /// The date that now applies: the extension's, if extended.
    pub fn current_due(&self) -> &Due {
        match &self.status {
            DeadlineStatus::Extended { to } => to,
            _ => &self.due,
        }
    }
}

#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    #[ts(type = "number")]
    pub id: i64,
    pub trashed: bool,
    #[serde(flatten)]
    pub state: DeadlineState,
    /// How pressing it is on the day the list was asked for (`list_deadlines_on`, the attention list, the
    /// overview); null from a listing that knows no day.
    pub urgency: Option<Urgency>,
}

/// Days before the due date a deadline becomes `Soon` when it has no reminder lead time.
pub const DEFAULT_LEAD_DAYS: u32 = 14;

/// How pressing a deadline is on a given day: the one rule the attention banner, the overview, the lists and the
/// calendar show.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Marked done.
    Done,
    /// Its day has passed.
    Overdue,
    /// Due today.
    Today,
    /// Due within its largest reminder lead time (`DEFAULT_LEAD_DAYS` if it has none).
    Soon,
    Later,
}

impl DeadlineState {
    /// How pressing this deadline is on `today`, by the day that applies now (the extension's, if extended).
    pub fn urgency(&self, today: NaiveDate) -> Urgency {
        if matches!(self.status, DeadlineStatus::Done { .. }) {
            return Urgency::Done;
        }
        let days = (self.current_due().day() - today).num_days();
        let lead = self.reminders.iter().max().copied().unwrap_or(DEFAULT_LEAD_DAYS);
        match days {
            d if d < 0 => Urgency::Overdue,
            0 => Urgency::Today,
            d if d <= i64::from(lead) => Urgency::Soon,
            _ => Urgency::Later,
        }
    }
}

/// What a person enters for a deadline.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DeadlineInput {
    pub title: String,
    /// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM Zone/Name`.
    pub due: String,
    #[serde(default)]
    pub kind: DeadlineKind,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub contact: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub event: Option<i64>,
    #[serde(default)]
    pub reminders: Vec<u32>,
    #[serde(default)]
    pub notes: String,
}

pub(crate) fn indexed(state: &DeadlineState) -> Indexed {
    Indexed {
        title: state.title.clone(),
        body: [state.notes.as_str(), &state.current_due().to_string()].join("\n"),
    }
}

fn sort_key(state: &DeadlineState) -> String {
    state.current_due().sort_key()
}

impl Journal {
    fn deadline_state(
        &self,
        input: &DeadlineInput,
        status: DeadlineStatus,
        due: Option<Due>,
    ) -> Result<DeadlineState> {
        if let Some(c) = input.contact {
            if self.contact(c).is_err() {
                return Err(Error::invalid("contact", format!("contact {c} does not exist")));
            }
        }
        if let Some(e) = input.event {
            if self.event(e).is_err() {
                return Err(Error::invalid("event", format!("chronology event {e} does not exist")));
            }
        }
        let mut reminders = input.reminders.clone();
        if reminders.iter().any(|d| *d > 3650) {
            return Err(Error::invalid("reminders", "a reminder lead time must be at most 3650 days"));
        }
        reminders.sort_unstable_by(|a, b| b.cmp(a));
        reminders.dedup();
        Ok(DeadlineState {
            title: text::line("deadline title", &input.title)?,
            due: match due {
                Some(d) => d,
                None => Due::parse("due date", &input.due)?,
            },
            kind: input.kind,
            contact: input.contact,
            event: input.event,
            status,
            reminders,
            notes: text::text("notes", &input.notes)?,
            computed: None,
        })
    }

    /// Adds a deadline computed from request `request`'s dates (`key` is the rule's id, as in `rules::Computed`)
    /// to the person's deadlines, so it can be reminded, marked done or extended (the computed date is kept as the
    /// original).
    pub fn adopt_computed_deadline(&mut self, request: i64, key: &str) -> Result<i64> {
        let state = self.request(request)?.state;
        let computed = crate::records::requests::request_deadlines(&state)?
            .into_iter()
            .find(|c| c.rule.as_str() == key)
            .ok_or_else(|| {
                Error::invalid(
                    "computed deadline",
                    format!("request {request} has no deadline '{key}' from its dates"),
                )
            })?;
        let already = self.list_deadlines(true)?.into_iter().any(|d| {
            d.state.computed.as_ref().is_some_and(|c| {
                c.request == request && c.key == key && d.state.due == Due::Date { date: computed.due }
            })
        });
        if already {
            return Err(Error::invalid(
                "computed deadline",
                format!("'{}' is already among your deadlines", computed.title),
            ));
        }
        let deadline = DeadlineState {
            title: format!("{} — {}", computed.title, state.title),
            due: Due::Date { date: computed.due },
            kind: DeadlineKind::Ccf,
            contact: state.representative,
            event: None,
            status: DeadlineStatus::Open,
            reminders: vec![14, 3],
            notes: String::new(),
            computed: Some(ComputedFrom {
                request,
                key: computed.rule.as_str().to_owned(),
                rule: computed.citation,
                from: computed.computed_from,
            }),
        };
        let sort = sort_key(&deadline);
        self.create_record(Kind::Deadline, &deadline, &sort, indexed(&deadline))
    }

    pub fn add_deadline(&mut self, input: &DeadlineInput) -> Result<i64> {
        let state = self.deadline_state(input, DeadlineStatus::Open, None)?;
        let key = sort_key(&state);
        self.create_record(Kind::Deadline, &state, &key, indexed(&state))
    }

    /// Edits a deadline's details. Its due date changes only while it is open (an extension is a status).
    pub fn edit_deadline(&mut self, id: i64, input: &DeadlineInput) -> Result<()> {
        let old = self.deadline(id)?.state;
        let mut state = self.deadline_state(input, old.status.clone(), None)?;
        state.computed = old.computed.clone();
        if state.due != old.due && old.status != DeadlineStatus::Open {
            return Err(Error::invalid(
                "due date",
                "only an open deadline's date can be edited; extend it instead",
            ));
        }
        let key = sort_key(&state);
        self.update_record(Kind::Deadline, id, &state, &key, indexed(&state))
    }

    fn set_deadline_status(&mut self, id: i64, status: DeadlineStatus) -> Result<()> {
        let mut state = self.deadline(id)?.state;
        state.status = status;
        let key = sort_key(&state);
        self.update_record(Kind::Deadline, id, &state, &key, indexed(&state))
    }

    /// Marks a deadline met on `on`.
    pub fn mark_deadline_done(&mut self, id: i64, on: NaiveDate) -> Result<()> {
        self.set_deadline_status(id, DeadlineStatus::Done { on })
    }

    /// Extends a deadline to a new date; the original date stays in `due`.
    pub fn extend_deadline(&mut self, id: i64, new_due: &str) -> Result<()> {
        let to = Due::parse("new due date", new_due)?;
        let state = self.deadline(id)?.state;
        if to.sort_key() <= state.current_due().sort_key() {
            return Err(Error::invalid(
                "new due date",
                format!("{to} is not later than the date that applies now ({})", state.current_due()),
            ));
        }
        self.set_deadline_status(id, DeadlineStatus::Extended { to })
    }

    /// Opens a done deadline again, with the status it had before it was marked done (open, or extended to
    /// the date it was extended to), read from its history.
    pub fn reopen_deadline(&mut self, id: i64) -> Result<()> {
        let current = self.deadline(id)?.state;
        if !matches!(current.status, DeadlineStatus::Done { .. }) {
            return Err(Error::invalid("deadline", format!("{id} is not marked done")));
        }
        let before = self
            .history(Kind::Deadline, id)?
            .iter()
            .rev()
            .filter_map(|e| e.payload.as_deref())
            .filter_map(|p| serde_json::from_str::<DeadlineState>(p).ok())
            .map(|s| s.status)
            .find(|s| !matches!(s, DeadlineStatus::Done { .. }))
            .unwrap_or(DeadlineStatus::Open);
        self.set_deadline_status(id, before)
    }

    pub fn deadline(&self, id: i64) -> Result<Deadline> {
        let (state, trashed) = self.get_record::<DeadlineState>(Kind::Deadline, id)?;
        Ok(Deadline { id, trashed, state, urgency: None })
    }

    /// Deadlines by the date that applies now.
    pub fn list_deadlines(&self, include_trashed: bool) -> Result<Vec<Deadline>> {
        Ok(self
            .list_records::<DeadlineState>(Kind::Deadline, include_trashed)?
            .into_iter()
            .map(|(id, state, trashed)| Deadline { id, trashed, state, urgency: None })
            .collect())
    }

    /// Deadlines by the date that applies now, each with its urgency on `today`.
    pub fn list_deadlines_on(&self, include_trashed: bool, today: NaiveDate) -> Result<Vec<Deadline>> {
        let mut list = self.list_deadlines(include_trashed)?;
        for d in &mut list {
            d.urgency = Some(d.state.urgency(today));
        }
        Ok(list)
    }

    /// Open deadlines whose reminder window has begun on `today` (or that are overdue), soonest first.
    pub fn deadlines_needing_attention(&self, today: NaiveDate) -> Result<Vec<Deadline>> {
        Ok(self
            .list_deadlines_on(false, today)?
            .into_iter()
            .filter(|d| matches!(d.urgency, Some(Urgency::Overdue | Urgency::Today | Urgency::Soon)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_parse_days_and_zoned_times() {
        assert_eq!(Due::parse("d", "2026-12-01").unwrap().to_string(), "2026-12-01");
        let due = Due::parse("d", "2026-12-01 17:00 Europe/Paris").unwrap();
        assert_eq!(due.to_string(), "2026-12-01 17:00 Europe/Paris");
        assert_eq!(Due::parse("d", "2026-12-01T17:00 Europe/Paris").unwrap(), due);
    }

    #[test]
    fn times_that_do_not_exist_are_refused() {
        let err = Due::parse("due date", "2026-03-29 02:30 Europe/Paris").unwrap_err().to_string();
        assert!(err.contains("does not exist"), "the spring-forward gap must be named: {err}");
        assert!(Due::parse("due date", "2026-02-30").is_err());
        assert!(Due::parse("due date", "2026-12-01 17:00").is_err(), "a time needs a zone");
        assert!(Due::parse("due date", "2026-12-01 17:00 Mars/Olympus").is_err());
    }

    fn due_on(due: &str, reminders: Vec<u32>, status: DeadlineStatus) -> DeadlineState {
        DeadlineState {
            title: "t".into(),
            due: Due::parse("d", due).unwrap(),
            kind: DeadlineKind::Other,
            contact: None,
            event: None,
            status,
            reminders,
            notes: String::new(),
            computed: None,
        }
    }

    #[test]
    fn urgency_is_soon_within_the_largest_reminder_lead_or_fourteen_days() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let open = DeadlineStatus::Open;
        // Due in 20 days, reminders 30 and 7: soon (the largest lead counts), whatever their order.
        assert_eq!(due_on("2026-12-21", vec![30, 7], open.clone()).urgency(today), Urgency::Soon);
        assert_eq!(due_on("2026-12-21", vec![7, 30], open.clone()).urgency(today), Urgency::Soon);
        assert_eq!(due_on("2026-12-21", vec![7], open.clone()).urgency(today), Urgency::Later);
        // No reminders: 14 days.
        assert_eq!(due_on("2026-12-15", vec![], open.clone()).urgency(today), Urgency::Soon);
        assert_eq!(due_on("2026-12-16", vec![], open.clone()).urgency(today), Urgency::Later);
        assert_eq!(
            due_on("2026-12-01 17:00 Europe/Paris", vec![], open.clone()).urgency(today),
            Urgency::Today
        );
        assert_eq!(due_on("2026-11-30", vec![], open.clone()).urgency(today), Urgency::Overdue);
        let done = DeadlineStatus::Done { on: today };
        assert_eq!(due_on("2026-11-30", vec![], done).urgency(today), Urgency::Done);
        let extended = DeadlineStatus::Extended { to: Due::parse("d", "2027-03-01").unwrap() };
        assert_eq!(
            due_on("2026-11-30", vec![], extended).urgency(today),
            Urgency::Later,
            "the new date counts"
        );
        assert_eq!(serde_json::to_string(&Urgency::Soon).unwrap(), "\"soon\"");
    }

    #[test]
    fn statuses_round_trip_through_json() {
        for status in [
            DeadlineStatus::Open,
            DeadlineStatus::Done { on: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap() },
            DeadlineStatus::Extended { to: Due::parse("d", "2026-03-01 09:00 Europe/Paris").unwrap() },
        ] {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(serde_json::from_str::<DeadlineStatus>(&json).unwrap(), status);
        }
    }
}
