//! The reports as a reader checks them: the PDF's text (poppler's `pdftotext`) holds
//! every field of every activity and every Art. 15 item in English and Norwegian;
//! `pdfinfo` shows PDF/A and tagging; the JSON validates against the schemas in the
//! repository; hostile names print literally; exports are audited without data and
//! written atomically.

use std::path::PathBuf;
use std::sync::Arc;

use privreg_core::labels::Labelled;
use privreg_core::model::*;
use privreg_core::templates::{self, Lang};
use privreg_core::{AuditFilter, FixedClock, HeadOutcome, PrintedHead, Register};
use privreg_reports::*;
use serde_json::Value;

const HOSTILE_SUBJECT: &str = "#read(\"/etc/passwd\") Ødegård";
const HOSTILE_VALUE: &str = "@x $y$ #image(\"/etc/hostname\") <b>*bold*</b>";
const HOSTILE_ACTIVITY: &str = "@x $y$ #read(\"/etc/passwd\")";

struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    reg: Register,
    subject: Id,
    restricted: Id,
    incomplete: Id,
}

/// A register in `lang` with the seed organisations' activities and processors, one
/// incomplete draft, an activity with a hostile name, a subject with a hostile name and
/// data in three activities (one transferring to the United States), and a restricted
/// subject.
fn fixture(lang: Lang) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.privreg");
    let mut reg =
        Register::create_unencrypted(&path, Arc::new(FixedClock::at("2026-05-12T09:30:00Z")))
            .unwrap();
    reg.set_actor("report-tester");
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
    let mut ids = std::collections::HashMap::new();
    for t in templates::list(lang) {
        let mut a = templates::activity(t.key, lang).unwrap();
        a.processor_ids = templates::template_processors(t.key)
            .iter()
            .map(|k| pids[k])
            .collect();
        a.status = ActivityStatus::Approved;
        a.last_reviewed = Some(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        ids.insert(t.key, reg.add_activity(&a).unwrap().id);
    }
    let incomplete = reg
        .add_activity(&Activity {
            name: "Ufullstendig utkast".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let mut hostile = templates::activity("contact_form", lang).unwrap();
    hostile.name = HOSTILE_ACTIVITY.into();
    hostile
        .purposes
        .push("#set page(width: 1cm) $x^2$ `raw` <label> @ref".into());
    let hostile = reg.add_activity(&hostile).unwrap();

    let client = reg.activity(ids["client_information"]).unwrap().activity;
    let stats = reg.activity(ids["website_statistics"]).unwrap().activity;
    let rec = |id: Id, a: &Activity, i: usize, value: &str, source: &str| NewRecord {
        activity_id: id,
        category: a.data_categories[i].name.clone(),
        value: value.into(),
        source: source.into(),
        collected_on: Some(chrono::NaiveDate::from_ymd_opt(2025, 11, 3).unwrap()),
    };
    let subject = reg
        .add_subject(&SubjectFields {
            name: HOSTILE_SUBJECT.into(),
            email: "bjorn@fjellbekk.example.no".into(),
            phone: "+47 913 00 111".into(),
        })
        .unwrap()
        .id;
    reg.add_records(
        subject,
        &[
            rec(
                ids["client_information"],
                &client,
                0,
                "Bjørn Ødegård",
                "CRM-import",
            ),
            rec(
                ids["client_information"],
                &client,
                3,
                "Seniorrådgiver i Ålesund",
                "",
            ),
            rec(
                ids["website_statistics"],
                &stats,
                0,
                "198.51.100.7",
                "Google Analytics",
            ),
            rec(hostile.id, &hostile.activity, 5, HOSTILE_VALUE, ""),
        ],
    )
    .unwrap();
    let news = reg.activity(ids["newsletter"]).unwrap();
    reg.add_consent_event(
        subject,
        &NewConsentEvent {
            activity_id: news.id,
            purpose: news.activity.purposes[0].clone(),
            kind: ConsentKind::ConsentGiven,
            method: "web form".into(),
            at: None,
        },
    )
    .unwrap();

    let restricted = reg
        .add_subject(&SubjectFields {
            name: "Rita Restriksjon".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    reg.add_record(
        restricted,
        &rec(
            ids["client_information"],
            &client,
            0,
            "Rita Restriksjon",
            "",
        ),
    )
    .unwrap();
    reg.restrict_subject(restricted, "accuracy contested (Art. 18(1)(a))")
        .unwrap();

    Fixture {
        dir: dir.path().to_path_buf(),
        _dir: dir,
        reg,
        subject,
        restricted,
        incomplete,
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    tool("pdftotext", &["-raw", "-enc", "UTF-8"], pdf)
}

fn pdf_page(pdf: &[u8], page: usize) -> String {
    let p = page.to_string();
    tool(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", "-f", &p, "-l", &p],
        pdf,
    )
}

/// The text without what repeats on every page (the running header and footer) or at
/// the top of a table continued on a new page, so that a cell split over two pages
/// reads as one.
fn body_text(text: &str, lang: Lang) -> String {
    let l = |k| label(lang, k);
    let table_heads: Vec<String> = [
        vec![l("ref"), l("field"), l("content")],
        vec![l("category"), l("value"), l("source"), l("collected_on")],
        vec![l("when"), l("event"), l("purposes"), l("method")],
        vec![l("name"), l("role"), l("country"), l("dpa_reference")],
        vec![
            l("number"),
            l("activity"),
            l("status"),
            l("last_reviewed"),
            l("missing_fields"),
        ],
    ]
    .into_iter()
    .map(|v| v.join(" "))
    .collect();
    text.lines()
        .filter(|line| {
            let t = line.trim();
            let footer =
                t.starts_with(&format!("{} ", l("page"))) && t.contains(&format!(" {} ", l("of")));
            let header = t.starts_with("Fjordlys Rådgivning AS ") && t.contains(" · ");
            !(footer || header || table_heads.iter().any(|h| h == t))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn label(lang: Lang, key: &str) -> &'static str {
    labels::label(lang, key)
}

#[test]
fn art30_json_validates_against_its_schema_and_shows_what_is_missing() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang);
        let report = build_art30(&f.reg, lang).unwrap();
        let json: Value =
            serde_json::from_slice(&render_art30(&report, Art30Format::Json).unwrap()).unwrap();
        validate(ART30_SCHEMA, &json);
        assert_eq!(json["schema"], "privreg.art30_record");
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["lang"], lang.code());
        // Every template, the incomplete draft and the hostile copy of a template.
        assert_eq!(
            json["activities"].as_array().unwrap().len(),
            templates::list(lang).len() + 2
        );
        let check = f.reg.verify_audit().unwrap();
        assert_eq!(json["audit"]["head_hash"], check.head_hash);
        assert_eq!(json["audit"]["events"], check.events);
        let incomplete = json["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == f.incomplete)
            .unwrap();
        assert_eq!(
            incomplete["missing"],
            serde_json::json!(REQUIRED_ACTIVITY_FIELDS)
        );
        let stats = json["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| !a["transfers"].as_array().unwrap().is_empty())
            .unwrap();
        assert!(stats["transfers"][0]["safeguard"]["article"]
            .as_str()
            .unwrap()
            .starts_with("Art. "));
    }
}

#[test]
fn access_json_validates_carries_fides_codes_and_is_the_whole_copy() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang);
        let report = build_access(&f.reg, f.subject, lang).unwrap();
        let bytes = render_access(&report, AccessFormat::Json).unwrap();
        let json: Value = serde_json::from_slice(&bytes).unwrap();
        validate(ACCESS_SCHEMA, &json);
        assert_eq!(json["schema"], "privreg.subject_access");
        assert_eq!(json["subject"]["name"], HOSTILE_SUBJECT);
        let identity = &json["subject"]["identity"];
        assert_eq!(identity[1]["fides"], "user.contact.email");
        assert_eq!(identity[2]["fides"], "user.contact.phone_number");
        let text = String::from_utf8(bytes).unwrap();
        for v in [
            "Bjørn Ødegård",
            "Seniorrådgiver i Ålesund",
            "198.51.100.7",
            "bjorn@fjellbekk.example.no",
        ] {
            assert!(text.contains(v), "{v}");
        }
        // Three activities with data and one with a consent only.
        assert_eq!(json["activities"].as_array().unwrap().len(), 4);
        let fides: Vec<&str> = json["activities"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["data"].as_array().unwrap())
            .map(|d| d["fides"].as_str().unwrap())
            .collect();
        assert!(fides.contains(&"user.name"), "{fides:?}");
        assert!(
            fides.contains(&"user.professional_information.job_title"),
            "{fides:?}"
        );
        // The copy is not in Debug output.
        let debug = format!("{report:?}");
        for v in ["Ødegård", "Ålesund", "198.51.100.7", "bjorn@"] {
            assert!(!debug.contains(v), "{v} leaked into Debug");
        }
    }
}

#[test]
fn art30_pdf_holds_every_field_of_every_activity_in_both_languages() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang);
        let report = build_art30(&f.reg, lang).unwrap();
        let pdf = render_art30(&report, Art30Format::Pdf).unwrap();
        keep(&format!("art30-{}.pdf", lang.code()), &pdf);
        let text = body_text(&pdf_text(&pdf), lang);
        let l = |k| label(lang, k);
        for key in [
            "art30_title",
            "controller_heading",
            "purposes",
            "legal_bases",
            "subject_categories",
            "data_categories",
            "recipients",
            "processors",
            "transfers",
            "retention",
            "security_measures",
            "source",
            "systems",
            "automated_decisions",
            "dpia",
            "last_reviewed",
            "audit_head",
            "audit_events",
            "processors_heading",
        ] {
            assert_has(&text, l(key), key);
        }
        let c = &report.controller;
        for v in [
            &c.organisation,
            &c.org_number,
            &c.address,
            &c.email,
            &c.phone,
        ] {
            assert_has(&text, v, "controller");
        }
        assert_has(&text, "Åse Personvern", "dpo");
        assert_has(&text, &report.audit.head_hash, "audit head hash");
        assert_has(&text, &report.generated_on, "date");
        for a in &report.activities {
            let what = format!("activity {}", a.name);
            assert_has(&text, &a.name, &what);
            let mut values: Vec<&String> = Vec::new();
            values.extend(&a.purposes);
            values.extend(&a.subject_categories);
            values.extend(a.data_categories.iter().map(|c| &c.name));
            values.extend(&a.retention_rules);
            values.extend(&a.recipients);
            values.extend(a.processors.iter().map(|p| &p.name));
            values.extend(a.processors.iter().map(|p| &p.dpa_reference));
            values.extend(a.transfers.iter().map(|t| &t.country));
            values.extend(a.transfers.iter().map(|t| &t.recipient));
            values.extend(a.transfers.iter().map(|t| &t.safeguard.label));
            values.extend(a.transfers.iter().map(|t| &t.documentation));
            values.extend(a.legal_bases.iter().map(|b| &b.label));
            // Article references are printed in the report's style.
            let articles: Vec<String> = a
                .legal_bases
                .iter()
                .map(|b| privreg_core::labels::article(lang, &b.article))
                .collect();
            values.extend(&articles);
            values.extend(&a.security_measures);
            values.extend(&a.systems);
            values.extend(&a.rights_available);
            for v in [
                &a.owner,
                &a.legitimate_interest,
                &a.retention_summary,
                &a.source,
                &a.automated_decisions,
                &a.status.label,
                &a.dpia.label,
            ] {
                values.push(v);
            }
            for v in values.into_iter().filter(|v| !v.is_empty()) {
                assert_has(&text, v, &what);
            }
            if let Some(d) = a.last_reviewed {
                assert_has(&text, &d.to_string(), &what);
            }
        }
        // The incomplete draft shows each missing field as missing.
        let page_of_incomplete = (1..=page_count(&pdf))
            .map(|p| pdf_page(&pdf, p))
            .find(|t| t.contains("Ufullstendig utkast") && t.contains(l("ref")))
            .expect("the incomplete activity's page");
        assert!(
            page_of_incomplete.matches(l("missing")).count() >= REQUIRED_ACTIVITY_FIELDS.len(),
            "{page_of_incomplete}"
        );
        // Page numbers and the running header.
        let first = pdf_page(&pdf, 1);
        let pages = page_count(&pdf);
        assert!(pages > 13, "{pages} pages");
        assert_has(
            &first,
            &format!("{} 1 {} {pages}", l("page"), l("of")),
            "page numbers",
        );
        let last = pdf_page(&pdf, pages);
        assert_has(
            &last,
            &format!("{} {pages} {} {pages}", l("page"), l("of")),
            "last page number",
        );
        assert_has(&last, "Fjordlys Rådgivning AS", "running header");
        assert_has(&last, &report.generated_on, "running header date");
    }
}

#[test]
fn the_pdf_is_archival_tagged_a4() {
    let f = fixture(Lang::Nb);
    let pdf = render_art30(&build_art30(&f.reg, Lang::Nb).unwrap(), Art30Format::Pdf).unwrap();
    let access = render_access(
        &build_access(&f.reg, f.subject, Lang::En).unwrap(),
        AccessFormat::Pdf,
    )
    .unwrap();
    for pdf in [&pdf, &access] {
        let info = tool("pdfinfo", &[], pdf);
        assert!(squash(&info).contains("Tagged:yes"), "{info}");
        assert!(info.contains("x 841.89 pts (A4)"), "{info}");
        let meta = tool("pdfinfo", &["-meta"], pdf);
        assert!(
            squash(&meta).contains("<pdfaid:part>2</pdfaid:part>")
                || squash(&meta).contains("pdfaid:part=\"2\""),
            "{meta}"
        );
        assert!(
            squash(&meta).contains("<pdfaid:conformance>B</pdfaid:conformance>")
                || squash(&meta).contains("pdfaid:conformance=\"B\""),
            "{meta}"
        );
        // Fonts embedded (PDF/A): pdffonts lists each as embedded.
        let fonts = tool("pdffonts", &[], pdf);
        for line in fonts.lines().skip(2) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(
                cols[cols.len() - 5],
                "yes",
                "a font is not embedded: {line}"
            );
        }
        assert!(fonts.contains("LibertinusSerif"), "{fonts}");
    }
    let meta = tool("pdfinfo", &[], &pdf);
    assert!(
        meta.contains("Protokoll over behandlingsaktiviteter"),
        "{meta}"
    );
}

/// A saved report gives back the audit head it printed, for `privreg verify --against`
/// and the overview's check: the JSON's `audit` object, and the PDF's keyword, which
/// `pdfinfo` shows as the document's keywords and which is found in the file's bytes.
#[test]
fn a_saved_report_gives_back_the_audit_head_it_printed() {
    let f = fixture(Lang::Nb);
    let report = build_art30(&f.reg, Lang::Nb).unwrap();
    let printed = PrintedHead::new(&report.audit.head_hash, report.audit.events).unwrap();
    let pdf = render_art30(&report, Art30Format::Pdf).unwrap();
    let info = tool("pdfinfo", &[], &pdf);
    assert!(
        info.contains(&format!("privreg-audit-head:{printed}")),
        "{info}"
    );
    assert_eq!(head_in_report(&pdf).unwrap(), printed);
    let json = render_art30(&report, Art30Format::Json).unwrap();
    assert_eq!(head_in_report(&json).unwrap(), printed);
    let access = build_access(&f.reg, f.subject, Lang::En).unwrap();
    let access_pdf = render_access(&access, AccessFormat::Pdf).unwrap();
    assert_eq!(
        head_in_report(&access_pdf).unwrap(),
        PrintedHead::new(&access.audit.head_hash, access.audit.events).unwrap()
    );
    // The CSV prints the head in its last rows, but is not read back.
    let csv = render_art30(&report, Art30Format::Csv).unwrap();
    assert_eq!(head_in_report(&csv).unwrap_err().field(), "report");

    // From a file, as the CLI and the app read it.
    let path = f.dir.join("protokoll.pdf");
    std::fs::write(&path, &pdf).unwrap();
    assert_eq!(read_report_head(&path).unwrap(), printed);
    let missing = read_report_head(&f.dir.join("no-such-report.pdf")).unwrap_err();
    assert_eq!(missing.kind(), "report.io");
    // It is this register's head, and the register checks out against it.
    let check = f.reg.check_head(&printed).unwrap();
    assert_eq!(check.outcome, HeadOutcome::Intact, "{}", check.describe());
}

#[test]
fn a_long_table_repeats_its_header_on_the_next_page() {
    let mut f = fixture(Lang::En);
    let mut a = templates::activity("courses", Lang::En).unwrap();
    a.name = "A very long activity".into();
    a.security_measures = (1..=120)
        .map(|i| format!("Security measure number {i}"))
        .collect();
    f.reg.add_activity(&a).unwrap();
    let report = build_art30(&f.reg, Lang::En).unwrap();
    let pdf = render_art30(&report, Art30Format::Pdf).unwrap();
    keep("long.pdf", &pdf);
    let pages: Vec<String> = (1..=page_count(&pdf)).map(|p| pdf_page(&pdf, p)).collect();
    let start = pages
        .iter()
        .position(|t| t.contains("Security measure number 1\n"))
        .expect("the long activity");
    assert!(pages[start - 1..=start]
        .iter()
        .any(|t| t.contains("A very long activity")));
    // The row runs over more than one further page; each repeats the table's header.
    let last = pages
        .iter()
        .position(|t| t.contains("Security measure number 120\n"))
        .unwrap();
    assert!(last > start, "the table fits on one page");
    for page in &pages[start..=last] {
        assert!(
            page.lines().any(|l| l.trim() == "Ref. Field Content"),
            "the header is not repeated: {page}"
        );
    }
}

#[test]
fn access_pdf_has_every_art15_item_in_both_languages() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang);
        let report = build_access(&f.reg, f.subject, lang).unwrap();
        let pdf = render_access(&report, AccessFormat::Pdf).unwrap();
        keep(&format!("access-{}.pdf", lang.code()), &pdf);
        let text = body_text(&pdf_text(&pdf), lang);
        let l = |k| label(lang, k);
        for key in [
            "access_title",
            "art15_a",
            "art15_b",
            "art15_c",
            "art15_d",
            "art15_e",
            "art15_f",
            "art15_g",
            "art15_h",
            "art15_2",
            "your_data",
            "rights_heading",
            "consents",
        ] {
            assert_has(&text, l(key), key);
        }
        // The copy of the data, literally.
        assert_has(&text, HOSTILE_SUBJECT, "subject name");
        for d in &report.subject.identity {
            assert_has(&text, &d.value, "identity");
        }
        for a in &report.activities {
            let what = format!("activity {}", a.name);
            assert_has(&text, &a.name, &what);
            for d in &a.data {
                assert_has(&text, &d.category, &what);
                assert_has(&text, &d.value, &what);
            }
            for c in &a.consents {
                assert_has(&text, &c.kind.label, &what);
            }
            for v in a
                .purposes
                .iter()
                .chain(&a.recipients)
                .chain(&a.retention_rules)
            {
                assert_has(&text, v, &what);
            }
            for c in &a.categories {
                assert_has(&text, &c.name, &what);
            }
            for p in &a.processors {
                assert_has(&text, &p.name, &what);
            }
            for t in &a.transfers {
                for v in [
                    &t.country,
                    &t.recipient,
                    &t.safeguard.label,
                    &privreg_core::labels::article(lang, &t.safeguard.article),
                    &t.documentation,
                ] {
                    assert_has(&text, v, &what);
                }
            }
            for v in [
                &a.retention_summary,
                &a.source.activity_source,
                &a.automated_decisions,
            ] {
                if !v.is_empty() {
                    assert_has(&text, v, &what);
                }
            }
        }
        for right in &report.rights {
            assert_has(&text, &right.label, "right");
            assert_has(&text, &right.text, "right");
        }
        // (f): the complaint goes to Datatilsynet, with its contact details.
        for v in [
            "Datatilsynet",
            "Postboks 458 Sentrum",
            "0105 Oslo",
            "postkasse@datatilsynet.no",
            "22 39 69 00",
        ] {
            assert_has(&text, v, "Datatilsynet");
        }
        // 15(2): the activity transferring to the United States names the safeguard, in
        // the report's language.
        assert_has(&text, lang.pick("United States", "USA"), "third country");
        assert_has(&text, &report.audit.head_hash, "audit head hash");
    }
}

#[test]
fn hostile_names_print_literally_and_read_no_files() {
    let f = fixture(Lang::En);
    let access = render_access(
        &build_access(&f.reg, f.subject, Lang::En).unwrap(),
        AccessFormat::Pdf,
    )
    .unwrap();
    let art30 = render_art30(&build_art30(&f.reg, Lang::En).unwrap(), Art30Format::Pdf).unwrap();
    let access_text = pdf_text(&access);
    let art30_text = pdf_text(&art30);
    assert_has(&access_text, HOSTILE_SUBJECT, "subject");
    assert_has(&access_text, HOSTILE_VALUE, "value");
    assert_has(&access_text, HOSTILE_ACTIVITY, "activity");
    assert_has(&art30_text, HOSTILE_ACTIVITY, "activity");
    assert_has(
        &art30_text,
        "#set page(width: 1cm) $x^2$ `raw` <label> @ref",
        "purpose",
    );
    for t in [&access_text, &art30_text] {
        assert!(!t.contains("root:"), "a file was read into the report");
    }
    // CSV defuses a formula; XLSX stores text.
    let csv = String::from_utf8(
        render_art30(&build_art30(&f.reg, Lang::En).unwrap(), Art30Format::Csv).unwrap(),
    )
    .unwrap();
    assert!(
        csv.contains("\n'@x $y$ #read(\"\"/etc/passwd\"\")")
            || csv.contains("\n\"'@x $y$ #read(\"\"/etc/passwd\"\")"),
        "{csv}"
    );
}

#[test]
fn csv_and_xlsx_follow_the_template_columns_in_the_chosen_language() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang);
        let report = build_art30(&f.reg, lang).unwrap();
        let csv = String::from_utf8(render_art30(&report, Art30Format::Csv).unwrap()).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        let heads: Vec<String> = table::columns().iter().map(|c| c.heading(lang)).collect();
        let first_line = csv
            .trim_start_matches('\u{feff}')
            .split("\r\n")
            .next()
            .unwrap();
        assert!(
            first_line.starts_with(&heads[..3].join(",")),
            "{first_line}"
        );
        assert!(first_line.contains(label(lang, "audit_head")));
        assert!(csv.contains(&report.audit.head_hash));
        // One row per activity: the data rows end with CRLF like the header.
        assert!(csv.matches("\r\n").count() > report.activities.len());
        assert!(csv.contains(label(lang, "missing")));

        let xlsx = render_art30(&report, Art30Format::Xlsx).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
        let mut strings = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
            &mut strings,
        )
        .unwrap();
        for h in &heads {
            let escaped = h.replace('&', "&amp;");
            assert!(strings.contains(&escaped), "{h}");
        }
        for a in &report.activities {
            let escaped = a
                .name
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;");
            assert!(
                strings.contains(&escaped) || strings.contains(&a.name.replace('&', "&amp;")),
                "{}",
                a.name
            );
        }
        assert!(strings.contains(&report.audit.head_hash));
        assert!(strings.contains("Fjordlys Rådgivning AS"));
        let mut wb = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut wb)
            .unwrap();
        let sheet = if lang == Lang::En {
            "Record"
        } else {
            "Protokoll"
        };
        assert!(wb.contains(sheet), "{wb}");
    }
}

fn audit_events(reg: &Register) -> Vec<AuditEvent> {
    reg.audit_log(AuditFilter::All, 1000).unwrap()
}
use privreg_core::AuditEvent;

use super::common::{assert_has, keep, page_count, squash, tool, validate};

#[test]
fn an_access_export_is_audited_without_the_data() {
    let mut f = fixture(Lang::Nb);
    let out = f.dir.join("innsyn.pdf");
    let before = f.reg.verify_audit().unwrap();
    let done = export_access(&mut f.reg, f.subject, AccessFormat::Pdf, Lang::Nb, &out).unwrap();
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
    assert_eq!(done.audit_head, before.head_hash);
    assert_eq!(done.audit_events, before.events);
    let ev = &audit_events(&f.reg)[0];
    assert_eq!(ev.action, "report.created");
    assert_eq!(ev.entity, "subject");
    assert_eq!(ev.entity_id, Some(f.subject));
    assert_eq!(ev.subject_id, Some(f.subject));
    assert_eq!(ev.actor, "report-tester");
    assert_eq!(ev.at, "2026-05-12T09:30:00.000000Z");
    assert_eq!(ev.fields, vec!["access", "pdf", "nb"]);
    let printed = serde_json::to_string(ev).unwrap();
    for secret in ["Ødegård", "bjorn@", "Ålesund", "198.51", "innsyn.pdf"] {
        assert!(!printed.contains(secret), "{secret} in the audit log");
    }
    assert!(f.reg.verify_audit().unwrap().first_broken.is_none());
    // The subject's own history shows it.
    let history = f
        .reg
        .audit_log(AuditFilter::Subject(f.subject), 10)
        .unwrap();
    assert_eq!(history[0].action, "report.created");

    export_art30(
        &mut f.reg,
        Art30Format::Xlsx,
        Lang::En,
        &f.dir.join("a30.xlsx"),
    )
    .unwrap();
    let ev = &audit_events(&f.reg)[0];
    assert_eq!((ev.entity.as_str(), ev.entity_id), ("register", None));
    assert_eq!(ev.fields, vec!["art30", "xlsx", "en"]);
}

#[test]
fn a_restricted_subject_still_gets_the_access_report() {
    let mut f = fixture(Lang::En);
    let out = f.dir.join("restricted.json");
    export_access(&mut f.reg, f.restricted, AccessFormat::Json, Lang::En, &out).unwrap();
    let json: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["subject"]["restricted"], true);
    assert_eq!(
        json["activities"][0]["data"][0]["value"],
        "Rita Restriksjon"
    );
    let report = build_access(&f.reg, f.restricted, Lang::En).unwrap();
    let text = pdf_text(&render_access(&report, AccessFormat::Pdf).unwrap());
    assert_has(&text, label(Lang::En, "restricted_note"), "restriction");
}

#[test]
fn a_failed_export_writes_nothing_audits_nothing_and_keeps_the_old_file() {
    let mut f = fixture(Lang::En);
    let events = f.reg.verify_audit().unwrap().events;
    let err = export_access(
        &mut f.reg,
        f.subject,
        AccessFormat::Pdf,
        Lang::En,
        &f.dir.join("no-such-dir/report.pdf"),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "report.io");
    assert!(!err.to_string().contains("Ødegård"));
    assert_eq!(f.reg.verify_audit().unwrap().events, events);

    // An unknown subject: nothing written.
    let out = f.dir.join("old.json");
    std::fs::write(&out, b"the old report").unwrap();
    let err = export_access(&mut f.reg, 9999, AccessFormat::Json, Lang::En, &out).unwrap_err();
    assert_eq!(err.kind(), "not_found");
    assert_eq!(std::fs::read(&out).unwrap(), b"the old report");
    assert_eq!(f.reg.verify_audit().unwrap().events, events);

    // A good export replaces it whole, leaving no temporary file behind.
    export_access(&mut f.reg, f.subject, AccessFormat::Json, Lang::En, &out).unwrap();
    assert!(std::fs::read(&out).unwrap().starts_with(b"{"));
    let leftovers: Vec<_> = std::fs::read_dir(&f.dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".tmp") || name.ends_with(".partial")
        })
        .collect();
    assert!(leftovers.is_empty());
}

/// A damaged register (a flipped byte) is read-only: what is intact is still exported,
/// every report says it was made from a damaged register and names the side log that
/// records it, and an export that fails before its rename (a write the register refuses,
/// a side log that cannot be written) keeps the old file byte for byte.
#[test]
fn a_damaged_register_exports_what_is_intact_saying_so_and_a_failed_export_keeps_the_old_file() {
    use privreg_core::store::requests::{Channel, NewRequest, RequestKind};
    use privreg_core::{opening, Passphrase, Unlock};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.privreg");
    let pass = Passphrase::new("en lang og god passordfrase");
    let clock = Arc::new(FixedClock::at("2026-05-12T09:30:00Z"));
    let (mut reg, recovery) = Register::create(&path, &pass, clock.clone()).unwrap();
    let subject = reg
        .add_subject(&privreg_core::model::SubjectFields {
            name: "Kari Nordmann".into(),
            email: "kari@example.no".into(),
            phone: String::new(),
        })
        .unwrap()
        .id;
    let request = reg
        .add_request(&NewRequest {
            kind: RequestKind::Access,
            subject_id: Some(subject),
            requester: Default::default(),
            received_on: None,
            channel: Channel::default(),
            notes: String::new(),
        })
        .unwrap()
        .id;
    reg.verify_request_identity(request, "answer from the registered e-mail address", None)
        .unwrap();
    let others: Vec<Id> = (0..60)
        .map(|i| {
            reg.add_subject(&privreg_core::model::SubjectFields {
                name: format!("Person {i} with a name long enough to fill the pages"),
                email: format!("person{i}@example.no"),
                phone: String::new(),
            })
            .unwrap()
            .id
        })
        .collect();
    reg.close().unwrap();
    let good = std::fs::read(&path).unwrap();
    let key = recovery.key().clone();
    // The last page whose damage spares Kari's reports and makes another person
    // unreadable (where the pages lie is SQLite's business, so it is found, not guessed).
    let mut damaged = None;
    for page in (2..=good.len() / 4096).rev() {
        let mut bytes = good.clone();
        bytes[(page - 1) * 4096 + 2000] ^= 0x5a;
        std::fs::write(&path, &bytes).unwrap();
        let Ok(o) = opening::open(&path, Unlock::Key(&key), clock.clone()) else {
            continue;
        };
        let fits = !o.damaged_pages.is_empty()
            && build_access(&o.register, subject, Lang::En).is_ok()
            && build_art30(&o.register, Lang::En).is_ok()
            && others
                .iter()
                .any(|id| o.register.subject_data(*id).is_err());
        drop(o);
        if fits {
            damaged = Some(bytes);
            break;
        }
    }
    let bytes = damaged.expect("a page whose damage spares Kari and hits someone else");
    let mut opened = opening::open(&path, Unlock::Key(&key), clock).unwrap();
    let reg = &mut opened.register;
    assert!(reg.is_read_only());

    // Kari's access report: made, replacing the old file, and saying where it came from.
    let out = dir.path().join("kari.json");
    std::fs::write(&out, b"the report the user keeps").unwrap();
    export_access(reg, subject, AccessFormat::Json, Lang::En, &out).unwrap();
    let report: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    validate(ACCESS_SCHEMA, &report);
    assert!(report.to_string().contains("Kari Nordmann"));
    let note = &report["audit"]["read_only"];
    assert_eq!(note["side_log"], "damaged.privreg.side-log.jsonl");
    assert_eq!(note["statement"], label(Lang::En, "audit_read_only"));

    // The Art. 30 record says it in every format, in the report's language.
    let pdf_path = dir.path().join("protokoll.pdf");
    export_art30(reg, Art30Format::Pdf, Lang::Nb, &pdf_path).unwrap();
    let text = pdf_text(&std::fs::read(&pdf_path).unwrap());
    assert_has(
        &text,
        label(Lang::Nb, "audit_read_only"),
        "the read-only statement",
    );
    assert_has(&text, "damaged.privreg.side-log.jsonl", "the side log");
    let csv_path = dir.path().join("record.csv");
    export_art30(reg, Art30Format::Csv, Lang::En, &csv_path).unwrap();
    let csv_text = std::fs::read_to_string(&csv_path).unwrap();
    let last = csv_text.lines().last().unwrap();
    assert!(
        last.contains("Made from a damaged register") && last.contains("side-log.jsonl"),
        "{last}"
    );
    let json_path = dir.path().join("record.json");
    export_art30(reg, Art30Format::Json, Lang::En, &json_path).unwrap();
    let record: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    validate(ART30_SCHEMA, &record);
    assert!(record["audit"]["read_only"].is_object());

    // Each export is in the side log, with no personal data; the register holds none.
    let (waiting, unreadable) = reg.side_log().unwrap();
    assert_eq!(unreadable, 0);
    let kinds: Vec<(&str, Option<Id>, Vec<&str>)> = waiting
        .iter()
        .map(|e| {
            let fields = e.fields.iter().map(String::as_str).collect();
            (e.action.as_str(), e.subject_id, fields)
        })
        .collect();
    let expected: Vec<(&str, Option<Id>, Vec<&str>)> = vec![
        (
            "report.created",
            Some(subject),
            vec!["access", "json", "en"],
        ),
        ("report.created", None, vec!["art30", "pdf", "nb"]),
        ("report.created", None, vec!["art30", "csv", "en"]),
        ("report.created", None, vec!["art30", "json", "en"]),
    ];
    assert_eq!(kinds, expected);
    let side = reg.side_log_path();
    let logged = std::fs::read_to_string(&side).unwrap();
    assert!(
        !logged.contains("Kari") && !logged.contains("kari@"),
        "{logged}"
    );

    // Completing the request needs a write, which is refused: the old file stays.
    let answer = dir.path().join("answer.pdf");
    std::fs::write(&answer, b"an older answer").unwrap();
    let err =
        complete_access_request(reg, request, AccessFormat::Pdf, Lang::En, &answer).unwrap_err();
    assert_eq!(err.kind(), "vault.read_only");
    assert_eq!(std::fs::read(&answer).unwrap(), b"an older answer");
    // A letter goes with a reply recorded on the request: it waits for a writable register.
    let letter = dir.path().join("reply.txt");
    std::fs::write(&letter, b"an older letter").unwrap();
    let err = export_reply(reg, request, Lang::En, LetterFormat::Text, &letter).unwrap_err();
    assert_eq!(err.kind(), "vault.read_only");
    assert_eq!(std::fs::read(&letter).unwrap(), b"an older letter");
    // The side log cannot be written (a folder where it should be): the report is not
    // put in place, and the file it was to replace is untouched.
    std::fs::remove_file(&side).unwrap();
    std::fs::create_dir(&side).unwrap();
    let err = export_access(reg, subject, AccessFormat::Json, Lang::En, &answer).unwrap_err();
    assert_eq!(err.kind(), "vault.io", "{err}");
    assert_eq!(std::fs::read(&answer).unwrap(), b"an older answer");

    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.ends_with(".partial")),
        "a temporary file was left: {names:?}"
    );
    drop(opened);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the damaged file was written"
    );
}

#[test]
fn the_audit_stamp_lets_a_later_report_prove_the_history_was_kept() {
    let mut f = fixture(Lang::En);
    let first = build_art30(&f.reg, Lang::En).unwrap();
    export_art30(
        &mut f.reg,
        Art30Format::Json,
        Lang::En,
        &f.dir.join("r.json"),
    )
    .unwrap();
    let later = build_art30(&f.reg, Lang::En).unwrap();
    assert_eq!(later.audit.events, first.audit.events + 1);
    let log = audit_events(&f.reg);
    let at = log.iter().find(|e| e.seq == first.audit.events).unwrap();
    assert_eq!(at.hash, first.audit.head_hash);
    assert!(later.audit.intact);
}

#[test]
fn completing_an_access_request_writes_records_and_completes_all_or_nothing() {
    use privreg_core::store::requests::{Channel, NewRequest, RequestKind, RequestStatus};
    let mut f = fixture(Lang::En);
    let request = f
        .reg
        .add_request(&NewRequest {
            kind: RequestKind::Access,
            subject_id: Some(f.subject),
            requester: Default::default(),
            received_on: None,
            channel: Channel::default(),
            notes: String::new(),
        })
        .unwrap()
        .id;
    let out = f.dir.join("answer.pdf");
    std::fs::write(&out, b"an older answer").unwrap();
    let events = f.reg.verify_audit().unwrap().events;

    // Not verified yet: refused before any report is made.
    let err = complete_access_request(&mut f.reg, request, AccessFormat::Pdf, Lang::En, &out)
        .unwrap_err();
    assert_eq!(err.kind(), "input.invalid");
    assert_eq!(std::fs::read(&out).unwrap(), b"an older answer");

    f.reg
        .verify_request_identity(request, "answer from the registered e-mail address", None)
        .unwrap();
    assert!(f.reg.verify_audit().unwrap().events > events);
    let events = f.reg.verify_audit().unwrap().events;

    // The file cannot be put in place: the request stays open and nothing is recorded.
    let err = complete_access_request(
        &mut f.reg,
        request,
        AccessFormat::Pdf,
        Lang::En,
        &f.dir.join("no-such-folder/answer.pdf"),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "report.io");
    assert!(f.reg.request(request).unwrap().status.is_open());
    assert_eq!(f.reg.verify_audit().unwrap().events, events);

    // Done: the report replaces the old file, and one transaction recorded both.
    let (exported, outcome) =
        complete_access_request(&mut f.reg, request, AccessFormat::Pdf, Lang::En, &out).unwrap();
    assert_eq!(outcome.request.status, RequestStatus::Completed);
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    assert_eq!(exported.path, out);
    let log = audit_events(&f.reg);
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for action in ["request.report_sent", "request.completed", "report.created"] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    let created = log.iter().find(|e| e.action == "report.created").unwrap();
    assert_eq!(created.subject_id, Some(f.subject));
    assert_eq!(created.fields, vec!["access", "pdf", "en"]);
}

/// Issue 14: a profile that names the authority only as "Datatilsynet" (the controller
/// page's default) still prints its full contact details, in the report's language.
#[test]
fn datatilsynet_by_name_alone_is_printed_in_full_in_either_language() {
    let mut f = fixture(Lang::Nb);
    let mut c = f.reg.controller().unwrap().unwrap();
    c.supervisory_authority = " Datatilsynet ".into();
    f.reg.set_controller(&c).unwrap();
    let nb = build_access(&f.reg, f.subject, Lang::Nb).unwrap();
    let text = nb.controller.supervisory_authority.clone();
    assert!(
        text.contains("Postboks 458 Sentrum") && text.contains("Norge"),
        "{text}"
    );
    let en = build_access(&f.reg, f.subject, Lang::En).unwrap();
    assert!(en.controller.supervisory_authority.contains("Norway"));
    // Another authority is printed as given.
    c.supervisory_authority = "Integritetsskyddsmyndigheten, Box 8114, 104 20 Stockholm".into();
    f.reg.set_controller(&c).unwrap();
    let other = build_access(&f.reg, f.subject, Lang::En).unwrap();
    assert_eq!(
        other.controller.supervisory_authority,
        "Integritetsskyddsmyndigheten, Box 8114, 104 20 Stockholm"
    );
}

/// A person with a history: a refused erasure request, a completed objection to direct
/// marketing and an extended access request; a consent given and withdrawn; an
/// objection to the client follow-up, decided; a restriction; a retention date; legal
/// holds on the person and on an activity. Returns the ids of the client activity and
/// the newsletter.
fn with_history(f: &mut Fixture) -> (Id, Id) {
    use privreg_core::store::requests::{
        Channel, Completion, NewRequest, RefusalGround, RequestKind,
    };
    use privreg_core::store::retention::HoldTarget;
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let s = f.subject;
    let records = f.reg.records_of(s).unwrap();
    let clients = records
        .iter()
        .find(|r| r.value == "Bjørn Ødegård")
        .unwrap()
        .activity_id;
    let news = f.reg.consents_of(s).unwrap()[0].activity_id;
    let purpose = |reg: &Register, id: Id| reg.activity(id).unwrap().activity.purposes[0].clone();

    let news_purpose = purpose(&f.reg, news);
    f.reg
        .add_consent_event(
            s,
            &NewConsentEvent {
                activity_id: news,
                purpose: news_purpose,
                kind: ConsentKind::ConsentWithdrawn,
                method: "unsubscribe link".into(),
                at: None,
            },
        )
        .unwrap();
    // Art. 21(1): an objection to the client follow-up, decided: it continues.
    let client_purpose = purpose(&f.reg, clients);
    f.reg
        .add_consent_event(
            s,
            &NewConsentEvent {
                activity_id: clients,
                purpose: client_purpose,
                kind: ConsentKind::Objection,
                method: "e-mail".into(),
                at: None,
            },
        )
        .unwrap();
    f.reg
        .decide_objection(
            s,
            clients,
            ObjectionDecision::Continue,
            "The assignment history documents our deliveries under an open contract",
        )
        .unwrap();

    let request = |reg: &mut Register, kind: RequestKind| {
        reg.add_request(&NewRequest {
            kind,
            subject_id: Some(s),
            requester: Default::default(),
            received_on: None,
            channel: Channel::default(),
            notes: String::new(),
        })
        .unwrap()
        .id
    };
    let erasure = request(&mut f.reg, RequestKind::Erasure);
    f.reg
        .refuse_request(
            erasure,
            RefusalGround::LegalObligation,
            "Invoices are kept for five years (bokføringsloven § 13)",
        )
        .unwrap();
    let objection = request(&mut f.reg, RequestKind::Objection);
    f.reg
        .complete_request(objection, &Completion::Objection)
        .unwrap();
    let access = request(&mut f.reg, RequestKind::Access);
    f.reg
        .extend_request(
            access,
            1,
            "Records in several systems must be collected",
            None,
        )
        .unwrap();

    f.reg
        .set_retention_date(
            s,
            clients,
            RetentionTrigger::RelationshipEnded,
            Some(day("2026-04-30")),
        )
        .unwrap();
    f.reg
        .add_hold(
            HoldTarget::Subject(s),
            "Dispute about invoice 2025-117",
            Some(day("2027-12-31")),
        )
        .unwrap();
    f.reg
        .add_hold(HoldTarget::Activity(clients), "Tax audit of 2025", None)
        .unwrap();
    f.reg
        .restrict_subject(s, "Accuracy contested: the job title is being checked")
        .unwrap();
    (clients, news)
}

/// The issue: the access report calls itself a complete copy, so it holds the person's
/// requests and their outcomes, the consent and objection history, the restriction,
/// the retention dates and holds, where the data is kept, and the recipients told under
/// Art. 19, in the JSON (valid against the schema) and in the PDF, in both languages.
#[test]
fn the_access_report_is_complete_in_json_and_pdf_in_both_languages() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let (clients, news) = with_history(&mut f);
        let report = build_access(&f.reg, f.subject, lang).unwrap();
        let json: Value =
            serde_json::from_slice(&render_access(&report, AccessFormat::Json).unwrap()).unwrap();
        validate(ACCESS_SCHEMA, &json);
        assert_eq!(json["schema_version"], 1);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
        let words = |d| labels::date(lang, d);

        // The requests, oldest first, with their outcomes.
        let requests = json["requests"].as_array().unwrap();
        let kinds: Vec<&str> = requests
            .iter()
            .map(|r| r["kind"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["erasure", "objection", "access"]);
        let refused = &requests[0];
        assert_eq!(refused["status"]["code"], "refused");
        assert_eq!(refused["kind"]["article"], "Art. 17");
        assert_eq!(refused["refusal_ground"]["code"], "legal_obligation");
        assert_eq!(refused["refusal_ground"]["article"], "Art. 17(3)(b)");
        assert_eq!(
            refused["refusal_reason"],
            "Invoices are kept for five years (bokføringsloven § 13)"
        );
        let ground = refused["refusal_ground"]["label"].as_str().unwrap();
        let outcome = refused["outcome"].as_str().unwrap();
        assert!(
            outcome.contains(ground) && outcome.contains(&words(today)),
            "{outcome}"
        );
        assert_eq!(refused["closed_on"], "2026-05-12");
        let completed = &requests[1];
        assert_eq!(completed["status"]["code"], "completed");
        assert_eq!(completed["closed_on"], "2026-05-12");
        let extended = &requests[2];
        assert_eq!(extended["status"]["code"], "extended");
        assert_eq!(extended["due_on"], "2026-07-12");
        assert_eq!(extended["closed_on"], Value::Null);
        let new_deadline = words(chrono::NaiveDate::from_ymd_opt(2026, 7, 12).unwrap());
        assert!(
            extended["outcome"]
                .as_str()
                .unwrap()
                .contains(&new_deadline),
            "{}",
            extended["outcome"]
        );

        // Restriction (Art. 18) and the objection to direct marketing (Art. 21(3)).
        assert_eq!(json["restriction"]["restricted"], true);
        assert_eq!(json["restriction"]["since"], "2026-05-12");
        assert_eq!(
            json["restriction"]["reason"],
            "Accuracy contested: the job title is being checked"
        );
        assert_eq!(json["marketing_objection"]["objected"], true);
        assert_eq!(json["marketing_objection"]["since"], "2026-05-12");

        let activity = |id: Id| {
            json["activities"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["id"] == id)
                .unwrap()
                .clone()
        };
        let c = activity(clients);
        // Where the data is kept: the systems, beside the processors.
        let systems: Vec<&str> = c["systems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert!(
            systems.contains(&"Microsoft Dynamics 365 (CRM)"),
            "{systems:?}"
        );
        assert!(!c["processors"].as_array().unwrap().is_empty());
        // The objection decision.
        assert_eq!(c["objections"][0]["decision"]["code"], "continue");
        assert_eq!(c["objections"][0]["decided_on"], "2026-05-12");
        assert_eq!(
            c["objections"][0]["grounds"],
            "The assignment history documents our deliveries under an open contract"
        );
        // The retention date, and when the data it counts for may go.
        assert_eq!(
            c["retention_dates"][0]["trigger"]["code"],
            "relationship_ended"
        );
        assert_eq!(c["retention_dates"][0]["on"], "2026-04-30");
        assert_eq!(c["retention_dates"][0]["due"][0]["due_on"], "2029-04-30");
        // The holds that stop deletion: on the person and on the activity.
        let holds = c["holds"].as_array().unwrap();
        assert_eq!(holds.len(), 2, "{holds:?}");
        let on_person = holds.iter().find(|h| h["on"]["code"] == "subject").unwrap();
        assert_eq!(on_person["reason"], "Dispute about invoice 2025-117");
        assert_eq!(on_person["until"], "2027-12-31");
        let on_activity = holds
            .iter()
            .find(|h| h["on"]["code"] == "activity")
            .unwrap();
        assert_eq!(on_activity["until"], Value::Null);
        // The consent history: given, withdrawn and the objection to marketing; the
        // withdrawal started the "unsubscribed" clock; only the person's hold applies.
        let n = activity(news);
        let consents: Vec<&str> = n["consents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            consents,
            ["consent_given", "consent_withdrawn", "objection"]
        );
        assert_eq!(n["retention_dates"][0]["trigger"]["code"], "unsubscribed");
        assert_eq!(n["holds"].as_array().unwrap().len(), 1);
        assert!(n["objections"].as_array().unwrap().is_empty());
        // Art. 19 (the section exists; its content is tested with the notifications).
        assert!(json["notifications"].is_array());
        // The new free texts stay out of Debug output.
        let debug = format!("{report:?}");
        for v in [
            "bokføringsloven",
            "job title is being checked",
            "open contract",
        ] {
            assert!(!debug.contains(v), "{v} leaked into Debug");
        }

        // The PDF: each new section's heading and a value from it.
        let pdf = render_access(&report, AccessFormat::Pdf).unwrap();
        keep(&format!("access-complete-{}.pdf", lang.code()), &pdf);
        let text = body_text(&pdf_text(&pdf), lang);
        let l = |k| label(lang, k);
        for key in [
            "requests_heading",
            "refusal_reasons",
            "extension_reasons",
            "rights_status_heading",
            "restriction_heading",
            "restricted_now",
            "marketing_objection_heading",
            "marketing_objected",
            "objections_heading",
            "where_kept",
            "retention_dates",
            "holds",
            "hold_on_subject",
            "hold_on_activity",
            "notifications_heading",
        ] {
            assert_has(&text, l(key), key);
        }
        for r in &report.requests {
            assert_has(&text, &r.outcome, "request outcome");
            assert_has(&text, &r.kind.label, "request kind");
        }
        assert_has(&text, ground, "refusal ground");
        for v in [
            "Invoices are kept for five years (bokføringsloven § 13)",
            "Records in several systems must be collected",
            "Accuracy contested: the job title is being checked",
            "The assignment history documents our deliveries under an open contract",
            "Microsoft Dynamics 365 (CRM)",
            "Dispute about invoice 2025-117",
            "2027-12-31",
            "Tax audit of 2025",
            "2026-04-30",
            "2029-04-30",
            l("objection_continue"),
            l("hold_until_released"),
        ] {
            assert_has(&text, v, "new section value");
        }
        let relationship_ended = c["retention_dates"][0]["trigger"]["label"]
            .as_str()
            .unwrap()
            .to_string();
        assert_has(&text, &relationship_ended, "retention trigger");
        assert_has(
            &text,
            &format!("{}: 2026-05-12", l("restricted_since")),
            "restricted since",
        );
        assert_has(
            &text,
            &format!("{}: 2026-05-12", l("objected_on")),
            "objected on",
        );
    }
}

/// A person with no requests, no restriction and no one told under Art. 19: the
/// sections are there and say that none is recorded.
#[test]
fn the_access_report_says_none_recorded_for_empty_sections() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let nina = f
            .reg
            .add_subject(&SubjectFields {
                name: "Nina Nyregistrert".into(),
                ..Default::default()
            })
            .unwrap()
            .id;
        let report = build_access(&f.reg, nina, lang).unwrap();
        let json: Value =
            serde_json::from_slice(&render_access(&report, AccessFormat::Json).unwrap()).unwrap();
        validate(ACCESS_SCHEMA, &json);
        assert!(json["requests"].as_array().unwrap().is_empty());
        assert!(json["notifications"].as_array().unwrap().is_empty());
        assert_eq!(json["restriction"]["restricted"], false);
        assert_eq!(json["restriction"]["since"], Value::Null);
        assert_eq!(json["marketing_objection"]["objected"], false);
        let text = squash(&body_text(
            &pdf_text(&render_access(&report, AccessFormat::Pdf).unwrap()),
            lang,
        ));
        let l = |k| label(lang, k);
        for heading in ["requests_heading", "notifications_heading"] {
            let after = squash(&format!("{} {}", l(heading), l("none_recorded")));
            assert!(text.contains(&after), "{heading}: {text}");
        }
        for key in ["not_restricted", "no_marketing_objection"] {
            assert!(text.contains(&squash(l(key))), "{key}");
        }
    }
}

/// Issue 14: a template's retention periods and its DPIA and automated-decision answers
/// are proposals; the Art. 30 record marks each "Proposal — to be confirmed" /
/// "Forslag – må bekreftes" in every format until the manager confirms it.
#[test]
fn the_art30_record_marks_a_templates_proposals_until_they_are_confirmed() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let mark = label(lang, "proposal_unconfirmed");
        assert_eq!(
            mark,
            lang.pick("Proposal — to be confirmed", "Forslag – må bekreftes")
        );
        let report = build_art30(&f.reg, lang).unwrap();
        let json: Value =
            serde_json::from_slice(&render_art30(&report, Art30Format::Json).unwrap()).unwrap();
        validate(ART30_SCHEMA, &json);
        let activities = json["activities"].as_array().unwrap();
        let proposing: Vec<&Value> = activities
            .iter()
            .filter(|a| !a["proposals"].as_array().unwrap().is_empty())
            .collect();
        // Every activity made from a template (the hostile one is a template's copy),
        // not the draft made by hand.
        assert_eq!(proposing.len(), templates::list(lang).len() + 1);
        let codes: Vec<&str> = proposing[0]["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["retention", "dpia", "automated_decisions"]);
        assert_eq!(
            proposing[0]["proposals"][1]["label"],
            Proposal::Dpia.label(lang)
        );
        let incomplete = activities.iter().find(|a| a["id"] == f.incomplete).unwrap();
        assert_eq!(incomplete["proposals"], serde_json::json!([]));

        // The PDF: three marks per activity from a template.
        let marks = |reg: &Register| {
            let pdf = render_art30(&build_art30(reg, lang).unwrap(), Art30Format::Pdf).unwrap();
            squash(&pdf_text(&pdf)).matches(&squash(mark)).count()
        };
        let before = marks(&f.reg);
        assert!(before >= 3 * proposing.len(), "{before} marks");
        let csv = String::from_utf8(render_art30(&report, Art30Format::Csv).unwrap()).unwrap();
        assert!(csv.contains(mark), "the CSV marks the proposals");

        // Confirming the DPIA of one activity takes one mark away.
        let id = proposing[0]["id"].as_i64().unwrap();
        let mut a = f.reg.activity(id).unwrap().activity;
        assert!(a.confirm(Proposal::Dpia));
        let a = f.reg.update_activity(id, &a).unwrap().activity;
        assert_eq!(
            a.proposals,
            [Proposal::Retention, Proposal::AutomatedDecisions]
        );
        assert_eq!(marks(&f.reg), before - 1);

        // Confirmed everywhere: no mark is left in any format.
        for stored in f.reg.activities().unwrap() {
            let mut a = stored.activity;
            if !a.proposals.is_empty() {
                a.proposals.clear();
                f.reg.update_activity(stored.id, &a).unwrap();
            }
        }
        assert_eq!(marks(&f.reg), 0);
        let report = build_art30(&f.reg, lang).unwrap();
        assert!(report.activities.iter().all(|a| a.proposals.is_empty()));
        let csv = String::from_utf8(render_art30(&report, Art30Format::Csv).unwrap()).unwrap();
        assert!(!csv.contains(mark));
    }
}

/// Issue 14: criminal offence data (Art. 10) is marked as such, not as a special
/// category, and needs no Art. 9 condition.
#[test]
fn criminal_offence_data_is_marked_as_art10_data() {
    let mut f = fixture(Lang::Nb);
    let mut a = templates::activity("job_applicants", Lang::Nb).unwrap();
    a.name = "Politiattest for kursholdere".into();
    a.data_categories
        .push(DataCategory::new("Politiattest", CategoryGroup::Criminal));
    assert_eq!(a.art9_condition, None);
    f.reg.add_activity(&a).unwrap();
    let report = build_art30(&f.reg, Lang::Nb).unwrap();
    let entry = report
        .activities
        .iter()
        .find(|x| x.name == "Politiattest for kursholdere")
        .unwrap();
    let c = entry
        .data_categories
        .iter()
        .find(|c| c.name == "Politiattest")
        .unwrap();
    assert!(c.sensitive);
    assert_eq!(c.group.code, "criminal");
    assert_eq!(c.group.label, "Straffedommer og lovovertredelser");
    assert_eq!(c.fides, "user.criminal_history");
    let csv = String::from_utf8(render_art30(&report, Art30Format::Csv).unwrap()).unwrap();
    assert!(
        csv.contains("Politiattest (straffbare forhold (art. 10))"),
        "{csv}"
    );
    let text = pdf_text(&render_art30(&report, Art30Format::Pdf).unwrap());
    assert_has(&text, label(Lang::Nb, "criminal"), "Art. 10 mark");
}

/// Issue 14: the access report lists the recipients told of a change (Art. 19, second
/// sentence): a correction of one of the person's records makes a task per recipient of
/// their activities; one is marked told; both languages.
#[test]
fn the_access_report_lists_the_recipients_told_under_art_19() {
    use privreg_core::store::notify::NotifyStatus;
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let record = f.reg.records_of(f.subject).unwrap()[0].id;
        f.reg
            .update_record(record, "Bjørn K. Ødegård", "skrivefeil")
            .unwrap();
        let tasks = f.reg.notifications_for(f.subject).unwrap();
        assert!(!tasks.is_empty(), "the client activity has processors");
        let told = &tasks[0];
        f.reg
            .mark_notification(told.id, NotifyStatus::Told, None, "e-post til leverandøren")
            .unwrap();
        let report = build_access(&f.reg, f.subject, lang).unwrap();
        let json: Value =
            serde_json::from_slice(&render_access(&report, AccessFormat::Json).unwrap()).unwrap();
        validate(ACCESS_SCHEMA, &json);
        let listed = json["notifications"].as_array().unwrap();
        assert_eq!(listed.len(), tasks.len());
        assert_eq!(listed[0]["recipient"], told.recipient.as_str());
        assert_eq!(listed[0]["status"]["code"], "told");
        assert_eq!(listed[0]["cause"]["code"], "rectification");
        let text = squash(&body_text(
            &pdf_text(&render_access(&report, AccessFormat::Pdf).unwrap()),
            lang,
        ));
        assert!(
            text.contains(&squash(label(lang, "notifications_heading"))),
            "{text}"
        );
        assert!(text.contains(&squash(&told.recipient)), "{text}");
        assert!(
            text.contains(&squash(NotifyStatus::Told.label(lang))),
            "{text}"
        );
    }
}

/// Issue 15: the Art. 30 record points to the breaches not yet closed, in both
/// languages, and says nothing of them once they are closed.
#[test]
fn the_art30_record_points_to_open_breaches() {
    use privreg_core::store::breaches::*;
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let now = f.reg.clock().now();
        let b = f
            .reg
            .add_breach(&BreachFacts {
                title: "Mistet bærbar PC".into(),
                discovered_at: Some(now),
                aware_at: Some(now),
                kinds: vec![BreachKind::Availability],
                ..Default::default()
            })
            .unwrap();
        let report = build_art30(&f.reg, lang).unwrap();
        let json: Value =
            serde_json::from_slice(&render_art30(&report, Art30Format::Json).unwrap()).unwrap();
        validate(ART30_SCHEMA, &json);
        assert_eq!(json["open_breaches"][0]["reference"], b.reference.as_str());
        let text = squash(&pdf_text(&render_art30(&report, Art30Format::Pdf).unwrap()));
        assert!(
            text.contains(&squash(label(lang, "open_breaches_heading"))),
            "{text}"
        );
        assert!(text.contains(&squash("Mistet bærbar PC")), "{text}");
        assert!(text.contains(&b.reference), "{text}");
    }
}
