//! The commands the window may call (each listed in the capability in
//! tauri.conf.json). Each gets the state, calls one thing, maps the result.
//! Secrets only travel inward: a passphrase typed in the window reaches Rust; keys and
//! recovery keys never go back to the web view (the recovery key is shown in a native
//! dialog).

use std::path::PathBuf;

use privreg_core::labels::Word;
use privreg_core::store::activities::ActivitySummary;
use privreg_core::store::overview::Counts;
use privreg_core::{
    AuditCheck, Lang, Passphrase, RecoveryKey, SubjectPage, SubjectSort, SubjectSummary,
};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::error::IpcResult;
use crate::state::{AppState, Status};

/// Names the open register in the window title and fits the menu to the state.
pub fn update_title<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.set_title(&state.title());
    }
    crate::menu::refresh(app, state);
}

fn done<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> Status {
    update_title(app, state);
    state.status()
}

/// Shows the recovery key once, in a native dialog, so it never enters the web view.
fn show_recovery_key<R: Runtime>(app: &AppHandle<R>, lang: &str, key: &RecoveryKey) {
    let lang = Lang::or_english(lang);
    let shown = key.display();
    let title = Word::RecoveryKey.get(lang);
    let text = format!("{}\n\n{}", Word::RecoveryKeyText.get(lang), shown.as_str());
    let mut dialog = app
        .dialog()
        .message(text)
        .title(title)
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::Ok);
    if let Some(w) = app.get_webview_window("main") {
        dialog = dialog.parent(&w);
    }
    dialog.show(|_| {});
}

/// End-to-end tests cannot click in a native save dialog: when the app is started with
/// `PRIVREG_TEST_SAVE_DIR` set, a save dialog answers with the suggested file name in
/// that folder instead. The variable comes from whoever starts the process; the window
/// cannot set it, so file paths still never come from the web view.
pub fn test_save_path(suggested: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("PRIVREG_TEST_SAVE_DIR")?;
    Some(PathBuf::from(dir).join(suggested))
}

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Status {
    state.status()
}

#[tauri::command]
pub async fn choose_new_register_path<R: Runtime>(app: AppHandle<R>) -> Option<PathBuf> {
    let name = Word::NewRegisterFile.get(Lang::or_english(&app.state::<AppState>().language()));
    let mut path = match test_save_path(name) {
        Some(path) => path,
        None => app
            .dialog()
            .file()
            .add_filter("Privacy Register", &["privreg"])
            .set_file_name(name)
            .blocking_save_file()?
            .into_path()
            .ok()?,
    };
    if path.extension().is_none() {
        path.set_extension("privreg");
    }
    Some(path)
}

#[tauri::command]
pub async fn choose_register_file<R: Runtime>(app: AppHandle<R>) -> Option<PathBuf> {
    // As the CSV open dialog: the test folder answers (see `test_open_path`).
    if let Some(answer) = crate::transfer_commands::test_open_path("privreg") {
        return answer;
    }
    app.dialog()
        .file()
        .add_filter("Privacy Register", &["privreg"])
        .blocking_pick_file()?
        .into_path()
        .ok()
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_register<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: PathBuf,
    passphrase: String,
    remember_on_device: bool,
) -> IpcResult<Status> {
    let passphrase = Passphrase::new(passphrase);
    let recovery = state.create(&path, &passphrase, remember_on_device)?;
    show_recovery_key(&app, &state.language(), &recovery);
    Ok(done(&app, &state))
}

#[tauri::command]
pub async fn open_register<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: PathBuf,
) -> IpcResult<Status> {
    state.open_path(&path)?;
    Ok(done(&app, &state))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn unlock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passphrase: String,
    remember_on_device: bool,
) -> IpcResult<Status> {
    state.unlock(&Passphrase::new(passphrase), remember_on_device)?;
    Ok(done(&app, &state))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn unlock_with_recovery_key<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    recovery_key: String,
    new_passphrase: String,
) -> IpcResult<Status> {
    let typed = zeroize::Zeroizing::new(recovery_key);
    let recovery = state.unlock_with_recovery_key(&typed, &Passphrase::new(new_passphrase))?;
    show_recovery_key(&app, &state.language(), &recovery);
    Ok(done(&app, &state))
}

#[tauri::command]
pub async fn open_demo<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Status> {
    state.open_demo()?;
    Ok(done(&app, &state))
}

#[tauri::command]
pub fn lock<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Status {
    state.lock();
    let _ = app.emit("register-locked", serde_json::json!({ "reason": "user" }));
    done(&app, &state)
}

#[tauri::command]
pub fn close_register<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Status {
    state.close();
    done(&app, &state)
}

#[derive(Debug, Serialize)]
pub struct Overview {
    pub controller: Option<privreg_core::model::Controller>,
    pub counts: Counts,
    pub activities: Vec<ActivitySummary>,
    pub audit: AuditCheck,
    /// Open requests with their deadlines (Art. 12(3)).
    pub requests: privreg_core::store::requests::RequestDeadlines,
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
        })
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

#[tauri::command(rename_all = "snake_case")]
pub fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    language: String,
    auto_lock_minutes: u32,
) -> IpcResult<Status> {
    state.save_settings(&language, auto_lock_minutes)?;
    Ok(done(&app, &state))
}

/// A subject's page: what is held, grouped by activity in the window, and the
/// subject's audit history.
#[derive(Debug, Serialize)]
pub struct SubjectDetails {
    #[serde(flatten)]
    pub view: privreg_core::SubjectView,
    pub activities: Vec<ActivityName>,
    pub history: Vec<privreg_core::AuditEvent>,
}

#[derive(Debug, Serialize)]
pub struct ActivityName {
    pub id: i64,
    pub name: String,
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

/// Changes the passphrase; the new recovery key is shown in a native dialog.
#[tauri::command(rename_all = "snake_case")]
pub async fn change_passphrase<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    current: String,
    new_passphrase: String,
) -> IpcResult<Status> {
    let recovery =
        state.change_passphrase(&Passphrase::new(current), &Passphrase::new(new_passphrase))?;
    show_recovery_key(&app, &state.language(), &recovery);
    Ok(done(&app, &state))
}

/// Keeps the open register's key in this computer's keychain, or removes it.
#[tauri::command]
pub async fn set_keychain<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    remember: bool,
) -> IpcResult<Status> {
    state.set_keychain(remember)?;
    Ok(done(&app, &state))
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

/// The user did something; resets the auto-lock timer.
#[tauri::command]
pub fn ping(state: State<'_, AppState>) {
    state.touch();
}
