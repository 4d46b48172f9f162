//! The subject access report (Art. 15) as a model: the copy of everything the register
//! holds about one person, grouped by processing activity, and for each activity the
//! items of Art. 15(1)(a)-(h) and 15(2). Its JSON form is the Art. 20 portable copy.
//!
//! The model holds personal data, so its `Debug` prints no values.

use std::fmt;

use chrono::NaiveDate;
use privreg_core::labels::Labelled;
use privreg_core::model::{Id, Redacted};
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
pub const SCHEMA_VERSION: u32 = 1;

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
    /// (c) third countries and 15(2) safeguards.
    pub transfers: Vec<TransferEntry>,
    /// (d): the general rule and each category's rule in words.
    pub retention_summary: String,
    pub retention_rules: Vec<String>,
    /// (g)
    pub source: SourceEntry,
    /// (h)
    pub automated_decisions: String,
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
    pub activities: Vec<AccessActivity>,
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

    // The activities the person has data or consent events in, in the register's
    // order (by name).
    let mut ids: Vec<Id> = view.records.iter().map(|r| r.activity_id).collect();
    ids.extend(view.consents.iter().map(|c| c.activity_id));
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
            transfers: transfers(lang, a),
            retention_summary: a.retention_summary.trim().to_string(),
            retention_rules: rules,
            source: SourceEntry {
                activity_source: a.source.trim().to_string(),
                record_sources,
            },
            automated_decisions: a.automated_decisions.trim().to_string(),
        });
    }

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
        activities,
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
        audit: audit_stamp(reg)?,
    })
}
