//! Data subject requests (Art. 12-22): the register of requests, their deadlines, and
//! completing them through the same core paths as the rest of the window.

use std::path::PathBuf;

use chrono::NaiveDate;
use privreg_core::model::Id;
use privreg_core::store::backup;
use privreg_core::store::notify::{NotifyFilter, NotifyStatus};
use privreg_core::store::requests::{Completion, NewRequest, RequestFilter};
use privreg_core::store::retention::{HoldTarget, LegalHold};
use privreg_core::{Passphrase, Register};
use serde::Serialize;
use tauri::State;

use crate::dialogs;
use crate::error::IpcResult;
use crate::state::AppState;
use crate::views::{self, RequestPage, RequestRow};

/// Open requests only, or all of them (newest first); or those of one subject.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_requests(
    state: State<'_, AppState>,
    open_only: bool,
    subject_id: Option<Id>,
) -> IpcResult<Vec<RequestRow>> {
    state.with_register(|reg| {
        let filter = match (subject_id, open_only) {
            (Some(id), _) => RequestFilter::Subject(id),
            (None, true) => RequestFilter::Open,
            (None, false) => RequestFilter::All,
        };
        let list = reg.requests(filter)?;
        Ok(list
            .into_iter()
            .map(|r| views::request_row(reg, r))
            .collect())
    })
}

#[tauri::command]
pub async fn request_page(state: State<'_, AppState>, id: Id) -> IpcResult<RequestPage> {
    state.with_register(|reg| views::request_page(reg, id))
}

/// Files a new request; the deadline runs from the day it was received.
#[tauri::command]
pub async fn add_request(
    state: State<'_, AppState>,
    request: NewRequest,
) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        let id = reg.add_request(&request)?.id;
        views::request_page(reg, id)
    })
}

/// Links a request from an unknown requester to the subject it is about.
#[tauri::command(rename_all = "snake_case")]
pub async fn match_request(
    state: State<'_, AppState>,
    id: Id,
    subject_id: Id,
) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.match_request(id, subject_id)?;
        views::request_page(reg, id)
    })
}

/// Records how (and when) the requester's identity was checked.
#[tauri::command]
pub async fn verify_request(
    state: State<'_, AppState>,
    id: Id,
    how: String,
    on: Option<NaiveDate>,
) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.verify_request_identity(id, &how, on)?;
        views::request_page(reg, id)
    })
}

#[tauri::command]
pub async fn start_request(state: State<'_, AppState>, id: Id) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.start_request(id)?;
        views::request_page(reg, id)
    })
}

/// Extends the deadline by up to two further months (Art. 12(3)), with the reason and
/// the day the person was told of it.
#[tauri::command(rename_all = "snake_case")]
pub async fn extend_request(
    state: State<'_, AppState>,
    id: Id,
    months: u32,
    reason: String,
    told_on: Option<chrono::NaiveDate>,
) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.extend_request(id, months, &reason, told_on)?;
        views::request_page(reg, id)
    })
}

/// Records that proof of identity was asked for, and how (Art. 12(6)).
#[tauri::command]
pub async fn ask_for_identity(
    state: State<'_, AppState>,
    id: Id,
    how: String,
) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.ask_for_identity(id, &how)?;
        views::request_page(reg, id)
    })
}

/// Refuses a request on a ground the law gives, with the reasons the person is told.
#[tauri::command]
pub async fn refuse_request(
    state: State<'_, AppState>,
    id: Id,
    ground: privreg_core::store::requests::RefusalGround,
    reason: String,
) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.refuse_request(id, ground, &reason)?;
        views::request_page(reg, id)
    })
}

/// "We hold no personal data about you": the answer to a request that matches no one.
#[tauri::command]
pub async fn answer_no_data(state: State<'_, AppState>, id: Id) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.answer_no_data(id)?;
        views::request_page(reg, id)
    })
}

/// Completes a request by doing what it asks: rectify, erase (with a receipt),
/// restrict, stop direct marketing, or record the report that was sent.
#[tauri::command]
pub async fn complete_request(
    state: State<'_, AppState>,
    id: Id,
    completion: Completion,
) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.complete_request(id, &completion)?;
        views::request_page(reg, id)
    })
}

/// Says what the request's completion will leave undone, and on which ground; an
/// empty `not_done` takes it back.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_request_partly(
    state: State<'_, AppState>,
    id: Id,
    ground: privreg_core::store::requests::RefusalGround,
    not_done: String,
) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.set_partly(id, ground, &not_done)?;
        views::request_page(reg, id)
    })
}

/// Records the fee charged (Art. 12(5)(a), 15(3)), or none.
#[tauri::command]
pub async fn set_request_fee(
    state: State<'_, AppState>,
    id: Id,
    fee: Option<privreg_core::store::requests::Fee>,
) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.set_request_fee(id, fee.as_ref())?;
        views::request_page(reg, id)
    })
}

/// Records when and how the reply was sent.
#[tauri::command]
pub async fn record_reply_sent(
    state: State<'_, AppState>,
    id: Id,
    on: Option<NaiveDate>,
    how: String,
) -> IpcResult<RequestPage> {
    state.with_register(|reg| {
        reg.record_reply_sent(id, on, &how)?;
        views::request_page(reg, id)
    })
}

/// The Art. 19 tasks: the open ones, all, or one person's.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_notifications(
    state: State<'_, AppState>,
    open_only: bool,
    subject_id: Option<Id>,
) -> IpcResult<Vec<views::NotificationRow>> {
    state.with_register(|reg| {
        let filter = match (subject_id, open_only) {
            (Some(id), _) => NotifyFilter::Subject(id),
            (None, true) => NotifyFilter::Open,
            (None, false) => NotifyFilter::All,
        };
        views::notification_rows(reg, reg.notifications(filter)?)
    })
}

/// Closes an Art. 19 task: told (when, how), or impossible / disproportionate (why).
#[tauri::command]
pub async fn mark_notification(
    state: State<'_, AppState>,
    id: Id,
    status: NotifyStatus,
    on: Option<NaiveDate>,
    how: String,
) -> IpcResult<views::NotificationRow> {
    state.with_register(|reg| {
        let n = reg.mark_notification(id, status, on, &how)?;
        Ok(views::notification_rows(reg, vec![n])?.remove(0))
    })
}

/// Where backups go, when the last was made, and the backups that are there.
#[derive(Debug, Serialize)]
pub struct BackupStatus {
    pub dir: Option<std::path::PathBuf>,
    pub last_backup_on: Option<NaiveDate>,
    /// File names, oldest first.
    pub backups: Vec<String>,
    pub keep: usize,
}

fn backup_status(reg: &Register) -> privreg_core::Result<BackupStatus> {
    let dir = reg.backup_dir()?;
    let backups = match &dir {
        Some(d) if d.is_dir() => backup::list_backups(d, reg.path(), reg.id())?
            .into_iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect(),
        _ => Vec::new(),
    };
    Ok(BackupStatus {
        dir,
        last_backup_on: reg.last_backup_on()?,
        backups,
        keep: backup::DEFAULT_KEEP,
    })
}

#[tauri::command]
pub async fn backup_status_of(state: State<'_, AppState>) -> IpcResult<BackupStatus> {
    state.with_register(|reg| backup_status(reg))
}

/// Chooses the backup folder (a native folder dialog) and makes a first backup there.
#[tauri::command]
pub async fn choose_backup_dir<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Option<BackupStatus>> {
    let Some(dir) = dialogs::pick_folder(&app, "backups") else {
        return Ok(None);
    };
    state.with_register(|reg| {
        reg.set_backup_dir(&dir)?;
        reg.backup(&dir)?;
        Ok(Some(backup_status(reg)?))
    })
}

/// Makes a verified backup now, in the chosen folder.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> IpcResult<BackupStatus> {
    state.with_register(|reg| {
        let dir = reg.backup_dir()?.ok_or_else(|| {
            privreg_core::InputError::invalid("backup_dir", "choose a folder for backups first")
        })?;
        reg.backup(&dir)?;
        backup_status(reg)
    })
}

/// Chooses a backup to restore (a native open dialog).
#[tauri::command]
pub async fn choose_backup_file<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Option<PathBuf> {
    dialogs::open_file(&app, &["privreg"])
}

/// What a restore did, and the window's new state (its notice says how many erasures
/// were applied again).
#[derive(Debug, Serialize)]
pub struct Restored {
    pub report: backup::RestoreReport,
    pub status: crate::state::Status,
}

/// Restores a backup over the open register (see `AppState::restore_backup`).
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_backup<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    path: PathBuf,
    passphrase: String,
    no_journal: bool,
) -> IpcResult<Restored> {
    let report = state.restore_backup(&path, &Passphrase::new(passphrase), no_journal)?;
    crate::menu::update_title(&app, &state);
    Ok(Restored {
        report,
        status: state.status(),
    })
}

/// Records past their retention period, grouped by activity (holds and restrictions
/// shown as blocking).
#[tauri::command]
pub async fn retention_queue(
    state: State<'_, AppState>,
) -> IpcResult<privreg_core::store::retention::RetentionQueue> {
    state.with_register(|reg| reg.retention_due(None))
}

/// Erases or anonymises the due records of one activity, or the records chosen; each
/// is audited with the rule that made it due. Returns the queue afterwards and what
/// was done.
#[derive(Debug, Serialize)]
pub struct RetentionResult {
    pub outcome: privreg_core::store::retention::RetentionOutcome,
    pub queue: privreg_core::store::retention::RetentionQueue,
}

/// A legal hold with what it covers, named: the processing activity or the person.
#[derive(Debug, Serialize)]
pub struct HoldRow {
    #[serde(flatten)]
    pub hold: LegalHold,
    pub label: String,
}

/// The legal holds, in force ones first (newest first); released ones too when asked.
#[tauri::command(rename_all = "snake_case")]
pub async fn legal_holds(
    state: State<'_, AppState>,
    include_released: bool,
) -> IpcResult<Vec<HoldRow>> {
    state.with_register(|reg| {
        let mut rows = reg
            .holds(include_released)?
            .into_iter()
            .map(|hold| {
                let label = match hold.target {
                    HoldTarget::Activity(a) => reg.activity(a).map(|x| x.activity.name),
                    HoldTarget::Subject(s) => reg.subject(s).map(|x| x.fields.name),
                }
                .unwrap_or_default();
                HoldRow { hold, label }
            })
            .collect::<Vec<_>>();
        rows.sort_by_key(|r| !r.hold.active);
        Ok(rows)
    })
}

/// Places a legal hold on a person or a processing activity: their records are kept
/// (no retention deletion, no deletion or erasure by hand) until it is released or its
/// last day has passed.
#[tauri::command(rename_all = "snake_case")]
pub async fn add_legal_hold(
    state: State<'_, AppState>,
    subject_id: Option<Id>,
    activity_id: Option<Id>,
    reason: String,
    until: Option<NaiveDate>,
) -> IpcResult<LegalHold> {
    let target = match (subject_id, activity_id) {
        (Some(s), None) => HoldTarget::Subject(s),
        (None, Some(a)) => HoldTarget::Activity(a),
        _ => {
            return Err(privreg_core::Error::from(privreg_core::InputError::invalid(
                "target",
                "choose a person or a processing activity",
            ))
            .into())
        }
    };
    state.with_register(|reg| reg.add_hold(target, &reason, until))
}

/// Releases a legal hold, with the reason (audited).
#[tauri::command(rename_all = "snake_case")]
pub async fn release_legal_hold(
    state: State<'_, AppState>,
    id: Id,
    reason: String,
) -> IpcResult<LegalHold> {
    state.with_register(|reg| reg.release_hold(id, &reason))
}

/// What finishing the erasures that kept records did, and the queue afterwards.
#[derive(Debug, Serialize)]
pub struct FinishResult {
    pub done: Vec<privreg_core::ErasureSummary>,
    pub queue: privreg_core::store::retention::RetentionQueue,
}

/// Finishes the erasures that kept records (Art. 17(3)) as far as the law now allows:
/// kept records whose time is up are erased, and a person left with none is erased
/// completely, the receipt completed.
#[tauri::command]
pub async fn finish_erasures(state: State<'_, AppState>, note: String) -> IpcResult<FinishResult> {
    state.with_register(|reg| {
        let done = reg.finish_erasures(&note)?;
        Ok(FinishResult {
            done,
            queue: reg.retention_due(None)?,
        })
    })
}

#[tauri::command]
pub async fn apply_retention(
    state: State<'_, AppState>,
    selection: privreg_core::store::retention::Selection,
    action: privreg_core::store::retention::RetentionAction,
    note: String,
) -> IpcResult<RetentionResult> {
    state.with_register(|reg| {
        let outcome = reg.apply_retention(&selection, action, &note)?;
        Ok(RetentionResult {
            outcome,
            queue: reg.retention_due(None)?,
        })
    })
}
