//! The session's commands: choosing, creating, opening and unlocking a register, the
//! demo, locking and closing, the settings, the keychain and the passphrase. The
//! commands the window may call, here and in the `*_commands` modules, are each listed
//! in the capability in tauri.conf.json. Each gets the state, calls one thing, maps the
//! result; those that change the status put the window's title and menu in step.
//! Secrets only travel inward: a passphrase typed in the window reaches Rust; keys and
//! recovery keys never go back to the web view (the recovery key is shown in a native
//! dialog).

use std::path::PathBuf;

use privreg_core::labels::Word;
use privreg_core::{Lang, Passphrase};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use crate::dialogs;
use crate::error::IpcResult;
use crate::state::{AppState, Status};

/// The window chrome owns it; also named here, where the tests and the IPC bridge call it.
pub use crate::menu::update_title;

fn done<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> Status {
    update_title(app, state);
    state.status()
}

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Status {
    state.status()
}

#[tauri::command]
pub async fn choose_new_register_path<R: Runtime>(app: AppHandle<R>) -> Option<PathBuf> {
    let name = Word::NewRegisterFile.get(Lang::or_english(&app.state::<AppState>().language()));
    dialogs::save_file(&app, name, "privreg")
}

#[tauri::command]
pub async fn choose_register_file<R: Runtime>(app: AppHandle<R>) -> Option<PathBuf> {
    // As the CSV open dialog: the test folder answers (see `dialogs::test_open_path`).
    dialogs::open_file(&app, &["privreg"])
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
    dialogs::show_recovery_key(&app, &state.language(), &recovery);
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
    dialogs::show_recovery_key(&app, &state.language(), &recovery);
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
    dialogs::show_recovery_key(&app, &state.language(), &recovery);
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

/// The user did something; resets the auto-lock timer.
#[tauri::command]
pub fn ping(state: State<'_, AppState>) {
    state.touch();
}
