//! The privacy notice (Art. 13, 14) from the window: the notice as the register says it
//! now (its HTML for the preview frame, what changed since it was last published, the
//! activities left out or not yet described), publishing a version, the versions and
//! the difference between two of them, and saving it as HTML, PDF or text where the
//! user chooses. The core builds the model and keeps the versions; `privreg-reports`
//! writes the text.

use privreg_core::model::Id;
use privreg_core::store::notice::{NoticeChange, NoticeDrift, NoticeStatus, NoticeVersionSummary};
use privreg_core::InputError;
use privreg_reports::{Exported, Lang, NoticeFormat};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::dialogs;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// An input the core never saw refused as the core refuses one: with the field named.
fn invalid(field: &str, problem: &str) -> IpcError {
    privreg_core::Error::from(InputError::invalid(field, problem)).into()
}

fn lang_of(lang: &str) -> IpcResult<Lang> {
    Lang::parse(lang).ok_or_else(|| invalid("lang", "unknown language"))
}

/// What the notice page shows.
#[derive(Debug, Serialize)]
pub struct NoticePreview {
    pub lang: Lang,
    /// The notice as the register says it now, exactly as the HTML file is written.
    pub html: String,
    /// What changed since it was last published in this language; `None` when it never
    /// was.
    pub drift: Option<NoticeDrift>,
    /// Every language's drift, and the activities left out (drafts), without a notice
    /// text, or with a template's answer still to confirm.
    pub status: NoticeStatus,
}

/// The notice in `lang` as the register says it now.
#[tauri::command]
pub async fn notice_preview(state: State<'_, AppState>, lang: String) -> IpcResult<NoticePreview> {
    let lang = lang_of(&lang)?;
    state.with_register(|reg| {
        let model = reg.notice_model()?;
        Ok(NoticePreview {
            lang,
            html: privreg_reports::notice::notice_html(&model, lang),
            drift: reg.notice_drift(lang)?,
            status: reg.notice_status()?,
        })
    })
}

/// Publishes the notice in `lang` as the register says it now (audited); returns the
/// new version's line.
#[tauri::command]
pub async fn publish_notice(
    state: State<'_, AppState>,
    lang: String,
) -> IpcResult<NoticeVersionSummary> {
    let lang = lang_of(&lang)?;
    let version = state.with_register(|reg| Ok(privreg_reports::publish_notice(reg, lang)))??;
    Ok(NoticeVersionSummary {
        id: version.id,
        lang: version.lang,
        published_at: version.published_at,
        activities: version.model.activities.len(),
    })
}

/// Marks every approved activity not yet in the notice as described in it (each an
/// audited change); returns how many.
#[tauri::command]
pub async fn mark_approved_for_notice(state: State<'_, AppState>) -> IpcResult<usize> {
    state.with_register(|reg| reg.mark_approved_for_notice())
}

/// The published versions, newest first.
#[tauri::command]
pub async fn list_notices(state: State<'_, AppState>) -> IpcResult<Vec<NoticeVersionSummary>> {
    state.with_register(|reg| reg.notice_versions())
}

/// What changed from published version `a` to published version `b`.
#[tauri::command]
pub async fn notice_diff(state: State<'_, AppState>, a: Id, b: Id) -> IpcResult<Vec<NoticeChange>> {
    state.with_register(|reg| reg.notice_version_changes(a, b))
}

/// Saves the notice as HTML (the file for the website), PDF or text, where the user
/// chooses: the register's notice now in `lang`, or published `version` as it was
/// published. `None` when the save dialog was cancelled.
#[tauri::command]
pub async fn export_notice<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    lang: String,
    format: String,
    version: Option<Id>,
) -> IpcResult<Option<Exported>> {
    let format =
        NoticeFormat::parse(&format).ok_or_else(|| invalid("format", "unknown notice format"))?;
    let lang = lang_of(&lang)?;
    let (lang, today) = state.with_register(|reg| {
        let lang = match version {
            Some(id) => reg.notice_version(id)?.lang,
            None => lang,
        };
        Ok((lang, reg.clock().today().to_string()))
    })?;
    let stem = match lang {
        Lang::Nb => "personvernerklaering",
        Lang::En => "privacy-notice",
    };
    let name = match version {
        Some(id) => format!("{stem}-{today}-v{id}.{}", format.extension()),
        None => format!("{stem}-{today}.{}", format.extension()),
    };
    let Some(path) = dialogs::save_file(&app, &name, format.extension()) else {
        return Ok(None);
    };
    let exported = state.with_register(|reg| {
        Ok(privreg_reports::export_notice(
            reg, lang, format, version, &path,
        ))
    })??;
    Ok(Some(exported))
}
