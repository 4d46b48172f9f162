//! Reports of the Privacy Register: the record of processing activities (GDPR Art. 30),
//! the subject access report (Art. 15, with its JSON as the Art. 20 portable copy), the
//! reply letter to a data subject request (Art. 12(3)-(4), [`letter`]) and the
//! documents of a personal data breach (Art. 33, 34, [`breach`]): the breach log, the
//! notification text for Datatilsynet and the letters to the people affected; and the
//! processor's record (Art. 30(2), [`processor_record`]): the controllers the
//! organisation processes personal data for as a processor.
//!
//! The shape is: a pure function builds a report model from the register
//! ([`build_art30`], [`build_access`]); renderers print the model as JSON, CSV, XLSX or
//! PDF ([`render_art30`], [`render_access`]), and the Art. 30 record also as XLSX in the
//! layouts of Datatilsynet's and the ICO's templates ([`layouts`]) and as JSON-LD in the
//! W3C Data Privacy Vocabulary ([`dpv`]); [`export_art30`] and [`export_access`] do
//! both, write the file atomically and record the export in the audit log in one step.
//! Those two are what a front end calls.
//!
//! The PDF comes from Typst templates (`templates/*.typ`) that read the model as JSON;
//! fonts are embedded; nothing is fetched from the network or read from the disk. Labels
//! for both languages live in [`labels`]. This crate is kept apart from the core so that
//! the core's builds stay light; it depends on the core, never on Tauri.

use std::path::{Path, PathBuf};

use privreg_core::model::Id;
pub use privreg_core::templates::Lang;
use privreg_core::{files, InputError, Register};
use serde::Serialize;

pub mod access;
pub mod art30;
pub mod bench;
pub mod breach;
pub mod csv;
pub mod dpv;
pub mod fides;
pub mod head;
pub mod labels;
pub mod layouts;
pub mod letter;
pub mod notice;
pub mod pdf;
pub mod processor_record;
pub mod table;
pub mod xlsx;

pub use access::AccessReport;
pub use art30::Art30Report;
pub use breach::{BreachLetter, BreachLog};
pub use head::{head_in_report, read_report_head};
pub use letter::{LetterKind, ReplyLetter};
pub use notice::NoticeDocument;
pub use processor_record::ProcessorRecord;

/// JSON Schema (draft 2020-12) of the Art. 30 JSON, as kept in `schemas/`.
pub const ART30_SCHEMA: &str = include_str!("../schemas/art30-record.v1.schema.json");
/// JSON Schema (draft 2020-12) of the subject access JSON, as kept in `schemas/`.
pub const ACCESS_SCHEMA: &str = include_str!("../schemas/subject-access.v1.schema.json");
/// JSON Schema (draft 2020-12) of the breach log's JSON, as kept in `schemas/`.
pub const BREACH_LOG_SCHEMA: &str = include_str!("../schemas/breach-log.v1.schema.json");
/// JSON Schema (draft 2020-12) of the processor's record's JSON (Art. 30(2)), as kept in
/// `schemas/`.
pub const PROCESSOR_RECORD_SCHEMA: &str =
    include_str!("../schemas/processor-record.v1.schema.json");

/// What can go wrong making a report. Messages name what failed, never personal data.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Core(#[from] privreg_core::Error),
    #[error("the report could not be typeset: {0}")]
    Render(String),
    #[error("{0}")]
    Bench(&'static str),
    #[error("{op} {path}: {source}")]
    Io {
        op: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<files::FileError> for ReportError {
    fn from(e: files::FileError) -> Self {
        ReportError::Io {
            op: e.op,
            path: e.path,
            source: e.source,
        }
    }
}

impl ReportError {
    /// A core error, with a file that could not be written reported as `report.io`.
    fn from_core(e: privreg_core::Error) -> Self {
        match e {
            privreg_core::Error::Transfer(privreg_core::TransferError::Io { op, path, source }) => {
                ReportError::Io { op, path, source }
            }
            other => ReportError::Core(other),
        }
    }

    /// A stable code for the UI and scripts: the core's codes, `report.render` or
    /// `report.io`.
    pub fn kind(&self) -> &'static str {
        match self {
            ReportError::Core(e) => e.kind(),
            ReportError::Render(_) => "report.render",
            ReportError::Bench(_) => "report.bench",
            ReportError::Io { .. } => "report.io",
        }
    }
}

pub type Result<T> = std::result::Result<T, ReportError>;

privreg_core::closed_list! {
    /// Formats of the Art. 30 record.
    pub enum Art30Format("format") {
        Pdf = "pdf",
        Json = "json",
        Csv = "csv",
        Xlsx = "xlsx",
        /// XLSX in the layout of Datatilsynet's template for the controller's record
        /// ([`layouts::datatilsynet`]).
        XlsxDatatilsynet = "xlsx-datatilsynet",
        /// XLSX in the layout of the ICO's documentation template for controllers
        /// ([`layouts::ico`]).
        XlsxIco = "xlsx-ico",
        /// JSON-LD in the W3C Data Privacy Vocabulary ([`dpv`]).
        Dpv = "dpv",
    }
}

impl Art30Format {
    /// The file name extension of the format's files: `xlsx` for the three
    /// spreadsheets, `jsonld` for the DPV export.
    pub fn extension(self) -> &'static str {
        match self {
            Art30Format::Pdf => "pdf",
            Art30Format::Json => "json",
            Art30Format::Csv => "csv",
            Art30Format::Xlsx | Art30Format::XlsxDatatilsynet | Art30Format::XlsxIco => "xlsx",
            Art30Format::Dpv => "jsonld",
        }
    }
}

privreg_core::closed_list! {
    /// Formats of the breach log (Art. 33(5)).
    pub enum BreachLogFormat("format") {
        Pdf = "pdf",
        Json = "json",
        Csv = "csv",
        Xlsx = "xlsx",
    }
}

privreg_core::closed_list! {
    /// Formats of the processor's record (Art. 30(2)). `xlsx-datatilsynet` is the XLSX
    /// in the layout of Datatilsynet's template for the processor's record
    /// ([`processor_record::datatilsynet_xlsx`]).
    pub enum ProcessorRecordFormat("format") {
        Pdf = "pdf",
        Json = "json",
        Csv = "csv",
        Xlsx = "xlsx",
        XlsxDatatilsynet = "xlsx-datatilsynet",
    }
}

impl ProcessorRecordFormat {
    /// The file name extension: both XLSX layouts are `xlsx`.
    pub fn extension(self) -> &'static str {
        match self {
            ProcessorRecordFormat::XlsxDatatilsynet => "xlsx",
            other => other.code(),
        }
    }
}

privreg_core::closed_list! {
    /// Formats of the subject access report.
    pub enum AccessFormat("format") {
        Pdf = "pdf",
        Json = "json",
    }
}

privreg_core::closed_list! {
    /// Formats of the reply letter: a PDF to attach or post, plain text to paste into
    /// an e-mail.
    pub enum LetterFormat("format") {
        Pdf = "pdf",
        Text = "txt",
    }
}

privreg_core::closed_list! {
    /// Formats of the privacy notice (Art. 13, 14): one self-contained HTML file for the
    /// website, a PDF, or plain text.
    pub enum NoticeFormat("format") {
        Html = "html",
        Pdf = "pdf",
        Text = "text",
    }
}

impl NoticeFormat {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            NoticeFormat::Html => "html",
            NoticeFormat::Pdf => "pdf",
            NoticeFormat::Text => "txt",
        }
    }
}

/// Builds the Art. 30 record model (reads only, not audited).
pub fn build_art30(reg: &Register, lang: Lang) -> Result<Art30Report> {
    art30::build(reg, lang)
}

/// Builds the access report model for one subject (reads only, not audited: use
/// [`export_access`] to give the report to anyone).
pub fn build_access(reg: &Register, subject: Id, lang: Lang) -> Result<AccessReport> {
    access::build(reg, subject, lang)
}

/// Builds the reply letter to request `request`, in `lang` (reads only, not audited:
/// use [`export_reply`] to give the letter to anyone). An open request that is not
/// extended has no reply yet: `input.invalid`.
pub fn build_reply(reg: &Register, request: Id, lang: Lang) -> Result<ReplyLetter> {
    letter::build(reg, request, lang)
}

fn lang_of(code: &str) -> Lang {
    Lang::parse(code).unwrap_or(Lang::En)
}

fn time_of(rfc3339: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default()
}

fn pretty_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(value)
        .map_err(|e| ReportError::Render(format!("the JSON could not be written: {e}")))?;
    v.push(b'\n');
    Ok(v)
}

/// The data a template reads: the report, the labels of its language and the article
/// references in its style.
fn template_data<T: Serialize>(lang: Lang, report: &T) -> Result<serde_json::Value> {
    Ok(serde_json::json!({
        "labels": labels::dictionary(lang),
        "articles": labels::article_dictionary(lang),
        "report": serde_json::to_value(report)
            .map_err(|e| ReportError::Render(e.to_string()))?,
    }))
}

/// The bytes of the Art. 30 record in `format`, in the report's language.
pub fn render_art30(report: &Art30Report, format: Art30Format) -> Result<Vec<u8>> {
    let lang = lang_of(&report.lang);
    match format {
        Art30Format::Json => pretty_json(report),
        Art30Format::Csv => Ok(csv::art30(report, lang).into_bytes()),
        Art30Format::Xlsx => xlsx::art30(report, lang),
        Art30Format::XlsxDatatilsynet => layouts::render(&layouts::datatilsynet(), report, lang),
        Art30Format::XlsxIco => layouts::render(&layouts::ico(), report, lang),
        Art30Format::Dpv => dpv::render(report),
        Art30Format::Pdf => pdf::render(
            pdf::Template::Art30,
            &template_data(lang, report)?,
            time_of(&report.generated_at),
        ),
    }
}

/// The bytes of the access report in `format`, in the report's language.
pub fn render_access(report: &AccessReport, format: AccessFormat) -> Result<Vec<u8>> {
    let lang = lang_of(&report.lang);
    match format {
        AccessFormat::Json => pretty_json(report),
        AccessFormat::Pdf => pdf::render(
            pdf::Template::Access,
            &template_data(lang, report)?,
            time_of(&report.generated_at),
        ),
    }
}

/// The bytes of the reply letter in `format`, in the letter's language: PDF/A, or
/// UTF-8 plain text wrapped to [`letter::TEXT_WIDTH`] columns.
pub fn render_reply(letter: &ReplyLetter, format: LetterFormat) -> Result<Vec<u8>> {
    let lang = lang_of(&letter.lang);
    match format {
        LetterFormat::Text => Ok(letter::text(letter).into_bytes()),
        LetterFormat::Pdf => pdf::render(
            pdf::Template::Letter,
            &template_data(lang, letter)?,
            time_of(&letter.generated_at),
        ),
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    pub path: PathBuf,
    pub format: &'static str,
    pub lang: &'static str,
    pub bytes: u64,
    /// The audit chain's head and event count printed in the report (before the export
    /// event itself was added).
    pub audit_head: String,
    pub audit_events: i64,
}

impl Exported {
    /// What an export wrote: `bytes` at `path`, with the audit chain the report printed.
    fn new(
        path: &Path,
        format: &'static str,
        lang: Lang,
        bytes: &[u8],
        audit: art30::AuditStamp,
    ) -> Exported {
        Exported {
            path: path.to_path_buf(),
            format,
            lang: lang.code(),
            bytes: bytes.len() as u64,
            audit_head: audit.head_hash,
            audit_events: audit.events,
        }
    }
}

/// Writes `bytes` to `path` (owner-only, atomically: [`privreg_core::files`]) and
/// records the report in the audit log, both or neither
/// ([`Register::record_report`]; while the register is read-only, in its side log). A
/// failure before the rename leaves the file the user chose to replace as it was and
/// removes only the temporary file.
fn write_audited(
    reg: &mut Register,
    path: &Path,
    bytes: &[u8],
    action_fields: &[&str],
    subject: Option<Id>,
) -> Result<()> {
    let pending = files::Pending::prepare(path, |w| {
        w.write_all(bytes).map_err(|source| files::FileError {
            op: "writing",
            path: path.to_path_buf(),
            source,
        })
    })?;
    reg.record_report(pending, subject, action_fields)
        .map_err(ReportError::from_core)
}

/// Produces the Art. 30 record in `format` and `lang`, writes it to `path` atomically
/// and records the export in the audit log (action `report.created`, entity
/// `register`, fields `["art30", format, lang]`).
pub fn export_art30(
    reg: &mut Register,
    format: Art30Format,
    lang: Lang,
    path: &Path,
) -> Result<Exported> {
    let report = art30::build(reg, lang)?;
    let bytes = render_art30(&report, format)?;
    write_audited(
        reg,
        path,
        &bytes,
        &["art30", format.code(), lang.code()],
        None,
    )?;
    Ok(Exported::new(
        path,
        format.code(),
        lang,
        &bytes,
        report.audit,
    ))
}

/// Produces the access report for `subject` in `format` and `lang`, writes it to `path`
/// atomically and records who produced it, when, for which subject and in which format
/// (action `report.created`, entity `subject`, fields `["access", format, lang]`); the
/// audit log gets no copy of the data.
pub fn export_access(
    reg: &mut Register,
    subject: Id,
    format: AccessFormat,
    lang: Lang,
    path: &Path,
) -> Result<Exported> {
    let report = access::build(reg, subject, lang)?;
    let bytes = render_access(&report, format)?;
    write_audited(
        reg,
        path,
        &bytes,
        &["access", format.code(), lang.code()],
        Some(subject),
    )?;
    Ok(Exported::new(
        path,
        format.code(),
        lang,
        &bytes,
        report.audit,
    ))
}

/// Letters are written to be sent to people, and their sending is recorded on the
/// request or the breach, which a read-only (damaged) register cannot take; they wait
/// until the register can be written again. (Reports made read-only are recorded in the
/// side log and say so; see `AuditStamp::read_only`.)
fn refuse_read_only(reg: &Register) -> Result<()> {
    if reg.is_read_only() {
        return Err(ReportError::Core(privreg_core::VaultError::ReadOnly.into()));
    }
    Ok(())
}

/// Produces the reply letter to request `request_id` in `lang` and `format`, writes it
/// to `path` atomically (owner-only) and records the export in the audit log (action
/// `report.created`, fields `["reply", format, lang, "request:<id>", "kind:<kind>"]`:
/// ids and codes, never the letter's text). The event is on the request's subject
/// while that person is in the register, else on the register. A request with no reply
/// yet (open, not extended) is refused before anything is written. `audit_head` and
/// `audit_events` are the chain as it stood before the export (a letter prints no
/// audit stamp).
pub fn export_reply(
    reg: &mut Register,
    request_id: Id,
    lang: Lang,
    format: LetterFormat,
    path: &Path,
) -> Result<Exported> {
    refuse_read_only(reg)?;
    let reply = letter::build(reg, request_id, lang)?;
    let bytes = render_reply(&reply, format)?;
    let subject = match reg.request(request_id)?.subject_id {
        Some(id) => match reg.subject(id) {
            Ok(_) => Some(id),
            Err(privreg_core::Error::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let stamp = art30::audit_stamp(reg)?;
    let request_field = format!("request:{request_id}");
    let kind_field = format!("kind:{}", reply.kind.code());
    write_audited(
        reg,
        path,
        &bytes,
        &[
            "reply",
            format.code(),
            lang.code(),
            request_field.as_str(),
            kind_field.as_str(),
        ],
        subject,
    )?;
    Ok(Exported::new(path, format.code(), lang, &bytes, stamp))
}

/// Answers an access (Art. 15) or portability (Art. 20) request: makes the person's
/// access report in `format` and `lang`, and in one transaction puts it at `path`,
/// records it (`report.created`, fields `["access", format, lang]`) and completes the
/// request with the report as sent. A request that cannot be completed (not matched,
/// identity not verified, closed) is refused before any report is made; any failure
/// leaves the request open and the file at `path` as it was.
pub fn complete_access_request(
    reg: &mut Register,
    request: Id,
    format: AccessFormat,
    lang: Lang,
    path: &Path,
) -> Result<(Exported, privreg_core::store::requests::CompletionOutcome)> {
    let subject = reg
        .access_request_subject(request)
        .map_err(ReportError::from_core)?;
    let report = access::build(reg, subject, lang)?;
    let bytes = render_access(&report, format)?;
    let pending = files::Pending::prepare(path, |w| {
        w.write_all(&bytes).map_err(|source| files::FileError {
            op: "writing",
            path: path.to_path_buf(),
            source,
        })
    })?;
    let outcome = reg
        .complete_access_request(
            request,
            format.code(),
            pending,
            &["access", format.code(), lang.code()],
        )
        .map_err(ReportError::from_core)?;
    Ok((
        Exported {
            path: path.to_path_buf(),
            format: format.code(),
            lang: lang.code(),
            bytes: bytes.len() as u64,
            audit_head: report.audit.head_hash,
            audit_events: report.audit.events,
        },
        outcome,
    ))
}

// ---------------------------------------------------------------------------------
// Personal data breaches (Art. 33, 34)
// ---------------------------------------------------------------------------------

/// Builds the breach log (Art. 33(5)) in `lang`: every breach with its facts, effects,
/// remedial action, assessment and notices (reads only, not audited: use
/// [`export_breach_log`] to give the log to anyone).
pub fn build_breach_log(reg: &Register, lang: Lang) -> Result<BreachLog> {
    breach::build_log(reg, lang)
}

/// The bytes of the breach log in `format`, in the log's language.
pub fn render_breach_log(log: &BreachLog, format: BreachLogFormat) -> Result<Vec<u8>> {
    let lang = lang_of(&log.lang);
    match format {
        BreachLogFormat::Json => pretty_json(log),
        BreachLogFormat::Csv => Ok(csv::breaches(log, lang).into_bytes()),
        BreachLogFormat::Xlsx => xlsx::breaches(log, lang),
        BreachLogFormat::Pdf => pdf::render(
            pdf::Template::Breaches,
            &breach::template_data(lang, log)?,
            time_of(&log.generated_at),
        ),
    }
}

/// Produces the breach log in `format` and `lang`, writes it to `path` atomically
/// (owner-only) and records the export in the audit log (action `report.created`,
/// entity `register`, fields `["breach_log", format, lang]`).
pub fn export_breach_log(
    reg: &mut Register,
    format: BreachLogFormat,
    lang: Lang,
    path: &Path,
) -> Result<Exported> {
    let log = breach::build_log(reg, lang)?;
    let bytes = render_breach_log(&log, format)?;
    write_audited(
        reg,
        path,
        &bytes,
        &["breach_log", format.code(), lang.code()],
        None,
    )?;
    Ok(Exported::new(path, format.code(), lang, &bytes, log.audit))
}

/// The notification of breach `id` to Datatilsynet as plain text, under the headings
/// of its Altinn form in the form's order, ready to paste field by field
/// ([`breach::notice_text`]). Reads only: the text is not a file and is not audited;
/// record the notification, once sent, with `Register::record_breach_notice`.
pub fn breach_notice_text(reg: &Register, id: Id, lang: Lang) -> Result<String> {
    breach::notice_text(reg, id, lang)
}

/// Builds the letter about breach `id` to the people affected (Art. 34(2)): with
/// `subject`, to that person by name (one of `Register::affected_subjects`); with
/// `None`, one letter for all of them. Reads only, not audited.
pub fn build_breach_letter(
    reg: &Register,
    id: Id,
    subject: Option<Id>,
    lang: Lang,
) -> Result<BreachLetter> {
    breach::build_letter(reg, id, subject, lang)
}

/// The bytes of one breach letter in `format`: PDF/A, or UTF-8 plain text wrapped to
/// [`letter::TEXT_WIDTH`] columns.
pub fn render_breach_letter(letter: &BreachLetter, format: LetterFormat) -> Result<Vec<u8>> {
    render_breach_letters(std::slice::from_ref(letter), format)
}

/// The bytes of several breach letters in one file: a PDF in which each letter starts
/// on a new page and counts its own pages, or plain text in which the letters are
/// separated by a line holding a form feed ([`breach::LETTER_SEPARATOR`]). No letters:
/// `input.invalid`.
pub fn render_breach_letters(letters: &[BreachLetter], format: LetterFormat) -> Result<Vec<u8>> {
    let Some(first) = letters.first() else {
        return Err(ReportError::Core(
            InputError::invalid("letters", "there are no letters to print").into(),
        ));
    };
    let lang = lang_of(&first.lang);
    match format {
        LetterFormat::Text => Ok(breach::letters_text(letters).into_bytes()),
        LetterFormat::Pdf => pdf::render(
            pdf::Template::BreachLetter,
            &breach::template_data(
                lang,
                &breach::LetterBundle {
                    lang: &first.lang,
                    letters,
                },
            )?,
            time_of(&first.generated_at),
        ),
    }
}

/// What an export of breach letters wrote.
#[derive(Debug, Clone, Serialize)]
pub struct LettersExported {
    pub path: PathBuf,
    pub format: &'static str,
    pub lang: &'static str,
    pub bytes: u64,
    /// How many letters the file holds: 1 for the letter to all, else one per person
    /// still linked to the breach.
    pub letters: i64,
    /// Whether the letters are addressed to each person by name.
    pub one_per_person: bool,
    /// The audit chain's head and event count before the export event was added (a
    /// letter prints no audit stamp).
    pub audit_head: String,
    pub audit_events: i64,
}

/// Makes the letters about breach `id` to the people affected (Art. 34) in `lang` and
/// `format` and writes them to `path` as ONE file, atomically and owner-only: either
/// the one letter for all (`one_per_person` false), or one letter addressed to each
/// person still linked to the breach (`Register::affected_subjects`), each starting on
/// a new page of the PDF, or separated by a form feed line in the text. The export is
/// recorded in the audit log (action `report.created`, entity `register`, fields
/// `["breach_letters", format, lang, "breach:<id>", "letters:<n>", "per_person" |
/// "to_all"]`: ids, codes and a count, never a name or the letters' text).
///
/// Making letters is not sending them: nothing is recorded as sent. Once the letters
/// have gone, the caller records the communication with
/// `Register::record_breach_notice(id, &NewNotice { kind: NoticeKind::Subjects,
/// letters: Some(exported.letters), .. })`. With `one_per_person` and no one linked to
/// the breach, nothing is written: `input.invalid`.
pub fn export_breach_letters(
    reg: &mut Register,
    id: Id,
    lang: Lang,
    format: LetterFormat,
    one_per_person: bool,
    path: &Path,
) -> Result<LettersExported> {
    refuse_read_only(reg)?;
    let letters = if one_per_person {
        let letters = breach::build_letters(reg, id, lang)?;
        if letters.is_empty() {
            return Err(ReportError::Core(
                InputError::invalid(
                    "selection",
                    "no one affected by the breach is in the register: there is no one to write to",
                )
                .into(),
            ));
        }
        letters
    } else {
        vec![breach::build_letter(reg, id, None, lang)?]
    };
    let bytes = render_breach_letters(&letters, format)?;
    let stamp = art30::audit_stamp(reg)?;
    let count = letters.len() as i64;
    let breach_field = format!("breach:{id}");
    let count_field = format!("letters:{count}");
    write_audited(
        reg,
        path,
        &bytes,
        &[
            "breach_letters",
            format.code(),
            lang.code(),
            breach_field.as_str(),
            count_field.as_str(),
            if one_per_person {
                "per_person"
            } else {
                "to_all"
            },
        ],
        None,
    )?;
    Ok(LettersExported {
        path: path.to_path_buf(),
        format: format.code(),
        lang: lang.code(),
        bytes: bytes.len() as u64,
        letters: count,
        one_per_person,
        audit_head: stamp.head_hash,
        audit_events: stamp.events,
    })
}

// ---------------------------------------------------------------------------------
// The privacy notice (Art. 13, 14)
// ---------------------------------------------------------------------------------

/// The privacy notice of `model` in `format` and `lang`.
pub fn render_notice(
    model: &privreg_core::store::notice::NoticeModel,
    lang: Lang,
    format: NoticeFormat,
) -> Result<Vec<u8>> {
    match format {
        NoticeFormat::Html => Ok(notice::notice_html(model, lang).into_bytes()),
        NoticeFormat::Text => Ok(notice::notice_text(model, lang).into_bytes()),
        NoticeFormat::Pdf => notice::notice_pdf(model, lang),
    }
}

/// Publishes the privacy notice in `lang` as the register says it now: writes the HTML
/// from the register's model and stores both as a new version (audited
/// `notice.published` by the core).
pub fn publish_notice(
    reg: &mut Register,
    lang: Lang,
) -> Result<privreg_core::store::notice::NoticeVersion> {
    let model = reg.notice_model()?;
    let html = notice::notice_html(&model, lang);
    Ok(reg.publish_notice(lang, &html)?)
}

/// Writes the privacy notice to `path` atomically (owner-only) and records the export
/// in the audit log (action `report.created`, fields `["notice", format, lang]`, and
/// `"version:<id>"` for a published version). With `version` `None` it is the notice
/// as the register says it now, in `lang`; with a published version's id it is that
/// version in its own language: the HTML exactly as published, the PDF and the text
/// from the model stored with it.
pub fn export_notice(
    reg: &mut Register,
    lang: Lang,
    format: NoticeFormat,
    version: Option<Id>,
    path: &Path,
) -> Result<Exported> {
    let (lang, bytes) = match version {
        None => {
            let model = reg.notice_model()?;
            (lang, render_notice(&model, lang, format)?)
        }
        Some(id) => {
            let v = reg.notice_version(id)?;
            let bytes = match format {
                NoticeFormat::Html => v.html.clone().into_bytes(),
                other => render_notice(&v.model, v.lang, other)?,
            };
            (v.lang, bytes)
        }
    };
    let stamp = art30::audit_stamp(reg)?;
    let version_field = version.map(|id| format!("version:{id}"));
    let mut fields = vec!["notice", format.code(), lang.code()];
    if let Some(v) = &version_field {
        fields.push(v.as_str());
    }
    write_audited(reg, path, &bytes, &fields, None)?;
    Ok(Exported::new(path, format.code(), lang, &bytes, stamp))
}

// ---------------------------------------------------------------------------------
// The processor's record (Art. 30(2))
// ---------------------------------------------------------------------------------

/// Builds the processor's record (Art. 30(2)) in `lang`: the organisation as processor
/// and every controller it processes personal data for (reads only, not audited: use
/// [`export_processor_record`] to give the record to anyone).
pub fn build_processor_record(reg: &Register, lang: Lang) -> Result<ProcessorRecord> {
    processor_record::build(reg, lang)
}

/// The bytes of the processor's record in `format`, in the record's language.
pub fn render_processor_record(
    record: &ProcessorRecord,
    format: ProcessorRecordFormat,
) -> Result<Vec<u8>> {
    let lang = lang_of(&record.lang);
    match format {
        ProcessorRecordFormat::Json => pretty_json(record),
        ProcessorRecordFormat::Csv => Ok(processor_record::csv(record, lang).into_bytes()),
        ProcessorRecordFormat::Xlsx => processor_record::xlsx(record, lang),
        ProcessorRecordFormat::XlsxDatatilsynet => {
            processor_record::datatilsynet_xlsx(record, lang)
        }
        ProcessorRecordFormat::Pdf => pdf::render(
            pdf::Template::ProcessorRecord,
            &processor_record::template_data(lang, record)?,
            time_of(&record.generated_at),
        ),
    }
}

/// Produces the processor's record (Art. 30(2)) in `format` and `lang`, writes it to
/// `path` atomically (owner-only) and records the export in the audit log (action
/// `report.created`, entity `register`, fields `["processor_record", format, lang]`).
pub fn export_processor_record(
    reg: &mut Register,
    format: ProcessorRecordFormat,
    lang: Lang,
    path: &Path,
) -> Result<Exported> {
    let record = processor_record::build(reg, lang)?;
    let bytes = render_processor_record(&record, format)?;
    write_audited(
        reg,
        path,
        &bytes,
        &["processor_record", format.code(), lang.code()],
        None,
    )?;
    Ok(Exported::new(
        path,
        format.code(),
        lang,
        &bytes,
        record.audit,
    ))
}
