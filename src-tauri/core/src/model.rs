//! The domain model: what a record of processing activities (GDPR Art. 30) and a
//! register of personal data hold.
//!
//! Types that carry personal data (subjects, records, consent events) implement
//! `Debug` by hand so that values never reach logs or panic messages.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{InputError, InputResult};

/// Database ids are integers handed out by SQLite (`AUTOINCREMENT`, never reused).
pub type Id = i64;

// ---------------------------------------------------------------------------
// Controller profile: Art. 30(1)(a)
// ---------------------------------------------------------------------------

/// A person or office to contact: the DPO, the representative, a joint controller.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
            && self.email.trim().is_empty()
            && self.phone.trim().is_empty()
            && self.address.trim().is_empty()
    }
}

/// The organisation that keeps the register (the controller).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Controller {
    pub organisation: String,
    /// Norwegian organisation number (9 digits) or another registry number.
    pub org_number: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    /// The person in charge of privacy (in the seeds: the general manager).
    pub contact_person: Contact,
    /// Data protection officer, where one is appointed.
    pub dpo: Option<Contact>,
    /// Representative in the EU/EEA (Art. 27), where one is needed.
    pub representative: Option<Contact>,
    /// The supervisory authority complaints go to (default: Datatilsynet).
    pub supervisory_authority: String,
    /// The last day of the financial year (bookkeeping retention counts from the end of
    /// the financial year, bokføringsloven § 13); 31 December unless set.
    pub financial_year_end: YearEnd,
}

/// A day of the year, as a month and a day (the end of a financial year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct YearEnd {
    pub month: u32,
    pub day: u32,
}

impl Default for YearEnd {
    fn default() -> Self {
        YearEnd { month: 12, day: 31 }
    }
}

impl YearEnd {
    /// A day every year has (29 February is not one).
    pub fn validate(&self, field: &'static str) -> InputResult<()> {
        match NaiveDate::from_ymd_opt(2025, self.month, self.day) {
            Some(_) => Ok(()),
            None => Err(InputError::invalid(
                field,
                "a day of the year, such as 31 December (29 February is not in every year)",
            )),
        }
    }

    /// The last day of the financial year that `date` falls in.
    pub fn end_of_year_of(&self, date: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        let this_year = NaiveDate::from_ymd_opt(date.year(), self.month, self.day)
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(date.year(), 12, 31).expect("31 December"));
        if date <= this_year {
            this_year
        } else {
            NaiveDate::from_ymd_opt(date.year() + 1, self.month, self.day).unwrap_or(NaiveDate::MAX)
        }
    }
}

impl Controller {
    pub fn validate(&self) -> InputResult<()> {
        require("organisation", &self.organisation)?;
        self.financial_year_end.validate("financial_year_end")?;
        if !self.email.trim().is_empty() {
            check_email("email", &self.email)?;
        }
        if !self.phone.trim().is_empty() {
            check_phone("phone", &self.phone)?;
        }
        let digits: String = self
            .org_number
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if !digits.is_empty()
            && !digits
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(InputError::invalid(
                "org_number",
                "only letters, digits and dashes",
            ));
        }
        for (field, c) in [("dpo", &self.dpo), ("representative", &self.representative)] {
            if let Some(c) = c {
                if !c.email.trim().is_empty() {
                    check_email(field, &c.email)?;
                }
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Closed lists from the law
// ---------------------------------------------------------------------------

crate::closed_list! {
    /// Art. 6(1) lawful bases.
    pub enum LegalBasis("legal basis") {
        /// (a)
        Consent = "consent",
        /// (b)
        Contract = "contract",
        /// (c)
        LegalObligation = "legal_obligation",
        /// (d)
        VitalInterests = "vital_interests",
        /// (e)
        PublicTask = "public_task",
        /// (f)
        LegitimateInterests = "legitimate_interests",
    }
}

impl LegalBasis {
    /// The article reference, e.g. "Art. 6(1)(a)".
    pub fn article(self) -> &'static str {
        match self {
            LegalBasis::Consent => "Art. 6(1)(a)",
            LegalBasis::Contract => "Art. 6(1)(b)",
            LegalBasis::LegalObligation => "Art. 6(1)(c)",
            LegalBasis::VitalInterests => "Art. 6(1)(d)",
            LegalBasis::PublicTask => "Art. 6(1)(e)",
            LegalBasis::LegitimateInterests => "Art. 6(1)(f)",
        }
    }
}

crate::closed_list! {
    /// Art. 9(2) conditions for special categories of personal data.
    pub enum Art9Condition("Art. 9 condition") {
        /// (a)
        ExplicitConsent = "explicit_consent",
        /// (b)
        EmploymentSocialSecurity = "employment_social_security",
        /// (c)
        VitalInterests = "vital_interests",
        /// (d)
        NotForProfitBody = "not_for_profit_body",
        /// (e)
        MadePublicBySubject = "made_public_by_subject",
        /// (f)
        LegalClaims = "legal_claims",
        /// (g)
        SubstantialPublicInterest = "substantial_public_interest",
        /// (h)
        HealthOrSocialCare = "health_or_social_care",
        /// (i)
        PublicHealth = "public_health",
        /// (j)
        ArchivingResearchStatistics = "archiving_research_statistics",
    }
}

impl Art9Condition {
    pub fn article(self) -> &'static str {
        match self {
            Art9Condition::ExplicitConsent => "Art. 9(2)(a)",
            Art9Condition::EmploymentSocialSecurity => "Art. 9(2)(b)",
            Art9Condition::VitalInterests => "Art. 9(2)(c)",
            Art9Condition::NotForProfitBody => "Art. 9(2)(d)",
            Art9Condition::MadePublicBySubject => "Art. 9(2)(e)",
            Art9Condition::LegalClaims => "Art. 9(2)(f)",
            Art9Condition::SubstantialPublicInterest => "Art. 9(2)(g)",
            Art9Condition::HealthOrSocialCare => "Art. 9(2)(h)",
            Art9Condition::PublicHealth => "Art. 9(2)(i)",
            Art9Condition::ArchivingResearchStatistics => "Art. 9(2)(j)",
        }
    }
}

crate::closed_list! {
    /// Chapter V transfer tools for a transfer to a third country.
    pub enum TransferSafeguard("transfer safeguard") {
        /// Art. 45 adequacy decision (e.g. the EU-US Data Privacy Framework).
        AdequacyDecision = "adequacy_decision",
        /// Art. 46(2)(c) standard contractual clauses.
        StandardContractualClauses = "standard_contractual_clauses",
        /// Art. 47 binding corporate rules.
        BindingCorporateRules = "binding_corporate_rules",
        /// Art. 46(2)(e) approved code of conduct.
        CodeOfConduct = "code_of_conduct",
        /// Art. 46(2)(f) approved certification.
        Certification = "certification",
        /// Art. 49(1) derogation for a specific situation (e.g. explicit consent).
        Derogation = "derogation",
        /// Art. 49(1) second subparagraph: compelling legitimate interests, with
        /// documented suitable safeguards (Art. 30(1)(e)).
        CompellingLegitimateInterests = "compelling_legitimate_interests",
    }
}

impl TransferSafeguard {
    pub fn article(self) -> &'static str {
        match self {
            TransferSafeguard::AdequacyDecision => "Art. 45",
            TransferSafeguard::StandardContractualClauses => "Art. 46(2)(c)",
            TransferSafeguard::BindingCorporateRules => "Art. 47",
            TransferSafeguard::CodeOfConduct => "Art. 46(2)(e)",
            TransferSafeguard::Certification => "Art. 46(2)(f)",
            TransferSafeguard::Derogation => "Art. 49(1)",
            TransferSafeguard::CompellingLegitimateInterests => "Art. 49(1) second subparagraph",
        }
    }
}

crate::closed_list! {
    /// CNIL's grouping of data categories, with criminal convictions and offences
    /// (Art. 10) as a group of its own.
    #[derive(Default)]
    pub enum CategoryGroup("category group") {
        Identity = "identity",
        PersonalLife = "personal_life",
        ProfessionalLife = "professional_life",
        Financial = "financial",
        ConnectionData = "connection_data",
        Location = "location",
        OnlineIdentifiers = "online_identifiers",
        /// Personal data relating to criminal convictions and offences (Art. 10): not a
        /// special category of Art. 9, so it needs no Art. 9(2) condition.
        Criminal = "criminal",
        #[default]
        Other = "other",
    }
}

crate::closed_list! {
    /// What starts the retention clock.
    pub enum RetentionTrigger("retention trigger") {
        Collected = "collected",
        RelationshipEnded = "relationship_ended",
        ApplicationClosed = "application_closed",
        Unsubscribed = "unsubscribed",
        LastContact = "last_contact",
        /// The day after the financial year the record belongs to ends (by its
        /// `collected_on`): bookkeeping material is kept five years after the end of
        /// the financial year (bokføringsloven § 13), so an invoice of 15 March 2026
        /// is kept to 31 December 2031.
        FinancialYearEnd = "financial_year_end",
    }
}

impl RetentionTrigger {
    /// Whether the trigger's start is a date recorded for a person in an activity (the
    /// relationship ended, the application closed ...), rather than counted from each
    /// record's own date (`collected`, `financial_year_end`).
    pub fn is_dated(self) -> bool {
        !matches!(
            self,
            RetentionTrigger::Collected | RetentionTrigger::FinancialYearEnd
        )
    }
}

crate::closed_list! {
    /// The unit of a retention period.
    pub enum PeriodUnit("period unit") {
        Days = "days",
        Months = "months",
        Years = "years",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub amount: u32,
    pub unit: PeriodUnit,
}

/// How long one category of data is kept (Art. 30(1)(f)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionRule {
    pub trigger: RetentionTrigger,
    /// `None` means "until further notice"; `justification` then says why.
    pub duration: Option<Period>,
    #[serde(default)]
    pub justification: String,
}

impl RetentionRule {
    pub fn validate(&self, field: &'static str) -> InputResult<()> {
        match self.duration {
            Some(p) if p.amount == 0 => {
                Err(InputError::invalid(field, "duration must be at least 1"))
            }
            None if self.justification.trim().is_empty() => Err(InputError::invalid(
                field,
                "\"until further notice\" needs a justification",
            )),
            _ => Ok(()),
        }
    }
}

/// One category of personal data an activity processes (Art. 30(1)(c)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataCategory {
    pub name: String,
    #[serde(default)]
    pub group: CategoryGroup,
    /// Special category (Art. 9) or criminal offence data (Art. 10). Which of the two
    /// is told by the group: a category in [`CategoryGroup::Criminal`] is Art. 10 data,
    /// any other marked sensitive is a special category.
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub retention: Option<RetentionRule>,
}

impl DataCategory {
    pub fn new(name: &str, group: CategoryGroup) -> Self {
        DataCategory {
            name: name.to_string(),
            group,
            sensitive: false,
            retention: None,
        }
    }

    /// Personal data relating to criminal convictions and offences (Art. 10): the
    /// category is in the criminal group, marked sensitive or not.
    pub fn is_criminal_offence_data(&self) -> bool {
        self.group == CategoryGroup::Criminal
    }

    /// A special category of personal data (Art. 9(1)): marked sensitive and not
    /// criminal offence data, which Art. 10 governs instead. Only these need an Art.
    /// 9(2) condition.
    pub fn is_special_category(&self) -> bool {
        self.sensitive && !self.is_criminal_offence_data()
    }

    /// Special category or criminal offence data: what the window and the reports
    /// mark as "Special category (Art. 9) or criminal offence data (Art. 10)".
    pub fn is_sensitive(&self) -> bool {
        self.sensitive || self.is_criminal_offence_data()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JointController {
    pub name: String,
    pub contact: Contact,
    /// The split of responsibility under Art. 26.
    pub responsibilities: String,
}

/// A transfer to a third country or international organisation (Art. 30(1)(e)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// Country (or international organisation).
    pub country: String,
    #[serde(default)]
    pub recipient: String,
    pub safeguard: TransferSafeguard,
    /// For Art. 49(1) second-subparagraph transfers: the documented safeguards.
    #[serde(default)]
    pub documentation: String,
}

crate::closed_list! {
    /// Where the data protection impact assessment (Art. 35) stands.
    #[derive(Default)]
    pub enum DpiaStatus("DPIA status") {
        #[default]
        NotAssessed = "not_assessed",
        NotNeeded = "not_needed",
        Needed = "needed",
        Done = "done",
    }
}

crate::closed_list! {
    /// An answer a template filled in that the manager has not yet confirmed. Until it
    /// is confirmed the Art. 30 record shows it as a proposal; confirming it is removing
    /// it from [`Activity::proposals`] (the window's "Confirm", then saving the
    /// activity).
    pub enum Proposal("proposal") {
        /// The retention periods of the data categories and the retention summary
        /// (Art. 30(1)(f)).
        Retention = "retention",
        /// The answer on the data protection impact assessment (Art. 35).
        Dpia = "dpia",
        /// The answer on automated decision-making and profiling (Art. 22).
        AutomatedDecisions = "automated_decisions",
    }
}

crate::closed_list! {
    /// An activity is a draft until it is approved (with every required field).
    #[derive(Default)]
    pub enum ActivityStatus("activity status") {
        #[default]
        Draft = "draft",
        Approved = "approved",
    }
}

/// A processing activity: one entry of the Art. 30 record, with the extras the
/// regulators' templates add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Activity {
    pub name: String,
    /// Business function or owner inside the organisation.
    pub owner: String,
    /// Art. 30(1)(b).
    pub purposes: Vec<String>,
    /// Art. 6(1), one or more.
    pub legal_bases: Vec<LegalBasis>,
    /// Art. 9(2), where special categories are processed.
    pub art9_condition: Option<Art9Condition>,
    /// The legitimate interest pursued, where Art. 6(1)(f) is a basis.
    pub legitimate_interest: String,
    /// Where the legitimate interest assessment is kept.
    pub lia_reference: String,
    /// Art. 30(1)(c): categories of data subjects.
    pub subject_categories: Vec<String>,
    /// Art. 30(1)(c) and (f): categories of personal data, each with its retention.
    pub data_categories: Vec<DataCategory>,
    /// Art. 30(1)(d): categories of recipients.
    pub recipients: Vec<String>,
    /// Processors and named recipients (ids of `Processor`s).
    pub processor_ids: Vec<Id>,
    pub joint_controllers: Vec<JointController>,
    /// Art. 30(1)(e).
    pub transfers: Vec<Transfer>,
    /// Art. 30(1)(f), in general terms ("where possible").
    pub retention_summary: String,
    /// Art. 30(1)(g): technical and organisational security measures.
    pub security_measures: Vec<String>,
    /// Where the data comes from (Art. 14 / Art. 15(1)(g)).
    pub source: String,
    /// Systems where the data lives (CRM, e-mail, archive ...).
    pub systems: Vec<String>,
    /// Automated decision-making or profiling (Art. 22), if any.
    pub automated_decisions: String,
    /// Where consents are recorded.
    pub consent_record: String,
    /// Direct marketing activity: an objection stops it unconditionally (Art. 21(3)).
    pub direct_marketing: bool,
    pub dpia: DpiaStatus,
    pub dpia_reference: String,
    pub status: ActivityStatus,
    pub last_reviewed: Option<NaiveDate>,
    /// The answers a template proposed that are still to be confirmed (retention, DPIA,
    /// automated decisions). Absent from the stored body and the export when empty, so
    /// activities stored or exported before proposals existed read as confirmed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub proposals: Vec<Proposal>,
    /// The activity is described in the published privacy notice (Art. 13, 14); only
    /// approved ones are (store/notice.rs). Absent from the stored body when false, so
    /// bodies stored before the notice existed read as not in it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_notice: bool,
    /// A short plain-language description of the activity for the privacy notice
    /// (Art. 12(1): concise, transparent, in clear and plain language). Absent from the
    /// stored body when empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notice_text: String,
}

/// The Art. 30(1) fields an approved activity must have; used for the
/// "missing fields" warnings and validation when approving.
pub const REQUIRED_ACTIVITY_FIELDS: [&str; 6] = [
    "purposes",
    "legal_bases",
    "subject_categories",
    "data_categories",
    "recipients",
    "security_measures",
];

/// How often an activity is reviewed: an activity whose last review is older than this
/// many calendar months is due for review.
pub const REVIEW_INTERVAL_MONTHS: u32 = 12;

impl Activity {
    /// Checks what is always required and that values are well formed.
    pub fn validate(&self) -> InputResult<()> {
        require("name", &self.name)?;
        if self.name.chars().count() > 200 {
            return Err(InputError::invalid("name", "at most 200 characters"));
        }
        let mut seen = std::collections::HashSet::new();
        for c in &self.data_categories {
            require("data_categories", &c.name)?;
            if !seen.insert(c.name.trim().to_lowercase()) {
                return Err(InputError::invalid(
                    "data_categories",
                    "a category is listed twice",
                ));
            }
            if let Some(r) = &c.retention {
                r.validate("data_categories.retention")?;
            }
        }
        // Art. 9(2) conditions are for special categories only: criminal offence data
        // (Art. 10) needs none.
        if self
            .data_categories
            .iter()
            .any(DataCategory::is_special_category)
            && self.art9_condition.is_none()
        {
            return Err(InputError::invalid(
                "art9_condition",
                "special categories of personal data need an Art. 9 condition",
            ));
        }
        if self.legal_bases.contains(&LegalBasis::LegitimateInterests)
            && self.legitimate_interest.trim().is_empty()
            && self.status == ActivityStatus::Approved
        {
            return Err(InputError::invalid(
                "legitimate_interest",
                "describe the legitimate interest pursued",
            ));
        }
        for t in &self.transfers {
            require("transfers.country", &t.country)?;
            if t.safeguard == TransferSafeguard::CompellingLegitimateInterests
                && t.documentation.trim().is_empty()
            {
                return Err(InputError::invalid(
                    "transfers.documentation",
                    "Art. 49(1) second-subparagraph transfers need documented safeguards",
                ));
            }
        }
        for jc in &self.joint_controllers {
            require("joint_controllers.name", &jc.name)?;
        }
        if self.status == ActivityStatus::Approved {
            if let Some(field) = self.missing_fields().first() {
                return Err(InputError::invalid(
                    field,
                    "required before the activity can be approved",
                ));
            }
        }
        Ok(())
    }

    /// The required Art. 30(1) fields that are still empty.
    pub fn missing_fields(&self) -> Vec<&'static str> {
        let empty = |v: &Vec<String>| v.iter().all(|s| s.trim().is_empty());
        let mut missing = Vec::new();
        for field in REQUIRED_ACTIVITY_FIELDS {
            let is_missing = match field {
                "purposes" => empty(&self.purposes),
                "legal_bases" => self.legal_bases.is_empty(),
                "subject_categories" => empty(&self.subject_categories),
                "data_categories" => self.data_categories.is_empty(),
                "recipients" => empty(&self.recipients) && self.processor_ids.is_empty(),
                "security_measures" => empty(&self.security_measures),
                _ => false,
            };
            if is_missing {
                missing.push(field);
            }
        }
        missing
    }

    /// True when the activity was never reviewed or its last review is more than
    /// [`REVIEW_INTERVAL_MONTHS`] calendar months before `today` (the register's date).
    pub fn review_due(&self, today: NaiveDate) -> bool {
        let due_before = today
            .checked_sub_months(chrono::Months::new(REVIEW_INTERVAL_MONTHS))
            .unwrap_or(NaiveDate::MIN);
        self.last_reviewed.is_none_or(|d| d < due_before)
    }

    /// Whether `p` is still a proposal to be confirmed.
    pub fn is_proposed(&self, p: Proposal) -> bool {
        self.proposals.contains(&p)
    }

    /// Confirms a proposal: takes it out of [`Activity::proposals`]. False when it was
    /// not one.
    pub fn confirm(&mut self, p: Proposal) -> bool {
        let before = self.proposals.len();
        self.proposals.retain(|&q| q != p);
        self.proposals.len() != before
    }

    /// The data category of this name, compared without case.
    pub fn category(&self, name: &str) -> Option<&DataCategory> {
        let wanted = name.trim().to_lowercase();
        self.data_categories
            .iter()
            .find(|c| c.name.trim().to_lowercase() == wanted)
    }
}

/// An activity as stored, with its id and bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredActivity {
    pub id: Id,
    #[serde(flatten)]
    pub activity: Activity,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

// ---------------------------------------------------------------------------
// Processors and recipients
// ---------------------------------------------------------------------------

crate::closed_list! {
    /// What a processor or recipient is to the controller.
    #[derive(Default)]
    pub enum ProcessorRole("processor role") {
        #[default]
        Processor = "processor",
        SubProcessor = "sub_processor",
        /// A recipient that is itself a controller (e.g. a platform, an authority).
        Recipient = "recipient",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Processor {
    pub name: String,
    /// Country where the data is processed (ISO name or code).
    pub country: String,
    pub role: ProcessorRole,
    /// Link to or reference for the data processing agreement (Art. 28(3)).
    pub dpa_reference: String,
    pub contact: String,
    pub notes: String,
}

impl Processor {
    pub fn validate(&self) -> InputResult<()> {
        // A missing data processing agreement reference is allowed: drafts happen.
        require("name", &self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredProcessor {
    pub id: Id,
    #[serde(flatten)]
    pub processor: Processor,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

// ---------------------------------------------------------------------------
// The processor's record (Art. 30(2)): the controllers we process data for
// ---------------------------------------------------------------------------

crate::closed_list! {
    /// Whether the organisation still processes personal data for a client controller.
    #[derive(Default)]
    pub enum ClientStatus("client status") {
        #[default]
        Active = "active",
        /// The work has ended; the entry is kept to show what was processed, and when.
        Ended = "ended",
    }
}

/// A controller this organisation processes personal data for as a processor (a
/// consultancy's client): one entry of the processor's record (Art. 30(2)). The
/// processor's own name and contact details (Art. 30(2)(a)) are the organisation's
/// [`Controller`] profile.
///
/// Its contacts name people (the client's DPO, its representative): `Debug` prints no
/// contact details.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientController {
    /// Art. 30(2)(a): the controller's name.
    pub name: String,
    /// Norwegian organisation number (9 digits) or another registry number.
    pub org_number: String,
    /// Art. 30(2)(a): the controller's contact details.
    pub address: String,
    pub email: String,
    pub phone: String,
    /// The controller's representative in the EU/EEA (Art. 27), where it has one.
    pub representative: Option<Contact>,
    /// The controller's data protection officer (Art. 37), where it has one.
    pub dpo: Option<Contact>,
    /// The data processing agreement with the controller (Art. 28(3)): where it is
    /// kept, or its reference.
    pub dpa_reference: String,
    /// When the data processing agreement was made.
    pub dpa_date: Option<NaiveDate>,
    /// Art. 30(2)(b): the categories of processing carried out on the controller's
    /// behalf.
    pub processing: Vec<String>,
    /// Processors (from the register's processors) engaged as sub-processors for this
    /// controller's work, with its authorisation (Art. 28(2), (4)).
    pub sub_processor_ids: Vec<Id>,
    /// Art. 30(2)(c): transfers to a third country or an international organisation,
    /// with the documented safeguards for Art. 49(1) second-subparagraph transfers.
    pub transfers: Vec<Transfer>,
    /// Art. 30(2)(d): a general description of the technical and organisational
    /// security measures (Art. 32(1)).
    pub security_measures: Vec<String>,
    pub status: ClientStatus,
    pub notes: String,
}

impl fmt::Debug for ClientController {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientController")
            .field("name", &self.name)
            .field("email", &Redacted(&self.email))
            .field("phone", &Redacted(&self.phone))
            .field("representative", &self.representative.is_some())
            .field("dpo", &self.dpo.is_some())
            .field("processing", &self.processing.len())
            .field("sub_processor_ids", &self.sub_processor_ids)
            .field("transfers", &self.transfers.len())
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// What a client controller's entry in the processor's record must have; the report
/// shows each one empty as MISSING: the controller's contact details (Art. 30(2)(a)),
/// the categories of processing (Art. 30(2)(b)), the security measures (Art.
/// 30(2)(d)) and the data processing agreement the processing rests on (Art. 28(3),
/// in writing by Art. 28(9)).
pub const REQUIRED_CLIENT_FIELDS: [&str; 4] = [
    "contact_details",
    "processing",
    "security_measures",
    "dpa_reference",
];

/// Letters, digits, dashes and spaces: what an organisation number is written with.
fn check_org_number(field: &'static str, value: &str) -> InputResult<()> {
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c.is_whitespace())
    {
        Ok(())
    } else {
        Err(InputError::invalid(
            field,
            "only letters, digits and dashes",
        ))
    }
}

/// A contact's e-mail and telephone, when given, are well formed.
fn check_contact(field: &'static str, c: &Contact) -> InputResult<()> {
    if !c.email.trim().is_empty() {
        check_email(field, &c.email)?;
    }
    if !c.phone.trim().is_empty() {
        check_phone(field, &c.phone)?;
    }
    Ok(())
}

impl ClientController {
    /// Checks what is always required and that values are well formed. A client may be
    /// saved incomplete; [`ClientController::missing_fields`] says what the record
    /// still lacks.
    pub fn validate(&self) -> InputResult<()> {
        require("name", &self.name)?;
        if self.name.chars().count() > 200 {
            return Err(InputError::invalid("name", "at most 200 characters"));
        }
        check_org_number("org_number", &self.org_number)?;
        if !self.email.trim().is_empty() {
            check_email("email", &self.email)?;
        }
        if !self.phone.trim().is_empty() {
            check_phone("phone", &self.phone)?;
        }
        if let Some(c) = &self.representative {
            check_contact("representative", c)?;
        }
        if let Some(c) = &self.dpo {
            check_contact("dpo", c)?;
        }
        for t in &self.transfers {
            require("transfers.country", &t.country)?;
            // Art. 30(2)(c): an Art. 49(1) second-subparagraph transfer is recorded
            // with the documentation of its suitable safeguards.
            if t.safeguard == TransferSafeguard::CompellingLegitimateInterests
                && t.documentation.trim().is_empty()
            {
                return Err(InputError::invalid(
                    "transfers.documentation",
                    "Art. 49(1) second-subparagraph transfers need documented safeguards",
                ));
            }
        }
        Ok(())
    }

    /// The fields of [`REQUIRED_CLIENT_FIELDS`] that are still empty.
    pub fn missing_fields(&self) -> Vec<&'static str> {
        let empty = |v: &Vec<String>| v.iter().all(|s| s.trim().is_empty());
        REQUIRED_CLIENT_FIELDS
            .into_iter()
            .filter(|field| match *field {
                "contact_details" => {
                    self.address.trim().is_empty()
                        && self.email.trim().is_empty()
                        && self.phone.trim().is_empty()
                }
                "processing" => empty(&self.processing),
                "security_measures" => empty(&self.security_measures),
                "dpa_reference" => self.dpa_reference.trim().is_empty(),
                _ => false,
            })
            .collect()
    }
}

/// A client controller as stored, with its id and bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredClient {
    pub id: Id,
    #[serde(flatten)]
    pub client: ClientController,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

// ---------------------------------------------------------------------------
// Data subjects, their records, consents and objections
// ---------------------------------------------------------------------------

/// What identifies a data subject. Personal data: `Debug` prints no values.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubjectFields {
    pub name: String,
    pub email: String,
    pub phone: String,
}

impl fmt::Debug for SubjectFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubjectFields")
            .field("name", &Redacted(&self.name))
            .field("email", &Redacted(&self.email))
            .field("phone", &Redacted(&self.phone))
            .finish()
    }
}

impl SubjectFields {
    /// Trims and checks the fields; returns the normalised form.
    pub fn normalised(&self) -> InputResult<SubjectFields> {
        let name = collapse_spaces(&self.name);
        require("name", &name)?;
        if name.chars().count() > 300 {
            return Err(InputError::invalid("name", "at most 300 characters"));
        }
        let email = self.email.trim().to_string();
        if !email.is_empty() {
            check_email("email", &email)?;
        }
        let phone = collapse_spaces(&self.phone);
        if !phone.is_empty() {
            check_phone("phone", &phone)?;
        }
        Ok(SubjectFields { name, email, phone })
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub id: Id,
    #[serde(flatten)]
    pub fields: SubjectFields,
    /// Processing restricted (Art. 18): kept but frozen.
    pub restricted: bool,
    /// Objected to direct marketing (Art. 21(2)-(3)).
    pub marketing_objection: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl fmt::Debug for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subject")
            .field("id", &self.id)
            .field("fields", &self.fields)
            .field("restricted", &self.restricted)
            .field("marketing_objection", &self.marketing_objection)
            .finish_non_exhaustive()
    }
}

/// One piece of personal data about a subject, held for one activity.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRecord {
    pub activity_id: Id,
    /// One of the activity's data categories.
    pub category: String,
    pub value: String,
    /// Where it came from: "the subject", "CRM import", "LinkedIn" ...
    #[serde(default)]
    pub source: String,
    /// When it was collected; today when omitted.
    #[serde(default)]
    pub collected_on: Option<NaiveDate>,
}

impl fmt::Debug for NewRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewRecord")
            .field("activity_id", &self.activity_id)
            .field("category", &self.category)
            .field("value", &Redacted(&self.value))
            .field("source", &self.source)
            .field("collected_on", &self.collected_on)
            .finish()
    }
}

impl NewRecord {
    pub fn validate(&self) -> InputResult<()> {
        require("category", &self.category)?;
        require("value", &self.value)?;
        if self.value.chars().count() > 10_000 {
            return Err(InputError::invalid("value", "at most 10,000 characters"));
        }
        Ok(())
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: Id,
    pub subject_id: Id,
    pub activity_id: Id,
    pub category: String,
    pub value: String,
    pub source: String,
    pub collected_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("id", &self.id)
            .field("subject_id", &self.subject_id)
            .field("activity_id", &self.activity_id)
            .field("category", &self.category)
            .field("value", &Redacted(&self.value))
            .finish_non_exhaustive()
    }
}

crate::closed_list! {
    /// What a consent event records.
    pub enum ConsentKind("consent event") {
        ConsentGiven = "consent_given",
        ConsentWithdrawn = "consent_withdrawn",
        /// Objection to processing (Art. 21), e.g. to direct marketing.
        Objection = "objection",
    }
}

crate::closed_list! {
    /// The manager's decision on an objection to processing that is not direct
    /// marketing (Art. 21(1)).
    pub enum ObjectionDecision("objection decision") {
        /// Compelling legitimate grounds that override the person's interests.
        Continue = "continue",
        /// The processing stops: the person's data in the activity is erased.
        Stop = "stop",
    }
}

/// A consent given or withdrawn, or an objection, for one purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewConsentEvent {
    pub activity_id: Id,
    pub purpose: String,
    pub kind: ConsentKind,
    /// How: "web form", "e-mail", "unsubscribe link", "phone" ...
    #[serde(default)]
    pub method: String,
    /// When it happened; now when omitted.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentEvent {
    pub id: Id,
    pub subject_id: Id,
    pub activity_id: Id,
    pub purpose: String,
    pub kind: ConsentKind,
    pub method: String,
    pub at: DateTime<Utc>,
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Prints the length of a value, never the value.
pub struct Redacted<'a>(pub &'a str);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("<empty>")
        } else {
            write!(f, "<redacted {} chars>", self.0.chars().count())
        }
    }
}

pub(crate) fn require(field: &'static str, value: &str) -> InputResult<()> {
    if value.trim().is_empty() {
        Err(InputError::invalid(field, "required"))
    } else {
        Ok(())
    }
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A pragmatic e-mail check: one `@`, something before it, a dotted domain after it,
/// no spaces. Exact RFC 5322 parsing rejects nothing a user would type by mistake.
pub fn check_email(field: &'static str, email: &str) -> InputResult<()> {
    let bad = || InputError::invalid(field, "not an e-mail address");
    let (local, domain) = email.trim().rsplit_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || local.contains('@')
        || domain.len() < 3
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
        || email
            .trim()
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    Ok(())
}

/// Digits with optional `+` prefix and the usual separators; 5 to 20 digits.
pub fn check_phone(field: &'static str, phone: &str) -> InputResult<()> {
    let p = phone.trim();
    let body = p.strip_prefix('+').unwrap_or(p);
    let ok_chars = body
        .chars()
        .all(|c| c.is_ascii_digit() || " -().".contains(c));
    let digits = body.chars().filter(|c| c.is_ascii_digit()).count();
    if !ok_chars || !(5..=20).contains(&digits) {
        return Err(InputError::invalid(field, "not a telephone number"));
    }
    Ok(())
}

/// Normalised e-mail for matching: trimmed and lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_of_personal_data_prints_no_values() {
        let fields = SubjectFields {
            name: "Kari Nordmann".into(),
            email: "kari@example.no".into(),
            phone: "+47 912 34 567".into(),
        };
        let rec = NewRecord {
            activity_id: 1,
            category: "Email".into(),
            value: "hemmelig-verdi".into(),
            source: String::new(),
            collected_on: None,
        };
        let printed = format!("{fields:?} {rec:?} {fields:#?}");
        for secret in ["Kari", "Nordmann", "kari@example.no", "912", "hemmelig"] {
            assert!(!printed.contains(secret), "{secret} leaked into {printed}");
        }
        assert!(printed.contains("redacted"));
    }

    #[test]
    fn subject_fields_are_checked_and_normalised() {
        let ok = SubjectFields {
            name: "  Ola   Nordmann ".into(),
            email: " ola@example.no ".into(),
            phone: "+47 912 34 567".into(),
        }
        .normalised()
        .unwrap();
        assert_eq!(ok.name, "Ola Nordmann");
        assert_eq!(ok.email, "ola@example.no");

        let err = SubjectFields {
            name: " ".into(),
            ..Default::default()
        }
        .normalised()
        .unwrap_err();
        assert_eq!(err.field(), "name");
        let err = SubjectFields {
            name: "A".into(),
            email: "not-an-email".into(),
            ..Default::default()
        }
        .normalised()
        .unwrap_err();
        assert_eq!(err.field(), "email");
        // The message names the field and the problem, never the value.
        assert!(!err.to_string().contains("not-an-email"));
        let err = SubjectFields {
            name: "A".into(),
            phone: "call me".into(),
            ..Default::default()
        }
        .normalised()
        .unwrap_err();
        assert_eq!(err.field(), "phone");
    }

    #[test]
    fn approving_an_activity_requires_the_art30_fields() {
        let mut a = Activity {
            name: "Newsletter".into(),
            ..Default::default()
        };
        assert!(a.validate().is_ok(), "a draft may be incomplete");
        assert_eq!(a.missing_fields().len(), REQUIRED_ACTIVITY_FIELDS.len());
        a.status = ActivityStatus::Approved;
        let err = a.validate().unwrap_err();
        assert_eq!(err.field(), "purposes");
        a.purposes = vec!["Send the newsletter".into()];
        a.legal_bases = vec![LegalBasis::Consent];
        a.subject_categories = vec!["Subscribers".into()];
        a.data_categories = vec![DataCategory::new("Email", CategoryGroup::Identity)];
        a.recipients = vec!["Internal staff".into()];
        a.security_measures = vec!["Encrypted storage".into()];
        assert!(a.validate().is_ok());
        assert!(a.missing_fields().is_empty());
    }

    #[test]
    fn review_is_due_twelve_calendar_months_after_the_last_one() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let mut a = Activity::default();
        assert!(a.review_due(d(2026, 3, 1)), "never reviewed");
        a.last_reviewed = Some(d(2025, 2, 28));
        // 2026-02-28 is twelve calendar months later: due from the day after.
        assert!(!a.review_due(d(2026, 2, 28)));
        assert!(a.review_due(d(2026, 3, 1)));
        // Across a leap day twelve months are 366 days: not yet due on day 366.
        a.last_reviewed = Some(d(2023, 3, 1));
        assert!(!a.review_due(d(2024, 3, 1)));
        assert!(a.review_due(d(2024, 3, 2)));
    }

    #[test]
    fn special_categories_need_an_art9_condition() {
        let mut a = Activity {
            name: "Health".into(),
            ..Default::default()
        };
        let mut c = DataCategory::new("Allergies", CategoryGroup::PersonalLife);
        c.sensitive = true;
        assert!(c.is_special_category() && c.is_sensitive() && !c.is_criminal_offence_data());
        a.data_categories.push(c);
        assert_eq!(a.validate().unwrap_err().field(), "art9_condition");
        a.art9_condition = Some(Art9Condition::ExplicitConsent);
        a.validate().unwrap();
    }

    #[test]
    fn criminal_offence_data_needs_no_art9_condition() {
        let mut record = DataCategory::new("Police certificate", CategoryGroup::Criminal);
        assert!(record.is_criminal_offence_data() && record.is_sensitive());
        assert!(!record.is_special_category());
        // Marked sensitive, it is still Art. 10 data, not a special category.
        record.sensitive = true;
        assert!(!record.is_special_category());
        let mut a = Activity {
            name: "Background checks".into(),
            data_categories: vec![record],
            ..Default::default()
        };
        a.validate().unwrap();
        assert_eq!(a.art9_condition, None);
        // A special category beside it still needs its condition.
        let mut health = DataCategory::new("Allergies", CategoryGroup::PersonalLife);
        health.sensitive = true;
        a.data_categories.push(health);
        assert_eq!(a.validate().unwrap_err().field(), "art9_condition");
    }

    #[test]
    fn a_proposal_is_confirmed_once_and_absent_when_none_is_left() {
        let mut a = Activity {
            name: "From a template".into(),
            proposals: Proposal::ALL.to_vec(),
            ..Default::default()
        };
        assert!(a.is_proposed(Proposal::Dpia));
        assert!(a.confirm(Proposal::Dpia));
        assert!(!a.confirm(Proposal::Dpia), "already confirmed");
        assert!(!a.is_proposed(Proposal::Dpia));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(
            json["proposals"],
            serde_json::json!(["retention", "automated_decisions"])
        );
        let back: Activity = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
        a.confirm(Proposal::Retention);
        a.confirm(Proposal::AutomatedDecisions);
        let json = serde_json::to_value(&a).unwrap();
        assert!(json.get("proposals").is_none(), "{json}");
        // A body stored before proposals existed reads with none.
        let old: Activity = serde_json::from_str(r#"{"name":"Old"}"#).unwrap();
        assert!(old.proposals.is_empty());
        assert!(serde_json::from_str::<Activity>(r#"{"name":"x","proposals":["maybe"]}"#).is_err());
    }

    #[test]
    fn art49_transfers_need_documented_safeguards() {
        let mut a = Activity {
            name: "x".into(),
            ..Default::default()
        };
        a.transfers.push(Transfer {
            country: "United States".into(),
            recipient: "Vendor".into(),
            safeguard: TransferSafeguard::CompellingLegitimateInterests,
            documentation: String::new(),
        });
        assert_eq!(a.validate().unwrap_err().field(), "transfers.documentation");
    }

    #[test]
    fn a_client_controller_is_checked_and_says_what_the_record_lacks() {
        let mut c = ClientController {
            name: " ".into(),
            ..Default::default()
        };
        assert_eq!(c.validate().unwrap_err().field(), "name");
        c.name = "Kunde AS".into();
        c.validate().unwrap();
        assert_eq!(c.missing_fields(), REQUIRED_CLIENT_FIELDS.to_vec());
        assert_eq!(c.status, ClientStatus::Active);

        c.email = "ikke-en-adresse".into();
        let err = c.validate().unwrap_err();
        assert_eq!(err.field(), "email");
        assert!(!err.to_string().contains("ikke-en-adresse"));
        c.email = "post@kunde.example.no".into();
        c.org_number = "999 888 777".into();
        c.validate().unwrap();
        c.org_number = "999;888".into();
        assert_eq!(c.validate().unwrap_err().field(), "org_number");
        c.org_number = "999 888 777".into();
        c.dpo = Some(Contact {
            name: "Ombud".into(),
            email: "ombud".into(),
            ..Default::default()
        });
        assert_eq!(c.validate().unwrap_err().field(), "dpo");
        c.dpo = None;
        c.representative = Some(Contact {
            name: "Rep".into(),
            phone: "ring meg".into(),
            ..Default::default()
        });
        assert_eq!(c.validate().unwrap_err().field(), "representative");
        c.representative = None;

        // Art. 30(2)(c): an Art. 49(1) second-subparagraph transfer needs its documented
        // safeguards.
        c.transfers.push(Transfer {
            country: "United States".into(),
            recipient: "Support vendor".into(),
            safeguard: TransferSafeguard::CompellingLegitimateInterests,
            documentation: String::new(),
        });
        assert_eq!(c.validate().unwrap_err().field(), "transfers.documentation");
        c.transfers[0].documentation = "Assessment of 3 March, encrypted at rest".into();
        c.validate().unwrap();
        c.transfers[0].country = String::new();
        assert_eq!(c.validate().unwrap_err().field(), "transfers.country");
        c.transfers[0].country = "United States".into();

        assert_eq!(
            c.missing_fields(),
            vec!["processing", "security_measures", "dpa_reference"]
        );
        c.processing = vec!["Payroll".into()];
        c.security_measures = vec!["Encrypted storage".into()];
        c.dpa_reference = "DPA 2026-01".into();
        assert!(c.missing_fields().is_empty());

        // A body stored before a field existed reads with its default.
        let old: ClientController = serde_json::from_str(r#"{"name":"Old AS"}"#).unwrap();
        assert_eq!(old.status, ClientStatus::Active);
        assert!(
            serde_json::from_str::<ClientController>(r#"{"name":"x","status":"paused"}"#).is_err()
        );
    }

    #[test]
    fn a_client_controllers_debug_output_prints_no_contact_details() {
        let c = ClientController {
            name: "Kunde AS".into(),
            email: "kari@kunde.example.no".into(),
            phone: "+47 912 34 567".into(),
            dpo: Some(Contact {
                name: "Kari Nordmann".into(),
                email: "kari.nordmann@kunde.example.no".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let printed = format!("{c:?} {c:#?}");
        for secret in ["kari@", "912", "Nordmann", "kari.nordmann"] {
            assert!(!printed.contains(secret), "{secret} leaked into {printed}");
        }
        assert!(printed.contains("Kunde AS"));
    }

    #[test]
    fn email_and_phone_checks() {
        for ok in [
            "a@b.no",
            "kari.nordmann+news@firma.example.com",
            "Æsa@øst.no",
        ] {
            check_email("email", ok).unwrap();
        }
        for bad in [
            "", "a", "a@b", "@b.no", "a@.no", "a@b..no", "a b@c.no", "a@b.no.",
        ] {
            assert!(check_email("email", bad).is_err(), "{bad} passed");
        }
        for ok in ["+47 912 34 567", "91234567", "(0047) 22-33-44-55"] {
            check_phone("phone", ok).unwrap();
        }
        for bad in ["123", "phone", "+47 abc 12345"] {
            assert!(check_phone("phone", bad).is_err(), "{bad} passed");
        }
    }
}
