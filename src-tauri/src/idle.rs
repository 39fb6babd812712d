//! The backend's idle lock: when the person last did something, and whether the vault must lock now. It locks
//! whatever the webview does (a hung or navigated webview has no JS timer). Pure logic, time passed in.
//! Two kinds of signal: *input* (keys, pointer, the window gaining focus) and *work* (a command, a running task's
//! progress). Work keeps the vault open only up to a cap counted from the last input, so a task, or a webview that
//! keeps calling with nobody there, cannot keep it open forever. A native dialog sends neither: its time counts.

use std::time::Duration;

/// A point on a clock that keeps counting while the computer sleeps (`CLOCK_BOOTTIME`), so a laptop that was
/// suspended for longer than the limit finds the vault due to lock as soon as it wakes.
pub type Moment = Duration;

/// Reads the clock the idle lock runs on.
pub fn now() -> Moment {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
        Duration::new(u64::try_from(t.tv_sec).unwrap_or(0), u32::try_from(t.tv_nsec).unwrap_or(0))
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        // Elsewhere the monotonic clock may stop during sleep; the lock on suspend covers that case.
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed()
    }
}

pub const DEFAULT_LIMIT: Duration = Duration::from_secs(5 * 60);
pub const MIN_LIMIT: Duration = Duration::from_secs(60);
pub const MAX_LIMIT: Duration = Duration::from_secs(60 * 60);
/// Work postpones the lock up to this many limits after the last input (the UI's `IdleTimer` uses the same).
pub const CAP_FACTOR: u32 = 2;

#[derive(Debug, Clone)]
pub struct IdleTimer {
    limit: Duration,
    last_input: Moment,
    last_work: Moment,
}

impl IdleTimer {
    pub fn new(now: Moment) -> Self {
        IdleTimer { limit: DEFAULT_LIMIT, last_input: now, last_work: now }
    }

    /// The person's choice in Settings, kept between 1 and 60 minutes whatever the webview sends.
    pub fn set_limit(&mut self, limit: Duration) {
        self.limit = limit.clamp(MIN_LIMIT, MAX_LIMIT);
    }

    /// How long work can keep the vault open after the last input.
    pub fn cap(&self) -> Duration {
        self.limit * CAP_FACTOR
    }

    /// The person did something: a key, the pointer, focus. Also the moment the vault opens.
    pub fn input(&mut self, now: Moment) {
        self.last_input = self.last_input.max(now);
        self.last_work = self.last_work.max(now);
    }

    /// Something ran (a command, a task's progress), which may not mean anybody is there.
    pub fn work(&mut self, now: Moment) {
        self.last_work = self.last_work.max(now);
    }

    /// Whether the vault must lock at `now`: nothing at all for the limit, or no input for the cap.
    pub fn due(&self, now: Moment) -> bool {
        let quiet = now.saturating_sub(self.last_work.max(self.last_input));
        let no_input = now.saturating_sub(self.last_input);
        quiet >= self.limit || no_input >= self.cap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    fn at(minutes: u64, seconds: u64) -> Moment {
        // An arbitrary origin, as on the real clock.
        Duration::from_secs(10_000 + minutes * 60 + seconds)
    }

    #[test]
    fn issue_12_locks_after_the_limit_without_any_signal() {
        let mut timer = IdleTimer::new(at(0, 0));
        assert!(!timer.due(at(4, 59)), "the default limit is 5 minutes");
        assert!(timer.due(at(5, 0)), "5 minutes without input or work must lock");
        timer.input(at(3, 0));
        assert!(!timer.due(at(7, 59)), "input restarts the count");
        assert!(timer.due(at(8, 0)));
    }

    #[test]
    fn issue_12_work_postpones_the_lock_only_up_to_the_cap_after_the_last_input() {
        let mut timer = IdleTimer::new(at(0, 0));
        timer.set_limit(5 * MIN);
        // A long import reports progress every few seconds; nobody touches the window.
        let mut t = at(0, 0);
        while t < at(9, 55) {
            t += Duration::from_secs(5);
            timer.work(t);
            assert!(!timer.due(t), "progress keeps the vault open before the cap ({t:?})");
        }
        timer.work(at(10, 0));
        assert!(
            timer.due(at(10, 0)),
            "10 minutes (twice the limit) after the last input, work must not postpone the lock any more"
        );
        timer.input(at(10, 1));
        assert!(!timer.due(at(10, 2)), "input after the cap opens a new period");
    }

    #[test]
    fn issue_12_an_open_dialog_does_not_postpone_the_lock() {
        // "Import files…": the command arrives (work), then the native dialog stays open: no signal at all.
        let mut timer = IdleTimer::new(at(0, 0));
        timer.input(at(1, 0));
        timer.work(at(1, 0));
        assert!(!timer.due(at(5, 59)));
        assert!(timer.due(at(6, 0)), "the dialog's time counts as idle time");
    }

    #[test]
    fn issue_12_the_limit_is_kept_within_bounds_and_applies_at_once() {
        let mut timer = IdleTimer::new(at(0, 0));
        timer.set_limit(Duration::from_secs(1));
        assert_eq!(timer.limit, MIN_LIMIT, "a webview cannot make the lock instant-looping or disable it");
        timer.set_limit(Duration::from_secs(24 * 3600));
        assert_eq!(timer.limit, MAX_LIMIT);
        timer.set_limit(2 * MIN);
        assert!(timer.due(at(2, 0)), "a shorter limit counts from the last input");
    }

    #[test]
    fn issue_12_time_asleep_counts_and_a_clock_going_back_does_not_panic() {
        let mut timer = IdleTimer::new(at(0, 0));
        timer.input(at(1, 0));
        // Suspended for hours: the boot-time clock jumps forward on resume.
        assert!(timer.due(at(8 * 60, 0)));
        // An earlier moment than the last signal (a late ping) changes nothing and does not underflow.
        timer.input(at(0, 30));
        assert!(!timer.due(at(0, 10)));
        assert!(timer.due(at(6, 0)));
    }
}
