//! Reports from the window: the Art. 30 record and a person's access report, saved
//! where the user chooses in a native dialog, written atomically and audited by
//! `privreg-reports`. Completing an access or portability request can make the report
//! and record it as sent in one go.

use privreg_core::model::Id;
use privreg_reports::{AccessFormat, Art30Format, Exported, Lang, LetterFormat, ReportError};
use tauri::{AppHandle, Runtime, State};

use crate::dialogs;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::views::{self, RequestPage};

impl From<ReportError> for IpcError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Core(core) => core.into(),
            other => {
                eprintln!("privacy-register: {}: {other}", other.kind());
                IpcError::new(other.kind(), other.to_string())
            }
        }
    }
}

fn lang_of(lang: &str) -> IpcResult<Lang> {
    Lang::parse(lang).ok_or_else(|| IpcError::new("input.invalid", "unknown language"))
}

fn today(state: &AppState) -> String {
    state
        .with_register(|reg| Ok(reg.clock().today().to_string()))
        .unwrap_or_default()
}

/// Saves the record of processing activities (Art. 30) as PDF, JSON, CSV or XLSX, as
/// XLSX in Datatilsynet's or the ICO's template layout, or as DPV JSON-LD, in English or
/// Norwegian. `None` when the save dialog was cancelled.
#[tauri::command]
pub async fn export_art30<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: String,
    lang: String,
) -> IpcResult<Option<Exported>> {
    let format = Art30Format::parse(&format)
        .ok_or_else(|| IpcError::new("input.invalid", "unknown report format"))?;
    let lang = lang_of(&lang)?;
    let stem = match lang {
        Lang::Nb => "protokoll-over-behandlingsaktiviteter",
        Lang::En => "record-of-processing-activities",
    };
    // The regulators' layouts and the DPV export say which they are in the name.
    let layout = match format {
        Art30Format::XlsxDatatilsynet => "-datatilsynet",
        Art30Format::XlsxIco => "-ico",
        Art30Format::Dpv => "-dpv",
        Art30Format::Pdf | Art30Format::Json | Art30Format::Csv | Art30Format::Xlsx => "",
    };
    let name = format!("{stem}{layout}-{}.{}", today(&state), format.extension());
    let Some(path) = dialogs::save_file(&app, &name, format.extension()) else {
        return Ok(None);
    };
    let exported = state
        .with_register(|reg| Ok(privreg_reports::export_art30(reg, format, lang, &path)))??;
    Ok(Some(exported))
}

fn access_file_name(lang: Lang, subject: Id, date: &str, format: AccessFormat) -> String {
    let stem = match lang {
        Lang::Nb => "innsyn",
        Lang::En => "access-report",
    };
    format!("{stem}-{subject}-{date}.{}", format.code())
}

/// The save dialog, then the access report written there. `None` when cancelled.
fn save_access<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    subject_id: Id,
    format: AccessFormat,
    lang: Lang,
) -> IpcResult<Option<Exported>> {
    let name = access_file_name(lang, subject_id, &today(state), format);
    let Some(path) = dialogs::save_file(app, &name, format.code()) else {
        return Ok(None);
    };
    let exported = state.with_register(|reg| {
        Ok(privreg_reports::export_access(
            reg, subject_id, format, lang, &path,
        ))
    })??;
    Ok(Some(exported))
}

/// Saves a person's access report (Art. 15; JSON also serves Art. 20 portability).
#[tauri::command(rename_all = "snake_case")]
pub async fn export_access<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    subject_id: Id,
    format: String,
    lang: String,
) -> IpcResult<Option<Exported>> {
    let format = AccessFormat::parse(&format)
        .ok_or_else(|| IpcError::new("input.invalid", "unknown report format"))?;
    let lang = lang_of(&lang)?;
    save_access(&app, &state, subject_id, format, lang)
}

/// Makes the access report for an access or portability request, saves it, and
/// completes the request with the report recorded as sent. `None` when cancelled.
#[tauri::command]
pub async fn complete_access_request<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Id,
    format: String,
    lang: String,
) -> IpcResult<Option<RequestPage>> {
    let format = AccessFormat::parse(&format)
        .ok_or_else(|| IpcError::new("input.invalid", "unknown report format"))?;
    let lang = lang_of(&lang)?;
    // The core says whether the request can be completed before the dialog opens, so a
    // request that cannot be completed leaves no report behind; the report, its audit
    // event and the completion are then one transaction.
    let subject_id = state.with_register(|reg| reg.access_request_subject(id))?;
    let name = access_file_name(lang, subject_id, &today(&state), format);
    let Some(path) = dialogs::save_file(&app, &name, format.code()) else {
        return Ok(None);
    };
    state.with_register(|reg| {
        Ok(privreg_reports::complete_access_request(reg, id, format, lang, &path).map(|_| ()))
    })??;
    state
        .with_register(|reg| views::request_page(reg, id))
        .map(Some)
}

/// Saves the reply letter to the person who made request `id` (Art. 12(3)-(4)): what
/// was done, or the extension and its reasons, or the refusal and its ground, with the
/// right to complain to Datatilsynet and to a judicial remedy. PDF or plain text, in
/// the language chosen. `None` when cancelled.
#[tauri::command]
pub async fn export_reply<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Id,
    format: String,
    lang: String,
) -> IpcResult<Option<Exported>> {
    let format = LetterFormat::parse(&format)
        .ok_or_else(|| IpcError::new("input.invalid", "unknown letter format"))?;
    let lang = lang_of(&lang)?;
    // The letter is built before the dialog opens, so a request with no reply to write
    // yet says so instead of asking where to save nothing.
    let (built, reference) = state.with_register(|reg| {
        let built = privreg_reports::build_reply(reg, id, lang).map(|_| ());
        Ok((built, reg.request(id)?.public_id))
    })?;
    built?;
    let stem = match lang {
        Lang::Nb => "svar",
        Lang::En => "reply",
    };
    let name = format!(
        "{stem}-{}-{}.{}",
        reference.get(..8).unwrap_or(&reference),
        today(&state),
        format.code()
    );
    let Some(path) = dialogs::save_file(&app, &name, format.code()) else {
        return Ok(None);
    };
    let exported = state
        .with_register(|reg| Ok(privreg_reports::export_reply(reg, id, lang, format, &path)))??;
    Ok(Some(exported))
}
