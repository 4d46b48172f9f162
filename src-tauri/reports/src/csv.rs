//! The Art. 30 record as CSV: RFC 4180 (comma, CRLF, quotes doubled), UTF-8 with a
//! byte-order mark so that spreadsheet programs read æ, ø and å. One row per activity
//! in the regulators' column order (see [`crate::table`]); the controller, the date and
//! the audit stamp repeat on every row, as CSV has nowhere else to put them.
//!
//! A cell that a spreadsheet would take for a formula (starting with `=`, `+`, `-`,
//! `@`, tab or carriage return) gets a leading `'`, so a hostile activity name cannot
//! run anything when the file is opened.

use privreg_core::templates::Lang;

use crate::art30::Art30Report;
use crate::table::{self, cell, columns};

fn quote(field: &str, out: &mut String) {
    let neutral = match field.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{field}"),
        _ => field.to_string(),
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&neutral.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&neutral);
    }
}

fn row<S: AsRef<str>>(fields: impl IntoIterator<Item = S>, out: &mut String) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        quote(f.as_ref(), out);
    }
    out.push_str("\r\n");
}

/// The CSV text of an Art. 30 report; lists inside a cell are separated by "; ".
pub fn art30(r: &Art30Report, lang: Lang) -> String {
    let cols = columns();
    let mut out = String::from("\u{feff}");
    let headings: Vec<String> = cols
        .iter()
        .map(|c| c.heading(lang))
        .chain(table::trailer_headings(lang))
        .collect();
    row(&headings, &mut out);
    let trailer = table::trailer(lang, r);
    for a in &r.activities {
        let cells: Vec<String> = cols
            .iter()
            .map(|c| cell(lang, c, a, "; "))
            .chain(trailer.iter().cloned())
            .collect();
        row(&cells, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180_and_defuses_formulas() {
        let mut out = String::new();
        row(
            [
                "plain",
                "a,b",
                "say \"hi\"",
                "two\nlines",
                "=HYPERLINK(\"x\")",
                "@x $y$",
            ],
            &mut out,
        );
        assert_eq!(
            out,
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=HYPERLINK(\"\"x\"\")\",'@x $y$\r\n"
        );
    }
}
