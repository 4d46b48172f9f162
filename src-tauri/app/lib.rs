//! The desktop shell: window, native dialogs, keychain, settings, auto-lock. Each
//! command takes the state, calls the core and maps the result; the register logic
//! lives in `privreg-core`.
//!
//! Module map, top to bottom; a module uses only modules on the lines below its own:
//! - `lib` (this file): the builder, the command list, the window's close and the app's
//!   exit (both lock).
//! - The commands the window calls: `commands` (the session: create, open, unlock,
//!   lock, close, settings, keychain, passphrase), `register_commands` (overview,
//!   controller, activities, templates, processors), `subject_commands` (people and
//!   their data), `request_commands` (requests, backups, retention), `report_commands`
//!   (Art. 30 record, access reports), `transfer_commands` (CSV import, JSON export),
//!   `breach_commands` (personal data breaches, Art. 33-34: the log, the clock, the
//!   assessment, the notices, the text for Datatilsynet and the letters),
//!   `notice_commands` (the privacy notice, Art. 13-14: preview, publish, versions,
//!   drift, save),
//!   `client_commands` (the processor's record, Art. 30(2): the controllers the
//!   organisation processes personal data for, and the record as a report).
//! - `locking`: what locks the register besides the Lock button: idle time by the wall
//!   clock and a suspend (the ticker), logind's sleep and session-lock signals on Linux,
//!   closing the window and quitting (the daily backup first).
//! - `menu`: the window chrome, its title and native menu (`update_title`).
//! - `state`: what is held between commands (the register, settings, keychain, last
//!   activity); `dialogs`: native save, open, folder and message dialogs; `views`: page
//!   shapes that more than one commands module returns (`ActivityName`, `RequestPage`).
//! - `settings`: the settings file; `csv_files`: the CSV file being imported (the state
//!   holds it); `error`: `IpcError`, errors as the window sees them.
//!
//! The rule: commands modules depend on state/dialogs/error (and on menu, views and
//! csv_files), never on each other; state depends on nothing above it.

pub mod breach_commands;
pub mod client_commands;
pub mod commands;
pub mod csv_files;
pub mod dialogs;
pub mod error;
pub mod locking;
pub mod menu;
pub mod notice_commands;
pub mod register_commands;
pub mod report_commands;
pub mod request_commands;
pub mod settings;
pub mod state;
pub mod subject_commands;
pub mod transfer_commands;
pub mod views;

use std::path::PathBuf;

use tauri::{Manager, Runtime};

pub use state::{AppState, LockReason};

/// Adds everything but the context to `base`; `run` and the tests (with
/// `tauri::test::mock_builder()`) share it.
pub fn builder<R: Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.plugin(tauri_plugin_dialog::init())
        .manage(state)
        .on_menu_event(|app, event| menu::handle(app, event))
        // Closing the window locks, after the day's automatic backup (locking.rs).
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { .. } = event {
                locking::lock_on_close(window.app_handle());
            }
        })
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
            commands::save_settings,
            commands::ping,
            commands::change_passphrase,
            commands::set_keychain,
            register_commands::overview,
            register_commands::check_against_report,
            register_commands::check_against_head,
            register_commands::controller_profile,
            register_commands::save_controller,
            register_commands::list_activities,
            register_commands::edit_activity,
            register_commands::activity_templates,
            register_commands::new_activity,
            register_commands::save_activity,
            register_commands::delete_activity,
            register_commands::list_processors,
            register_commands::save_processor,
            register_commands::delete_processor,
            subject_commands::add_subject,
            subject_commands::list_subjects,
            subject_commands::search_subjects,
            subject_commands::view_subject,
            subject_commands::rectify_subject,
            subject_commands::rectify_record,
            subject_commands::delete_record,
            subject_commands::erase_subject,
            subject_commands::add_consent_event,
            subject_commands::restrict_subject,
            subject_commands::lift_restriction,
            subject_commands::decide_objection,
            subject_commands::set_retention_date,
            subject_commands::preview_retention_date,
            subject_commands::possible_duplicates,
            subject_commands::merge_preview,
            subject_commands::merge_subjects,
            register_commands::preview_retention_dates,
            register_commands::set_retention_dates,
            request_commands::list_requests,
            request_commands::request_page,
            request_commands::add_request,
            request_commands::match_request,
            request_commands::verify_request,
            request_commands::start_request,
            request_commands::extend_request,
            request_commands::refuse_request,
            request_commands::ask_for_identity,
            request_commands::answer_no_data,
            request_commands::complete_request,
            request_commands::set_request_partly,
            request_commands::set_request_fee,
            request_commands::record_reply_sent,
            request_commands::list_notifications,
            request_commands::mark_notification,
            request_commands::backup_status_of,
            request_commands::choose_backup_dir,
            request_commands::backup_now,
            request_commands::retention_queue,
            request_commands::apply_retention,
            request_commands::finish_erasures,
            request_commands::choose_backup_file,
            request_commands::restore_backup,
            request_commands::legal_holds,
            request_commands::add_legal_hold,
            request_commands::release_legal_hold,
            report_commands::export_art30,
            report_commands::export_access,
            report_commands::complete_access_request,
            report_commands::export_reply,
            transfer_commands::csv_choose,
            transfer_commands::csv_reread,
            transfer_commands::csv_plan,
            transfer_commands::csv_import,
            transfer_commands::csv_cancel,
            transfer_commands::csv_close,
            transfer_commands::export_register,
            breach_commands::list_breaches,
            breach_commands::breach_page,
            breach_commands::add_breach,
            breach_commands::update_breach,
            breach_commands::count_affected,
            breach_commands::set_affected,
            breach_commands::assess_breach,
            breach_commands::record_breach_notice,
            breach_commands::close_breach,
            breach_commands::breach_notice_text,
            breach_commands::export_breach_log,
            breach_commands::export_breach_letters,
            notice_commands::notice_preview,
            notice_commands::publish_notice,
            notice_commands::list_notices,
            notice_commands::mark_approved_for_notice,
            notice_commands::notice_diff,
            notice_commands::export_notice,
            client_commands::list_clients,
            client_commands::get_client,
            client_commands::add_client,
            client_commands::update_client,
            client_commands::remove_client,
            client_commands::export_processor_record,
        ])
        .setup(|app| {
            let state = app.state::<AppState>();
            let dir = app
                .path()
                .app_data_dir()
                .unwrap_or_else(|_| std::env::temp_dir().join("privacy-register"));
            state.init_data_dir(dir);
            menu::update_title(app.handle(), &state);
            let handle = app.handle().clone();
            std::thread::spawn(move || locking::ticker(handle));
            if app.try_state::<locking::OsSignals>().is_some() {
                locking::listen_to_os(app.handle().clone());
            }
            Ok(())
        })
}

/// Locks the register after the chosen minutes without activity (by the wall clock)
/// and tells the window; true if it did.
pub fn lock_if_idle<R: Runtime>(app: &tauri::AppHandle<R>) -> bool {
    let locked = app.state::<AppState>().lock_if_idle();
    if locked {
        locking::announce(app, LockReason::Idle);
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
        .manage(locking::OsSignals)
        .build(context())
        .expect("error while building Privacy Register")
        .run(|app, event| {
            // Quitting any way (the menu, Cmd+Q, the OS ending the session): the day's
            // backup, then the lock (locking.rs); once is enough, a second finds it locked.
            if let tauri::RunEvent::ExitRequested { .. } | tauri::RunEvent::Exit = event {
                locking::lock_on_close(app);
            }
        });
}
