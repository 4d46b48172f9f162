//! The requests export in OpenDSR's request format.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::{Channel, RequestFilter, RequestKind, RequestStatus};
use crate::error::Result;
use crate::model::Redacted;
use crate::store::Register;

/// The file [`Register::export_requests`] makes. It carries personal data (the
/// identities), as an answer to a supervisory authority would.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestsExport {
    pub schema_version: u32,
    pub format: String,
    pub exported_on: NaiveDate,
    pub requests: Vec<OpenDsrRequest>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Identity {
    pub identity_type: String,
    pub identity_value: String,
    pub identity_format: String,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("identity_type", &self.identity_type)
            .field("identity_value", &Redacted(&self.identity_value))
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpenDsrRequest {
    pub subject_request_id: String,
    pub subject_request_type: RequestKind,
    /// The local date of receipt at the start of the day (OpenDSR wants a time).
    pub submitted_time: String,
    pub subject_identities: Vec<Identity>,
    /// OpenDSR's status: pending, in_progress, completed or cancelled.
    pub request_status: String,
    /// This register's status: received, in_progress, extended, completed, refused.
    pub status: RequestStatus,
    pub received_on: NaiveDate,
    pub channel: Channel,
    /// The deadline that applies (Art. 12(3)).
    pub expected_completion_time: String,
    pub extension_months: u32,
    pub verified_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub refusal_reason: String,
    pub receipt_id: Option<String>,
}

impl Register {
    /// Requests as JSON shaped like OpenDSR's request format: `subject_request_id`,
    /// `subject_request_type`, `submitted_time`, `subject_identities`, with the status.
    pub fn export_requests(&self) -> Result<RequestsExport> {
        let today = self.today();
        let mut requests = Vec::new();
        for r in self.requests(RequestFilter::All)?.into_iter().rev() {
            let subject = match r.subject_id {
                Some(id) => self.subject(id).ok(),
                None => None,
            };
            let mut ids = Vec::new();
            let mut push = |t: &str, v: &str| {
                if !v.trim().is_empty() {
                    ids.push(Identity {
                        identity_type: t.to_string(),
                        identity_value: v.trim().to_string(),
                        identity_format: "raw".to_string(),
                    });
                }
            };
            if let Some(s) = &subject {
                push("controller_customer_id", &s.id.to_string());
                push("email", &s.fields.email);
                push("phone_number", &s.fields.phone);
                push("name", &s.fields.name);
            } else {
                push("email", &r.requester.email);
                push("phone_number", &r.requester.phone);
                push("name", &r.requester.name);
            }
            requests.push(OpenDsrRequest {
                subject_request_id: r.public_id.clone(),
                subject_request_type: r.kind,
                submitted_time: format!("{}T00:00:00Z", r.received_on),
                subject_identities: ids,
                request_status: match r.status {
                    RequestStatus::Received => "pending",
                    RequestStatus::InProgress | RequestStatus::Extended => "in_progress",
                    RequestStatus::Completed => "completed",
                    RequestStatus::Refused => "cancelled",
                }
                .to_string(),
                status: r.status,
                received_on: r.received_on,
                channel: r.channel,
                expected_completion_time: format!("{}T23:59:59Z", r.deadline.effective_due_on),
                extension_months: r.extension_months,
                verified_on: r.verified_on,
                closed_on: r.closed_on,
                refusal_reason: r.refusal_reason.clone(),
                receipt_id: r.receipt_id.clone(),
            });
        }
        Ok(RequestsExport {
            schema_version: 1,
            format: "opendsr-0.1".to_string(),
            exported_on: today,
            requests,
        })
    }
}
