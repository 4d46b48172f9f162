//! Time comes from a [`Clock`] so that deadlines, retention and audit timestamps can be
//! tested with a [`FixedClock`].
//!
//! Instants are UTC. Deadlines (Art. 12(3)) and retention periods are counted in the
//! organisation's *local calendar dates*: a request that arrives at 00:30 in Oslo on
//! 1 February was received on 1 February, although it is still 31 January in UTC.
//! [`Clock::today`] makes that mapping. The register lives on the manager's own
//! computer, so [`SystemClock`] takes the computer's time zone (with its daylight
//! saving rules); a [`FixedClock`] carries an explicit UTC offset (UTC unless told).

use std::sync::Mutex;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in the organisation's time zone.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&chrono::Local).date_naive()
    }
}

/// The computer's clock and time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that says what it is told; for tests.
#[derive(Debug)]
pub struct FixedClock {
    at: Mutex<DateTime<Utc>>,
    offset: FixedOffset,
}

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        FixedClock {
            at: Mutex::new(at),
            offset: FixedOffset::east_opt(0).expect("zero offset"),
        }
    }
    /// From an RFC 3339 string; panics on a malformed literal (tests only).
    pub fn at(rfc3339: &str) -> Self {
        let t = DateTime::parse_from_rfc3339(rfc3339)
            .expect("valid RFC 3339 time")
            .with_timezone(&Utc);
        Self::new(t)
    }
    /// The organisation's offset from UTC, in seconds east (Oslo in winter: 3600).
    pub fn with_offset(mut self, seconds_east: i32) -> Self {
        self.offset = FixedOffset::east_opt(seconds_east).expect("offset within a day");
        self
    }
    pub fn set(&self, at: DateTime<Utc>) {
        *self.at.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }
    pub fn advance(&self, by: Duration) {
        let mut t = self.at.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.at.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.offset).date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_organisations_local_date() {
        // 23:30 UTC on 31 January is already 1 February in Oslo (UTC+1 in winter) ...
        let c = FixedClock::at("2026-01-31T23:30:00Z").with_offset(3600);
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 2, 1).unwrap());
        // ... and still 31 January in UTC and in New York.
        let c = FixedClock::at("2026-01-31T23:30:00Z");
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
        let c = FixedClock::at("2026-02-01T03:00:00Z").with_offset(-5 * 3600);
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
    }
}
