//! Date arithmetic for the law's clocks: the one-month answer deadline of Art. 12(3),
//! its extension by up to two further months, and retention periods.
//!
//! All dates are the organisation's local calendar dates (see [`crate::clock`]).
//! "One month" is a calendar month, counted as EU Regulation 1182/71 counts periods:
//! the period ends on the same day of the month it ends in, or on that month's last day
//! when it has no such day (received 31 January -> due 28 February, or 29 February in a
//! leap year). An extension adds further months to the first deadline; counted from
//! receipt instead it can be later (received 31 January: the first deadline is
//! 28 February, two further months end on 28 April, while three months from receipt
//! end on 30 April). The app shows the earlier of the two, the stricter reading, so a
//! reply is never late by the other (domain.md).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::{Period, PeriodUnit};

/// Requests due within this many days are highlighted.
pub const DUE_SOON_DAYS: i64 = 7;
/// Art. 12(3): at most two further months.
pub const MAX_EXTENSION_MONTHS: u32 = 2;

/// `date` plus whole calendar months, clamped to the end of a shorter month.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// `date` plus a retention period.
pub fn add_period(date: NaiveDate, p: Period) -> NaiveDate {
    match p.unit {
        PeriodUnit::Days => date
            .checked_add_days(chrono::Days::new(u64::from(p.amount)))
            .unwrap_or(NaiveDate::MAX),
        PeriodUnit::Months => add_months(date, p.amount),
        PeriodUnit::Years => add_months(date, p.amount.saturating_mul(12)),
    }
}

/// The answer deadline for a request received on `received`, extended by
/// `extension_months` (0, 1 or 2): the earlier of the further months counted from the
/// first deadline and the months counted from receipt (the first is never later, as a
/// clamped month end only moves it earlier; the `min` says the rule).
pub fn due_date(received: NaiveDate, extension_months: u32) -> NaiveDate {
    let months = extension_months.min(MAX_EXTENSION_MONTHS);
    let first = add_months(received, 1);
    add_months(received, 1 + months).min(add_months(first, months))
}

/// Where a request stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub received_on: NaiveDate,
    /// One month from receipt.
    pub due_on: NaiveDate,
    pub extension_months: u32,
    /// The deadline that applies: `due_on`, or later when extended.
    pub effective_due_on: NaiveDate,
    /// Days from today to the deadline (negative when overdue); `None` once the
    /// request is closed.
    pub days_left: Option<i64>,
    pub overdue: bool,
    /// Open and due within [`DUE_SOON_DAYS`] days (today included), not yet overdue.
    pub due_soon: bool,
    /// The reminder before the first month ends: the days left (0: today is the last)
    /// to decide on an extension and tell the person why (Art. 12(3)), while the
    /// request is open, not extended yet, and the first month ends within
    /// [`DUE_SOON_DAYS`] days. After that an extension is no longer allowed.
    #[serde(default)]
    pub extension_closes_in: Option<i64>,
}

impl Deadline {
    pub fn compute(
        received: NaiveDate,
        extension_months: u32,
        today: NaiveDate,
        open: bool,
    ) -> Self {
        let due_on = due_date(received, 0);
        let effective_due_on = due_date(received, extension_months);
        let days_left = open.then(|| (effective_due_on - today).num_days());
        let first_month_left = (due_on - today).num_days();
        let extension_closes_in =
            (open && extension_months == 0 && (0..=DUE_SOON_DAYS).contains(&first_month_left))
                .then_some(first_month_left);
        Deadline {
            received_on: received,
            due_on,
            extension_months,
            effective_due_on,
            days_left,
            overdue: days_left.is_some_and(|d| d < 0),
            due_soon: days_left.is_some_and(|d| (0..=DUE_SOON_DAYS).contains(&d)),
            extension_closes_in,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_extension_reminder_runs_the_last_week_of_the_first_month() {
        let r = d("2026-03-10"); // the first month ends 10 April
        let at = |today: &str, ext: u32, open: bool| {
            Deadline::compute(r, ext, d(today), open).extension_closes_in
        };
        assert_eq!(
            at("2026-04-02", 0, true),
            None,
            "eight days before: not yet"
        );
        assert_eq!(at("2026-04-03", 0, true), Some(7));
        assert_eq!(at("2026-04-10", 0, true), Some(0), "the last day");
        assert_eq!(at("2026-04-11", 0, true), None, "too late to extend");
        assert_eq!(at("2026-04-05", 0, true), Some(5));
        assert_eq!(at("2026-04-05", 1, true), None, "extended: decided already");
        assert_eq!(at("2026-04-05", 0, false), None, "closed");
    }

    #[test]
    fn one_calendar_month_from_receipt() {
        assert_eq!(due_date(d("2026-01-15"), 0), d("2026-02-15"));
        assert_eq!(due_date(d("2026-03-01"), 0), d("2026-04-01"));
        assert_eq!(
            due_date(d("2026-12-20"), 0),
            d("2027-01-20"),
            "over the new year"
        );
    }

    #[test]
    fn month_ends_clamp_to_the_last_day_of_a_shorter_month() {
        assert_eq!(due_date(d("2026-01-31"), 0), d("2026-02-28"));
        assert_eq!(due_date(d("2026-01-30"), 0), d("2026-02-28"));
        assert_eq!(due_date(d("2026-01-29"), 0), d("2026-02-28"));
        assert_eq!(due_date(d("2026-03-31"), 0), d("2026-04-30"));
        assert_eq!(due_date(d("2026-08-31"), 0), d("2026-09-30"));
        assert_eq!(
            due_date(d("2026-02-28"), 0),
            d("2026-03-28"),
            "not the month end"
        );
    }

    #[test]
    fn leap_years() {
        assert_eq!(due_date(d("2028-01-31"), 0), d("2028-02-29"));
        assert_eq!(due_date(d("2028-01-29"), 0), d("2028-02-29"));
        assert_eq!(due_date(d("2028-02-29"), 0), d("2028-03-29"));
        assert_eq!(
            due_date(d("2100-01-31"), 0),
            d("2100-02-28"),
            "2100 is no leap year"
        );
        assert_eq!(due_date(d("2000-01-31"), 0), d("2000-02-29"), "2000 is");
        // Five years of bookkeeping from a leap day.
        let five_years = Period {
            amount: 5,
            unit: PeriodUnit::Years,
        };
        assert_eq!(add_period(d("2028-02-29"), five_years), d("2033-02-28"));
    }

    #[test]
    fn extensions_take_the_stricter_reading_and_stop_at_two_months() {
        // From the first deadline (28 February) rather than from receipt (31 March, 30 April).
        assert_eq!(due_date(d("2026-01-31"), 1), d("2026-03-28"));
        assert_eq!(due_date(d("2026-01-31"), 2), d("2026-04-28"));
        // Where both readings agree.
        assert_eq!(due_date(d("2026-01-15"), 2), d("2026-04-15"));
        // Over the new year, clamped at February.
        assert_eq!(due_date(d("2026-11-30"), 2), d("2027-02-28"));
        assert_eq!(due_date(d("2026-01-31"), 5), d("2026-04-28"), "capped");
    }

    #[test]
    fn days_left_overdue_and_due_soon() {
        let received = d("2026-01-31");
        let at = |today: &str| Deadline::compute(received, 0, d(today), true);
        let x = at("2026-02-01");
        assert_eq!(
            (x.days_left, x.overdue, x.due_soon),
            (Some(27), false, false)
        );
        let x = at("2026-02-21");
        assert_eq!((x.days_left, x.overdue, x.due_soon), (Some(7), false, true));
        let x = at("2026-02-28");
        assert_eq!((x.days_left, x.overdue, x.due_soon), (Some(0), false, true));
        let x = at("2026-03-01");
        assert_eq!(
            (x.days_left, x.overdue, x.due_soon),
            (Some(-1), true, false)
        );
        let closed = Deadline::compute(received, 0, d("2026-05-01"), false);
        assert_eq!((closed.days_left, closed.overdue), (None, false));
        let ext = Deadline::compute(received, 2, d("2026-03-01"), true);
        assert_eq!(
            (ext.due_on, ext.effective_due_on),
            (d("2026-02-28"), d("2026-04-28"))
        );
        assert!(!ext.overdue);
    }

    #[test]
    fn retention_periods() {
        let p = |amount, unit| Period { amount, unit };
        assert_eq!(
            add_period(d("2026-01-31"), p(30, PeriodUnit::Days)),
            d("2026-03-02")
        );
        assert_eq!(
            add_period(d("2026-01-31"), p(1, PeriodUnit::Months)),
            d("2026-02-28")
        );
        assert_eq!(
            add_period(d("2025-06-30"), p(12, PeriodUnit::Months)),
            d("2026-06-30")
        );
        assert_eq!(
            add_period(d("2026-12-31"), p(3, PeriodUnit::Years)),
            d("2029-12-31")
        );
    }
}
