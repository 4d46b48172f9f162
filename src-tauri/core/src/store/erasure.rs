//! Complete erasure (Art. 17) and what remains of it: an [`ErasureReceipt`] without
//! personal data, and the recipients to tell (Art. 19).
//!
//! Erasure deletes the subject row and, through foreign keys, every record, consent
//! event, retention date and hold; removes the search row (FTS5 `secure-delete`);
//! wipes the requester's own words (name, e-mail, phone, notes, the file name of what
//! was sent) from the subject's requests; and then checkpoints the write-ahead log with
//! `TRUNCATE`. `PRAGMA secure_delete` zeroes the freed cells and pages, so no copy stays
//! in the file, its `-wal` or its `-shm` (see the byte test in `tests/erasure.rs`).
//!
//! Where receipts live, so that a restore cannot bring an erased subject back:
//! - in the register (`erasure_receipts`), for the subject's history and reports;
//! - in an append-only journal, `erasure-receipts.jsonl`, in the backup folder. Each
//!   line holds only ids, times and counts (no reason text, no names). It is appended
//!   after every erasure once the register knows its backup folder, and brought up to
//!   date by every backup. A restore reads it and erases again every subject the
//!   backup still holds that a later receipt names (see [`super::backup`]).

use std::fs::{self, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::audit::NewEvent;
use super::processors::time;
use super::search::unindex;
use super::suppression::{self, SuppressionReason};
use super::{Ctx, Register};
use crate::error::{Error, InputError, Result};
use crate::model::{Id, Period, RetentionTrigger};
use crate::secret::RawKey;

/// The journal's file name in the backup folder.
pub const JOURNAL_FILE: &str = "erasure-receipts.jsonl";

crate::closed_list! {
    /// Why a subject was erased.
    pub enum ErasureTrigger("erasure trigger") {
        /// By hand (the subject page, `privreg erase`).
        Manual = "manual",
        /// Completing an erasure request.
        Request = "request",
        /// The retention queue.
        Retention = "retention",
        /// Re-applied from the receipts journal after a restore.
        Journal = "journal",
    }
}

impl ErasureTrigger {
    fn stored(s: &str) -> Result<Self> {
        ErasureTrigger::parse(s).ok_or_else(|| Error::Corrupt("unknown erasure trigger".into()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityCount {
    pub activity_id: Id,
    pub activity: String,
    pub records: i64,
}

/// Why an erasure kept a record (Art. 17(3)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum KeptBecause {
    /// Art. 17(3)(b): the activity's legal basis is a legal obligation (Art. 6(1)(c))
    /// and its retention rule for the category has not run out (`period` `None`: the
    /// rule says "until further notice").
    LegalObligation {
        trigger: RetentionTrigger,
        period: Option<Period>,
    },
    /// Art. 17(3)(e): a legal hold (a legal claim) covers the record.
    Hold { hold_id: Id },
}

/// A record an erasure kept, restricted, and the first day it may go (`None`: while a
/// hold without an end lasts, or a rule "until further notice"). No personal data: the
/// record's id, its activity and category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptRecord {
    pub record_id: Id,
    pub activity_id: Id,
    pub activity: String,
    pub category: String,
    pub because: KeptBecause,
    pub may_go_on: Option<NaiveDate>,
}

/// What remains of an erased subject: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureReceipt {
    /// A random id (UUID v4).
    pub id: String,
    pub erased_at: DateTime<Utc>,
    /// The register's internal id of the erased subject (it names no one now).
    pub subject_id: Id,
    pub trigger: ErasureTrigger,
    /// Why, as the operator gave it.
    pub reason: String,
    /// The request it answered, if any: the register's id and the public id.
    pub request_id: Option<Id>,
    pub request_ref: Option<String>,
    pub records: i64,
    pub consent_events: i64,
    pub per_activity: Vec<ActivityCount>,
    /// Processors and recipients that must be told (Art. 19).
    pub notify: Vec<String>,
    /// The records kept because a legal obligation or a legal hold requires them
    /// (Art. 17(3)(b), (e)), as the erasure found them; empty when nothing was kept.
    #[serde(default)]
    pub kept: Vec<KeptRecord>,
    /// When the erasure was complete: at once when nothing was kept, else when the
    /// retention engine erased the last kept record. `None` while records are kept.
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
}

impl ErasureReceipt {
    /// Whether the person's data is all gone.
    pub fn is_complete(&self) -> bool {
        self.completed_at.is_some()
    }
}

/// What an erasure removed. Counts and ids only.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErasureSummary {
    pub subject_id: Id,
    pub records: i64,
    pub consent_events: i64,
    /// (activity id, activity name, records removed)
    pub per_activity: Vec<(Id, String, i64)>,
    /// Processors and recipients of the affected activities, who must be told (Art. 19).
    pub notify: Vec<String>,
    /// The records kept, restricted, until a legal obligation or hold allows them to go
    /// (the same as `receipt.kept` when the erasure began; what is left when finishing).
    pub kept: Vec<KeptRecord>,
    pub receipt: ErasureReceipt,
    /// Whether the receipt also reached the journal in the backup folder (false when
    /// no backup folder is set yet; the next backup writes it).
    pub journaled: bool,
}

/// Why and for what an erasure is done.
pub(crate) struct Cause<'a> {
    pub trigger: ErasureTrigger,
    pub reason: &'a str,
    pub request: Option<(Id, String)>,
    /// Re-applying a journal entry keeps the original receipt's id.
    pub receipt_id: Option<String>,
    /// Whether the person goes on the suppression list: erased at their request (by
    /// hand or by a request), not by the retention rules.
    pub suppress: bool,
    /// Re-applying a journal entry: the records its erasure kept (any other record
    /// goes, whatever this copy's holds say); `None` for a new erasure, which works out
    /// what to keep itself.
    pub keep: Option<Vec<Id>>,
}

impl<'a> Cause<'a> {
    pub fn new(trigger: ErasureTrigger, reason: &'a str) -> Self {
        Cause {
            trigger,
            reason,
            request: None,
            receipt_id: None,
            suppress: matches!(trigger, ErasureTrigger::Manual | ErasureTrigger::Request),
            keep: None,
        }
    }
}

pub(crate) fn subject_tag(register_id: &str, subject_id: Id, created_at: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"privreg-erasure\0");
    h.update(register_id.as_bytes());
    h.update(b"\0");
    h.update(subject_id.to_string().as_bytes());
    h.update(b"\0");
    h.update(created_at.as_bytes());
    hex::encode(h.finalize())
}

/// The tag of a subject as stored now, or `None` when there is no such subject.
pub(crate) fn current_tag(conn: &Connection, register_id: &str, id: Id) -> Result<Option<String>> {
    let created: Option<String> = conn
        .query_row("SELECT created_at FROM subjects WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(created.map(|c| subject_tag(register_id, id, &c)))
}

/// Refuses when a legal hold covers the subject or, for one record, its activity (for
/// the whole subject, any activity it has records in).
pub(crate) fn refuse_if_held_for(
    conn: &Connection,
    subject_id: Id,
    activity: Option<Id>,
    today: &str,
) -> Result<()> {
    let held: Option<(Option<Id>, Option<Id>)> = conn
        .query_row(
            "SELECT subject_id, activity_id FROM legal_holds
             WHERE released_at IS NULL AND (until IS NULL OR until >= ?2)
               AND (subject_id = ?1 OR CASE WHEN ?3 IS NULL
                    THEN activity_id IN (SELECT activity_id FROM records WHERE subject_id = ?1)
                    ELSE activity_id = ?3 END)
             ORDER BY subject_id IS NULL, id LIMIT 1",
            params![subject_id, today, activity],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match held {
        Some((Some(_), _)) => Err(Error::OnHold {
            entity: "subject",
            id: subject_id,
        }),
        Some((None, Some(a))) => Err(Error::OnHold {
            entity: "activity",
            id: a,
        }),
        _ => Ok(()),
    }
}

/// The requester's own words on the subject's requests (and on unmatched requests made
/// from the same e-mail address, `email_norm`) are personal data too: erasure and
/// anonymisation wipe them (name, e-mail, phone, notes, the file name of what was sent).
pub(crate) fn wipe_requester_words(
    tx: &Connection,
    subject_id: Id,
    email_norm: &str,
    now: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE requests SET requester_name = '', requester_email = '', requester_phone = '',
                notes = '', not_done = '', reply_how = '', response = CASE WHEN response = '' THEN ''
                    ELSE json_object('format', json_extract(response, '$.format'), 'file_name', '') END,
                updated_at = ?3
         WHERE subject_id = ?1 OR (subject_id IS NULL AND ?2 <> '' AND lower(trim(requester_email)) = ?2)",
        params![subject_id, email_norm, now],
    )?;
    Ok(())
}

/// The records of `id` per activity, among `only` when given (counts for a receipt).
fn count_per_activity(tx: &Connection, id: Id, keep: &[Id]) -> Result<Vec<ActivityCount>> {
    let mut st = tx.prepare_cached(
        "SELECT a.id, a.name, r.id FROM records r JOIN activities a ON a.id = r.activity_id
         WHERE r.subject_id = ?1 ORDER BY a.name, a.id",
    )?;
    let rows = st
        .query_map([id], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Id>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out: Vec<ActivityCount> = Vec::new();
    for (aid, name, rid) in rows {
        if keep.contains(&rid) {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.activity_id == aid => last.records += 1,
            _ => out.push(ActivityCount {
                activity_id: aid,
                activity: name,
                records: 1,
            }),
        }
    }
    Ok(out)
}

/// The ids of the subject's records other than `keep`, in order.
fn records_but(tx: &Connection, id: Id, keep: &[Id]) -> Result<Vec<Id>> {
    let mut st = tx.prepare_cached("SELECT id FROM records WHERE subject_id = ?1 ORDER BY id")?;
    let all = st
        .query_map([id], |r| r.get::<_, Id>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(all.into_iter().filter(|r| !keep.contains(r)).collect())
}

/// The processors of the activities whose data of the subject goes (`gone`: the
/// activities of the erased records) and of those the subject has consent events in:
/// they must be told (Art. 19).
fn recipients_to_tell(tx: &Connection, id: Id, gone: &[ActivityCount]) -> Result<Vec<String>> {
    let ids: Vec<String> = gone.iter().map(|a| a.activity_id.to_string()).collect();
    let mut st = tx.prepare_cached(
        "SELECT DISTINCT p.name FROM processors p JOIN activity_processors ap ON ap.processor_id = p.id
         WHERE ap.activity_id IN (SELECT value FROM json_each(?2)
                                  UNION SELECT activity_id FROM consent_events WHERE subject_id = ?1)
         ORDER BY p.name",
    )?;
    let v = st
        .query_map(params![id, format!("[{}]", ids.join(","))], |r| {
            r.get::<_, String>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Erases one subject inside the caller's transaction and writes its receipt and audit
/// event. The caller checkpoints after the commit (see [`Register::checkpoint`]).
///
/// Records a legal obligation or a legal hold requires are kept (Art. 17(3)(b), (e);
/// see [`super::retention::kept_records`]): everything else goes, the person stays
/// with only those records, restricted (Art. 18) and out of marketing, and the receipt
/// lists what was kept, why and until when. The retention engine finishes the erasure
/// ([`finish_in`]) when the last kept record may go. Erasing a person whose erasure is
/// waiting finishes what can be finished.
pub(crate) fn erase_in(
    tx: &Connection,
    ctx: &Ctx,
    register_id: &str,
    id: Id,
    cause: &Cause,
) -> Result<ErasureSummary> {
    if cause.reason.trim().is_empty() {
        return Err(InputError::invalid("reason", "say why the data is erased").into());
    }
    let (created_at, email_norm, phone): (String, String, String) = tx
        .query_row(
            "SELECT created_at, email_norm, phone FROM subjects WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or(Error::NotFound {
            entity: "subject",
            id,
        })?;
    if let Some(pending) = pending_receipt(tx, id)? {
        return finish_in(tx, ctx, pending, cause.reason);
    }
    // By hand, a restricted person's data is not erased either (Art. 18(2): only
    // storage) until the restriction is lifted; an erasure request decides itself.
    if cause.trigger == ErasureTrigger::Manual {
        super::subjects::refuse_if_restricted(&super::subjects::load_subject(tx, id)?)?;
    }
    // Art. 19: an erasure by hand or at the person's request is passed on to every
    // recipient (before the records that say who they are go). The retention engine's
    // deletions are the storage limitation the recipients' own terms carry out; a
    // journal re-applied on a copy was passed on when it was made.
    if matches!(
        cause.trigger,
        ErasureTrigger::Manual | ErasureTrigger::Request
    ) && !ctx.replaying.get()
    {
        super::notify::create_in(
            tx,
            ctx,
            id,
            super::notify::NotifyCause::Erasure,
            cause.request.as_ref().map(|(i, _)| *i),
        )?;
    }
    let mut kept = super::retention::kept_records(tx, id, ctx.today)?;
    // A receipt re-applied after a restore keeps what its erasure kept, and nothing a
    // hold this older copy still has would add.
    if let Some(ids) = &cause.keep {
        kept.retain(|k| ids.contains(&k.record_id));
    }
    let kept_ids: Vec<Id> = kept.iter().map(|k| k.record_id).collect();
    let per_activity = count_per_activity(tx, id, &kept_ids)?;
    let notify = recipients_to_tell(tx, id, &per_activity)?;
    let records: i64 = per_activity.iter().map(|a| a.records).sum();
    let consent_events: i64 = tx.query_row(
        "SELECT count(*) FROM consent_events WHERE subject_id = ?1",
        [id],
        |r| r.get(0),
    )?;

    wipe_requester_words(tx, id, &email_norm, &ctx.now)?;
    // The free text of the audit events about them (reasons often name the person);
    // the chain commits to keyed hashes of those texts, so it still verifies.
    let texts = super::audit::wipe_texts(tx, id)?;
    if kept.is_empty() {
        unindex(tx, id)?;
        super::changes::forget_subject(tx, id)?;
        super::subjects::delete_subject_row(tx, id)?;
    } else {
        let gone = records_but(tx, id, &kept_ids)?;
        for r in gone {
            super::subjects::delete_record_row(tx, r)?;
        }
        tx.execute("DELETE FROM consent_events WHERE subject_id = ?1", [id])?;
        super::requests::rights::restrict_in(
            tx,
            ctx,
            id,
            "erasure: the records a legal obligation or a legal hold requires are kept, restricted (Art. 17(3), 18(1))",
        )?;
        super::subjects::set_subject_flag(
            tx,
            id,
            super::subjects::SubjectFlag::MarketingObjection,
            true,
            &ctx.now,
        )?;
        super::search::reindex(tx, id)?;
    }

    let receipt = ErasureReceipt {
        id: cause
            .receipt_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
        erased_at: time(&ctx.now)?,
        subject_id: id,
        trigger: cause.trigger,
        reason: cause.reason.trim().to_string(),
        request_id: cause.request.as_ref().map(|(i, _)| *i),
        request_ref: cause.request.as_ref().map(|(_, r)| r.clone()),
        records,
        consent_events,
        per_activity,
        notify,
        completed_at: if kept.is_empty() {
            Some(time(&ctx.now)?)
        } else {
            None
        },
        kept: kept.clone(),
    };
    insert_receipt(
        tx,
        &receipt,
        &subject_tag(register_id, id, &created_at),
        &ctx.now,
    )?;
    if cause.suppress {
        suppression::record(
            tx,
            ctx,
            SuppressionReason::Erased,
            &email_norm,
            &phone,
            Some(&receipt.id),
        )?;
    }
    let fields = [
        format!("records:{records}"),
        format!("consent_events:{consent_events}"),
        format!("kept:{}", kept.len()),
        format!("audit_texts:{texts}"),
        format!("receipt:{}", receipt.id),
    ];
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    ctx.audit(
        tx,
        NewEvent::new("subject.erased", "subject", Some(id))
            .subject(id)
            .fields(&fields)
            .reason(cause.reason.trim()),
    )?;
    Ok(summary_of(receipt, kept))
}

fn summary_of(receipt: ErasureReceipt, kept: Vec<KeptRecord>) -> ErasureSummary {
    ErasureSummary {
        subject_id: receipt.subject_id,
        records: receipt.records,
        consent_events: receipt.consent_events,
        per_activity: receipt
            .per_activity
            .iter()
            .map(|a| (a.activity_id, a.activity.clone(), a.records))
            .collect(),
        notify: receipt.notify.clone(),
        kept,
        receipt,
        journaled: false,
    }
}

/// The erasure of `id` that is waiting for kept records, if any.
pub(crate) fn pending_receipt(conn: &Connection, id: Id) -> Result<Option<ErasureReceipt>> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {RECEIPT_COLUMNS} FROM erasure_receipts
             WHERE subject_id = ?1 AND completed_at IS NULL ORDER BY erased_at DESC LIMIT 1"
        ))?
        .query_row([id], receipt_row)
        .optional()?;
    row.map(|r| receipt_from(r).map(|(r, _)| r)).transpose()
}

/// Every erasure waiting for kept records, oldest first.
pub(crate) fn pending_receipts(conn: &Connection) -> Result<Vec<ErasureReceipt>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {RECEIPT_COLUMNS} FROM erasure_receipts WHERE completed_at IS NULL
         ORDER BY erased_at, id"
    ))?;
    let rows = st
        .query_map([], receipt_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|r| receipt_from(r).map(|(r, _)| r))
        .collect()
}

/// Goes on with an erasure that kept records: erases every kept record no legal
/// obligation or hold requires any more, each audited; when none is left, the person
/// is erased completely and the receipt completed (its `kept` stays: what was kept
/// and until when). Inside the caller's transaction.
pub(crate) fn finish_in(
    tx: &Connection,
    ctx: &Ctx,
    receipt: ErasureReceipt,
    reason: &str,
) -> Result<ErasureSummary> {
    finish_in_with(tx, ctx, receipt, reason, false)
}

/// [`finish_in`]; with `all`, every kept record goes (the journal says the erasure
/// ended where it was made, whatever this older copy's holds say).
fn finish_in_with(
    tx: &Connection,
    ctx: &Ctx,
    mut receipt: ErasureReceipt,
    reason: &str,
    all: bool,
) -> Result<ErasureSummary> {
    let id = receipt.subject_id;
    let email_norm: String =
        tx.query_row("SELECT email_norm FROM subjects WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    let still = if all {
        Vec::new()
    } else {
        super::retention::kept_records(tx, id, ctx.today)?
    };
    let still_ids: Vec<Id> = still.iter().map(|k| k.record_id).collect();
    let now_gone = count_per_activity(tx, id, &still_ids)?;
    for p in recipients_to_tell(tx, id, &now_gone)? {
        if !receipt.notify.contains(&p) {
            receipt.notify.push(p);
        }
    }
    let gone = records_but(tx, id, &still_ids)?;
    let why = format!(
        "erasure {}: the record's time to be kept is up; {}",
        suppression::short_receipt(&receipt.id),
        reason.trim()
    );
    let gone_refs = gone
        .iter()
        .map(|r| super::changes::record_ref(tx, ctx.register, *r))
        .collect::<Result<Vec<_>>>()?;
    for r in &gone {
        super::subjects::delete_record_row(tx, *r)?;
        ctx.audit(
            tx,
            NewEvent::new("record.deleted", "record", Some(*r))
                .subject(id)
                .fields(&["value"])
                .reason(&why),
        )?;
    }
    receipt.records += gone.len() as i64;
    for a in now_gone {
        match receipt
            .per_activity
            .iter_mut()
            .find(|p| p.activity_id == a.activity_id)
        {
            Some(p) => p.records += a.records,
            None => receipt.per_activity.push(a),
        }
    }
    if still.is_empty() {
        wipe_requester_words(tx, id, &email_norm, &ctx.now)?;
        super::audit::wipe_texts(tx, id)?;
        unindex(tx, id)?;
        super::changes::forget_subject(tx, id)?;
        super::subjects::delete_subject_row(tx, id)?;
        receipt.completed_at = Some(time(&ctx.now)?);
    } else if !gone.is_empty() {
        super::search::reindex(tx, id)?;
        super::changes::record(
            tx,
            ctx,
            id,
            ErasureTrigger::Retention,
            &super::changes::JournalChange::RecordsDeleted { records: gone_refs },
        )?;
    }
    tx.execute(
        "UPDATE erasure_receipts SET records = ?2, per_activity = ?3, completed_at = ?4, notify = ?5
         WHERE id = ?1",
        params![
            receipt.id,
            receipt.records,
            serde_json::to_string(&receipt.per_activity)?,
            receipt.completed_at.map(|_| ctx.now.clone()),
            serde_json::to_string(&receipt.notify)?
        ],
    )?;
    if receipt.completed_at.is_some() {
        let fields = [
            format!("records:{}", gone.len()),
            format!("receipt:{}", receipt.id),
        ];
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        ctx.audit(
            tx,
            NewEvent::new("subject.erasure_completed", "subject", Some(id))
                .subject(id)
                .fields(&fields)
                .reason(reason.trim()),
        )?;
    }
    Ok(summary_of(receipt, still))
}

pub(crate) fn insert_receipt(
    tx: &Connection,
    r: &ErasureReceipt,
    tag: &str,
    erased_at: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO erasure_receipts (id, erased_at, subject_id, subject_tag, trigger, reason, request_id,
                request_ref, records, consent_events, per_activity, notify, kept, completed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            r.id,
            erased_at,
            r.subject_id,
            tag,
            r.trigger.as_str(),
            r.reason,
            r.request_id,
            r.request_ref,
            r.records,
            r.consent_events,
            serde_json::to_string(&r.per_activity)?,
            serde_json::to_string(&r.notify)?,
            serde_json::to_string(&r.kept)?,
            r.completed_at
                .map(|_| erased_at_or_completed(r, erased_at))
        ],
    )?;
    Ok(())
}

/// When a receipt is complete at once, it is complete when it was made.
fn erased_at_or_completed(r: &ErasureReceipt, erased_at: &str) -> String {
    match r.completed_at {
        Some(c) if c != r.erased_at => c.to_rfc3339_opts(SecondsFormat::Micros, true),
        _ => erased_at.to_string(),
    }
}

const RECEIPT_COLUMNS: &str = "id, erased_at, subject_id, trigger, reason, request_id, request_ref, records, consent_events, per_activity, notify, subject_tag, kept, completed_at";

type ReceiptRow = (
    String,
    String,
    Id,
    String,
    String,
    Option<Id>,
    Option<String>,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
);

fn receipt_row(r: &rusqlite::Row) -> rusqlite::Result<ReceiptRow> {
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
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
        r.get(13)?,
    ))
}

fn receipt_from(row: ReceiptRow) -> Result<(ErasureReceipt, String)> {
    let (
        id,
        at,
        subject_id,
        trigger,
        reason,
        request_id,
        request_ref,
        records,
        consents,
        per,
        notify,
        tag,
        kept,
        completed,
    ) = row;
    Ok((
        ErasureReceipt {
            id,
            erased_at: time(&at)?,
            subject_id,
            trigger: ErasureTrigger::stored(&trigger)?,
            reason,
            request_id,
            request_ref,
            records,
            consent_events: consents,
            per_activity: serde_json::from_str(&per)?,
            notify: serde_json::from_str(&notify)?,
            kept: serde_json::from_str(&kept)?,
            completed_at: completed.as_deref().map(time).transpose()?,
        },
        tag,
    ))
}

/// The ids of the receipts the register has (what a journal entry is checked against).
/// The receipts the register has, each with whether it is complete (what a journal
/// entry is checked against).
fn receipt_states(conn: &Connection) -> Result<std::collections::HashMap<String, bool>> {
    let mut st =
        conn.prepare_cached("SELECT id, completed_at IS NOT NULL FROM erasure_receipts")?;
    let ids = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Whether a journal entry has something to do here: its receipt is unknown, or it
/// ends an erasure this register still waits on.
fn entry_is_news(known: &std::collections::HashMap<String, bool>, e: &JournalEntry) -> bool {
    match known.get(&e.receipt_id) {
        None => true,
        Some(&complete) => e.completed && !complete,
    }
}

pub(crate) fn receipts_with_tags(conn: &Connection) -> Result<Vec<(ErasureReceipt, String)>> {
    let mut st = conn.prepare(&format!(
        "SELECT {RECEIPT_COLUMNS} FROM erasure_receipts ORDER BY erased_at, id"
    ))?;
    let rows = st
        .query_map([], receipt_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(receipt_from).collect()
}

// ---------------------------------------------------------------------------
// The journal
// ---------------------------------------------------------------------------

/// The key that signs this register's journal lines. It is kept inside the register
/// (`meta.journal_key`), so a passphrase change does not change it and every backup
/// carries it; a register that has none yet gets HMAC-SHA256(database key, a label),
/// so a backup made before keys were kept derives the same one.
#[derive(Clone)]
pub(crate) struct JournalKey(zeroize::Zeroizing<[u8; 32]>);

impl JournalKey {
    /// The register's key: kept in `meta`, or derived (see above).
    pub(crate) fn load(conn: &Connection, key: Option<&RawKey>, register_id: &str) -> Result<Self> {
        let kept: Option<String> = match conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'journal_key'",
                [],
                |r| r.get(0),
            )
            .optional()
        {
            Ok(v) => v,
            Err(e) => {
                // A damaged page where the key is kept: the register opens read-only
                // (the page check says so); a key made from the register's key reads
                // the journal as well as it can.
                let e = Error::from(e);
                if !e.is_damage() {
                    return Err(e);
                }
                None
            }
        };
        if let Some(k) = kept.as_deref().and_then(JournalKey::from_hex) {
            return Ok(k);
        }
        Ok(match key {
            Some(key) => JournalKey::derive(key.as_bytes()),
            None => JournalKey::derive(register_id.as_bytes()),
        })
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    fn derive(secret: &[u8]) -> Self {
        JournalKey(crate::secret::derive_key(
            secret,
            b"privreg erasure receipts journal key",
        ))
    }

    fn from_hex(s: &str) -> Option<Self> {
        let bytes = zeroize::Zeroizing::new(hex::decode(s).ok()?);
        let mut k = zeroize::Zeroizing::new([0u8; 32]);
        if bytes.len() != 32 {
            return None;
        }
        k.copy_from_slice(&bytes);
        Some(JournalKey(k))
    }

    fn sign(&self, e: &JournalEntry) -> String {
        let mut m = HmacSha256::new_from_slice(self.0.as_slice()).expect("any key length");
        let erased_at = e.erased_at.to_rfc3339_opts(SecondsFormat::Micros, true);
        let subject_id = e.subject_id.to_string();
        let request_ref = match &e.request_ref {
            Some(r) => format!("some:{r}"),
            None => "none".to_string(),
        };
        let (records, consents) = (e.records.to_string(), e.consent_events.to_string());
        if e.v >= 3 {
            let kept: Vec<String> = e.kept.iter().map(|k| k.to_string()).collect();
            m.update(b"privreg-journal-3\0");
            m.update(kept.join(",").as_bytes());
            m.update(b"\0");
            m.update(if e.completed {
                &b"complete\0"[..]
            } else {
                &b"kept\0"[..]
            });
            if let Some(change) = &e.change {
                m.update(b"change\0");
                m.update(serde_json::to_string(change).unwrap_or_default().as_bytes());
                m.update(b"\0");
            }
        }
        for part in [
            "privreg-journal-2",
            e.receipt_id.as_str(),
            e.register_id.as_str(),
            erased_at.as_str(),
            subject_id.as_str(),
            e.subject_tag.as_str(),
            e.trigger.as_str(),
            request_ref.as_str(),
            records.as_str(),
            consents.as_str(),
            e.prev.as_str(),
        ] {
            m.update(part.as_bytes());
            m.update(b"\0");
        }
        hex::encode(m.finalize().into_bytes())
    }

    /// Whether the line's `mac` is its signature (compared in constant time).
    fn verifies(&self, e: &JournalEntry) -> bool {
        let (Ok(given), Ok(expected)) = (hex::decode(&e.mac), hex::decode(self.sign(e))) else {
            return false;
        };
        given.len() == expected.len()
            && given
                .iter()
                .zip(&expected)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

type HmacSha256 = Hmac<Sha256>;

/// One line of the receipts journal: ids, times and counts only, signed with the
/// register's [`JournalKey`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// 3 for signed lines that say what an erasure kept; 2 for signed lines before
    /// that; 1 for lines written before lines were signed.
    pub v: u32,
    pub receipt_id: String,
    /// The register the receipt belongs to (its file salt in hex; not secret).
    pub register_id: String,
    pub erased_at: DateTime<Utc>,
    pub subject_id: Id,
    pub subject_tag: String,
    pub trigger: ErasureTrigger,
    pub request_ref: Option<String>,
    pub records: i64,
    pub consent_events: i64,
    /// The ids of the records the erasure kept (Art. 17(3)); a re-applied erasure keeps
    /// these and no others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<Id>,
    /// Whether the erasure was complete (nothing kept, or the last kept record gone).
    /// An erasure that kept records has a line when it began and one when it ended.
    #[serde(default = "complete_before_v3")]
    pub completed: bool,
    /// A change that removed or replaced personal data without erasing the person
    /// (see [`super::changes`]); `None` for an erasure's line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<super::changes::JournalChange>,
    /// The signature of the register's line before this one ("" for its first), so a
    /// line taken out of the middle of the journal is noticed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prev: String,
    /// HMAC-SHA256 of the line's fields under the register's journal key, in hex.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mac: String,
}

/// Lines before version 3 were written for complete erasures only.
fn complete_before_v3() -> bool {
    true
}

impl JournalEntry {
    pub(crate) fn from_receipt(register_id: &str, r: &ErasureReceipt, tag: &str) -> Self {
        JournalEntry {
            v: 3,
            receipt_id: r.id.clone(),
            register_id: register_id.to_string(),
            erased_at: r.erased_at,
            subject_id: r.subject_id,
            subject_tag: tag.to_string(),
            trigger: r.trigger,
            request_ref: r.request_ref.clone(),
            records: r.records,
            consent_events: r.consent_events,
            kept: r.kept.iter().map(|k| k.record_id).collect(),
            completed: r.is_complete(),
            change: None,
            prev: String::new(),
            mac: String::new(),
        }
    }

    /// What de-duplicates lines: the receipt, and whether the line ends it.
    fn key(&self) -> (String, bool) {
        (self.receipt_id.clone(), self.completed)
    }
}

/// What reading the journals found that the user must hear about. Lines of other
/// registers (several may share a backup folder) are not counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalCheck {
    /// Journal files read.
    pub journals: usize,
    /// Lines that do not parse: a write cut short by a crash, or an edit. Not applied.
    pub unreadable: usize,
    /// Signed lines of this register whose signature fails: changed by hand or damaged.
    /// Not applied.
    pub altered: usize,
    /// Places where lines of this register are missing: a signed line that does not
    /// follow the one before it.
    pub missing: usize,
    /// Lines from before lines were signed. Applied: each still has to match the
    /// subject it names by its tag (the id and the moment the subject was created).
    pub unsigned: usize,
}

impl JournalCheck {
    pub fn is_clean(&self) -> bool {
        self.unreadable == 0 && self.altered == 0 && self.missing == 0
    }

    fn add(&mut self, other: &JournalCheck) {
        self.journals += other.journals;
        self.unreadable += other.unreadable;
        self.altered += other.altered;
        self.missing += other.missing;
        self.unsigned += other.unsigned;
    }
}

/// What applying the journals to a register did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalApplied {
    /// Receipts whose subject the register still held: erased again.
    pub reapplied: Vec<String>,
    /// Receipts of subjects the register never held (or no longer holds): recorded.
    pub recorded: Vec<String>,
    /// Later deletions, anonymisations and rectifications applied again.
    #[serde(default)]
    pub changes: usize,
    /// Later rectifications this copy could not open (older than the person's key).
    #[serde(default)]
    pub unopened: usize,
    pub check: JournalCheck,
}

fn io_err(op: &'static str, path: &Path, e: std::io::Error) -> Error {
    crate::error::VaultError::Io {
        op,
        path: path.to_path_buf(),
        source: e,
    }
    .into()
}

/// A journal as read for one register: its authentic entries, what was wrong, and the
/// signature of its last line (the `prev` of the next one).
pub(crate) struct JournalRead {
    pub entries: Vec<JournalEntry>,
    pub check: JournalCheck,
    pub last_mac: String,
    /// Receipts that already have a signed line, and whether that line ends them.
    pub signed: std::collections::HashSet<(String, bool)>,
}

/// Reads the journal at `path` for the register `register_id`. A missing file reads as
/// empty (with `journals` 0).
pub(crate) fn read_journal(
    path: &Path,
    register_id: &str,
    key: &JournalKey,
) -> Result<JournalRead> {
    let mut out = JournalRead {
        entries: Vec::new(),
        check: JournalCheck::default(),
        last_mac: String::new(),
        signed: std::collections::HashSet::new(),
    };
    let text = match fs::read(path) {
        Ok(t) => String::from_utf8_lossy(&t).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io_err("reading", path, e)),
    };
    out.check.journals = 1;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(e) = serde_json::from_str::<JournalEntry>(line) else {
            out.check.unreadable += 1;
            continue;
        };
        if e.register_id != register_id {
            continue;
        }
        if e.v < 2 && e.mac.is_empty() {
            out.check.unsigned += 1;
            out.entries.push(e);
            continue;
        }
        if e.prev != out.last_mac {
            out.check.missing += 1;
        }
        out.last_mac = e.mac.clone();
        if key.verifies(&e) {
            out.signed.insert(e.key());
            out.entries.push(e);
        } else {
            out.check.altered += 1;
        }
    }
    Ok(out)
}

/// The lines of the register a JSON export came from (`source`), for a register made
/// from that export. Their signatures cannot be checked here (the key stayed in that
/// register); each still has to match the person (and records) it names by tag, which
/// holds the moment the row was made, inside the encrypted register and not in the
/// journal, so a line cannot be made up for anyone else.
fn read_source_journal(path: &Path, source: &str) -> Result<Vec<JournalEntry>> {
    let text = match fs::read(path) {
        Ok(t) => String::from_utf8_lossy(&t).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_err("reading", path, e)),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str::<JournalEntry>(l).ok())
        .filter(|e| e.register_id == source)
        .collect())
}

/// The paths, each once (compared as the file system resolves them).
fn distinct(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for p in paths {
        let c = p.canonicalize().unwrap_or_else(|_| p.clone());
        if !seen.contains(&c) {
            seen.push(c);
            out.push(p.clone());
        }
    }
    out
}

/// Makes sure the journal file exists (its presence tells a restore that erasures are
/// journaled in this folder) and appends a signed line for every receipt it lacks one
/// for, each a whole line, then syncs the file. Returns how many lines were added.
pub(crate) fn append_journal(
    path: &Path,
    register_id: &str,
    key: &JournalKey,
    entries: Vec<JournalEntry>,
) -> Result<usize> {
    let read = read_journal(path, register_id, key)?;
    let mut prev = read.last_mac;
    let mut text = String::new();
    let mut added = 0;
    for mut e in entries {
        if read.signed.contains(&e.key()) {
            continue;
        }
        e.prev = std::mem::take(&mut prev);
        e.mac = key.sign(&e);
        prev = e.mac.clone();
        text.push_str(&serde_json::to_string(&e)?);
        text.push('\n');
        added += 1;
    }
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)
        .map_err(|e| io_err("opening", path, e))?;
    if added == 0 {
        return Ok(0);
    }
    // A line cut short by a crash gets its own line end, so the next one stands alone.
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    if len > 0 {
        let mut last = [0u8; 1];
        f.seek(SeekFrom::Start(len - 1))
            .and_then(|_| f.read_exact(&mut last))
            .map_err(|e| io_err("reading", path, e))?;
        if last[0] != b'\n' {
            text.insert(0, '\n');
        }
    }
    f.write_all(text.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| io_err("writing", path, e))?;
    Ok(added)
}

/// Erases again, inside the caller's transaction, every subject a journal entry names
/// that the register still holds (matched by id and tag), and records the receipts of
/// subjects it never held. Entries it already has a receipt for are skipped: the
/// receipt id de-duplicates, so no time filter is needed.
pub(crate) fn apply_entries(
    tx: &Connection,
    ctx: &Ctx,
    register_id: &str,
    entries: &[JournalEntry],
    source: &str,
) -> Result<EntriesApplied> {
    let (changes, entries): (Vec<&JournalEntry>, Vec<&JournalEntry>) =
        entries.iter().partition(|e| e.change.is_some());
    let known = receipt_states(tx)?;
    // One entry per receipt: the line that ends it, when there is one.
    let mut by_receipt: std::collections::HashMap<&str, &JournalEntry> =
        std::collections::HashMap::new();
    for e in entries.into_iter().filter(|e| entry_is_news(&known, e)) {
        let slot = by_receipt.entry(e.receipt_id.as_str()).or_insert(e);
        if e.completed && !slot.completed {
            *slot = e;
        }
    }
    let mut todo: Vec<&JournalEntry> = by_receipt.into_values().collect();
    todo.sort_by(|a, b| (a.erased_at, &a.receipt_id).cmp(&(b.erased_at, &b.receipt_id)));
    let mut reapplied = Vec::new();
    let mut recorded = Vec::new();
    for e in todo {
        let reason = format!(
            "re-applied from the erasure receipts journal ({source}): erased {} ({})",
            e.erased_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            e.trigger.as_str()
        );
        if known.contains_key(&e.receipt_id) {
            // This register has the erasure waiting; the journal says it ended.
            if let Some(pending) =
                pending_receipt(tx, e.subject_id)?.filter(|p| p.id == e.receipt_id)
            {
                finish_in_with(tx, ctx, pending, &reason, true)?;
                reapplied.push(e.receipt_id.clone());
            }
            continue;
        }
        // A line of the register this one was made from (a JSON import) names the
        // person by that register's id: the tag is computed as it was there.
        match current_tag(tx, &e.register_id, e.subject_id)? {
            Some(tag) if tag == e.subject_tag => {
                erase_in(
                    tx,
                    ctx,
                    register_id,
                    e.subject_id,
                    &Cause {
                        receipt_id: Some(e.receipt_id.clone()),
                        suppress: matches!(
                            e.trigger,
                            ErasureTrigger::Manual | ErasureTrigger::Request
                        ),
                        keep: Some(if e.completed {
                            Vec::new()
                        } else {
                            e.kept.clone()
                        }),
                        ..Cause::new(ErasureTrigger::Journal, &reason)
                    },
                )?;
                reapplied.push(e.receipt_id.clone());
            }
            Some(_) => {
                // Another subject has this id here: the receipt is from another line of
                // history. Leave both alone.
            }
            None => {
                // Nothing of the person is here: the erasure is complete in this copy.
                insert_receipt(
                    tx,
                    &ErasureReceipt {
                        id: e.receipt_id.clone(),
                        erased_at: e.erased_at,
                        subject_id: e.subject_id,
                        trigger: e.trigger,
                        reason: "recorded from the erasure receipts journal".into(),
                        request_id: None,
                        request_ref: e.request_ref.clone(),
                        records: e.records,
                        consent_events: e.consent_events,
                        per_activity: Vec::new(),
                        notify: Vec::new(),
                        kept: Vec::new(),
                        completed_at: Some(e.erased_at),
                    },
                    &e.subject_tag,
                    &e.erased_at.to_rfc3339_opts(SecondsFormat::Micros, true),
                )?;
                recorded.push(e.receipt_id.clone());
            }
        }
    }
    // Then the changes that kept the person (their erasure, applied above, makes a
    // change about them a no-op), oldest first, each once.
    let done = super::changes::known(tx)?;
    let mut todo: Vec<&JournalEntry> = changes
        .into_iter()
        .filter(|e| !done.contains(&e.receipt_id))
        .collect();
    todo.sort_by(|a, b| (a.erased_at, &a.receipt_id).cmp(&(b.erased_at, &b.receipt_id)));
    todo.dedup_by(|a, b| a.receipt_id == b.receipt_id);
    let (mut applied, mut unopened) = (0, 0);
    ctx.replaying.set(true);
    let result = (|| {
        for e in todo {
            match super::changes::apply(tx, ctx, e)? {
                super::changes::Applied::Done => applied += 1,
                super::changes::Applied::CannotOpen => unopened += 1,
                super::changes::Applied::NothingHere => {}
            }
        }
        Ok::<(), Error>(())
    })();
    ctx.replaying.set(false);
    result?;
    Ok(EntriesApplied {
        reapplied,
        recorded,
        changes: applied,
        unopened,
    })
}

/// What applying journal lines did (see [`apply_entries`]).
pub(crate) struct EntriesApplied {
    pub reapplied: Vec<String>,
    pub recorded: Vec<String>,
    /// Deletions, anonymisations and rectifications applied again.
    pub changes: usize,
    /// Rectifications this copy cannot open (it is older than the person's key).
    pub unopened: usize,
}

impl Register {
    /// Erasure (Art. 17) by hand: see the module documentation for what it removes.
    /// Refused while a legal hold covers the subject or one of its activities.
    pub fn erase_subject(&mut self, id: Id, reason: &str) -> Result<ErasureSummary> {
        self.erase_subject_because(id, reason, ErasureTrigger::Manual)
    }

    pub(crate) fn erase_subject_because(
        &mut self,
        id: Id,
        reason: &str,
        trigger: ErasureTrigger,
    ) -> Result<ErasureSummary> {
        let register_id = self.id().to_string();
        let mut summary = self
            .write(|tx, ctx| erase_in(tx, ctx, &register_id, id, &Cause::new(trigger, reason)))?;
        self.checkpoint()?;
        summary.journaled = self.journal_receipts(std::slice::from_ref(&summary.receipt));
        Ok(summary)
    }

    /// Every erasure receipt, oldest first.
    pub fn erasure_receipts(&self) -> Result<Vec<ErasureReceipt>> {
        Ok(receipts_with_tags(self.conn())?
            .into_iter()
            .map(|(r, _)| r)
            .collect())
    }

    pub fn erasure_receipt(&self, id: &str) -> Result<ErasureReceipt> {
        self.erasure_receipts()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| InputError::invalid("receipt", "no receipt with this id").into())
    }

    /// The folder backups go to, where the receipts journal lives; set by
    /// [`Register::backup`] or here.
    pub fn backup_dir(&self) -> Result<Option<PathBuf>> {
        let v: Option<String> = self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = 'backup_dir'", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(v.map(PathBuf::from))
    }

    pub fn set_backup_dir(&mut self, dir: &Path) -> Result<()> {
        if !dir.is_dir() {
            return Err(InputError::invalid("backup_dir", "not a folder").into());
        }
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let value = dir.to_string_lossy().to_string();
        self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('backup_dir', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [&value],
            )?;
            ctx.audit(
                tx,
                NewEvent::new("register.backup_folder_set", "register", None),
            )
        })
    }
}

impl Register {
    /// This register's journal key (see [`JournalKey`]).
    pub(crate) fn journal_key(&self) -> Result<JournalKey> {
        Ok(self.journal_key.clone())
    }

    /// Keeps the journal key in the register, so that a passphrase change (which
    /// changes the database key) keeps it. Called when a writable register is opened.
    pub(crate) fn keep_journal_key(&mut self) -> Result<()> {
        let kept: bool = self.conn().query_row(
            "SELECT count(*) FROM meta WHERE key = 'journal_key'",
            [],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        )?;
        if kept || self.is_read_only() {
            return Ok(());
        }
        let hex = zeroize::Zeroizing::new(hex::encode(self.journal_key.as_bytes()));
        self.write(|tx, _| {
            tx.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('journal_key', ?1)",
                [hex.as_str()],
            )?;
            Ok(())
        })
    }

    /// Appends receipts to the journal in the backup folder; best effort (the receipts
    /// are in the register either way and the next backup writes the journal).
    pub(crate) fn journal_receipts(&self, receipts: &[ErasureReceipt]) -> bool {
        let Ok(Some(dir)) = self.backup_dir() else {
            return false;
        };
        let (Ok(all), Ok(key)) = (receipts_with_tags(self.conn()), self.journal_key()) else {
            return false;
        };
        let these: Vec<JournalEntry> = all
            .into_iter()
            .filter(|(r, _)| receipts.iter().any(|x| x.id == r.id))
            .map(|(r, tag)| JournalEntry::from_receipt(self.id(), &r, &tag))
            .collect();
        append_journal(&dir.join(JOURNAL_FILE), self.id(), &key, these).is_ok()
    }

    /// Appends the changes kept for the journal (store/changes.rs) that it lacks.
    pub(crate) fn journal_changes(&self) -> Result<usize> {
        let Some(dir) = self.backup_dir()? else {
            return Ok(0);
        };
        let entries = super::changes::entries(self.conn(), self.id())?;
        append_journal(
            &dir.join(JOURNAL_FILE),
            self.id(),
            &self.journal_key()?,
            entries,
        )
    }

    /// Writes every receipt the journal in `dir` lacks; returns how many.
    pub(crate) fn sync_journal(&self, dir: &Path) -> Result<usize> {
        let mut all: Vec<JournalEntry> = receipts_with_tags(self.conn())?
            .into_iter()
            .map(|(r, tag)| JournalEntry::from_receipt(self.id(), &r, &tag))
            .collect();
        all.extend(super::changes::entries(self.conn(), self.id())?);
        append_journal(
            &dir.join(JOURNAL_FILE),
            self.id(),
            &self.journal_key()?,
            all,
        )
    }

    /// The journals this register file answers to: the one beside the file (a backup
    /// opened where it lies) and the one in the backup folder it remembers.
    pub fn journal_paths(&self) -> Vec<PathBuf> {
        let beside = self.path().parent().map(|dir| dir.join(JOURNAL_FILE));
        let folder = self
            .backup_dir()
            .ok()
            .flatten()
            .map(|dir| dir.join(JOURNAL_FILE));
        // A register made from a JSON export also answers to the journal of the
        // register the file came from.
        let source = self
            .meta_value("source_backup_dir")
            .ok()
            .flatten()
            .map(|dir| PathBuf::from(dir).join(JOURNAL_FILE));
        beside.into_iter().chain(folder).chain(source).collect()
    }

    fn meta_value(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Reads the journals at `paths` for this register, each file once however it is
    /// named (the folder beside a backup is often its backup folder too).
    pub(crate) fn read_journals(
        &self,
        paths: &[PathBuf],
    ) -> Result<(Vec<JournalEntry>, JournalCheck)> {
        let key = self.journal_key()?;
        let source = self.meta_value("source_register")?;
        let mut entries = Vec::new();
        let mut check = JournalCheck::default();
        for p in distinct(paths) {
            let read = read_journal(&p, self.id(), &key)?;
            entries.extend(read.entries);
            check.add(&read.check);
            if let Some(source) = &source {
                entries.extend(read_source_journal(&p, source)?);
            }
        }
        Ok((entries, check))
    }

    /// Re-applies every receipt in the journals at `paths` (see
    /// [`Register::journal_paths`]) that this register has not applied yet, so that a
    /// backup opened directly, or any older copy, never brings an erased person back.
    /// Writes nothing (and adds no audit event) when there is nothing to apply; a
    /// read-only (damaged) register is only read.
    pub fn apply_journals(&mut self, paths: &[PathBuf]) -> Result<JournalApplied> {
        let (entries, check) = self.read_journals(paths)?;
        // A damaged register is only read: what it holds is not even looked up (a
        // damaged page may be the one a look-up needs).
        if self.is_read_only() {
            return Ok(JournalApplied {
                check,
                ..Default::default()
            });
        }
        let known = receipt_states(self.conn())?;
        let changes_done = super::changes::known(self.conn())?;
        let pending = entries.iter().any(|e| match e.change {
            Some(_) => !changes_done.contains(&e.receipt_id),
            None => entry_is_news(&known, e),
        });
        if !pending || self.is_read_only() {
            return Ok(JournalApplied {
                check,
                ..Default::default()
            });
        }
        let register_id = self.id().to_string();
        let applied = self.write(|tx, ctx| {
            let applied = apply_entries(tx, ctx, &register_id, &entries, "opened")?;
            let fields = [
                format!("reapplied:{}", applied.reapplied.len()),
                format!("recorded:{}", applied.recorded.len()),
                format!("changes:{}", applied.changes),
            ];
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            ctx.audit(
                tx,
                NewEvent::new("register.journal_applied", "register", None).fields(&fields),
            )?;
            Ok(applied)
        })?;
        if !applied.reapplied.is_empty() || applied.changes > 0 {
            self.checkpoint()?;
        }
        Ok(JournalApplied {
            reapplied: applied.reapplied,
            recorded: applied.recorded,
            changes: applied.changes,
            unopened: applied.unopened,
            check,
        })
    }
}
