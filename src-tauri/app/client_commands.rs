//! The processor's record (Art. 30(2)) from the window: the controllers this
//! organisation processes personal data for as a processor (list, one, add, change,
//! remove), and the record itself saved where the user chooses as PDF, JSON, CSV,
//! XLSX or XLSX in Datatilsynet's layout, written atomically and audited by
//! `privreg-reports`.

use privreg_core::model::{ClientController, Id, StoredClient};
use privreg_core::store::clients::ClientSummary;
use privreg_core::InputError;
use privreg_reports::{Exported, Lang, ProcessorRecordFormat};
use tauri::{AppHandle, Runtime, State};

use crate::dialogs;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// An input the core never saw refused as the core refuses one: with the field named.
fn invalid(field: &str, problem: &str) -> IpcError {
    privreg_core::Error::from(InputError::invalid(field, problem)).into()
}

/// The client controllers, active and ended, by name.
#[tauri::command]
pub async fn list_clients(state: State<'_, AppState>) -> IpcResult<Vec<ClientSummary>> {
    state.with_register(|reg| reg.client_summaries())
}

/// One client controller, for its page.
#[tauri::command]
pub async fn get_client(state: State<'_, AppState>, id: Id) -> IpcResult<StoredClient> {
    state.with_register(|reg| reg.client(id))
}

/// Adds a client controller; invalid fields and unknown sub-processors are named in
/// the error.
#[tauri::command]
pub async fn add_client(
    state: State<'_, AppState>,
    client: ClientController,
) -> IpcResult<StoredClient> {
    state.with_register(|reg| reg.add_client(&client))
}

/// Replaces a client controller's entry.
#[tauri::command]
pub async fn update_client(
    state: State<'_, AppState>,
    id: Id,
    client: ClientController,
) -> IpcResult<StoredClient> {
    state.with_register(|reg| reg.update_client(id, &client))
}

/// Removes a client controller's entry (audited).
#[tauri::command]
pub async fn remove_client(state: State<'_, AppState>, id: Id) -> IpcResult<()> {
    state.with_register(|reg| reg.remove_client(id))
}

/// Saves the processor's record (Art. 30(2)) in `format` (`pdf`, `json`, `csv`,
/// `xlsx` or `xlsx-datatilsynet`) and `lang`. `None` when the save dialog was
/// cancelled.
#[tauri::command]
pub async fn export_processor_record<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: String,
    lang: String,
) -> IpcResult<Option<Exported>> {
    let format = ProcessorRecordFormat::parse(&format)
        .ok_or_else(|| invalid("format", "unknown report format"))?;
    let lang = Lang::parse(&lang).ok_or_else(|| invalid("lang", "unknown language"))?;
    let stem = match lang {
        Lang::Nb => "protokoll-databehandler",
        Lang::En => "processors-record",
    };
    let today = state
        .with_register(|reg| Ok(reg.clock().today().to_string()))
        .unwrap_or_default();
    let layout = match format {
        ProcessorRecordFormat::XlsxDatatilsynet => "-datatilsynet",
        _ => "",
    };
    let name = format!("{stem}-{today}{layout}.{}", format.extension());
    let Some(path) = dialogs::save_file(&app, &name, format.extension()) else {
        return Ok(None);
    };
    let exported = state.with_register(|reg| {
        Ok(privreg_reports::export_processor_record(
            reg, format, lang, &path,
        ))
    })??;
    Ok(Some(exported))
}
