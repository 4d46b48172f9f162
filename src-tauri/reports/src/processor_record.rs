//! The processor's record (GDPR Art. 30(2); Datatilsynet: "databehandlerens
//! protokoll"): what a consultancy keeps about the personal data it processes on
//! behalf of its clients. [`build`] makes the model from the register, a pure read;
//! [`crate::render_processor_record`] prints it as PDF (`templates/processor_record.typ`),
//! JSON (`schemas/processor-record.v1.schema.json`), CSV and XLSX (one row per
//! controller, in the columns of [`columns`]) and as XLSX in the layout of
//! Datatilsynet's template for the processor's record ([`datatilsynet_xlsx`], the
//! columns of [`datatilsynet_columns`]).
//!
//! Art. 30(2) asks for (a) the name and contact details of the processor and of each
//! controller it acts for, with their representatives and DPOs; (b) the categories of
//! processing carried out on behalf of each controller; (c) transfers to third
//! countries or international organisations, with the documentation of suitable
//! safeguards for Art. 49(1) second-subparagraph transfers; (d) where possible, a
//! general description of the security measures of Art. 32(1). The processor's own
//! name and contact details are the organisation's controller profile. What an entry
//! lacks is listed in `missing` and printed MISSING / MANGLER.
//!
//! # Datatilsynet's layout
//!
//! Datatilsynet published two spreadsheet templates in 2018, one for the controller's
//! record and one for the processor's ("mal for databehandlers protokoll"), with the
//! mandatory columns coloured orange and the optional ones green. The template file
//! itself could not be retrieved for this program, so its exact column headings are
//! not copied: the layout follows Art. 30(2)'s order, in the words of Datatilsynet's
//! page "Protokoll over behandlingsaktiviteter" (datatilsynet.no, "Databehandlerens
//! protokoll skal inneholde følgende informasjon"), with the mandatory columns (what
//! Art. 30(2) lists) in orange first and the optional ones (what the register adds: the
//! organisation number, the data processing agreement, sub-processors, status, notes)
//! in green after them, and a row above the headings that says which is which.

use std::collections::HashMap;

use chrono::NaiveDate;
use privreg_core::labels::{article, Labelled};
use privreg_core::model::{Contact, Id, StoredClient, Transfer};
use privreg_core::templates::Lang;
use privreg_core::Register;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use serde::Serialize;

use crate::art30::{
    audit_stamp, clean, code_of, ArticleTerm, AuditStamp, ContactEntry, ControllerBlock,
    ProcessorEntry, Term, TransferEntry,
};
use crate::labels::{self, tr};
use crate::{ReportError, Result};

/// `schema` of the processor's record's JSON; see
/// `schemas/processor-record.v1.schema.json`.
pub const SCHEMA: &str = "privreg.processor_record";
/// Bumped when a field is removed or changes meaning; adding a field does not bump it.
pub const SCHEMA_VERSION: u32 = 1;

// ---------------------------------------------------------------------------------
// Labels: (key, English, bokmål). Keys start with `pr_`, so they never clash with
// [`labels::LABELS`]; the template reads both (`L.pr_...`, `L.missing`).
// ---------------------------------------------------------------------------------

/// The processor's record's labels.
pub const LABELS: &[(&str, &str, &str)] = &[
    ("pr_title", "The processor's record of processing activities", "Databehandlers protokoll over behandlingsaktiviteter"),
    ("pr_subtitle", "GDPR Art. 30(2): the categories of processing carried out on behalf of each controller", "Personvernforordningen art. 30 nr. 2: kategoriene av behandling utført på vegne av hver behandlingsansvarlig"),
    ("pr_processor_heading", "The processor", "Databehandleren"),
    ("pr_processor_note", "This organisation, which processes personal data on behalf of the controllers below (Art. 30(2)(a)).", "Virksomheten, som behandler personopplysninger på vegne av de behandlingsansvarlige nedenfor (art. 30 nr. 2 bokstav a)."),
    ("pr_clients_heading", "The controllers we process personal data for", "Behandlingsansvarlige vi behandler personopplysninger for"),
    ("pr_none", "The register holds no controllers that the organisation processes personal data for.", "Registeret har ingen behandlingsansvarlige som virksomheten behandler personopplysninger for."),
    ("pr_controller", "Controller", "Behandlingsansvarlig"),
    ("pr_representative", "Controller's representative in the EU/EEA (Art. 27)", "Behandlingsansvarliges representant i EU/EØS (art. 27)"),
    ("pr_dpo", "Controller's data protection officer", "Behandlingsansvarliges personvernombud"),
    ("pr_dpa", "Data processing agreement", "Databehandleravtale"),
    ("pr_dpa_date", "Date of the data processing agreement", "Dato for databehandleravtalen"),
    ("pr_processing", "Categories of processing carried out on behalf of the controller", "Kategorier av behandling utført på vegne av den behandlingsansvarlige"),
    ("pr_sub_processors", "Sub-processors", "Underdatabehandlere"),
    ("pr_notes", "Notes", "Merknader"),
    ("pr_sub_processors_heading", "Sub-processors engaged for the controllers", "Underdatabehandlere som brukes for de behandlingsansvarlige"),
    ("pr_no_sub_processors", "No sub-processors are engaged for the controllers.", "Ingen underdatabehandlere brukes for de behandlingsansvarlige."),
    ("pr_processor_column", "Processor (this organisation)", "Databehandler (denne virksomheten)"),
    ("pr_ref_a", "Art. 30(2)(a)", "art. 30 nr. 2 bokstav a"),
    ("pr_ref_b", "Art. 30(2)(b)", "art. 30 nr. 2 bokstav b"),
    ("pr_ref_c", "Art. 30(2)(c)", "art. 30 nr. 2 bokstav c"),
    ("pr_ref_d", "Art. 30(2)(d)", "art. 30 nr. 2 bokstav d"),
    ("pr_ref_27", "Art. 27", "art. 27"),
    ("pr_ref_28_2", "Art. 28(2)", "art. 28 nr. 2"),
    ("pr_field_contact_details", "Contact details", "Kontaktopplysninger"),
    ("pr_field_processing", "Categories of processing", "Kategorier av behandling"),
    ("pr_field_security_measures", "Security measures", "Sikkerhetstiltak"),
    ("pr_field_dpa_reference", "Data processing agreement", "Databehandleravtale"),
    // Datatilsynet's layout: Art. 30(2) in Datatilsynet's words.
    ("pr_dt_sheet", "Processor record", "Databehandlers protokoll"),
    ("pr_dt_sub_sheet", "Sub-processors", "Underdatabehandlere"),
    ("pr_dt_mandatory", "Mandatory (Art. 30(2))", "Obligatorisk (art. 30 nr. 2)"),
    ("pr_dt_optional", "Optional", "Valgfritt"),
    ("pr_dt_legend", "Orange columns are mandatory (what Art. 30(2) requires), green columns are optional, as in Datatilsynet's templates.", "Oransje kolonner er obligatoriske (det art. 30 nr. 2 krever), grønne kolonner er valgfrie, som i Datatilsynets maler."),
    ("pr_dt_processor", "Processor: name and contact details", "Databehandler: navn og kontaktopplysninger"),
    ("pr_dt_processor_representative", "The processor's representative", "Databehandlerens representant"),
    ("pr_dt_processor_dpo", "The processor's data protection officer", "Databehandlerens personvernombud"),
    ("pr_dt_name", "Name of the controller on whose behalf the processor acts", "Navn på behandlingsansvarlig som databehandleren opptrer på vegne av"),
    ("pr_dt_contact", "Contact details of the controller", "Kontaktopplysninger til den behandlingsansvarlige"),
    ("pr_dt_representative", "The controller's representative, where relevant", "Den behandlingsansvarliges representant, dersom det er relevant"),
    ("pr_dt_dpo", "The controller's data protection officer, where relevant", "Den behandlingsansvarliges personvernombud, dersom det er relevant"),
    ("pr_dt_processing", "Categories of processing carried out on behalf of the controller", "Kategoriene av behandling utført på vegne av den behandlingsansvarlige"),
    ("pr_dt_transfers", "Transfers of personal data to a third country or an international organisation, and which", "Overføringer av personopplysninger til en tredjestat eller en internasjonal organisasjon, og hvilken"),
    ("pr_dt_safeguards", "Safeguards for the transfers, and for transfers under Art. 49(1) second subparagraph the documentation of suitable safeguards", "Garantier for overføringene, og ved overføringer etter art. 49 nr. 1 annet ledd dokumentasjon på nødvendige garantier"),
    ("pr_dt_security", "General description of the technical and organisational security measures (Art. 32(1))", "Generell beskrivelse av de tekniske og organisatoriske sikkerhetstiltakene (art. 32 nr. 1)"),
    ("pr_dt_org_number", "Organisation number of the controller", "Organisasjonsnummer til den behandlingsansvarlige"),
    ("pr_dt_dpa", "Data processing agreement (Art. 28(3))", "Databehandleravtale (art. 28 nr. 3)"),
    ("pr_dt_dpa_date", "Date of the data processing agreement", "Dato for databehandleravtalen"),
    ("pr_dt_sub_processors", "Sub-processors (Art. 28(2) and (4))", "Underdatabehandlere (art. 28 nr. 2 og 4)"),
    ("pr_dt_status", "Status", "Status"),
    ("pr_dt_notes", "Notes", "Merknader"),
];

/// The label for `key` in `lang`: a processor's record label, else a report label
/// ([`labels::label`]); panics on an unknown key (a programming error caught by the
/// tests).
pub fn label(lang: Lang, key: &str) -> &'static str {
    match LABELS.iter().find(|(k, _, _)| *k == key) {
        Some((_, en, nb)) => tr(lang, (*en, *nb)),
        None => labels::label(lang, key),
    }
}

/// The report labels and the processor's record labels, for the template.
fn dictionary(lang: Lang) -> serde_json::Map<String, serde_json::Value> {
    let mut d = labels::dictionary(lang);
    for (k, en, nb) in LABELS {
        d.insert(
            k.to_string(),
            serde_json::Value::String(tr(lang, (*en, *nb)).to_string()),
        );
    }
    d
}

/// The data the template reads: the model, the labels and the article references.
pub(crate) fn template_data(lang: Lang, report: &ProcessorRecord) -> Result<serde_json::Value> {
    Ok(serde_json::json!({
        "labels": dictionary(lang),
        "articles": labels::article_dictionary(lang),
        "report": serde_json::to_value(report)
            .map_err(|e| ReportError::Render(e.to_string()))?,
    }))
}

/// The name of a field of [`privreg_core::model::REQUIRED_CLIENT_FIELDS`] in `lang`.
pub fn field_name(lang: Lang, field: &str) -> &'static str {
    match field {
        "contact_details" | "processing" | "security_measures" | "dpa_reference" => {
            label(lang, &format!("pr_field_{field}"))
        }
        _ => labels::label(lang, "field"),
    }
}

// ---------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------

/// One controller the organisation processes personal data for, with every Art. 30(2)
/// field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientEntry {
    pub id: Id,
    /// (a)
    pub name: String,
    pub org_number: String,
    /// (a): the controller's contact details.
    pub address: String,
    pub email: String,
    pub phone: String,
    /// (a): its representative (Art. 27) and its DPO, where it has them.
    pub representative: Option<ContactEntry>,
    pub dpo: Option<ContactEntry>,
    /// The data processing agreement (Art. 28(3)): its reference, and when it was made.
    pub dpa_reference: String,
    pub dpa_date: Option<NaiveDate>,
    /// (b)
    pub processing: Vec<String>,
    /// The processors engaged as sub-processors for it (Art. 28(2), (4)).
    pub sub_processors: Vec<ProcessorEntry>,
    /// (c)
    pub transfers: Vec<TransferEntry>,
    /// (d)
    pub security_measures: Vec<String>,
    pub status: Term,
    pub notes: String,
    /// What the entry lacks: codes of `REQUIRED_CLIENT_FIELDS` (`contact_details`,
    /// `processing`, `security_measures`, `dpa_reference`).
    pub missing: Vec<String>,
}

/// The processor's record: the processor, each controller it acts for, and the
/// sub-processors engaged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessorRecord {
    pub schema: String,
    pub schema_version: u32,
    /// `en` or `nb`.
    pub lang: String,
    pub title: String,
    /// When it was produced, RFC 3339 in UTC.
    pub generated_at: String,
    /// The date in words in the report's language.
    pub generated_on: String,
    /// (a): the processor, this organisation (its controller profile), with its DPO
    /// and representative.
    pub processor: ControllerBlock,
    /// The controllers, active ones first, each group by name.
    pub clients: Vec<ClientEntry>,
    /// Every processor engaged as a sub-processor for any of them, once, by name.
    pub sub_processors: Vec<ProcessorEntry>,
    pub audit: AuditStamp,
}

fn contact_entry(c: &Option<Contact>) -> Option<ContactEntry> {
    let c = c.as_ref().filter(|c| !c.is_empty())?;
    Some(ContactEntry {
        name: c.name.trim().to_string(),
        email: c.email.trim().to_string(),
        phone: c.phone.trim().to_string(),
        address: c.address.trim().to_string(),
    })
}

fn transfer_entries(lang: Lang, transfers: &[Transfer]) -> Vec<TransferEntry> {
    transfers
        .iter()
        .map(|t| TransferEntry {
            country: t.country.trim().to_string(),
            recipient: t.recipient.trim().to_string(),
            safeguard: ArticleTerm {
                code: code_of(&t.safeguard),
                article: t.safeguard.article().to_string(),
                label: t.safeguard.label(lang).to_string(),
            },
            documentation: t.documentation.trim().to_string(),
        })
        .collect()
}

fn client_entry(
    lang: Lang,
    s: &StoredClient,
    processors: &HashMap<Id, ProcessorEntry>,
) -> ClientEntry {
    let c = &s.client;
    ClientEntry {
        id: s.id,
        name: c.name.trim().to_string(),
        org_number: c.org_number.trim().to_string(),
        address: c.address.trim().to_string(),
        email: c.email.trim().to_string(),
        phone: c.phone.trim().to_string(),
        representative: contact_entry(&c.representative),
        dpo: contact_entry(&c.dpo),
        dpa_reference: c.dpa_reference.trim().to_string(),
        dpa_date: c.dpa_date,
        processing: clean(&c.processing),
        sub_processors: c
            .sub_processor_ids
            .iter()
            .filter_map(|id| processors.get(id).cloned())
            .collect(),
        transfers: transfer_entries(lang, &c.transfers),
        security_measures: clean(&c.security_measures),
        status: Term {
            code: code_of(&c.status),
            label: c.status.label(lang).to_string(),
        },
        notes: c.notes.trim().to_string(),
        missing: c.missing_fields().into_iter().map(String::from).collect(),
    }
}

/// Builds the processor's record from the register, in `lang`. Reads only; the audit
/// event for producing it is written by [`crate::export_processor_record`].
pub fn build(reg: &Register, lang: Lang) -> Result<ProcessorRecord> {
    let now = reg.clock().now();
    let processors: Vec<ProcessorEntry> = reg
        .processors()?
        .iter()
        .map(|p| ProcessorEntry::from(lang, p))
        .collect();
    let by_id: HashMap<Id, ProcessorEntry> = processors.iter().map(|p| (p.id, p.clone())).collect();
    let mut clients: Vec<ClientEntry> = reg
        .clients()?
        .iter()
        .map(|c| client_entry(lang, c, &by_id))
        .collect();
    // Active ones first; the register gives each group by name (a stable sort).
    clients.sort_by_key(|c| c.status.code != "active");
    let sub_processors = processors
        .into_iter()
        .filter(|p| {
            clients
                .iter()
                .any(|c| c.sub_processors.iter().any(|s| s.id == p.id))
        })
        .collect();
    Ok(ProcessorRecord {
        schema: SCHEMA.to_string(),
        schema_version: SCHEMA_VERSION,
        lang: lang.code().to_string(),
        title: label(lang, "pr_title").to_string(),
        generated_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        generated_on: labels::date(lang, now.date_naive()),
        processor: ControllerBlock::from(lang, reg.controller()?.as_ref()),
        clients,
        sub_processors,
        audit: audit_stamp(reg)?,
    })
}

// ---------------------------------------------------------------------------------
// Columns: one row per controller
// ---------------------------------------------------------------------------------

/// A column of the CSV and the XLSX sheets: its heading (a label key, with the article
/// it answers), whether Art. 30(2) requires it, and how to fill it.
pub struct Column {
    pub key: &'static str,
    /// The article in English style, added to the heading; empty for none.
    pub article: &'static str,
    /// A mandatory column of Datatilsynet's layout (what Art. 30(2) lists).
    pub mandatory: bool,
    /// The code in `ClientEntry::missing` whose emptiness prints MISSING.
    pub required: Option<&'static str>,
    /// Width in characters for XLSX.
    pub width: f64,
    value: fn(Lang, &ClientEntry) -> Vec<String>,
}

impl Column {
    /// The heading in `lang`: "Categories of processing ... (Art. 30(2)(b))".
    pub fn heading(&self, lang: Lang) -> String {
        if self.article.is_empty() {
            label(lang, self.key).to_string()
        } else {
            format!(
                "{} ({})",
                label(lang, self.key),
                article(lang, self.article)
            )
        }
    }

    /// True when this required field is empty in `c`.
    pub fn is_missing(&self, c: &ClientEntry) -> bool {
        self.required
            .is_some_and(|f| c.missing.iter().any(|m| m == f))
    }

    /// The cell: its lines joined with `sep`, or MISSING for an empty required field.
    pub fn cell(&self, lang: Lang, c: &ClientEntry, sep: &str) -> String {
        if self.is_missing(c) {
            return labels::label(lang, "missing").to_string();
        }
        (self.value)(lang, c).join(sep)
    }
}

fn one(s: &str) -> Vec<String> {
    if s.trim().is_empty() {
        Vec::new()
    } else {
        vec![s.to_string()]
    }
}

/// "Name, e-mail, phone, address".
fn contact_line(c: &Option<ContactEntry>) -> Vec<String> {
    c.iter()
        .map(|c| {
            [&c.name, &c.email, &c.phone, &c.address]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect()
}

/// The contact, or "None" where there is none (the column is asked "where relevant").
fn contact_or_none(lang: Lang, c: &Option<ContactEntry>) -> Vec<String> {
    match c {
        Some(_) => contact_line(c),
        None => vec![labels::label(lang, "none").to_string()],
    }
}

fn contact_details(c: &ClientEntry) -> Vec<String> {
    [&c.address, &c.email, &c.phone]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect()
}

fn sub_processors(lang: Lang, c: &ClientEntry) -> Vec<String> {
    c.sub_processors
        .iter()
        .map(|p| {
            let mut s = p.name.clone();
            if !p.country.is_empty() {
                s.push_str(&format!(" ({})", p.country));
            }
            let dpa = if p.dpa_reference.is_empty() {
                labels::label(lang, "missing")
            } else {
                &p.dpa_reference
            };
            format!("{s}: {dpa}")
        })
        .collect()
}

fn transfers(lang: Lang, c: &ClientEntry) -> Vec<String> {
    if c.transfers.is_empty() {
        return vec![labels::label(lang, "none").to_string()];
    }
    c.transfers
        .iter()
        .map(|t| {
            if t.recipient.is_empty() {
                t.country.clone()
            } else {
                format!("{}: {}", t.country, t.recipient)
            }
        })
        .collect()
}

fn safeguards(lang: Lang, c: &ClientEntry) -> Vec<String> {
    c.transfers
        .iter()
        .map(|t| {
            let mut s = format!(
                "{} ({})",
                t.safeguard.label,
                article(lang, &t.safeguard.article)
            );
            if !t.documentation.is_empty() {
                s.push_str(&format!(": {}", t.documentation));
            }
            s
        })
        .collect()
}

macro_rules! col {
    ($key:literal, $art:literal, $mandatory:literal, $req:expr, $w:literal, $f:expr) => {
        Column {
            key: $key,
            article: $art,
            mandatory: $mandatory,
            required: $req,
            width: $w,
            value: $f,
        }
    };
}

/// The columns of the CSV and of the XLSX in the register's own layout, in Art.
/// 30(2)'s order with the data processing agreement beside the controller.
pub fn columns() -> Vec<Column> {
    vec![
        col!(
            "pr_controller",
            "Art. 30(2)(a)",
            true,
            None,
            28.0,
            |_, c| vec![c.name.clone()]
        ),
        col!("org_number", "", false, None, 16.0, |_, c| one(
            &c.org_number
        )),
        col!(
            "controller_contact",
            "Art. 30(2)(a)",
            true,
            Some("contact_details"),
            34.0,
            |_, c| { contact_details(c) }
        ),
        col!("pr_representative", "", true, None, 28.0, |_, c| {
            contact_line(&c.representative)
        }),
        col!("pr_dpo", "Art. 30(2)(a)", true, None, 28.0, |_, c| {
            contact_line(&c.dpo)
        }),
        col!(
            "pr_dpa",
            "Art. 28(3)",
            false,
            Some("dpa_reference"),
            28.0,
            |_, c| one(&c.dpa_reference)
        ),
        col!("pr_dpa_date", "", false, None, 14.0, |_, c| {
            c.dpa_date.iter().map(|d| d.to_string()).collect()
        }),
        col!(
            "pr_processing",
            "Art. 30(2)(b)",
            true,
            Some("processing"),
            40.0,
            |_, c| { c.processing.clone() }
        ),
        col!(
            "pr_sub_processors",
            "Art. 28(2)",
            false,
            None,
            36.0,
            sub_processors
        ),
        col!("transfers", "Art. 30(2)(c)", true, None, 30.0, transfers),
        col!(
            "transfer_safeguards",
            "Art. 30(2)(c)",
            true,
            None,
            40.0,
            safeguards
        ),
        col!(
            "security_measures",
            "Art. 30(2)(d)",
            true,
            Some("security_measures"),
            40.0,
            |_, c| { c.security_measures.clone() }
        ),
        col!("status", "", false, None, 12.0, |_, c| vec![c
            .status
            .label
            .clone()]),
        col!("pr_notes", "", false, None, 30.0, |_, c| one(&c.notes)),
        col!("missing_fields", "", false, None, 28.0, |l, c| {
            c.missing
                .iter()
                .map(|f| field_name(l, f).to_string())
                .collect()
        }),
    ]
}

/// The columns of Datatilsynet's layout of the processor's record, in order: first the
/// mandatory ones (Art. 30(2)(a)-(d), in the article's order and Datatilsynet's
/// words), then the optional ones. See the module documentation for the source.
pub fn datatilsynet_columns() -> Vec<Column> {
    vec![
        col!("pr_dt_name", "", true, None, 30.0, |_, c| vec![c
            .name
            .clone()]),
        col!(
            "pr_dt_contact",
            "",
            true,
            Some("contact_details"),
            34.0,
            |_, c| contact_details(c)
        ),
        col!("pr_dt_representative", "", true, None, 30.0, |l, c| {
            contact_or_none(l, &c.representative)
        }),
        col!("pr_dt_dpo", "", true, None, 30.0, |l, c| contact_or_none(
            l, &c.dpo
        )),
        col!(
            "pr_dt_processing",
            "",
            true,
            Some("processing"),
            44.0,
            |_, c| c.processing.clone()
        ),
        col!("pr_dt_transfers", "", true, None, 34.0, transfers),
        col!("pr_dt_safeguards", "", true, None, 44.0, safeguards),
        col!(
            "pr_dt_security",
            "",
            true,
            Some("security_measures"),
            44.0,
            |_, c| { c.security_measures.clone() }
        ),
        col!("pr_dt_org_number", "", false, None, 18.0, |_, c| one(
            &c.org_number
        )),
        col!(
            "pr_dt_dpa",
            "",
            false,
            Some("dpa_reference"),
            30.0,
            |_, c| one(&c.dpa_reference)
        ),
        col!("pr_dt_dpa_date", "", false, None, 16.0, |_, c| {
            c.dpa_date.iter().map(|d| d.to_string()).collect()
        }),
        col!(
            "pr_dt_sub_processors",
            "",
            false,
            None,
            36.0,
            sub_processors
        ),
        col!("pr_dt_status", "", false, None, 12.0, |_, c| vec![c
            .status
            .label
            .clone()]),
        col!("pr_dt_notes", "", false, None, 30.0, |_, c| one(&c.notes)),
    ]
}

/// The processor (this organisation) on one line: "Name, org. no., address, e-mail,
/// phone", or MISSING.
fn processor_line(lang: Lang, r: &ProcessorRecord) -> String {
    if r.processor.organisation.is_empty() {
        labels::label(lang, "missing").to_string()
    } else {
        r.processor.one_line()
    }
}

/// Columns only CSV carries (it has no header block): the processor, the date and the
/// audit stamp, repeated on every row.
pub fn trailer_headings(lang: Lang) -> [String; 4] {
    [
        label(lang, "pr_processor_column").to_string(),
        labels::label(lang, "report_date").to_string(),
        labels::label(lang, "audit_head").to_string(),
        labels::label(lang, "audit_events").to_string(),
    ]
}

pub fn trailer(lang: Lang, r: &ProcessorRecord) -> [String; 4] {
    [
        processor_line(lang, r),
        r.generated_at.clone(),
        r.audit.head_hash.clone(),
        r.audit.events.to_string(),
    ]
}

/// The CSV text: one row per controller in the columns of [`columns`], headed in the
/// record's language, with the processor, the date and the audit stamp on every row;
/// lists inside a cell are separated by "; ". UTF-8 with a byte-order mark, formulas
/// defused, as every CSV of the reports ([`crate::csv`]).
pub fn csv(r: &ProcessorRecord, lang: Lang) -> String {
    let cols = columns();
    let mut w = crate::csv::writer("\u{feff}");
    let headings: Vec<String> = cols
        .iter()
        .map(|c| c.heading(lang))
        .chain(trailer_headings(lang))
        .collect();
    crate::csv::row(&headings, &mut w);
    let trailer = trailer(lang, r);
    for c in &r.clients {
        let cells: Vec<String> = cols
            .iter()
            .map(|col| col.cell(lang, c, "; "))
            .chain(trailer.iter().cloned())
            .collect();
        crate::csv::row(&cells, &mut w);
    }
    crate::csv::finish(w)
}

// ---------------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------------

/// Excel's limit for one cell's text.
const MAX_CELL: usize = 32_000;

fn fit(s: &str) -> String {
    if s.chars().count() <= MAX_CELL {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_CELL).collect();
        t.push('…');
        t
    }
}

fn err(e: XlsxError) -> ReportError {
    ReportError::Render(format!("the spreadsheet could not be built: {e}"))
}

fn put(ws: &mut Worksheet, row: u32, col: u16, s: &str, f: &Format) -> Result<()> {
    ws.write_string_with_format(row, col, fit(s), f)
        .map(|_| ())
        .map_err(err)
}

/// The formats of both layouts.
struct Formats {
    title: Format,
    bold: Format,
    plain: Format,
    mono: Format,
    head: Format,
    body: Format,
    missing: Format,
}

impl Formats {
    fn new() -> Formats {
        let body = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_font_color(Color::RGB(0x1F3A5F)),
            bold: Format::new().set_bold(),
            plain: Format::new().set_align(FormatAlign::Top).set_text_wrap(),
            mono: Format::new().set_font_name("Consolas"),
            head: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xDCE3EC))
                .set_border(FormatBorder::Thin),
            missing: body
                .clone()
                .set_bold()
                .set_font_color(Color::RGB(0xB00020))
                .set_background_color(Color::RGB(0xFDE7EA)),
            body,
        }
    }
}

fn workbook(r: &ProcessorRecord, lang: Lang) -> Workbook {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(&r.title)
            .set_company(&r.processor.organisation)
            .set_comment(format!(
                "{}: {} ({} {})",
                labels::label(lang, "audit_head"),
                r.audit.head_hash,
                r.audit.events,
                labels::label(lang, "audit_events").to_lowercase()
            )),
    );
    wb
}

/// The block above the rows: label and value pairs from `row`; returns the next free
/// row.
fn header_block(
    ws: &mut Worksheet,
    f: &Formats,
    mut row: u32,
    pairs: &[(&str, String, bool)],
) -> Result<u32> {
    for (k, v, mono) in pairs {
        put(ws, row, 0, k, &f.bold)?;
        put(ws, row, 1, v, if *mono { &f.mono } else { &f.plain })?;
        row += 1;
    }
    Ok(row)
}

fn contact_text(c: &Option<ContactEntry>) -> String {
    contact_line(c).join("")
}

/// The rows of `cols` from `header_row`, with a frozen header and filters.
fn rows(
    ws: &mut Worksheet,
    f: &Formats,
    lang: Lang,
    r: &ProcessorRecord,
    cols: &[Column],
    header_row: u32,
    head_format: &dyn Fn(&Column) -> Format,
) -> Result<()> {
    for (i, col) in cols.iter().enumerate() {
        put(
            ws,
            header_row,
            i as u16,
            &col.heading(lang),
            &head_format(col),
        )?;
        ws.set_column_width(i as u16, col.width).map_err(err)?;
    }
    ws.set_row_height(header_row, 60).map_err(err)?;
    let mut row = header_row;
    for c in &r.clients {
        row += 1;
        for (i, col) in cols.iter().enumerate() {
            let text = col.cell(lang, c, "\n");
            let format = if col.is_missing(c) {
                &f.missing
            } else {
                &f.body
            };
            put(ws, row, i as u16, &text, format)?;
        }
    }
    ws.set_freeze_panes(header_row + 1, 1).map_err(err)?;
    ws.autofilter(header_row, 0, row.max(header_row), cols.len() as u16 - 1)
        .map_err(err)?;
    Ok(())
}

/// The sub-processors on a sheet of their own, with the controllers each is engaged
/// for.
fn sub_processor_sheet(
    wb: &mut Workbook,
    f: &Formats,
    lang: Lang,
    r: &ProcessorRecord,
) -> Result<()> {
    let ps = wb.add_worksheet();
    ps.set_name(label(lang, "pr_dt_sub_sheet")).map_err(err)?;
    let heads = [
        (labels::label(lang, "name"), 34.0),
        (labels::label(lang, "role"), 28.0),
        (labels::label(lang, "country"), 16.0),
        (labels::label(lang, "dpa_reference"), 50.0),
        (label(lang, "pr_controller"), 40.0),
    ];
    for (i, (h, w)) in heads.iter().enumerate() {
        put(ps, 0, i as u16, h, &f.head)?;
        ps.set_column_width(i as u16, *w).map_err(err)?;
    }
    for (n, p) in r.sub_processors.iter().enumerate() {
        let row = n as u32 + 1;
        put(ps, row, 0, &p.name, &f.body)?;
        put(ps, row, 1, &p.role.label, &f.body)?;
        put(ps, row, 2, &p.country, &f.body)?;
        if p.dpa_reference.is_empty() {
            put(ps, row, 3, labels::label(lang, "missing"), &f.missing)?;
        } else {
            put(ps, row, 3, &p.dpa_reference, &f.body)?;
        }
        let users: Vec<&str> = r
            .clients
            .iter()
            .filter(|c| c.sub_processors.iter().any(|s| s.id == p.id))
            .map(|c| c.name.as_str())
            .collect();
        put(ps, row, 4, &users.join("\n"), &f.body)?;
    }
    ps.set_freeze_panes(1, 0).map_err(err)?;
    Ok(())
}

/// The XLSX bytes in the register's own layout: the processor (Art. 30(2)(a)), the
/// date and the audit stamp above one row per controller in the columns of
/// [`columns`]; a second sheet lists the sub-processors. Every value is a string cell.
pub fn xlsx(r: &ProcessorRecord, lang: Lang) -> Result<Vec<u8>> {
    let f = Formats::new();
    let mut wb = workbook(r, lang);
    let ws = wb.add_worksheet();
    ws.set_name(tr(lang, ("Processor's record", "Protokoll")))
        .map_err(err)?;
    put(ws, 0, 0, &r.title, &f.title)?;
    let p = &r.processor;
    let row = header_block(
        ws,
        &f,
        2,
        &[
            (
                label(lang, "pr_processor_heading"),
                processor_line(lang, r),
                false,
            ),
            (labels::label(lang, "dpo"), contact_text(&p.dpo), false),
            (
                labels::label(lang, "representative"),
                contact_text(&p.representative),
                false,
            ),
            (
                labels::label(lang, "report_date"),
                r.generated_on.clone(),
                false,
            ),
            (
                labels::label(lang, "audit_head"),
                r.audit.head_hash.clone(),
                true,
            ),
            (
                labels::label(lang, "audit_events"),
                r.audit.events.to_string(),
                false,
            ),
        ],
    )?;
    let head = f.head.clone();
    rows(ws, &f, lang, r, &columns(), row + 1, &|_: &Column| {
        head.clone()
    })?;
    sub_processor_sheet(&mut wb, &f, lang, r)?;
    wb.save_to_buffer().map_err(err)
}

/// The row above the headings of Datatilsynet's layout, which says which columns are
/// mandatory: its 0-based number. The headings are on the row after it.
pub const DATATILSYNET_MARK_ROW: u32 = 8;

/// The XLSX bytes in the layout of Datatilsynet's template for the processor's record
/// (see the module documentation): the processor's name and contact details, its
/// representative and DPO (Art. 30(2)(a)) at the top, then one row per controller in
/// the columns of [`datatilsynet_columns`], mandatory headings orange and optional ones
/// green, with a row above them that says which is which. A second sheet lists the
/// sub-processors.
pub fn datatilsynet_xlsx(r: &ProcessorRecord, lang: Lang) -> Result<Vec<u8>> {
    let f = Formats::new();
    let orange = Color::RGB(0xF4B183);
    let green = Color::RGB(0xA9D08E);
    let mut wb = workbook(r, lang);
    let ws = wb.add_worksheet();
    ws.set_name(label(lang, "pr_dt_sheet")).map_err(err)?;
    put(ws, 0, 0, &r.title, &f.title)?;
    let p = &r.processor;
    let next = header_block(
        ws,
        &f,
        2,
        &[
            (
                label(lang, "pr_dt_processor"),
                processor_line(lang, r),
                false,
            ),
            (
                label(lang, "pr_dt_processor_representative"),
                contact_text(&p.representative),
                false,
            ),
            (
                label(lang, "pr_dt_processor_dpo"),
                contact_text(&p.dpo),
                false,
            ),
            (
                labels::label(lang, "report_date"),
                r.generated_on.clone(),
                false,
            ),
            (
                labels::label(lang, "audit_head"),
                r.audit.head_hash.clone(),
                true,
            ),
        ],
    )?;
    put(ws, next, 0, label(lang, "pr_dt_legend"), &f.plain)?;
    debug_assert!(next < DATATILSYNET_MARK_ROW);
    let cols = datatilsynet_columns();
    let colour = |c: &Column| if c.mandatory { orange } else { green };
    for (i, col) in cols.iter().enumerate() {
        let mark = if col.mandatory {
            label(lang, "pr_dt_mandatory")
        } else {
            label(lang, "pr_dt_optional")
        };
        let format = Format::new()
            .set_italic()
            .set_border(FormatBorder::Thin)
            .set_background_color(colour(col));
        put(ws, DATATILSYNET_MARK_ROW, i as u16, mark, &format)?;
    }
    let head = f.head.clone();
    rows(
        ws,
        &f,
        lang,
        r,
        &cols,
        DATATILSYNET_MARK_ROW + 1,
        &|c: &Column| head.clone().set_background_color(colour(c)),
    )?;
    sub_processor_sheet(&mut wb, &f, lang, r)?;
    wb.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_have_both_languages_unique_keys_and_the_one_article_style() {
        let mut seen = std::collections::HashSet::new();
        for (k, en, nb) in LABELS {
            assert!(k.starts_with("pr_"), "{k}");
            assert!(seen.insert(*k), "{k} twice");
            assert!(!en.trim().is_empty() && !nb.trim().is_empty(), "{k}");
            assert!(
                !labels::LABELS.iter().any(|(r, _, _)| r == k),
                "{k} is also a report label"
            );
            let english_brackets = nb
                .match_indices("art. ")
                .any(|(i, _)| nb[i + 5..].split(' ').next().unwrap_or("").contains('('));
            assert!(
                !nb.contains("Art. ") && !nb.contains("artikkel") && !english_brackets,
                "{k}: {nb}"
            );
        }
        for (k, en, nb) in LABELS.iter().filter(|(k, _, _)| k.starts_with("pr_ref_")) {
            assert_eq!(*nb, article(Lang::Nb, en), "{k}");
        }
    }

    #[test]
    fn every_label_the_template_or_a_column_uses_exists() {
        let template = include_str!("../templates/processor_record.typ");
        for (i, _) in template.match_indices("L.") {
            let key: String = template[i + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if key.is_empty() || key == "at" {
                continue;
            }
            let known = LABELS.iter().any(|(k, _, _)| *k == key)
                || labels::LABELS.iter().any(|(k, _, _)| *k == key);
            assert!(known, "the template uses an unknown label {key}");
        }
        for lang in [Lang::En, Lang::Nb] {
            for c in columns().iter().chain(datatilsynet_columns().iter()) {
                assert!(!c.heading(lang).is_empty());
            }
            for f in privreg_core::model::REQUIRED_CLIENT_FIELDS {
                assert_ne!(field_name(lang, f), labels::label(lang, "field"), "{f}");
            }
        }
    }

    #[test]
    fn the_datatilsynet_layout_has_the_mandatory_columns_first_in_art_30_2_order() {
        let cols = datatilsynet_columns();
        let first_optional = cols.iter().position(|c| !c.mandatory).unwrap();
        assert!(cols[first_optional..].iter().all(|c| !c.mandatory));
        let mandatory: Vec<&str> = cols[..first_optional].iter().map(|c| c.key).collect();
        assert_eq!(
            mandatory,
            [
                "pr_dt_name",
                "pr_dt_contact",
                "pr_dt_representative",
                "pr_dt_dpo",
                "pr_dt_processing",
                "pr_dt_transfers",
                "pr_dt_safeguards",
                "pr_dt_security",
            ]
        );
    }
}
