//! Retention: the dates rules count from, legal holds, the "due for deletion" queue and
//! its bulk actions.
//!
//! Each activity's data categories carry a [`RetentionRule`]: a trigger and a period,
//! or "until further notice" with a justification (never due). The trigger's start
//! date comes from:
//!
//! | trigger              | start date                                                      |
//! |----------------------|-----------------------------------------------------------------|
//! | `collected`          | the record's own `collected_on`                                 |
//! | `relationship_ended` | the subject's date for the activity, set with [`Register::set_retention_date`] |
//! | `application_closed` | the same                                                        |
//! | `unsubscribed`       | the same; recording a consent withdrawal sets it when unset     |
//! | `last_contact`       | the same, or else the latest `collected_on` of the subject's records in the activity |
//!
//! Without a start date (the client relationship goes on) a record is not due. A record
//! is due on the day its period has run out ([`crate::deadline::add_period`]).
//!
//! A legal hold on a subject or an activity stops deletion: held records are listed,
//! marked, and skipped by the bulk actions; erasing a held subject is refused. A
//! restricted subject (Art. 18) is treated the same way: restriction often means
//! "keep it for a legal claim".
//!
//! Bulk actions run in one transaction and write one audit event per record, its
//! reason naming the rule ("retention: Jobbsøkere / CV: 12 months after
//! application_closed, due 2026-01-15"):
//! - **erase** deletes the records; a subject left with no records is erased completely,
//!   with a receipt (trigger `retention`);
//! - **anonymise** replaces the value with [`ANONYMISED`] and clears its source, so
//!   counts and dates stay for statistics; a subject left with only anonymised records
//!   loses name, e-mail and phone too.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::audit::NewEvent;
use super::erasure::{
    erase_in, finish_in, pending_receipts, Cause, ErasureSummary, ErasureTrigger, KeptBecause,
    KeptRecord,
};
use super::processors::time;
use super::requests::date;
use super::search::reindex;
use super::{Ctx, Register};
use crate::deadline::add_period;
use crate::error::{Error, InputError, Result};
use crate::model::{
    Activity, Id, LegalBasis, Period, PeriodUnit, Redacted, RetentionTrigger, YearEnd,
};

/// The value an anonymised record keeps.
pub const ANONYMISED: &str = "(anonymised)";

fn describe_period(p: Period) -> String {
    let unit = match (p.unit, p.amount) {
        (PeriodUnit::Days, 1) => "day",
        (PeriodUnit::Days, _) => "days",
        (PeriodUnit::Months, 1) => "month",
        (PeriodUnit::Months, _) => "months",
        (PeriodUnit::Years, 1) => "year",
        (PeriodUnit::Years, _) => "years",
    };
    format!("{} {unit}", p.amount)
}

/// A start date for a trigger, for one subject in one activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionDate {
    pub activity_id: Id,
    pub trigger: RetentionTrigger,
    pub on: NaiveDate,
}

/// What setting a trigger date would do to one of the person's records in the activity:
/// the first day it may be deleted (`None`: its rule counts from something else, or it
/// has no rule with a period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuePreview {
    pub record_id: Id,
    pub category: String,
    pub due_on: Option<NaiveDate>,
}

/// What setting one trigger date for everyone in an activity who has none yet would do
/// (a recruitment closed, a course ended): how many people and records, and how many
/// records become due on each day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPreview {
    pub people: usize,
    pub records: usize,
    /// (the day records may be deleted from, how many)
    pub due: Vec<(NaiveDate, usize)>,
}

/// What a legal hold covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldTarget {
    Subject(Id),
    Activity(Id),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalHold {
    pub id: Id,
    pub target: HoldTarget,
    pub reason: String,
    /// The last day it holds; `None`: until released.
    pub until: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub released_at: Option<DateTime<Utc>>,
    pub released_reason: String,
    /// In force today.
    pub active: bool,
}

/// Why a due record may not be deleted now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Blocker {
    SubjectHold {
        hold_id: Id,
    },
    ActivityHold {
        hold_id: Id,
    },
    /// Processing restricted (Art. 18).
    Restricted,
}

/// A record past its retention.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    pub record_id: Id,
    pub subject_id: Id,
    /// For the list on screen; personal data (`Debug` prints no value).
    pub subject_name: String,
    pub category: String,
    pub trigger: RetentionTrigger,
    pub period: Period,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
    pub blocked: Option<Blocker>,
}

impl fmt::Debug for DueItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DueItem")
            .field("record_id", &self.record_id)
            .field("subject_id", &self.subject_id)
            .field("subject_name", &Redacted(&self.subject_name))
            .field("category", &self.category)
            .field("due_on", &self.due_on)
            .field("blocked", &self.blocked)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueGroup {
    pub activity_id: Id,
    pub activity: String,
    pub items: Vec<DueItem>,
    /// How many items are blocked by a hold or a restriction.
    pub blocked: usize,
}

/// The "due for deletion" queue, grouped by activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionQueue {
    pub today: NaiveDate,
    pub groups: Vec<DueGroup>,
    pub total: usize,
    pub blocked: usize,
    /// Erasures that kept records a legal obligation or a hold requires; their records
    /// are not in `groups` (the erasure decides when they go).
    pub erasures: Vec<PendingErasure>,
}

/// An erasure that kept records (Art. 17(3)(b), (e)), as it stands today.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingErasure {
    pub receipt_id: String,
    pub subject_id: Id,
    /// For the list on screen; personal data (`Debug` prints no value).
    pub subject_name: String,
    pub erased_at: DateTime<Utc>,
    /// The records that must still be kept, and until when.
    pub kept: Vec<KeptRecord>,
    /// Records whose time is up: finishing the erasure deletes them now.
    pub free: usize,
    /// The first day another kept record may go (`None`: a hold without an end, or a
    /// rule "until further notice").
    pub next_on: Option<NaiveDate>,
}

impl PendingErasure {
    /// Whether finishing would do something today.
    pub fn ready(&self) -> bool {
        self.free > 0 || self.kept.is_empty()
    }
}

impl fmt::Debug for PendingErasure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingErasure")
            .field("receipt_id", &self.receipt_id)
            .field("subject_id", &self.subject_id)
            .field("subject_name", &Redacted(&self.subject_name))
            .field("kept", &self.kept.len())
            .field("free", &self.free)
            .field("next_on", &self.next_on)
            .finish_non_exhaustive()
    }
}

crate::closed_list! {
    /// What the retention queue does with due records.
    pub enum RetentionAction("action") {
        Erase = "erase",
        Anonymise = "anonymise",
    }
}

/// Which due records a bulk action takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// Every due record of the activity that is not blocked (blocked ones are skipped).
    Activity(Id),
    /// These records; each must be due and not blocked, or nothing is done.
    Records(Vec<Id>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RetentionOutcome {
    pub action: RetentionAction,
    /// Records erased or anonymised.
    pub records: usize,
    /// Blocked records left alone.
    pub skipped: usize,
    /// Subjects erased completely because no record was left (with their receipts).
    pub erased_subjects: Vec<ErasureSummary>,
    /// Subjects whose name, e-mail and phone were anonymised.
    pub anonymised_subjects: Vec<Id>,
}

// ---------------------------------------------------------------------------

struct ActiveHolds {
    subjects: HashMap<Id, Id>,
    activities: HashMap<Id, Id>,
    /// Each active hold's last day (`None`: until released).
    until: HashMap<Id, Option<NaiveDate>>,
}

fn active_holds(conn: &Connection, today: NaiveDate) -> Result<ActiveHolds> {
    let mut st = conn.prepare(
        "SELECT id, subject_id, activity_id, until FROM legal_holds
         WHERE released_at IS NULL AND (until IS NULL OR until >= ?1) ORDER BY id",
    )?;
    let mut holds = ActiveHolds {
        subjects: HashMap::new(),
        activities: HashMap::new(),
        until: HashMap::new(),
    };
    let rows = st.query_map([today.to_string()], |r| {
        Ok((
            r.get::<_, Id>(0)?,
            r.get::<_, Option<Id>>(1)?,
            r.get::<_, Option<Id>>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    for row in rows {
        let (id, subject, activity, until) = row?;
        holds
            .until
            .insert(id, until.as_deref().map(date).transpose()?);
        match (id, subject, activity) {
            (id, Some(s), _) => {
                holds.subjects.entry(s).or_insert(id);
            }
            (id, None, Some(a)) => {
                holds.activities.entry(a).or_insert(id);
            }
            _ => {}
        }
    }
    Ok(holds)
}

/// The last day of the organisation's financial year (the controller profile's; 31
/// December when none is set).
pub(crate) fn year_end(conn: &Connection) -> Result<YearEnd> {
    let body: Option<String> = conn
        .query_row("SELECT body FROM controller WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    Ok(match body {
        Some(b) => serde_json::from_str::<crate::model::Controller>(&b)?.financial_year_end,
        None => YearEnd::default(),
    })
}

/// A date may be recorded for the trigger (see [`RetentionTrigger::is_dated`]), and
/// it is not in the future.
fn check_trigger_date(
    trigger: RetentionTrigger,
    on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<()> {
    if !trigger.is_dated() {
        return Err(InputError::invalid(
            "trigger",
            "\"collected\" and \"financial_year_end\" count from each record's own date",
        )
        .into());
    }
    if on.is_some_and(|d| d > today) {
        return Err(InputError::invalid("on", "a date in the future").into());
    }
    Ok(())
}

/// Whose trigger dates to read.
#[derive(Clone, Copy)]
enum DatesOf {
    Subject(Id),
    Activity(Id),
}

/// The trigger dates set (`retention_dates`) of one subject or one activity:
/// (subject, activity, trigger, date).
fn trigger_dates(
    conn: &Connection,
    of: DatesOf,
) -> Result<Vec<(Id, Id, RetentionTrigger, NaiveDate)>> {
    let (sql, id) = match of {
        DatesOf::Subject(id) => (
            "SELECT subject_id, activity_id, trigger, on_date FROM retention_dates WHERE subject_id = ?1",
            id,
        ),
        DatesOf::Activity(id) => (
            "SELECT subject_id, activity_id, trigger, on_date FROM retention_dates WHERE activity_id = ?1",
            id,
        ),
    };
    let mut st = conn.prepare_cached(sql)?;
    let rows = st
        .query_map([id], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, Id>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (s, a, t, on) in rows {
        if let Some(t) = RetentionTrigger::parse(&t) {
            out.push((s, a, t, date(&on)?));
        }
    }
    Ok(out)
}

/// The day a rule's clock starts for one record of subject `sid` collected on
/// `collected`; `None` while the event it waits for has not happened.
fn start_of(
    trigger: RetentionTrigger,
    sid: Id,
    collected: NaiveDate,
    dates: &HashMap<(Id, RetentionTrigger), NaiveDate>,
    last_collected: &HashMap<Id, NaiveDate>,
    year_end: YearEnd,
) -> Option<NaiveDate> {
    match trigger {
        RetentionTrigger::Collected => Some(collected),
        RetentionTrigger::FinancialYearEnd => year_end.end_of_year_of(collected).succ_opt(),
        RetentionTrigger::LastContact => dates
            .get(&(sid, trigger))
            .copied()
            .or_else(|| last_collected.get(&sid).copied()),
        _ => dates.get(&(sid, trigger)).copied(),
    }
}

fn activity_bodies(conn: &Connection) -> Result<Vec<(Id, Activity)>> {
    let mut st =
        conn.prepare("SELECT id, body FROM activities ORDER BY name COLLATE NOCASE, id")?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, body)| Ok((id, serde_json::from_str(&body)?)))
        .collect()
}

/// The records of subject `sid` that an erasure must keep today, and why (Art. 17(3)):
/// - (e) those a legal hold covers (on the subject, or on the record's activity), until
///   the hold's last day has passed or it is released;
/// - (b) those of an activity whose legal basis is a legal obligation (Art. 6(1)(c))
///   whose category's retention rule has not run out. An event the rule waits for that
///   has not happened (the relationship ending) is taken to happen with the erasure:
///   the clock starts today. A rule "until further notice" keeps the record.
///
/// A record of any other activity is not kept: no law requires it.
pub(crate) fn kept_records(
    conn: &Connection,
    sid: Id,
    today: NaiveDate,
) -> Result<Vec<KeptRecord>> {
    let holds = active_holds(conn, today)?;
    let year_end = year_end(conn)?;
    let activities: HashMap<Id, Activity> = activity_bodies(conn)?.into_iter().collect();
    let records = {
        let mut st = conn.prepare_cached(
            "SELECT id, activity_id, category, collected_on FROM records WHERE subject_id = ?1 ORDER BY id",
        )?;
        let rows = st
            .query_map([sid], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, Id>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut dates_by_activity: HashMap<Id, HashMap<(Id, RetentionTrigger), NaiveDate>> =
        HashMap::new();
    for (s, a, t, on) in trigger_dates(conn, DatesOf::Subject(sid))? {
        dates_by_activity.entry(a).or_default().insert((s, t), on);
    }
    let mut last_collected: HashMap<Id, HashMap<Id, NaiveDate>> = HashMap::new();
    let mut parsed = Vec::with_capacity(records.len());
    for (rid, aid, category, collected) in records {
        let collected = date(&collected)?;
        let e = last_collected
            .entry(aid)
            .or_default()
            .entry(sid)
            .or_insert(collected);
        if collected > *e {
            *e = collected;
        }
        parsed.push((rid, aid, category, collected));
    }
    let no_dates = HashMap::new();
    let no_records = HashMap::new();
    let mut kept = Vec::new();
    for (rid, aid, category, collected) in parsed {
        let Some(activity) = activities.get(&aid) else {
            continue;
        };
        let hold = holds
            .subjects
            .get(&sid)
            .or_else(|| holds.activities.get(&aid))
            .copied();
        let because_and_until = if let Some(h) = hold {
            let until = holds.until.get(&h).copied().flatten();
            Some((
                KeptBecause::Hold { hold_id: h },
                until.and_then(|u| u.succ_opt()),
            ))
        } else if activity.legal_bases.contains(&LegalBasis::LegalObligation) {
            let rule = activity
                .data_categories
                .iter()
                .find(|c| c.name.trim().eq_ignore_ascii_case(category.trim()))
                .and_then(|c| c.retention.clone());
            match rule {
                Some(rule) => {
                    let start = start_of(
                        rule.trigger,
                        sid,
                        collected,
                        dates_by_activity.get(&aid).unwrap_or(&no_dates),
                        last_collected.get(&aid).unwrap_or(&no_records),
                        year_end,
                    )
                    .unwrap_or(today);
                    match rule.duration {
                        Some(p) => {
                            let due = add_period(start, p);
                            (due > today).then_some((
                                KeptBecause::LegalObligation {
                                    trigger: rule.trigger,
                                    period: Some(p),
                                },
                                Some(due),
                            ))
                        }
                        None => Some((
                            KeptBecause::LegalObligation {
                                trigger: rule.trigger,
                                period: None,
                            },
                            None,
                        )),
                    }
                }
                None => None,
            }
        } else {
            None
        };
        if let Some((because, may_go_on)) = because_and_until {
            kept.push(KeptRecord {
                record_id: rid,
                activity_id: aid,
                activity: activity.name.clone(),
                category: category.clone(),
                because,
                may_go_on,
            });
        }
    }
    Ok(kept)
}

/// The erasures that kept records, as they stand on `today`.
fn pending_erasures(conn: &Connection, today: NaiveDate) -> Result<Vec<PendingErasure>> {
    let mut out = Vec::new();
    for r in pending_receipts(conn)? {
        out.extend(pending_as_of(conn, r, today)?);
    }
    Ok(out)
}

/// One waiting erasure as it stands on `today` (`None` when its person is gone).
fn pending_as_of(
    conn: &Connection,
    r: super::erasure::ErasureReceipt,
    today: NaiveDate,
) -> Result<Option<PendingErasure>> {
    let Some((name, records)): Option<(String, i64)> = conn
        .query_row(
            "SELECT s.name, (SELECT count(*) FROM records WHERE subject_id = s.id)
             FROM subjects s WHERE s.id = ?1",
            [r.subject_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?
    else {
        return Ok(None);
    };
    let kept = kept_records(conn, r.subject_id, today)?;
    let next_on = if kept.iter().any(|k| k.may_go_on.is_none()) {
        None
    } else {
        kept.iter().filter_map(|k| k.may_go_on).min()
    };
    Ok(Some(PendingErasure {
        receipt_id: r.id,
        subject_id: r.subject_id,
        subject_name: name,
        erased_at: r.erased_at,
        free: (records as usize).saturating_sub(kept.len()),
        kept,
        next_on,
    }))
}

/// The queue, computed on `conn` (a transaction when acting on it).
fn compute_due(conn: &Connection, today: NaiveDate, only: Option<Id>) -> Result<RetentionQueue> {
    let holds = active_holds(conn, today)?;
    let year_end = year_end(conn)?;
    let activities = activity_bodies(conn)?;
    let erasures = pending_erasures(conn, today)?;
    let pending: HashSet<Id> = erasures.iter().map(|e| e.subject_id).collect();
    let mut groups = Vec::new();
    for (activity_id, activity) in activities {
        if only.is_some_and(|o| o != activity_id) {
            continue;
        }
        let rules: HashMap<String, (RetentionTrigger, Period)> = activity
            .data_categories
            .iter()
            .filter_map(|c| {
                let r = c.retention.as_ref()?;
                Some((c.name.trim().to_lowercase(), (r.trigger, r.duration?)))
            })
            .collect();
        if rules.is_empty() {
            continue;
        }
        let dates: HashMap<(Id, RetentionTrigger), NaiveDate> =
            trigger_dates(conn, DatesOf::Activity(activity_id))?
                .into_iter()
                .map(|(s, _, t, on)| ((s, t), on))
                .collect();
        let records = {
            let mut st = conn.prepare_cached(
                "SELECT r.id, r.subject_id, r.category, r.collected_on, s.name, s.restricted
                 FROM records r JOIN subjects s ON s.id = r.subject_id
                 WHERE r.activity_id = ?1 AND r.value <> ?2 ORDER BY r.id",
            )?;
            let rows = st
                .query_map(params![activity_id, ANONYMISED], |r| {
                    Ok((
                        r.get::<_, Id>(0)?,
                        r.get::<_, Id>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, bool>(5)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        let mut last_collected: HashMap<Id, NaiveDate> = HashMap::new();
        let mut parsed = Vec::with_capacity(records.len());
        for (rid, sid, cat, collected, name, restricted) in records {
            let collected = date(&collected)?;
            let e = last_collected.entry(sid).or_insert(collected);
            if collected > *e {
                *e = collected;
            }
            parsed.push((rid, sid, cat, collected, name, restricted));
        }
        let mut items = Vec::new();
        for (rid, sid, category, collected, name, restricted) in parsed {
            if pending.contains(&sid) {
                continue;
            }
            let Some(&(trigger, period)) = rules.get(&category.trim().to_lowercase()) else {
                continue;
            };
            let start = start_of(trigger, sid, collected, &dates, &last_collected, year_end);
            let Some(starts_on) = start else { continue };
            let due_on = add_period(starts_on, period);
            if due_on > today {
                continue;
            }
            let blocked = if let Some(&h) = holds.subjects.get(&sid) {
                Some(Blocker::SubjectHold { hold_id: h })
            } else if let Some(&h) = holds.activities.get(&activity_id) {
                Some(Blocker::ActivityHold { hold_id: h })
            } else if restricted {
                Some(Blocker::Restricted)
            } else {
                None
            };
            items.push(DueItem {
                record_id: rid,
                subject_id: sid,
                subject_name: name,
                category,
                trigger,
                period,
                starts_on,
                due_on,
                days_overdue: (today - due_on).num_days(),
                blocked,
            });
        }
        if items.is_empty() {
            continue;
        }
        items.sort_by_key(|i| (i.due_on, i.record_id));
        groups.push(DueGroup {
            activity_id,
            activity: activity.name.clone(),
            blocked: items.iter().filter(|i| i.blocked.is_some()).count(),
            items,
        });
    }
    Ok(RetentionQueue {
        today,
        total: groups.iter().map(|g| g.items.len()).sum(),
        blocked: groups.iter().map(|g| g.blocked).sum(),
        groups,
        erasures,
    })
}

fn rule_reason(activity: &str, item: &DueItem, note: &str) -> String {
    let mut s = format!(
        "retention: {activity} / {}: {} after {}, due {}",
        item.category,
        describe_period(item.period),
        item.trigger.code(),
        item.due_on
    );
    if !note.trim().is_empty() {
        s.push_str("; ");
        s.push_str(note.trim());
    }
    s
}

fn load_hold(conn: &Connection, id: Id, today: NaiveDate) -> Result<LegalHold> {
    type Row = (
        Id,
        Option<Id>,
        Option<Id>,
        String,
        Option<String>,
        String,
        Option<String>,
        String,
    );
    let row: Row = conn
        .query_row(
            "SELECT id, subject_id, activity_id, reason, until, created_at, released_at, released_reason
             FROM legal_holds WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            },
        )
        .optional()?
        .ok_or(Error::NotFound {
            entity: "legal_hold",
            id,
        })?;
    let (id, subject, activity, reason, until, created, released, released_reason) = row;
    let until = until.as_deref().map(date).transpose()?;
    let released_at = released.as_deref().map(time).transpose()?;
    Ok(LegalHold {
        id,
        target: match (subject, activity) {
            (Some(s), _) => HoldTarget::Subject(s),
            (None, Some(a)) => HoldTarget::Activity(a),
            _ => return Err(Error::Corrupt("a legal hold without a target".into())),
        },
        reason,
        until,
        created_at: time(&created)?,
        active: released_at.is_none() && until.is_none_or(|u| u >= today),
        released_at,
        released_reason,
    })
}

/// Anonymises a subject whose records are all anonymised (or gone): their name, e-mail
/// and phone, the requester's words on their requests, and their consent and objection
/// events (which date what the person did) go; what stays names no one.
pub(crate) fn anonymise_subject_if_bare(
    tx: &Connection,
    ctx: &Ctx,
    sid: Id,
    note: &str,
) -> Result<bool> {
    let left: i64 = tx.query_row(
        "SELECT count(*) FROM records WHERE subject_id = ?1 AND value <> ?2",
        params![sid, ANONYMISED],
        |r| r.get(0),
    )?;
    if left > 0 {
        return Ok(false);
    }
    let email_norm: String = tx.query_row(
        "SELECT email_norm FROM subjects WHERE id = ?1",
        [sid],
        |r| r.get(0),
    )?;
    let anonymous = crate::model::SubjectFields {
        name: format!("{ANONYMISED} #{sid}"),
        email: String::new(),
        phone: String::new(),
    };
    super::subjects::set_subject_fields(tx, sid, &anonymous, &ctx.now)?;
    super::erasure::wipe_requester_words(tx, sid, &email_norm, &ctx.now)?;
    super::audit::wipe_texts(tx, sid)?;
    super::changes::record(
        tx,
        ctx,
        sid,
        ErasureTrigger::Retention,
        &super::changes::JournalChange::SubjectAnonymised,
    )?;
    let consents = tx.execute("DELETE FROM consent_events WHERE subject_id = ?1", [sid])?;
    reindex(tx, sid)?;
    let consents = format!("consent_events:{consents}");
    ctx.audit(
        tx,
        NewEvent::new("subject.anonymised", "subject", Some(sid))
            .subject(sid)
            .fields(&["name", "email", "phone", "requests", consents.as_str()])
            .reason(note),
    )?;
    Ok(true)
}

impl Register {
    /// Sets (or with `None` clears) the date a trigger starts from for a subject in an
    /// activity: when the client relationship ended, the application was closed, the
    /// subject unsubscribed, or was last in contact.
    pub fn set_retention_date(
        &mut self,
        subject_id: Id,
        activity_id: Id,
        trigger: RetentionTrigger,
        on: Option<NaiveDate>,
    ) -> Result<()> {
        check_trigger_date(trigger, on, self.clock().today())?;
        self.subject(subject_id)?;
        self.activity(activity_id)?;
        let t = trigger.code();
        self.write(|tx, ctx| {
            match on {
                Some(on) => tx.execute(
                    "INSERT INTO retention_dates (subject_id, activity_id, trigger, on_date) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (subject_id, activity_id, trigger) DO UPDATE SET on_date = excluded.on_date",
                    params![subject_id, activity_id, t, on.to_string()],
                )?,
                None => tx.execute(
                    "DELETE FROM retention_dates WHERE subject_id = ?1 AND activity_id = ?2 AND trigger = ?3",
                    params![subject_id, activity_id, t],
                )?,
            };
            let action = if on.is_some() { "retention.date_set" } else { "retention.date_cleared" };
            ctx.audit(
                tx,
                NewEvent::new(action, "activity", Some(activity_id)).subject(subject_id).fields(&[t]),
            )
        })
    }

    /// The day each of the person's records in the activity would become due if the
    /// trigger's date were `on`, shown before it is set.
    pub fn preview_retention_date(
        &self,
        subject_id: Id,
        activity_id: Id,
        trigger: RetentionTrigger,
        on: NaiveDate,
    ) -> Result<Vec<DuePreview>> {
        check_trigger_date(trigger, Some(on), self.clock().today())?;
        self.subject(subject_id)?;
        let activity = self.activity(activity_id)?.activity;
        let records = self.records_of(subject_id)?;
        Ok(records
            .into_iter()
            .filter(|r| r.activity_id == activity_id)
            .map(|r| {
                let rule = activity
                    .data_categories
                    .iter()
                    .find(|c| c.name.trim().eq_ignore_ascii_case(r.category.trim()))
                    .and_then(|c| c.retention.clone());
                let due_on = match rule {
                    Some(rule) if rule.trigger == trigger => {
                        rule.duration.map(|p| add_period(on, p))
                    }
                    _ => None,
                };
                DuePreview {
                    record_id: r.id,
                    category: r.category,
                    due_on,
                }
            })
            .collect())
    }

    /// [`Register::preview_retention_date`] for everyone with records in the activity
    /// and no date for the trigger yet, shown before [`Register::set_retention_dates`].
    pub fn preview_retention_dates(
        &self,
        activity_id: Id,
        trigger: RetentionTrigger,
        on: NaiveDate,
    ) -> Result<BulkPreview> {
        check_trigger_date(trigger, Some(on), self.clock().today())?;
        let activity = self.activity(activity_id)?.activity;
        let rules: HashMap<String, Option<NaiveDate>> = activity
            .data_categories
            .iter()
            .map(|c| {
                let due = c
                    .retention
                    .as_ref()
                    .filter(|r| r.trigger == trigger)
                    .and_then(|r| r.duration)
                    .map(|p| add_period(on, p));
                (c.name.trim().to_lowercase(), due)
            })
            .collect();
        // One pass over the activity's records of the people without the date.
        let mut st = self.conn().prepare(
            "SELECT r.subject_id, r.category FROM records r
             WHERE r.activity_id = ?1 AND NOT EXISTS (
                 SELECT 1 FROM retention_dates d
                 WHERE d.subject_id = r.subject_id AND d.activity_id = ?1 AND d.trigger = ?2)",
        )?;
        let rows = st
            .query_map(params![activity_id, trigger.code()], |r| {
                Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut due: std::collections::BTreeMap<NaiveDate, usize> = Default::default();
        let mut people = HashSet::new();
        for (sid, category) in &rows {
            people.insert(*sid);
            if let Some(Some(d)) = rules.get(&category.trim().to_lowercase()) {
                *due.entry(*d).or_default() += 1;
            }
        }
        Ok(BulkPreview {
            people: people.len(),
            records: rows.len(),
            due: due.into_iter().collect(),
        })
    }

    /// Sets the trigger's date for everyone with records in the activity who has none
    /// yet, in one transaction, each audited; returns how many people.
    pub fn set_retention_dates(
        &mut self,
        activity_id: Id,
        trigger: RetentionTrigger,
        on: NaiveDate,
    ) -> Result<usize> {
        check_trigger_date(trigger, Some(on), self.clock().today())?;
        self.activity(activity_id)?;
        let people = self.without_date(activity_id, trigger)?;
        let t = trigger.code();
        self.write(|tx, ctx| {
            for sid in &people {
                tx.execute(
                    "INSERT INTO retention_dates (subject_id, activity_id, trigger, on_date) VALUES (?1, ?2, ?3, ?4)",
                    params![sid, activity_id, t, on.to_string()],
                )?;
                ctx.audit(
                    tx,
                    NewEvent::new("retention.date_set", "activity", Some(activity_id))
                        .subject(*sid)
                        .fields(&[t]),
                )?;
            }
            Ok(())
        })?;
        Ok(people.len())
    }

    /// The people with records in the activity and no date for the trigger.
    fn without_date(&self, activity_id: Id, trigger: RetentionTrigger) -> Result<Vec<Id>> {
        let mut st = self.conn().prepare(
            "SELECT DISTINCT r.subject_id FROM records r
             WHERE r.activity_id = ?1 AND NOT EXISTS (
                 SELECT 1 FROM retention_dates d
                 WHERE d.subject_id = r.subject_id AND d.activity_id = ?1 AND d.trigger = ?2)
             ORDER BY r.subject_id",
        )?;
        let ids = st
            .query_map(params![activity_id, trigger.code()], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<Id>>>()?;
        Ok(ids)
    }

    /// The trigger dates set for a subject.
    pub fn retention_dates(&self, subject_id: Id) -> Result<Vec<RetentionDate>> {
        let mut st = self.conn().prepare(
            "SELECT activity_id, trigger, on_date FROM retention_dates WHERE subject_id = ?1 ORDER BY activity_id, trigger",
        )?;
        let rows = st
            .query_map([subject_id], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(activity_id, t, on)| {
                Ok(RetentionDate {
                    activity_id,
                    trigger: RetentionTrigger::parse(&t)
                        .ok_or_else(|| Error::Corrupt("unknown trigger".into()))?,
                    on: date(&on)?,
                })
            })
            .collect()
    }

    /// Puts a subject or an activity under a legal hold (e.g. the Bookkeeping Act's
    /// five years), until released or until the given last day.
    pub fn add_hold(
        &mut self,
        target: HoldTarget,
        reason: &str,
        until: Option<NaiveDate>,
    ) -> Result<LegalHold> {
        if reason.trim().is_empty() {
            return Err(InputError::invalid("reason", "say why the data must be kept").into());
        }
        let (subject, activity) = match target {
            HoldTarget::Subject(s) => {
                self.subject(s)?;
                (Some(s), None)
            }
            HoldTarget::Activity(a) => {
                self.activity(a)?;
                (None, Some(a))
            }
        };
        if until.is_some_and(|u| u < self.clock().today()) {
            return Err(InputError::invalid("until", "a date in the past").into());
        }
        let id = self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO legal_holds (subject_id, activity_id, reason, until, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![subject, activity, reason.trim(), until.map(|u| u.to_string()), ctx.now],
            )?;
            let id = tx.last_insert_rowid();
            let mut ev = NewEvent::new("hold.added", "legal_hold", Some(id)).reason(reason.trim());
            if let Some(s) = subject {
                ev = ev.subject(s);
            }
            ev = ev.fields(if subject.is_some() { &["subject"] } else { &["activity"] });
            ctx.audit(tx, ev)?;
            Ok(id)
        })?;
        load_hold(self.conn(), id, self.clock().today())
    }

    /// Releases a hold; deletion may go ahead again.
    pub fn release_hold(&mut self, id: Id, reason: &str) -> Result<LegalHold> {
        let h = load_hold(self.conn(), id, self.clock().today())?;
        if h.released_at.is_some() {
            return Err(InputError::invalid("status", "the hold is already released").into());
        }
        if reason.trim().is_empty() {
            return Err(InputError::invalid("reason", "say why the hold ends").into());
        }
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE legal_holds SET released_at = ?1, released_reason = ?2 WHERE id = ?3",
                params![ctx.now, reason.trim(), id],
            )?;
            let mut ev =
                NewEvent::new("hold.released", "legal_hold", Some(id)).reason(reason.trim());
            if let HoldTarget::Subject(s) = h.target {
                ev = ev.subject(s);
            }
            ctx.audit(tx, ev)
        })?;
        load_hold(self.conn(), id, self.clock().today())
    }

    /// Legal holds, newest first; released ones too when `include_released`.
    pub fn holds(&self, include_released: bool) -> Result<Vec<LegalHold>> {
        let today = self.clock().today();
        let mut st = self
            .conn()
            .prepare("SELECT id FROM legal_holds ORDER BY id DESC")?;
        let ids = st
            .query_map([], |r| r.get::<_, Id>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::new();
        for id in ids {
            let h = load_hold(self.conn(), id, today)?;
            if include_released || h.released_at.is_none() {
                out.push(h);
            }
        }
        Ok(out)
    }

    /// Records past their retention, grouped by activity (all activities, or one).
    pub fn retention_due(&self, activity: Option<Id>) -> Result<RetentionQueue> {
        if let Some(a) = activity {
            self.activity(a)?;
        }
        compute_due(self.conn(), self.clock().today(), activity)
    }

    /// The erasure of a subject that is waiting for kept records (Art. 17(3)), as it
    /// stands today; `None` when there is none.
    pub fn pending_erasure(&self, subject_id: Id) -> Result<Option<PendingErasure>> {
        // Every person's page asks: only this person's receipt is read.
        match super::erasure::pending_receipt(self.conn(), subject_id)? {
            Some(r) => pending_as_of(self.conn(), r, self.clock().today()),
            None => Ok(None),
        }
    }

    /// Finishes what erasures that kept records can finish today: every kept record no
    /// legal obligation or hold requires any more is erased, and a person left with
    /// none is erased completely and the receipt completed. One transaction; the
    /// journal gets the completed receipts.
    pub fn finish_erasures(&mut self, note: &str) -> Result<Vec<ErasureSummary>> {
        let why = if note.trim().is_empty() {
            "retention: the time the law requires these records to be kept is up".to_string()
        } else {
            format!(
                "retention: the time the law requires these records to be kept is up; {}",
                note.trim()
            )
        };
        let done = self.write(|tx, ctx| {
            let mut done = Vec::new();
            for p in pending_erasures(tx, ctx.today)? {
                if !p.ready() {
                    continue;
                }
                let receipt =
                    super::erasure::pending_receipt(tx, p.subject_id)?.ok_or_else(|| {
                        Error::Corrupt("a waiting erasure without its receipt".into())
                    })?;
                done.push(finish_in(tx, ctx, receipt, &why)?);
            }
            Ok(done)
        })?;
        let mut done = done;
        if !done.is_empty() {
            self.checkpoint()?;
            let receipts: Vec<_> = done.iter().map(|e| e.receipt.clone()).collect();
            let journaled = self.journal_receipts(&receipts);
            for e in &mut done {
                e.journaled = journaled;
            }
        }
        Ok(done)
    }

    /// Erases or anonymises due records in one transaction, each audited with the rule
    /// that made it due (and `note`, when given). See the module documentation.
    pub fn apply_retention(
        &mut self,
        selection: &Selection,
        action: RetentionAction,
        note: &str,
    ) -> Result<RetentionOutcome> {
        if let Selection::Activity(a) = selection {
            self.activity(*a)?;
        }
        if let Selection::Records(ids) = selection {
            if ids.is_empty() {
                return Err(InputError::invalid("records", "choose at least one record").into());
            }
        }
        let register_id = self.id().to_string();
        let outcome = self.write(|tx, ctx| {
            let only = match selection {
                Selection::Activity(a) => Some(*a),
                Selection::Records(_) => None,
            };
            let queue = compute_due(tx, ctx.today, only)?;
            let mut chosen: Vec<(&str, &DueItem)> = Vec::new();
            let mut skipped = 0;
            match selection {
                Selection::Activity(_) => {
                    for g in &queue.groups {
                        for i in &g.items {
                            if i.blocked.is_some() {
                                skipped += 1;
                            } else {
                                chosen.push((&g.activity, i));
                            }
                        }
                    }
                }
                Selection::Records(ids) => {
                    let wanted: HashSet<Id> = ids.iter().copied().collect();
                    let mut found = HashSet::new();
                    for g in &queue.groups {
                        for i in g.items.iter().filter(|i| wanted.contains(&i.record_id)) {
                            match i.blocked {
                                Some(Blocker::Restricted) => {
                                    return Err(Error::Restricted { id: i.subject_id })
                                }
                                Some(Blocker::SubjectHold { .. }) => {
                                    return Err(Error::OnHold {
                                        entity: "subject",
                                        id: i.subject_id,
                                    })
                                }
                                Some(Blocker::ActivityHold { .. }) => {
                                    return Err(Error::OnHold {
                                        entity: "activity",
                                        id: g.activity_id,
                                    })
                                }
                                None => {}
                            }
                            found.insert(i.record_id);
                            chosen.push((&g.activity, i));
                        }
                    }
                    if let Some(missing) = ids.iter().find(|id| !found.contains(id)) {
                        return Err(InputError::invalid(
                            "records",
                            format!("record {missing} is not due for deletion"),
                        )
                        .into());
                    }
                }
            }
            let mut subjects: Vec<Id> = Vec::new();
            let mut refs: HashMap<Id, Vec<super::changes::RecordRef>> = HashMap::new();
            for (activity, item) in &chosen {
                let reason = rule_reason(activity, item, note);
                refs.entry(item.subject_id)
                    .or_default()
                    .push(super::changes::record_ref(
                        tx,
                        ctx.register,
                        item.record_id,
                    )?);
                match action {
                    RetentionAction::Erase => {
                        super::subjects::delete_record_row(tx, item.record_id)?;
                        ctx.audit(
                            tx,
                            NewEvent::new("record.deleted", "record", Some(item.record_id))
                                .subject(item.subject_id)
                                .fields(&["value"])
                                .reason(&reason),
                        )?;
                    }
                    RetentionAction::Anonymise => {
                        super::subjects::set_record_value(
                            tx,
                            item.record_id,
                            ANONYMISED,
                            Some(""),
                            &ctx.now,
                        )?;
                        ctx.audit(
                            tx,
                            NewEvent::new("record.anonymised", "record", Some(item.record_id))
                                .subject(item.subject_id)
                                .fields(&["value", "source"])
                                .reason(&reason),
                        )?;
                    }
                }
                if !subjects.contains(&item.subject_id) {
                    subjects.push(item.subject_id);
                }
            }
            let mut erased_subjects = Vec::new();
            let mut anonymised_subjects = Vec::new();
            let why = if note.trim().is_empty() {
                "retention: every record past its retention period".to_string()
            } else {
                format!(
                    "retention: every record past its retention period; {}",
                    note.trim()
                )
            };
            for sid in subjects {
                // Journaled first: the person may be erased or anonymised below.
                let records = refs.remove(&sid).unwrap_or_default();
                super::changes::record(
                    tx,
                    ctx,
                    sid,
                    ErasureTrigger::Retention,
                    &match action {
                        RetentionAction::Erase => {
                            super::changes::JournalChange::RecordsDeleted { records }
                        }
                        RetentionAction::Anonymise => {
                            super::changes::JournalChange::RecordsAnonymised { records }
                        }
                    },
                )?;
                match action {
                    RetentionAction::Erase => {
                        let left: i64 = tx.query_row(
                            "SELECT count(*) FROM records WHERE subject_id = ?1",
                            [sid],
                            |r| r.get(0),
                        )?;
                        if left == 0 {
                            erased_subjects.push(erase_in(
                                tx,
                                ctx,
                                &register_id,
                                sid,
                                &Cause::new(ErasureTrigger::Retention, &why),
                            )?);
                        } else {
                            reindex(tx, sid)?;
                        }
                    }
                    RetentionAction::Anonymise => {
                        if anonymise_subject_if_bare(tx, ctx, sid, &why)? {
                            anonymised_subjects.push(sid);
                        } else {
                            reindex(tx, sid)?;
                        }
                    }
                }
            }
            Ok(RetentionOutcome {
                action,
                records: chosen.len(),
                skipped,
                erased_subjects,
                anonymised_subjects,
            })
        })?;
        let mut outcome = outcome;
        self.checkpoint()?;
        let receipts: Vec<_> = outcome
            .erased_subjects
            .iter()
            .map(|e| e.receipt.clone())
            .collect();
        if !receipts.is_empty() {
            let journaled = self.journal_receipts(&receipts);
            for e in &mut outcome.erased_subjects {
                e.journaled = journaled;
            }
        }
        Ok(outcome)
    }
}
