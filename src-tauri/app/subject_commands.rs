//! The people in the register: adding one with their records, the list and search, a
//! subject's page with its audit history, rectification (Art. 16), deleting a record
//! and erasure (Art. 17). Each calls the core and returns what the window shows next.

use privreg_core::model::{Id, NewRecord, SubjectFields};
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
    Ok(SubjectDetails {
        pending_erasure: reg.pending_erasure(view.subject.id)?,
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
