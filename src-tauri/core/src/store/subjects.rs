//! Data subjects, their records (the personal data itself), and their consent and
//! objection events. Every change re-indexes the subject for search and writes an
//! audit event naming the fields, never their values.

use std::fmt;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::erasure::ErasureTrigger;
use super::notify::NotifyCause;
use super::processors::time;
use super::search::{reindex, NewRows};
use super::suppression::{self, SuppressionReason};
use super::{audit::NewEvent, Register};
use crate::error::{Error, InputError, Result};
use crate::model::{
    normalise_email, ConsentEvent, ConsentKind, Id, NewConsentEvent, NewRecord, Record, Redacted,
    Subject, SubjectFields,
};

/// A line of the subject list.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectSummary {
    pub id: Id,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub records: i64,
    pub restricted: bool,
    pub marketing_objection: bool,
}

impl fmt::Debug for SubjectSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubjectSummary")
            .field("id", &self.id)
            .field("name", &Redacted(&self.name))
            .field("records", &self.records)
            .finish_non_exhaustive()
    }
}

pub(crate) const SUMMARY_COLUMNS: &str =
    "s.id, s.name, s.email, s.phone, s.record_count, s.restricted, s.marketing_objection";

pub(crate) fn summary_row(r: &rusqlite::Row) -> rusqlite::Result<SubjectSummary> {
    Ok(SubjectSummary {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        phone: r.get(3)?,
        records: r.get(4)?,
        restricted: r.get(5)?,
        marketing_objection: r.get(6)?,
    })
}

crate::closed_list! {
    /// The order of the subject list.
    #[derive(Default)]
    pub enum SubjectSort("sort") {
        #[default]
        Name = "name",
        Email = "email",
        Created = "created",
        Updated = "updated",
    }
}

/// A page of the subject list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubjectPage {
    pub total: i64,
    pub offset: i64,
    pub items: Vec<SubjectSummary>,
}

/// Everything the register holds about one subject.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubjectView {
    pub subject: Subject,
    pub records: Vec<Record>,
    pub consents: Vec<ConsentEvent>,
}

fn subject_from_row(r: &rusqlite::Row) -> rusqlite::Result<(Subject, String, String)> {
    Ok((
        Subject {
            id: r.get(0)?,
            fields: SubjectFields {
                name: r.get(1)?,
                email: r.get(2)?,
                phone: r.get(3)?,
            },
            restricted: r.get(4)?,
            marketing_objection: r.get(5)?,
            created_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
            updated_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
        },
        r.get(6)?,
        r.get(7)?,
    ))
}

pub(crate) fn load_subject(conn: &Connection, id: Id) -> Result<Subject> {
    let (mut s, c, u) = conn
        .query_row(
            "SELECT id, name, email, phone, restricted, marketing_objection, created_at, updated_at FROM subjects WHERE id = ?1",
            [id],
            subject_from_row,
        )
        .optional()?
        .ok_or(Error::NotFound { entity: "subject", id })?;
    s.created_at = time(&c)?;
    s.updated_at = time(&u)?;
    Ok(s)
}

const RECORD_COLUMNS: &str =
    "id, subject_id, activity_id, category, value, source, collected_on, created_at, updated_at";

fn record_row(r: &rusqlite::Row) -> rusqlite::Result<RecordRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

pub(crate) fn load_record(conn: &Connection, id: Id) -> Result<Record> {
    let row = conn
        .query_row(
            &format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = ?1"),
            [id],
            record_row,
        )
        .optional()?
        .ok_or(Error::NotFound {
            entity: "record",
            id,
        })?;
    record_from(row)
}

type RecordRow = (Id, Id, Id, String, String, String, String, String, String);

fn record_from(
    (id, subject_id, activity_id, category, value, source, collected, c, u): RecordRow,
) -> Result<Record> {
    Ok(Record {
        id,
        subject_id,
        activity_id,
        category,
        value,
        source,
        collected_on: NaiveDate::parse_from_str(&collected, "%Y-%m-%d")
            .map_err(|_| Error::Corrupt("a stored date is not YYYY-MM-DD".into()))?,
        created_at: time(&c)?,
        updated_at: time(&u)?,
    })
}

/// The activity's own spelling of the record's category, or an error naming it.
fn checked_category(activity: &crate::model::Activity, rec: &NewRecord) -> Result<String> {
    activity
        .category(&rec.category)
        .map(|c| c.name.clone())
        .ok_or_else(|| {
            InputError::invalid(
                "category",
                format!(
                    "\"{}\" is not a data category of this activity",
                    rec.category.trim()
                ),
            )
            .into()
        })
}

fn insert_record(
    tx: &Connection,
    subject_id: Id,
    rec: &NewRecord,
    category: &str,
    now: &str,
    today: NaiveDate,
) -> Result<Id> {
    let collected = rec.collected_on.unwrap_or(today).to_string();
    insert_record_row(
        tx,
        subject_id,
        &RecordRowIn {
            activity_id: rec.activity_id,
            category,
            value: rec.value.trim(),
            source: rec.source.trim(),
            collected_on: &collected,
        },
        now,
    )
}

// Writing the `records` table: from this module only, as for `subjects`.

/// A record's row as written (checked and trimmed by the caller).
pub(crate) struct RecordRowIn<'a> {
    pub activity_id: Id,
    pub category: &'a str,
    pub value: &'a str,
    pub source: &'a str,
    /// `YYYY-MM-DD`.
    pub collected_on: &'a str,
}

/// Inserts a record's row; its id.
pub(crate) fn insert_record_row(
    tx: &Connection,
    subject_id: Id,
    r: &RecordRowIn,
    now: &str,
) -> Result<Id> {
    tx.prepare_cached(
        "INSERT INTO records (subject_id, activity_id, category, value, source, collected_on, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![subject_id, r.activity_id, r.category, r.value, r.source, r.collected_on, now])?;
    Ok(tx.last_insert_rowid())
}

/// Replaces a record's value (rectification, anonymisation); `source` too when given.
pub(crate) fn set_record_value(
    tx: &Connection,
    id: Id,
    value: &str,
    source: Option<&str>,
    now: &str,
) -> Result<()> {
    match source {
        Some(source) => tx.execute(
            "UPDATE records SET value = ?1, source = ?2, updated_at = ?3 WHERE id = ?4",
            params![value, source, now, id],
        )?,
        None => tx.execute(
            "UPDATE records SET value = ?1, updated_at = ?2 WHERE id = ?3",
            params![value, now, id],
        )?,
    };
    Ok(())
}

/// Deletes a record's row.
pub(crate) fn delete_record_row(tx: &Connection, id: Id) -> Result<()> {
    tx.execute("DELETE FROM records WHERE id = ?1", [id])?;
    Ok(())
}

// Writing the `subjects` table. Every module that changes a subject's row calls one of
// these, so the table is written from this module only (a tidy check keeps it so); the
// search row and the audit event stay with the caller, which knows why.

/// Inserts a subject's row (the fields already checked and normalised); its id.
pub(crate) fn insert_subject_row(tx: &Connection, f: &SubjectFields, now: &str) -> Result<Id> {
    tx.prepare_cached(
        "INSERT INTO subjects (name, email, email_norm, phone, phone_norm, created_at, updated_at, seal_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, lower(hex(randomblob(32))))",
    )?
    .execute(params![
        f.name,
        f.email,
        normalise_email(&f.email),
        f.phone,
        normalise_phone(&f.phone),
        now
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Replaces a subject's name, e-mail and phone (rectification, anonymisation).
pub(crate) fn set_subject_fields(
    tx: &Connection,
    id: Id,
    f: &SubjectFields,
    now: &str,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE subjects SET name = ?1, email = ?2, email_norm = ?3, phone = ?4, phone_norm = ?5, updated_at = ?6 WHERE id = ?7",
    )?
    .execute(params![
        f.name,
        f.email,
        normalise_email(&f.email),
        f.phone,
        normalise_phone(&f.phone),
        now,
        id
    ])?;
    Ok(())
}

/// The phone number as it is matched (`subjects.phone_norm`): its digits as
/// [`phone_key`](crate::transfer::csv_import::phone_key) reads them, or empty.
pub(crate) fn normalise_phone(phone: &str) -> String {
    crate::transfer::csv_import::phone_key(phone).unwrap_or_default()
}

/// Marks a subject changed (its records were).
pub(crate) fn touch_subject(tx: &Connection, id: Id, now: &str) -> Result<()> {
    tx.prepare_cached("UPDATE subjects SET updated_at = ?1 WHERE id = ?2")?
        .execute(params![now, id])?;
    Ok(())
}

/// The flags on a subject's row that the rights set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubjectFlag {
    /// Art. 18: processing restricted.
    Restricted,
    /// Art. 21(2)-(3): objected to direct marketing.
    MarketingObjection,
}

/// Sets or clears one of a subject's flags.
pub(crate) fn set_subject_flag(
    tx: &Connection,
    id: Id,
    flag: SubjectFlag,
    on: bool,
    now: &str,
) -> Result<()> {
    let sql = match flag {
        SubjectFlag::Restricted => {
            "UPDATE subjects SET restricted = ?1, updated_at = ?2 WHERE id = ?3"
        }
        SubjectFlag::MarketingObjection => {
            "UPDATE subjects SET marketing_objection = ?1, updated_at = ?2 WHERE id = ?3"
        }
    };
    tx.prepare_cached(sql)?.execute(params![on, now, id])?;
    Ok(())
}

/// Gives a subject the key its journaled corrections are sealed with (store/changes.rs).
pub(crate) fn set_seal_key(tx: &Connection, id: Id, hex: &str) -> Result<()> {
    tx.prepare_cached("UPDATE subjects SET seal_key = ?1 WHERE id = ?2")?
        .execute(params![hex, id])?;
    Ok(())
}

/// Gives every record of `from` to `to` (two records of one person merged, see
/// store/merge.rs) and sets both people's record counts again: the count triggers
/// follow inserts and deletes only. Returns how many records moved.
pub(crate) fn move_records(tx: &Connection, from: Id, to: Id) -> Result<usize> {
    let moved = tx
        .prepare_cached("UPDATE records SET subject_id = ?1 WHERE subject_id = ?2")?
        .execute(params![to, from])?;
    tx.prepare_cached(
        "UPDATE subjects SET record_count = (SELECT count(*) FROM records r WHERE r.subject_id = subjects.id)
         WHERE id IN (?1, ?2)",
    )?
    .execute(params![to, from])?;
    Ok(moved)
}

/// Deletes a subject's row (erasure: the records and search row go first).
pub(crate) fn delete_subject_row(tx: &Connection, id: Id) -> Result<()> {
    tx.execute("DELETE FROM subjects WHERE id = ?1", [id])?;
    Ok(())
}

/// Derives every subject's normalised e-mail and phone number again (a register made
/// from an export, which carries neither: they are derived data).
pub(crate) fn renormalise_emails(tx: &Connection) -> Result<()> {
    let subjects: Vec<(Id, String, String)> = tx
        .prepare("SELECT id, email, phone FROM subjects ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, email, phone) in &subjects {
        tx.prepare_cached("UPDATE subjects SET email_norm = ?1, phone_norm = ?2 WHERE id = ?3")?
            .execute(params![normalise_email(email), normalise_phone(phone), id])?;
    }
    Ok(())
}

pub(crate) fn require_reason(reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(InputError::invalid("reason", "say why the data is changed").into());
    }
    Ok(())
}

pub(crate) fn refuse_if_restricted(s: &Subject) -> Result<()> {
    if s.restricted {
        return Err(Error::Restricted { id: s.id });
    }
    Ok(())
}

/// Rectifies a subject inside the caller's transaction; `f` is already normalised.
/// Returns the names of the fields that changed (none: nothing is written).
pub(crate) fn rectify_subject_in(
    tx: &Connection,
    ctx: &super::Ctx,
    id: Id,
    f: &SubjectFields,
    reason: &str,
) -> Result<Vec<&'static str>> {
    require_reason(reason)?;
    // Correcting the data is allowed while processing is restricted: the restriction of
    // Art. 18(1)(a) lasts while the accuracy is checked, and putting it right is the
    // point. The audit event says that it was done under the restriction.
    let before = load_subject(tx, id)?;
    let mut changed: Vec<&'static str> = [
        ("name", before.fields.name != f.name),
        ("email", before.fields.email != f.email),
        ("phone", before.fields.phone != f.phone),
    ]
    .iter()
    .filter(|(_, c)| *c)
    .map(|(k, _)| *k)
    .collect();
    if changed.is_empty() {
        return Ok(changed);
    }
    if before.restricted {
        changed.push("while_restricted");
    }
    set_subject_fields(tx, id, f, &ctx.now)?;
    reindex(tx, id)?;
    if !ctx.replaying.get() {
        let change = super::changes::rectified_subject(tx, ctx.register, id, f)?;
        super::changes::record(tx, ctx, id, ErasureTrigger::Manual, &change)?;
    }
    ctx.audit(
        tx,
        NewEvent::new("subject.rectified", "subject", Some(id))
            .subject(id)
            .fields(&changed)
            .reason(reason.trim()),
    )?;
    Ok(changed)
}

/// Rectifies one record's value inside the caller's transaction. Returns whether it
/// changed.
pub(crate) fn rectify_record_in(
    tx: &Connection,
    ctx: &super::Ctx,
    record_id: Id,
    value: &str,
    reason: &str,
) -> Result<bool> {
    require_reason(reason)?;
    if value.trim().is_empty() {
        return Err(InputError::invalid("value", "required").into());
    }
    let before = load_record(tx, record_id)?;
    // Allowed while restricted, as for the subject's own fields (Art. 18(1)(a)).
    let restricted = load_subject(tx, before.subject_id)?.restricted;
    if before.value == value.trim() {
        return Ok(false);
    }
    set_record_value(tx, record_id, value.trim(), None, &ctx.now)?;
    reindex(tx, before.subject_id)?;
    if !ctx.replaying.get() {
        let change = super::changes::rectified_record(
            tx,
            ctx.register,
            before.subject_id,
            record_id,
            value.trim(),
        )?;
        super::changes::record(tx, ctx, before.subject_id, ErasureTrigger::Manual, &change)?;
    }
    ctx.audit(
        tx,
        NewEvent::new("record.rectified", "record", Some(record_id))
            .subject(before.subject_id)
            .fields(if restricted {
                &["value", "while_restricted"]
            } else {
                &["value"]
            })
            .reason(reason.trim()),
    )?;
    Ok(true)
}

impl Register {
    pub fn add_subject(&mut self, fields: &SubjectFields) -> Result<Subject> {
        let id = self.add_subjects(std::slice::from_ref(&(fields.clone(), Vec::new())))?[0];
        self.subject(id)
    }

    /// Adds many subjects, each with its records, in one transaction: all or nothing.
    /// Each subject and record gets its audit event. Returns the new subject ids.
    ///
    /// A person on the suppression list (see [`super::suppression`]) who was erased at
    /// their request is refused with [`Error::Suppressed`]; one who objected to direct
    /// marketing is added with the objection carried over.
    pub fn add_subjects(&mut self, batch: &[(SubjectFields, Vec<NewRecord>)]) -> Result<Vec<Id>> {
        self.add_batch(batch, None)
    }

    /// Adds a person the suppression list refuses, because the manager says why (a new,
    /// documented consent, say): the reason is audited and the person's entry lifted.
    pub fn add_subject_overriding_suppression(
        &mut self,
        fields: &SubjectFields,
        records: Vec<NewRecord>,
        reason: &str,
    ) -> Result<Id> {
        require_reason(reason)?;
        Ok(self.add_batch(&[(fields.clone(), records)], Some(reason.trim()))?[0])
    }

    fn add_batch(
        &mut self,
        batch: &[(SubjectFields, Vec<NewRecord>)],
        overriding: Option<&str>,
    ) -> Result<Vec<Id>> {
        let mut prepared = Vec::with_capacity(batch.len());
        let mut activities = std::collections::HashMap::new();
        for (fields, recs) in batch {
            let f = fields.normalised()?;
            let mut cats = Vec::with_capacity(recs.len());
            for rec in recs {
                rec.validate()?;
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    activities.entry(rec.activity_id)
                {
                    slot.insert(self.activity(rec.activity_id)?.activity);
                }
                cats.push(checked_category(&activities[&rec.activity_id], rec)?);
            }
            prepared.push((f, recs, cats));
        }
        self.write(|tx, ctx| {
            let mut ids = Vec::with_capacity(prepared.len());
            let mut rows = NewRows::with_capacity(prepared.len());
            let listed = suppression::any(tx)?;
            for (f, recs, cats) in &prepared {
                let found = match listed {
                    true => suppression::find(tx, ctx.suppression, &f.email, &f.phone)?,
                    false => None,
                };
                let carried = match found {
                    Some(s) if s.reason == SuppressionReason::Erased => match overriding {
                        None => return Err(Error::Suppressed(s)),
                        Some(reason) => {
                            suppression::lift(tx, ctx, &f.email, &f.phone)?;
                            ctx.audit(
                                tx,
                                NewEvent::new("suppression.overridden", "register", None)
                                    .reason(reason),
                            )?;
                            false
                        }
                    },
                    Some(_) => true,
                    None => false,
                };
                let id = insert_subject_row(tx, f, &ctx.now)?;
                if carried {
                    // Art. 21(3): they objected to direct marketing before.
                    set_subject_flag(tx, id, SubjectFlag::MarketingObjection, true, &ctx.now)?;
                }
                for (rec, cat) in recs.iter().zip(cats) {
                    insert_record(tx, id, rec, cat, &ctx.now, ctx.today)?;
                }
                // One event for the subject and the records it came with (a batch import
                // would otherwise write four events a person).
                let records = format!("records:{}", recs.len());
                let present: Vec<&str> =
                    [("name", &f.name), ("email", &f.email), ("phone", &f.phone)]
                        .iter()
                        .filter(|(_, v)| !v.is_empty())
                        .map(|(k, _)| *k)
                        .chain((!recs.is_empty()).then_some(records.as_str()))
                        .chain(carried.then_some("marketing_objection"))
                        .collect();
                ctx.audit(
                    tx,
                    NewEvent::new("subject.created", "subject", Some(id))
                        .subject(id)
                        .fields(&present),
                )?;
                // A new subject: its search row is built here rather than read back,
                // and written after the batch's other rows (see `NewRows`).
                rows.add(id, f, recs.iter().map(|r| r.value.as_str()));
                ids.push(id);
            }
            rows.write(tx, |_| Ok(()))?;
            Ok(ids)
        })
    }

    /// Rectification (Art. 16): changes the subject's fields. The audit event names the
    /// fields that changed and the reason, not the old or new values.
    pub fn update_subject(
        &mut self,
        id: Id,
        fields: &SubjectFields,
        reason: &str,
    ) -> Result<Subject> {
        let f = fields.normalised()?;
        require_reason(reason)?;
        self.write(|tx, ctx| {
            if !rectify_subject_in(tx, ctx, id, &f, reason)?.is_empty() {
                // Art. 19: the recipients are told of the rectification.
                super::notify::create_in(tx, ctx, id, NotifyCause::Rectification, None)?;
            }
            Ok(())
        })?;
        self.subject(id)
    }

    /// The subject, without recording a view (for internal use and lists).
    pub fn subject(&self, id: Id) -> Result<Subject> {
        load_subject(self.conn(), id)
    }

    /// Everything held about a subject; the view is recorded in the audit log (in the
    /// side log while the register is read-only, see `store/side_log.rs`).
    pub fn view_subject(&mut self, id: Id) -> Result<SubjectView> {
        let view = self.subject_data(id)?;
        self.audit_read(NewEvent::new("subject.viewed", "subject", Some(id)).subject(id))?;
        Ok(view)
    }

    /// Everything held about a subject, without recording a view: for showing the
    /// result of a change the person just made.
    pub fn subject_data(&self, id: Id) -> Result<SubjectView> {
        Ok(SubjectView {
            subject: self.subject(id)?,
            records: self.records_of(id)?,
            consents: self.consents_of(id)?,
        })
    }

    pub fn records_of(&self, subject_id: Id) -> Result<Vec<Record>> {
        let mut st = self.conn().prepare(&format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE subject_id = ?1 ORDER BY activity_id, id"
        ))?;
        let rows = st
            .query_map([subject_id], record_row)?
            .collect::<rusqlite::Result<Vec<RecordRow>>>()?;
        rows.into_iter().map(record_from).collect()
    }

    pub fn consents_of(&self, subject_id: Id) -> Result<Vec<ConsentEvent>> {
        let mut st = self.conn().prepare(
            "SELECT id, subject_id, activity_id, purpose, kind, method, at FROM consent_events WHERE subject_id = ?1 ORDER BY at, id",
        )?;
        let rows = st
            .query_map([subject_id], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, Id>(1)?,
                    r.get::<_, Id>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, subject_id, activity_id, purpose, kind, method, at)| {
                Ok(ConsentEvent {
                    id,
                    subject_id,
                    activity_id,
                    purpose,
                    kind: ConsentKind::parse(&kind)
                        .ok_or_else(|| Error::Corrupt("unknown consent kind".into()))?,
                    method,
                    at: time(&at)?,
                })
            })
            .collect()
    }

    /// A page of subjects in the chosen order.
    pub fn list_subjects(
        &self,
        offset: i64,
        limit: i64,
        sort: SubjectSort,
        descending: bool,
    ) -> Result<SubjectPage> {
        let total = self.row_count(super::overview::Counting::Subjects)?;
        let order = match sort {
            SubjectSort::Name => "s.name COLLATE NOCASE",
            SubjectSort::Email => "s.email_norm",
            SubjectSort::Created => "s.created_at",
            SubjectSort::Updated => "s.updated_at",
        };
        let dir = if descending { "DESC" } else { "ASC" };
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM subjects s ORDER BY {order} {dir}, s.id {dir} LIMIT ?1 OFFSET ?2");
        let mut st = self.conn().prepare(&sql)?;
        let items = st
            .query_map(params![limit.clamp(0, 10_000), offset.max(0)], summary_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(SubjectPage {
            total,
            offset,
            items,
        })
    }

    /// Subjects with this e-mail address (compared trimmed and without case).
    pub fn subjects_by_email(&self, email: &str) -> Result<Vec<Id>> {
        let mut st = self
            .conn()
            .prepare("SELECT id FROM subjects WHERE email_norm = ?1 ORDER BY id")?;
        let ids = st
            .query_map([normalise_email(email)], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<Id>>>()?;
        Ok(ids)
    }

    /// Adds a piece of personal data for an activity. The category must be one of the
    /// activity's data categories.
    pub fn add_record(&mut self, subject_id: Id, rec: &NewRecord) -> Result<Record> {
        let id = self.add_records(subject_id, std::slice::from_ref(rec))?[0];
        load_record(self.conn(), id)
    }

    /// Adds several records for one subject in one transaction; returns their ids.
    pub fn add_records(&mut self, subject_id: Id, recs: &[NewRecord]) -> Result<Vec<Id>> {
        let subject = self.subject(subject_id)?;
        refuse_if_restricted(&subject)?;
        let mut prepared = Vec::with_capacity(recs.len());
        for rec in recs {
            rec.validate()?;
            let activity = self.activity(rec.activity_id)?;
            prepared.push((rec, checked_category(&activity.activity, rec)?));
        }
        self.write(|tx, ctx| {
            let mut ids = Vec::new();
            for (rec, category) in &prepared {
                let id = insert_record(tx, subject_id, rec, category, &ctx.now, ctx.today)?;
                ctx.audit(
                    tx,
                    NewEvent::new("record.created", "record", Some(id))
                        .subject(subject_id)
                        .fields(&["value"]),
                )?;
                ids.push(id);
            }
            touch_subject(tx, subject_id, &ctx.now)?;
            reindex(tx, subject_id)?;
            Ok(ids)
        })
    }

    /// Rectification of one record's value.
    pub fn update_record(&mut self, record_id: Id, value: &str, reason: &str) -> Result<Record> {
        require_reason(reason)?;
        if value.trim().is_empty() {
            return Err(InputError::invalid("value", "required").into());
        }
        let subject_id = load_record(self.conn(), record_id)?.subject_id;
        self.write(|tx, ctx| {
            if rectify_record_in(tx, ctx, record_id, value, reason)? {
                // Art. 19: the recipients are told of the rectification.
                super::notify::create_in(tx, ctx, subject_id, NotifyCause::Rectification, None)?;
            }
            Ok(())
        })?;
        load_record(self.conn(), record_id)
    }

    pub fn record(&self, id: Id) -> Result<Record> {
        load_record(self.conn(), id)
    }

    /// Deletes one record.
    pub fn delete_record(&mut self, record_id: Id, reason: &str) -> Result<()> {
        require_reason(reason)?;
        let before = load_record(self.conn(), record_id)?;
        // What stops the retention rules stops a deletion by hand: a restriction
        // (Art. 18(2): only storage) and a legal hold on the person or the activity.
        refuse_if_restricted(&self.subject(before.subject_id)?)?;
        self.write(|tx, ctx| {
            super::erasure::refuse_if_held_for(
                tx,
                before.subject_id,
                Some(before.activity_id),
                &ctx.today.to_string(),
            )?;
            let gone = super::changes::record_ref(tx, ctx.register, record_id)?;
            delete_record_row(tx, record_id)?;
            reindex(tx, before.subject_id)?;
            super::changes::record(
                tx,
                ctx,
                before.subject_id,
                ErasureTrigger::Manual,
                &super::changes::JournalChange::RecordsDeleted {
                    records: vec![gone],
                },
            )?;
            ctx.audit(
                tx,
                NewEvent::new("record.deleted", "record", Some(record_id))
                    .subject(before.subject_id)
                    .fields(&["value"])
                    .reason(reason.trim()),
            )
        })?;
        self.checkpoint()
    }

    /// Records a consent, its withdrawal, or an objection. An objection to an activity
    /// marked as direct marketing suppresses the subject from marketing for good.
    pub fn add_consent_event(
        &mut self,
        subject_id: Id,
        ev: &NewConsentEvent,
    ) -> Result<ConsentEvent> {
        self.subject(subject_id)?;
        let activity = self.activity(ev.activity_id)?;
        if ev.purpose.trim().is_empty() {
            return Err(InputError::invalid("purpose", "required").into());
        }
        let marketing = ev.kind == ConsentKind::Objection && activity.activity.direct_marketing;
        // Art. 21(1): an objection to other processing restricts it while the manager
        // assesses it (Art. 18(1)(d)); `decide_objection` records the outcome.
        let assess = ev.kind == ConsentKind::Objection && !activity.activity.direct_marketing;
        let id = self.write(|tx, ctx| {
            let at = ev.at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)).unwrap_or_else(|| ctx.now.clone());
            tx.execute(
                "INSERT INTO consent_events (subject_id, activity_id, purpose, kind, method, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![subject_id, ev.activity_id, ev.purpose.trim(), ev.kind, ev.method.trim(), at],
            )?;
            let id = tx.last_insert_rowid();
            if marketing {
                set_subject_flag(tx, subject_id, SubjectFlag::MarketingObjection, true, &ctx.now)?;
            }
            if assess
                && super::requests::rights::restrict_in(
                    tx,
                    ctx,
                    subject_id,
                    "Art. 21(1) objection: processing restricted while it is assessed (Art. 18(1)(d))",
                )?
            {
                // Art. 19: the recipients are told of the restriction.
                super::notify::create_in(tx, ctx, subject_id, NotifyCause::Restriction, None)?;
            }
            if ev.kind == ConsentKind::ConsentWithdrawn {
                // Unsubscribing starts the "unsubscribed" retention clock of the
                // activity, unless a date was set already.
                let on = ev.at.map(|t| t.date_naive()).unwrap_or(ctx.today).to_string();
                tx.execute(
                    "INSERT OR IGNORE INTO retention_dates (subject_id, activity_id, trigger, on_date) VALUES (?1, ?2, 'unsubscribed', ?3)",
                    params![subject_id, ev.activity_id, on],
                )?;
            }
            let action = match ev.kind {
                ConsentKind::ConsentGiven => "consent.given",
                ConsentKind::ConsentWithdrawn => "consent.withdrawn",
                ConsentKind::Objection => "objection.recorded",
            };
            ctx.audit(tx, NewEvent::new(action, "consent_event", Some(id)).subject(subject_id))?;
            Ok(id)
        })?;
        Ok(self
            .consents_of(subject_id)?
            .into_iter()
            .find(|c| c.id == id)
            .expect("just inserted"))
    }
}
