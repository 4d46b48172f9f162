//! The request types: kinds, statuses, who asked, how a request is completed, and the
//! views of stored requests. `Debug` prints no personal data.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;
use crate::error::Result;
use crate::model::{check_email, check_phone, Id, Redacted, SubjectFields};
use crate::store::erasure::ErasureSummary;

crate::closed_list! {
    /// What a data subject asks for (Art. 15-21).
    pub enum RequestKind("request type") {
        Access = "access",
        Rectification = "rectification",
        Erasure = "erasure",
        Restriction = "restriction",
        Portability = "portability",
        Objection = "objection",
    }
}

impl RequestKind {
    pub fn article(self) -> &'static str {
        match self {
            RequestKind::Access => "Art. 15",
            RequestKind::Rectification => "Art. 16",
            RequestKind::Erasure => "Art. 17",
            RequestKind::Restriction => "Art. 18",
            RequestKind::Portability => "Art. 20",
            RequestKind::Objection => "Art. 21",
        }
    }

    /// Whether the requester's identity must be verified before the request is
    /// completed (Art. 12(6)). Not for an objection to direct marketing: Art. 21(3)
    /// honours it unconditionally, and stopping marketing harms no one.
    pub fn needs_identity_check(self) -> bool {
        self != RequestKind::Objection
    }
}

crate::closed_list! {
    /// The grounds the law gives for refusing a request, wholly or partly.
    pub enum RefusalGround("refusal ground") {
        /// Art. 12(5)(b): manifestly unfounded.
        ManifestlyUnfounded = "manifestly_unfounded",
        /// Art. 12(5)(b): excessive, in particular repetitive.
        Excessive = "excessive",
        /// Art. 11(2), 12(2): the person cannot be identified in the register.
        IdentityNotEstablished = "identity_not_established",
        /// Art. 17(3)(a): freedom of expression and information.
        FreedomOfExpression = "freedom_of_expression",
        /// Art. 17(3)(b): a legal obligation requires the processing (e.g. bookkeeping).
        LegalObligation = "legal_obligation",
        /// Art. 17(3)(c): public health.
        PublicHealth = "public_health",
        /// Art. 17(3)(d): archiving, research or statistics.
        Archiving = "archiving",
        /// Art. 17(3)(e): the establishment, exercise or defence of legal claims.
        LegalClaims = "legal_claims",
        /// Art. 21(1): compelling legitimate grounds override the person's interests.
        CompellingGrounds = "compelling_grounds",
        /// Art. 20(1): the processing is not based on consent or contract, or is not
        /// automated: the right to data portability does not apply.
        PortabilityNotApplicable = "portability_not_applicable",
        /// Art. 15(4), 20(4): the copy would adversely affect the rights and freedoms
        /// of others (another person's data, trade secrets): that part is left out.
        RightsOfOthers = "rights_of_others",
    }
}

impl RefusalGround {
    pub fn article(self) -> &'static str {
        match self {
            RefusalGround::ManifestlyUnfounded | RefusalGround::Excessive => "Art. 12(5)",
            RefusalGround::IdentityNotEstablished => "Art. 11(2)",
            RefusalGround::FreedomOfExpression => "Art. 17(3)(a)",
            RefusalGround::LegalObligation => "Art. 17(3)(b)",
            RefusalGround::PublicHealth => "Art. 17(3)(c)",
            RefusalGround::Archiving => "Art. 17(3)(d)",
            RefusalGround::LegalClaims => "Art. 17(3)(e)",
            RefusalGround::CompellingGrounds => "Art. 21(1)",
            RefusalGround::PortabilityNotApplicable => "Art. 20(1)",
            RefusalGround::RightsOfOthers => "Art. 15(4)",
        }
    }

    /// Whether the ground can refuse a request of `kind`: the Art. 17(3) exceptions an
    /// erasure, Art. 21(1) an objection, Art. 20(1) a portability request, the others
    /// any request.
    pub fn fits(self, kind: RequestKind) -> bool {
        match self {
            RefusalGround::FreedomOfExpression
            | RefusalGround::LegalObligation
            | RefusalGround::PublicHealth
            | RefusalGround::Archiving
            | RefusalGround::LegalClaims => kind == RequestKind::Erasure,
            RefusalGround::CompellingGrounds => kind == RequestKind::Objection,
            RefusalGround::PortabilityNotApplicable => kind == RequestKind::Portability,
            RefusalGround::RightsOfOthers => {
                matches!(kind, RequestKind::Access | RequestKind::Portability)
            }
            _ => true,
        }
    }

    /// The grounds that fit a request of `kind`, in the order the law gives them.
    pub fn fitting(kind: RequestKind) -> Vec<RefusalGround> {
        RefusalGround::ALL
            .iter()
            .copied()
            .filter(|g| g.fits(kind))
            .collect()
    }
}

crate::closed_list! {
    /// Where a request stands.
    pub enum RequestStatus("request status") {
        Received = "received",
        InProgress = "in_progress",
        Extended = "extended",
        Completed = "completed",
        Refused = "refused",
    }
}

impl RequestStatus {
    pub fn is_open(self) -> bool {
        !matches!(self, RequestStatus::Completed | RequestStatus::Refused)
    }
}

crate::closed_list! {
    /// How a closed request ended, as the reply tells the person.
    pub enum Outcome("request outcome") {
        /// Everything asked for was done.
        Done = "done",
        /// Done in part: what was not done, and on which ground, is recorded.
        Partly = "partly",
        /// The register holds no personal data about the person (Art. 15(1)).
        NoData = "no_data",
        /// The person could not be identified (Art. 11(2), 12(2), 12(6)).
        IdentityNotEstablished = "identity_not_established",
        /// Refused on a ground the law gives (Art. 12(4)).
        Refused = "refused",
    }
}

crate::closed_list! {
    /// Why a fee may be charged; otherwise a reply is free of charge (Art. 12(5)).
    pub enum FeeGround("fee ground") {
        /// Art. 12(5)(a): a reasonable fee for a manifestly unfounded or excessive
        /// request, instead of refusing it.
        Excessive = "excessive",
        /// Art. 15(3): further copies of the data.
        FurtherCopies = "further_copies",
    }
}

impl FeeGround {
    pub fn article(self) -> &'static str {
        match self {
            FeeGround::Excessive => "Art. 12(5)(a)",
            FeeGround::FurtherCopies => "Art. 15(3)",
        }
    }
}

/// A fee charged for a request: a reasonable fee based on the administrative costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    /// The amount as written, in the currency's units: "250" or "250.50".
    pub amount: String,
    /// ISO 4217: "NOK".
    pub currency: String,
    pub ground: FeeGround,
    /// How it was reckoned (the administrative costs).
    #[serde(default)]
    pub reason: String,
}

impl Fee {
    /// The fee with its amount and currency checked and written one way.
    pub(super) fn normalised(&self) -> Result<Fee> {
        let amount = self.amount.trim().replace(',', ".");
        let (whole, cents) = amount.split_once('.').unwrap_or((&amount, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !(cents.is_empty() || (cents.len() <= 2 && digits(cents))) {
            return Err(crate::error::InputError::invalid(
                "fee.amount",
                "an amount such as 250 or 250.50",
            )
            .into());
        }
        if amount.bytes().all(|b| b == b'0' || b == b'.') {
            return Err(
                crate::error::InputError::invalid("fee.amount", "more than nothing").into(),
            );
        }
        let currency = self.currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(crate::error::InputError::invalid(
                "fee.currency",
                "a three-letter currency code such as NOK",
            )
            .into());
        }
        Ok(Fee {
            amount,
            currency,
            ground: self.ground,
            reason: self.reason.trim().to_string(),
        })
    }
}

crate::closed_list! {
    /// How the request came in.
    #[derive(Default)]
    pub enum Channel("channel") {
        #[default]
        Email = "email",
        Letter = "letter",
        Phone = "phone",
        InPerson = "in_person",
        WebForm = "web_form",
        Other = "other",
    }
}

/// Who asked, as they gave it. Personal data: `Debug` prints no values.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Requester {
    pub name: String,
    pub email: String,
    pub phone: String,
}

impl fmt::Debug for Requester {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Requester")
            .field("name", &Redacted(&self.name))
            .field("email", &Redacted(&self.email))
            .field("phone", &Redacted(&self.phone))
            .finish()
    }
}

impl Requester {
    pub(super) fn normalised(&self) -> Result<Requester> {
        let r = Requester {
            name: self.name.split_whitespace().collect::<Vec<_>>().join(" "),
            email: self.email.trim().to_string(),
            phone: self.phone.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        if !r.email.is_empty() {
            check_email("requester.email", &r.email)?;
        }
        if !r.phone.is_empty() {
            check_phone("requester.phone", &r.phone)?;
        }
        Ok(r)
    }
    pub(super) fn is_empty(&self) -> bool {
        self.name.is_empty() && self.email.is_empty() && self.phone.is_empty()
    }
}

/// A request to register (also the editable part of a stored one).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRequest {
    pub kind: RequestKind,
    /// The subject, when known; otherwise `requester` says who asked.
    #[serde(default)]
    pub subject_id: Option<Id>,
    #[serde(default)]
    pub requester: Requester,
    /// The local date it arrived; today when omitted.
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
    #[serde(default)]
    pub channel: Channel,
    #[serde(default)]
    pub notes: String,
}

impl fmt::Debug for NewRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewRequest")
            .field("kind", &self.kind)
            .field("subject_id", &self.subject_id)
            .field("requester", &self.requester)
            .field("received_on", &self.received_on)
            .field("channel", &self.channel)
            .field("notes", &Redacted(&self.notes))
            .finish()
    }
}

/// What was sent in answer to an access or portability request. The report itself is
/// made by the reports module; the caller says what it sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentReport {
    /// `pdf`, `json` ...
    pub format: String,
    /// The file name as sent (may name the person; wiped on erasure).
    #[serde(default)]
    pub file_name: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordChange {
    pub record_id: Id,
    pub value: String,
}

impl fmt::Debug for RecordChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordChange")
            .field("record_id", &self.record_id)
            .field("value", &Redacted(&self.value))
            .finish()
    }
}

/// How a request is completed; the variant must fit the request's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Completion {
    /// Access or portability: the report was produced and sent.
    ReportSent(SentReport),
    /// Rectification: the subject's new fields and/or new record values.
    Rectification {
        #[serde(default)]
        subject: Option<SubjectFields>,
        #[serde(default)]
        records: Vec<RecordChange>,
    },
    Erasure,
    Restriction,
    /// Objection to direct marketing.
    Objection,
}

impl Completion {
    pub(super) fn fits(&self, kind: RequestKind) -> bool {
        matches!(
            (self, kind),
            (
                Completion::ReportSent(_),
                RequestKind::Access | RequestKind::Portability
            ) | (Completion::Rectification { .. }, RequestKind::Rectification)
                | (Completion::Erasure, RequestKind::Erasure)
                | (Completion::Restriction, RequestKind::Restriction)
                | (Completion::Objection, RequestKind::Objection)
        )
    }
}

/// A stored request with where it stands against its deadline.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: Id,
    /// A random id for exchanges (OpenDSR `subject_request_id`).
    pub public_id: String,
    pub kind: RequestKind,
    pub subject_id: Option<Id>,
    pub requester: Requester,
    pub received_on: NaiveDate,
    pub channel: Channel,
    /// How the identity was verified ("reply from the registered e-mail address").
    pub verified_how: String,
    pub verified_on: Option<NaiveDate>,
    pub status: RequestStatus,
    pub extension_months: u32,
    pub extension_reason: String,
    pub refusal_reason: String,
    /// The ground it was refused on (`None`: not refused, or before grounds were kept).
    pub refusal_ground: Option<RefusalGround>,
    /// How it ended, once closed (`None` while open).
    pub outcome: Option<Outcome>,
    /// Done in part: what was not done and why (with `refusal_ground`).
    pub not_done: String,
    /// A fee charged (Art. 12(5), 15(3)); `None`: free of charge.
    pub fee: Option<Fee>,
    /// When the reply was sent to the person, and how.
    pub reply_sent_on: Option<NaiveDate>,
    pub reply_how: String,
    pub notes: String,
    pub response: Option<SentReport>,
    /// The erasure receipt, once an erasure request is completed.
    pub receipt_id: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub deadline: Deadline,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("subject_id", &self.subject_id)
            .field("requester", &self.requester)
            .field("status", &self.status)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// One thing done about a request (written by the core: codes, field names, counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestAction {
    pub at: DateTime<Utc>,
    pub action: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestView {
    pub request: Request,
    pub actions: Vec<RequestAction>,
}

/// What completing a request did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompletionOutcome {
    pub request: Request,
    /// The receipt and who to tell, for an erasure request.
    pub erasure: Option<ErasureSummary>,
}

/// Which requests to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestFilter {
    #[default]
    All,
    Open,
    Subject(Id),
}

/// The overview's view of the open requests, soonest deadline first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestDeadlines {
    pub today: NaiveDate,
    pub open: usize,
    pub overdue: usize,
    pub due_soon: usize,
    /// Requests whose first month ends within a week: the last days to decide on an
    /// extension and tell the person (Art. 12(3); [`Deadline::extension_closes_in`]).
    pub extension_reminders: usize,
    pub requests: Vec<Request>,
}
