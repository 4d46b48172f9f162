//! The Art. 30 record as one row per activity, in the column order of the regulators'
//! spreadsheet templates (the UK ICO's controller template, which Datatilsynet's
//! "protokoll over behandlingsaktiviteter" follows closely): business function,
//! purpose, joint controllers, individuals, data, recipients, processor contracts,
//! third countries, safeguards, retention, security; then the lawful basis columns
//! and the rest. CSV and XLSX both print these columns.

use privreg_core::templates::Lang;

use crate::art30::{ActivityEntry, Art30Report};
use privreg_core::labels::article;

use crate::labels::label;

/// A column: its heading (label key), the Art. 30(1) point it answers, and whether it
/// is a required field whose emptiness is shown as missing.
pub struct Column {
    pub key: &'static str,
    pub article: &'static str,
    /// The name in `Activity::missing_fields`, when the column is a required field.
    pub required: Option<&'static str>,
    /// Width in characters for XLSX.
    pub width: f64,
    value: fn(Lang, &ActivityEntry) -> Vec<String>,
}

impl Column {
    /// The heading with its article: "Purposes of the processing (Art. 30(1)(b))".
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

    /// The cell's lines; empty when the field is empty.
    pub fn lines(&self, lang: Lang, a: &ActivityEntry) -> Vec<String> {
        (self.value)(lang, a)
    }

    /// True when this required field is empty in `a`.
    pub fn is_missing(&self, a: &ActivityEntry) -> bool {
        self.required
            .is_some_and(|f| a.missing.iter().any(|m| m == f))
    }
}

fn one(s: &str) -> Vec<String> {
    if s.trim().is_empty() {
        Vec::new()
    } else {
        vec![s.to_string()]
    }
}

fn yes_no(lang: Lang, b: bool) -> Vec<String> {
    vec![label(lang, if b { "yes" } else { "no" }).to_string()]
}

/// `lines`, with "Proposal — to be confirmed" after them while the answer with this
/// proposal code is unconfirmed.
fn proposed(lang: Lang, a: &ActivityEntry, code: &str, mut lines: Vec<String>) -> Vec<String> {
    if a.is_proposed(code) {
        lines.push(format!("({})", label(lang, "proposal_unconfirmed")));
    }
    lines
}

macro_rules! col {
    ($key:literal, $art:literal, $req:expr, $w:literal, $f:expr) => {
        Column {
            key: $key,
            article: $art,
            required: $req,
            width: $w,
            value: $f,
        }
    };
}

/// The columns, in order.
pub fn columns() -> Vec<Column> {
    vec![
        col!("activity", "", None, 28.0, |_, a| vec![a.name.clone()]),
        col!("owner", "", None, 18.0, |_, a| one(&a.owner)),
        col!(
            "purposes",
            "Art. 30(1)(b)",
            Some("purposes"),
            40.0,
            |_, a| a.purposes.clone()
        ),
        col!("joint_controllers", "Art. 30(1)(a)", None, 28.0, |_, a| {
            a.joint_controllers
                .iter()
                .map(|j| {
                    let mut s = j.name.clone();
                    if let Some(c) = &j.contact {
                        let parts: Vec<&str> = [&c.name, &c.email, &c.phone, &c.address]
                            .iter()
                            .filter(|x| !x.is_empty())
                            .map(|x| x.as_str())
                            .collect();
                        if !parts.is_empty() {
                            s.push_str(&format!(" ({})", parts.join(", ")));
                        }
                    }
                    if !j.responsibilities.is_empty() {
                        s.push_str(&format!(": {}", j.responsibilities));
                    }
                    s
                })
                .collect()
        }),
        col!(
            "subject_categories",
            "Art. 30(1)(c)",
            Some("subject_categories"),
            30.0,
            |_, a| { a.subject_categories.clone() }
        ),
        col!(
            "data_categories",
            "Art. 30(1)(c)",
            Some("data_categories"),
            34.0,
            |l, a| {
                a.data_categories
                    .iter()
                    .map(|c| {
                        if !c.sensitive {
                            c.name.clone()
                        } else if c.group.code == "criminal" {
                            format!("{} ({})", c.name, label(l, "criminal"))
                        } else {
                            format!("{} ({})", c.name, label(l, "sensitive"))
                        }
                    })
                    .collect()
            }
        ),
        col!(
            "recipients",
            "Art. 30(1)(d)",
            Some("recipients"),
            34.0,
            |_, a| a.recipients.clone()
        ),
        col!("processors", "", None, 40.0, |l, a| {
            a.processors
                .iter()
                .map(|p| {
                    let mut s = p.name.clone();
                    if !p.country.is_empty() {
                        s.push_str(&format!(" ({})", p.country));
                    }
                    let dpa = if p.dpa_reference.is_empty() {
                        label(l, "missing")
                    } else {
                        &p.dpa_reference
                    };
                    format!("{s}: {dpa}")
                })
                .collect()
        }),
        col!("transfers", "Art. 30(1)(e)", None, 30.0, |_, a| {
            a.transfers
                .iter()
                .map(|t| {
                    if t.recipient.is_empty() {
                        t.country.clone()
                    } else {
                        format!("{}: {}", t.country, t.recipient)
                    }
                })
                .collect()
        }),
        col!(
            "transfer_safeguards",
            "Art. 30(1)(e)",
            None,
            40.0,
            |l, a| {
                a.transfers
                    .iter()
                    .map(|t| {
                        let mut s = format!(
                            "{} ({})",
                            t.safeguard.label,
                            article(l, &t.safeguard.article)
                        );
                        if !t.documentation.is_empty() {
                            s.push_str(&format!(": {}", t.documentation));
                        }
                        s
                    })
                    .collect()
            }
        ),
        col!("retention", "Art. 30(1)(f)", None, 44.0, |l, a| {
            let mut v = one(&a.retention_summary);
            v.extend(a.retention_rules.iter().cloned());
            proposed(l, a, "retention", v)
        }),
        col!(
            "security_measures",
            "Art. 30(1)(g)",
            Some("security_measures"),
            40.0,
            |_, a| { a.security_measures.clone() }
        ),
        col!("legal_bases", "", Some("legal_bases"), 26.0, |l, a| {
            a.legal_bases
                .iter()
                .map(|b| format!("{} ({})", b.label, article(l, &b.article)))
                .collect()
        }),
        col!("art9_condition", "", None, 24.0, |l, a| {
            a.art9_condition
                .iter()
                .map(|c| format!("{} ({})", c.label, article(l, &c.article)))
                .collect()
        }),
        col!("legitimate_interest", "", None, 34.0, |_, a| one(
            &a.legitimate_interest
        )),
        col!(
            "lia_reference",
            "",
            None,
            20.0,
            |_, a| one(&a.lia_reference)
        ),
        col!("source", "", None, 24.0, |_, a| one(&a.source)),
        col!("systems", "", None, 24.0, |_, a| a.systems.clone()),
        col!("consent_record", "", None, 20.0, |_, a| one(
            &a.consent_record
        )),
        col!("rights_available", "", None, 26.0, |_, a| a
            .rights_available
            .clone()),
        col!("automated_decisions", "", None, 24.0, |l, a| proposed(
            l,
            a,
            "automated_decisions",
            one(&a.automated_decisions)
        )),
        col!("direct_marketing", "", None, 12.0, |l, a| yes_no(
            l,
            a.direct_marketing
        )),
        col!("dpia", "", None, 18.0, |l, a| proposed(
            l,
            a,
            "dpia",
            vec![a.dpia.label.clone()]
        )),
        col!("dpia_reference", "", None, 18.0, |_, a| one(
            &a.dpia_reference
        )),
        col!("status", "", None, 12.0, |_, a| vec![a
            .status
            .label
            .clone()]),
        col!("last_reviewed", "", None, 14.0, |_, a| {
            a.last_reviewed.iter().map(|d| d.to_string()).collect()
        }),
        col!("missing_fields", "", None, 28.0, |l, a| {
            a.missing
                .iter()
                .map(|f| crate::labels::field_name(l, f).to_string())
                .collect()
        }),
    ]
}

/// The text of a cell: the lines joined with `sep`, or "MISSING" for an empty required
/// field.
pub fn cell(lang: Lang, col: &Column, a: &ActivityEntry, sep: &str) -> String {
    if col.is_missing(a) {
        return label(lang, "missing").to_string();
    }
    col.lines(lang, a).join(sep)
}

/// Columns only CSV carries (it has no header block): the controller, the date and the
/// audit stamp, repeated on every row.
pub fn trailer_headings(lang: Lang) -> [String; 4] {
    [
        label(lang, "controller_column").to_string(),
        label(lang, "report_date").to_string(),
        label(lang, "audit_head").to_string(),
        label(lang, "audit_events").to_string(),
    ]
}

pub fn trailer(lang: Lang, r: &Art30Report) -> [String; 4] {
    let controller = if r.controller.organisation.is_empty() {
        label(lang, "missing").to_string()
    } else {
        r.controller.one_line()
    };
    [
        controller,
        r.generated_at.clone(),
        r.audit.head_hash.clone(),
        r.audit.events.to_string(),
    ]
}
