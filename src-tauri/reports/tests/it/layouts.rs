//! The record of processing activities in the regulators' layouts and as DPV JSON-LD,
//! checked the way another program reads them: the XLSX files are opened with a
//! spreadsheet reader (calamine) and read cell by cell, and the JSON-LD is expanded by a
//! real JSON-LD processor (pyld, Debian's python3-pyld) and checked in its expanded form.

use std::io::Cursor;
use std::process::Command;
use std::sync::Arc;

use calamine::{open_workbook_from_rs, Reader, Xlsx};
use privreg_core::labels::Labelled;
use privreg_core::model::*;
use privreg_core::templates::{self, Lang};
use privreg_core::{FixedClock, Register};
use privreg_reports::*;
use serde_json::Value;

use super::common::keep;

/// A name a spreadsheet would run as a formula and a JSON-LD reader would take for
/// structure, were it not written as a plain value.
const HOSTILE: &str =
    "=HYPERLINK(\"http://x.example\",\"y\") \"@id\": \"_:controller\", \"@context\": {}";

struct Fixture {
    _dir: tempfile::TempDir,
    reg: Register,
}

/// A register in `lang` with the seed organisations' activities (approved, their
/// processors linked), a copy of one with a hostile name, and with `draft` an activity
/// with nothing but its name.
fn fixture(lang: Lang, draft: bool) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create_unencrypted(
        &dir.path().join("layouts.privreg"),
        Arc::new(FixedClock::at("2026-05-12T09:30:00Z")),
    )
    .unwrap();
    reg.set_actor("layout-tester");
    reg.set_controller(&Controller {
        organisation: "Fjordlys Rådgivning AS".into(),
        org_number: "999 888 777".into(),
        address: "Strandkaien 1, 5013 Bergen".into(),
        email: "personvern@fjordlys.example.no".into(),
        phone: "+47 55 00 00 00".into(),
        dpo: Some(Contact {
            name: "Åse Personvern".into(),
            email: "ombud@fjordlys.example.no".into(),
            ..Default::default()
        }),
        ..Default::default()
    })
    .unwrap();
    let mut pids = std::collections::HashMap::new();
    for (key, p) in templates::processors(lang) {
        pids.insert(key, reg.add_processor(&p).unwrap().id);
    }
    for t in templates::list(lang) {
        let mut a = templates::activity(t.key, lang).unwrap();
        a.processor_ids = templates::template_processors(t.key)
            .iter()
            .map(|k| pids[k])
            .collect();
        a.status = ActivityStatus::Approved;
        a.last_reviewed = Some(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        reg.add_activity(&a).unwrap();
    }
    let mut hostile = templates::activity("contact_form", lang).unwrap();
    hostile.name = HOSTILE.into();
    reg.add_activity(&hostile).unwrap();
    if draft {
        reg.add_activity(&Activity {
            name: "Ufullstendig utkast".into(),
            ..Default::default()
        })
        .unwrap();
    }
    Fixture { _dir: dir, reg }
}

fn label(lang: Lang, key: &str) -> &'static str {
    labels::label(lang, key)
}

/// The workbook's only sheet, `sheet`, as text cell by cell (a spreadsheet program's
/// reading of it), after checking that no cell holds a formula.
fn read_sheet(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("the workbook opens");
    assert_eq!(wb.sheet_names(), vec![sheet.to_string()]);
    let formulas = wb.worksheet_formula(sheet).expect("the sheet's formulas");
    assert!(
        formulas.rows().flatten().all(|f| f.is_empty()),
        "a cell holds a formula"
    );
    let range = wb.worksheet_range(sheet).expect("the sheet");
    let (rows, cols) = range.end().expect("the sheet is not empty");
    (0..=rows)
        .map(|r| {
            (0..=cols)
                .map(|c| {
                    range
                        .get_value((r, c))
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                })
                .collect::<Vec<String>>()
        })
        .collect()
}

/// What both layouts promise: the headings in the template's order with the mark
/// above each, then every activity as one row, in order, every mandatory cell filled
/// and every cell what the layout says it is.
fn check_layout(
    lang: Lang,
    report: &Art30Report,
    layout: &layouts::Layout,
    rows: &[Vec<String>],
    name_in_row: fn(&[String], &str) -> bool,
) {
    let h = layout.header_row as usize;
    let headings: Vec<String> = layout
        .columns
        .iter()
        .map(|c| c.heading.to_string())
        .collect();
    assert_eq!(rows[h], headings, "{}: the headings in order", layout.key);
    for (i, col) in layout.columns.iter().enumerate() {
        let mark = match col.need {
            layouts::Need::Required => layout.marks.0,
            layouts::Need::Optional => layout.marks.1,
        };
        assert_eq!(rows[h - 1][i], mark, "{}: {}", layout.key, col.heading);
    }
    let body = &rows[h + 1..];
    assert_eq!(body.len(), report.activities.len(), "one row per activity");
    for (row, a) in body.iter().zip(&report.activities) {
        assert!(
            name_in_row(row, &a.name),
            "{}: row of {:?}",
            layout.key,
            a.name
        );
        for (i, col) in layout.columns.iter().enumerate() {
            let cell = col.cell(lang, a);
            assert_eq!(
                row[i], cell.text,
                "{}: {} of {:?}",
                layout.key, col.heading, a.name
            );
            if col.need == layouts::Need::Required {
                assert!(
                    !row[i].trim().is_empty(),
                    "{}: {} is blank",
                    layout.key,
                    col.heading
                );
                if a.missing.is_empty() {
                    assert_ne!(
                        row[i],
                        label(lang, "missing"),
                        "{}: {} of {:?}",
                        layout.key,
                        col.heading,
                        a.name
                    );
                }
            }
        }
    }
    let draft = body
        .iter()
        .find(|r| name_in_row(r, "Ufullstendig utkast"))
        .expect("the draft's row");
    let purposes = layout
        .columns
        .iter()
        .position(|c| {
            c.heading == "Formålet med behandlingen" || c.heading == "Purpose of processing"
        })
        .expect("the purposes column");
    assert_eq!(
        draft[purposes],
        label(lang, "missing"),
        "the draft has no purpose"
    );
    assert!(
        body.iter().any(|r| name_in_row(r, HOSTILE)),
        "the hostile name reads back as written"
    );
}

/// Datatilsynet's headings, pinned: the Art. 30(1) points (orange, mandatory) in the
/// order Datatilsynet lists them.
const DATATILSYNET_MANDATORY: [&str; 10] = [
    "Behandlingsaktivitet",
    "Felles behandlingsansvarlig (navn og kontaktopplysninger)",
    "Formålet med behandlingen",
    "Kategorier av registrerte",
    "Kategorier av personopplysninger",
    "Kategorier av mottakere (også mottakere i tredjestater eller internasjonale organisasjoner)",
    "Overføring til tredjestat eller internasjonal organisasjon",
    "Garantier ved overføring (og dokumentasjon ved overføring etter art. 49 nr. 1 annet ledd)",
    "Planlagte tidsfrister for sletting",
    "Generell beskrivelse av tekniske og organisatoriske sikkerhetstiltak (art. 32 nr. 1)",
];

#[test]
fn datatilsynets_layout_reads_back_with_its_headings_in_order_in_both_languages() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang, true);
        let report = build_art30(&f.reg, lang).unwrap();
        let bytes = render_art30(&report, Art30Format::XlsxDatatilsynet).unwrap();
        keep(&format!("art30-datatilsynet-{}.xlsx", lang.code()), &bytes);
        let layout = layouts::datatilsynet();
        let rows = read_sheet(&bytes, "Behandlingsansvarlig");
        // The template is Norwegian only: its headings stay Norwegian in an English
        // export, whose answers are in English.
        let h = layout.header_row as usize;
        assert_eq!(rows[h][..10], DATATILSYNET_MANDATORY);
        assert!(rows[h - 1][..10].iter().all(|m| m == "Obligatorisk"));
        assert!(rows[h - 1][10..].iter().all(|m| m == "Valgfri"));
        assert_eq!(rows[h][10], "Behandlingsgrunnlag (art. 6 nr. 1)");
        check_layout(lang, &report, &layout, &rows, |row, name| row[0] == name);

        // Art. 30(1)(a) above the table.
        assert_eq!(rows[2][0], "Behandlingsansvarlig (art. 30 nr. 1 bokstav a)");
        assert_eq!(rows[2][1], "Fjordlys Rådgivning AS");
        assert!(rows
            .iter()
            .any(|r| r[0] == "Personvernombud" && r[1].contains("Åse Personvern")));
        assert!(rows.iter().any(|r| r[1] == report.audit.head_hash));

        let newsletter = templates::activity("newsletter", lang).unwrap().name;
        let row = rows.iter().find(|r| r[0] == newsletter).unwrap();
        assert!(
            row[10].contains(LegalBasis::Consent.label(lang)),
            "{}",
            row[10]
        );
        // The transfer to the United States and its safeguard (Art. 30(1)(e)).
        let stats = templates::activity("website_statistics", lang)
            .unwrap()
            .name;
        let row = rows.iter().find(|r| r[0] == stats).unwrap();
        assert_ne!(row[6], label(lang, "none"));
        assert!(
            row[7].contains("Art. 45") || row[7].contains("art. 45"),
            "{}",
            row[7]
        );
    }
}

/// The ICO's 30 headings of its controller template (sheet `Template`, row 9, columns
/// A to AD), verbatim.
const ICO_HEADINGS: [&str; 30] = [
    "Business function",
    "Purpose of processing",
    "Name and contact details of joint controller (if applicable)",
    "Categories of individuals",
    "Categories of personal data",
    "Categories of recipients",
    "Link to contract with processor",
    "Names of third countries or international organisations that personal data are transferred to (if applicable)",
    "Safeguards for exceptional transfers of personal data to third countries or international organisations (if applicable)",
    "Retention schedule (if possible)",
    "General description of technical and organisational security measures (if possible)",
    "Article 6 lawful basis for processing personal data",
    "Article 9 condition for processing special category data",
    "Legitimate interests for the processing (if applicable)",
    "Link to record of legitimate interests assessment (if applicable)",
    "Rights available to individuals",
    "Existence of automated decision-making, including profiling (if applicable)",
    "The source of the personal data (if applicable)",
    "Link to record of consent",
    "Location of personal data",
    "Data Protection Impact Assessment required?",
    "Data Protection Impact Assessment progress",
    "Link to Data Protection Impact Assessment",
    "Has a personal data breach occurred?",
    "Link to record of personal data breach",
    "Data Protection Act 2018 Schedule 1 Condition for processing",
    "GDPR Article 6 lawful basis for processing",
    "Link to retention and erasure policy document",
    "Is personal data retained and erased in accordance with the policy document?",
    "Reasons for not adhering to policy document (if applicable)",
];

#[test]
fn the_icos_layout_reads_back_with_its_thirty_headings_on_row_nine() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang, true);
        let report = build_art30(&f.reg, lang).unwrap();
        let bytes = render_art30(&report, Art30Format::XlsxIco).unwrap();
        keep(&format!("art30-ico-{}.xlsx", lang.code()), &bytes);
        let layout = layouts::ico();
        let rows = read_sheet(&bytes, "Template");
        // Row 9 in the spreadsheet, columns A to AD.
        assert_eq!(layout.header_row, 8);
        assert_eq!(rows[8], ICO_HEADINGS);
        // Green: Article 30 (B-F, H-K) and Schedule 1 (Z-AD); blue: the rest.
        let required: Vec<usize> = (1..=5).chain(7..=10).chain(25..=29).collect();
        for (i, mark) in rows[7].iter().enumerate() {
            let want = if required.contains(&i) {
                "Required"
            } else {
                "Optional"
            };
            assert_eq!(mark, want, "{}", ICO_HEADINGS[i]);
        }
        check_layout(lang, &report, &layout, &rows, |row, name| {
            row[0].contains(name)
        });

        // Rows 1-6: the controller and the DPO.
        assert_eq!(rows[0][1..5], ["Name", "Address", "Email", "Telephone"]);
        assert_eq!(rows[1][0], "Controller");
        assert_eq!(rows[1][1], "Fjordlys Rådgivning AS");
        assert_eq!(rows[2][0], "Data Protection Officer");
        assert_eq!(rows[2][1], "Åse Personvern");
        // No special category data in the seeds' activities: Schedule 1 does not apply.
        let body = &rows[9..];
        assert!(body.iter().all(|r| r[25] == label(lang, "not_applicable")));
        let accounting = templates::activity("accounting", lang).unwrap().name;
        let row = body.iter().find(|r| r[0].contains(&accounting)).unwrap();
        assert!(
            row[11].contains(LegalBasis::LegalObligation.label(lang)),
            "{}",
            row[11]
        );
    }
}

// ---------------------------------------------------------------------------------
// DPV
// ---------------------------------------------------------------------------------

/// A Python that has pyld. Debian's python3-pyld installs into the system Python
/// (`/usr/bin/python3`), which need not be the first `python3` on the PATH.
fn pyld_python() -> String {
    let mut tried = Vec::new();
    let candidates = std::env::var("PRIVREG_PYTHON")
        .ok()
        .into_iter()
        .chain(["/usr/bin/python3".to_string(), "python3".to_string()]);
    for py in candidates {
        match Command::new(&py).args(["-c", "import pyld"]).output() {
            Ok(out) if out.status.success() => return py,
            _ => tried.push(py),
        }
    }
    panic!(
        "the DPV export is checked by a real JSON-LD processor: install Debian's python3-pyld \
         (apt-get install python3-pyld; .ci/run installs it). None of {tried:?} can import pyld."
    );
}

const EXPAND: &str = r#"
import json, sys
from pyld import jsonld
with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
expanded = jsonld.expand(doc)
quads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
json.dump({"expanded": expanded, "quads": quads}, sys.stdout)
"#;

/// The document expanded by pyld (any error fails the test) and its N-Quads.
fn expand(doc: &[u8]) -> (Vec<Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.jsonld");
    std::fs::write(&path, doc).unwrap();
    let out = Command::new(pyld_python())
        .arg("-c")
        .arg(EXPAND)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pyld could not expand the DPV export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        v["expanded"].as_array().unwrap().clone(),
        v["quads"].as_str().unwrap().to_string(),
    )
}

const DPV: &str = "https://w3id.org/dpv#";
const GDPR: &str = "https://w3id.org/dpv/legal/eu/gdpr#";
const PD: &str = "https://w3id.org/dpv/pd#";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const RDF_VALUE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value";

fn prop<'a>(node: &'a Value, iri: &str) -> &'a [Value] {
    node.get(iri)
        .and_then(|v| v.as_array())
        .map(|v| v.as_slice())
        .unwrap_or(&[])
}

fn has_type(node: &Value, iri: &str) -> bool {
    prop(node, "@type").iter().any(|t| t == iri)
}

/// The labels of one node.
fn label_of(node: &Value) -> Vec<String> {
    labels_of(std::slice::from_ref(node))
}

fn labels_of(nodes: &[Value]) -> Vec<String> {
    nodes
        .iter()
        .flat_map(|n| prop(n, RDFS_LABEL))
        .map(|l| l["@value"].as_str().unwrap().to_string())
        .collect()
}

/// Every key, type and IRI in the expanded document is a keyword or an absolute IRI in
/// a vocabulary the export means to use: a misspelt prefix would show up here.
fn check_iris(v: &Value) {
    const KNOWN: [&str; 6] = [
        "https://w3id.org/dpv",
        "http://purl.org/dc/terms/",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2001/XMLSchema#",
        "_:",
    ];
    let known = |s: &str| KNOWN.iter().any(|k| s.starts_with(k));
    match v {
        Value::Array(a) => a.iter().for_each(check_iris),
        Value::Object(o) => {
            for (k, v) in o {
                assert!(
                    k.starts_with('@') || known(k.as_str()),
                    "unknown property {k}"
                );
                match k.as_str() {
                    "@type" | "@id" => {
                        for t in v.as_array().into_iter().flatten().chain(std::iter::once(v)) {
                            if let Some(s) = t.as_str() {
                                assert!(known(s), "unknown IRI {s}");
                            }
                        }
                    }
                    "@value" | "@language" => {}
                    _ => check_iris(v),
                }
            }
        }
        _ => {}
    }
}

#[test]
fn the_dpv_export_expands_with_a_json_ld_processor_and_holds_every_activity() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang, false);
        let report = build_art30(&f.reg, lang).unwrap();
        let bytes = render_art30(&report, Art30Format::Dpv).unwrap();
        keep(&format!("art30-{}.jsonld", lang.code()), &bytes);
        // The context is inline: nothing to fetch.
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        assert!(doc["@context"].is_object(), "{}", doc["@context"]);
        assert_eq!(doc["@context"]["dpv"], DPV);
        assert_eq!(doc["@context"]["eu-gdpr"], GDPR);

        let (expanded, quads) = expand(&bytes);
        check_iris(&Value::Array(expanded.clone()));
        assert!(quads.contains(&format!("<{DPV}hasPurpose>")));

        let processes: Vec<&Value> = expanded
            .iter()
            .filter(|n| has_type(n, &format!("{DPV}PersonalDataProcess")))
            .collect();
        assert_eq!(
            processes.len(),
            report.activities.len(),
            "one process per activity"
        );
        let controller = expanded
            .iter()
            .find(|n| n["@id"] == "_:controller")
            .expect("the controller");
        assert!(has_type(controller, &format!("{DPV}DataController")));
        assert_eq!(
            prop(controller, &format!("{DPV}hasName"))[0]["@value"],
            "Fjordlys Rådgivning AS"
        );
        assert!(!prop(controller, &format!("{DPV}hasDataProtectionOfficer")).is_empty());

        for a in &report.activities {
            let p = processes
                .iter()
                .find(|p| label_of(p) == vec![a.name.clone()])
                .unwrap_or_else(|| panic!("no process labelled {:?}", a.name));
            let what = &a.name;
            assert_eq!(
                prop(p, &format!("{DPV}hasDataController"))[0]["@id"],
                controller["@id"]
            );
            // (b) the purposes in the organisation's words, tagged with the language.
            let purposes = prop(p, &format!("{DPV}hasPurpose"));
            assert_eq!(labels_of(purposes), a.purposes, "{what}");
            assert!(purposes
                .iter()
                .all(|n| has_type(n, &format!("{DPV}Purpose"))));
            assert_eq!(prop(&purposes[0], RDFS_LABEL)[0]["@language"], lang.code());
            // The legal bases as the EU GDPR extension's IRIs.
            let bases: Vec<&str> = prop(p, &format!("{DPV}hasLegalBasis"))
                .iter()
                .map(|b| b["@id"].as_str().unwrap())
                .collect();
            assert_eq!(bases.len(), a.legal_bases.len(), "{what}");
            assert!(
                bases.iter().all(|b| b.starts_with(GDPR)),
                "{what}: {bases:?}"
            );
            // (c) every data category and subject category.
            let data = prop(p, &format!("{DPV}hasPersonalData"));
            assert_eq!(
                labels_of(data),
                a.data_categories
                    .iter()
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>(),
                "{what}"
            );
            assert!(data
                .iter()
                .all(|n| has_type(n, &format!("{DPV}PersonalData"))));
            assert_eq!(
                labels_of(prop(p, &format!("{DPV}hasDataSubject"))),
                a.subject_categories,
                "{what}"
            );
            // (d) the recipients in words and the processors by reference.
            assert_eq!(
                labels_of(prop(p, &format!("{DPV}hasRecipient"))),
                a.recipients
            );
            let linked = prop(p, &format!("{DPV}hasDataProcessor")).len()
                + prop(p, &format!("{DPV}hasRecipientDataController")).len();
            assert_eq!(linked, a.processors.len(), "{what}");
            // (f) retention.
            let storage = prop(p, &format!("{DPV}hasStorageCondition"));
            assert!(!storage.is_empty(), "{what} has no retention");
            assert!(storage
                .iter()
                .all(|n| has_type(n, &format!("{DPV}StorageDuration"))));
            if a.data_categories.iter().any(|c| c.retention.is_some()) {
                assert!(
                    storage.iter().any(|n| !prop(n, RDF_VALUE).is_empty()
                        || has_type(n, &format!("{DPV}IndeterminateDuration"))),
                    "{what}: no period"
                );
            }
            // (g)
            assert_eq!(
                labels_of(prop(p, &format!("{DPV}hasTechnicalOrganisationalMeasure"))),
                a.security_measures,
                "{what}"
            );
        }

        // Spot checks of the mapping: consent is Art. 6(1)(a), the accounting rule is
        // five years as an xsd:duration, a name is pd:Name, the US transfer has its
        // Chapter V basis.
        let process = |key: &str| {
            let name = templates::activity(key, lang).unwrap().name;
            *processes
                .iter()
                .find(|p| label_of(p) == vec![name.clone()])
                .unwrap()
        };
        let news = process("newsletter");
        assert_eq!(
            prop(news, &format!("{DPV}hasLegalBasis"))[0]["@id"],
            format!("{GDPR}A6-1-a")
        );
        let accounting = process("accounting");
        assert_eq!(
            prop(accounting, &format!("{DPV}hasLegalBasis"))[0]["@id"],
            format!("{GDPR}A6-1-c")
        );
        let five_years = prop(accounting, &format!("{DPV}hasStorageCondition"))
            .iter()
            .flat_map(|n| prop(n, RDF_VALUE))
            .any(|v| {
                v["@value"] == "P5Y" && v["@type"] == "http://www.w3.org/2001/XMLSchema#duration"
            });
        assert!(five_years, "the Bookkeeping Act's five years");
        assert!(prop(accounting, &format!("{DPV}hasPersonalData"))
            .iter()
            .any(|n| has_type(n, &format!("{PD}Name"))));
        let stats = process("website_statistics");
        let transfers = prop(stats, &format!("{DPV}hasProcess"));
        assert!(!transfers.is_empty(), "the transfer to the United States");
        for t in transfers {
            assert_eq!(
                prop(t, &format!("{DPV}hasProcessing"))[0]["@id"],
                format!("{DPV}Transfer")
            );
            assert!(!prop(t, &format!("{DPV}hasThirdCountry")).is_empty());
            assert!(prop(t, &format!("{DPV}hasLegalBasis"))[0]["@id"]
                .as_str()
                .unwrap()
                .starts_with(GDPR));
        }
        // The hostile name is a label, nothing more.
        assert!(processes
            .iter()
            .any(|p| label_of(p) == vec![HOSTILE.to_string()]));
    }
}

#[test]
fn a_draft_in_the_dpv_export_names_what_it_lacks() {
    let f = fixture(Lang::Nb, true);
    let report = build_art30(&f.reg, Lang::Nb).unwrap();
    let (expanded, _) = expand(&render_art30(&report, Art30Format::Dpv).unwrap());
    let draft = expanded
        .iter()
        .find(|n| label_of(n) == vec!["Ufullstendig utkast".to_string()])
        .expect("the draft");
    assert!(prop(draft, &format!("{DPV}hasPurpose")).is_empty());
    let comment = prop(draft, "http://www.w3.org/2000/01/rdf-schema#comment")[0]["@value"]
        .as_str()
        .unwrap();
    assert!(comment.starts_with("MANGLER"), "{comment}");
    assert!(comment.contains(label(Lang::Nb, "purposes")), "{comment}");
}
