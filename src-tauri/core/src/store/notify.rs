//! Art. 19: "The controller shall communicate any rectification or erasure of personal
//! data or restriction of processing carried out in accordance with Article 16, Article
//! 17(1) and Article 18 to each recipient to whom the personal data have been
//! disclosed, unless this proves impossible or involves disproportionate effort. The
//! controller shall inform the data subject about those recipients if the data subject
//! requests it."
//!
//! Each such change creates one task per recipient of the person's processing
//! activities: the processors (by name), the free-text recipients and the joint
//! controllers. The manager marks each task told (when, how) or impossible /
//! disproportionate (why). A recipient that already has an open task of the same cause
//! for the person gets no second one: telling it once covers both changes.
//!
//! Tasks hold no personal data (ids, organisation names, dates and the manager's note
//! of how the recipient was told) and are kept after the person is erased, so the
//! register can show that the erasure was passed on.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, InputError, Result};
use crate::model::{Activity, Id};
use crate::store::audit::NewEvent;
use crate::store::requests::date;
use crate::store::{Ctx, Register};

crate::closed_list! {
    /// The change a recipient is to be told of (Art. 19).
    pub enum NotifyCause("notification cause") {
        Erasure = "erasure",
        Rectification = "rectification",
        Restriction = "restriction",
    }
}

crate::closed_list! {
    /// Who the recipient is to the controller.
    pub enum RecipientKind("recipient kind") {
        /// A processor (Art. 28) of one of the person's activities.
        Processor = "processor",
        /// A recipient named in the activity (Art. 30(1)(d)).
        Recipient = "recipient",
        /// A joint controller (Art. 26).
        JointController = "joint_controller",
    }
}

crate::closed_list! {
    /// Where a task stands.
    pub enum NotifyStatus("notification status") {
        Open = "open",
        Told = "told",
        /// Art. 19: telling proves impossible.
        Impossible = "impossible",
        /// Art. 19: telling involves disproportionate effort.
        Disproportionate = "disproportionate",
    }
}

/// One recipient to tell of one change about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: Id,
    /// The person (kept as an id after they are erased).
    pub subject_id: Option<Id>,
    pub cause: NotifyCause,
    /// The request that made the change, if a request did.
    pub request_id: Option<Id>,
    /// The activity through which the recipient had the data.
    pub activity_id: Option<Id>,
    pub recipient: String,
    pub recipient_kind: RecipientKind,
    pub created_on: NaiveDate,
    pub status: NotifyStatus,
    /// When the recipient was told, or the task was closed as impossible.
    pub done_on: Option<NaiveDate>,
    /// How the recipient was told, or why telling is impossible or disproportionate.
    pub how: String,
}

/// Which tasks to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyFilter {
    #[default]
    Open,
    All,
    Subject(Id),
}

/// The recipients of a person's activities: (kind, name, activity), one per recipient
/// (the first activity that names it), in activity order.
fn recipients_of(tx: &Connection, subject_id: Id) -> Result<Vec<(RecipientKind, String, Id)>> {
    let mut st = tx.prepare_cached(
        "SELECT id, body FROM activities WHERE id IN (
            SELECT activity_id FROM records WHERE subject_id = ?1
            UNION SELECT activity_id FROM consent_events WHERE subject_id = ?1) ORDER BY id",
    )?;
    let activities = st
        .query_map([subject_id], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut processors = tx.prepare_cached(
        "SELECT p.name FROM processors p JOIN activity_processors ap ON ap.processor_id = p.id
         WHERE ap.activity_id = ?1 ORDER BY p.name",
    )?;
    let mut out: Vec<(RecipientKind, String, Id)> = Vec::new();
    let mut add = |kind: RecipientKind, name: &str, activity: Id| {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return;
        }
        let seen = out
            .iter()
            .any(|(k, n, _)| *k == kind && n.to_lowercase() == name.to_lowercase());
        if !seen {
            out.push((kind, name, activity));
        }
    };
    for (id, body) in activities {
        let a: Activity = serde_json::from_str(&body)?;
        let names = processors
            .query_map([id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for n in &names {
            add(RecipientKind::Processor, n, id);
        }
        // A free-text recipient that names one of the activity's processors ("Microsoft
        // as processor (Dynamics 365 / Microsoft 365)") is that processor, told once.
        for r in &a.recipients {
            let lower = r.to_lowercase();
            if names
                .iter()
                .any(|n| !n.trim().is_empty() && lower.contains(&n.trim().to_lowercase()))
            {
                continue;
            }
            add(RecipientKind::Recipient, r, id);
        }
        for j in &a.joint_controllers {
            add(RecipientKind::JointController, &j.name, id);
        }
    }
    Ok(out)
}

/// Creates the Art. 19 tasks for a change about `subject_id`, inside the caller's
/// transaction; called before an erasure removes the records that say which activities
/// the person was in. Returns how many tasks were made.
pub(crate) fn create_in(
    tx: &Connection,
    ctx: &Ctx,
    subject_id: Id,
    cause: NotifyCause,
    request_id: Option<Id>,
) -> Result<usize> {
    let mut made = 0;
    for (kind, name, activity) in recipients_of(tx, subject_id)? {
        let open: Option<Id> = tx
            .query_row(
                "SELECT id FROM notifications WHERE subject_id = ?1 AND cause = ?2
                 AND recipient_kind = ?3 AND recipient = ?4 AND status = 'open'",
                params![subject_id, cause.as_str(), kind.as_str(), name],
                |r| r.get(0),
            )
            .optional()?;
        if open.is_some() {
            continue;
        }
        tx.execute(
            "INSERT INTO notifications (subject_id, cause, request_id, activity_id, recipient,
                recipient_kind, created_on, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![
                subject_id,
                cause.as_str(),
                request_id,
                activity,
                name,
                kind.as_str(),
                ctx.today.to_string(),
                ctx.now
            ],
        )?;
        made += 1;
    }
    if made > 0 {
        let count = format!("count:{made}");
        ctx.audit(
            tx,
            NewEvent::new("notifications.created", "subject", Some(subject_id))
                .subject(subject_id)
                .fields(&[cause.as_str(), &count]),
        )?;
    }
    Ok(made)
}

const COLUMNS: &str = "id, subject_id, cause, request_id, activity_id, recipient, recipient_kind,
    created_on, status, done_on, how";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<(Notification, [String; 4], Option<String>)> {
    let cause: String = r.get(2)?;
    let kind: String = r.get(6)?;
    let created: String = r.get(7)?;
    let status: String = r.get(8)?;
    Ok((
        Notification {
            id: r.get(0)?,
            subject_id: r.get(1)?,
            cause: NotifyCause::Erasure,
            request_id: r.get(3)?,
            activity_id: r.get(4)?,
            recipient: r.get(5)?,
            recipient_kind: RecipientKind::Processor,
            created_on: NaiveDate::MIN,
            status: NotifyStatus::Open,
            done_on: None,
            how: r.get(10)?,
        },
        [cause, kind, created, status],
        r.get(9)?,
    ))
}

fn finish(raw: (Notification, [String; 4], Option<String>)) -> Result<Notification> {
    let (mut n, [cause, kind, created, status], done) = raw;
    let corrupt = |what: &str| Error::Corrupt(format!("unknown notification {what}"));
    n.cause = NotifyCause::parse(&cause).ok_or_else(|| corrupt("cause"))?;
    n.recipient_kind = RecipientKind::parse(&kind).ok_or_else(|| corrupt("recipient kind"))?;
    n.status = NotifyStatus::parse(&status).ok_or_else(|| corrupt("status"))?;
    n.created_on = date(&created)?;
    n.done_on = done.as_deref().map(date).transpose()?;
    Ok(n)
}

impl Register {
    /// The Art. 19 tasks: the open ones (oldest first), all, or one person's.
    pub fn notifications(&self, filter: NotifyFilter) -> Result<Vec<Notification>> {
        let (clause, arg): (&str, Option<Id>) = match filter {
            NotifyFilter::Open => ("WHERE status = 'open' ORDER BY created_on, id", None),
            NotifyFilter::All => ("ORDER BY id DESC", None),
            NotifyFilter::Subject(id) => ("WHERE subject_id = ?1 ORDER BY id", Some(id)),
        };
        let mut st = self
            .conn()
            .prepare(&format!("SELECT {COLUMNS} FROM notifications {clause}"))?;
        let rows = match arg {
            Some(id) => st
                .query_map([id], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            None => st
                .query_map([], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        rows.into_iter().map(finish).collect()
    }

    /// One person's Art. 19 tasks, for their page and their access report (Art. 19,
    /// second sentence: the person is told of the recipients on request).
    pub fn notifications_for(&self, subject_id: Id) -> Result<Vec<Notification>> {
        self.notifications(NotifyFilter::Subject(subject_id))
    }

    pub fn notification(&self, id: Id) -> Result<Notification> {
        let raw = self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM notifications WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?
            .ok_or(Error::NotFound {
                entity: "notification",
                id,
            })?;
        finish(raw)
    }

    /// How many tasks are open.
    pub fn open_notifications(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM notifications WHERE status = 'open'",
            [],
            |r| r.get(0),
        )?)
    }

    /// Closes an open task: the recipient was told on `on` (`how`: by what means), or
    /// telling proves impossible or involves disproportionate effort (`how`: why).
    pub fn mark_notification(
        &mut self,
        id: Id,
        status: NotifyStatus,
        on: Option<NaiveDate>,
        how: &str,
    ) -> Result<Notification> {
        let n = self.notification(id)?;
        if n.status != NotifyStatus::Open {
            return Err(
                InputError::invalid("status", "this recipient's task is already closed").into(),
            );
        }
        let problem = match status {
            NotifyStatus::Open => {
                return Err(
                    InputError::invalid("status", "say whether the recipient was told").into(),
                )
            }
            NotifyStatus::Told => "say how the recipient was told",
            NotifyStatus::Impossible | NotifyStatus::Disproportionate => {
                "say why the recipient cannot be told (Art. 19)"
            }
        };
        if how.trim().is_empty() {
            return Err(InputError::invalid("how", problem).into());
        }
        let today = self.clock().today();
        let on = on.unwrap_or(today);
        if on > today || on < n.created_on {
            return Err(
                InputError::invalid("done_on", "a day between the change and today").into(),
            );
        }
        let fields = [status.as_str(), n.cause.as_str()];
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE notifications SET status = ?1, done_on = ?2, how = ?3, updated_at = ?4
                 WHERE id = ?5",
                params![status.as_str(), on.to_string(), how.trim(), ctx.now, id],
            )?;
            let mut ev = NewEvent::new("notification.closed", "notification", Some(id))
                .fields(&fields)
                .reason(how.trim());
            if let Some(s) = n.subject_id {
                ev = ev.subject(s);
            }
            ctx.audit(tx, ev)
        })?;
        self.notification(id)
    }
}
