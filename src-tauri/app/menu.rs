//! The window chrome: the title, which names the open register, and the native menu:
//! File (new, open, add a person, search, export, lock, quit), Edit (so the usual
//! shortcuts work in text fields on macOS) and Help (keyboard shortcuts, about, with the
//! version). Labels follow the chosen language; the menu is rebuilt whenever the status
//! changes, so items that need an open register are enabled only then.
//!
//! The accelerators are the window's own shortcuts (ui/lib/shortcuts.js), so a key
//! press does the same whether the menu or the page sees it: Ctrl/Cmd+N adds a person
//! (a new register, rarer, is Ctrl/Cmd+Shift+N), Ctrl/Cmd+F searches, Ctrl/Cmd+L locks.
//! None takes C, V, X, A or Z, which the Edit menu and the text fields keep.
//!
//! Lock, quit and about are handled here. New, open, add a person, search, export and
//! the list of shortcuts need the window's screens, so they are passed on as a "menu"
//! event {action}.

use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_dialog::MessageDialogKind;

use privreg_core::labels::Word;
use privreg_core::Lang;

use crate::dialogs;
use crate::state::AppState;

/// The event the window receives for menu actions it performs itself.
pub const MENU_EVENT: &str = "menu";

struct Labels {
    file: &'static str,
    new: &'static str,
    open: &'static str,
    export: &'static str,
    lock: &'static str,
    quit: &'static str,
    edit: &'static str,
    help: &'static str,
    about: &'static str,
    about_text: &'static str,
    new_person: &'static str,
    find_person: &'static str,
    shortcuts: &'static str,
}

/// The menu's words, from the core's label table.
fn labels(lang: Lang) -> Labels {
    Labels {
        file: Word::MenuFile.get(lang),
        new: Word::MenuNew.get(lang),
        open: Word::MenuOpen.get(lang),
        export: Word::MenuExport.get(lang),
        lock: Word::MenuLock.get(lang),
        quit: Word::MenuQuit.get(lang),
        edit: Word::MenuEdit.get(lang),
        help: Word::MenuHelp.get(lang),
        about: Word::MenuAbout.get(lang),
        about_text: Word::AboutText.get(lang),
        new_person: Word::MenuNewPerson.get(lang),
        find_person: Word::MenuFindPerson.get(lang),
        shortcuts: Word::MenuShortcuts.get(lang),
    }
}

/// The menu for the current language and state.
pub fn build<R: Runtime>(app: &AppHandle<R>, lang: &str, unlocked: bool) -> tauri::Result<Menu<R>> {
    let l = labels(Lang::or_english(lang));
    let item = |id: &str, text: &str, accelerator: &str, enabled: bool| {
        MenuItemBuilder::with_id(id, text)
            .accelerator(accelerator)
            .enabled(enabled)
            .build(app)
    };
    let file = SubmenuBuilder::new(app, l.file)
        .item(&item("file.new", l.new, "CmdOrCtrl+Shift+N", true)?)
        .item(&item("file.open", l.open, "CmdOrCtrl+O", true)?)
        .separator()
        .item(&item(
            "file.new_person",
            l.new_person,
            "CmdOrCtrl+N",
            unlocked,
        )?)
        .item(&item(
            "file.find_person",
            l.find_person,
            "CmdOrCtrl+F",
            unlocked,
        )?)
        .separator()
        .item(&item("file.export", l.export, "CmdOrCtrl+E", unlocked)?)
        .separator()
        .item(&item("file.lock", l.lock, "CmdOrCtrl+L", unlocked)?)
        .separator()
        .item(&item("file.quit", l.quit, "CmdOrCtrl+Q", true)?)
        .build()?;
    let edit = SubmenuBuilder::new(app, l.edit)
        .undo()
        .redo()
        .separator()
        .cut()
        .copy()
        .paste()
        .select_all()
        .build()?;
    let help = SubmenuBuilder::new(app, l.help)
        .item(&MenuItemBuilder::with_id("help.shortcuts", l.shortcuts).build(app)?)
        .separator()
        .item(&MenuItemBuilder::with_id("help.about", l.about).build(app)?)
        .build()?;
    MenuBuilder::new(app).items(&[&file, &edit, &help]).build()
}

/// Names the open register in the window title and fits the menu to the state.
pub fn update_title<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.set_title(&state.title());
    }
    refresh(app, state);
}

/// Sets the window title again when it changed (the breach clock counts down).
pub fn refresh_title<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    if let Some(w) = app.get_webview_window("main") {
        let title = state.title();
        if w.title().ok().as_deref() != Some(title.as_str()) {
            let _ = w.set_title(&title);
        }
    }
}

/// Managed by the real app only: Tauri's mock runtime (the IPC tests) has no native
/// windows to attach a menu to.
pub struct NativeMenu;

/// Puts a fresh menu in place (after a change of language or of lock state).
pub fn refresh<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    if app.try_state::<NativeMenu>().is_none() {
        return;
    }
    let unlocked = state.status().state == "unlocked";
    match build(app, &state.language(), unlocked) {
        Ok(menu) => {
            if let Err(e) = app.set_menu(menu) {
                eprintln!("privacy-register: menu: {e}");
            }
        }
        Err(e) => eprintln!("privacy-register: menu: {e}"),
    }
}

/// What a menu item does.
pub fn handle<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let state = app.state::<AppState>();
    match event.id().as_ref() {
        "file.new" => emit(app, "new"),
        "file.open" => emit(app, "open"),
        "file.new_person" => emit(app, "new-person"),
        "file.find_person" => emit(app, "search"),
        "file.export" => emit(app, "export"),
        "file.lock" => {
            state.lock();
            let _ = app.emit("register-locked", serde_json::json!({ "reason": "user" }));
            update_title(app, &state);
        }
        "file.quit" => {
            state.close();
            app.exit(0);
        }
        "help.shortcuts" => emit(app, "shortcuts"),
        "help.about" => about(app, &state.language()),
        _ => {}
    }
}

fn emit<R: Runtime>(app: &AppHandle<R>, action: &str) {
    let _ = app.emit(MENU_EVENT, serde_json::json!({ "action": action }));
}

fn about<R: Runtime>(app: &AppHandle<R>, lang: &str) {
    let lang = Lang::or_english(lang);
    let l = labels(lang);
    let text = format!(
        "{}\n{}\n\n{}",
        Word::AppName.get(lang),
        privreg_core::labels::version(lang, env!("CARGO_PKG_VERSION")),
        l.about_text
    );
    dialogs::show_message(app, MessageDialogKind::Info, l.about, text);
}
