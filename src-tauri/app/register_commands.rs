//! The register as a whole and its structure: the overview page, the controller
//! profile (Art. 30(1)(a)), processing activities (Art. 30(1)), the templates they can
//! start from, and processors and recipients. Each calls the core and returns what the
//! window shows next.

use privreg_core::model::{Activity, Id, Processor, StoredActivity, StoredProcessor};
use privreg_core::store::activities::ActivitySummary;
use privreg_core::store::overview::Counts;
use privreg_core::templates::{self, Lang, TemplateInfo};
use privreg_core::{AuditCheck, HeadCheck, PrintedHead};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::dialogs;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::views::ActivityName;

fn lang(state: &AppState) -> Lang {
    Lang::parse(&state.language()).unwrap_or(Lang::En)
}

/// The overview page: the controller, the counts, the activities, the audit chain's
/// check, the open requests, the open breaches and the privacy notice's drift.
#[derive(Debug, Serialize)]
pub struct Overview {
    pub controller: Option<privreg_core::model::Controller>,
    pub counts: Counts,
    pub activities: Vec<ActivitySummary>,
    pub audit: AuditCheck,
    /// Open requests with their deadlines (Art. 12(3)).
    pub requests: privreg_core::store::requests::RequestDeadlines,
    /// Open breaches with their 72-hour clocks (Art. 33(1)), the most urgent first.
    pub breaches: Vec<privreg_core::store::breaches::Breach>,
    /// The privacy notice (Art. 13, 14): what changed since each language was last
    /// published, or that it never was.
    pub notice: privreg_core::store::notice::NoticeStatus,
}

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> IpcResult<Overview> {
    state.with_register(|reg| {
        Ok(Overview {
            controller: reg.controller()?,
            counts: reg.counts()?,
            activities: reg.activity_summaries()?,
            audit: reg.verify_audit()?,
            requests: reg.request_deadlines()?,
            breaches: reg.open_breaches()?,
            notice: reg.notice_status()?,
        })
    })
}

/// The overview's "Check against an earlier report": the report chosen in a native open
/// dialog (its JSON, or a PDF of this program, whose metadata carries the head), its
/// audit head compared with the whole chain. `None` when the dialog was cancelled.
#[tauri::command]
pub async fn check_against_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Option<HeadCheck>> {
    let Some(path) = dialogs::open_file(&app, &["json", "pdf"]) else {
        return Ok(None);
    };
    let head = privreg_reports::read_report_head(&path)?;
    state.with_register(|reg| reg.check_head(&head)).map(Some)
}

/// The same check with the head typed or pasted as `HASH:COUNT`.
#[tauri::command]
pub async fn check_against_head(state: State<'_, AppState>, head: String) -> IpcResult<HeadCheck> {
    let head = PrintedHead::from_text(&head).map_err(privreg_core::Error::from)?;
    state.with_register(|reg| reg.check_head(&head))
}

/// The controller profile (Art. 30(1)(a)), or null before it is filled in.
#[tauri::command]
pub async fn controller_profile(
    state: State<'_, AppState>,
) -> IpcResult<Option<privreg_core::model::Controller>> {
    state.with_register(|reg| reg.controller())
}

/// Saves the controller profile; invalid fields are named in the error.
#[tauri::command]
pub async fn save_controller(
    state: State<'_, AppState>,
    controller: privreg_core::model::Controller,
) -> IpcResult<privreg_core::model::Controller> {
    state.with_register(|reg| {
        reg.set_controller(&controller)?;
        Ok(reg.controller()?.unwrap_or(controller))
    })
}

/// The activity list: name, status, last review, counts and missing Art. 30 fields.
#[tauri::command]
pub async fn list_activities(state: State<'_, AppState>) -> IpcResult<Vec<ActivitySummary>> {
    state.with_register(|reg| reg.activity_summaries())
}

/// What the activity editor needs besides the activity: the processors it can link
/// and the data categories that records still use (these cannot be removed).
#[derive(Debug, Serialize)]
pub struct ActivityEditor {
    pub id: Option<Id>,
    pub activity: Activity,
    pub processors: Vec<StoredProcessor>,
    /// Processors the template suggests that are not in the register yet; saving the
    /// new activity adds them.
    pub new_processors: Vec<Processor>,
    pub categories_in_use: Vec<String>,
    pub records: i64,
    /// The triggers of its rules that take a date recorded for each person (what one
    /// date for everyone in the activity can set).
    pub dated_triggers: Vec<privreg_core::model::RetentionTrigger>,
}

/// The triggers of an activity's rules that take a date recorded per person.
fn dated_triggers(a: &Activity) -> Vec<privreg_core::model::RetentionTrigger> {
    let mut t: Vec<_> = a
        .data_categories
        .iter()
        .filter_map(|c| c.retention.as_ref().map(|r| r.trigger))
        .filter(|t| t.is_dated())
        .collect();
    t.sort_by_key(|x| x.as_str());
    t.dedup();
    t
}

/// An existing activity, for editing.
#[tauri::command]
pub async fn edit_activity(state: State<'_, AppState>, id: Id) -> IpcResult<ActivityEditor> {
    state.with_register(|reg| {
        let stored = reg.activity(id)?;
        let records = reg.activity_record_count(id)?;
        let mut categories_in_use = reg.record_categories(id)?;
        categories_in_use.sort();
        Ok(ActivityEditor {
            id: Some(id),
            dated_triggers: dated_triggers(&stored.activity),
            activity: stored.activity,
            processors: reg.processors()?,
            new_processors: Vec::new(),
            categories_in_use,
            records,
        })
    })
}

/// The templates, in the window's language.
#[tauri::command]
pub async fn activity_templates(state: State<'_, AppState>) -> IpcResult<Vec<TemplateInfo>> {
    Ok(templates::list(lang(&state)))
}

/// A new activity: blank (`template` null) or filled in from a template in the window's
/// language. The template's processors that the register already has (same name) are
/// linked; the others come back in `new_processors`.
#[tauri::command]
pub async fn new_activity(
    state: State<'_, AppState>,
    template: Option<String>,
) -> IpcResult<ActivityEditor> {
    let lang = lang(&state);
    let activity = match template.as_deref() {
        None => Activity::default(),
        Some(key) => templates::activity(key, lang).ok_or_else(|| {
            IpcError::new(
                "app.unknown_template",
                format!("there is no template {key:?}"),
            )
        })?,
    };
    let keys = template
        .as_deref()
        .map(templates::template_processors)
        .unwrap_or(&[]);
    let suggested: Vec<Processor> = templates::processors(lang)
        .into_iter()
        .filter(|(k, _)| keys.contains(k))
        .map(|(_, p)| p)
        .collect();
    state.with_register(|reg| {
        let processors = reg.processors()?;
        let mut activity = activity;
        let mut new_processors = Vec::new();
        for p in suggested {
            let same =
                |s: &&StoredProcessor| s.processor.name.trim().eq_ignore_ascii_case(p.name.trim());
            match processors.iter().find(same) {
                Some(existing) => activity.processor_ids.push(existing.id),
                None => new_processors.push(p),
            }
        }
        Ok(ActivityEditor {
            id: None,
            dated_triggers: dated_triggers(&activity),
            activity,
            processors,
            new_processors,
            categories_in_use: Vec::new(),
            records: 0,
        })
    })
}

/// Saves an activity: adds it (with the template's new processors) when `id` is null,
/// otherwise replaces it. Invalid or missing fields are named in the error.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_activity(
    state: State<'_, AppState>,
    id: Option<Id>,
    activity: Activity,
    new_processors: Vec<Processor>,
) -> IpcResult<StoredActivity> {
    state.with_register(|reg| match id {
        None => reg.add_activity_with_processors(&activity, &new_processors),
        Some(id) if new_processors.is_empty() => reg.update_activity(id, &activity),
        Some(_) => Err(privreg_core::InputError::invalid(
            "new_processors",
            "processors are added with a new activity only",
        )
        .into()),
    })
}

/// Deletes an activity that holds no records.
#[tauri::command]
pub async fn delete_activity(state: State<'_, AppState>, id: Id) -> IpcResult<()> {
    state.with_register(|reg| reg.delete_activity(id))
}

/// A processor or recipient with the activities that use it.
#[derive(Debug, Serialize)]
pub struct ProcessorRow {
    #[serde(flatten)]
    pub stored: StoredProcessor,
    pub activities: Vec<ActivityName>,
}

#[tauri::command]
pub async fn list_processors(state: State<'_, AppState>) -> IpcResult<Vec<ProcessorRow>> {
    state.with_register(|reg| {
        let activities = reg.activities()?;
        Ok(reg
            .processors()?
            .into_iter()
            .map(|stored| ProcessorRow {
                activities: activities
                    .iter()
                    .filter(|a| a.activity.processor_ids.contains(&stored.id))
                    .map(|a| ActivityName {
                        id: a.id,
                        name: a.activity.name.clone(),
                    })
                    .collect(),
                stored,
            })
            .collect())
    })
}

/// Adds (`id` null) or changes a processor or recipient.
#[tauri::command]
pub async fn save_processor(
    state: State<'_, AppState>,
    id: Option<Id>,
    processor: Processor,
) -> IpcResult<StoredProcessor> {
    state.with_register(|reg| match id {
        None => reg.add_processor(&processor),
        Some(id) => reg.update_processor(id, &processor),
    })
}

/// Deletes a processor that no activity uses.
#[tauri::command]
pub async fn delete_processor(state: State<'_, AppState>, id: Id) -> IpcResult<()> {
    state.with_register(|reg| reg.delete_processor(id))
}

/// What one retention date for everyone in the activity without one would do (a
/// recruitment closed): people, records, and how many become due on which day.
#[tauri::command(rename_all = "snake_case")]
pub async fn preview_retention_dates(
    state: State<'_, AppState>,
    activity_id: Id,
    trigger: privreg_core::model::RetentionTrigger,
    on: chrono::NaiveDate,
) -> IpcResult<privreg_core::store::retention::BulkPreview> {
    state.with_register(|reg| reg.preview_retention_dates(activity_id, trigger, on))
}

/// Sets that date for everyone in the activity without one; returns how many people.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_retention_dates(
    state: State<'_, AppState>,
    activity_id: Id,
    trigger: privreg_core::model::RetentionTrigger,
    on: chrono::NaiveDate,
) -> IpcResult<usize> {
    state.with_register(|reg| reg.set_retention_dates(activity_id, trigger, on))
}
