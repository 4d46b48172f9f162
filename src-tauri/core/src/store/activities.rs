//! Processing activities: the entries of the Art. 30 record.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::controller::changed_fields;
use super::processors::time;
use super::{audit::NewEvent, Register};
use crate::error::{Error, InputError, Result};
use crate::model::{Activity, ActivityStatus, Id, Processor, Proposal, StoredActivity};

/// A line of the activity list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySummary {
    pub id: Id,
    pub name: String,
    pub status: ActivityStatus,
    pub last_reviewed: Option<chrono::NaiveDate>,
    /// Never reviewed, or not in the last 12 calendar months by the register's clock
    /// ([`Activity::review_due`]): the window shows this flag, it does not compute it.
    pub review_due: bool,
    pub records: i64,
    pub subjects: i64,
    /// The required Art. 30(1) fields still empty ([`Activity::missing_fields`]).
    pub missing_fields: Vec<String>,
}

fn stored(id: Id, body: &str, created: &str, updated: &str) -> Result<StoredActivity> {
    Ok(StoredActivity {
        id,
        activity: serde_json::from_str(body)?,
        created_at: time(created)?,
        updated_at: time(updated)?,
    })
}

fn check_processors(tx: &Transaction, a: &Activity) -> Result<()> {
    for pid in &a.processor_ids {
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM processors WHERE id = ?1)",
            [pid],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(InputError::invalid(
                "processor_ids",
                format!("processor {pid} does not exist"),
            )
            .into());
        }
    }
    Ok(())
}

fn link_processors(tx: &Transaction, id: Id, a: &Activity) -> Result<()> {
    tx.execute(
        "DELETE FROM activity_processors WHERE activity_id = ?1",
        [id],
    )?;
    for pid in &a.processor_ids {
        tx.execute(
            "INSERT OR IGNORE INTO activity_processors (activity_id, processor_id) VALUES (?1, ?2)",
            [id, *pid],
        )?;
    }
    Ok(())
}

fn normalise(a: &Activity) -> Activity {
    let clean = |v: &Vec<String>| {
        v.iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let mut a = a.clone();
    a.name = a.name.trim().to_string();
    a.notice_text = a.notice_text.trim().to_string();
    a.purposes = clean(&a.purposes);
    a.subject_categories = clean(&a.subject_categories);
    a.recipients = clean(&a.recipients);
    a.security_measures = clean(&a.security_measures);
    a.systems = clean(&a.systems);
    a.legal_bases.dedup();
    a.processor_ids.sort_unstable();
    a.processor_ids.dedup();
    for c in &mut a.data_categories {
        c.name = c.name.trim().to_string();
    }
    // Each proposal once, in the list's order.
    a.proposals = Proposal::ALL
        .iter()
        .copied()
        .filter(|p| a.proposals.contains(p))
        .collect();
    a
}

impl Register {
    pub fn add_activity(&mut self, activity: &Activity) -> Result<StoredActivity> {
        self.add_activity_with_processors(activity, &[])
    }

    /// Adds an activity and links it to `new_processors` as well as to its
    /// `processor_ids`, in one transaction: a processor whose name (ignoring case and
    /// surrounding spaces) is already in the register is reused, any other is added.
    /// This is how an activity made from a template brings the template's processors.
    pub fn add_activity_with_processors(
        &mut self,
        activity: &Activity,
        new_processors: &[Processor],
    ) -> Result<StoredActivity> {
        let mut a = normalise(activity);
        a.validate()?;
        for p in new_processors {
            p.validate()?;
        }
        let id = self.write(|tx, ctx| {
            for p in new_processors {
                let id = super::processors::find_or_add(tx, ctx, p)?;
                a.processor_ids.push(id);
            }
            a.processor_ids.sort_unstable();
            a.processor_ids.dedup();
            let body = serde_json::to_string(&a)?;
            check_processors(tx, &a)?;
            tx.execute(
                "INSERT INTO activities (name, status, last_reviewed, body, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![
                    a.name,
                    a.status,
                    a.last_reviewed.map(|d| d.to_string()),
                    body,
                    ctx.now
                ],
            )?;
            let id = tx.last_insert_rowid();
            link_processors(tx, id, &a)?;
            ctx.audit(tx, NewEvent::new("activity.created", "activity", Some(id)))?;
            Ok(id)
        })?;
        self.activity(id)
    }

    /// Replaces an activity's content. Data categories still used by records cannot be
    /// removed.
    pub fn update_activity(&mut self, id: Id, activity: &Activity) -> Result<StoredActivity> {
        let a = normalise(activity);
        a.validate()?;
        let before = self.activity(id)?;
        for cat in self.record_categories(id)? {
            if a.category(&cat).is_none() {
                return Err(InputError::invalid(
                    "data_categories",
                    format!("\"{cat}\" is still used by records of this activity"),
                )
                .into());
            }
        }
        let changed = changed_fields(Some(&before.activity), &a);
        let body = serde_json::to_string(&a)?;
        self.write(|tx, ctx| {
            check_processors(tx, &a)?;
            tx.execute(
                "UPDATE activities SET name = ?1, status = ?2, last_reviewed = ?3, body = ?4, updated_at = ?5 WHERE id = ?6",
                params![a.name, a.status, a.last_reviewed.map(|d| d.to_string()), body, ctx.now, id],
            )?;
            link_processors(tx, id, &a)?;
            let fields: Vec<&str> = changed.iter().map(String::as_str).collect();
            ctx.audit(tx, NewEvent::new("activity.changed", "activity", Some(id)).fields(&fields))
        })?;
        self.activity(id)
    }

    /// Deletes an activity that holds no records.
    pub fn delete_activity(&mut self, id: Id) -> Result<()> {
        self.activity(id)?;
        let records: i64 = self.conn().query_row(
            "SELECT (SELECT count(*) FROM records WHERE activity_id = ?1) + (SELECT count(*) FROM consent_events WHERE activity_id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if records > 0 {
            return Err(Error::InUse {
                entity: "activity",
                id,
                users: format!("{records} records"),
            });
        }
        self.write(|tx, ctx| {
            tx.execute("DELETE FROM activities WHERE id = ?1", [id])?;
            ctx.audit(tx, NewEvent::new("activity.deleted", "activity", Some(id)))
        })
    }

    pub fn activity(&self, id: Id) -> Result<StoredActivity> {
        let (body, created, updated): (String, String, String) = self
            .conn()
            .query_row(
                "SELECT body, created_at, updated_at FROM activities WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(Error::NotFound {
                entity: "activity",
                id,
            })?;
        stored(id, &body, &created, &updated)
    }

    pub fn activities(&self) -> Result<Vec<StoredActivity>> {
        let mut st = self
            .conn()
            .prepare("SELECT id, body, created_at, updated_at FROM activities ORDER BY name COLLATE NOCASE, id")?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.iter()
            .map(|(id, b, c, u)| stored(*id, b, c, u))
            .collect()
    }

    pub fn activity_summaries(&self) -> Result<Vec<ActivitySummary>> {
        let today = self.clock().today();
        // Kept by the triggers of migration 9, not counted over every record.
        let mut counts = std::collections::HashMap::new();
        {
            let mut st = self
                .conn()
                .prepare("SELECT activity_id, records, subjects FROM activity_counts")?;
            for row in st.query_map([], |r| {
                Ok((r.get::<_, Id>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
            })? {
                let (id, n, s) = row?;
                counts.insert(id, (n, s));
            }
        }
        Ok(self
            .activities()?
            .into_iter()
            .map(|a| {
                let (records, subjects) = counts.get(&a.id).copied().unwrap_or((0, 0));
                ActivitySummary {
                    id: a.id,
                    review_due: a.activity.review_due(today),
                    missing_fields: a
                        .activity
                        .missing_fields()
                        .into_iter()
                        .map(String::from)
                        .collect(),
                    name: a.activity.name,
                    status: a.activity.status,
                    last_reviewed: a.activity.last_reviewed,
                    records,
                    subjects,
                }
            })
            .collect())
    }

    /// How many records an activity holds (one index range, not a scan of every record).
    pub fn activity_record_count(&self, activity_id: Id) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM records WHERE activity_id = ?1",
            [activity_id],
            |r| r.get(0),
        )?)
    }

    /// The data categories of an activity that records use (these cannot be removed).
    pub fn record_categories(&self, activity_id: Id) -> Result<Vec<String>> {
        let mut st = self
            .conn()
            .prepare("SELECT DISTINCT category FROM records WHERE activity_id = ?1")?;
        let v = st
            .query_map([activity_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(v)
    }
}
