// App commands get generated `allow-…` permissions; only those listed in the capability
// in tauri.conf.json can be called from the window.
const COMMANDS: &[&str] = &[
    "app_status",
    "choose_new_register_path",
    "choose_register_file",
    "create_register",
    "open_register",
    "unlock",
    "unlock_with_recovery_key",
    "open_demo",
    "lock",
    "close_register",
    "overview",
    "list_subjects",
    "search_subjects",
    "save_settings",
    "ping",
    "view_subject",
    "rectify_subject",
    "rectify_record",
    "delete_record",
    "erase_subject",
    "change_passphrase",
    "set_keychain",
    "controller_profile",
    "save_controller",
    "list_activities",
    "edit_activity",
    "activity_templates",
    "new_activity",
    "save_activity",
    "delete_activity",
    "list_processors",
    "save_processor",
    "delete_processor",
    "add_subject",
    "list_requests",
    "request_page",
    "add_request",
    "match_request",
    "verify_request",
    "start_request",
    "extend_request",
    "refuse_request",
    "complete_request",
    "backup_status_of",
    "choose_backup_dir",
    "backup_now",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
