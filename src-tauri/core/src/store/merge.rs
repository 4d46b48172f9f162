//! Two records of one person: finding them, and merging them into one.
//!
//! **Duplicates.** A person whose normalised e-mail address (`subjects.email_norm`:
//! trimmed, lower case) or telephone number (`subjects.phone_norm`: its digits as
//! [`phone_key`](crate::transfer::csv_import::phone_key) reads them, so "+47 912 34
//! 567", "0047 91234567" and "91234567" are one number) is already registered is a
//! possible duplicate: [`Register::possible_duplicates`] finds them before a person is
//! added, [`Register::duplicate_pairs`] lists every pair in the register.
//!
//! **Merging** ([`Register::merge_subjects`]) keeps one person (`keep`) and moves
//! everything about the other to them, in one transaction with its audit events:
//! records, consent and objection events, requests, legal holds (released ones too, as
//! history), the dates retention rules count from, decisions on objections, Art. 19
//! tasks, and links to breaches. Then the other person's row and search row go, as an
//! erasure removes a row (the person's sealing key goes with it, `secure_delete` zeroes
//! the freed pages and the write-ahead log is checkpointed after the commit). It is not
//! an erasure: nothing goes on the suppression list, no receipt of an erasure is made,
//! and no recipient is told (Art. 19 concerns rectification, erasure and restriction;
//! no data is removed from the processing).
//!
//! What a user expects of the two names, e-mail addresses and phone numbers: the kept
//! person's stay as they are (correcting them is a rectification, with its reason). A
//! field the kept person lacks is taken from the other. A value of the other's that
//! differs is kept in the records when one of the two people's records holds it
//! already (the demo and most imports record the e-mail in an "E-mail address"
//! record); otherwise it becomes a record in the first of the other's activities, or
//! else of the kept person's, that has a data category for it (its source and
//! collection date from that activity's records); a value nothing can hold goes with
//! the row. [`Register::merge_preview`] says which of
//! these happens to each field before anything is changed.
//!
//! Refused (checked again in the transaction): the same person twice, a person who
//! does not exist, either person restricted (Art. 18(2): restricted data is only
//! stored; merging moves and removes it), and the other person under a legal hold
//! (Art. 17(3)(e): data kept for legal claims stays as it is until the hold is
//! released; the merge removes the other's row). A hold on the kept person does not
//! stop it: their row stays, and their data only grows.
//!
//! **History.** Audit events are never rewritten. Each person gets a `subject.merged`
//! event naming the other's id and the counts moved; the kept person's history then
//! shows the events of everyone merged into them (found through those events), and an
//! erasure of the kept person wipes the free text of those events too.
//!
//! **Copies.** The merge is kept for the receipts journal (`store/changes.rs`) as a
//! change that names the other person and the kept one by id and tag: a copy made
//! before the merge (a backup opened later) merges the two again when it is opened,
//! and when the kept person was erased meanwhile, the copy erases the other too, so an
//! older copy never brings back a person erased after the merge.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::audit::NewEvent;
use super::processors::time;
use super::subjects::{
    insert_record_row, load_subject, move_records, normalise_phone, require_reason,
    set_subject_fields, set_subject_flag, summary_row, touch_subject, RecordRowIn, SubjectFlag,
    SubjectSummary, SUMMARY_COLUMNS,
};
use super::{Ctx, Register};
use crate::error::{Error, InputError, Result};
use crate::model::{normalise_email, Activity, Id, Subject, SubjectFields};

/// A person already registered with the same e-mail address or phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateMatch {
    pub subject_id: Id,
    /// The normalised e-mail address is the same.
    pub by_email: bool,
    /// The phone number is the same (compared as `phone_key` reads it).
    pub by_phone: bool,
    /// The person as the subject list shows them.
    pub summary: SubjectSummary,
}

/// Two people in the register with the same e-mail address or phone number; `first`
/// is the one registered first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicatePair {
    pub first: Id,
    pub second: Id,
    pub by_email: bool,
    pub by_phone: bool,
}

/// What a merge moves from the other person to the kept one. Counts only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeCounts {
    pub records: i64,
    pub consent_events: i64,
    pub requests: i64,
    /// Legal holds on the person, released ones included.
    pub legal_holds: i64,
    pub retention_dates: i64,
    pub objection_decisions: i64,
    /// Art. 19 tasks (an open task the kept person already has for the same recipient
    /// and cause is not kept twice).
    pub notifications: i64,
    pub breaches: i64,
    /// Audit events about the other person, shown in the kept person's history from now.
    pub audit_events: i64,
}

crate::closed_list! {
    /// What a merge does with the other person's name, e-mail address or phone number.
    pub enum FieldOutcome("merge field outcome") {
        /// Nothing to keep: empty, or the same as the kept person's.
        Same = "same",
        /// The kept person had none: the other's is taken.
        Filled = "filled",
        /// It differs, and one of the two people's records holds it already.
        InRecords = "in_records",
        /// It differs, and is kept as a new record (see `activity_id`, `category`).
        AddedAsRecord = "added_as_record",
        /// It differs and nothing can hold it: it goes with the other's row.
        Dropped = "dropped",
    }
}

/// What happens to one of the other person's fields. No values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldFate {
    /// `name`, `email` or `phone`.
    pub field: &'static str,
    pub outcome: FieldOutcome,
    /// For [`FieldOutcome::AddedAsRecord`]: the activity and the data category.
    pub activity_id: Option<Id>,
    pub category: Option<String>,
}

/// What a merge will do, shown before it is confirmed.
#[derive(Debug, Clone, Serialize)]
pub struct MergePreview {
    pub keep: SubjectSummary,
    pub other: SubjectSummary,
    pub moves: MergeCounts,
    pub fields: Vec<FieldFate>,
}

/// What a merge did: ids, counts, when and why. No personal data but the reason the
/// manager gave (which is in the audit events too).
#[derive(Debug, Clone, Serialize)]
pub struct MergeReceipt {
    /// The person kept.
    pub kept: Id,
    /// The person merged into them, whose row is gone.
    pub merged: Id,
    pub merged_at: DateTime<Utc>,
    pub reason: String,
    pub moved: MergeCounts,
    pub fields: Vec<FieldFate>,
}

/// The data categories that hold an e-mail address, a phone number or a name, by the
/// words of their names (the templates' "E-mail address" / "E-postadresse", "Phone
/// number" / "Telefonnummer", "Name" / "Navn", and what people call them).
const EMAIL_WORDS: &[&str] = &["e-mail", "email", "e-post", "epost"];
const PHONE_WORDS: &[&str] = &["phone", "telefon", "mobil"];
const NAME_WORDS: &[&str] = &["name", "navn"];

fn name_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn summary_of(conn: &Connection, id: Id) -> Result<SubjectSummary> {
    conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM subjects s WHERE s.id = ?1"
    ))?
    .query_row([id], summary_row)
    .optional()?
    .ok_or(Error::NotFound {
        entity: "subject",
        id,
    })
}

fn count(conn: &Connection, sql: &str, id: Id) -> Result<i64> {
    Ok(conn.prepare_cached(sql)?.query_row([id], |r| r.get(0))?)
}

/// What would move from `other`.
fn counts(conn: &Connection, other: Id) -> Result<MergeCounts> {
    Ok(MergeCounts {
        records: count(
            conn,
            "SELECT count(*) FROM records WHERE subject_id = ?1",
            other,
        )?,
        consent_events: count(
            conn,
            "SELECT count(*) FROM consent_events WHERE subject_id = ?1",
            other,
        )?,
        requests: count(
            conn,
            "SELECT count(*) FROM requests WHERE subject_id = ?1",
            other,
        )?,
        legal_holds: count(
            conn,
            "SELECT count(*) FROM legal_holds WHERE subject_id = ?1",
            other,
        )?,
        retention_dates: count(
            conn,
            "SELECT count(*) FROM retention_dates WHERE subject_id = ?1",
            other,
        )?,
        objection_decisions: count(
            conn,
            "SELECT count(*) FROM objection_decisions WHERE subject_id = ?1",
            other,
        )?,
        notifications: count(
            conn,
            "SELECT count(*) FROM notifications WHERE subject_id = ?1",
            other,
        )?,
        breaches: count(
            conn,
            "SELECT count(*) FROM breach_subjects WHERE subject_id = ?1",
            other,
        )?,
        audit_events: count(
            conn,
            "SELECT count(*) FROM audit_events WHERE subject_id = ?1",
            other,
        )?,
    })
}

/// The checks of a merge (see the module documentation); the two people.
fn check(conn: &Connection, keep: Id, other: Id, today: &str) -> Result<(Subject, Subject)> {
    let (k, o) = the_two(conn, keep, other)?;
    // Art. 18(2): restricted data is only stored, and a merge is more than storage.
    for s in [&k, &o] {
        super::subjects::refuse_if_restricted(s)?;
    }
    // Art. 17(3)(e): what a hold keeps for a legal claim stays as it is; the merge
    // removes the other's row.
    super::erasure::refuse_if_held_for(conn, other, None, today)?;
    Ok((k, o))
}

/// The two people of a merge, who must be two.
fn the_two(conn: &Connection, keep: Id, other: Id) -> Result<(Subject, Subject)> {
    if keep == other {
        return Err(InputError::invalid("other", "choose two different people").into());
    }
    Ok((load_subject(conn, keep)?, load_subject(conn, other)?))
}

/// One of the two people's records, as a merge reads it.
struct OtherRecord {
    activity_id: Id,
    value: String,
    source: String,
    collected_on: String,
}

/// A record the merge adds to the kept person to hold one of the other's values.
struct AddedRecord {
    activity_id: Id,
    category: String,
    value: String,
    source: String,
    collected_on: String,
}

/// The records of a person, in activity order.
fn records_of(conn: &Connection, id: Id) -> Result<Vec<OtherRecord>> {
    Ok(conn
        .prepare_cached(
            "SELECT activity_id, value, source, collected_on FROM records WHERE subject_id = ?1 ORDER BY activity_id, id",
        )?
        .query_map([id], |r| {
            Ok(OtherRecord {
                activity_id: r.get(0)?,
                value: r.get(1)?,
                source: r.get(2)?,
                collected_on: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// One of the person's fields as a merge compares it: its name, the other's value, the
/// kept one's value, how it is matched, and the data category words it may be kept as.
type FieldCase<'a> = (
    &'static str,
    &'a str,
    &'a str,
    fn(&str) -> String,
    &'a [&'a str],
);
/// What happens to each of the other's fields, and the records that keep them. A new
/// record goes to the first of the other's activities with a category for it, or else
/// of the kept person's.
fn fates(
    conn: &Connection,
    keep_id: Id,
    keep: &SubjectFields,
    other: Id,
    theirs: &SubjectFields,
) -> Result<(Vec<FieldFate>, Vec<AddedRecord>)> {
    let mut records = records_of(conn, other)?;
    records.extend(records_of(conn, keep_id)?);
    let mut activities: Vec<(Id, Activity)> = Vec::new();
    for r in &records {
        if activities.iter().any(|(id, _)| *id == r.activity_id) {
            continue;
        }
        let body: String = conn
            .prepare_cached("SELECT body FROM activities WHERE id = ?1")?
            .query_row([r.activity_id], |row| row.get(0))?;
        activities.push((r.activity_id, serde_json::from_str(&body)?));
    }
    let fields: [FieldCase; 3] = [
        ("name", &theirs.name, &keep.name, name_key, NAME_WORDS),
        (
            "email",
            &theirs.email,
            &keep.email,
            normalise_email,
            EMAIL_WORDS,
        ),
        (
            "phone",
            &theirs.phone,
            &keep.phone,
            normalise_phone,
            PHONE_WORDS,
        ),
    ];
    let mut out = Vec::new();
    let mut added = Vec::new();
    for (field, value, kept, key, words) in fields {
        let mut fate = FieldFate {
            field,
            outcome: FieldOutcome::Same,
            activity_id: None,
            category: None,
        };
        let theirs_key = key(value);
        if theirs_key.is_empty() || theirs_key == key(kept) {
            // Nothing to keep.
        } else if key(kept).is_empty() {
            fate.outcome = FieldOutcome::Filled;
        } else if records.iter().any(|r| key(&r.value) == theirs_key) {
            fate.outcome = FieldOutcome::InRecords;
        } else {
            let place = activities.iter().find_map(|(id, a)| {
                a.data_categories
                    .iter()
                    .find(|c| {
                        let name = c.name.to_lowercase();
                        words.iter().any(|w| name.contains(w))
                    })
                    .map(|c| (*id, c.name.clone()))
            });
            match place {
                Some((activity_id, category)) => {
                    let like = records
                        .iter()
                        .find(|r| r.activity_id == activity_id)
                        .expect("the activity is one of the records'");
                    fate.outcome = FieldOutcome::AddedAsRecord;
                    fate.activity_id = Some(activity_id);
                    fate.category = Some(category.clone());
                    added.push(AddedRecord {
                        activity_id,
                        category,
                        value: value.trim().to_string(),
                        source: like.source.clone(),
                        collected_on: like.collected_on.clone(),
                    });
                }
                None => fate.outcome = FieldOutcome::Dropped,
            }
        }
        out.push(fate);
    }
    Ok((out, added))
}

/// The ids of the people merged into `id`, and into them, and so on (from the
/// `subject.merged` events, which name them as `merged_from:ID`).
pub(crate) fn merged_into(conn: &Connection, id: Id) -> Result<Vec<Id>> {
    let mut st = conn.prepare_cached(
        "SELECT fields FROM audit_events WHERE subject_id = ?1 AND action = 'subject.merged'",
    )?;
    let mut out: Vec<Id> = Vec::new();
    let mut todo = vec![id];
    while let Some(next) = todo.pop() {
        let rows = st
            .query_map([next], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for fields in rows {
            let fields: Vec<String> = serde_json::from_str(&fields)?;
            for f in fields {
                let Some(from) = f
                    .strip_prefix("merged_from:")
                    .and_then(|n| n.parse::<Id>().ok())
                else {
                    continue;
                };
                if from != id && !out.contains(&from) {
                    out.push(from);
                    todo.push(from);
                }
            }
        }
    }
    Ok(out)
}

/// Merges `other` into `keep` inside the caller's transaction (see the module
/// documentation). `checked`: refuse what [`check`] refuses; a merge re-applied from the
/// journal on an older copy is done as it was done where it was made.
pub(crate) fn merge_in(
    tx: &Connection,
    ctx: &Ctx,
    keep: Id,
    other: Id,
    reason: &str,
    checked: bool,
) -> Result<MergeReceipt> {
    require_reason(reason)?;
    let (k, o) = if checked {
        check(tx, keep, other, &ctx.today.to_string())?
    } else {
        the_two(tx, keep, other)?
    };
    let moved = counts(tx, other)?;
    let (fields, added) = fates(tx, keep, &k.fields, other, &o.fields)?;

    // For the journal, while the other person's row (and so their tag) is still here.
    let into_tag = super::erasure::current_tag(tx, ctx.register, keep)?.ok_or(Error::NotFound {
        entity: "subject",
        id: keep,
    })?;
    super::changes::record(
        tx,
        ctx,
        other,
        super::erasure::ErasureTrigger::Manual,
        &super::changes::JournalChange::SubjectMerged {
            into: keep,
            into_tag,
        },
    )?;

    // The kept person's fields: theirs, with what they lacked taken from the other.
    let mut f = k.fields.clone();
    if f.email.trim().is_empty() {
        f.email = o.fields.email.clone();
    }
    if f.phone.trim().is_empty() {
        f.phone = o.fields.phone.clone();
    }
    if f != k.fields {
        set_subject_fields(tx, keep, &f, &ctx.now)?;
    }

    move_records(tx, other, keep)?;
    for a in &added {
        insert_record_row(
            tx,
            keep,
            &RecordRowIn {
                activity_id: a.activity_id,
                category: &a.category,
                value: &a.value,
                source: &a.source,
                collected_on: &a.collected_on,
            },
            &ctx.now,
        )?;
    }
    tx.execute(
        "UPDATE consent_events SET subject_id = ?1 WHERE subject_id = ?2",
        params![keep, other],
    )?;
    tx.execute(
        "UPDATE requests SET subject_id = ?1, updated_at = ?3 WHERE subject_id = ?2",
        params![keep, other, ctx.now],
    )?;
    tx.execute(
        "UPDATE legal_holds SET subject_id = ?1 WHERE subject_id = ?2",
        params![keep, other],
    )?;
    // A date both have for the same activity and trigger: the later one (the last
    // contact, the relationship's last end, the last unsubscribe).
    tx.execute(
        "INSERT INTO retention_dates (subject_id, activity_id, trigger, on_date)
         SELECT ?1, activity_id, trigger, on_date FROM retention_dates WHERE subject_id = ?2
         ON CONFLICT (subject_id, activity_id, trigger) DO UPDATE SET on_date = max(on_date, excluded.on_date)",
        params![keep, other],
    )?;
    tx.execute(
        "UPDATE objection_decisions SET subject_id = ?1 WHERE subject_id = ?2",
        params![keep, other],
    )?;
    // Art. 19: one open task per recipient and cause covers both records of the person.
    tx.execute(
        "DELETE FROM notifications WHERE subject_id = ?2 AND status = 'open' AND EXISTS (
             SELECT 1 FROM notifications n WHERE n.subject_id = ?1 AND n.status = 'open'
             AND n.cause = notifications.cause AND n.recipient_kind = notifications.recipient_kind
             AND n.recipient = notifications.recipient)",
        params![keep, other],
    )?;
    tx.execute(
        "UPDATE notifications SET subject_id = ?1, updated_at = ?3 WHERE subject_id = ?2",
        params![keep, other, ctx.now],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO breach_subjects (breach_id, subject_id)
         SELECT breach_id, ?1 FROM breach_subjects WHERE subject_id = ?2",
        params![keep, other],
    )?;
    move_breach_selections(tx, keep, other)?;
    if o.marketing_objection && !k.marketing_objection {
        // Art. 21(3): an objection to direct marketing is final, for the person.
        set_subject_flag(tx, keep, SubjectFlag::MarketingObjection, true, &ctx.now)?;
    }
    touch_subject(tx, keep, &ctx.now)?;
    super::search::reindex(tx, keep)?;
    super::search::unindex(tx, other)?;
    // What is left of the other (their own copies of rows the kept person had already)
    // goes with the row through the foreign keys.
    super::subjects::delete_subject_row(tx, other)?;

    let counted = [
        format!("records:{}", moved.records),
        format!("consent_events:{}", moved.consent_events),
        format!("requests:{}", moved.requests),
        format!("legal_holds:{}", moved.legal_holds),
        format!("retention_dates:{}", moved.retention_dates),
        format!("objection_decisions:{}", moved.objection_decisions),
        format!("notifications:{}", moved.notifications),
        format!("breaches:{}", moved.breaches),
        format!("audit_events:{}", moved.audit_events),
    ];
    let outcomes: Vec<String> = fields
        .iter()
        .map(|f| format!("{}:{}", f.field, f.outcome.code()))
        .collect();
    let from = format!("merged_from:{other}");
    let into = format!("merged_into:{keep}");
    let on_keep: Vec<&str> = std::iter::once(from.as_str())
        .chain(counted.iter().map(String::as_str))
        .chain(outcomes.iter().map(String::as_str))
        .collect();
    let on_other: Vec<&str> = std::iter::once(into.as_str())
        .chain(counted.iter().map(String::as_str))
        .collect();
    ctx.audit(
        tx,
        NewEvent::new("subject.merged", "subject", Some(other))
            .subject(other)
            .fields(&on_other)
            .reason(reason.trim()),
    )?;
    ctx.audit(
        tx,
        NewEvent::new("subject.merged", "subject", Some(keep))
            .subject(keep)
            .fields(&on_keep)
            .reason(reason.trim()),
    )?;
    Ok(MergeReceipt {
        kept: keep,
        merged: other,
        merged_at: time(&ctx.now)?,
        reason: reason.trim().to_string(),
        moved,
        fields,
    })
}

/// A breach's saved choice of people names the kept person where it named the other.
fn move_breach_selections(tx: &Connection, keep: Id, other: Id) -> Result<()> {
    let rows: Vec<(Id, String)> = tx
        .prepare_cached("SELECT id, selection FROM breaches WHERE selection IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, text) in rows {
        let mut sel: super::breaches::AffectedSelection = serde_json::from_str(&text)?;
        if !sel.subject_ids.contains(&other) {
            continue;
        }
        sel.subject_ids.retain(|s| *s != other);
        if !sel.subject_ids.contains(&keep) {
            sel.subject_ids.push(keep);
        }
        tx.execute(
            "UPDATE breaches SET selection = ?1 WHERE id = ?2",
            params![serde_json::to_string(&sel)?, id],
        )?;
    }
    Ok(())
}

impl Register {
    /// The people already registered with the normalised e-mail address or phone
    /// number of `fields` (the name is not compared: two people may share one), first
    /// registered first. Nothing is written; empty when neither is given.
    pub fn possible_duplicates(&self, fields: &SubjectFields) -> Result<Vec<DuplicateMatch>> {
        let email = normalise_email(&fields.email);
        let phone = normalise_phone(&fields.phone);
        let mut out: Vec<DuplicateMatch> = Vec::new();
        // Each with the index's own condition, so the partial index is used.
        let lookups = [
            (
                email,
                format!("SELECT {SUMMARY_COLUMNS} FROM subjects s WHERE s.email_norm = ?1 AND s.email_norm <> '' ORDER BY s.id LIMIT 50"),
                true,
            ),
            (
                phone,
                format!("SELECT {SUMMARY_COLUMNS} FROM subjects s WHERE s.phone_norm = ?1 AND s.phone_norm <> '' ORDER BY s.id LIMIT 50"),
                false,
            ),
        ];
        for (key, sql, by_email) in lookups {
            if key.is_empty() {
                continue;
            }
            let found = self
                .conn()
                .prepare_cached(&sql)?
                .query_map([&key], summary_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for s in found {
                if let Some(m) = out.iter_mut().find(|m| m.subject_id == s.id) {
                    if by_email {
                        m.by_email = true;
                    } else {
                        m.by_phone = true;
                    }
                    continue;
                }
                out.push(DuplicateMatch {
                    subject_id: s.id,
                    by_email,
                    by_phone: !by_email,
                    summary: s,
                });
            }
        }
        out.sort_by_key(|m| m.subject_id);
        Ok(out)
    }

    /// Every pair of people registered with the same normalised e-mail address or
    /// phone number: for each address or number, the first registered with each of the
    /// others. By the first's id, then the second's.
    pub fn duplicate_pairs(&self) -> Result<Vec<DuplicatePair>> {
        let mut pairs: std::collections::BTreeMap<(Id, Id), (bool, bool)> = Default::default();
        for (column, by_email) in [("email_norm", true), ("phone_norm", false)] {
            let groups: Vec<String> = self
                .conn()
                .prepare(&format!(
                    "SELECT group_concat(id) FROM (SELECT id, {column} AS k FROM subjects
                     WHERE {column} <> '' ORDER BY id) GROUP BY k HAVING count(*) > 1"
                ))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for group in groups {
                let mut ids: Vec<Id> = group.split(',').filter_map(|s| s.parse().ok()).collect();
                ids.sort_unstable();
                let Some((&first, rest)) = ids.split_first() else {
                    continue;
                };
                for &second in rest {
                    let slot = pairs.entry((first, second)).or_default();
                    if by_email {
                        slot.0 = true;
                    } else {
                        slot.1 = true;
                    }
                }
            }
        }
        Ok(pairs
            .into_iter()
            .map(|((first, second), (by_email, by_phone))| DuplicatePair {
                first,
                second,
                by_email,
                by_phone,
            })
            .collect())
    }

    /// What merging `other` into `keep` would move and do to the other's fields, after
    /// the same checks as [`Register::merge_subjects`]. Nothing is written.
    pub fn merge_preview(&self, keep: Id, other: Id) -> Result<MergePreview> {
        let today = self.clock().today().to_string();
        let (k, o) = check(self.conn(), keep, other, &today)?;
        let (fields, _) = fates(self.conn(), keep, &k.fields, other, &o.fields)?;
        Ok(MergePreview {
            keep: summary_of(self.conn(), keep)?,
            other: summary_of(self.conn(), other)?,
            moves: counts(self.conn(), other)?,
            fields,
        })
    }

    /// Merges two records of one person: everything about `other` moves to `keep`,
    /// and `other`'s row goes (see the module documentation for what moves, what
    /// happens to a differing name, e-mail or phone, and what is refused). One
    /// transaction with a `subject.merged` audit event on each of the two.
    pub fn merge_subjects(&mut self, keep: Id, other: Id, reason: &str) -> Result<MergeReceipt> {
        require_reason(reason)?;
        let receipt = self.write(|tx, ctx| merge_in(tx, ctx, keep, other, reason, true))?;
        // The other's row and search row leave no copy in the write-ahead log.
        self.checkpoint()?;
        Ok(receipt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::model::{
        CategoryGroup, ConsentKind, DataCategory, NewConsentEvent, NewRecord, RetentionTrigger,
    };
    use crate::store::notify::NotifyCause;
    use crate::store::requests::{NewRequest, RequestKind};
    use crate::store::retention::HoldTarget;
    use crate::AuditFilter;

    struct Fx {
        _dir: tempfile::TempDir,
        reg: Register,
        act: Id,
    }

    fn fx() -> Fx {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(FixedClock::at("2026-03-02T09:00:00Z"));
        let mut reg = Register::create_unencrypted(&dir.path().join("r"), clock).unwrap();
        let act = reg
            .add_activity(&Activity {
                name: "Courses".into(),
                purposes: vec!["Courses".into()],
                data_categories: vec![
                    DataCategory::new("Name", CategoryGroup::Identity),
                    DataCategory::new("E-mail address", CategoryGroup::Identity),
                    DataCategory::new("Course", CategoryGroup::Other),
                ],
                recipients: vec!["The course provider".into()],
                ..Default::default()
            })
            .unwrap()
            .id;
        Fx {
            _dir: dir,
            reg,
            act,
        }
    }

    fn person(name: &str, email: &str, phone: &str) -> SubjectFields {
        SubjectFields {
            name: name.into(),
            email: email.into(),
            phone: phone.into(),
        }
    }

    fn record(act: Id, category: &str, value: &str) -> NewRecord {
        NewRecord {
            activity_id: act,
            category: category.into(),
            value: value.into(),
            source: "sign-up form".into(),
            collected_on: None,
        }
    }

    #[test]
    fn a_person_with_the_same_email_or_phone_in_another_format_is_a_possible_duplicate() {
        let mut f = fx();
        let kari = f
            .reg
            .add_subject(&person(
                "Kari Nordmann",
                "Kari@Example.no",
                "+47 912 34 567",
            ))
            .unwrap()
            .id;
        let ola = f
            .reg
            .add_subject(&person("Ola Nordmann", "ola@example.no", ""))
            .unwrap()
            .id;
        let by_email = f
            .reg
            .possible_duplicates(&person("K. Nordmann", " kari@example.NO ", ""))
            .unwrap();
        assert_eq!(by_email.len(), 1);
        assert_eq!(
            (
                by_email[0].subject_id,
                by_email[0].by_email,
                by_email[0].by_phone
            ),
            (kari, true, false)
        );
        assert_eq!(by_email[0].summary.name, "Kari Nordmann");
        let by_phone = f
            .reg
            .possible_duplicates(&person("Kari N.", "", "91234567"))
            .unwrap();
        assert_eq!(
            by_phone
                .iter()
                .map(|m| (m.subject_id, m.by_email, m.by_phone))
                .collect::<Vec<_>>(),
            [(kari, false, true)]
        );
        let both = f
            .reg
            .possible_duplicates(&person("x", "ola@example.no", "0047 912 34 567"))
            .unwrap();
        assert_eq!(
            both.iter()
                .map(|m| (m.subject_id, m.by_email, m.by_phone))
                .collect::<Vec<_>>(),
            [(kari, false, true), (ola, true, false)]
        );
        assert!(f
            .reg
            .possible_duplicates(&person(
                "Kari Nordmann",
                "kari2@example.no",
                "+47 912 34 568"
            ))
            .unwrap()
            .is_empty());
        assert!(f
            .reg
            .possible_duplicates(&person("Kari Nordmann", "", ""))
            .unwrap()
            .is_empty());
        let pairs = f.reg.duplicate_pairs().unwrap();
        assert!(pairs.is_empty(), "{pairs:?}");
        let again = f
            .reg
            .add_subject(&person("Kari N.", "kari.n@example.no", "912 34 567"))
            .unwrap()
            .id;
        assert_eq!(
            f.reg.duplicate_pairs().unwrap(),
            [DuplicatePair {
                first: kari,
                second: again,
                by_email: false,
                by_phone: true
            }]
        );
    }

    #[test]
    fn a_merge_moves_everything_and_leaves_no_trace_of_the_other_persons_row() {
        let mut f = fx();
        let act = f.act;
        let keep = f
            .reg
            .add_subjects(&[(
                person("Ingrid Solheim", "ingrid@example.no", ""),
                vec![record(act, "Course", "GDPR basics")],
            )])
            .unwrap()[0];
        let other = f
            .reg
            .add_subjects(&[(
                person(
                    "Ingrid M. Solheimsvik",
                    "solheimsvik@firma.example.no",
                    "+47 415 55 210",
                ),
                vec![record(act, "Course", "Risk analysis, spring")],
            )])
            .unwrap()[0];
        let purpose = "Courses".to_string();
        for kind in [ConsentKind::ConsentGiven, ConsentKind::ConsentWithdrawn] {
            f.reg
                .add_consent_event(
                    other,
                    &NewConsentEvent {
                        activity_id: act,
                        purpose: purpose.clone(),
                        kind,
                        method: "form".into(),
                        at: None,
                    },
                )
                .unwrap();
        }
        let request = f
            .reg
            .add_request(&NewRequest {
                kind: RequestKind::Access,
                subject_id: Some(other),
                requester: Default::default(),
                received_on: None,
                channel: Default::default(),
                notes: String::new(),
            })
            .unwrap()
            .id;
        // A hold on the kept person does not stop the merge; a released one on the
        // other moves as history.
        f.reg
            .add_hold(HoldTarget::Subject(keep), "dispute", None)
            .unwrap();
        let released = f
            .reg
            .add_hold(HoldTarget::Subject(other), "old dispute", None)
            .unwrap()
            .id;
        f.reg.release_hold(released, "settled").unwrap();
        f.reg
            .set_retention_date(
                other,
                act,
                RetentionTrigger::LastContact,
                Some(chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()),
            )
            .unwrap();
        // An Art. 19 task, from a rectification of the other.
        f.reg
            .update_subject(
                other,
                &person(
                    "Ingrid M. Solheim",
                    "solheimsvik@firma.example.no",
                    "+47 415 55 210",
                ),
                "spelling",
            )
            .unwrap();
        assert_eq!(f.reg.notifications_for(other).unwrap().len(), 1);

        let preview = f.reg.merge_preview(keep, other).unwrap();
        assert_eq!(preview.moves.records, 1);
        assert_eq!(preview.moves.consent_events, 2);
        assert_eq!(preview.moves.requests, 1);
        let fate = |fields: &[FieldFate], name: &str| {
            fields.iter().find(|x| x.field == name).unwrap().outcome
        };
        assert_eq!(
            fate(&preview.fields[..], "name"),
            FieldOutcome::AddedAsRecord
        );
        assert_eq!(
            fate(&preview.fields[..], "email"),
            FieldOutcome::AddedAsRecord
        );
        assert_eq!(fate(&preview.fields[..], "phone"), FieldOutcome::Filled);
        // The preview wrote nothing.
        assert!(f.reg.subject(other).is_ok());

        let receipt = f
            .reg
            .merge_subjects(keep, other, "the same person, registered twice")
            .unwrap();
        assert_eq!((receipt.kept, receipt.merged), (keep, other));
        assert_eq!(receipt.moved, preview.moves);
        assert!(matches!(f.reg.subject(other), Err(Error::NotFound { .. })));
        let kept = f.reg.subject(keep).unwrap();
        assert_eq!(kept.fields.name, "Ingrid Solheim");
        assert_eq!(kept.fields.email, "ingrid@example.no");
        assert_eq!(kept.fields.phone, "+47 415 55 210", "the phone she lacked");
        let values: Vec<String> = f
            .reg
            .records_of(keep)
            .unwrap()
            .into_iter()
            .map(|r| r.value)
            .collect();
        for v in [
            "GDPR basics",
            "Risk analysis, spring",
            "Ingrid M. Solheim",
            "solheimsvik@firma.example.no",
        ] {
            assert!(values.iter().any(|x| x == v), "{v} in {values:?}");
        }
        let page = f
            .reg
            .list_subjects(0, 10, Default::default(), false)
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(
            page.items[0].records, 4,
            "the record count follows the records"
        );
        assert_eq!(f.reg.consents_of(keep).unwrap().len(), 2);
        assert_eq!(f.reg.request(request).unwrap().subject_id, Some(keep));
        assert_eq!(f.reg.holds(true).unwrap().len(), 2);
        assert!(f
            .reg
            .holds(true)
            .unwrap()
            .iter()
            .all(|h| h.target == HoldTarget::Subject(keep)));
        // The withdrawal's "unsubscribed" date and the last contact.
        assert_eq!(f.reg.retention_dates(keep).unwrap().len(), 2);
        let tasks = f.reg.notifications_for(keep).unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].cause, NotifyCause::Rectification);
        assert!(f.reg.notifications_for(other).unwrap().is_empty());
        // Found by the other's old values only through the records that hold them.
        assert!(f.reg.search("Solheimsvik", 10).unwrap()[0].id == keep);
        assert!(f.reg.search("415 55", 10).unwrap()[0].id == keep);
        // No row of the other is left anywhere.
        for table in [
            "subjects WHERE id",
            "records WHERE subject_id",
            "consent_events WHERE subject_id",
            "retention_dates WHERE subject_id",
            "legal_holds WHERE subject_id",
            "requests WHERE subject_id",
            "notifications WHERE subject_id",
            "breach_subjects WHERE subject_id",
            "objection_decisions WHERE subject_id",
        ] {
            let n: i64 = f
                .reg
                .conn()
                .query_row(
                    &format!("SELECT count(*) FROM {table} = ?1"),
                    [other],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 0, "{table}");
        }
        let indexed: i64 = f
            .reg
            .conn()
            .query_row(
                "SELECT count(*) FROM subject_search WHERE rowid = ?1",
                [other],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexed, 0);
        // The history: both events, the other's events shown with the kept person.
        let history = f.reg.audit_log(AuditFilter::Subject(keep), 100).unwrap();
        assert_eq!(history[0].action, "subject.merged");
        assert!(history[0].fields.contains(&format!("merged_from:{other}")));
        assert!(history[0].fields.contains(&"records:1".to_string()));
        assert!(history
            .iter()
            .any(|e| e.subject_id == Some(other) && e.action == "subject.rectified"));
        assert!(history
            .iter()
            .any(|e| e.subject_id == Some(other) && e.action == "subject.merged"));
        assert!(f.reg.verify_audit().unwrap().first_broken.is_none());
        // Not an erasure: no suppression entry, so the other may be added again.
        f.reg
            .add_subject(&person(
                "Ingrid M. Solheim",
                "solheimsvik@firma.example.no",
                "",
            ))
            .unwrap();
    }

    #[test]
    fn erasing_the_kept_person_wipes_the_text_of_the_merged_persons_events() {
        let mut f = fx();
        let keep = f
            .reg
            .add_subject(&person("Per Hansen", "per@example.no", ""))
            .unwrap()
            .id;
        let other = f
            .reg
            .add_subject(&person("Per Hanssen", "per@example.no", ""))
            .unwrap()
            .id;
        f.reg
            .update_subject(
                other,
                &person("Per Hansen", "per@example.no", ""),
                "Per Hanssen wrote",
            )
            .unwrap();
        f.reg
            .merge_subjects(keep, other, "Per Hanssen is Per Hansen")
            .unwrap();
        f.reg.erase_subject(keep, "asked by e-mail").unwrap();
        let texts: i64 = f
            .reg
            .conn()
            .query_row(
                "SELECT count(*) FROM audit_events WHERE subject_id = ?1 AND reason <> ''",
                [other],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(texts, 0, "the merged person's reasons named them");
        assert!(f.reg.verify_audit().unwrap().first_broken.is_none());
    }

    #[test]
    fn a_merge_is_refused_for_one_person_a_missing_one_a_restricted_one_and_a_held_one() {
        let mut f = fx();
        let a = f
            .reg
            .add_subject(&person("Liv Berg", "liv@example.no", ""))
            .unwrap()
            .id;
        let b = f
            .reg
            .add_subject(&person("Liv Bergh", "liv@example.no", ""))
            .unwrap()
            .id;
        let events = |reg: &Register| reg.audit_log(AuditFilter::All, 10_000).unwrap().len();
        let kind = |r: Result<MergeReceipt>| r.unwrap_err().kind();
        let before = events(&f.reg);
        assert_eq!(kind(f.reg.merge_subjects(a, a, "same")), "input.invalid");
        assert_eq!(kind(f.reg.merge_subjects(a, 9999, "missing")), "not_found");
        assert_eq!(kind(f.reg.merge_subjects(9999, b, "missing")), "not_found");
        assert_eq!(kind(f.reg.merge_subjects(a, b, "  ")), "input.invalid");
        assert_eq!(events(&f.reg), before, "a refused merge writes nothing");
        // Art. 18(2): either restricted.
        f.reg.restrict_subject(b, "accuracy contested").unwrap();
        let before = events(&f.reg);
        assert_eq!(
            kind(f.reg.merge_subjects(a, b, "dup")),
            "subject.restricted"
        );
        assert_eq!(
            kind(f.reg.merge_subjects(b, a, "dup")),
            "subject.restricted"
        );
        assert_eq!(
            f.reg.merge_preview(a, b).unwrap_err().kind(),
            "subject.restricted"
        );
        assert_eq!(events(&f.reg), before, "a refused merge writes nothing");
        let today = f.reg.clock().today();
        f.reg.lift_restriction(b, "checked", Some(today)).unwrap();
        // Art. 17(3)(e): the other under a legal hold.
        let hold = f
            .reg
            .add_hold(HoldTarget::Subject(b), "legal claim", None)
            .unwrap();
        assert_eq!(kind(f.reg.merge_subjects(a, b, "dup")), "retention.on_hold");
        assert!(f.reg.subject(a).is_ok() && f.reg.subject(b).is_ok());
        f.reg.release_hold(hold.id, "settled").unwrap();
        f.reg.merge_subjects(a, b, "dup").unwrap();
        assert_eq!(f.reg.subject(b).unwrap_err().kind(), "not_found");
    }
}
