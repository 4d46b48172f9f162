//! What the pages show that more than one commands module answers with: an activity
//! as lists name it, and a request's row and page (the request commands and completing
//! an access request with its report both return the page). Built from the register;
//! no commands, no state.

use privreg_core::model::{Id, SubjectFields};
use privreg_core::store::erasure::ErasureReceipt;
use privreg_core::store::requests::{Request, RequestAction};
use privreg_core::Register;
use serde::Serialize;

/// An activity by id and name: on a subject's page and in the processor list.
#[derive(Debug, Serialize)]
pub struct ActivityName {
    pub id: i64,
    pub name: String,
}

/// A line of the request list: the request and the name it is about.
#[derive(Debug, Serialize)]
pub struct RequestRow {
    #[serde(flatten)]
    pub request: Request,
    /// The matched subject's name; `None` for an unknown requester or an erased subject.
    pub subject_name: Option<String>,
}

pub(crate) fn request_row(reg: &Register, request: Request) -> RequestRow {
    let subject_name = request
        .subject_id
        .and_then(|id| reg.subject(id).ok())
        .map(|s| s.fields.name);
    RequestRow {
        request,
        subject_name,
    }
}

/// One request with what was done, the subject it is about and, after an erasure,
/// the receipt (which holds no personal data).
#[derive(Debug, Serialize)]
pub struct RequestPage {
    #[serde(flatten)]
    pub row: RequestRow,
    pub actions: Vec<RequestAction>,
    pub receipt: Option<ErasureReceipt>,
    /// The subject's current details, for a rectification.
    pub subject: Option<SubjectFields>,
    /// Whether the identity must be verified before completing (not for an objection
    /// to direct marketing, Art. 21(3)).
    pub needs_identity: bool,
    /// The grounds the law gives for refusing a request of this kind.
    pub refusal_grounds: Vec<privreg_core::store::requests::RefusalGround>,
    /// The fee grounds that fit the request (further copies: access only).
    pub fee_grounds: Vec<privreg_core::store::requests::FeeGround>,
    /// The Art. 19 tasks the request's change made.
    pub notifications: Vec<NotificationRow>,
}

/// An Art. 19 task as the window lists it: with the person's name (while they are in
/// the register) and the activity's.
#[derive(Debug, Serialize)]
pub struct NotificationRow {
    #[serde(flatten)]
    pub task: privreg_core::store::notify::Notification,
    /// `None` once the person is erased.
    pub subject_name: Option<String>,
    pub activity: Option<String>,
}

pub(crate) fn notification_rows(
    reg: &Register,
    list: Vec<privreg_core::store::notify::Notification>,
) -> privreg_core::Result<Vec<NotificationRow>> {
    let activities: std::collections::HashMap<Id, String> = reg
        .activities()?
        .into_iter()
        .map(|a| (a.id, a.activity.name))
        .collect();
    Ok(list
        .into_iter()
        .map(|task| NotificationRow {
            subject_name: task
                .subject_id
                .and_then(|id| reg.subject(id).ok())
                .map(|s| s.fields.name),
            activity: task.activity_id.and_then(|id| activities.get(&id).cloned()),
            task,
        })
        .collect())
}

pub(crate) fn request_page(reg: &Register, id: Id) -> privreg_core::Result<RequestPage> {
    let view = reg.request_view(id)?;
    let receipt = match &view.request.receipt_id {
        Some(rid) => Some(reg.erasure_receipt(rid)?),
        None => None,
    };
    let subject = view
        .request
        .subject_id
        .and_then(|id| reg.subject(id).ok())
        .map(|s| s.fields);
    Ok(RequestPage {
        subject,
        needs_identity: view.request.kind.needs_identity_check(),
        refusal_grounds: privreg_core::store::requests::RefusalGround::fitting(view.request.kind),
        fee_grounds: privreg_core::store::requests::FeeGround::ALL
            .iter()
            .copied()
            .filter(|g| {
                *g != privreg_core::store::requests::FeeGround::FurtherCopies
                    || view.request.kind == privreg_core::store::requests::RequestKind::Access
            })
            .collect(),
        notifications: notification_rows(
            reg,
            reg.notifications(privreg_core::store::notify::NotifyFilter::Subject(
                view.request.subject_id.unwrap_or(0),
            ))?
            .into_iter()
            .filter(|n| n.request_id == Some(id))
            .collect(),
        )?,
        row: request_row(reg, view.request),
        actions: view.actions,
        receipt,
    })
}
