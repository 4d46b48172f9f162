//! The subject access report (Art. 15) as a model: the copy of everything the register
//! holds about one person, grouped by processing activity, and for each activity the
//! items of Art. 15(1)(a)-(h) and 15(2), the systems and processors where the data is
//! kept, the consent and objection history, the retention dates set for the person and
//! the legal holds that stop deletion. Beside the activities: the person's requests and
//! their outcomes, the restriction (Art. 18) and the objection to direct marketing
//! (Art. 21(3)), and the recipients told under Art. 19. Its JSON form is the Art. 20
//! portable copy.
//!
//! The model holds personal data, so its `Debug` prints no values.

use std::fmt;

use chrono::NaiveDate;
use privreg_core::deadline::add_period;
use privreg_core::labels::{self as core_labels, Labelled};
use privreg_core::model::{Id, ObjectionDecision, Period, PeriodUnit, Redacted};
use privreg_core::store::requests::{Outcome, Request, RequestFilter, RequestStatus};
use privreg_core::store::retention::HoldTarget;
use privreg_core::templates::Lang;
use privreg_core::Register;
use serde::Serialize;

use crate::art30::{
    audit_stamp, category, clean, legal_bases, retention_rules, transfers, ArticleTerm, AuditStamp,
    CategoryEntry, ControllerBlock, ProcessorEntry, Term, TransferEntry,
};
use crate::fides;
use crate::labels::{self, label};
use crate::Result;

/// `schema` of the access JSON; see `schemas/subject-access.v1.schema.json`.
pub const SCHEMA: &str = "privreg.subject_access";
/// Bumped when a field is removed or changes meaning; adding a field does not bump it.
pub const SCHEMA_VERSION: u32 = 1;

/// The article of the right to restriction of processing.
pub const RESTRICTION_ARTICLE: &str = "Art. 18";
/// The article of the objection to direct marketing.
pub const MARKETING_OBJECTION_ARTICLE: &str = "Art. 21(3)";

/// One piece of personal data.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct DataItem {
    /// The register's category name.
    pub category: String,
    /// The Fides taxonomy key, e.g. `user.contact.email`.
    pub fides: String,
    pub value: String,
    /// Where it came from; empty when not recorded.
    pub source: String,
    pub collected_on: Option<NaiveDate>,
}

impl fmt::Debug for DataItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataItem")
            .field("category", &self.category)
            .field("fides", &self.fides)
            .field("value", &Redacted(&self.value))
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SubjectEntry {
    /// The register's id for the person: our reference.
    pub id: Id,
    pub name: String,
    /// Name, e-mail and telephone as data items with their Fides codes.
    pub identity: Vec<DataItem>,
    /// Processing restricted (Art. 18).
    pub restricted: bool,
    /// Objected to direct marketing (Art. 21(3)).
    pub marketing_objection: bool,
    pub registered_on: NaiveDate,
}

impl fmt::Debug for SubjectEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubjectEntry")
            .field("id", &self.id)
            .field("name", &Redacted(&self.name))
            .field("identity", &self.identity)
            .field("restricted", &self.restricted)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentEntry {
    pub purpose: String,
    pub kind: Term,
    pub method: String,
    /// RFC 3339.
    pub at: String,
}

/// The manager's decision on the person's objection to the processing in one activity
/// (Art. 21(1)), or that it still waits for one.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ObjectionEntry {
    /// `continue`, `stop` or `pending`, with its meaning in words.
    pub decision: Term,
    /// The grounds the decision documents (the compelling legitimate grounds when the
    /// processing continues); empty while pending.
    pub grounds: String,
    pub decided_on: Option<NaiveDate>,
}

impl fmt::Debug for ObjectionEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectionEntry")
            .field("decision", &self.decision.code)
            .field("grounds", &Redacted(&self.grounds))
            .field("decided_on", &self.decided_on)
            .finish()
    }
}

/// The first day the person's data in one category may be deleted, counted from a
/// date set for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueEntry {
    pub category: String,
    pub due_on: NaiveDate,
}

/// A date a retention rule counts from, set for the person in one activity (the
/// relationship ended, the application closed, they unsubscribed, the last contact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionDateEntry {
    pub trigger: Term,
    pub on: NaiveDate,
    /// The categories of the person's data whose rule counts from this date, with the
    /// first day each may be deleted (unless a hold or a restriction stops it).
    pub due: Vec<DueEntry>,
}

/// A legal hold in force that stops deletion of the person's data in an activity: one
/// on the person, or one on the whole activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoldEntry {
    /// `subject` (on the person) or `activity` (on the activity).
    pub on: Term,
    pub reason: String,
    /// The last day it holds; `None`: until it is released.
    pub until: Option<NaiveDate>,
}

/// Art. 15(1)(g): where the data came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceEntry {
    /// The activity's usual source.
    pub activity_source: String,
    /// The distinct sources recorded on the person's data.
    pub record_sources: Vec<String>,
}

/// One processing activity the person's data is held for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessActivity {
    pub id: Id,
    pub name: String,
    /// The copy of the data (Art. 15(1) and (3)).
    pub data: Vec<DataItem>,
    pub consents: Vec<ConsentEntry>,
    /// (a), with the lawful bases.
    pub purposes: Vec<String>,
    pub legal_bases: Vec<ArticleTerm>,
    pub legitimate_interest: String,
    /// (b): the categories of the person's data in this activity.
    pub categories: Vec<CategoryEntry>,
    /// (c)
    pub recipients: Vec<String>,
    pub processors: Vec<ProcessorEntry>,
    /// Where the data is kept: the activity's systems (its processors are above).
    pub systems: Vec<String>,
    /// (c) third countries and 15(2) safeguards.
    pub transfers: Vec<TransferEntry>,
    /// (d): the general rule and each category's rule in words.
    pub retention_summary: String,
    pub retention_rules: Vec<String>,
    /// (d) for this person: the dates set for them that the rules count from.
    pub retention_dates: Vec<RetentionDateEntry>,
    /// The legal holds in force that stop deletion of this data.
    pub holds: Vec<HoldEntry>,
    /// The decisions on the person's objections to this activity (Art. 21(1)).
    pub objections: Vec<ObjectionEntry>,
    /// (g)
    pub source: SourceEntry,
    /// (h)
    pub automated_decisions: String,
}

/// One of the person's requests (Art. 15-22) and where it stands.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct RequestEntry {
    /// The request's reference in exchanges (OpenDSR `subject_request_id`).
    pub reference: String,
    pub kind: ArticleTerm,
    pub received_on: NaiveDate,
    pub status: Term,
    /// Where it stands, in words: completed on a date; refused on a date and on which
    /// ground (with its article); extended, and the new deadline; open, and the
    /// deadline.
    pub outcome: String,
    /// The ground a refusal rests on; `None` when not refused (or refused before
    /// grounds were kept).
    pub refusal_ground: Option<ArticleTerm>,
    /// The reasons the person was told for a refusal (Art. 12(4)).
    pub refusal_reason: String,
    /// The reasons the person was told for an extension (Art. 12(3)).
    pub extension_reason: String,
    /// The deadline that applies, with any extension (Art. 12(3)).
    pub due_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

impl fmt::Debug for RequestEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestEntry")
            .field("kind", &self.kind.code)
            .field("status", &self.status.code)
            .field("received_on", &self.received_on)
            .field("refusal_reason", &Redacted(&self.refusal_reason))
            .field("extension_reason", &Redacted(&self.extension_reason))
            .finish_non_exhaustive()
    }
}

/// Whether processing of the person's data is restricted now (Art. 18), since when and
/// why, as recorded.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct RestrictionEntry {
    pub article: String,
    pub restricted: bool,
    /// When the restriction in force began; `None` when not restricted or not recorded.
    pub since: Option<NaiveDate>,
    /// Why, as the register recorded it; empty when not restricted or not recorded.
    pub reason: String,
}

impl fmt::Debug for RestrictionEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestrictionEntry")
            .field("restricted", &self.restricted)
            .field("since", &self.since)
            .field("reason", &Redacted(&self.reason))
            .finish_non_exhaustive()
    }
}

/// Whether the person has objected to direct marketing (Art. 21(3)), and when, if
/// recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketingObjectionEntry {
    pub article: String,
    pub objected: bool,
    /// The first recorded date of the objection; `None` when not objected or not dated.
    pub since: Option<NaiveDate>,
}

/// A recipient told of a rectification, erasure or restriction of the person's data
/// (Art. 19), or found impossible or disproportionate to tell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationEntry {
    pub recipient: String,
    /// Processor, recipient or joint controller.
    pub kind: Term,
    /// Erasure, rectification or restriction.
    pub cause: Term,
    /// Open, told, impossible or disproportionate.
    pub status: Term,
    pub done_on: Option<NaiveDate>,
    /// How they were told, or why it was impossible or disproportionate.
    pub how: String,
}

/// A right of the data subject and what it means (Art. 15(1)(e) and related).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RightEntry {
    pub code: String,
    pub article: String,
    pub label: String,
    pub text: String,
}

/// Art. 15(1)(f).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintEntry {
    pub article: String,
    pub text: String,
    /// The supervisory authority with its contact details.
    pub authority: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessReport {
    pub schema: String,
    pub schema_version: u32,
    pub lang: String,
    pub title: String,
    pub generated_at: String,
    pub generated_on: String,
    pub controller: ControllerBlock,
    pub subject: SubjectEntry,
    /// The person's requests, oldest first.
    pub requests: Vec<RequestEntry>,
    /// Art. 18.
    pub restriction: RestrictionEntry,
    /// Art. 21(3).
    pub marketing_objection: MarketingObjectionEntry,
    pub activities: Vec<AccessActivity>,
    /// Art. 19: the recipients told of a rectification, erasure or restriction.
    pub notifications: Vec<NotificationEntry>,
    /// (e) and the related rights.
    pub rights: Vec<RightEntry>,
    /// (f)
    pub complaint: ComplaintEntry,
    pub audit: AuditStamp,
}

fn item(category: &str, fides: &str, value: &str) -> DataItem {
    DataItem {
        category: category.to_string(),
        fides: fides.to_string(),
        value: value.to_string(),
        source: String::new(),
        collected_on: None,
    }
}

fn term(code: &str, label: &str) -> Term {
    Term {
        code: code.to_string(),
        label: label.to_string(),
    }
}

/// A request as the person reads it: its kind, dates and outcome in words.
fn request_entry(lang: Lang, r: &Request) -> RequestEntry {
    let words = |d: NaiveDate| labels::date(lang, d);
    // A closed request has its day; one from before closing days were kept, its last
    // change.
    let closed = words(r.closed_on.unwrap_or_else(|| r.updated_at.date_naive()));
    let due = words(r.deadline.effective_due_on);
    let outcome = match r.status {
        // Done in part: what was not done, and the ground the law gives.
        RequestStatus::Completed if r.outcome == Some(Outcome::Partly) => {
            let ground = r.refusal_ground.map(|g| g.label(lang)).unwrap_or_default();
            let not_done = match (r.not_done.trim(), ground) {
                ("", g) => g.to_string(),
                (t, "") => t.to_string(),
                (t, g) => format!("{t} ({g})"),
            };
            labels::tr(
                lang,
                (
                    "Partly completed on {date}. Not done: {not_done}",
                    "Delvis fullført {date}. Ikke gjennomført: {not_done}",
                ),
            )
            .replace("{date}", &closed)
            .replace("{not_done}", &not_done)
        }
        RequestStatus::Completed => label(lang, "outcome_completed").replace("{date}", &closed),
        RequestStatus::Refused => match r.refusal_ground {
            Some(g) => label(lang, "outcome_refused")
                .replace("{date}", &closed)
                .replace("{ground}", g.label(lang)),
            None => label(lang, "outcome_refused_no_ground").replace("{date}", &closed),
        },
        RequestStatus::Extended => label(lang, "outcome_extended")
            .replace(
                "{period}",
                &core_labels::period(
                    lang,
                    Period {
                        amount: r.extension_months,
                        unit: PeriodUnit::Months,
                    },
                ),
            )
            .replace("{date}", &due),
        RequestStatus::Received | RequestStatus::InProgress => {
            label(lang, "outcome_open").replace("{date}", &due)
        }
    };
    RequestEntry {
        reference: r.public_id.clone(),
        kind: ArticleTerm {
            code: r.kind.as_str().to_string(),
            article: r.kind.article().to_string(),
            label: r.kind.label(lang).to_string(),
        },
        received_on: r.received_on,
        status: term(r.status.as_str(), r.status.label(lang)),
        outcome,
        refusal_ground: r.refusal_ground.map(|g| ArticleTerm {
            code: g.as_str().to_string(),
            article: g.article().to_string(),
            label: g.label(lang).to_string(),
        }),
        refusal_reason: r.refusal_reason.trim().to_string(),
        extension_reason: r.extension_reason.trim().to_string(),
        due_on: r.deadline.effective_due_on,
        closed_on: r.closed_on,
    }
}

/// The recipients told of a rectification, erasure or restriction of the person's data
/// (Art. 19), as the core lists them. The one place the report reads them.
fn notifications(reg: &Register, subject_id: Id, lang: Lang) -> Result<Vec<NotificationEntry>> {
    Ok(reg
        .notifications_for(subject_id)?
        .into_iter()
        .map(|n| NotificationEntry {
            recipient: n.recipient.trim().to_string(),
            kind: term(n.recipient_kind.as_str(), n.recipient_kind.label(lang)),
            cause: term(n.cause.as_str(), n.cause.label(lang)),
            status: term(n.status.as_str(), n.status.label(lang)),
            done_on: n.done_on,
            how: n.how.trim().to_string(),
        })
        .collect())
}

/// Builds the access report for one subject, in `lang`. Reads only (the subject's view
/// is not recorded); producing the report is audited by [`crate::export_access`].
/// A restricted subject's report is built like any other: access is not processing
/// that a restriction stops.
pub fn build(reg: &Register, subject_id: Id, lang: Lang) -> Result<AccessReport> {
    let now = reg.clock().now();
    let view = reg.subject_data(subject_id)?;
    let s = &view.subject;
    let mut identity = vec![item(
        label(lang, "name"),
        fides::SUBJECT_NAME,
        &s.fields.name,
    )];
    if !s.fields.email.is_empty() {
        identity.push(item(
            label(lang, "email"),
            fides::SUBJECT_EMAIL,
            &s.fields.email,
        ));
    }
    if !s.fields.phone.is_empty() {
        identity.push(item(
            label(lang, "phone"),
            fides::SUBJECT_PHONE,
            &s.fields.phone,
        ));
    }

    let dates = reg.retention_dates(subject_id)?;
    let decisions = reg.objection_decisions(subject_id)?;
    let pending: Vec<Id> = reg
        .objections_pending(subject_id)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    // Holds in force: released or run out, they no longer stop deletion.
    let holds: Vec<_> = reg.holds(false)?.into_iter().filter(|h| h.active).collect();

    // The activities the person has data, consent events, retention dates or objection
    // decisions in, in the register's order (by name).
    let mut ids: Vec<Id> = view.records.iter().map(|r| r.activity_id).collect();
    ids.extend(view.consents.iter().map(|c| c.activity_id));
    ids.extend(dates.iter().map(|d| d.activity_id));
    ids.extend(decisions.iter().map(|d| d.activity_id));
    ids.sort_unstable();
    ids.dedup();
    let processors: std::collections::HashMap<Id, ProcessorEntry> = reg
        .processors()?
        .iter()
        .map(|p| (p.id, ProcessorEntry::from(lang, p)))
        .collect();
    let mut stored = Vec::with_capacity(ids.len());
    for id in &ids {
        stored.push(reg.activity(*id)?);
    }
    stored.sort_by(|a, b| {
        a.activity
            .name
            .to_lowercase()
            .cmp(&b.activity.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });

    let mut activities = Vec::with_capacity(stored.len());
    for st in &stored {
        let a = &st.activity;
        let records: Vec<_> = view
            .records
            .iter()
            .filter(|r| r.activity_id == st.id)
            .collect();
        let data: Vec<DataItem> = records
            .iter()
            .map(|r| {
                let group = a.category(&r.category).map(|c| c.group).unwrap_or_default();
                DataItem {
                    category: r.category.clone(),
                    fides: fides::code(&r.category, group).to_string(),
                    value: r.value.clone(),
                    source: r.source.trim().to_string(),
                    collected_on: Some(r.collected_on),
                }
            })
            .collect();
        // (b): the activity's categories the person has data in, in the activity's order.
        let categories: Vec<CategoryEntry> = a
            .data_categories
            .iter()
            .filter(|c| {
                records
                    .iter()
                    .any(|r| r.category.trim().eq_ignore_ascii_case(c.name.trim()))
            })
            .map(|c| category(lang, c))
            .collect();
        // (d): one line per distinct rule, naming the categories it covers.
        let rules = retention_rules(&categories);
        let mut record_sources: Vec<String> = records
            .iter()
            .map(|r| r.source.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        record_sources.sort();
        record_sources.dedup();
        // (d) for this person: each date set for them, and when the categories whose
        // rule counts from it may be deleted.
        let retention_dates: Vec<RetentionDateEntry> = dates
            .iter()
            .filter(|d| d.activity_id == st.id)
            .map(|d| RetentionDateEntry {
                trigger: term(d.trigger.as_str(), d.trigger.label(lang)),
                on: d.on,
                due: a
                    .data_categories
                    .iter()
                    .filter(|c| {
                        records
                            .iter()
                            .any(|r| r.category.trim().eq_ignore_ascii_case(c.name.trim()))
                    })
                    .filter_map(|c| {
                        let rule = c.retention.as_ref()?;
                        let period = rule.duration?;
                        (rule.trigger == d.trigger).then(|| DueEntry {
                            category: c.name.trim().to_string(),
                            due_on: add_period(d.on, period),
                        })
                    })
                    .collect(),
            })
            .collect();
        let activity_holds: Vec<HoldEntry> = holds
            .iter()
            .filter_map(|h| {
                let key = match h.target {
                    HoldTarget::Subject(sid) if sid == subject_id => "subject",
                    HoldTarget::Activity(act) if act == st.id => "activity",
                    _ => return None,
                };
                Some(HoldEntry {
                    on: term(
                        key,
                        label(
                            lang,
                            if key == "subject" {
                                "hold_on_subject"
                            } else {
                                "hold_on_activity"
                            },
                        ),
                    ),
                    reason: h.reason.trim().to_string(),
                    until: h.until,
                })
            })
            .collect();
        let mut objections: Vec<ObjectionEntry> = decisions
            .iter()
            .filter(|d| d.activity_id == st.id)
            .map(|d| ObjectionEntry {
                decision: term(
                    d.decision.as_str(),
                    label(
                        lang,
                        match d.decision {
                            ObjectionDecision::Continue => "objection_continue",
                            ObjectionDecision::Stop => "objection_stop",
                        },
                    ),
                ),
                grounds: d.grounds.trim().to_string(),
                decided_on: Some(d.decided_at.date_naive()),
            })
            .collect();
        if pending.contains(&st.id) {
            objections.push(ObjectionEntry {
                decision: term("pending", label(lang, "objection_pending")),
                grounds: String::new(),
                decided_on: None,
            });
        }
        activities.push(AccessActivity {
            id: st.id,
            name: a.name.trim().to_string(),
            data,
            consents: view
                .consents
                .iter()
                .filter(|c| c.activity_id == st.id)
                .map(|c| ConsentEntry {
                    purpose: c.purpose.clone(),
                    kind: Term {
                        code: c.kind.as_str().to_string(),
                        label: c.kind.label(lang).to_string(),
                    },
                    method: c.method.clone(),
                    at: c.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                })
                .collect(),
            purposes: clean(&a.purposes),
            legal_bases: legal_bases(lang, a),
            legitimate_interest: a.legitimate_interest.trim().to_string(),
            categories,
            recipients: clean(&a.recipients),
            processors: a
                .processor_ids
                .iter()
                .filter_map(|id| processors.get(id).cloned())
                .collect(),
            systems: clean(&a.systems),
            transfers: transfers(lang, a),
            retention_summary: a.retention_summary.trim().to_string(),
            retention_rules: rules,
            retention_dates,
            holds: activity_holds,
            objections,
            source: SourceEntry {
                activity_source: a.source.trim().to_string(),
                record_sources,
            },
            automated_decisions: a.automated_decisions.trim().to_string(),
        });
    }

    let mut requests = reg.requests(RequestFilter::Subject(subject_id))?;
    requests.sort_by_key(|r| (r.received_on, r.id));
    let restriction = reg.restriction_record(subject_id)?;
    let marketing_since = reg.marketing_objection_since(subject_id)?;

    let controller = ControllerBlock::from(lang, reg.controller()?.as_ref());
    Ok(AccessReport {
        schema: SCHEMA.to_string(),
        schema_version: SCHEMA_VERSION,
        lang: lang.code().to_string(),
        title: label(lang, "access_title").to_string(),
        generated_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        generated_on: labels::date(lang, now.date_naive()),
        subject: SubjectEntry {
            id: s.id,
            name: s.fields.name.clone(),
            identity,
            restricted: s.restricted,
            marketing_objection: s.marketing_objection,
            registered_on: s.created_at.date_naive(),
        },
        requests: requests.iter().map(|r| request_entry(lang, r)).collect(),
        restriction: RestrictionEntry {
            article: RESTRICTION_ARTICLE.to_string(),
            restricted: s.restricted,
            since: restriction.as_ref().map(|r| r.since.date_naive()),
            reason: restriction
                .map(|r| r.reason.trim().to_string())
                .unwrap_or_default(),
        },
        marketing_objection: MarketingObjectionEntry {
            article: MARKETING_OBJECTION_ARTICLE.to_string(),
            objected: s.marketing_objection,
            since: marketing_since.map(|t| t.date_naive()),
        },
        activities,
        notifications: notifications(reg, subject_id, lang)?,
        rights: labels::subject_rights(lang)
            .into_iter()
            .map(|(code, article, name, text)| RightEntry {
                code: code.to_string(),
                article: article.to_string(),
                label: name.to_string(),
                text: text.to_string(),
            })
            .collect(),
        complaint: ComplaintEntry {
            article: labels::COMPLAINT_ARTICLE.to_string(),
            text: label(lang, "complaint_text").to_string(),
            authority: controller.supervisory_authority.clone(),
        },
        controller,
        audit: audit_stamp(reg)?.noted(reg, lang),
    })
}
