//! The overview screen's data in one call: the case profile, how many records of each kind, the deadlines still
//! to meet within `UPCOMING_DAYS` (each with its urgency) and the latest changes.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Result;
use crate::records::deadlines::{Deadline, Urgency};
use crate::records::profile::ProfileState;
use crate::store::{AuditEntry, Journal};

/// How far ahead the overview lists deadlines (an inclusion window; how pressing each is stays `Urgency`).
pub const UPCOMING_DAYS: i64 = 60;
/// How many of the latest changes the overview shows.
pub const RECENT_CHANGES: usize = 12;

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Overview {
    pub profile: Option<ProfileState>,
    pub evidence: u32,
    pub events: u32,
    pub contacts: u32,
    /// Every deadline not in the trash, done ones included.
    pub deadlines: u32,
    /// Deadlines not done that fall on or before `today` + `UPCOMING_DAYS` (overdue ones included).
    pub upcoming: Vec<Deadline>,
    pub recent: Vec<AuditEntry>,
}

impl Journal {
    /// The overview on `today`.
    pub fn overview(&self, today: NaiveDate) -> Result<Overview> {
        let deadlines = self.list_deadlines_on(false, today)?;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(Overview {
            profile: self.profile()?,
            evidence: count(self.list_evidence(false)?.len()),
            events: count(self.list_events(false)?.len()),
            contacts: count(self.list_contacts(false)?.len()),
            deadlines: count(deadlines.len()),
            upcoming: deadlines
                .into_iter()
                .filter(|d| d.urgency != Some(Urgency::Done))
                .filter(|d| (d.state.current_due().day() - today).num_days() <= UPCOMING_DAYS)
                .collect(),
            recent: self.recent_changes(RECENT_CHANGES)?,
        })
    }
}
