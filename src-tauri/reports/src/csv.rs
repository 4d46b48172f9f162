//! The Art. 30 record and the breach log as CSV: RFC 4180 (comma, CRLF, quotes
//! doubled), UTF-8 with a byte-order mark so that spreadsheet programs read æ, ø and å.
//! One row per activity in the regulators' column order (see [`crate::table`]), or one
//! row per breach (see [`crate::breach::columns`]); the controller, the date and the
//! audit stamp repeat on every row, as CSV has nowhere else to put them. A report made
//! from a damaged register opened read-only ends with a line saying so.
//!
//! A cell that a spreadsheet would take for a formula (starting with `=`, `+`, `-`,
//! `@`, tab or carriage return) gets a leading `'`, so a hostile activity name cannot
//! run anything when the file is opened.

use privreg_core::templates::Lang;

use crate::art30::Art30Report;
use crate::breach::{self, BreachLog};
use crate::table::{self, cell, columns};

/// A cell a spreadsheet would take for a formula, with a leading `'`.
fn neutral(field: &str) -> std::borrow::Cow<'_, str> {
    match field.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{field}").into(),
        _ => field.into(),
    }
}

/// A writer of RFC 4180 rows after `start` (the `csv` crate: a field is quoted when it
/// holds a comma, a quote or a line break, and its quotes are doubled; rows end in CRLF).
pub(crate) fn writer(start: &str) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(start.as_bytes().to_vec())
}

pub(crate) fn row<S: AsRef<str>>(
    fields: impl IntoIterator<Item = S>,
    w: &mut csv::Writer<Vec<u8>>,
) {
    w.write_record(fields.into_iter().map(|f| neutral(f.as_ref()).into_owned()))
        .expect("writing CSV to memory cannot fail");
}

pub(crate) fn finish(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("the fields were text")
}

/// A report made from a damaged register opened read-only says so in a last line: the
/// statement and the side log that records the export (see `AuditStamp::read_only`).
fn read_only_line(audit: &crate::art30::AuditStamp, w: &mut csv::Writer<Vec<u8>>) {
    if let Some(note) = &audit.read_only {
        row([note.statement.as_str(), note.side_log.as_str()], w);
    }
}

/// The CSV text of an Art. 30 report; lists inside a cell are separated by "; ".
pub fn art30(r: &Art30Report, lang: Lang) -> String {
    let cols = columns();
    let mut w = writer("\u{feff}");
    let headings: Vec<String> = cols
        .iter()
        .map(|c| c.heading(lang))
        .chain(table::trailer_headings(lang))
        .collect();
    row(&headings, &mut w);
    let trailer = table::trailer(lang, r);
    for a in &r.activities {
        let cells: Vec<String> = cols
            .iter()
            .map(|c| cell(lang, c, a, "; "))
            .chain(trailer.iter().cloned())
            .collect();
        row(&cells, &mut w);
    }
    read_only_line(&r.audit, &mut w);
    finish(w)
}

/// The CSV text of the breach log: one row per breach in the columns of
/// [`crate::breach::columns`], headed in the log's language, with the controller, the
/// date and the audit stamp on every row; lists inside a cell are separated by "; ".
pub fn breaches(r: &BreachLog, lang: Lang) -> String {
    let cols = breach::columns();
    let mut w = writer("\u{feff}");
    let headings: Vec<String> = cols
        .iter()
        .map(|c| c.heading(lang))
        .chain(breach::trailer_headings(lang))
        .collect();
    row(&headings, &mut w);
    let trailer = breach::trailer(lang, r);
    for b in &r.breaches {
        let cells: Vec<String> = cols
            .iter()
            .map(|c| c.cell(lang, b, "; "))
            .chain(trailer.iter().cloned())
            .collect();
        row(&cells, &mut w);
    }
    read_only_line(&r.audit, &mut w);
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180_and_defuses_formulas() {
        let mut w = writer("");
        row(
            [
                "plain",
                "a,b",
                "say \"hi\"",
                "two\nlines",
                "=HYPERLINK(\"x\")",
                "@x $y$",
                "",
                "-1",
            ],
            &mut w,
        );
        assert_eq!(
            finish(w),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=HYPERLINK(\"\"x\"\")\",'@x $y$,,'-1\r\n"
        );
    }
}
