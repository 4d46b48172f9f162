//! The Art. 30 record as an Excel workbook in the layout of the regulators' templates:
//! a block with the controller (Art. 30(1)(a)), the date and the audit stamp above one
//! row per processing activity in the template's column order (see [`crate::table`]),
//! with a frozen header row and filters; a second sheet lists the processors and their
//! data processing agreements. Empty required fields read "MISSING" on a red ground.
//! The breach log ([`breaches`]) has the same header block above one row per breach.
//! Every value is written as a string cell, so nothing in the register can become a
//! formula.

use privreg_core::templates::Lang;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::art30::Art30Report;
use crate::breach::{self, BreachLog};
use crate::labels::label;
use crate::table::{cell, columns};
use crate::ReportError;

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

pub(crate) fn err(e: XlsxError) -> ReportError {
    ReportError::Render(format!("the spreadsheet could not be built: {e}"))
}

pub(crate) fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    f: &Format,
) -> Result<(), ReportError> {
    ws.write_string_with_format(row, col, fit(s), f)
        .map(|_| ())
        .map_err(err)
}

/// The XLSX bytes of an Art. 30 report.
pub fn art30(r: &Art30Report, lang: Lang) -> Result<Vec<u8>, ReportError> {
    let navy = Color::RGB(0x1F3A5F);
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_font_color(navy);
    let bold = Format::new().set_bold();
    let plain = Format::new().set_align(FormatAlign::Top);
    let mono = Format::new().set_font_name("Consolas");
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xDCE3EC))
        .set_border(FormatBorder::Thin);
    let body = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let missing = body
        .clone()
        .set_bold()
        .set_font_color(Color::RGB(0xB00020))
        .set_background_color(Color::RGB(0xFDE7EA));

    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(&r.title)
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
    ws.set_name(match lang {
        Lang::En => "Record",
        Lang::Nb => "Protokoll",
    })
    .map_err(err)?;
    put(ws, 0, 0, &r.title, &title)?;
    let c = &r.controller;
    let organisation = if c.organisation.is_empty() {
        label(lang, "missing").to_string()
    } else {
        c.organisation.clone()
    };
    let contact = |x: &Option<crate::art30::ContactEntry>| {
        x.as_ref()
            .map(|c| {
                [&c.name, &c.email, &c.phone, &c.address]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let mut block: Vec<(&str, String)> = vec![
        (label(lang, "controller_heading"), organisation),
        (label(lang, "org_number"), c.org_number.clone()),
        (
            label(lang, "controller_contact"),
            [&c.address, &c.email, &c.phone, &c.website]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (label(lang, "contact_person"), contact(&c.contact_person)),
        (label(lang, "dpo"), contact(&c.dpo)),
        (label(lang, "representative"), contact(&c.representative)),
        (label(lang, "report_date"), r.generated_on.clone()),
        (label(lang, "audit_head"), r.audit.head_hash.clone()),
        (label(lang, "audit_events"), r.audit.events.to_string()),
    ];
    if let Some(note) = &r.audit.read_only {
        // Made from a damaged register opened read-only (see `AuditStamp::read_only`).
        block.push((
            label(lang, "audit_side_log"),
            format!("{} ({})", note.statement, note.side_log),
        ));
    }
    let mut row = 2u32;
    for (k, v) in &block {
        put(ws, row, 0, k, &bold)?;
        let f = if *k == label(lang, "audit_head") {
            &mono
        } else {
            &plain
        };
        put(ws, row, 1, v, f)?;
        row += 1;
    }
    row += 1;

    let cols = columns();
    let header_row = row;
    for (i, col) in cols.iter().enumerate() {
        put(ws, header_row, i as u16, &col.heading(lang), &head)?;
        ws.set_column_width(i as u16, col.width).map_err(err)?;
    }
    ws.set_row_height(header_row, 45).map_err(err)?;
    for a in &r.activities {
        row += 1;
        for (i, col) in cols.iter().enumerate() {
            let text = cell(lang, col, a, "\n");
            let f = if col.is_missing(a) { &missing } else { &body };
            put(ws, row, i as u16, &text, f)?;
        }
    }
    ws.set_freeze_panes(header_row + 1, 1).map_err(err)?;
    ws.autofilter(header_row, 0, row.max(header_row), cols.len() as u16 - 1)
        .map_err(err)?;

    let ps = wb.add_worksheet();
    ps.set_name(match lang {
        Lang::En => "Processors",
        Lang::Nb => "Databehandlere",
    })
    .map_err(err)?;
    let heads = [
        (label(lang, "name"), 34.0),
        (label(lang, "role"), 28.0),
        (label(lang, "country"), 16.0),
        (label(lang, "dpa_reference"), 60.0),
        (label(lang, "contact"), 34.0),
    ];
    for (i, (h, w)) in heads.iter().enumerate() {
        put(ps, 0, i as u16, h, &head)?;
        ps.set_column_width(i as u16, *w).map_err(err)?;
    }
    for (n, p) in r.processors.iter().enumerate() {
        let row = n as u32 + 1;
        put(ps, row, 0, &p.name, &body)?;
        put(ps, row, 1, &p.role.label, &body)?;
        put(ps, row, 2, &p.country, &body)?;
        if p.dpa_reference.is_empty() {
            put(ps, row, 3, label(lang, "missing"), &missing)?;
        } else {
            put(ps, row, 3, &p.dpa_reference, &body)?;
        }
        put(ps, row, 4, &p.contact, &body)?;
    }
    ps.set_freeze_panes(1, 0).map_err(err)?;

    wb.save_to_buffer().map_err(err)
}

/// The XLSX bytes of the breach log: a block with the controller, the date and the
/// audit stamp above one row per breach in the columns of
/// [`crate::breach::columns`], with a frozen header row and filters. "Not yet chosen"
/// and "Not yet assessed" read as such; every value is a string cell.
pub fn breaches(r: &BreachLog, lang: Lang) -> Result<Vec<u8>, ReportError> {
    let navy = Color::RGB(0x1F3A5F);
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_font_color(navy);
    let bold = Format::new().set_bold();
    let plain = Format::new().set_align(FormatAlign::Top);
    let mono = Format::new().set_font_name("Consolas");
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xDCE3EC))
        .set_border(FormatBorder::Thin);
    let body = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);

    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(&r.title)
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
    ws.set_name(match lang {
        Lang::En => "Breaches",
        Lang::Nb => "Avvik",
    })
    .map_err(err)?;
    put(ws, 0, 0, &r.title, &title)?;
    let c = &r.controller;
    let organisation = if c.organisation.is_empty() {
        label(lang, "missing").to_string()
    } else {
        c.organisation.clone()
    };
    let contact = |x: &Option<crate::art30::ContactEntry>| {
        x.as_ref()
            .map(|c| {
                [&c.name, &c.email, &c.phone, &c.address]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let mut block: Vec<(&str, String)> = vec![
        (label(lang, "controller_heading"), organisation),
        (label(lang, "org_number"), c.org_number.clone()),
        (
            label(lang, "controller_contact"),
            [&c.address, &c.email, &c.phone, &c.website]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (label(lang, "contact_person"), contact(&c.contact_person)),
        (label(lang, "dpo"), contact(&c.dpo)),
        (label(lang, "report_date"), r.generated_on.clone()),
        (label(lang, "audit_head"), r.audit.head_hash.clone()),
        (label(lang, "audit_events"), r.audit.events.to_string()),
    ];
    if let Some(note) = &r.audit.read_only {
        // Made from a damaged register opened read-only (see `AuditStamp::read_only`).
        block.push((
            label(lang, "audit_side_log"),
            format!("{} ({})", note.statement, note.side_log),
        ));
    }
    let mut row = 2u32;
    for (k, v) in &block {
        put(ws, row, 0, k, &bold)?;
        let f = if *k == label(lang, "audit_head") {
            &mono
        } else {
            &plain
        };
        put(ws, row, 1, v, f)?;
        row += 1;
    }
    row += 1;

    let cols = breach::columns();
    let header_row = row;
    for (i, col) in cols.iter().enumerate() {
        put(ws, header_row, i as u16, &col.heading(lang), &head)?;
        ws.set_column_width(i as u16, col.width).map_err(err)?;
    }
    ws.set_row_height(header_row, 45).map_err(err)?;
    for b in &r.breaches {
        row += 1;
        for (i, col) in cols.iter().enumerate() {
            put(ws, row, i as u16, &col.cell(lang, b, "\n"), &body)?;
        }
    }
    ws.set_freeze_panes(header_row + 1, 1).map_err(err)?;
    ws.autofilter(header_row, 0, row.max(header_row), cols.len() as u16 - 1)
        .map_err(err)?;

    wb.save_to_buffer().map_err(err)
}
