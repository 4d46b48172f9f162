//! The privacy notice (GDPR Art. 13 and 14) written from the register, its published
//! versions, and what has changed since one was published.
//!
//! [`Register::notice_model`] builds a [`NoticeModel`] from the register alone:
//!
//! - the controller and how to reach it, the data protection officer and the
//!   representative (Art. 13(1)(a)-(b), 14(1)(a)-(b)), and the supervisory authority
//!   complaints go to (Art. 13(2)(d));
//! - for each processing activity marked [`Activity::in_notice`] **that is approved**:
//!   its name, its notice text, the purposes and legal bases with the article
//!   (Art. 13(1)(c)), the Art. 9(2) condition, the legitimate interest (13(1)(d)), the
//!   people it is about and the categories of data (14(1)(d)), where the data comes
//!   from (14(2)(f)), the recipients and the processors by name (13(1)(e)), the joint
//!   controllers (Art. 26(2)), the transfers out of the EEA and their safeguards
//!   (13(1)(f)), the retention of each category and its summary (13(2)(a)) and
//!   automated decisions (13(2)(f), Art. 22);
//! - the rights that apply (13(2)(b)-(d)): access, rectification, erasure and
//!   restriction (Art. 15-18) always; portability (Art. 20) where an activity rests on
//!   consent or a contract; objection (Art. 21(1)) where one rests on Art. 6(1)(e) or
//!   (f); objection to direct marketing (Art. 21(2)) where one is direct marketing;
//!   withdrawing consent (Art. 7(3)) where one rests on consent; and the complaint to
//!   the supervisory authority (Art. 77).
//!
//! A draft is left out: it is the manager's work in progress, and a notice published
//! on a website must say what the organisation has decided it does. The window names
//! the drafts marked for the notice ([`NoticeStatus::drafts_left_out`]), so none is
//! missing silently.
//!
//! No personal data of data subjects enters the model: it holds the activities'
//! descriptions, the processors' names and the controller's own contact details, never
//! a subject, a record or a consent.
//!
//! Publishing ([`Register::publish_notice`]) stores the model and the text as
//! published in the `notices` table (schema version 8), audited as
//! `notice.published`. [`notice_changes`] names each difference between two models, and
//! [`Register::notice_drift`] the differences between the last version published in a
//! language and the register now: the overview says the published notice is out of
//! date, and what changed. The words are the window's (and the reports'): a change
//! carries its kind and its values, never a sentence.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::processors::time;
use super::{audit::NewEvent, Register};
use crate::error::{Error, InputError, Result};
use crate::lang::Lang;
use crate::model::{
    Activity, ActivityStatus, Art9Condition, CategoryGroup, Contact, Controller, Id,
    JointController, LegalBasis, ProcessorRole, RetentionRule, StoredProcessor, Transfer,
};

/// The version of the [`NoticeModel`] stored with each published notice. Adding a field
/// (read with its default from older versions) does not raise it.
pub const NOTICE_MODEL_VERSION: u32 = 1;

crate::closed_list! {
    /// A right the privacy notice tells people about (Art. 13(2)(b)-(d), 14(2)(c)-(e)).
    pub enum NoticeRight("right") {
        /// Art. 15.
        Access = "access",
        /// Art. 16.
        Rectification = "rectification",
        /// Art. 17.
        Erasure = "erasure",
        /// Art. 18.
        Restriction = "restriction",
        /// Art. 20: where the processing rests on consent or a contract (Art. 20(1)(a)).
        Portability = "portability",
        /// Art. 21(1): where the processing rests on Art. 6(1)(e) or (f).
        Objection = "objection",
        /// Art. 21(2): to direct marketing, at any time; it then stops (Art. 21(3)).
        ObjectDirectMarketing = "object_direct_marketing",
        /// Art. 7(3), told of under Art. 13(2)(c): where the processing rests on consent.
        WithdrawConsent = "withdraw_consent",
        /// Art. 77, told of under Art. 13(2)(d).
        Complaint = "complaint",
    }
}

impl NoticeRight {
    /// The article the right comes from, in English style ("Art. 21(2)").
    pub fn article(self) -> &'static str {
        match self {
            NoticeRight::Access => "Art. 15",
            NoticeRight::Rectification => "Art. 16",
            NoticeRight::Erasure => "Art. 17",
            NoticeRight::Restriction => "Art. 18",
            NoticeRight::Portability => "Art. 20",
            NoticeRight::Objection => "Art. 21(1)",
            NoticeRight::ObjectDirectMarketing => "Art. 21(2)",
            NoticeRight::WithdrawConsent => "Art. 7(3)",
            NoticeRight::Complaint => "Art. 77",
        }
    }
}

/// Who is responsible and how to reach them (Art. 13(1)(a)-(b)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticeController {
    pub organisation: String,
    pub org_number: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    /// The person or office in charge of privacy, where the profile names one.
    pub contact_person: Option<Contact>,
    /// The data protection officer, where one is appointed (Art. 13(1)(b)).
    pub dpo: Option<Contact>,
    /// The representative in the EU/EEA (Art. 27), where one is needed.
    pub representative: Option<Contact>,
    /// The supervisory authority as the controller profile names it (empty: the
    /// renderers print Datatilsynet).
    pub supervisory_authority: String,
}

/// A processor or recipient named in the notice (Art. 13(1)(e)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticeProcessor {
    pub id: Id,
    pub name: String,
    pub country: String,
    pub role: ProcessorRole,
}

/// A category of personal data and how long it is kept (Art. 13(2)(a), 14(1)(d)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticeCategory {
    pub name: String,
    pub group: CategoryGroup,
    /// A special category of personal data (Art. 9).
    pub special: bool,
    /// Personal data relating to criminal convictions and offences (Art. 10).
    pub criminal: bool,
    pub retention: Option<RetentionRule>,
}

/// One processing activity as the notice describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticeActivity {
    pub id: Id,
    pub name: String,
    /// The activity's plain-language description for the notice.
    pub notice_text: String,
    pub purposes: Vec<String>,
    /// The people it is about.
    pub subject_categories: Vec<String>,
    pub data_categories: Vec<NoticeCategory>,
    /// Art. 6(1), each with its letter ([`LegalBasis::article`]).
    pub legal_bases: Vec<LegalBasis>,
    pub art9_condition: Option<Art9Condition>,
    /// The legitimate interest pursued, where Art. 6(1)(f) is a basis (Art. 13(1)(d)).
    pub legitimate_interest: String,
    /// Where the data comes from (Art. 14(2)(f)).
    pub source: String,
    pub recipients: Vec<String>,
    /// The processors and named recipients, by name.
    pub processors: Vec<NoticeProcessor>,
    pub joint_controllers: Vec<JointController>,
    /// Transfers out of the EEA and their safeguards (Art. 13(1)(f)).
    pub transfers: Vec<Transfer>,
    pub retention_summary: String,
    /// Automated decision-making, including profiling (Art. 13(2)(f), 22).
    pub automated_decisions: String,
    pub direct_marketing: bool,
    /// The rights that apply to this activity, in the list's order.
    pub rights: Vec<NoticeRight>,
}

/// Everything the privacy notice says, built from the register alone
/// ([`Register::notice_model`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticeModel {
    /// [`NOTICE_MODEL_VERSION`] when it was built.
    pub version: u32,
    /// The register's date when it was built: for a published version, the day it was
    /// published, which the notice prints as the date it was last changed.
    pub date: NaiveDate,
    pub controller: NoticeController,
    /// The approved activities marked for the notice, in the register's order (by name).
    pub activities: Vec<NoticeActivity>,
    /// Every right that applies to one of the activities, the complaint included.
    pub rights: Vec<NoticeRight>,
}

/// One difference between two versions of the notice. It names what changed with its
/// values (names, codes, rules); the window and the reports put it into words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeChange {
    /// The controller's contact details changed: the fields, by name (`email`, `dpo`,
    /// `supervisory_authority` ...).
    ControllerChanged {
        fields: Vec<String>,
    },
    /// A processing activity (a purpose) is now described.
    ActivityAdded {
        activity: String,
    },
    /// A processing activity is no longer described (removed, made a draft, or taken
    /// out of the notice).
    ActivityRemoved {
        activity: String,
    },
    ActivityRenamed {
        from: String,
        to: String,
    },
    NoticeTextChanged {
        activity: String,
    },
    PurposeAdded {
        activity: String,
        purpose: String,
    },
    PurposeRemoved {
        activity: String,
        purpose: String,
    },
    SubjectCategoryAdded {
        activity: String,
        subjects: String,
    },
    SubjectCategoryRemoved {
        activity: String,
        subjects: String,
    },
    DataCategoryAdded {
        activity: String,
        category: String,
    },
    DataCategoryRemoved {
        activity: String,
        category: String,
    },
    /// The retention of one category changed; `None` is "no rule".
    RetentionChanged {
        activity: String,
        category: String,
        from: Option<RetentionRule>,
        to: Option<RetentionRule>,
    },
    RetentionSummaryChanged {
        activity: String,
    },
    LegalBasisChanged {
        activity: String,
        from: Vec<LegalBasis>,
        to: Vec<LegalBasis>,
    },
    Art9ConditionChanged {
        activity: String,
        from: Option<Art9Condition>,
        to: Option<Art9Condition>,
    },
    LegitimateInterestChanged {
        activity: String,
    },
    SourceChanged {
        activity: String,
    },
    RecipientAdded {
        activity: String,
        recipient: String,
    },
    RecipientRemoved {
        activity: String,
        recipient: String,
    },
    ProcessorAdded {
        activity: String,
        processor: String,
    },
    ProcessorRemoved {
        activity: String,
        processor: String,
    },
    JointControllerAdded {
        activity: String,
        name: String,
    },
    JointControllerRemoved {
        activity: String,
        name: String,
    },
    TransferAdded {
        activity: String,
        country: String,
        recipient: String,
    },
    TransferRemoved {
        activity: String,
        country: String,
        recipient: String,
    },
    AutomatedDecisionsChanged {
        activity: String,
    },
    RightAdded {
        right: NoticeRight,
    },
    RightRemoved {
        right: NoticeRight,
    },
}

/// A published version, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeVersion {
    pub id: Id,
    pub lang: Lang,
    pub published_at: DateTime<Utc>,
    pub model: NoticeModel,
    /// The text as published: the HTML file that was put on the website.
    pub html: String,
}

/// A line of the list of published versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeVersionSummary {
    pub id: Id,
    pub lang: Lang,
    pub published_at: DateTime<Utc>,
    /// How many processing activities it describes.
    pub activities: usize,
}

/// What changed since the last version published in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDrift {
    pub lang: Lang,
    pub version_id: Id,
    pub published_at: DateTime<Utc>,
    /// Empty when the published notice still says what the register says.
    pub changes: Vec<NoticeChange>,
}

/// The notice at a glance, for the overview and the notice page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeStatus {
    /// The approved activities the notice describes.
    pub activities: usize,
    /// Per language with a published version: what changed since. Empty when no
    /// notice was ever published.
    pub published: Vec<NoticeDrift>,
    /// Activities marked for the notice that are still drafts, so not in it.
    pub drafts_left_out: Vec<String>,
    /// Activities in the notice without a notice text (the notice then describes them
    /// by their purposes alone).
    pub without_text: Vec<String>,
    /// Activities in the notice with an answer a template proposed that is not yet
    /// confirmed (retention, automated decisions).
    pub unconfirmed: Vec<String>,
    /// Approved activities not marked for the notice, so not in it (a register made
    /// before the notice existed has all its activities here).
    pub not_marked: Vec<String>,
}

/// Whether an activity is described in the notice: marked so and approved.
fn described(a: &Activity) -> bool {
    a.in_notice && a.status == ActivityStatus::Approved
}

fn clean(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn contact(c: &Contact) -> Option<Contact> {
    (!c.is_empty()).then(|| Contact {
        name: c.name.trim().to_string(),
        email: c.email.trim().to_string(),
        phone: c.phone.trim().to_string(),
        address: c.address.trim().to_string(),
    })
}

fn notice_controller(c: &Controller) -> NoticeController {
    NoticeController {
        organisation: c.organisation.trim().to_string(),
        org_number: c.org_number.trim().to_string(),
        address: c.address.trim().to_string(),
        email: c.email.trim().to_string(),
        phone: c.phone.trim().to_string(),
        website: c.website.trim().to_string(),
        contact_person: contact(&c.contact_person),
        dpo: c.dpo.as_ref().and_then(contact),
        representative: c.representative.as_ref().and_then(contact),
        supervisory_authority: c.supervisory_authority.trim().to_string(),
    }
}

/// The rights of one activity (Art. 13(2)(b)-(c)), in [`NoticeRight::ALL`]'s order.
/// Erasure is left out where the activity rests only on a legal obligation or a public
/// task (Art. 17(3)(b)), as the Art. 30 record's "rights available" does.
pub fn activity_rights(bases: &[LegalBasis], direct_marketing: bool) -> Vec<NoticeRight> {
    let any = |wanted: &[LegalBasis]| bases.iter().any(|b| wanted.contains(b));
    let only_duty = !bases.is_empty()
        && bases
            .iter()
            .all(|b| matches!(b, LegalBasis::LegalObligation | LegalBasis::PublicTask));
    NoticeRight::ALL
        .iter()
        .copied()
        .filter(|r| match r {
            NoticeRight::Access | NoticeRight::Rectification | NoticeRight::Restriction => true,
            NoticeRight::Erasure => !only_duty,
            NoticeRight::Portability => any(&[LegalBasis::Consent, LegalBasis::Contract]),
            NoticeRight::Objection => {
                any(&[LegalBasis::PublicTask, LegalBasis::LegitimateInterests])
            }
            NoticeRight::ObjectDirectMarketing => direct_marketing,
            NoticeRight::WithdrawConsent => any(&[LegalBasis::Consent]),
            NoticeRight::Complaint => false,
        })
        .collect()
}

/// The rights the notice lists: access, rectification, erasure and restriction, every
/// right of an activity, and the complaint (Art. 77), in [`NoticeRight::ALL`]'s order.
fn all_rights(activities: &[NoticeActivity]) -> Vec<NoticeRight> {
    NoticeRight::ALL
        .iter()
        .copied()
        .filter(|r| {
            matches!(
                r,
                NoticeRight::Access
                    | NoticeRight::Rectification
                    | NoticeRight::Erasure
                    | NoticeRight::Restriction
                    | NoticeRight::Complaint
            ) || activities.iter().any(|a| a.rights.contains(r))
        })
        .collect()
}

fn notice_activity(
    id: Id,
    a: &Activity,
    processors: &HashMap<Id, &StoredProcessor>,
) -> NoticeActivity {
    let mut bases = a.legal_bases.clone();
    bases.dedup();
    let legitimate = bases.contains(&LegalBasis::LegitimateInterests);
    NoticeActivity {
        id,
        name: a.name.trim().to_string(),
        notice_text: a.notice_text.trim().to_string(),
        purposes: clean(&a.purposes),
        subject_categories: clean(&a.subject_categories),
        data_categories: a
            .data_categories
            .iter()
            .map(|c| NoticeCategory {
                name: c.name.trim().to_string(),
                group: c.group,
                special: c.is_special_category(),
                criminal: c.is_criminal_offence_data(),
                retention: c.retention.clone(),
            })
            .collect(),
        rights: activity_rights(&bases, a.direct_marketing),
        legal_bases: bases,
        art9_condition: a.art9_condition,
        legitimate_interest: if legitimate {
            a.legitimate_interest.trim().to_string()
        } else {
            String::new()
        },
        source: a.source.trim().to_string(),
        recipients: clean(&a.recipients),
        processors: a
            .processor_ids
            .iter()
            .filter_map(|pid| processors.get(pid))
            .map(|p| NoticeProcessor {
                id: p.id,
                name: p.processor.name.trim().to_string(),
                country: p.processor.country.trim().to_string(),
                role: p.processor.role,
            })
            .collect(),
        joint_controllers: a.joint_controllers.clone(),
        transfers: a.transfers.clone(),
        retention_summary: a.retention_summary.trim().to_string(),
        automated_decisions: a.automated_decisions.trim().to_string(),
        direct_marketing: a.direct_marketing,
    }
}

// ---------------------------------------------------------------------------------
// What changed between two versions
// ---------------------------------------------------------------------------------

/// Whether two retention rules say the same in the notice: the trigger and the period,
/// and for "until further notice" (no period) the reason given, which is then the
/// only thing the notice can say.
fn same_retention(a: &Option<RetentionRule>, b: &Option<RetentionRule>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.trigger == b.trigger
                && a.duration == b.duration
                && (a.duration.is_some() || a.justification.trim() == b.justification.trim())
        }
        _ => false,
    }
}

/// The same text, ignoring case and surrounding space (names typed again).
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The items of `new` not in `old`, and of `old` not in `new`, in their own order.
fn added_and_removed<'a, T: ?Sized>(
    old: &[&'a T],
    new: &[&'a T],
    same: impl Fn(&T, &T) -> bool,
) -> (Vec<&'a T>, Vec<&'a T>) {
    let added: Vec<&'a T> = new
        .iter()
        .copied()
        .filter(|n: &&'a T| !old.iter().any(|o: &&'a T| same(*o, *n)))
        .collect();
    let removed: Vec<&'a T> = old
        .iter()
        .copied()
        .filter(|o: &&'a T| !new.iter().any(|n: &&'a T| same(*o, *n)))
        .collect();
    (added, removed)
}

fn strings(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn activity_changes(o: &NoticeActivity, n: &NoticeActivity, out: &mut Vec<NoticeChange>) {
    let act = || n.name.clone();
    if o.name != n.name {
        out.push(NoticeChange::ActivityRenamed {
            from: o.name.clone(),
            to: n.name.clone(),
        });
    }
    if o.notice_text != n.notice_text {
        out.push(NoticeChange::NoticeTextChanged { activity: act() });
    }
    let (added, removed) =
        added_and_removed(&strings(&o.purposes), &strings(&n.purposes), same_name);
    for p in removed {
        out.push(NoticeChange::PurposeRemoved {
            activity: act(),
            purpose: p.to_string(),
        });
    }
    for p in added {
        out.push(NoticeChange::PurposeAdded {
            activity: act(),
            purpose: p.to_string(),
        });
    }
    if o.legal_bases != n.legal_bases {
        out.push(NoticeChange::LegalBasisChanged {
            activity: act(),
            from: o.legal_bases.clone(),
            to: n.legal_bases.clone(),
        });
    }
    if o.art9_condition != n.art9_condition {
        out.push(NoticeChange::Art9ConditionChanged {
            activity: act(),
            from: o.art9_condition,
            to: n.art9_condition,
        });
    }
    if o.legitimate_interest != n.legitimate_interest {
        out.push(NoticeChange::LegitimateInterestChanged { activity: act() });
    }
    let (added, removed) = added_and_removed(
        &strings(&o.subject_categories),
        &strings(&n.subject_categories),
        same_name,
    );
    for s in removed {
        out.push(NoticeChange::SubjectCategoryRemoved {
            activity: act(),
            subjects: s.to_string(),
        });
    }
    for s in added {
        out.push(NoticeChange::SubjectCategoryAdded {
            activity: act(),
            subjects: s.to_string(),
        });
    }
    for c in &o.data_categories {
        if !n
            .data_categories
            .iter()
            .any(|x| same_name(&x.name, &c.name))
        {
            out.push(NoticeChange::DataCategoryRemoved {
                activity: act(),
                category: c.name.clone(),
            });
        }
    }
    for c in &n.data_categories {
        match o
            .data_categories
            .iter()
            .find(|x| same_name(&x.name, &c.name))
        {
            None => out.push(NoticeChange::DataCategoryAdded {
                activity: act(),
                category: c.name.clone(),
            }),
            Some(before) if !same_retention(&before.retention, &c.retention) => {
                out.push(NoticeChange::RetentionChanged {
                    activity: act(),
                    category: c.name.clone(),
                    from: before.retention.clone(),
                    to: c.retention.clone(),
                })
            }
            Some(_) => {}
        }
    }
    if o.retention_summary != n.retention_summary {
        out.push(NoticeChange::RetentionSummaryChanged { activity: act() });
    }
    if o.source != n.source {
        out.push(NoticeChange::SourceChanged { activity: act() });
    }
    let (added, removed) =
        added_and_removed(&strings(&o.recipients), &strings(&n.recipients), same_name);
    for r in removed {
        out.push(NoticeChange::RecipientRemoved {
            activity: act(),
            recipient: r.to_string(),
        });
    }
    for r in added {
        out.push(NoticeChange::RecipientAdded {
            activity: act(),
            recipient: r.to_string(),
        });
    }
    let names = |v: &[NoticeProcessor]| v.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    let (old_p, new_p) = (names(&o.processors), names(&n.processors));
    let (added, removed) = added_and_removed(&strings(&old_p), &strings(&new_p), same_name);
    for p in removed {
        out.push(NoticeChange::ProcessorRemoved {
            activity: act(),
            processor: p.to_string(),
        });
    }
    for p in added {
        out.push(NoticeChange::ProcessorAdded {
            activity: act(),
            processor: p.to_string(),
        });
    }
    let names = |v: &[JointController]| {
        v.iter()
            .map(|j| j.name.trim().to_string())
            .collect::<Vec<_>>()
    };
    let (old_j, new_j) = (names(&o.joint_controllers), names(&n.joint_controllers));
    let (added, removed) = added_and_removed(&strings(&old_j), &strings(&new_j), same_name);
    for j in removed {
        out.push(NoticeChange::JointControllerRemoved {
            activity: act(),
            name: j.to_string(),
        });
    }
    for j in added {
        out.push(NoticeChange::JointControllerAdded {
            activity: act(),
            name: j.to_string(),
        });
    }
    // A transfer is its country, recipient and safeguard: a changed safeguard is the old
    // transfer removed and the new one added.
    let old_t: Vec<&Transfer> = o.transfers.iter().collect();
    let new_t: Vec<&Transfer> = n.transfers.iter().collect();
    let same_transfer = |a: &Transfer, b: &Transfer| {
        same_name(&a.country, &b.country)
            && same_name(&a.recipient, &b.recipient)
            && a.safeguard == b.safeguard
    };
    let (added, removed) = added_and_removed(&old_t, &new_t, same_transfer);
    for t in removed {
        out.push(NoticeChange::TransferRemoved {
            activity: act(),
            country: t.country.trim().to_string(),
            recipient: t.recipient.trim().to_string(),
        });
    }
    for t in added {
        out.push(NoticeChange::TransferAdded {
            activity: act(),
            country: t.country.trim().to_string(),
            recipient: t.recipient.trim().to_string(),
        });
    }
    if o.automated_decisions != n.automated_decisions {
        out.push(NoticeChange::AutomatedDecisionsChanged { activity: act() });
    }
}

/// Every difference between two versions of the notice, each named by its kind and
/// values: the controller's contact details first, then the activities no longer
/// described (in the old order), then each activity described now (added, or what
/// changed in it, in the new order), then the rights. The date a model was built is
/// not a change. Activities are matched by their id, so a renamed one is one change.
pub fn notice_changes(old: &NoticeModel, new: &NoticeModel) -> Vec<NoticeChange> {
    let mut out = Vec::new();
    let (oc, nc) = (&old.controller, &new.controller);
    let mut fields = Vec::new();
    for (name, a, b) in [
        ("organisation", &oc.organisation, &nc.organisation),
        ("org_number", &oc.org_number, &nc.org_number),
        ("address", &oc.address, &nc.address),
        ("email", &oc.email, &nc.email),
        ("phone", &oc.phone, &nc.phone),
        ("website", &oc.website, &nc.website),
    ] {
        if a != b {
            fields.push(name.to_string());
        }
    }
    for (name, a, b) in [
        ("contact_person", &oc.contact_person, &nc.contact_person),
        ("dpo", &oc.dpo, &nc.dpo),
        ("representative", &oc.representative, &nc.representative),
    ] {
        if a != b {
            fields.push(name.to_string());
        }
    }
    if oc.supervisory_authority != nc.supervisory_authority {
        fields.push("supervisory_authority".to_string());
    }
    if !fields.is_empty() {
        out.push(NoticeChange::ControllerChanged { fields });
    }
    for o in &old.activities {
        if !new.activities.iter().any(|n| n.id == o.id) {
            out.push(NoticeChange::ActivityRemoved {
                activity: o.name.clone(),
            });
        }
    }
    for n in &new.activities {
        match old.activities.iter().find(|o| o.id == n.id) {
            None => out.push(NoticeChange::ActivityAdded {
                activity: n.name.clone(),
            }),
            Some(o) => activity_changes(o, n, &mut out),
        }
    }
    for r in &old.rights {
        if !new.rights.contains(r) {
            out.push(NoticeChange::RightRemoved { right: *r });
        }
    }
    for r in &new.rights {
        if !old.rights.contains(r) {
            out.push(NoticeChange::RightAdded { right: *r });
        }
    }
    out
}

// ---------------------------------------------------------------------------------
// The register: the model, publishing, versions, drift
// ---------------------------------------------------------------------------------

/// A stored version's row: id, language, published_at, model (JSON), html.
type Row = (Id, String, String, String, String);

fn version_of((id, lang, at, model, html): Row) -> Result<NoticeVersion> {
    Ok(NoticeVersion {
        id,
        lang: Lang::parse(&lang)
            .ok_or_else(|| Error::Corrupt("a published notice has an unknown language".into()))?,
        published_at: time(&at)?,
        model: serde_json::from_str(&model)?,
        html,
    })
}

impl Register {
    /// The privacy notice as the register says it now: a pure read (see the module's
    /// documentation for what it holds and why only approved activities are in it).
    pub fn notice_model(&self) -> Result<NoticeModel> {
        let controller = self.controller()?.unwrap_or_default();
        let processors = self.processors()?;
        let by_id: HashMap<Id, &StoredProcessor> = processors.iter().map(|p| (p.id, p)).collect();
        let activities: Vec<NoticeActivity> = self
            .activities()?
            .iter()
            .filter(|s| described(&s.activity))
            .map(|s| notice_activity(s.id, &s.activity, &by_id))
            .collect();
        Ok(NoticeModel {
            version: NOTICE_MODEL_VERSION,
            date: self.clock().today(),
            controller: notice_controller(&controller),
            rights: all_rights(&activities),
            activities,
        })
    }

    /// Publishes the notice in `lang`: stores the model as the register says it now
    /// and `html`, the text as it was put on the website (the reports crate writes it
    /// from the same model), and records `notice.published` in the audit log (fields:
    /// the language and the number of activities). Returns the stored version.
    pub fn publish_notice(&mut self, lang: Lang, html: &str) -> Result<NoticeVersion> {
        if html.trim().is_empty() {
            return Err(InputError::invalid("html", "the published text is empty").into());
        }
        let model = self.notice_model()?;
        let body = serde_json::to_string(&model)?;
        let count = format!("activities:{}", model.activities.len());
        let id = self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO notices (language, published_at, model, html) VALUES (?1, ?2, ?3, ?4)",
                params![lang.code(), ctx.now, body, html],
            )?;
            let id = tx.last_insert_rowid();
            let fields = [lang.code(), count.as_str()];
            ctx.audit(
                tx,
                NewEvent::new("notice.published", "notice", Some(id)).fields(&fields),
            )?;
            Ok(id)
        })?;
        self.notice_version(id)
    }

    /// The published versions, newest first.
    pub fn notice_versions(&self) -> Result<Vec<NoticeVersionSummary>> {
        let mut st = self
            .conn()
            .prepare("SELECT id, language, published_at, model FROM notices ORDER BY id DESC")?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, lang, at, model)| -> Result<NoticeVersionSummary> {
                let model: NoticeModel = serde_json::from_str(&model)?;
                Ok(NoticeVersionSummary {
                    id,
                    lang: Lang::parse(&lang).ok_or_else(|| {
                        Error::Corrupt("a published notice has an unknown language".into())
                    })?,
                    published_at: time(&at)?,
                    activities: model.activities.len(),
                })
            })
            .collect()
    }

    /// One published version, whole.
    pub fn notice_version(&self, id: Id) -> Result<NoticeVersion> {
        let row: Option<Row> = self
            .conn()
            .query_row(
                "SELECT id, language, published_at, model, html FROM notices WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        version_of(row.ok_or(Error::NotFound {
            entity: "notice",
            id,
        })?)
    }

    /// The last version published in `lang`, if any.
    fn latest_notice(&self, lang: Lang) -> Result<Option<NoticeVersion>> {
        let row: Option<Row> = self
            .conn()
            .query_row(
                "SELECT id, language, published_at, model, html FROM notices
                 WHERE language = ?1 ORDER BY id DESC LIMIT 1",
                [lang.code()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        row.map(version_of).transpose()
    }

    /// What changed since the notice was last published in `lang`: `None` when it was
    /// never published in that language, otherwise the changes (none when it is up to
    /// date).
    pub fn notice_drift(&self, lang: Lang) -> Result<Option<NoticeDrift>> {
        let now = self.notice_model()?;
        self.drift_against(lang, &now)
    }

    fn drift_against(&self, lang: Lang, now: &NoticeModel) -> Result<Option<NoticeDrift>> {
        Ok(self.latest_notice(lang)?.map(|v| NoticeDrift {
            lang,
            version_id: v.id,
            published_at: v.published_at,
            changes: notice_changes(&v.model, now),
        }))
    }

    /// The changes from published version `a` to published version `b`.
    pub fn notice_version_changes(&self, a: Id, b: Id) -> Result<Vec<NoticeChange>> {
        let (a, b) = (self.notice_version(a)?, self.notice_version(b)?);
        Ok(notice_changes(&a.model, &b.model))
    }

    /// The notice at a glance: how many activities it describes, the drift of each
    /// language published, and the activities marked for it that are drafts, have no
    /// notice text, or still hold a template's proposal.
    pub fn notice_status(&self) -> Result<NoticeStatus> {
        let now = self.notice_model()?;
        let mut published = Vec::new();
        for lang in Lang::ALL {
            if let Some(d) = self.drift_against(lang, &now)? {
                published.push(d);
            }
        }
        let activities = self.activities()?;
        let marked = || activities.iter().filter(|s| s.activity.in_notice);
        Ok(NoticeStatus {
            activities: now.activities.len(),
            published,
            drafts_left_out: marked()
                .filter(|s| s.activity.status == ActivityStatus::Draft)
                .map(|s| s.activity.name.clone())
                .collect(),
            without_text: marked()
                .filter(|s| described(&s.activity) && s.activity.notice_text.trim().is_empty())
                .map(|s| s.activity.name.clone())
                .collect(),
            unconfirmed: marked()
                .filter(|s| described(&s.activity) && !s.activity.proposals.is_empty())
                .map(|s| s.activity.name.clone())
                .collect(),
            not_marked: activities
                .iter()
                .filter(|s| s.activity.status == ActivityStatus::Approved && !s.activity.in_notice)
                .map(|s| s.activity.name.clone())
                .collect(),
        })
    }

    /// Marks every approved activity not yet marked as described in the notice, each
    /// as an audited change of that activity; returns how many. Art. 13 and 14 ask the
    /// notice to cover every purpose, so this is the one-step answer for a register
    /// whose activities predate the notice; an activity can be unmarked again in its
    /// editor.
    pub fn mark_approved_for_notice(&mut self) -> Result<usize> {
        let unmarked: Vec<_> = self
            .activities()?
            .into_iter()
            .filter(|s| s.activity.status == ActivityStatus::Approved && !s.activity.in_notice)
            .collect();
        for stored in &unmarked {
            let mut activity = stored.activity.clone();
            activity.in_notice = true;
            self.update_activity(stored.id, &activity)?;
        }
        Ok(unmarked.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Period, PeriodUnit, RetentionTrigger, TransferSafeguard};

    fn rule(amount: u32, unit: PeriodUnit) -> Option<RetentionRule> {
        Some(RetentionRule {
            trigger: RetentionTrigger::Unsubscribed,
            duration: Some(Period { amount, unit }),
            justification: "Deactivated at once, deleted later.".into(),
        })
    }

    fn newsletter() -> NoticeActivity {
        NoticeActivity {
            id: 4,
            name: "Newsletter".into(),
            purposes: vec!["Send the newsletter".into()],
            data_categories: vec![NoticeCategory {
                name: "E-mail address".into(),
                retention: rule(1, PeriodUnit::Months),
                ..Default::default()
            }],
            legal_bases: vec![LegalBasis::Consent],
            processors: vec![NoticeProcessor {
                id: 2,
                name: "Dynamics 365 Customer Insights".into(),
                ..Default::default()
            }],
            rights: activity_rights(&[LegalBasis::Consent], true),
            direct_marketing: true,
            ..Default::default()
        }
    }

    fn model(activities: Vec<NoticeActivity>) -> NoticeModel {
        NoticeModel {
            version: NOTICE_MODEL_VERSION,
            date: NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
            controller: NoticeController {
                organisation: "Fjordlys Rådgivning AS".into(),
                email: "personvern@fjordlys.example.no".into(),
                ..Default::default()
            },
            rights: all_rights(&activities),
            activities,
        }
    }

    #[test]
    fn a_changed_retention_is_named_with_its_category_and_both_rules() {
        let old = model(vec![newsletter()]);
        let mut n = newsletter();
        n.data_categories[0].retention = rule(2, PeriodUnit::Months);
        let new = model(vec![n]);
        assert_eq!(
            notice_changes(&old, &new),
            vec![NoticeChange::RetentionChanged {
                activity: "Newsletter".into(),
                category: "E-mail address".into(),
                from: rule(1, PeriodUnit::Months),
                to: rule(2, PeriodUnit::Months),
            }]
        );
        // A new reason for the same period is not a change the notice shows.
        let mut same = newsletter();
        same.data_categories[0]
            .retention
            .as_mut()
            .unwrap()
            .justification = "Another reason.".into();
        assert!(notice_changes(&old, &model(vec![same])).is_empty());
        // Nor is the date a model was built.
        let mut later = old.clone();
        later.date = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert!(notice_changes(&old, &later).is_empty());
    }

    #[test]
    fn a_processor_added_is_named_and_so_is_one_taken_away() {
        let old = model(vec![newsletter()]);
        let mut n = newsletter();
        n.processors.push(NoticeProcessor {
            id: 9,
            name: "Mintra Trainingportal".into(),
            ..Default::default()
        });
        let new = model(vec![n]);
        assert_eq!(
            notice_changes(&old, &new),
            vec![NoticeChange::ProcessorAdded {
                activity: "Newsletter".into(),
                processor: "Mintra Trainingportal".into(),
            }]
        );
        assert_eq!(
            notice_changes(&new, &old),
            vec![NoticeChange::ProcessorRemoved {
                activity: "Newsletter".into(),
                processor: "Mintra Trainingportal".into(),
            }]
        );
    }

    #[test]
    fn activities_bases_transfers_controller_and_rights_are_named() {
        let old = model(vec![newsletter()]);
        let mut n = newsletter();
        n.legal_bases = vec![LegalBasis::LegitimateInterests];
        n.rights = activity_rights(&n.legal_bases, true);
        n.transfers.push(Transfer {
            country: "United States".into(),
            recipient: "Microsoft Corporation".into(),
            safeguard: TransferSafeguard::AdequacyDecision,
            documentation: String::new(),
        });
        let courses = NoticeActivity {
            id: 7,
            name: "Courses".into(),
            legal_bases: vec![LegalBasis::Contract],
            rights: activity_rights(&[LegalBasis::Contract], false),
            ..Default::default()
        };
        let mut new = model(vec![courses, n]);
        new.controller.email = "post@fjordlys.example.no".into();
        let changes = notice_changes(&old, &new);
        assert_eq!(
            changes,
            vec![
                NoticeChange::ControllerChanged {
                    fields: vec!["email".into()]
                },
                NoticeChange::ActivityAdded {
                    activity: "Courses".into()
                },
                NoticeChange::LegalBasisChanged {
                    activity: "Newsletter".into(),
                    from: vec![LegalBasis::Consent],
                    to: vec![LegalBasis::LegitimateInterests],
                },
                NoticeChange::TransferAdded {
                    activity: "Newsletter".into(),
                    country: "United States".into(),
                    recipient: "Microsoft Corporation".into(),
                },
                NoticeChange::RightRemoved {
                    right: NoticeRight::WithdrawConsent
                },
                NoticeChange::RightAdded {
                    right: NoticeRight::Objection
                },
            ],
            "portability stays: Courses rests on a contract"
        );
        // The change travels to the window as its kind and values.
        let json = serde_json::to_value(&changes[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "kind": "controller_changed", "fields": ["email"] })
        );
        let removed = notice_changes(&new, &model(vec![]));
        assert!(removed.contains(&NoticeChange::ActivityRemoved {
            activity: "Courses".into()
        }));
    }

    #[test]
    fn rights_follow_the_bases_and_direct_marketing() {
        use NoticeRight::*;
        assert_eq!(
            activity_rights(&[LegalBasis::Consent], false),
            vec![
                Access,
                Rectification,
                Erasure,
                Restriction,
                Portability,
                WithdrawConsent
            ]
        );
        assert_eq!(
            activity_rights(&[LegalBasis::LegitimateInterests], true),
            vec![
                Access,
                Rectification,
                Erasure,
                Restriction,
                Objection,
                ObjectDirectMarketing
            ]
        );
        assert_eq!(
            activity_rights(&[LegalBasis::LegalObligation], false),
            vec![Access, Rectification, Restriction],
            "a duty to keep the data leaves no right to erasure (Art. 17(3)(b))"
        );
        // With no activity the notice still lists the rights everyone has, and the
        // complaint.
        assert_eq!(
            all_rights(&[]),
            vec![Access, Rectification, Erasure, Restriction, Complaint]
        );
        assert_eq!(NoticeRight::ObjectDirectMarketing.article(), "Art. 21(2)");
    }
}
