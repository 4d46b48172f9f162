//! Data subject requests (Art. 12-22): the register of requests, their deadlines, and
//! completing them through the same core paths the rest of the program uses.
//!
//! | request       | completing it                                                  |
//! |---------------|----------------------------------------------------------------|
//! | access (15), portability (20) | the caller produces the report and says what was sent ([`Completion::ReportSent`]) |
//! | rectification (16) | audited edits of the subject and its records              |
//! | erasure (17)  | complete erasure with a receipt ([`super::erasure`])             |
//! | restriction (18) | the subject is frozen: edits refused, CSV import rows for it rejected, left out of direct-marketing audiences and skipped by retention deletions; still in access reports, the requests export and the whole-register export (with its flag) |
//! | objection (21) | suppressed from direct marketing, for good                      |
//!
//! A request may come from someone not yet matched to a subject; what they gave
//! (name, e-mail, phone) is kept on the request, matched or not, and wiped when the
//! subject is erased (with the notes, and on unmatched requests from the same e-mail
//! address too). Identity must be verified before a request is completed.
//!
//! A request is open while `received`, `in_progress` or `extended`: it can then be
//! changed, matched to a subject, have the identity verified, be started (`received` →
//! `in_progress`), extended (→ `extended`, Art. 12(3)), refused (→ `refused`) or
//! completed (→ `completed`). `completed` and `refused` are final. Every step is
//! recorded in the request's actions and the audit log.
//!
//! The types are in `model`, storage and the request life cycle in `storage`, the
//! Art. 18 and 21 helpers in `rights`, and the OpenDSR export in `opendsr`.

mod model;
mod opendsr;
pub(crate) mod rights;
mod storage;

pub use model::{
    Channel, Completion, CompletionOutcome, Fee, FeeGround, NewRequest, Outcome, RecordChange,
    RefusalGround, Request, RequestAction, RequestDeadlines, RequestFilter, RequestKind,
    RequestStatus, RequestView, Requester, SentReport,
};
pub use opendsr::{Identity, OpenDsrRequest, RequestsExport};
pub use rights::{DecidedObjection, RestrictionRecord};
pub(crate) use storage::date;
