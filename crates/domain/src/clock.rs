//! The one clock of Permanence: every "now" and "today" of the core, the command line, the
//! desktop shell and the head office is read from a `Clock`, never from the system directly,
//! so that a test sets the time it needs instead of depending on the day it runs.
//!
//! Invariants: this module is the only place that reads the system's wall clock (clippy's
//! `disallowed-methods` in `clippy.toml` refuses `Utc::now`, `Local::now` and
//! `SystemTime::now` everywhere else); a clock always runs forward at the system's pace, only
//! its origin moves. In debug builds (every `cargo test`), `PERMANENCE_CLOCK_OFFSET_DAYS`
//! moves the system clock by that many days: `make test` runs the tests a second time a year
//! ahead, which fails any test that still depends on today's date.

use std::time::SystemTime;

use chrono::{DateTime, Local, NaiveDate, TimeDelta, Utc};

/// The environment variable that moves the system clock in debug builds.
pub const OFFSET_DAYS_VAR: &str = "PERMANENCE_CLOCK_OFFSET_DAYS";

/// A wall clock: the system's time moved by a fixed offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    offset: TimeDelta,
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

impl Clock {
    /// The machine's clock (moved by `PERMANENCE_CLOCK_OFFSET_DAYS` in debug builds).
    pub fn system() -> Clock {
        Clock {
            offset: debug_offset(),
        }
    }

    /// The machine's own time, never moved: for comparing with the times the operating
    /// system stamps (a file's modification time), which no offset moves.
    pub fn machine() -> Clock {
        Clock {
            offset: TimeDelta::zero(),
        }
    }

    /// A clock that reads `start` now and runs on from there, whatever the date is.
    pub fn starting_at(start: DateTime<Utc>) -> Clock {
        Clock {
            offset: start - wall(),
        }
    }

    /// A clock that starts at 09:00 UTC on `day`.
    pub fn starting_on(day: NaiveDate) -> Clock {
        Clock::starting_at(day.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc())
    }

    /// This clock moved by `by` (a laptop whose clock is wrong).
    pub fn skewed(self, by: TimeDelta) -> Clock {
        Clock {
            offset: self.offset + by,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        wall() + self.offset
    }

    /// Today in the advisor's time zone, for date rules.
    pub fn today(&self) -> NaiveDate {
        local_day(self.now())
    }

    /// The time as file times are compared with (the age of a file).
    pub fn system_time(&self) -> SystemTime {
        SystemTime::from(self.now())
    }
}

/// The system clock's time now (shorthand for `Clock::system().now()`).
pub fn now() -> DateTime<Utc> {
    Clock::system().now()
}

/// The system clock's today, in the advisor's time zone.
pub fn today() -> NaiveDate {
    Clock::system().today()
}

/// The day `at` falls on in the advisor's time zone.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Local).date_naive()
}

/// The one read of the machine's wall clock.
#[allow(clippy::disallowed_methods)]
fn wall() -> DateTime<Utc> {
    Utc::now()
}

#[cfg(debug_assertions)]
fn debug_offset() -> TimeDelta {
    static OFFSET: std::sync::OnceLock<TimeDelta> = std::sync::OnceLock::new();
    *OFFSET.get_or_init(|| {
        std::env::var(OFFSET_DAYS_VAR)
            .ok()
            .and_then(|days| days.trim().parse::<i64>().ok())
            .and_then(TimeDelta::try_days)
            .unwrap_or_default()
    })
}

/// Release builds always run on the machine's time.
#[cfg(not(debug_assertions))]
fn debug_offset() -> TimeDelta {
    TimeDelta::zero()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn a_clock_started_at_a_time_reads_that_time_and_runs_on() {
        let clock = Clock::starting_at(at("2026-12-08T10:00:00Z"));
        let first = clock.now();
        assert!(first >= at("2026-12-08T10:00:00Z"));
        assert!(
            first < at("2026-12-08T10:01:00Z"),
            "it reads its start: {first}"
        );
        let later = clock.now();
        assert!(later >= first, "it never goes back");
    }

    #[test]
    fn a_clock_started_on_a_day_gives_that_day_as_today() {
        let day = NaiveDate::from_ymd_opt(2031, 2, 28).unwrap();
        assert_eq!(Clock::starting_on(day).today(), day);
    }

    #[test]
    fn a_skewed_clock_is_off_by_its_skew() {
        let clock = Clock::starting_at(at("2026-12-08T10:00:00Z"));
        let skewed = clock.skewed(TimeDelta::hours(2));
        let gap = skewed.now() - clock.now();
        assert!(
            gap > TimeDelta::minutes(119) && gap <= TimeDelta::hours(2),
            "skew of two hours: {gap}"
        );
    }

    #[test]
    fn system_time_is_the_clocks_time() {
        let clock = Clock::starting_at(at("2030-01-01T00:00:00Z"));
        let as_chrono: DateTime<Utc> = clock.system_time().into();
        assert_eq!(as_chrono.date_naive(), clock.now().date_naive());
    }
}
