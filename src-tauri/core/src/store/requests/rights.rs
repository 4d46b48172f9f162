//! The rights that change how a subject may be processed: restriction (Art. 18) and
//! objection to direct marketing (Art. 21), inside a request's completion or on their
//! own, and the direct-marketing audience that respects both.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::storage::require_text;
use crate::error::{Error, Result};
use crate::model::{ConsentKind, Id, ObjectionDecision};
use crate::store::audit::NewEvent;
use crate::store::subjects::{load_subject, set_subject_flag, SubjectFlag};
use crate::store::{Ctx, Register};

/// A decision on an objection to processing that is not direct marketing (Art. 21(1)),
/// as [`Register::decide_objection`] stored it. No personal data beyond the grounds the
/// manager documented, which the person is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecidedObjection {
    pub id: Id,
    pub subject_id: Id,
    pub activity_id: Id,
    pub decision: ObjectionDecision,
    pub grounds: String,
    pub decided_at: DateTime<Utc>,
}

/// The restriction of processing in force for a subject (Art. 18), as the audit log
/// recorded it when it began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestrictionRecord {
    pub since: DateTime<Utc>,
    /// The reason given: the manager's words, or the core's for a restriction it made
    /// itself (an objection being assessed, an erasure that kept records). Empty when
    /// the text was wiped.
    pub reason: String,
}

/// Restriction (Art. 18) inside the caller's transaction.
pub(crate) fn restrict_in(
    tx: &Connection,
    ctx: &Ctx,
    subject_id: Id,
    reason: &str,
) -> Result<bool> {
    let s = load_subject(tx, subject_id)?;
    if s.restricted {
        return Ok(false);
    }
    set_subject_flag(tx, subject_id, SubjectFlag::Restricted, true, &ctx.now)?;
    ctx.audit(
        tx,
        NewEvent::new("subject.restricted", "subject", Some(subject_id))
            .subject(subject_id)
            .fields(&["restricted"])
            .reason(reason.trim()),
    )?;
    Ok(true)
}

/// Objection to direct marketing (Art. 21(2)-(3)) inside the caller's transaction: the
/// flag is set for good, and an objection event is recorded for every direct-marketing
/// activity the subject is in. Returns the ids of those activities.
pub(crate) fn suppress_marketing_in(
    tx: &Connection,
    ctx: &Ctx,
    subject_id: Id,
    method: &str,
    reason: &str,
) -> Result<Vec<Id>> {
    let subject = load_subject(tx, subject_id)?;
    let mut marketing = Vec::new();
    {
        let mut st = tx.prepare(
            "SELECT id, body FROM activities WHERE id IN (
                SELECT activity_id FROM records WHERE subject_id = ?1
                UNION SELECT activity_id FROM consent_events WHERE subject_id = ?1) ORDER BY id",
        )?;
        let rows = st
            .query_map([subject_id], |r| {
                Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, body) in rows {
            let a: crate::model::Activity = serde_json::from_str(&body)?;
            if a.direct_marketing {
                let purpose = a
                    .purposes
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "Direct marketing".to_string());
                marketing.push((id, purpose));
            }
        }
    }
    for (activity_id, purpose) in &marketing {
        tx.execute(
            "INSERT INTO consent_events (subject_id, activity_id, purpose, kind, method, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![subject_id, activity_id, purpose, ConsentKind::Objection, method, ctx.now],
        )?;
        let id = tx.last_insert_rowid();
        ctx.audit(
            tx,
            NewEvent::new("objection.recorded", "consent_event", Some(id)).subject(subject_id),
        )?;
    }
    set_subject_flag(
        tx,
        subject_id,
        SubjectFlag::MarketingObjection,
        true,
        &ctx.now,
    )?;
    // Art. 21(3): the objection outlives the person's data (store/suppression.rs).
    crate::store::suppression::record(
        tx,
        ctx,
        crate::store::suppression::SuppressionReason::Objected,
        &subject.fields.email,
        &subject.fields.phone,
        None,
    )?;
    ctx.audit(
        tx,
        NewEvent::new("subject.marketing_suppressed", "subject", Some(subject_id))
            .subject(subject_id)
            .fields(&["marketing_objection"])
            .reason(reason.trim()),
    )?;
    Ok(marketing.into_iter().map(|(id, _)| id).collect())
}

impl Register {
    /// Restricts processing of a subject (Art. 18) outside a request.
    pub fn restrict_subject(&mut self, subject_id: Id, reason: &str) -> Result<()> {
        require_text("reason", reason, "say why processing is restricted")?;
        self.subject(subject_id)?;
        self.write(|tx, ctx| {
            if restrict_in(tx, ctx, subject_id, reason)? {
                // Art. 19: the recipients are told of the restriction.
                crate::store::notify::create_in(
                    tx,
                    ctx,
                    subject_id,
                    crate::store::notify::NotifyCause::Restriction,
                    None,
                )?;
            }
            Ok(())
        })
    }

    /// Lifts a restriction. The person must be told before it is lifted (Art. 18(3)):
    /// `told_on` is when they were, recorded in the audit event.
    pub fn lift_restriction(
        &mut self,
        subject_id: Id,
        reason: &str,
        told_on: Option<chrono::NaiveDate>,
    ) -> Result<()> {
        require_text("reason", reason, "say why the restriction is lifted")?;
        if told_on.is_some_and(|d| d > self.today()) {
            return Err(
                crate::error::InputError::invalid("told_on", "a date in the future").into(),
            );
        }
        if !self.subject(subject_id)?.restricted {
            return Ok(());
        }
        // Art. 17(3), 18: what an erasure kept stays restricted until it may go.
        if crate::store::erasure::pending_receipt(self.conn(), subject_id)?.is_some() {
            return Err(crate::error::InputError::invalid(
                "restricted",
                "the erasure keeps these records restricted until the law lets them go",
            )
            .into());
        }
        let mut told = vec!["restricted".to_string()];
        if let Some(d) = told_on {
            told.push(format!("told_on:{d}"));
        }
        self.write(|tx, ctx| {
            set_subject_flag(tx, subject_id, SubjectFlag::Restricted, false, &ctx.now)?;
            ctx.audit(
                tx,
                NewEvent::new("subject.restriction_lifted", "subject", Some(subject_id))
                    .subject(subject_id)
                    .fields(&told.iter().map(String::as_str).collect::<Vec<_>>())
                    .reason(reason.trim()),
            )
        })
    }

    /// Objections to processing that is not direct marketing (Art. 21(1)) that wait for
    /// the manager's decision: (activity id, activity name).
    pub fn objections_pending(&self, subject_id: Id) -> Result<Vec<(Id, String)>> {
        let mut st = self.conn().prepare(
            "SELECT DISTINCT a.id, a.name FROM consent_events c JOIN activities a ON a.id = c.activity_id
             WHERE c.subject_id = ?1 AND c.kind = 'objection'
               AND json_extract(a.body, '$.direct_marketing') IS NOT 1
               AND NOT EXISTS (SELECT 1 FROM objection_decisions d
                               WHERE d.subject_id = c.subject_id AND d.activity_id = c.activity_id
                                 AND d.decided_at >= c.at)
             ORDER BY a.name",
        )?;
        let rows = st
            .query_map([subject_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The decisions on a subject's objections to processing that is not direct
    /// marketing (Art. 21(1)), oldest first.
    pub fn objection_decisions(&self, subject_id: Id) -> Result<Vec<DecidedObjection>> {
        let mut st = self.conn().prepare(
            "SELECT id, subject_id, activity_id, decision, grounds, decided_at FROM objection_decisions
             WHERE subject_id = ?1 ORDER BY decided_at, id",
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
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, subject_id, activity_id, decision, grounds, at)| {
                Ok(DecidedObjection {
                    id,
                    subject_id,
                    activity_id,
                    decision: ObjectionDecision::parse(&decision)
                        .ok_or_else(|| Error::Corrupt("unknown objection decision".into()))?,
                    grounds,
                    decided_at: crate::store::processors::time(&at)?,
                })
            })
            .collect()
    }

    /// Since when and why processing of a subject is restricted (Art. 18): the audit
    /// event that began the restriction in force. `None` when the subject is not
    /// restricted, or the restriction came with no event (an imported register).
    pub fn restriction_record(&self, subject_id: Id) -> Result<Option<RestrictionRecord>> {
        if !self.subject(subject_id)?.restricted {
            return Ok(None);
        }
        let row: Option<(String, String)> = self
            .conn()
            .query_row(
                "SELECT at, reason FROM audit_events
                 WHERE subject_id = ?1 AND action = 'subject.restricted'
                 ORDER BY seq DESC LIMIT 1",
                [subject_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(at, reason)| {
            Ok(RestrictionRecord {
                since: crate::store::processors::time(&at)?,
                reason,
            })
        })
        .transpose()
    }

    /// When a subject first objected to direct marketing (Art. 21(3)), as recorded: the
    /// earlier of the suppression's audit event and an objection to an activity marked
    /// as direct marketing. `None` when they have not objected, or the objection came
    /// without a dated event (carried over from a suppression entry on import).
    pub fn marketing_objection_since(&self, subject_id: Id) -> Result<Option<DateTime<Utc>>> {
        if !self.subject(subject_id)?.marketing_objection {
            return Ok(None);
        }
        let at: Option<String> = self.conn().query_row(
            "SELECT min(at) FROM (
                 SELECT at FROM audit_events
                 WHERE subject_id = ?1 AND action = 'subject.marketing_suppressed'
                 UNION ALL
                 SELECT c.at FROM consent_events c JOIN activities a ON a.id = c.activity_id
                 WHERE c.subject_id = ?1 AND c.kind = 'objection'
                   AND json_extract(a.body, '$.direct_marketing') IS 1)",
            [subject_id],
            |r| r.get(0),
        )?;
        at.as_deref()
            .map(crate::store::processors::time)
            .transpose()
    }

    /// Decides an objection to processing that is not direct marketing (Art. 21(1)):
    /// carry on, the compelling legitimate grounds documented in `reason`, or stop, which
    /// erases the person's records in the activity (journaled). Either way the
    /// restriction made while it was assessed (Art. 18(1)(d)) is lifted when no other
    /// objection waits.
    pub fn decide_objection(
        &mut self,
        subject_id: Id,
        activity_id: Id,
        decision: ObjectionDecision,
        reason: &str,
    ) -> Result<()> {
        require_text("reason", reason, "document the grounds of the decision")?;
        if !self
            .objections_pending(subject_id)?
            .iter()
            .any(|(a, _)| *a == activity_id)
        {
            return Err(crate::error::InputError::invalid(
                "activity",
                "no objection to this activity waits for a decision",
            )
            .into());
        }
        let others = self.objections_pending(subject_id)?.len() > 1;
        self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO objection_decisions (subject_id, activity_id, decision, grounds, decided_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![subject_id, activity_id, decision.as_str(), reason.trim(), ctx.now],
            )?;
            if decision == ObjectionDecision::Stop {
                let ids: Vec<Id> = tx
                    .prepare("SELECT id FROM records WHERE subject_id = ?1 AND activity_id = ?2 ORDER BY id")?
                    .query_map(params![subject_id, activity_id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let refs = ids
                    .iter()
                    .map(|r| crate::store::changes::record_ref(tx, ctx.register, *r))
                    .collect::<Result<Vec<_>>>()?;
                for r in &ids {
                    crate::store::subjects::delete_record_row(tx, *r)?;
                    ctx.audit(
                        tx,
                        NewEvent::new("record.deleted", "record", Some(*r))
                            .subject(subject_id)
                            .fields(&["value"])
                            .reason("Art. 21(1): the objection is upheld; the processing stops"),
                    )?;
                }
                crate::store::search::reindex(tx, subject_id)?;
                if !refs.is_empty() {
                    crate::store::changes::record(
                        tx,
                        ctx,
                        subject_id,
                        crate::store::erasure::ErasureTrigger::Manual,
                        &crate::store::changes::JournalChange::RecordsDeleted { records: refs },
                    )?;
                }
            }
            let fields = [format!("decision:{}", decision.as_str())];
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            ctx.audit(
                tx,
                NewEvent::new("objection.decided", "activity", Some(activity_id))
                    .subject(subject_id)
                    .fields(&fields)
                    .reason(reason.trim()),
            )?;
            if !others && load_subject(tx, subject_id)?.restricted {
                set_subject_flag(tx, subject_id, SubjectFlag::Restricted, false, &ctx.now)?;
                ctx.audit(
                    tx,
                    NewEvent::new("subject.restriction_lifted", "subject", Some(subject_id))
                        .subject(subject_id)
                        .fields(&["restricted"])
                        .reason("Art. 21(1): the objection is decided"),
                )?;
            }
            Ok(())
        })
    }

    /// Suppresses a subject from direct marketing for good (Art. 21(3)) outside a request.
    pub fn suppress_marketing(&mut self, subject_id: Id, reason: &str) -> Result<()> {
        require_text("reason", reason, "say why")?;
        self.subject(subject_id)?;
        self.write(|tx, ctx| suppress_marketing_in(tx, ctx, subject_id, "", reason).map(|_| ()))
    }

    /// Who a direct-marketing activity may address: its subjects, less those who
    /// objected (suppressed for good) and those whose processing is restricted.
    pub fn marketing_audience(&self, activity_id: Id) -> Result<Vec<Id>> {
        self.activity(activity_id)?;
        let mut st = self.conn().prepare(
            "SELECT DISTINCT s.id FROM subjects s JOIN records r ON r.subject_id = s.id
             WHERE r.activity_id = ?1 AND s.marketing_objection = 0 AND s.restricted = 0
               AND coalesce((SELECT c.kind FROM consent_events c
                             WHERE c.subject_id = s.id AND c.activity_id = ?1
                             ORDER BY c.at DESC, c.id DESC LIMIT 1), '') NOT IN ('consent_withdrawn', 'objection')
             ORDER BY s.id",
        )?;
        let ids = st
            .query_map([activity_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<Id>>>()?;
        Ok(ids)
    }
}
