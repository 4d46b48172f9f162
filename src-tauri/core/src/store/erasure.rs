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

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::audit::NewEvent;
use super::processors::time;
use super::search::unindex;
use super::{Ctx, Register};
use crate::error::{Error, InputError, Result};
use crate::model::Id;

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
}

impl<'a> Cause<'a> {
    pub fn new(trigger: ErasureTrigger, reason: &'a str) -> Self {
        Cause {
            trigger,
            reason,
            request: None,
            receipt_id: None,
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

/// Refuses when a legal hold covers the subject or an activity it has records in.
pub(crate) fn refuse_if_held(conn: &Connection, subject_id: Id, today: &str) -> Result<()> {
    let held: Option<(Option<Id>, Option<Id>)> = conn
        .query_row(
            "SELECT subject_id, activity_id FROM legal_holds
             WHERE released_at IS NULL AND (until IS NULL OR until >= ?2)
               AND (subject_id = ?1 OR activity_id IN (SELECT activity_id FROM records WHERE subject_id = ?1))
             ORDER BY subject_id IS NULL, id LIMIT 1",
            params![subject_id, today],
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

/// Erases one subject inside the caller's transaction and writes its receipt and audit
/// event. The caller checkpoints after the commit (see [`Register::checkpoint`]).
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
    let (created_at, email_norm): (String, String) = tx
        .query_row(
            "SELECT created_at, email_norm FROM subjects WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(Error::NotFound {
            entity: "subject",
            id,
        })?;
    // A receipt re-applied after a restore was made when the erasure was lawful; a hold
    // the older backup still has does not undo it.
    if cause.trigger != ErasureTrigger::Journal {
        refuse_if_held(tx, id, &ctx.today.to_string())?;
    }
    let mut per_activity = Vec::new();
    {
        let mut st = tx.prepare_cached(
            "SELECT a.id, a.name, count(*) FROM records r JOIN activities a ON a.id = r.activity_id
             WHERE r.subject_id = ?1 GROUP BY a.id ORDER BY a.name",
        )?;
        for row in st.query_map([id], |r| {
            Ok(ActivityCount {
                activity_id: r.get(0)?,
                activity: r.get(1)?,
                records: r.get(2)?,
            })
        })? {
            per_activity.push(row?);
        }
    }
    let notify = {
        let mut st = tx.prepare_cached(
            "SELECT DISTINCT p.name FROM processors p JOIN activity_processors ap ON ap.processor_id = p.id
             WHERE ap.activity_id IN (SELECT activity_id FROM records WHERE subject_id = ?1
                                      UNION SELECT activity_id FROM consent_events WHERE subject_id = ?1)
             ORDER BY p.name",
        )?;
        let v = st
            .query_map([id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        v
    };
    let records: i64 = per_activity.iter().map(|a| a.records).sum();
    let consent_events: i64 = tx.query_row(
        "SELECT count(*) FROM consent_events WHERE subject_id = ?1",
        [id],
        |r| r.get(0),
    )?;

    // The requester's own words on the subject's requests (and on unmatched requests
    // made from the same e-mail address) are personal data too.
    tx.execute(
        "UPDATE requests SET requester_name = '', requester_email = '', requester_phone = '',
                notes = '', response = CASE WHEN response = '' THEN ''
                    ELSE json_object('format', json_extract(response, '$.format'), 'file_name', '') END,
                updated_at = ?3
         WHERE subject_id = ?1 OR (subject_id IS NULL AND ?2 <> '' AND lower(trim(requester_email)) = ?2)",
        params![id, email_norm, ctx.now],
    )?;
    unindex(tx, id)?;
    super::subjects::delete_subject_row(tx, id)?;

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
    };
    insert_receipt(
        tx,
        &receipt,
        &subject_tag(register_id, id, &created_at),
        &ctx.now,
    )?;
    let fields = [
        format!("records:{records}"),
        format!("consent_events:{consent_events}"),
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
    Ok(ErasureSummary {
        subject_id: id,
        records,
        consent_events,
        per_activity: receipt
            .per_activity
            .iter()
            .map(|a| (a.activity_id, a.activity.clone(), a.records))
            .collect(),
        notify: receipt.notify.clone(),
        receipt,
        journaled: false,
    })
}

pub(crate) fn insert_receipt(
    tx: &Connection,
    r: &ErasureReceipt,
    tag: &str,
    erased_at: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO erasure_receipts (id, erased_at, subject_id, subject_tag, trigger, reason, request_id,
                request_ref, records, consent_events, per_activity, notify)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
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
            serde_json::to_string(&r.notify)?
        ],
    )?;
    Ok(())
}

const RECEIPT_COLUMNS: &str = "id, erased_at, subject_id, trigger, reason, request_id, request_ref, records, consent_events, per_activity, notify, subject_tag";

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
        },
        tag,
    ))
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

/// One line of the receipts journal: ids, times and counts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
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
}

impl JournalEntry {
    pub(crate) fn from_receipt(register_id: &str, r: &ErasureReceipt, tag: &str) -> Self {
        JournalEntry {
            v: 1,
            receipt_id: r.id.clone(),
            register_id: register_id.to_string(),
            erased_at: r.erased_at,
            subject_id: r.subject_id,
            subject_tag: tag.to_string(),
            trigger: r.trigger,
            request_ref: r.request_ref.clone(),
            records: r.records,
            consent_events: r.consent_events,
        }
    }
}

fn io_err(op: &'static str, path: &Path, e: std::io::Error) -> Error {
    crate::error::VaultError::Io {
        op,
        path: path.to_path_buf(),
        source: e,
    }
    .into()
}

/// Reads a journal. A line that does not parse (a write cut short by a crash) is
/// skipped; the count of skipped lines comes back with the entries.
pub fn read_journal(path: &Path) -> Result<(Vec<JournalEntry>, usize)> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(io_err("reading", path, e)),
    };
    let mut entries = Vec::new();
    let mut skipped = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<JournalEntry>(line) {
            Ok(e) => entries.push(e),
            Err(_) => skipped += 1,
        }
    }
    Ok((entries, skipped))
}

/// Appends entries not yet in the journal, each a whole line, and syncs the file.
pub(crate) fn append_journal(path: &Path, entries: &[JournalEntry]) -> Result<usize> {
    let (existing, _) = read_journal(path)?;
    let known: std::collections::HashSet<&str> =
        existing.iter().map(|e| e.receipt_id.as_str()).collect();
    let new: Vec<&JournalEntry> = entries
        .iter()
        .filter(|e| !known.contains(e.receipt_id.as_str()))
        .collect();
    if new.is_empty() {
        return Ok(0);
    }
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)
        .map_err(|e| io_err("opening", path, e))?;
    let mut text = String::new();
    // A line cut short by a crash gets its own line end, so the next one stands alone.
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    if len > 0 {
        let mut last = [0u8; 1];
        f.seek(SeekFrom::Start(len - 1))
            .and_then(|_| f.read_exact(&mut last))
            .map_err(|e| io_err("reading", path, e))?;
        if last[0] != b'\n' {
            text.push('\n');
        }
    }
    for e in &new {
        text.push_str(&serde_json::to_string(e)?);
        text.push('\n');
    }
    f.write_all(text.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| io_err("writing", path, e))?;
    Ok(new.len())
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

    /// Appends receipts to the journal in the backup folder; best effort (the receipts
    /// are in the register either way and the next backup writes the journal).
    pub(crate) fn journal_receipts(&self, receipts: &[ErasureReceipt]) -> bool {
        let Ok(Some(dir)) = self.backup_dir() else {
            return false;
        };
        let Ok(all) = receipts_with_tags(self.conn()) else {
            return false;
        };
        let entries: Vec<JournalEntry> = all
            .iter()
            .filter(|(r, _)| receipts.iter().any(|x| x.id == r.id))
            .map(|(r, tag)| JournalEntry::from_receipt(self.id(), r, tag))
            .collect();
        append_journal(&dir.join(JOURNAL_FILE), &entries).is_ok()
    }

    /// Writes every receipt the journal in `dir` lacks; returns how many.
    pub(crate) fn sync_journal(&self, dir: &Path) -> Result<usize> {
        let entries: Vec<JournalEntry> = receipts_with_tags(self.conn())?
            .iter()
            .map(|(r, tag)| JournalEntry::from_receipt(self.id(), r, tag))
            .collect();
        append_journal(&dir.join(JOURNAL_FILE), &entries)
    }
}
