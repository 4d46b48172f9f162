//! The people in the register: adding one with their records, the list and search, a
//! subject's page with its audit history, rectification (Art. 16), deleting a record
//! and erasure (Art. 17); and their rights from that page: consents, withdrawals and
//! objections (Art. 7(3), 21), restriction and lifting it (Art. 18), and the dates
//! retention rules count from, shown before they are set. Each calls the core and
//! returns what the window shows next.

use chrono::NaiveDate;
use privreg_core::model::{
    Id, NewConsentEvent, NewRecord, ObjectionDecision, RetentionTrigger, SubjectFields,
};
use privreg_core::store::merge::{DuplicateMatch, MergePreview, MergeReceipt};
use privreg_core::store::retention::DuePreview;
use privreg_core::{SubjectPage, SubjectSort, SubjectSummary};
use serde::Serialize;
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;
use crate::views::ActivityName;

/// Adds a person with the records they come with, in one transaction; returns the new
/// subject's id. A person erased at their request before is refused
/// (`subject.suppressed`) unless `override_reason` says why they may come back.
#[tauri::command(rename_all = "snake_case")]
pub async fn add_subject(
    state: State<'_, AppState>,
    subject: SubjectFields,
    records: Vec<NewRecord>,
    override_reason: Option<String>,
) -> IpcResult<Id> {
    state.with_register(|reg| match override_reason {
        Some(reason) => reg.add_subject_overriding_suppression(&subject, records, &reason),
        None => Ok(reg.add_subjects(&[(subject, records)])?[0]),
    })
}

/// The people already registered with the e-mail address or phone number typed in
/// the new-person form (each compared normalised), so the window can warn before a
/// second record of one person is made.
#[tauri::command]
pub async fn possible_duplicates(
    state: State<'_, AppState>,
    subject: SubjectFields,
) -> IpcResult<Vec<DuplicateMatch>> {
    state.with_register(|reg| reg.possible_duplicates(&subject))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_subjects(
    state: State<'_, AppState>,
    offset: i64,
    limit: i64,
    sort: SubjectSort,
    descending: bool,
) -> IpcResult<SubjectPage> {
    state.with_register(|reg| reg.list_subjects(offset, limit, sort, descending))
}

#[tauri::command]
pub async fn search_subjects(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
) -> IpcResult<Vec<SubjectSummary>> {
    state.with_register(|reg| reg.search(&query, limit.min(1000)))
}

/// A subject's page: what is held, grouped by activity in the window, and the
/// subject's audit history.
#[derive(Debug, Serialize)]
pub struct SubjectDetails {
    #[serde(flatten)]
    pub view: privreg_core::SubjectView,
    pub activities: Vec<ActivityName>,
    pub history: Vec<privreg_core::AuditEvent>,
    /// The erasure under way, when one kept records the law or a hold requires.
    pub pending_erasure: Option<privreg_core::store::retention::PendingErasure>,
    /// The dates retention rules count from, set for this person.
    pub retention_dates: Vec<privreg_core::store::retention::RetentionDate>,
    /// Objections to processing that is not direct marketing, waiting for a decision.
    pub objections_pending: Vec<PendingObjection>,
    /// For each activity the person is in: what the rights forms need to know.
    pub activity_rules: Vec<ActivityRules>,
    /// The Art. 19 tasks about the person: recipients to tell, and those told.
    pub notifications: Vec<crate::views::NotificationRow>,
}

#[derive(Debug, Serialize)]
pub struct PendingObjection {
    pub activity_id: Id,
    pub activity: String,
}

/// An activity as the person's rights forms see it.
#[derive(Debug, Serialize)]
pub struct ActivityRules {
    pub activity_id: Id,
    pub direct_marketing: bool,
    pub purposes: Vec<String>,
    /// The retention triggers its categories' rules count from that take a date
    /// recorded for the person (not `collected` or `financial_year_end`).
    pub triggers: Vec<privreg_core::model::RetentionTrigger>,
}

fn subject_page(
    reg: &privreg_core::Register,
    view: privreg_core::SubjectView,
) -> privreg_core::Result<SubjectDetails> {
    let history = reg.audit_log(privreg_core::AuditFilter::Subject(view.subject.id), 500)?;
    let activities = reg
        .activities()?
        .into_iter()
        .map(|a| ActivityName {
            id: a.id,
            name: a.activity.name,
        })
        .collect();
    let id = view.subject.id;
    let mut involved: Vec<Id> = view.records.iter().map(|r| r.activity_id).collect();
    involved.extend(view.consents.iter().map(|c| c.activity_id));
    involved.sort_unstable();
    involved.dedup();
    let mut activity_rules = Vec::new();
    for a in involved {
        let stored = reg.activity(a)?;
        let mut triggers: Vec<_> = stored
            .activity
            .data_categories
            .iter()
            .filter_map(|c| c.retention.as_ref().map(|r| r.trigger))
            .filter(|t| t.is_dated())
            .collect();
        triggers.sort_by_key(|t| t.as_str());
        triggers.dedup();
        activity_rules.push(ActivityRules {
            activity_id: a,
            direct_marketing: stored.activity.direct_marketing,
            purposes: stored.activity.purposes.clone(),
            triggers,
        });
    }
    Ok(SubjectDetails {
        pending_erasure: reg.pending_erasure(id)?,
        retention_dates: reg.retention_dates(id)?,
        objections_pending: reg
            .objections_pending(id)?
            .into_iter()
            .map(|(activity_id, activity)| PendingObjection {
                activity_id,
                activity,
            })
            .collect(),
        activity_rules,
        notifications: crate::views::notification_rows(reg, reg.notifications_for(id)?)?,
        view,
        activities,
        history,
    })
}

/// The page after a change the person just made (not counted as another view).
fn page_after_change(
    reg: &privreg_core::Register,
    subject_id: i64,
) -> privreg_core::Result<SubjectDetails> {
    let view = reg.subject_data(subject_id)?;
    subject_page(reg, view)
}

/// Opens a subject's page; the view is audited.
#[tauri::command]
pub async fn view_subject(state: State<'_, AppState>, id: i64) -> IpcResult<SubjectDetails> {
    state.with_register(|reg| {
        let view = reg.view_subject(id)?;
        subject_page(reg, view)
    })
}

/// Rectification of a subject's name, e-mail or phone (Art. 16); the reason is required.
#[tauri::command]
pub async fn rectify_subject(
    state: State<'_, AppState>,
    id: i64,
    name: String,
    email: String,
    phone: String,
    reason: String,
) -> IpcResult<SubjectDetails> {
    state.with_register(|reg| {
        reg.update_subject(
            id,
            &privreg_core::model::SubjectFields { name, email, phone },
            &reason,
        )?;
        page_after_change(reg, id)
    })
}

#[tauri::command]
pub async fn rectify_record(
    state: State<'_, AppState>,
    id: i64,
    value: String,
    reason: String,
) -> IpcResult<SubjectDetails> {
    state.with_register(|reg| {
        let record = reg.update_record(id, &value, &reason)?;
        page_after_change(reg, record.subject_id)
    })
}

#[tauri::command]
pub async fn delete_record(
    state: State<'_, AppState>,
    id: i64,
    reason: String,
) -> IpcResult<SubjectDetails> {
    state.with_register(|reg| {
        let subject_id = reg.record(id)?.subject_id;
        reg.delete_record(id, &reason)?;
        page_after_change(reg, subject_id)
    })
}

/// Erasure (Art. 17); returns what was removed and who must be told (Art. 19).
#[tauri::command]
pub async fn erase_subject(
    state: State<'_, AppState>,
    id: i64,
    reason: String,
) -> IpcResult<privreg_core::ErasureSummary> {
    state.with_register(|reg| reg.erase_subject(id, &reason))
}

// ---- The person's rights ----

/// Records a consent, its withdrawal (the person leaves the activity's audience and its
/// "unsubscribed" clock starts) or an objection (to direct marketing: final; to other
/// processing: restricted until decided).
#[tauri::command(rename_all = "snake_case")]
pub async fn add_consent_event(
    state: State<'_, AppState>,
    subject_id: Id,
    event: NewConsentEvent,
) -> IpcResult<SubjectDetails> {
    state.with_register(|reg| {
        reg.add_consent_event(subject_id, &event)?;
        page_after_change(reg, subject_id)
    })
}

/// Restricts processing (Art. 18), with the reason.
#[tauri::command]
pub async fn restrict_subject(
    state: State<'_, AppState>,
    id: Id,
    reason: String,
) -> IpcResult<SubjectDetails> {
    state.with_register(|reg| {
        reg.restrict_subject(id, &reason)?;
        page_after_change(reg, id)
    })
}

/// Lifts a restriction; `told_on` is when the person was told (Art. 18(3)).
#[tauri::command(rename_all = "snake_case")]
pub async fn lift_restriction(
    state: State<'_, AppState>,
    id: Id,
    reason: String,
    told_on: Option<NaiveDate>,
) -> IpcResult<SubjectDetails> {
    state.with_register(|reg| {
        if told_on.is_none() {
            return Err(privreg_core::InputError::invalid(
                "told_on",
                "say when the person was told that the restriction is lifted (Art. 18(3))",
            )
            .into());
        }
        reg.lift_restriction(id, &reason, told_on)?;
        page_after_change(reg, id)
    })
}

/// Decides an objection to processing that is not direct marketing (Art. 21(1)).
#[tauri::command(rename_all = "snake_case")]
pub async fn decide_objection(
    state: State<'_, AppState>,
    id: Id,
    activity_id: Id,
    decision: ObjectionDecision,
    reason: String,
) -> IpcResult<SubjectDetails> {
    state.with_register(|reg| {
        reg.decide_objection(id, activity_id, decision, &reason)?;
        page_after_change(reg, id)
    })
}

/// Sets (or with `on` null clears) the date a retention rule counts from.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_retention_date(
    state: State<'_, AppState>,
    subject_id: Id,
    activity_id: Id,
    trigger: RetentionTrigger,
    on: Option<NaiveDate>,
) -> IpcResult<SubjectDetails> {
    state.with_register(|reg| {
        reg.set_retention_date(subject_id, activity_id, trigger, on)?;
        page_after_change(reg, subject_id)
    })
}

/// When each of the person's records in the activity would be due with that date.
#[tauri::command(rename_all = "snake_case")]
pub async fn preview_retention_date(
    state: State<'_, AppState>,
    subject_id: Id,
    activity_id: Id,
    trigger: RetentionTrigger,
    on: NaiveDate,
) -> IpcResult<Vec<DuePreview>> {
    state.with_register(|reg| reg.preview_retention_date(subject_id, activity_id, trigger, on))
}

// ---- Two records of one person ----

/// What merging `other` into `keep` would move, and what happens to the other's name,
/// e-mail and phone; refused as the merge would be. Nothing is written.
#[tauri::command]
pub async fn merge_preview(
    state: State<'_, AppState>,
    keep: Id,
    other: Id,
) -> IpcResult<MergePreview> {
    state.with_register(|reg| reg.merge_preview(keep, other))
}

/// A merge done: its receipt and the kept person's page.
#[derive(Debug, Serialize)]
pub struct MergeDone {
    pub receipt: MergeReceipt,
    pub page: SubjectDetails,
}

/// Merges two records of one person (everything about `other` moves to `keep`, whose
/// page comes back); the reason is required and audited.
#[tauri::command]
pub async fn merge_subjects(
    state: State<'_, AppState>,
    keep: Id,
    other: Id,
    reason: String,
) -> IpcResult<MergeDone> {
    state.with_register(|reg| {
        let receipt = reg.merge_subjects(keep, other, &reason)?;
        Ok(MergeDone {
            receipt,
            page: page_after_change(reg, keep)?,
        })
    })
}
