//! The record of processing activities (Art. 30(1)) as a report model: built from the
//! register by [`build`], a pure read; every renderer (JSON, CSV, XLSX, PDF) prints
//! this model and nothing else. Closed-list values carry their code and their label in
//! the report's language; required fields that are empty are listed in `missing`.

use std::collections::HashMap;

use chrono::NaiveDate;
use privreg_core::labels::Labelled;
use privreg_core::model::{Activity, Contact, Controller, Id, StoredActivity, StoredProcessor};
use privreg_core::templates::Lang;
use privreg_core::Register;
use serde::Serialize;

use crate::fides;
use crate::labels::{self, label};
use crate::Result;

/// `schema` of the Art. 30 JSON; see `schemas/art30-record.v1.schema.json`.
pub const SCHEMA: &str = "privreg.art30_record";
/// Bumped when a field is removed or changes meaning; adding a field does not bump it.
pub const SCHEMA_VERSION: u32 = 1;

/// A value from one of the law's closed lists: its stable code and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub code: String,
    pub label: String,
}

/// A closed-list value with the article it comes from ("Art. 6(1)(a)").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleTerm {
    pub code: String,
    pub article: String,
    pub label: String,
}

/// The audit chain as it stood when the report was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditStamp {
    /// SHA-256 of the last event (64 hex digits).
    pub head_hash: String,
    pub events: i64,
    /// False when the chain is broken somewhere.
    pub intact: bool,
    /// Set only when the report was made from a damaged register opened read-only: the
    /// export is recorded in the side log beside the register (privreg-core's
    /// `store/side_log.rs`), not yet in the audit log, and every format says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<ReadOnlyNote>,
}

/// What a report made from a read-only register says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadOnlyNote {
    /// The statement, in the report's language.
    pub statement: String,
    /// The side log's file name (it lies beside the register file).
    pub side_log: String,
}

impl AuditStamp {
    /// The stamp with the read-only statement (in `lang`) when `reg` is read-only.
    pub(crate) fn noted(mut self, reg: &Register, lang: Lang) -> AuditStamp {
        if reg.is_read_only() {
            let side_log = reg
                .side_log_path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            self.read_only = Some(ReadOnlyNote {
                statement: label(lang, "audit_read_only").to_string(),
                side_log,
            });
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactEntry {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
}

impl ContactEntry {
    fn from(c: &Contact) -> Option<ContactEntry> {
        (!c.is_empty()).then(|| ContactEntry {
            name: c.name.trim().to_string(),
            email: c.email.trim().to_string(),
            phone: c.phone.trim().to_string(),
            address: c.address.trim().to_string(),
        })
    }
}

/// Art. 30(1)(a): the controller, its DPO and representative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControllerBlock {
    pub organisation: String,
    pub org_number: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub contact_person: Option<ContactEntry>,
    pub dpo: Option<ContactEntry>,
    pub representative: Option<ContactEntry>,
    pub supervisory_authority: String,
    /// `organisation` and/or `contact_details` when the profile lacks them.
    pub missing: Vec<String>,
}

impl ControllerBlock {
    pub(crate) fn from(lang: Lang, c: Option<&Controller>) -> ControllerBlock {
        let c = c.cloned().unwrap_or_default();
        let mut missing = Vec::new();
        if c.organisation.trim().is_empty() {
            missing.push("organisation".to_string());
        }
        if c.address.trim().is_empty() && c.email.trim().is_empty() && c.phone.trim().is_empty() {
            missing.push("contact_details".to_string());
        }
        ControllerBlock {
            organisation: c.organisation.trim().to_string(),
            org_number: c.org_number.trim().to_string(),
            address: c.address.trim().to_string(),
            email: c.email.trim().to_string(),
            phone: c.phone.trim().to_string(),
            website: c.website.trim().to_string(),
            contact_person: ContactEntry::from(&c.contact_person),
            dpo: c.dpo.as_ref().and_then(ContactEntry::from),
            representative: c.representative.as_ref().and_then(ContactEntry::from),
            supervisory_authority: labels::supervisory_authority(lang, &c.supervisory_authority),
            missing,
        }
    }

    /// One line: "Name, address, e-mail, phone".
    pub fn one_line(&self) -> String {
        [
            &self.organisation,
            &self.org_number,
            &self.address,
            &self.email,
            &self.phone,
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryEntry {
    pub name: String,
    pub group: Term,
    /// Special category (Art. 9) or criminal offence data (Art. 10); the latter when
    /// `group.code` is `criminal`.
    pub sensitive: bool,
    /// The Fides taxonomy key, e.g. `user.contact.email`.
    pub fides: String,
    /// The retention rule in words, when the category has one (Art. 30(1)(f)).
    pub retention: Option<String>,
    /// The rule itself, for a renderer that needs its parts (the DPV export writes the
    /// period as an ISO 8601 duration). Not in the JSON, which has `retention` in words.
    #[serde(skip)]
    pub rule: Option<privreg_core::model::RetentionRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessorEntry {
    pub id: Id,
    pub name: String,
    pub role: Term,
    pub country: String,
    /// Reference to the data processing agreement (Art. 28(3)); empty when none is
    /// recorded.
    pub dpa_reference: String,
    pub contact: String,
}

impl ProcessorEntry {
    pub(crate) fn from(lang: Lang, p: &StoredProcessor) -> ProcessorEntry {
        ProcessorEntry {
            id: p.id,
            name: p.processor.name.trim().to_string(),
            role: Term {
                code: p.processor.role.as_str().to_string(),
                label: p.processor.role.label(lang).to_string(),
            },
            country: p.processor.country.trim().to_string(),
            dpa_reference: p.processor.dpa_reference.trim().to_string(),
            contact: p.processor.contact.trim().to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JointControllerEntry {
    pub name: String,
    pub contact: Option<ContactEntry>,
    pub responsibilities: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferEntry {
    pub country: String,
    pub recipient: String,
    pub safeguard: ArticleTerm,
    /// The documented safeguards (required for Art. 49(1) second-subparagraph transfers).
    pub documentation: String,
}

/// One processing activity with every Art. 30(1)(b)-(g) field and the extras.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityEntry {
    pub id: Id,
    pub name: String,
    pub owner: String,
    pub status: Term,
    pub last_reviewed: Option<NaiveDate>,
    /// (b)
    pub purposes: Vec<String>,
    pub legal_bases: Vec<ArticleTerm>,
    pub art9_condition: Option<ArticleTerm>,
    pub legitimate_interest: String,
    pub lia_reference: String,
    /// (c)
    pub subject_categories: Vec<String>,
    /// (c) and (f)
    pub data_categories: Vec<CategoryEntry>,
    /// (d)
    pub recipients: Vec<String>,
    pub processors: Vec<ProcessorEntry>,
    pub joint_controllers: Vec<JointControllerEntry>,
    /// (e)
    pub transfers: Vec<TransferEntry>,
    /// (f)
    pub retention_summary: String,
    /// (f) per category, one line per distinct rule: "Name, E-mail: 3 years after ...".
    pub retention_rules: Vec<String>,
    /// (g)
    pub security_measures: Vec<String>,
    pub source: String,
    pub systems: Vec<String>,
    pub automated_decisions: String,
    pub consent_record: String,
    pub direct_marketing: bool,
    pub rights_available: Vec<String>,
    pub dpia: Term,
    pub dpia_reference: String,
    /// Required Art. 30 fields that are empty (names as in `missing_fields`).
    pub missing: Vec<String>,
    /// The answers a template proposed that are not yet confirmed (codes `retention`,
    /// `dpia`, `automated_decisions`): every renderer marks them "Proposal — to be
    /// confirmed".
    pub proposals: Vec<Term>,
}

impl ActivityEntry {
    /// Whether the answer with this proposal code is still a proposal.
    pub fn is_proposed(&self, code: &str) -> bool {
        self.proposals.iter().any(|p| p.code == code)
    }
}

/// The whole record of processing activities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Art30Report {
    pub schema: String,
    pub schema_version: u32,
    /// `en` or `nb`.
    pub lang: String,
    pub title: String,
    /// When it was produced, RFC 3339 in UTC.
    pub generated_at: String,
    /// The date in words in the report's language.
    pub generated_on: String,
    pub controller: ControllerBlock,
    pub activities: Vec<ActivityEntry>,
    pub processors: Vec<ProcessorEntry>,
    /// Personal data breaches not closed (the breach log, Art. 33(5)): the record
    /// points to them, so a reader of the record knows one is being handled.
    #[serde(default)]
    pub open_breaches: Vec<OpenBreachEntry>,
    pub audit: AuditStamp,
}

/// A breach not closed, as the Art. 30 record points to it: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenBreachEntry {
    pub reference: String,
    pub title: String,
    pub status: Term,
    /// The 72-hour deadline in Oslo time (Art. 33(1)).
    pub due_local: String,
    pub overdue: bool,
}

pub(crate) fn audit_stamp(reg: &Register) -> Result<AuditStamp> {
    let check = reg.verify_audit()?;
    Ok(AuditStamp {
        head_hash: check.head_hash,
        events: check.events,
        intact: check.first_broken.is_none(),
        read_only: None,
    })
}

pub(crate) fn clean(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

pub(crate) fn legal_bases(lang: Lang, a: &Activity) -> Vec<ArticleTerm> {
    a.legal_bases
        .iter()
        .map(|b| ArticleTerm {
            code: code_of(b),
            article: b.article().to_string(),
            label: b.label(lang).to_string(),
        })
        .collect()
}

pub(crate) fn transfers(lang: Lang, a: &Activity) -> Vec<TransferEntry> {
    a.transfers
        .iter()
        .map(|t| TransferEntry {
            country: t.country.trim().to_string(),
            recipient: t.recipient.trim().to_string(),
            safeguard: ArticleTerm {
                code: code_of(&t.safeguard),
                article: t.safeguard.article().to_string(),
                label: t.safeguard.label(lang).to_string(),
            },
            documentation: t.documentation.trim().to_string(),
        })
        .collect()
}

pub(crate) fn category(lang: Lang, c: &privreg_core::model::DataCategory) -> CategoryEntry {
    CategoryEntry {
        name: c.name.trim().to_string(),
        group: Term {
            code: code_of(&c.group),
            label: c.group.label(lang).to_string(),
        },
        sensitive: c.is_sensitive(),
        fides: fides::code(&c.name, c.group).to_string(),
        retention: c.retention.as_ref().map(|r| labels::retention(lang, r)),
        rule: c.retention.clone(),
    }
}

/// The categories' retention rules, one line per distinct rule naming the categories
/// it covers, in the categories' order: "Name, E-mail address: 3 years after ...".
pub(crate) fn retention_rules(categories: &[CategoryEntry]) -> Vec<String> {
    let mut rules: Vec<(&str, Vec<&str>)> = Vec::new();
    for c in categories {
        if let Some(r) = &c.retention {
            match rules.iter_mut().find(|(text, _)| text == r) {
                Some((_, names)) => names.push(&c.name),
                None => rules.push((r, vec![&c.name])),
            }
        }
    }
    rules
        .into_iter()
        .map(|(text, names)| format!("{}: {text}", names.join(", ")))
        .collect()
}

/// The snake_case code serde gives a closed-list value.
pub(crate) fn code_of<T: privreg_core::vocab::ClosedList>(v: &T) -> String {
    v.code().to_string()
}

fn activity_entry(
    lang: Lang,
    s: &StoredActivity,
    processors: &HashMap<Id, ProcessorEntry>,
) -> ActivityEntry {
    let a = &s.activity;
    let data_categories: Vec<CategoryEntry> = a
        .data_categories
        .iter()
        .map(|c| category(lang, c))
        .collect();
    ActivityEntry {
        id: s.id,
        name: a.name.trim().to_string(),
        owner: a.owner.trim().to_string(),
        status: Term {
            code: a.status.as_str().to_string(),
            label: a.status.label(lang).to_string(),
        },
        last_reviewed: a.last_reviewed,
        purposes: clean(&a.purposes),
        legal_bases: legal_bases(lang, a),
        art9_condition: a.art9_condition.map(|c| ArticleTerm {
            code: code_of(&c),
            article: c.article().to_string(),
            label: c.label(lang).to_string(),
        }),
        legitimate_interest: a.legitimate_interest.trim().to_string(),
        lia_reference: a.lia_reference.trim().to_string(),
        subject_categories: clean(&a.subject_categories),
        data_categories: a
            .data_categories
            .iter()
            .map(|c| category(lang, c))
            .collect(),
        recipients: clean(&a.recipients),
        processors: a
            .processor_ids
            .iter()
            .filter_map(|id| processors.get(id).cloned())
            .collect(),
        joint_controllers: a
            .joint_controllers
            .iter()
            .map(|j| JointControllerEntry {
                name: j.name.trim().to_string(),
                contact: ContactEntry::from(&j.contact),
                responsibilities: j.responsibilities.trim().to_string(),
            })
            .collect(),
        transfers: transfers(lang, a),
        retention_summary: a.retention_summary.trim().to_string(),
        retention_rules: retention_rules(&data_categories),
        security_measures: clean(&a.security_measures),
        source: a.source.trim().to_string(),
        systems: clean(&a.systems),
        automated_decisions: a.automated_decisions.trim().to_string(),
        consent_record: a.consent_record.trim().to_string(),
        direct_marketing: a.direct_marketing,
        rights_available: labels::rights_available(lang, &a.legal_bases, a.direct_marketing),
        dpia: Term {
            code: code_of(&a.dpia),
            label: a.dpia.label(lang).to_string(),
        },
        dpia_reference: a.dpia_reference.trim().to_string(),
        missing: a.missing_fields().into_iter().map(String::from).collect(),
        proposals: a
            .proposals
            .iter()
            .map(|p| Term {
                code: code_of(p),
                label: p.label(lang).to_string(),
            })
            .collect(),
    }
}

/// Builds the Art. 30 record from the register, in `lang`. Reads only; the audit event
/// for producing it is written by [`crate::export_art30`].
pub fn build(reg: &Register, lang: Lang) -> Result<Art30Report> {
    let now = reg.clock().now();
    let processors: Vec<ProcessorEntry> = reg
        .processors()?
        .iter()
        .map(|p| ProcessorEntry::from(lang, p))
        .collect();
    let by_id: HashMap<Id, ProcessorEntry> = processors.iter().map(|p| (p.id, p.clone())).collect();
    let activities = reg
        .activities()?
        .iter()
        .map(|a| activity_entry(lang, a, &by_id))
        .collect();
    Ok(Art30Report {
        schema: SCHEMA.to_string(),
        schema_version: SCHEMA_VERSION,
        lang: lang.code().to_string(),
        title: label(lang, "art30_title").to_string(),
        generated_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        generated_on: labels::date(lang, now.date_naive()),
        controller: ControllerBlock::from(lang, reg.controller()?.as_ref()),
        activities,
        processors,
        open_breaches: reg
            .open_breaches()?
            .into_iter()
            .map(|b| OpenBreachEntry {
                reference: b.reference,
                title: b.facts.title,
                status: Term {
                    code: b.status.as_str().to_string(),
                    label: privreg_core::labels::Labelled::label(b.status, lang).to_string(),
                },
                due_local: b.clock.due_local,
                overdue: b.clock.overdue,
            })
            .collect(),
        audit: audit_stamp(reg)?.noted(reg, lang),
    })
}
