//! The desktop shell: window, native dialogs, keychain, settings, auto-lock. Each
//! command takes the state, calls the core and maps the result; the register logic
//! lives in `privreg-core`.

pub mod commands;
pub mod error;
pub mod menu;
pub mod register_commands;
pub mod report_commands;
pub mod request_commands;
pub mod settings;
pub mod state;
pub mod transfer_commands;

use std::path::PathBuf;
use std::time::Duration;

use tauri::{Emitter, Manager, Runtime};

pub use state::AppState;

/// Adds everything but the context to `base`; `run` and the tests (with
/// `tauri::test::mock_builder()`) share it.
pub fn builder<R: Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.plugin(tauri_plugin_dialog::init())
        .manage(state)
        .on_menu_event(|app, event| menu::handle(app, event))
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::choose_new_register_path,
            commands::choose_register_file,
            commands::create_register,
            commands::open_register,
            commands::unlock,
            commands::unlock_with_recovery_key,
            commands::open_demo,
            commands::lock,
            commands::close_register,
            commands::overview,
            commands::list_subjects,
            commands::search_subjects,
            commands::save_settings,
            commands::ping,
            commands::view_subject,
            commands::rectify_subject,
            commands::rectify_record,
            commands::delete_record,
            commands::erase_subject,
            commands::change_passphrase,
            commands::set_keychain,
            commands::controller_profile,
            commands::save_controller,
            register_commands::list_activities,
            register_commands::edit_activity,
            register_commands::activity_templates,
            register_commands::new_activity,
            register_commands::save_activity,
            register_commands::delete_activity,
            register_commands::list_processors,
            register_commands::save_processor,
            register_commands::delete_processor,
            register_commands::add_subject,
            request_commands::list_requests,
            request_commands::request_page,
            request_commands::add_request,
            request_commands::match_request,
            request_commands::verify_request,
            request_commands::start_request,
            request_commands::extend_request,
            request_commands::refuse_request,
            request_commands::complete_request,
            request_commands::backup_status_of,
            request_commands::choose_backup_dir,
            request_commands::backup_now,
            request_commands::retention_queue,
            request_commands::apply_retention,
            report_commands::export_art30,
            report_commands::export_access,
            report_commands::complete_access_request,
            transfer_commands::csv_choose,
            transfer_commands::csv_reread,
            transfer_commands::csv_plan,
            transfer_commands::csv_import,
            transfer_commands::csv_cancel,
            transfer_commands::csv_close,
            transfer_commands::export_register,
        ])
        .setup(|app| {
            let state = app.state::<AppState>();
            let dir = app
                .path()
                .app_data_dir()
                .unwrap_or_else(|_| std::env::temp_dir().join("privacy-register"));
            state.init_data_dir(dir);
            commands::update_title(app.handle(), &state);
            let handle = app.handle().clone();
            std::thread::spawn(move || auto_lock_loop(handle));
            Ok(())
        })
}

/// Checks every few seconds whether the register has been idle too long.
fn auto_lock_loop<R: Runtime>(app: tauri::AppHandle<R>) {
    loop {
        std::thread::sleep(Duration::from_secs(5));
        lock_if_idle(&app);
    }
}

/// Locks the register after the chosen minutes without activity and tells the window;
/// true if it did.
pub fn lock_if_idle<R: Runtime>(app: &tauri::AppHandle<R>) -> bool {
    let state = app.state::<AppState>();
    let locked = state.lock_if_idle();
    if locked {
        let _ = app.emit("register-locked", serde_json::json!({ "reason": "idle" }));
        commands::update_title(app, &state);
    }
    locked
}

/// The app's context: config, embedded `ui/`, icons and the resolved capabilities.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

pub fn run() {
    // The platform keychain (Keychain, Credential Manager, Secret Service) becomes
    // keyring-core's default store; without one the app falls back to the passphrase.
    let keychain = keyring::Entry::store_status()
        .as_ref()
        .map(|_| ())
        .map_err(|e| e.to_string());
    let data_dir = std::env::var_os("PRIVREG_DATA_DIR").map(PathBuf::from);
    builder(tauri::Builder::default(), AppState::new(keychain, data_dir))
        .manage(menu::NativeMenu)
        .run(context())
        .expect("error while running Privacy Register");
}
