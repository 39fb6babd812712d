//! The chronology of the persecution: events with fuzzy dates, a place, a description and linked evidence.
//! An event may link only evidence that exists and is not in the trash when it is saved; it sorts by its date.

use serde::{Deserialize, Serialize};

use crate::dates::FuzzyDate;
use crate::error::{Error, Result};
use crate::store::{Indexed, Journal, Kind};
use crate::text;

/// Stored state of a chronology event. Hashed into the audit chain: do not change; add a new version.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventState {
    #[ts(type = "string")]
    pub date: FuzzyDate,
    pub title: String,
    pub place: String,
    pub description: String,
    #[ts(type = "number[]")]
    pub evidence: Vec<i64>,
}

/// An event as listed or shown.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    #[ts(type = "number")]
    pub id: i64,
    pub trashed: bool,
    #[serde(flatten)]
    pub state: EventState,
}

/// What a person enters for an event.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EventInput {
    /// A fuzzy date: `2019`, `2019-03`, `2019-03-14`, `before 2019-03`, `after 2019`, `about 2018`.
    pub date: String,
    pub title: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub evidence: Vec<i64>,
}

pub(crate) fn indexed(state: &EventState) -> Indexed {
    Indexed {
        title: state.title.clone(),
        body: [state.description.as_str(), state.place.as_str(), &state.date.to_string()].join("\n"),
    }
}

impl Journal {
    fn event_state(&self, input: &EventInput) -> Result<EventState> {
        let mut evidence = Vec::new();
        for id in &input.evidence {
            let item = self.evidence(*id).map_err(|_| {
                Error::invalid("linked evidence", format!("evidence item {id} does not exist"))
            })?;
            if item.trashed {
                return Err(Error::invalid("linked evidence", format!("evidence item {id} is in the trash")));
            }
            if !evidence.contains(id) {
                evidence.push(*id);
            }
        }
        Ok(EventState {
            date: FuzzyDate::parse("event date", &input.date)?,
            title: text::line("event title", &input.title)?,
            place: text::optional_line("place", &input.place)?,
            description: text::text("description", &input.description)?,
            evidence,
        })
    }

    pub fn add_event(&mut self, input: &EventInput) -> Result<i64> {
        let state = self.event_state(input)?;
        let key = state.date.sort_key();
        let idx = indexed(&state);
        self.create_record(Kind::Event, &state, &key, idx)
    }

    /// Adds many events at once (one transaction): all of them, or none if one is invalid.
    pub fn add_events(&mut self, inputs: &[EventInput]) -> Result<Vec<i64>> {
        let mut records = Vec::with_capacity(inputs.len());
        for input in inputs {
            let state = self.event_state(input)?;
            records.push((crate::store::canonical(&state)?, state.date.sort_key(), indexed(&state)));
        }
        self.create_records(Kind::Event, records)
    }

    pub fn edit_event(&mut self, id: i64, input: &EventInput) -> Result<()> {
        self.get_record::<EventState>(Kind::Event, id)?;
        let state = self.event_state(input)?;
        let key = state.date.sort_key();
        let idx = indexed(&state);
        self.update_record(Kind::Event, id, &state, &key, idx)
    }

    pub fn event(&self, id: i64) -> Result<Event> {
        let (state, trashed) = self.get_record::<EventState>(Kind::Event, id)?;
        Ok(Event { id, trashed, state })
    }

    /// The chronology in date order.
    pub fn list_events(&self, include_trashed: bool) -> Result<Vec<Event>> {
        Ok(self
            .list_records::<EventState>(Kind::Event, include_trashed)?
            .into_iter()
            .map(|(id, state, trashed)| Event { id, trashed, state })
            .collect())
    }

    /// The events that cite an evidence item.
    pub fn events_for_evidence(&self, evidence_id: i64) -> Result<Vec<Event>> {
        Ok(self.list_events(false)?.into_iter().filter(|e| e.state.evidence.contains(&evidence_id)).collect())
    }
}
