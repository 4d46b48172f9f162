//! Getting data in and out from the window: a CSV file imported into one activity
//! (chosen in a native dialog, previewed, mapped, checked, imported with progress and
//! cancel) and the whole register saved as one JSON file.
//!
//! The file the user chose is read once in Rust and kept in
//! [`CsvFiles`](crate::csv_files::CsvFiles) until the wizard closes or the register
//! locks; the window sees the first rows and the counts, never a path it could change.

use std::path::Path;
use std::sync::atomic::Ordering;

use chrono::NaiveDate;
use privreg_core::model::Id;
use privreg_core::transfer::export::ExportSummary;
use privreg_core::transfer::{
    self, CsvFormat, CsvImportOptions, CsvImportReport, CsvMapping, CsvTable, Encoding, ImportMode,
    Progress,
};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::csv_files::LoadedCsv;
use crate::dialogs;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// The event carrying [`Progress`] while a file is checked or imported.
pub const CSV_PROGRESS_EVENT: &str = "csv-progress";

/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 8;

/// What the wizard shows once a file is chosen.
#[derive(Serialize)]
pub struct CsvOpened {
    pub file_name: String,
    pub encoding: Encoding,
    pub delimiter: char,
    pub headers: Vec<String>,
    /// The first rows, each cut or padded to the headers.
    pub rows: Vec<Vec<String>>,
    pub total_rows: usize,
    /// The mapping last used for this activity, where it fits the file, or one
    /// suggested from the column names.
    pub mapping: CsvMapping,
    pub remembered: bool,
    pub activity: String,
    pub categories: Vec<String>,
}

/// The remembered mapping's columns that this file has, or a suggestion when none fit.
fn mapping_for(state: &AppState, activity_id: Id, table: &CsvTable) -> IpcResult<CsvOpened> {
    state.with_register(|reg| {
        let activity = reg.activity(activity_id)?.activity;
        let remembered = reg.csv_mapping(activity_id)?.map(|mut m| {
            m.columns.retain(|c| table.column(&c.column).is_some());
            m
        });
        let (mapping, remembered) = match remembered {
            Some(m) if !m.columns.is_empty() => (m, true),
            _ => (transfer::suggest_mapping(&table.headers, &activity), false),
        };
        let preview = table.preview(PREVIEW_ROWS);
        Ok(CsvOpened {
            file_name: String::new(),
            encoding: preview.encoding,
            delimiter: preview.delimiter,
            headers: preview.headers,
            rows: preview.rows,
            total_rows: preview.total_rows,
            mapping,
            remembered,
            activity: activity.name,
            categories: activity
                .data_categories
                .iter()
                .map(|c| c.name.clone())
                .collect(),
        })
    })
}

fn load(
    state: &AppState,
    activity_id: Id,
    path: &Path,
    format: &CsvFormat,
) -> IpcResult<CsvOpened> {
    // The activity must exist before the file is read.
    state.with_register(|reg| reg.activity(activity_id).map(|_| ()))?;
    let table = transfer::read_csv_file(path, format)?;
    let mut opened = mapping_for(state, activity_id, &table)?;
    opened.file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    *state.csv.loaded() = Some(LoadedCsv {
        path: path.to_path_buf(),
        table,
    });
    Ok(opened)
}

/// A native open dialog for a CSV file, then its preview and a mapping. `None` when
/// the dialog was cancelled.
#[tauri::command(rename_all = "snake_case")]
pub async fn csv_choose<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    activity_id: Id,
) -> IpcResult<Option<CsvOpened>> {
    let Some(path) = dialogs::open_file(&app, &["csv", "txt", "tsv"]) else {
        return Ok(None);
    };
    load(&state, activity_id, &path, &CsvFormat::default()).map(Some)
}

/// Reads the chosen file again with another delimiter or encoding (`None`: detect).
#[tauri::command(rename_all = "snake_case")]
pub async fn csv_reread(
    state: State<'_, AppState>,
    activity_id: Id,
    delimiter: Option<String>,
    encoding: Option<String>,
) -> IpcResult<CsvOpened> {
    let format = CsvFormat::from_user(delimiter.as_deref(), encoding.as_deref())?;
    let path = state
        .csv
        .loaded()
        .as_ref()
        .map(|l| l.path.clone())
        .ok_or_else(no_file)?;
    load(&state, activity_id, &path, &format)
}

fn no_file() -> IpcError {
    IpcError::new("transfer.no_csv", "choose a CSV file first")
}

/// Runs `f` on the loaded file with a progress callback that sends `csv-progress`
/// events and stops when `csv_cancel` is called.
fn with_progress<R: Runtime, T>(
    app: &AppHandle<R>,
    state: &AppState,
    f: impl FnOnce(
        &mut privreg_core::Register,
        &CsvTable,
        &mut dyn FnMut(Progress) -> bool,
    ) -> privreg_core::Result<T>,
) -> IpcResult<T> {
    let files = &state.csv;
    files.cancel.store(false, Ordering::SeqCst);
    let loaded = files.loaded();
    let table = &loaded.as_ref().ok_or_else(no_file)?.table;
    let mut progress = |p: Progress| {
        let _ = app.emit(CSV_PROGRESS_EVENT, p);
        !files.cancel.load(Ordering::SeqCst)
    };
    state.with_register(|reg| f(reg, table, &mut progress))
}

/// The dry run: counts of new, merged, skipped and rejected rows; writes nothing.
#[tauri::command(rename_all = "snake_case")]
pub async fn csv_plan<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    activity_id: Id,
    mapping: CsvMapping,
) -> IpcResult<CsvImportReport> {
    with_progress(&app, &state, |reg, table, progress| {
        reg.plan_csv_import(activity_id, table, &mapping, progress)
    })
}

/// Imports the file into the activity in one transaction and remembers the mapping.
#[tauri::command(rename_all = "snake_case")]
pub async fn csv_import<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    activity_id: Id,
    mapping: CsvMapping,
    mode: ImportMode,
    collected_on: Option<NaiveDate>,
) -> IpcResult<CsvImportReport> {
    let options = CsvImportOptions { mode, collected_on };
    with_progress(&app, &state, |reg, table, progress| {
        reg.import_csv(activity_id, table, &mapping, &options, progress)
    })
}

/// Stops a running check or import; the import then writes nothing.
#[tauri::command]
pub fn csv_cancel(state: State<'_, AppState>) {
    state.csv.cancel.store(true, Ordering::SeqCst);
}

/// Forgets the chosen file's rows.
#[tauri::command]
pub fn csv_close(state: State<'_, AppState>) {
    state.csv.clear();
}

/// A native save dialog, then the whole register as one JSON file (written atomically
/// and audited by the core). `None` when the dialog was cancelled.
#[tauri::command]
pub async fn export_register<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Option<ExportSummary>> {
    let stem = if state.language() == "nb" {
        "personvernregister-eksport"
    } else {
        "privacy-register-export"
    };
    let today = state.with_register(|reg| Ok(reg.clock().today().to_string()))?;
    let name = format!("{stem}-{today}.json");
    let Some(path) = dialogs::save_file(&app, &name, "json") else {
        return Ok(None);
    };
    state.with_register(|reg| reg.export_json(&path)).map(Some)
}
