//! The native dialogs: save, open and folder dialogs, and message boxes (the recovery
//! key, about). File paths come from these dialogs, never from the web view.
//!
//! End-to-end tests cannot click in a native dialog: with the test folders below set by
//! whoever starts the process, the dialogs answer from them instead.

use std::path::PathBuf;

use privreg_core::labels::Word;
use privreg_core::{Lang, RecoveryKey};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

/// End-to-end tests cannot click in a native save dialog: when the app is started with
/// `PRIVREG_TEST_SAVE_DIR` set, a save dialog answers with the suggested file name in
/// that folder instead. The variable comes from whoever starts the process; the window
/// cannot set it, so file paths still never come from the web view.
pub fn test_save_path(suggested: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("PRIVREG_TEST_SAVE_DIR")?;
    Some(PathBuf::from(dir).join(suggested))
}

/// End-to-end tests cannot click in a native open dialog: with `PRIVREG_TEST_OPEN_DIR`
/// set by whoever starts the process, an open dialog answers with the newest file with
/// the extension in that folder.
pub fn test_open_path(extension: &str) -> Option<Option<PathBuf>> {
    let dir = std::env::var_os("PRIVREG_TEST_OPEN_DIR")?;
    let newest = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case(extension))
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, p)| p);
    Some(newest)
}

/// The name a file dialog's filter shows for an extension: "Privacy Register" for a
/// register, the extension in capitals otherwise ("CSV", "PDF").
fn filter_name(extension: &str) -> String {
    match extension {
        "privreg" => "Privacy Register".to_string(),
        other => other.to_uppercase(),
    }
}

/// The save dialog for a file of type `extension`, suggesting `suggested`, or the test
/// folder (see `test_save_path`). The extension is added when the name has none.
/// `None` when the dialog was cancelled.
pub fn save_file<R: Runtime>(
    app: &AppHandle<R>,
    suggested: &str,
    extension: &str,
) -> Option<PathBuf> {
    let mut path = match test_save_path(suggested) {
        Some(path) => path,
        None => app
            .dialog()
            .file()
            .add_filter(filter_name(extension), &[extension])
            .set_file_name(suggested)
            .blocking_save_file()?
            .into_path()
            .ok()?,
    };
    if path.extension().is_none() {
        path.set_extension(extension);
    }
    Some(path)
}

/// The open dialog for a file with one of `extensions`, or the test folder's newest
/// file with the first of them (see `test_open_path`). `None` when the dialog was
/// cancelled.
pub fn open_file<R: Runtime>(app: &AppHandle<R>, extensions: &[&str]) -> Option<PathBuf> {
    let main = extensions.first().copied().unwrap_or_default();
    if let Some(answer) = test_open_path(main) {
        return answer;
    }
    app.dialog()
        .file()
        .add_filter(filter_name(main), extensions)
        .blocking_pick_file()?
        .into_path()
        .ok()
}

/// The folder dialog, or in the test folder its subfolder `test_name`, created (see
/// `test_save_path`). `None` when the dialog was cancelled.
pub fn pick_folder<R: Runtime>(app: &AppHandle<R>, test_name: &str) -> Option<PathBuf> {
    match test_save_path(test_name) {
        Some(dir) => std::fs::create_dir_all(&dir).ok().map(|_| dir),
        None => app
            .dialog()
            .file()
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok()),
    }
}

/// A message box with an OK button, over the main window; returns at once.
pub fn show_message<R: Runtime>(
    app: &AppHandle<R>,
    kind: MessageDialogKind,
    title: &str,
    text: String,
) {
    let mut dialog = app
        .dialog()
        .message(text)
        .title(title)
        .kind(kind)
        .buttons(MessageDialogButtons::Ok);
    if let Some(w) = app.get_webview_window("main") {
        dialog = dialog.parent(&w);
    }
    dialog.show(|_| {});
}

/// Shows the recovery key once, in a native dialog, so it never enters the web view.
pub fn show_recovery_key<R: Runtime>(app: &AppHandle<R>, lang: &str, key: &RecoveryKey) {
    let lang = Lang::or_english(lang);
    let shown = key.display();
    let title = Word::RecoveryKey.get(lang);
    let text = format!("{}\n\n{}", Word::RecoveryKeyText.get(lang), shown.as_str());
    show_message(app, MessageDialogKind::Warning, title, text);
}
