//! Storage of requests: the row mapping and checks, and the [`Register`] methods that
//! register, list, show, advance and complete requests.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::model::{
    Channel, Completion, CompletionOutcome, Fee, NewRequest, Outcome, RefusalGround, Request,
    RequestAction, RequestDeadlines, RequestFilter, RequestKind, RequestStatus, RequestView,
    Requester, SentReport,
};
use super::rights::{restrict_in, suppress_marketing_in};
use crate::deadline::{Deadline, MAX_EXTENSION_MONTHS};
use crate::error::{Error, InputError, Result};
use crate::model::Id;
use crate::store::audit::NewEvent;
use crate::store::erasure::{erase_in, Cause, ErasureSummary, ErasureTrigger, KeptBecause};
use crate::store::notify::{self, NotifyCause};
use crate::store::processors::time;
use crate::store::subjects::{load_record, rectify_record_in, rectify_subject_in};
use crate::store::{Ctx, Register};

/// A report to put in place inside a request's completion.
struct ReportFile<'a> {
    file: crate::files::Pending,
    fields: &'a [&'a str],
    renamed: &'a std::cell::Cell<bool>,
}

const COLUMNS: &str =
    "id, public_id, kind, subject_id, requester_name, requester_email, requester_phone,
    received_on, channel, verified_how, verified_on, status, extension_months, extension_reason,
    refusal_reason, notes, response, receipt_id, closed_on, created_at, updated_at, refusal_ground,
    outcome, not_done, fee, reply_sent_on, reply_how";

struct Row {
    id: Id,
    public_id: String,
    kind: String,
    subject_id: Option<Id>,
    requester: Requester,
    received_on: String,
    channel: String,
    verified_how: String,
    verified_on: Option<String>,
    status: String,
    extension_months: u32,
    extension_reason: String,
    refusal_reason: String,
    notes: String,
    response: String,
    receipt_id: Option<String>,
    closed_on: Option<String>,
    created_at: String,
    updated_at: String,
    refusal_ground: String,
    outcome: String,
    not_done: String,
    fee: String,
    reply_sent_on: Option<String>,
    reply_how: String,
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        public_id: r.get(1)?,
        kind: r.get(2)?,
        subject_id: r.get(3)?,
        requester: Requester {
            name: r.get(4)?,
            email: r.get(5)?,
            phone: r.get(6)?,
        },
        received_on: r.get(7)?,
        channel: r.get(8)?,
        verified_how: r.get(9)?,
        verified_on: r.get(10)?,
        status: r.get(11)?,
        extension_months: r.get(12)?,
        extension_reason: r.get(13)?,
        refusal_reason: r.get(14)?,
        notes: r.get(15)?,
        response: r.get(16)?,
        receipt_id: r.get(17)?,
        closed_on: r.get(18)?,
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
        refusal_ground: r.get(21)?,
        outcome: r.get(22)?,
        not_done: r.get(23)?,
        fee: r.get(24)?,
        reply_sent_on: r.get(25)?,
        reply_how: r.get(26)?,
    })
}

pub(crate) fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::Corrupt("a stored date is not YYYY-MM-DD".into()))
}

fn request_from(r: Row, today: NaiveDate) -> Result<Request> {
    let corrupt = |what: &str| Error::Corrupt(format!("unknown request {what}"));
    let status = RequestStatus::parse(&r.status).ok_or_else(|| corrupt("status"))?;
    let received_on = date(&r.received_on)?;
    Ok(Request {
        id: r.id,
        public_id: r.public_id,
        kind: RequestKind::parse(&r.kind).ok_or_else(|| corrupt("kind"))?,
        subject_id: r.subject_id,
        requester: r.requester,
        received_on,
        channel: Channel::parse(&r.channel).ok_or_else(|| corrupt("channel"))?,
        verified_how: r.verified_how,
        verified_on: r.verified_on.as_deref().map(date).transpose()?,
        status,
        extension_months: r.extension_months,
        extension_reason: r.extension_reason,
        refusal_reason: r.refusal_reason,
        refusal_ground: match r.refusal_ground.as_str() {
            "" => None,
            g => Some(RefusalGround::parse(g).ok_or_else(|| corrupt("refusal ground"))?),
        },
        outcome: match r.outcome.as_str() {
            "" => None,
            o => Some(Outcome::parse(o).ok_or_else(|| corrupt("outcome"))?),
        },
        not_done: r.not_done,
        fee: if r.fee.is_empty() {
            None
        } else {
            Some(serde_json::from_str(&r.fee)?)
        },
        reply_sent_on: r.reply_sent_on.as_deref().map(date).transpose()?,
        reply_how: r.reply_how,
        notes: r.notes,
        response: if r.response.is_empty() {
            None
        } else {
            Some(serde_json::from_str(&r.response)?)
        },
        receipt_id: r.receipt_id,
        closed_on: r.closed_on.as_deref().map(date).transpose()?,
        deadline: Deadline::compute(received_on, r.extension_months, today, status.is_open()),
        created_at: time(&r.created_at)?,
        updated_at: time(&r.updated_at)?,
    })
}

fn load(conn: &Connection, id: Id, today: NaiveDate) -> Result<Request> {
    let r = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM requests WHERE id = ?1"),
            [id],
            row,
        )
        .optional()?
        .ok_or(Error::NotFound {
            entity: "request",
            id,
        })?;
    request_from(r, today)
}

fn add_action(
    tx: &Connection,
    ctx: &Ctx,
    request_id: Id,
    action: &str,
    detail: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO request_actions (request_id, at, action, detail) VALUES (?1, ?2, ?3, ?4)",
        params![request_id, ctx.now, action, detail],
    )?;
    Ok(())
}

fn require_open(r: &Request) -> Result<()> {
    if !r.status.is_open() {
        return Err(InputError::invalid(
            "status",
            format!(
                "the request is {} and can no longer change",
                r.status.as_str()
            ),
        )
        .into());
    }
    Ok(())
}

pub(super) fn require_text(field: &'static str, v: &str, problem: &str) -> Result<()> {
    if v.trim().is_empty() {
        return Err(InputError::invalid(field, problem.to_string()).into());
    }
    Ok(())
}

impl Register {
    pub(super) fn today(&self) -> NaiveDate {
        self.clock().today()
    }

    fn check_new_request(&self, r: &NewRequest) -> Result<(Requester, NaiveDate)> {
        let requester = r.requester.normalised()?;
        if let Some(id) = r.subject_id {
            self.subject(id)?;
        } else if requester.is_empty() {
            return Err(InputError::invalid(
                "subject_id",
                "choose the subject or say who the requester is",
            )
            .into());
        }
        let today = self.today();
        let received = r.received_on.unwrap_or(today);
        if received > today {
            return Err(InputError::invalid("received_on", "a date in the future").into());
        }
        Ok((requester, received))
    }

    /// Registers a request. Its deadline runs from `received_on`.
    pub fn add_request(&mut self, r: &NewRequest) -> Result<Request> {
        let (requester, received) = self.check_new_request(r)?;
        let public_id = uuid::Uuid::new_v4().to_string();
        let id = self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO requests (public_id, kind, subject_id, requester_name, requester_email, requester_phone,
                        received_on, channel, status, notes, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'received', ?9, ?10, ?10)",
                params![
                    public_id,
                    r.kind,
                    r.subject_id,
                    requester.name,
                    requester.email,
                    requester.phone,
                    received.to_string(),
                    r.channel,
                    r.notes.trim(),
                    ctx.now
                ],
            )?;
            let id = tx.last_insert_rowid();
            add_action(tx, ctx, id, "received", r.kind.article())?;
            let kind = [r.kind.as_str()];
            let mut ev = NewEvent::new("request.created", "request", Some(id)).fields(&kind);
            if let Some(s) = r.subject_id {
                ev = ev.subject(s);
            }
            ctx.audit(tx, ev)?;
            Ok(id)
        })?;
        self.request(id)
    }

    /// Changes an open request's kind, subject, requester, date, channel or notes.
    pub fn update_request(&mut self, id: Id, r: &NewRequest) -> Result<Request> {
        let before = self.request(id)?;
        require_open(&before)?;
        let (requester, received) = self.check_new_request(r)?;
        let changed: Vec<&str> = [
            ("kind", before.kind != r.kind),
            ("subject_id", before.subject_id != r.subject_id),
            ("requester", before.requester != requester),
            ("received_on", before.received_on != received),
            ("channel", before.channel != r.channel),
            ("notes", before.notes != r.notes.trim()),
        ]
        .iter()
        .filter(|(_, c)| *c)
        .map(|(k, _)| *k)
        .collect();
        if changed.is_empty() {
            return Ok(before);
        }
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE requests SET kind = ?1, subject_id = ?2, requester_name = ?3, requester_email = ?4,
                        requester_phone = ?5, received_on = ?6, channel = ?7, notes = ?8, updated_at = ?9
                 WHERE id = ?10",
                params![
                    r.kind,
                    r.subject_id,
                    requester.name,
                    requester.email,
                    requester.phone,
                    received.to_string(),
                    r.channel,
                    r.notes.trim(),
                    ctx.now,
                    id
                ],
            )?;
            add_action(tx, ctx, id, "changed", &changed.join(","))?;
            let mut ev = NewEvent::new("request.changed", "request", Some(id)).fields(&changed);
            if let Some(s) = r.subject_id {
                ev = ev.subject(s);
            }
            ctx.audit(tx, ev)
        })?;
        self.request(id)
    }

    /// Links a request from an unknown requester to the subject it turned out to be.
    pub fn match_request(&mut self, id: Id, subject_id: Id) -> Result<Request> {
        let r = self.request(id)?;
        require_open(&r)?;
        self.subject(subject_id)?;
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE requests SET subject_id = ?1, updated_at = ?2 WHERE id = ?3",
                params![subject_id, ctx.now, id],
            )?;
            add_action(tx, ctx, id, "matched", &format!("subject {subject_id}"))?;
            ctx.audit(
                tx,
                NewEvent::new("request.matched", "request", Some(id)).subject(subject_id),
            )
        })?;
        self.request(id)
    }

    /// Records how and when the requester's identity was verified (Art. 12(6)).
    pub fn verify_request_identity(
        &mut self,
        id: Id,
        how: &str,
        on: Option<NaiveDate>,
    ) -> Result<Request> {
        let r = self.request(id)?;
        require_open(&r)?;
        require_text("verified_how", how, "say how the identity was verified")?;
        let today = self.today();
        let on = on.unwrap_or(today);
        if on > today {
            return Err(InputError::invalid("verified_on", "a date in the future").into());
        }
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE requests SET verified_how = ?1, verified_on = ?2, updated_at = ?3 WHERE id = ?4",
                params![how.trim(), on.to_string(), ctx.now, id],
            )?;
            add_action(tx, ctx, id, "identity_verified", "")?;
            let mut ev = NewEvent::new("request.identity_verified", "request", Some(id))
                .fields(&["verified_how", "verified_on"]);
            if let Some(s) = r.subject_id {
                ev = ev.subject(s);
            }
            ctx.audit(tx, ev)
        })?;
        self.request(id)
    }

    /// Records that the requester was asked for proof of identity (Art. 12(6)), and how.
    pub fn ask_for_identity(&mut self, id: Id, how: &str) -> Result<Request> {
        let r = self.request(id)?;
        require_open(&r)?;
        require_text(
            "asked_how",
            how,
            "say how the proof of identity was asked for",
        )?;
        self.write(|tx, ctx| {
            add_action(tx, ctx, id, "identity_requested", how.trim())?;
            ctx.audit(
                tx,
                subject_event("request.identity_requested", &r).fields(&["asked_how"]),
            )
        })?;
        self.request(id)
    }

    /// Marks a request as being worked on.
    pub fn start_request(&mut self, id: Id) -> Result<Request> {
        let r = self.request(id)?;
        require_open(&r)?;
        if r.status != RequestStatus::Received {
            return Ok(r);
        }
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE requests SET status = 'in_progress', updated_at = ?1 WHERE id = ?2",
                params![ctx.now, id],
            )?;
            add_action(tx, ctx, id, "in_progress", "")?;
            ctx.audit(tx, subject_event("request.started", &r))
        })?;
        self.request(id)
    }

    /// Extends the deadline by one or two further months (Art. 12(3)), in all at most
    /// two, with the reason the subject is told. Only within the first month; `told_on`
    /// is when the person was told of it and why (also within the first month).
    pub fn extend_request(
        &mut self,
        id: Id,
        months: u32,
        reason: &str,
        told_on: Option<NaiveDate>,
    ) -> Result<Request> {
        let r = self.request(id)?;
        require_open(&r)?;
        require_text("extension_reason", reason, "say why more time is needed")?;
        if let Some(d) = told_on {
            if d > self.today() || d < r.received_on {
                return Err(InputError::invalid(
                    "told_on",
                    "a day between the request's receipt and today",
                )
                .into());
            }
            if d > r.deadline.due_on {
                return Err(InputError::invalid(
                    "told_on",
                    "the person must be told within the first month (Art. 12(3))",
                )
                .into());
            }
        }
        let total = r.extension_months + months;
        if months == 0 || total > MAX_EXTENSION_MONTHS {
            return Err(InputError::invalid(
                "extension_months",
                format!(
                    "at most {MAX_EXTENSION_MONTHS} further months in all ({} already)",
                    r.extension_months
                ),
            )
            .into());
        }
        if self.today() > r.deadline.due_on {
            return Err(InputError::invalid(
                "extension_months",
                "an extension must be decided and told within the first month (Art. 12(3))",
            )
            .into());
        }
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE requests SET status = 'extended', extension_months = ?1,
                        extension_reason = CASE WHEN extension_reason = '' THEN ?2 ELSE extension_reason || char(10) || ?2 END,
                        updated_at = ?3 WHERE id = ?4",
                params![total, reason.trim(), ctx.now, id],
            )?;
            let detail = match told_on {
                Some(d) => format!("{months} month(s); told {d}"),
                None => format!("{months} month(s)"),
            };
            add_action(tx, ctx, id, "extended", &detail)?;
            let told = told_on.map(|d| format!("told_on:{d}"));
            let mut fields = vec!["extension_months"];
            if let Some(t) = &told {
                fields.push(t);
            }
            ctx.audit(tx, subject_event("request.extended", &r).fields(&fields).reason(reason.trim()))
        })?;
        self.request(id)
    }

    /// Refuses a request on one of the grounds the law gives, with the reasons the
    /// person is told (Art. 12(4)); the ground must fit the request's kind.
    pub fn refuse_request(
        &mut self,
        id: Id,
        ground: RefusalGround,
        reason: &str,
    ) -> Result<Request> {
        let r = self.request(id)?;
        require_open(&r)?;
        if !ground.fits(r.kind) {
            return Err(InputError::invalid(
                "refusal_ground",
                format!(
                    "{} ({}) does not refuse a request for {}",
                    ground.as_str(),
                    ground.article(),
                    r.kind.as_str()
                ),
            )
            .into());
        }
        require_text("refusal_reason", reason, "say why the request is refused")?;
        let outcome = if ground == RefusalGround::IdentityNotEstablished {
            Outcome::IdentityNotEstablished
        } else {
            Outcome::Refused
        };
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE requests SET status = 'refused', refusal_reason = ?1, refusal_ground = ?2,
                        closed_on = ?3, updated_at = ?4, outcome = ?6, not_done = '' WHERE id = ?5",
                params![
                    reason.trim(),
                    ground.as_str(),
                    ctx.today.to_string(),
                    ctx.now,
                    id,
                    outcome.as_str()
                ],
            )?;
            add_action(tx, ctx, id, "refused", ground.as_str())?;
            ctx.audit(
                tx,
                subject_event("request.refused", &r)
                    .fields(&[ground.as_str()])
                    .reason(reason.trim()),
            )
        })?;
        self.request(id)
    }

    /// Says that the request will be completed only in part: what will not be done and
    /// the ground the law gives for it (the ground must fit the request's kind, as for
    /// a refusal). The completion that follows then closes the request as partly
    /// completed, and the reply says what was done and what was not. An empty
    /// `not_done` takes it back.
    pub fn set_partly(&mut self, id: Id, ground: RefusalGround, not_done: &str) -> Result<Request> {
        let r = self.request(id)?;
        require_open(&r)?;
        let not_done = not_done.trim();
        if !not_done.is_empty() && !ground.fits(r.kind) {
            return Err(InputError::invalid(
                "refusal_ground",
                format!(
                    "{} ({}) does not apply to a request for {}",
                    ground.as_str(),
                    ground.article(),
                    r.kind.as_str()
                ),
            )
            .into());
        }
        let ground = if not_done.is_empty() {
            ""
        } else {
            ground.as_str()
        };
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE requests SET not_done = ?1, refusal_ground = ?2, updated_at = ?3 WHERE id = ?4",
                params![not_done, ground, ctx.now, id],
            )?;
            add_action(tx, ctx, id, "partly", ground)?;
            ctx.audit(
                tx,
                subject_event("request.partly", &r)
                    .fields(&["not_done", ground])
                    .reason(not_done),
            )
        })?;
        self.request(id)
    }

    /// Records the fee charged for a request, or none (`None`: free of charge, as a
    /// reply is unless Art. 12(5)(a) or 15(3) applies). A fee for further copies fits an
    /// access request only.
    pub fn set_request_fee(&mut self, id: Id, fee: Option<&Fee>) -> Result<Request> {
        let r = self.request(id)?;
        let fee = fee.map(Fee::normalised).transpose()?;
        if let Some(f) = &fee {
            if f.ground == super::model::FeeGround::FurtherCopies && r.kind != RequestKind::Access {
                return Err(InputError::invalid(
                    "fee.ground",
                    "a fee for further copies (Art. 15(3)) is for an access request",
                )
                .into());
            }
        }
        let json = fee.as_ref().map(serde_json::to_string).transpose()?;
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE requests SET fee = ?1, updated_at = ?2 WHERE id = ?3",
                params![json.as_deref().unwrap_or(""), ctx.now, id],
            )?;
            let detail = fee
                .as_ref()
                .map(|f| format!("{} {} ({})", f.amount, f.currency, f.ground.as_str()))
                .unwrap_or_default();
            add_action(tx, ctx, id, "fee", &detail)?;
            let ground = fee.as_ref().map(|f| f.ground.as_str()).unwrap_or("none");
            ctx.audit(
                tx,
                subject_event("request.fee", &r).fields(&["fee", ground]),
            )
        })?;
        self.request(id)
    }

    /// Records that the reply was sent to the person, when and how ("e-mail to the
    /// address the request came from"). For a closed request, or an extended one (the
    /// extension notice).
    pub fn record_reply_sent(
        &mut self,
        id: Id,
        on: Option<NaiveDate>,
        how: &str,
    ) -> Result<Request> {
        let r = self.request(id)?;
        if r.status.is_open() && r.status != RequestStatus::Extended {
            return Err(InputError::invalid(
                "status",
                "complete, refuse or extend the request before its reply is sent",
            )
            .into());
        }
        require_text("reply_how", how, "say how the reply was sent")?;
        let today = self.today();
        let on = on.unwrap_or(today);
        if on > today || on < r.received_on {
            return Err(InputError::invalid(
                "reply_sent_on",
                "a day between the request's receipt and today",
            )
            .into());
        }
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE requests SET reply_sent_on = ?1, reply_how = ?2, updated_at = ?3 WHERE id = ?4",
                params![on.to_string(), how.trim(), ctx.now, id],
            )?;
            add_action(tx, ctx, id, "reply_sent", &on.to_string())?;
            ctx.audit(
                tx,
                subject_event("request.reply_sent", &r).fields(&["reply_sent_on", "reply_how"]),
            )
        })?;
        self.request(id)
    }

    /// Answers a request from someone the register holds nothing about: "we hold no
    /// personal data about you". The request must not be matched to a person; no
    /// identity check is needed to say so.
    pub fn answer_no_data(&mut self, id: Id) -> Result<Request> {
        let r = self.request(id)?;
        require_open(&r)?;
        if r.subject_id.is_some() {
            return Err(InputError::invalid(
                "subject_id",
                "the request is matched to a person the register holds",
            )
            .into());
        }
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE requests SET status = 'completed', outcome = 'no_data', closed_on = ?1,
                        updated_at = ?2 WHERE id = ?3",
                params![ctx.today.to_string(), ctx.now, id],
            )?;
            add_action(tx, ctx, id, "no_data", "")?;
            add_action(tx, ctx, id, "completed", "")?;
            ctx.audit(
                tx,
                NewEvent::new("request.completed", "request", Some(id))
                    .fields(&[r.kind.as_str(), "no_data"]),
            )
        })?;
        self.request(id)
    }

    /// Completes a request by doing what it asks, in one transaction with the status
    /// change: see the module documentation. The subject must be matched and the
    /// identity verified.
    pub fn complete_request(
        &mut self,
        id: Id,
        completion: &Completion,
    ) -> Result<CompletionOutcome> {
        self.complete_request_with(id, completion, None)
    }

    /// The request `id` may be completed with `completion` now: it is open, the
    /// completion fits its kind, it is matched to a subject who still exists, and the
    /// requester's identity was verified (Art. 12(6)). The request and its subject.
    fn completable(&self, id: Id, completion: &Completion) -> Result<(Request, Id)> {
        let r = self.request(id)?;
        require_open(&r)?;
        if !completion.fits(r.kind) {
            return Err(InputError::invalid(
                "completion",
                format!("does not fit a request for {}", r.kind.as_str()),
            )
            .into());
        }
        let subject_id = r.subject_id.ok_or_else(|| {
            InputError::invalid("subject_id", "match the request to a subject first")
        })?;
        self.subject(subject_id)?;
        // Art. 21(3): an objection to direct marketing is honoured unconditionally; no
        // identity check stands between the person and "no more marketing".
        if r.verified_on.is_none() && r.kind.needs_identity_check() {
            return Err(InputError::invalid(
                "verified_on",
                "verify the requester's identity before completing the request",
            )
            .into());
        }
        Ok((r, subject_id))
    }

    /// Whom the access report for request `id` (access, Art. 15, or portability,
    /// Art. 20) is about, when the request can be completed now. Asked before the report
    /// is made, so that a request that cannot be completed leaves no report behind.
    pub fn access_request_subject(&self, id: Id) -> Result<Id> {
        let probe = Completion::ReportSent(SentReport {
            format: "pdf".into(),
            file_name: String::new(),
        });
        self.completable(id, &probe).map(|(_, subject)| subject)
    }

    /// Completes an access or portability request with the report it sends, all or
    /// nothing: the report (written and synced beforehand as `file`) is renamed into
    /// place in the transaction that records it (`report.created` with `report_fields`,
    /// never data) and completes the request. A failure leaves the request open, no
    /// event, and the file the user chose to replace as it was; if the commit fails
    /// after the rename, the new file is removed.
    pub fn complete_access_request(
        &mut self,
        id: Id,
        format: &str,
        file: crate::files::Pending,
        report_fields: &[&str],
    ) -> Result<CompletionOutcome> {
        let target = file.target().to_path_buf();
        let sent = Completion::ReportSent(SentReport {
            format: format.to_string(),
            file_name: target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        });
        let renamed = std::cell::Cell::new(false);
        let result = self.complete_request_with(
            id,
            &sent,
            Some(ReportFile {
                file,
                fields: report_fields,
                renamed: &renamed,
            }),
        );
        if result.is_err() && renamed.get() {
            let _ = std::fs::remove_file(&target);
        }
        result
    }

    fn complete_request_with(
        &mut self,
        id: Id,
        completion: &Completion,
        report: Option<ReportFile>,
    ) -> Result<CompletionOutcome> {
        let (r, subject_id) = self.completable(id, completion)?;
        let why = format!(
            "{} request {} ({})",
            r.kind.as_str(),
            r.public_id,
            r.kind.article()
        );
        // Checks that need no transaction come first, so bad input changes nothing.
        let subject_fields = match completion {
            Completion::Rectification { subject, records } => {
                if subject.is_none() && records.is_empty() {
                    return Err(InputError::invalid("rectification", "say what to change").into());
                }
                for c in records {
                    if load_record(self.conn(), c.record_id)?.subject_id != subject_id {
                        return Err(InputError::invalid(
                            "records",
                            format!("record {} is not the subject's", c.record_id),
                        )
                        .into());
                    }
                }
                subject.as_ref().map(|s| s.normalised()).transpose()?
            }
            Completion::ReportSent(sent) => {
                require_text("format", &sent.format, "say what format was sent")?;
                None
            }
            _ => None,
        };
        let register_id = self.id().to_string();
        let erasure = self.write(|tx, ctx| {
            let mut erasure = None;
            let (action, detail) = match completion {
                Completion::ReportSent(sent) => {
                    let response = serde_json::to_string(&SentReport {
                        format: sent.format.trim().to_string(),
                        file_name: sent.file_name.trim().to_string(),
                    })?;
                    tx.execute(
                        "UPDATE requests SET response = ?1 WHERE id = ?2",
                        params![response, id],
                    )?;
                    ctx.audit(
                        tx,
                        NewEvent::new("request.report_sent", "request", Some(id))
                            .subject(subject_id)
                            .fields(&["format", "file_name"]),
                    )?;
                    ("report_sent", format!("format {}", sent.format.trim()))
                }
                Completion::Rectification { records, .. } => {
                    let mut changed: Vec<String> = Vec::new();
                    if let Some(f) = &subject_fields {
                        changed.extend(
                            rectify_subject_in(tx, ctx, subject_id, f, &why)?
                                .into_iter()
                                .map(String::from),
                        );
                    }
                    let mut n = 0;
                    for c in records {
                        if rectify_record_in(tx, ctx, c.record_id, &c.value, &why)? {
                            n += 1;
                        }
                    }
                    if n > 0 {
                        changed.push(format!("records:{n}"));
                    }
                    if changed.is_empty() {
                        return Err(InputError::invalid(
                            "rectification",
                            "the new values are the same as the old ones",
                        )
                        .into());
                    }
                    // Art. 19: the recipients are told of the rectification.
                    notify::create_in(tx, ctx, subject_id, NotifyCause::Rectification, Some(id))?;
                    ("rectified", changed.join(","))
                }
                Completion::Erasure => {
                    let summary = erase_in(
                        tx,
                        ctx,
                        &register_id,
                        subject_id,
                        &Cause {
                            request: Some((id, r.public_id.clone())),
                            ..Cause::new(ErasureTrigger::Request, &why)
                        },
                    )?;
                    tx.execute(
                        "UPDATE requests SET receipt_id = ?1 WHERE id = ?2",
                        params![summary.receipt.id, id],
                    )?;
                    let mut detail = format!(
                        "receipt {}; records:{}; consent_events:{}",
                        summary.receipt.id, summary.records, summary.consent_events
                    );
                    if !summary.kept.is_empty() {
                        detail.push_str(&format!("; kept:{}", summary.kept.len()));
                    }
                    erasure = Some(summary);
                    ("erased", detail)
                }
                Completion::Restriction => {
                    if restrict_in(tx, ctx, subject_id, &why)? {
                        // Art. 19: the recipients are told of the restriction.
                        notify::create_in(tx, ctx, subject_id, NotifyCause::Restriction, Some(id))?;
                    }
                    ("restricted", String::new())
                }
                Completion::Objection => {
                    let acts = suppress_marketing_in(
                        tx,
                        ctx,
                        subject_id,
                        &format!("request {}", r.public_id),
                        &why,
                    )?;
                    ("marketing_suppressed", format!("activities:{}", acts.len()))
                }
            };
            add_action(tx, ctx, id, action, &detail)?;
            // Done in part when the manager said what is left undone, or when an
            // erasure kept what the law requires (Art. 17(3)(b), (e)).
            let kept_ground = erasure.as_ref().and_then(|e: &ErasureSummary| {
                e.kept.first().map(|k| match k.because {
                    KeptBecause::LegalObligation { .. } => RefusalGround::LegalObligation,
                    _ => RefusalGround::LegalClaims,
                })
            });
            let (outcome, ground) = match (r.not_done.is_empty(), kept_ground) {
                (false, _) => (Outcome::Partly, r.refusal_ground),
                (true, Some(g)) => (Outcome::Partly, Some(g)),
                (true, None) => (Outcome::Done, None),
            };
            tx.execute(
                "UPDATE requests SET status = 'completed', closed_on = ?1, updated_at = ?2,
                        outcome = ?4, refusal_ground = ?5 WHERE id = ?3",
                params![
                    ctx.today.to_string(),
                    ctx.now,
                    id,
                    outcome.as_str(),
                    ground.map(RefusalGround::as_str).unwrap_or("")
                ],
            )?;
            add_action(tx, ctx, id, "completed", outcome.as_str())?;
            ctx.audit(
                tx,
                NewEvent::new("request.completed", "request", Some(id))
                    .subject(subject_id)
                    .fields(&[r.kind.as_str(), outcome.as_str()]),
            )?;
            if let Some(report) = report {
                ctx.audit(
                    tx,
                    NewEvent::new("report.created", "subject", Some(subject_id))
                        .subject(subject_id)
                        .fields(report.fields),
                )?;
                report.file.commit()?;
                report.renamed.set(true);
            }
            Ok(erasure)
        })?;
        let erasure = match erasure {
            Some(mut summary) => {
                self.checkpoint()?;
                summary.journaled = self.journal_receipts(std::slice::from_ref(&summary.receipt));
                Some(summary)
            }
            None => None,
        };
        Ok(CompletionOutcome {
            request: self.request(id)?,
            erasure,
        })
    }

    pub fn request(&self, id: Id) -> Result<Request> {
        load(self.conn(), id, self.today())
    }

    /// A request with the actions taken on it.
    pub fn request_view(&self, id: Id) -> Result<RequestView> {
        let request = self.request(id)?;
        let mut st = self.conn().prepare(
            "SELECT at, action, detail FROM request_actions WHERE request_id = ?1 ORDER BY id",
        )?;
        let rows = st
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let actions = rows
            .into_iter()
            .map(|(at, action, detail)| {
                Ok(RequestAction {
                    at: time(&at)?,
                    action,
                    detail,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(RequestView { request, actions })
    }

    /// Requests, newest received first (open ones by deadline with [`RequestFilter::Open`]).
    pub fn requests(&self, filter: RequestFilter) -> Result<Vec<Request>> {
        let (cond, arg): (&str, Option<Id>) = match filter {
            RequestFilter::All => ("1", None),
            RequestFilter::Open => ("status NOT IN ('completed', 'refused')", None),
            RequestFilter::Subject(s) => ("subject_id = ?1", Some(s)),
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM requests WHERE {cond} ORDER BY received_on DESC, id DESC"
        );
        let mut st = self.conn().prepare(&sql)?;
        let rows = match arg {
            Some(a) => st
                .query_map([a], row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            None => st
                .query_map([], row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        let today = self.today();
        let mut list = rows
            .into_iter()
            .map(|r| request_from(r, today))
            .collect::<Result<Vec<_>>>()?;
        if filter == RequestFilter::Open {
            list.sort_by_key(|r| (r.deadline.effective_due_on, r.id));
        }
        Ok(list)
    }

    /// Days left per open request, with the overdue and due-within-7-days counts.
    pub fn request_deadlines(&self) -> Result<RequestDeadlines> {
        let requests = self.requests(RequestFilter::Open)?;
        Ok(RequestDeadlines {
            today: self.today(),
            open: requests.len(),
            overdue: requests.iter().filter(|r| r.deadline.overdue).count(),
            due_soon: requests.iter().filter(|r| r.deadline.due_soon).count(),
            extension_reminders: requests
                .iter()
                .filter(|r| r.deadline.extension_closes_in.is_some())
                .count(),
            requests,
        })
    }
}

fn subject_event<'a>(action: &'a str, r: &Request) -> NewEvent<'a> {
    let ev = NewEvent::new(action, "request", Some(r.id));
    match r.subject_id {
        Some(s) => ev.subject(s),
        None => ev,
    }
}
