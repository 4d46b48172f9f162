//! Changes that remove or replace personal data without erasing the person, kept for
//! the receipts journal so that no older copy brings the old data back: a record deleted
//! (by hand, by the retention rules, by an erasure going further), records and a person
//! anonymised, a record's value or a person's name, e-mail or telephone rectified, a
//! person merged into another record of the same person (store/merge.rs).
//!
//! Each change is a row of `journal_changes` (written in the transaction of the change)
//! and a signed line of the journal (`erasure-receipts.jsonl`, see [`super::erasure`]),
//! naming the person and the records by id and tag (a hash of the register's id, the
//! id and the moment the row was made, so a record or a person with the same id in
//! another line of history is left alone). A line holds no personal data in clear: the
//! new value of a rectification is sealed (XChaCha20-Poly1305) under the person's own
//! key, `subjects.seal_key`, 32 random bytes made with the person. The key is in every
//! backup made since, so a copy can open the value and put it right; it is deleted with
//! the person, so once they are erased their old lines open nowhere (crypto-shredding),
//! and the rows about them go too.
//!
//! Opening any copy applies, after the erasures, every change line it has not applied:
//! deletions and anonymisations by id and tag, rectifications by opening the sealed
//! value with the copy's own key for the person. A copy older than the person's key (a
//! register written before schema version 5, or made from a JSON export, which does
//! not carry the keys) cannot open it: the change is counted as not applied and said.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::audit::NewEvent;
use super::erasure::{subject_tag, ErasureTrigger, JournalEntry};
use super::processors::time;
use super::Ctx;
use crate::error::{Error, Result};
use crate::model::{Id, SubjectFields};

/// A record as a journal line names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRef {
    pub id: Id,
    /// SHA-256 over the register's id, "record", the record's id and its creation time.
    pub tag: String,
}

/// What a change did; no personal data in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JournalChange {
    RecordsDeleted {
        records: Vec<RecordRef>,
    },
    RecordsAnonymised {
        records: Vec<RecordRef>,
    },
    /// The record's new value, sealed under the person's key (hex of nonce ‖ cipher text).
    RecordRectified {
        record: RecordRef,
        sealed: String,
    },
    /// The person's new name, e-mail and telephone (JSON), sealed the same way.
    SubjectRectified {
        sealed: String,
    },
    SubjectAnonymised,
    /// The person (the line's subject) was merged into another record of the same
    /// person, named by id and tag (see [`super::merge`]): a copy that holds both merges
    /// them again; a copy where that person was erased erases this one too.
    SubjectMerged {
        into: Id,
        into_tag: String,
    },
}

impl JournalChange {
    fn records(&self) -> i64 {
        match self {
            JournalChange::RecordsDeleted { records }
            | JournalChange::RecordsAnonymised { records } => records.len() as i64,
            JournalChange::RecordRectified { .. } => 1,
            _ => 0,
        }
    }
}

pub(crate) fn record_tag(register_id: &str, record_id: Id, created_at: &str) -> String {
    let mut h = Sha256::new();
    for part in [register_id, "record", &record_id.to_string(), created_at] {
        h.update(part.as_bytes());
        h.update(b"\0");
    }
    hex::encode(h.finalize())
}

/// The journal's name for a record, read before it changes.
pub(crate) fn record_ref(tx: &Connection, register_id: &str, id: Id) -> Result<RecordRef> {
    let created: String =
        tx.query_row("SELECT created_at FROM records WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    Ok(RecordRef {
        id,
        tag: record_tag(register_id, id, &created),
    })
}

fn current_record_tag(tx: &Connection, register_id: &str, id: Id) -> Result<Option<String>> {
    let created: Option<String> = tx
        .query_row("SELECT created_at FROM records WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(created.map(|c| record_tag(register_id, id, &c)))
}

/// The person's sealing key, made now if they have none (a register made from an export).
fn seal_key(tx: &Connection, subject_id: Id) -> Result<zeroize::Zeroizing<[u8; 32]>> {
    let stored: Option<String> = tx.query_row(
        "SELECT seal_key FROM subjects WHERE id = ?1",
        [subject_id],
        |r| r.get(0),
    )?;
    let mut key = zeroize::Zeroizing::new([0u8; 32]);
    match stored.as_deref().map(hex::decode) {
        Some(Ok(bytes)) if bytes.len() == 32 => key.copy_from_slice(&bytes),
        _ => {
            rand::rng().fill_bytes(key.as_mut_slice());
            let hex = zeroize::Zeroizing::new(hex::encode(key.as_slice()));
            super::subjects::set_seal_key(tx, subject_id, &hex)?;
        }
    }
    Ok(key)
}

fn seal(tx: &Connection, subject_id: Id, aad: &str, plain: &[u8]) -> Result<String> {
    let key = seal_key(tx, subject_id)?;
    let cipher = XChaCha20Poly1305::new(key.as_slice().into());
    let mut nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| Error::Corrupt("sealing a journal value failed".into()))?;
    let mut out = nonce.to_vec();
    out.extend(sealed);
    Ok(hex::encode(out))
}

/// The sealed value, opened with this copy's key for the person; `None` when it does
/// not open (the copy is older than the key, or the line was made elsewhere).
fn unseal(tx: &Connection, subject_id: Id, aad: &str, sealed: &str) -> Result<Option<Vec<u8>>> {
    let Ok(bytes) = hex::decode(sealed) else {
        return Ok(None);
    };
    if bytes.len() < 24 {
        return Ok(None);
    }
    let stored: Option<String> = tx.query_row(
        "SELECT seal_key FROM subjects WHERE id = ?1",
        [subject_id],
        |r| r.get(0),
    )?;
    let Some(Ok(k)) = stored.as_deref().map(hex::decode) else {
        return Ok(None);
    };
    if k.len() != 32 {
        return Ok(None);
    }
    let k = zeroize::Zeroizing::new(k);
    let cipher = XChaCha20Poly1305::new(k.as_slice().into());
    Ok(cipher
        .decrypt(
            XNonce::from_slice(&bytes[..24]),
            Payload {
                msg: &bytes[24..],
                aad: aad.as_bytes(),
            },
        )
        .ok())
}

/// The rectified value of a record, sealed for the journal.
pub(crate) fn rectified_record(
    tx: &Connection,
    register_id: &str,
    subject_id: Id,
    record_id: Id,
    value: &str,
) -> Result<JournalChange> {
    let record = record_ref(tx, register_id, record_id)?;
    let sealed = seal(tx, subject_id, &record.tag, value.as_bytes())?;
    Ok(JournalChange::RecordRectified { record, sealed })
}

/// The person's rectified fields, sealed for the journal.
pub(crate) fn rectified_subject(
    tx: &Connection,
    register_id: &str,
    subject_id: Id,
    fields: &SubjectFields,
) -> Result<JournalChange> {
    let tag = super::erasure::current_tag(tx, register_id, subject_id)?.ok_or(Error::NotFound {
        entity: "subject",
        id: subject_id,
    })?;
    let json = zeroize::Zeroizing::new(serde_json::to_vec(fields)?);
    Ok(JournalChange::SubjectRectified {
        sealed: seal(tx, subject_id, &tag, &json)?,
    })
}

/// Keeps a change for the journal, in the caller's transaction. Nothing is kept while
/// a journal is being applied (the applied line is kept under its own id instead).
pub(crate) fn record(
    tx: &Connection,
    ctx: &Ctx,
    subject_id: Id,
    trigger: ErasureTrigger,
    change: &JournalChange,
) -> Result<()> {
    if ctx.replaying.get() {
        return Ok(());
    }
    let tag =
        super::erasure::current_tag(tx, ctx.register, subject_id)?.ok_or(Error::NotFound {
            entity: "subject",
            id: subject_id,
        })?;
    tx.execute(
        "INSERT INTO journal_changes (id, at, subject_id, subject_tag, trigger, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            uuid::Uuid::new_v4().to_string(),
            ctx.now,
            subject_id,
            tag,
            trigger.as_str(),
            serde_json::to_string(change)?
        ],
    )?;
    ctx.journal_pending.set(true);
    Ok(())
}

/// The rows about an erased person go with them (their sealed values open nowhere now).
pub(crate) fn forget_subject(tx: &Connection, subject_id: Id) -> Result<()> {
    tx.execute(
        "DELETE FROM journal_changes WHERE subject_id = ?1 AND body <> 'null'",
        [subject_id],
    )?;
    Ok(())
}

/// Every change this register made or applied, as journal lines (unsigned).
pub(crate) fn entries(conn: &Connection, register_id: &str) -> Result<Vec<JournalEntry>> {
    let mut st = conn.prepare_cached(
        "SELECT id, at, subject_id, subject_tag, trigger, body FROM journal_changes
         WHERE body <> 'null' ORDER BY at, id",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Id>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, at, subject_id, tag, trigger, body)| {
            let change: JournalChange = serde_json::from_str(&body)?;
            Ok(JournalEntry {
                v: 3,
                receipt_id: id,
                register_id: register_id.to_string(),
                erased_at: time(&at)?,
                subject_id,
                subject_tag: tag,
                trigger: ErasureTrigger::parse(&trigger)
                    .ok_or_else(|| Error::Corrupt("unknown trigger of a change".into()))?,
                request_ref: None,
                records: change.records(),
                consent_events: 0,
                kept: Vec::new(),
                completed: true,
                change: Some(change),
                prev: String::new(),
                mac: String::new(),
            })
        })
        .collect()
}

/// The ids of the changes this register has made or applied.
pub(crate) fn known(conn: &Connection) -> Result<std::collections::HashSet<String>> {
    let mut st = conn.prepare_cached("SELECT id FROM journal_changes")?;
    let ids = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// What applying one change line did here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Applied {
    /// The person and the records it names are here: done.
    Done,
    /// Nothing it names is here (erased, or another line of history).
    NothingHere,
    /// A rectified value that this copy cannot open (it is older than the person's key).
    CannotOpen,
}

/// Applies one change line (the caller has checked its signature and that it is new),
/// and keeps its id so it is applied once and journaled by this copy too.
pub(crate) fn apply(tx: &Connection, ctx: &Ctx, e: &JournalEntry) -> Result<Applied> {
    let Some(change) = &e.change else {
        return Ok(Applied::NothingHere);
    };
    // Tags as the line's register made them (a register made from a JSON export
    // applies the lines of the register it came from).
    let here = subject_tag_matches(tx, &e.register_id, e)?;
    let reason = format!(
        "re-applied from the erasure receipts journal: a change made {}",
        e.erased_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    let mut outcome = if here {
        Applied::Done
    } else {
        Applied::NothingHere
    };
    if here {
        match change {
            JournalChange::RecordsDeleted { records } => {
                for r in matching(tx, &e.register_id, records)? {
                    super::subjects::delete_record_row(tx, r)?;
                    ctx.audit(
                        tx,
                        NewEvent::new("record.deleted", "record", Some(r))
                            .subject(e.subject_id)
                            .fields(&["value"])
                            .reason(&reason),
                    )?;
                }
                super::search::reindex(tx, e.subject_id)?;
            }
            JournalChange::RecordsAnonymised { records } => {
                for r in matching(tx, &e.register_id, records)? {
                    super::subjects::set_record_value(
                        tx,
                        r,
                        super::retention::ANONYMISED,
                        Some(""),
                        &ctx.now,
                    )?;
                    ctx.audit(
                        tx,
                        NewEvent::new("record.anonymised", "record", Some(r))
                            .subject(e.subject_id)
                            .fields(&["value", "source"])
                            .reason(&reason),
                    )?;
                }
                super::search::reindex(tx, e.subject_id)?;
            }
            JournalChange::RecordRectified { record, sealed } => {
                if matching(tx, &e.register_id, std::slice::from_ref(record))?.is_empty() {
                    outcome = Applied::NothingHere;
                } else {
                    match unseal(tx, e.subject_id, &record.tag, sealed)? {
                        Some(bytes) => {
                            let value = zeroize::Zeroizing::new(
                                String::from_utf8(bytes)
                                    .map_err(|_| Error::Corrupt("a sealed value".into()))?,
                            );
                            super::subjects::rectify_record_in(
                                tx, ctx, record.id, &value, &reason,
                            )?;
                        }
                        None => outcome = Applied::CannotOpen,
                    }
                }
            }
            JournalChange::SubjectRectified { sealed } => {
                match unseal(tx, e.subject_id, &e.subject_tag, sealed)? {
                    Some(bytes) => {
                        let bytes = zeroize::Zeroizing::new(bytes);
                        let fields: SubjectFields = serde_json::from_slice(&bytes)?;
                        super::subjects::rectify_subject_in(
                            tx,
                            ctx,
                            e.subject_id,
                            &fields,
                            &reason,
                        )?;
                    }
                    None => outcome = Applied::CannotOpen,
                }
            }
            JournalChange::SubjectAnonymised => {
                super::retention::anonymise_subject_if_bare(tx, ctx, e.subject_id, &reason)?;
            }
            JournalChange::SubjectMerged { into, into_tag } => {
                // The person kept by the merge was erased here (the journal's erasures
                // are applied before its changes): this record of them goes too, so an
                // older copy does not keep what the erasure removed.
                let erased: i64 = tx.query_row(
                    "SELECT count(*) FROM erasure_receipts WHERE subject_id = ?1 AND subject_tag = ?2",
                    params![into, into_tag],
                    |r| r.get(0),
                )?;
                let kept_here = super::erasure::current_tag(tx, &e.register_id, *into)?
                    .is_some_and(|t| &t == into_tag);
                if erased > 0 {
                    super::erasure::erase_in(
                        tx,
                        ctx,
                        ctx.register,
                        e.subject_id,
                        &super::erasure::Cause::new(ErasureTrigger::Journal, &reason),
                    )?;
                } else if kept_here {
                    super::merge::merge_in(tx, ctx, *into, e.subject_id, &reason, false)?;
                } else {
                    outcome = Applied::NothingHere;
                }
            }
        }
    }
    // Kept as this register names things, so that its own journal lines match its
    // copies (record tags are rebuilt the same way).
    let (body, tag) = if outcome == Applied::Done {
        let own = super::erasure::current_tag(tx, ctx.register, e.subject_id)?
            .unwrap_or_else(|| e.subject_tag.clone());
        (
            serde_json::to_string(&retag(tx, ctx.register, change)?)?,
            own,
        )
    } else {
        ("null".to_string(), e.subject_tag.clone())
    };
    tx.execute(
        "INSERT OR IGNORE INTO journal_changes (id, at, subject_id, subject_tag, trigger, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            e.receipt_id,
            e.erased_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            e.subject_id,
            tag,
            e.trigger.as_str(),
            body
        ],
    )?;
    Ok(outcome)
}

/// The change with its record tags as this register makes them (the same records; a
/// deleted one keeps the tag it had).
fn retag(tx: &Connection, register_id: &str, change: &JournalChange) -> Result<JournalChange> {
    let own = |r: &RecordRef| -> Result<RecordRef> {
        Ok(RecordRef {
            id: r.id,
            tag: current_record_tag(tx, register_id, r.id)?.unwrap_or_else(|| r.tag.clone()),
        })
    };
    Ok(match change {
        JournalChange::RecordsDeleted { records } => JournalChange::RecordsDeleted {
            records: records.iter().map(own).collect::<Result<_>>()?,
        },
        JournalChange::RecordsAnonymised { records } => JournalChange::RecordsAnonymised {
            records: records.iter().map(own).collect::<Result<_>>()?,
        },
        JournalChange::RecordRectified { record, sealed } => JournalChange::RecordRectified {
            record: own(record)?,
            sealed: sealed.clone(),
        },
        other => other.clone(),
    })
}

fn subject_tag_matches(tx: &Connection, register_id: &str, e: &JournalEntry) -> Result<bool> {
    let created: Option<String> = tx
        .query_row(
            "SELECT created_at FROM subjects WHERE id = ?1",
            [e.subject_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(created.is_some_and(|c| subject_tag(register_id, e.subject_id, &c) == e.subject_tag))
}

/// The records of `refs` that are here as the line knew them.
fn matching(tx: &Connection, register_id: &str, refs: &[RecordRef]) -> Result<Vec<Id>> {
    let mut out = Vec::new();
    for r in refs {
        if current_record_tag(tx, register_id, r.id)?.as_deref() == Some(r.tag.as_str()) {
            out.push(r.id);
        }
    }
    Ok(out)
}
