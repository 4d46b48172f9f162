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
        row: request_row(reg, view.request),
        actions: view.actions,
        receipt,
    })
}
