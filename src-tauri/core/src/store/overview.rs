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

/// The last counts of [`Counting`]'s tables, and the state of the register they were
/// counted in: the connection's `total_changes()` (every row this connection inserted,
/// changed or deleted since it opened, in a trigger too, committed or rolled back) and
/// `PRAGMA data_version` (moves when another connection commits). While both stand
/// still, no row was added or removed, so the count stands.
#[derive(Debug, Default)]
pub(crate) struct Counted {
    state: Option<(u64, i64)>,
    subjects: Option<i64>,
    records: Option<i64>,
    /// Per activity: its records and the people they belong to.
    pub(crate) per_activity: Option<std::collections::HashMap<crate::model::Id, (i64, i64)>>,
}

impl Register {
    /// `count(*)` of a large table, counted again only after the register changed: at
    /// a million people a count reads a whole index, and the overview and every page
    /// of the people list ask for it.
    pub(crate) fn row_count(&self, table: Counting) -> Result<i64> {
        let sql = match table {
            Counting::Subjects => "SELECT count(*) FROM subjects",
            Counting::Records => "SELECT count(*) FROM records",
        };
        self.kept_count(
            |c| match table {
                Counting::Subjects => &mut c.subjects,
                Counting::Records => &mut c.records,
            },
            || Ok(self.conn().query_row(sql, [], |r| r.get(0))?),
        )
    }

    /// The value `slot` of [`Counted`] holds, or `count`'s, kept there until the
    /// register changes.
    pub(crate) fn kept_count<T: Clone>(
        &self,
        slot: impl FnOnce(&mut Counted) -> &mut Option<T>,
        count: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let state = (
            self.conn().total_changes(),
            self.conn()
                .query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))?,
        );
        let mut counted = self.counted.lock().unwrap_or_else(|p| p.into_inner());
        if counted.state != Some(state) {
            *counted = Counted {
                state: Some(state),
                ..Default::default()
            };
        }
        let slot = slot(&mut counted);
        if let Some(v) = slot {
            return Ok(v.clone());
        }
        let v = count()?;
        *slot = Some(v.clone());
        Ok(v)
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
