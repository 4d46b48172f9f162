//! The record of processing activities (Art. 30(1)) as XLSX in the layouts of two
//! regulators' spreadsheet templates, so that a person who knows the template finds
//! each answer where the template puts it:
//!
//! - [`datatilsynet`]: Datatilsynet's template for the controller's record ("protokoll
//!   over behandlingsaktiviteter", behandlingsansvarlig). Datatilsynet publishes it as
//!   an Excel sheet whose orange columns are mandatory and green columns optional. The
//!   headings are Norwegian; the template has no English version, so they stay
//!   Norwegian in both languages (the cells are in the language chosen for the report).
//! - [`ico`]: the UK ICO's "documentation template for controllers", sheet `Template`:
//!   the controller, DPO and representative block in rows 1-6 and the 30 headings of
//!   row 9 (columns A-AD), in English in both languages. Its Notes sheet marks the
//!   headings required by Article 30 (or by Schedule 1 of the UK Data Protection Act
//!   2018) green and the optional ones blue.
//!
//! Which version of each template the layout follows, and where it had to be
//! reconstructed, is written down in the README (Reports). Each column's mark
//! (mandatory / optional) is printed in the row above the headings as well as by its
//! colour, so it survives printing in black and white and can be read back.
//!
//! A mandatory cell is never left blank: it holds the answer, "None" where having none
//! is an answer (no joint controller, no transfer), or "MISSING" on a red ground, as in
//! every other format of the record. Every value is a string cell.

use privreg_core::templates::Lang;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use crate::art30::{ActivityEntry, Art30Report, ContactEntry};
use crate::labels::label;
use crate::table;
use crate::xlsx::{err, put};
use crate::ReportError;

/// How a template marks a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Datatilsynet's orange columns, the ICO's green ones.
    Required,
    /// Datatilsynet's green columns, the ICO's blue ones.
    Optional,
}

/// What an empty cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WhenEmpty {
    /// "MISSING": the record must answer this.
    Missing,
    /// "None": having none is the answer (no joint controller, no transfer).
    None,
    /// Left blank (optional columns).
    Blank,
}

/// One column of a template.
pub struct LayoutColumn {
    /// The template's heading, in the template's language.
    pub heading: &'static str,
    pub need: Need,
    /// The name in `Activity::missing_fields` when the register requires the field:
    /// such a cell reads "MISSING" while the field is empty, whatever the template's
    /// mark (nothing is left out silently).
    required_field: Option<&'static str>,
    when_empty: WhenEmpty,
    width: f64,
    value: fn(Lang, &ActivityEntry) -> Vec<String>,
}

/// A cell's text and whether it says the answer is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub missing: bool,
}

impl LayoutColumn {
    /// The cell of activity `a` in this column, in `lang`: the lines of the answer, one
    /// a line, or what an empty cell says.
    pub fn cell(&self, lang: Lang, a: &ActivityEntry) -> Cell {
        let missing = || Cell {
            text: label(lang, "missing").to_string(),
            missing: true,
        };
        if self
            .required_field
            .is_some_and(|f| a.missing.iter().any(|m| m == f))
        {
            return missing();
        }
        let lines = (self.value)(lang, a);
        if !lines.is_empty() {
            return Cell {
                text: lines.join("\n"),
                missing: false,
            };
        }
        match self.when_empty {
            WhenEmpty::Missing => missing(),
            WhenEmpty::None => Cell {
                text: label(lang, "none").to_string(),
                missing: false,
            },
            WhenEmpty::Blank => Cell {
                text: String::new(),
                missing: false,
            },
        }
    }
}

/// A template's layout: its sheet, the rows above the table and its columns.
pub struct Layout {
    /// `datatilsynet` or `ico`.
    pub key: &'static str,
    /// The worksheet's name.
    pub sheet: &'static str,
    /// The workbook's title (document properties).
    pub title: &'static str,
    /// The 0-based row of the headings; the row above holds each column's mark and the
    /// activities follow, one a row.
    pub header_row: u32,
    /// The mark printed above a required and an optional column.
    pub marks: (&'static str, &'static str),
    /// Heading colours of required and optional columns.
    colours: (u32, u32),
    /// Writes the rows above the marks: the controller (Art. 30(1)(a)), the date, the
    /// audit stamp and the legend.
    block: fn(&mut Worksheet, &Art30Report, Lang, &Formats) -> Result<(), ReportError>,
    pub columns: Vec<LayoutColumn>,
}

/// The formats a layout writes with.
struct Formats {
    title: Format,
    bold: Format,
    plain: Format,
    mono: Format,
    legend: Format,
    body: Format,
    missing: Format,
}

/// The lines of one of the record's table columns ([`table::columns`]), so that both
/// layouts print an answer the way the other formats do.
fn lines_of(key: &str, lang: Lang, a: &ActivityEntry) -> Vec<String> {
    table::columns()
        .iter()
        .find(|c| c.key == key)
        .map(|c| c.lines(lang, a))
        .unwrap_or_else(|| panic!("no table column {key}"))
}

fn one(s: &str) -> Vec<String> {
    if s.trim().is_empty() {
        Vec::new()
    } else {
        vec![s.to_string()]
    }
}

/// Art. 30(1)(d): the categories of recipients; where only processors are recorded,
/// the processors by name and role.
fn recipients(_: Lang, a: &ActivityEntry) -> Vec<String> {
    if !a.recipients.is_empty() {
        return a.recipients.clone();
    }
    a.processors
        .iter()
        .map(|p| format!("{} ({})", p.name, p.role.label))
        .collect()
}

/// Whether the activity holds special categories (Art. 9) or criminal offence data
/// (Art. 10): the data the UK's Schedule 1 columns are about.
fn sensitive(a: &ActivityEntry) -> bool {
    a.data_categories.iter().any(|c| c.sensitive)
}

fn contact_line(c: &Option<ContactEntry>) -> String {
    c.as_ref()
        .map(|c| {
            [&c.name, &c.email, &c.phone, &c.address]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

macro_rules! column {
    ($heading:literal, $need:ident, $req:expr, $empty:ident, $w:literal, $f:expr) => {
        LayoutColumn {
            heading: $heading,
            need: Need::$need,
            required_field: $req,
            when_empty: WhenEmpty::$empty,
            width: $w,
            value: $f,
        }
    };
}

// ---------------------------------------------------------------------------------
// Datatilsynet
// ---------------------------------------------------------------------------------

/// Datatilsynet's template for the controller's record: the Art. 30(1) points in the
/// order Datatilsynet lists them, as the mandatory (orange) columns, then the optional
/// (green) ones. Headings in Norwegian (the template's only language).
pub fn datatilsynet() -> Layout {
    Layout {
        key: "datatilsynet",
        sheet: "Behandlingsansvarlig",
        title: "Protokoll over behandlingsaktiviteter – behandlingsansvarlig",
        header_row: 14,
        marks: ("Obligatorisk", "Valgfri"),
        colours: (0xF4B183, 0xA9D08E),
        block: datatilsynet_block,
        columns: vec![
            column!("Behandlingsaktivitet", Required, None, Missing, 30.0, |_, a| {
                vec![a.name.clone()]
            }),
            // Art. 30(1)(a)
            column!(
                "Felles behandlingsansvarlig (navn og kontaktopplysninger)",
                Required,
                None,
                None,
                30.0,
                |l, a| lines_of("joint_controllers", l, a)
            ),
            // Art. 30(1)(b)
            column!(
                "Formålet med behandlingen",
                Required,
                Some("purposes"),
                Missing,
                40.0,
                |_, a| a.purposes.clone()
            ),
            // Art. 30(1)(c)
            column!(
                "Kategorier av registrerte",
                Required,
                Some("subject_categories"),
                Missing,
                30.0,
                |_, a| a.subject_categories.clone()
            ),
            column!(
                "Kategorier av personopplysninger",
                Required,
                Some("data_categories"),
                Missing,
                34.0,
                |l, a| lines_of("data_categories", l, a)
            ),
            // Art. 30(1)(d)
            column!(
                "Kategorier av mottakere (også mottakere i tredjestater eller internasjonale organisasjoner)",
                Required,
                Some("recipients"),
                Missing,
                34.0,
                recipients
            ),
            // Art. 30(1)(e)
            column!(
                "Overføring til tredjestat eller internasjonal organisasjon",
                Required,
                None,
                None,
                30.0,
                |l, a| lines_of("transfers", l, a)
            ),
            column!(
                "Garantier ved overføring (og dokumentasjon ved overføring etter art. 49 nr. 1 annet ledd)",
                Required,
                None,
                None,
                40.0,
                |l, a| lines_of("transfer_safeguards", l, a)
            ),
            // Art. 30(1)(f)
            column!(
                "Planlagte tidsfrister for sletting",
                Required,
                None,
                Missing,
                44.0,
                |l, a| lines_of("retention", l, a)
            ),
            // Art. 30(1)(g)
            column!(
                "Generell beskrivelse av tekniske og organisatoriske sikkerhetstiltak (art. 32 nr. 1)",
                Required,
                Some("security_measures"),
                Missing,
                40.0,
                |_, a| a.security_measures.clone()
            ),
            column!(
                "Behandlingsgrunnlag (art. 6 nr. 1)",
                Optional,
                Some("legal_bases"),
                Blank,
                26.0,
                |l, a| lines_of("legal_bases", l, a)
            ),
            column!(
                "Unntak for behandling av særlige kategorier av personopplysninger (art. 9 nr. 2)",
                Optional,
                None,
                Blank,
                24.0,
                |l, a| lines_of("art9_condition", l, a)
            ),
            column!(
                "Berettiget interesse og interesseavveining",
                Optional,
                None,
                Blank,
                34.0,
                |_, a| {
                    let mut v = one(&a.legitimate_interest);
                    v.extend(one(&a.lia_reference));
                    v
                }
            ),
            column!(
                "Kilde til personopplysningene",
                Optional,
                None,
                Blank,
                24.0,
                |_, a| one(&a.source)
            ),
            column!(
                "Systemer der opplysningene behandles",
                Optional,
                None,
                Blank,
                24.0,
                |_, a| a.systems.clone()
            ),
            column!(
                "Databehandlere og databehandleravtaler (art. 28 nr. 3)",
                Optional,
                None,
                Blank,
                40.0,
                |l, a| lines_of("processors", l, a)
            ),
            column!("Ansvarlig enhet", Optional, None, Blank, 18.0, |_, a| one(
                &a.owner
            )),
            column!(
                "Automatiserte avgjørelser og profilering (art. 22)",
                Optional,
                None,
                Blank,
                24.0,
                |l, a| lines_of("automated_decisions", l, a)
            ),
            column!(
                "Vurdering av personvernkonsekvenser, DPIA (art. 35)",
                Optional,
                None,
                Blank,
                22.0,
                |l, a| {
                    let mut v = lines_of("dpia", l, a);
                    v.extend(one(&a.dpia_reference));
                    v
                }
            ),
            column!(
                "De registrertes rettigheter",
                Optional,
                None,
                Blank,
                26.0,
                |_, a| a.rights_available.clone()
            ),
            column!("Status", Optional, None, Blank, 12.0, |_, a| vec![a
                .status
                .label
                .clone()]),
            column!("Sist gjennomgått", Optional, None, Blank, 14.0, |_, a| {
                a.last_reviewed.iter().map(|d| d.to_string()).collect()
            }),
        ],
    }
}

fn datatilsynet_block(
    ws: &mut Worksheet,
    r: &Art30Report,
    lang: Lang,
    f: &Formats,
) -> Result<(), ReportError> {
    let nb = Lang::Nb;
    let c = &r.controller;
    let join = |parts: &[&String]| {
        parts
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    put(
        ws,
        0,
        0,
        "Protokoll over behandlingsaktiviteter – behandlingsansvarlig",
        &f.title,
    )?;
    let organisation = if c.organisation.is_empty() {
        label(lang, "missing").to_string()
    } else {
        c.organisation.clone()
    };
    // Art. 30(1)(a): the controller, its representative and the DPO.
    let rows: [(&str, String); 9] = [
        (
            "Behandlingsansvarlig (art. 30 nr. 1 bokstav a)",
            organisation,
        ),
        ("Organisasjonsnummer", c.org_number.clone()),
        (
            "Kontaktopplysninger",
            join(&[&c.address, &c.email, &c.phone, &c.website]),
        ),
        ("Kontaktperson", contact_line(&c.contact_person)),
        ("Personvernombud", contact_line(&c.dpo)),
        ("Representant", contact_line(&c.representative)),
        ("Dato", r.generated_on.clone()),
        (label(nb, "audit_head"), r.audit.head_hash.clone()),
        (label(nb, "audit_events"), r.audit.events.to_string()),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        let row = 2 + i as u32;
        put(ws, row, 0, k, &f.bold)?;
        put(ws, row, 1, v, if i == 7 { &f.mono } else { &f.plain })?;
    }
    put(
        ws,
        12,
        0,
        "Kolonnene følger Datatilsynets mal for protokoll over behandlingsaktiviteter for behandlingsansvarlig: oransje kolonner er obligatoriske, grønne kolonner er valgfrie.",
        &f.legend,
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// ICO
// ---------------------------------------------------------------------------------

/// "Not applicable" without special category or criminal offence data; with it, what
/// `with` gives ("Not stated" where the register does not hold the UK-only answer).
fn schedule1(lang: Lang, a: &ActivityEntry, with: Vec<String>) -> Vec<String> {
    if sensitive(a) {
        with
    } else {
        vec![label(lang, "not_applicable").to_string()]
    }
}

fn not_stated(lang: Lang) -> Vec<String> {
    vec![label(lang, "not_stated").to_string()]
}

/// The ICO's documentation template for controllers, sheet `Template`: its 30 headings
/// of row 9 in order, verbatim. Green (required): the Article 30 columns and the
/// Schedule 1 columns of the Data Protection Act 2018; blue (optional): the rest.
pub fn ico() -> Layout {
    Layout {
        key: "ico",
        sheet: "Template",
        title: "Documentation template for controllers",
        header_row: 8,
        marks: ("Required", "Optional"),
        colours: (0xC6E0B4, 0xBDD7EE),
        block: ico_block,
        columns: vec![
            column!("Business function", Optional, None, Blank, 28.0, |_, a| {
                vec![if a.owner.is_empty() {
                    a.name.clone()
                } else {
                    format!("{} – {}", a.owner, a.name)
                }]
            }),
            column!(
                "Purpose of processing",
                Required,
                Some("purposes"),
                Missing,
                40.0,
                |_, a| a.purposes.clone()
            ),
            column!(
                "Name and contact details of joint controller (if applicable)",
                Required,
                None,
                None,
                30.0,
                |l, a| lines_of("joint_controllers", l, a)
            ),
            column!(
                "Categories of individuals",
                Required,
                Some("subject_categories"),
                Missing,
                30.0,
                |_, a| a.subject_categories.clone()
            ),
            column!(
                "Categories of personal data",
                Required,
                Some("data_categories"),
                Missing,
                34.0,
                |l, a| lines_of("data_categories", l, a)
            ),
            column!(
                "Categories of recipients",
                Required,
                Some("recipients"),
                Missing,
                34.0,
                recipients
            ),
            column!(
                "Link to contract with processor",
                Optional,
                None,
                Blank,
                40.0,
                |l, a| lines_of("processors", l, a)
            ),
            column!(
                "Names of third countries or international organisations that personal data are transferred to (if applicable)",
                Required,
                None,
                None,
                30.0,
                |l, a| lines_of("transfers", l, a)
            ),
            column!(
                "Safeguards for exceptional transfers of personal data to third countries or international organisations (if applicable)",
                Required,
                None,
                None,
                40.0,
                |l, a| lines_of("transfer_safeguards", l, a)
            ),
            column!(
                "Retention schedule (if possible)",
                Required,
                None,
                Missing,
                44.0,
                |l, a| lines_of("retention", l, a)
            ),
            column!(
                "General description of technical and organisational security measures (if possible)",
                Required,
                Some("security_measures"),
                Missing,
                40.0,
                |_, a| a.security_measures.clone()
            ),
            column!(
                "Article 6 lawful basis for processing personal data",
                Optional,
                Some("legal_bases"),
                Blank,
                26.0,
                |l, a| lines_of("legal_bases", l, a)
            ),
            column!(
                "Article 9 condition for processing special category data",
                Optional,
                None,
                Blank,
                24.0,
                |l, a| lines_of("art9_condition", l, a)
            ),
            column!(
                "Legitimate interests for the processing (if applicable)",
                Optional,
                None,
                Blank,
                34.0,
                |_, a| one(&a.legitimate_interest)
            ),
            column!(
                "Link to record of legitimate interests assessment (if applicable)",
                Optional,
                None,
                Blank,
                20.0,
                |_, a| one(&a.lia_reference)
            ),
            column!(
                "Rights available to individuals",
                Optional,
                None,
                Blank,
                26.0,
                |_, a| a.rights_available.clone()
            ),
            column!(
                "Existence of automated decision-making, including profiling (if applicable)",
                Optional,
                None,
                Blank,
                24.0,
                |l, a| lines_of("automated_decisions", l, a)
            ),
            column!(
                "The source of the personal data (if applicable)",
                Optional,
                None,
                Blank,
                24.0,
                |_, a| one(&a.source)
            ),
            column!(
                "Link to record of consent",
                Optional,
                None,
                Blank,
                20.0,
                |_, a| one(&a.consent_record)
            ),
            column!(
                "Location of personal data",
                Optional,
                None,
                Blank,
                24.0,
                |_, a| a.systems.clone()
            ),
            column!(
                "Data Protection Impact Assessment required?",
                Optional,
                None,
                Blank,
                18.0,
                |l, a| {
                    let answer = match a.dpia.code.as_str() {
                        "not_needed" => label(l, "no").to_string(),
                        "needed" | "done" => label(l, "yes").to_string(),
                        _ => a.dpia.label.clone(),
                    };
                    let mut v = vec![answer];
                    if a.is_proposed("dpia") {
                        v.push(format!("({})", label(l, "proposal_unconfirmed")));
                    }
                    v
                }
            ),
            column!(
                "Data Protection Impact Assessment progress",
                Optional,
                None,
                Blank,
                18.0,
                |_, a| match a.dpia.code.as_str() {
                    "needed" | "done" => vec![a.dpia.label.clone()],
                    _ => Vec::new(),
                }
            ),
            column!(
                "Link to Data Protection Impact Assessment",
                Optional,
                None,
                Blank,
                18.0,
                |_, a| one(&a.dpia_reference)
            ),
            // The breach log is kept per breach, not per activity (Art. 33(5)): these two
            // stay blank here; the breach log has the answers.
            column!(
                "Has a personal data breach occurred?",
                Optional,
                None,
                Blank,
                16.0,
                |_, _| Vec::new()
            ),
            column!(
                "Link to record of personal data breach",
                Optional,
                None,
                Blank,
                16.0,
                |_, _| Vec::new()
            ),
            // Schedule 1 of the UK Data Protection Act 2018, for special category and
            // criminal offence data; the register holds no UK-only answers.
            column!(
                "Data Protection Act 2018 Schedule 1 Condition for processing",
                Required,
                None,
                Blank,
                24.0,
                |l, a| schedule1(l, a, not_stated(l))
            ),
            column!(
                "GDPR Article 6 lawful basis for processing",
                Required,
                None,
                Blank,
                26.0,
                |l, a| schedule1(l, a, lines_of("legal_bases", l, a))
            ),
            column!(
                "Link to retention and erasure policy document",
                Required,
                None,
                Blank,
                22.0,
                |l, a| schedule1(l, a, not_stated(l))
            ),
            column!(
                "Is personal data retained and erased in accordance with the policy document?",
                Required,
                None,
                Blank,
                22.0,
                |l, a| schedule1(l, a, not_stated(l))
            ),
            column!(
                "Reasons for not adhering to policy document (if applicable)",
                Required,
                None,
                Blank,
                22.0,
                |l, a| schedule1(l, a, not_stated(l))
            ),
        ],
    }
}

fn ico_block(
    ws: &mut Worksheet,
    r: &Art30Report,
    lang: Lang,
    f: &Formats,
) -> Result<(), ReportError> {
    let c = &r.controller;
    let organisation = if c.organisation.is_empty() {
        label(lang, "missing").to_string()
    } else {
        c.organisation.clone()
    };
    let person = |p: &Option<ContactEntry>| -> [String; 4] {
        match p {
            Some(p) => [
                p.name.clone(),
                p.address.clone(),
                p.email.clone(),
                p.phone.clone(),
            ],
            None => Default::default(),
        }
    };
    // Rows 1-6 of the template: the contact block (Art. 30(1)(a)).
    for (i, h) in ["Name", "Address", "Email", "Telephone"].iter().enumerate() {
        put(ws, 0, 1 + i as u16, h, &f.bold)?;
    }
    let rows: [(&str, [String; 4]); 3] = [
        (
            "Controller",
            [
                organisation,
                c.address.clone(),
                c.email.clone(),
                c.phone.clone(),
            ],
        ),
        ("Data Protection Officer", person(&c.dpo)),
        ("Representative", person(&c.representative)),
    ];
    for (i, (k, values)) in rows.iter().enumerate() {
        let row = 1 + i as u32;
        put(ws, row, 0, k, &f.bold)?;
        for (j, v) in values.iter().enumerate() {
            put(ws, row, 1 + j as u16, v, &f.plain)?;
        }
    }
    put(ws, 4, 0, "Date", &f.bold)?;
    put(ws, 4, 1, &r.generated_on, &f.plain)?;
    put(ws, 5, 0, label(Lang::En, "audit_head"), &f.bold)?;
    put(
        ws,
        5,
        1,
        &format!(
            "{} ({} {})",
            r.audit.head_hash,
            r.audit.events,
            label(Lang::En, "audit_events").to_lowercase()
        ),
        &f.mono,
    )?;
    put(
        ws,
        6,
        0,
        "Layout of the ICO's documentation template for controllers. Green headings are required (Article 30; the Schedule 1 columns where the Data Protection Act 2018 applies to special category or criminal offence data); blue headings are optional.",
        &f.legend,
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------

/// The XLSX bytes of the record in `layout`: the block above, the row of marks, the
/// headings coloured as the template colours them, then one row per activity, with a
/// frozen header and filters.
pub fn render(layout: &Layout, r: &Art30Report, lang: Lang) -> Result<Vec<u8>, ReportError> {
    let head = |rgb: u32| {
        Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color(Color::RGB(rgb))
            .set_border(FormatBorder::Thin)
    };
    let body = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let formats = Formats {
        title: Format::new()
            .set_bold()
            .set_font_size(16)
            .set_font_color(Color::RGB(0x1F3A5F)),
        bold: Format::new().set_bold(),
        plain: Format::new().set_align(FormatAlign::Top),
        mono: Format::new().set_font_name("Consolas"),
        legend: Format::new().set_italic(),
        missing: body
            .clone()
            .set_bold()
            .set_font_color(Color::RGB(0xB00020))
            .set_background_color(Color::RGB(0xFDE7EA)),
        body,
    };
    let required_head = head(layout.colours.0);
    let optional_head = head(layout.colours.1);

    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(layout.title)
            .set_company(&r.controller.organisation)
            .set_comment(format!(
                "{}: {} ({} {})",
                label(lang, "audit_head"),
                r.audit.head_hash,
                r.audit.events,
                label(lang, "audit_events").to_lowercase()
            )),
    );
    let ws = wb.add_worksheet();
    ws.set_name(layout.sheet).map_err(err)?;
    (layout.block)(&mut *ws, r, lang, &formats)?;

    let header = layout.header_row;
    for (i, col) in layout.columns.iter().enumerate() {
        let (mark, f) = match col.need {
            Need::Required => (layout.marks.0, &required_head),
            Need::Optional => (layout.marks.1, &optional_head),
        };
        put(ws, header - 1, i as u16, mark, f)?;
        put(ws, header, i as u16, col.heading, f)?;
        ws.set_column_width(i as u16, col.width).map_err(err)?;
    }
    ws.set_row_height(header, 60).map_err(err)?;
    let mut row = header;
    for a in &r.activities {
        row += 1;
        for (i, col) in layout.columns.iter().enumerate() {
            let cell = col.cell(lang, a);
            let f = if cell.missing {
                &formats.missing
            } else {
                &formats.body
            };
            put(ws, row, i as u16, &cell.text, f)?;
        }
    }
    ws.set_freeze_panes(header + 1, 1).map_err(err)?;
    ws.autofilter(header, 0, row, layout.columns.len() as u16 - 1)
        .map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use privreg_core::model::Activity;
    use privreg_core::{FixedClock, Register};

    use super::*;

    #[test]
    fn a_mandatory_cell_is_never_blank_even_for_an_empty_draft() {
        let dir = tempfile::tempdir().unwrap();
        let mut reg = Register::create_unencrypted(
            &dir.path().join("t.privreg"),
            Arc::new(FixedClock::at("2026-05-12T09:30:00Z")),
        )
        .unwrap();
        reg.add_activity(&Activity {
            name: "Utkast".into(),
            ..Default::default()
        })
        .unwrap();
        let report = crate::art30::build(&reg, Lang::Nb).unwrap();
        let draft = &report.activities[0];
        for layout in [datatilsynet(), ico()] {
            for col in &layout.columns {
                let cell = col.cell(Lang::Nb, draft);
                if col.need == Need::Required {
                    assert!(!cell.text.is_empty(), "{}: {}", layout.key, col.heading);
                }
            }
            // The purposes are required by Art. 30(1)(b): "MANGLER".
            let purposes = layout
                .columns
                .iter()
                .find(|c| c.required_field == Some("purposes"))
                .unwrap();
            assert_eq!(purposes.cell(Lang::Nb, draft).text, "MANGLER");
            assert!(purposes.cell(Lang::Nb, draft).missing);
        }
        assert_eq!(ico().columns.len(), 30, "columns A to AD");
    }
}
