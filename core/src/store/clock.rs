//! Where the journal reads the time from. Deadline and chain code never call `now()` themselves: the clock is
//! passed in when a vault opens, so tests and the demo pin it.

use chrono::{DateTime, Utc};

/// Where the journal reads the time from.
pub trait Clock: Send {
    fn now(&self) -> DateTime<Utc>;
}

/// The computer's clock, for the app and the CLI.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always answers the same instant (tests, reproducible demo data).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}
