//! Personal data breaches (Art. 33, 34; "avvik"): the breach log, one breach's page
//! with what the window needs to fill it in (the activities and their data categories
//! for choosing the people affected, the processors for "reported by a processor"),
//! the 72-hour clock as the core counts it, the assessment and the notices; and the
//! reports `privreg-reports` makes of them: the breach log, the text for Datatilsynet's
//! form and the letters to the people affected, saved where the user chooses.

use privreg_core::model::Id;
use privreg_core::store::breaches::{
    AffectedCount, AffectedSelection, Assessment, Breach, BreachFacts, BreachStatus, ImportSummary,
    NewNotice, NoticeKind,
};
use privreg_core::{InputError, Register};
use privreg_reports::{BreachLogFormat, Exported, Lang, LetterFormat, LettersExported};
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

fn today(state: &AppState) -> String {
    state
        .with_register(|reg| Ok(reg.clock().today().to_string()))
        .unwrap_or_default()
}

/// A processing activity as the selection form offers it: its data categories by name.
#[derive(Debug, Serialize)]
pub struct BreachActivity {
    pub id: Id,
    pub name: String,
    pub categories: Vec<String>,
}

/// A processor that may have reported the breach (Art. 33(2)).
#[derive(Debug, Serialize)]
pub struct ProcessorName {
    pub id: Id,
    pub name: String,
}

/// One breach with what its page needs besides it.
#[derive(Debug, Serialize)]
pub struct BreachPage {
    #[serde(flatten)]
    pub breach: Breach,
    pub activities: Vec<BreachActivity>,
    pub processors: Vec<ProcessorName>,
    /// The CSV imports, newest first, to choose the records one of them wrote.
    pub imports: Vec<ImportSummary>,
    /// A notification to Datatilsynet now needs the reasons for the delay (Art. 33(1)):
    /// the 72 hours have passed and none was sent before.
    pub needs_delay_reason: bool,
}

fn needs_delay_reason(breach: &Breach) -> bool {
    breach.clock.overdue
        && !breach
            .notices
            .iter()
            .any(|n| matches!(n.kind, NoticeKind::Initial | NoticeKind::FollowUp))
}

fn page_of(reg: &Register, breach: Breach) -> privreg_core::Result<BreachPage> {
    let activities = reg
        .activities()?
        .into_iter()
        .map(|a| BreachActivity {
            id: a.id,
            categories: a
                .activity
                .data_categories
                .iter()
                .map(|c| c.name.clone())
                .collect(),
            name: a.activity.name,
        })
        .collect();
    let processors = reg
        .processors()?
        .into_iter()
        .map(|p| ProcessorName {
            id: p.id,
            name: p.processor.name,
        })
        .collect();
    Ok(BreachPage {
        needs_delay_reason: needs_delay_reason(&breach),
        breach,
        activities,
        processors,
        imports: reg.imports()?,
    })
}

/// Every breach: the open ones first, the most urgent clock first, then the closed
/// ones, newest first.
#[tauri::command]
pub async fn list_breaches(state: State<'_, AppState>) -> IpcResult<Vec<Breach>> {
    state.with_register(|reg| {
        let mut list = reg.open_breaches()?;
        list.extend(
            reg.breaches()?
                .into_iter()
                .filter(|b| b.status == BreachStatus::Closed),
        );
        Ok(list)
    })
}

#[tauri::command]
pub async fn breach_page(state: State<'_, AppState>, id: Id) -> IpcResult<BreachPage> {
    state.with_register(|reg| {
        let breach = reg.breach(id)?;
        page_of(reg, breach)
    })
}

/// Records a breach (Art. 33(5)); the 72-hour clock runs from `aware_at`.
#[tauri::command]
pub async fn add_breach(state: State<'_, AppState>, facts: BreachFacts) -> IpcResult<BreachPage> {
    state.with_register(|reg| {
        let breach = reg.add_breach(&facts)?;
        page_of(reg, breach)
    })
}

/// The facts, as they become known.
#[tauri::command]
pub async fn update_breach(
    state: State<'_, AppState>,
    id: Id,
    facts: BreachFacts,
) -> IpcResult<BreachPage> {
    state.with_register(|reg| {
        let breach = reg.update_breach(id, &facts)?;
        page_of(reg, breach)
    })
}

/// What a choice of people would cover: people, records, categories. Nothing is saved.
#[tauri::command]
pub async fn count_affected(
    state: State<'_, AppState>,
    selection: AffectedSelection,
) -> IpcResult<AffectedCount> {
    state.with_register(|reg| reg.count_affected(&selection))
}

/// Saves which people the breach affected (counted again as it is saved).
#[tauri::command]
pub async fn set_affected(
    state: State<'_, AppState>,
    id: Id,
    selection: AffectedSelection,
) -> IpcResult<BreachPage> {
    state.with_register(|reg| {
        let breach = reg.set_affected(id, &selection)?;
        page_of(reg, breach)
    })
}

/// The risk and the two decisions: notify Datatilsynet (Art. 33(1)), tell the people
/// (Art. 34), each with its reasons.
#[tauri::command]
pub async fn assess_breach(
    state: State<'_, AppState>,
    id: Id,
    assessment: Assessment,
) -> IpcResult<BreachPage> {
    state.with_register(|reg| {
        let breach = reg.assess_breach(id, &assessment)?;
        page_of(reg, breach)
    })
}

/// A notification to Datatilsynet, a follow-up, or the communication to the people.
#[tauri::command]
pub async fn record_breach_notice(
    state: State<'_, AppState>,
    id: Id,
    notice: NewNotice,
) -> IpcResult<BreachPage> {
    state.with_register(|reg| {
        let breach = reg.record_breach_notice(id, &notice)?;
        page_of(reg, breach)
    })
}

/// Closes the breach with a note; it changes no more.
#[tauri::command]
pub async fn close_breach(
    state: State<'_, AppState>,
    id: Id,
    note: String,
) -> IpcResult<BreachPage> {
    state.with_register(|reg| {
        let breach = reg.close_breach(id, &note)?;
        page_of(reg, breach)
    })
}

/// The answers for Datatilsynet's notification form, as text to copy, in the language
/// chosen.
#[tauri::command]
pub async fn breach_notice_text(
    state: State<'_, AppState>,
    id: Id,
    lang: String,
) -> IpcResult<String> {
    let lang = lang_of(&lang)?;
    let text =
        state.with_register(|reg| Ok(privreg_reports::breach_notice_text(reg, id, lang)))??;
    Ok(text)
}

/// Saves the breach log (Art. 33(5)) as PDF, JSON, CSV or XLSX. `None` when the save
/// dialog was cancelled.
#[tauri::command]
pub async fn export_breach_log<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: String,
    lang: String,
) -> IpcResult<Option<Exported>> {
    let format = BreachLogFormat::parse(&format)
        .ok_or_else(|| invalid("format", "unknown report format"))?;
    let lang = lang_of(&lang)?;
    let stem = match lang {
        Lang::Nb => "avviksprotokoll",
        Lang::En => "breach-log",
    };
    let name = format!("{stem}-{}.{}", today(&state), format.code());
    let Some(path) = dialogs::save_file(&app, &name, format.code()) else {
        return Ok(None);
    };
    let exported = state
        .with_register(|reg| Ok(privreg_reports::export_breach_log(reg, format, lang, &path)))??;
    Ok(Some(exported))
}

/// Saves the letters to the people affected (Art. 34): one per person still in the
/// register, or one for all. `None` when the save dialog was cancelled; the window
/// then asks to record the communication with the number of letters.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_breach_letters<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Id,
    lang: String,
    format: String,
    one_per_person: bool,
) -> IpcResult<Option<LettersExported>> {
    let format =
        LetterFormat::parse(&format).ok_or_else(|| invalid("format", "unknown letter format"))?;
    let lang = lang_of(&lang)?;
    // Checked before the dialog opens, so that nothing is asked where to save nothing.
    let (reference, people) = state.with_register(|reg| {
        let breach = reg.breach(id)?;
        let people = if one_per_person {
            reg.affected_subjects(id)?.len()
        } else {
            0
        };
        Ok((breach.reference, people))
    })?;
    if one_per_person && people == 0 {
        return Err(invalid(
            "selection",
            "no one affected is in the register: choose the people first",
        ));
    }
    let stem = match lang {
        Lang::Nb => "varsel",
        Lang::En => "breach-letters",
    };
    let name = format!("{stem}-{reference}.{}", format.code());
    let Some(path) = dialogs::save_file(&app, &name, format.code()) else {
        return Ok(None);
    };
    let exported = state.with_register(|reg| {
        Ok(privreg_reports::export_breach_letters(
            reg,
            id,
            lang,
            format,
            one_per_person,
            &path,
        ))
    })??;
    Ok(Some(exported))
}
