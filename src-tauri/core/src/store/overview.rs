//! The numbers on the first screen and what needs attention.

use serde::{Deserialize, Serialize};

use super::Register;
use crate::error::Result;
use crate::model::ActivityStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub activities: i64,
    pub subjects: i64,
    pub records: i64,
    pub processors: i64,
    /// Activities still in draft.
    pub drafts: i64,
    /// Activities with a required Art. 30(1) field empty.
    pub missing_fields: i64,
    /// Activities due for review ([`crate::model::Activity::review_due`]).
    pub review_overdue: i64,
    /// Activities with answers a template proposed that are not yet confirmed
    /// ([`crate::model::Activity::proposals`]).
    pub unconfirmed_proposals: i64,
    /// Art. 19 tasks not yet done: recipients still to be told of a rectification,
    /// erasure or restriction.
    pub notifications_open: i64,
    /// Personal data breaches not closed (store/breaches.rs).
    pub breaches_open: i64,
    /// Controllers this organisation processes personal data for (the processor's
    /// record, Art. 30(2); store/clients.rs).
    pub clients: i64,
}

/// A table [`Register::row_count`] counts: the two that hold a row per person and per
/// record, and so a million rows or more in a large register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counting {
    Subjects,
    Records,
}

impl Register {
    /// The rows of a large table, as the triggers of migration 9 keep them in
    /// `row_counts`: at a million people `count(*)` reads a whole index, and the
    /// overview and every page of the people list ask.
    pub(crate) fn row_count(&self, table: Counting) -> Result<i64> {
        let name = match table {
            Counting::Subjects => "subjects",
            Counting::Records => "records",
        };
        Ok(self
            .conn()
            .query_row("SELECT n FROM row_counts WHERE name = ?1", [name], |r| {
                r.get(0)
            })?)
    }

    pub fn counts(&self) -> Result<Counts> {
        let count =
            |sql: &str| -> Result<i64> { Ok(self.conn().query_row(sql, [], |r| r.get(0))?) };
        let activities = self.activities()?;
        let today = self.clock().today();
        Ok(Counts {
            activities: activities.len() as i64,
            subjects: self.row_count(Counting::Subjects)?,
            records: self.row_count(Counting::Records)?,
            processors: count("SELECT count(*) FROM processors")?,
            drafts: activities
                .iter()
                .filter(|a| a.activity.status == ActivityStatus::Draft)
                .count() as i64,
            missing_fields: activities
                .iter()
                .filter(|a| !a.activity.missing_fields().is_empty())
                .count() as i64,
            review_overdue: activities
                .iter()
                .filter(|a| a.activity.review_due(today))
                .count() as i64,
            unconfirmed_proposals: activities
                .iter()
                .filter(|a| !a.activity.proposals.is_empty())
                .count() as i64,
            notifications_open: self.open_notifications()?,
            breaches_open: self.open_breach_count()?,
            clients: count("SELECT count(*) FROM clients")?,
        })
    }
}
