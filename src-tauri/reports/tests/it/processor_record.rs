//! The processor's record (Art. 30(2)) as its readers check it, in English and bokmål:
//! the PDF's text (poppler's `pdftotext`) holds every field of every controller; the
//! JSON validates against the schema in the repository; the CSV and both XLSX layouts
//! are read back (the workbook's XML, as a spreadsheet program reads it), Datatilsynet's
//! layout with its headings in order and its mandatory and optional columns marked;
//! the export is audited without the data.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use chrono::NaiveDate;
use privreg_core::labels::{article, Labelled};
use privreg_core::model::*;
use privreg_core::templates::Lang;
use privreg_core::{AuditFilter, FixedClock, Register};
use privreg_reports::processor_record::{self, label, DATATILSYNET_MARK_ROW};
use privreg_reports::*;
use serde_json::Value;

use super::common::squash;

const ORG: &str = "Fjordlys Rådgivning AS";
const CLIENT: &str = "Havbris Regnskap AS";
const CLIENT_ORG_NUMBER: &str = "912 345 678";
const CLIENT_ADDRESS: &str = "Kaigata 5, 6002 Ålesund";
const CLIENT_EMAIL: &str = "post@havbris.example.no";
const CLIENT_PHONE: &str = "+47 70 00 00 01";
const REP: &str = "Nordic Rep GmbH";
const REP_EMAIL: &str = "rep@nordicrep.example.de";
const DPO: &str = "Åse Ombudsen";
const DPO_EMAIL: &str = "ombud@havbris.example.no";
const DPA: &str = "Databehandleravtale HB-2026-04";
const PROCESSING: [&str; 2] = [
    "Lønnskjøring for de ansatte",
    "Regnskapsføring og årsoppgjør",
];
const TRANSFER_COUNTRY: &str = "USA";
const TRANSFER_RECIPIENT: &str = "Brukerstøtte hos leverandøren";
const TRANSFER_DOC: &str = "Vurdering 3. mars 2026: kryptert, bare metadata";
const SECURITY: [&str; 2] = ["Tofaktorinnlogging", "Kryptering av lagrede data"];
const NOTES: &str = "Avtalen fornyes hvert år i april";
const ENDED: &str = "Gammel Kunde AS";
const HOSTILE: &str = "@x $y$ #read(\"/etc/passwd\")";
const MS: &str = "Microsoft 365";
const MS_DPA: &str = "Microsoft Products and Services DPA";
const VISMA: &str = "Visma eAccounting";

struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    reg: Register,
    active: Id,
    ended: Id,
}

/// A register on 12 May 2026: the organisation's profile, three processors (one a
/// recipient, used by no client), a client controller with every field and two
/// sub-processors, and an ended one with nothing but its name and a hostile note.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create_unencrypted(
        &dir.path().join("prosessor.privreg"),
        Arc::new(FixedClock::at("2026-05-12T09:30:00Z")),
    )
    .unwrap();
    reg.set_actor("record-tester");
    reg.set_controller(&Controller {
        organisation: ORG.into(),
        org_number: "999 888 777".into(),
        address: "Strandkaien 1, 5013 Bergen".into(),
        email: "personvern@fjordlys.example.no".into(),
        phone: "+47 55 00 00 00".into(),
        dpo: Some(Contact {
            name: "Ingrid Personvern".into(),
            email: "ombud@fjordlys.example.no".into(),
            ..Default::default()
        }),
        ..Default::default()
    })
    .unwrap();
    let processor = |reg: &mut Register, name: &str, role, dpa: &str| {
        reg.add_processor(&Processor {
            name: name.into(),
            country: "Irland".into(),
            role,
            dpa_reference: dpa.into(),
            ..Default::default()
        })
        .unwrap()
        .id
    };
    let ms = processor(&mut reg, MS, ProcessorRole::Processor, MS_DPA);
    let visma = processor(&mut reg, VISMA, ProcessorRole::SubProcessor, "");
    processor(&mut reg, "LinkedIn", ProcessorRole::Recipient, "");
    let ended = reg
        .add_client(&ClientController {
            name: ENDED.into(),
            status: ClientStatus::Ended,
            notes: HOSTILE.into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let active = reg
        .add_client(&ClientController {
            name: CLIENT.into(),
            org_number: CLIENT_ORG_NUMBER.into(),
            address: CLIENT_ADDRESS.into(),
            email: CLIENT_EMAIL.into(),
            phone: CLIENT_PHONE.into(),
            representative: Some(Contact {
                name: REP.into(),
                email: REP_EMAIL.into(),
                ..Default::default()
            }),
            dpo: Some(Contact {
                name: DPO.into(),
                email: DPO_EMAIL.into(),
                ..Default::default()
            }),
            dpa_reference: DPA.into(),
            dpa_date: NaiveDate::from_ymd_opt(2026, 4, 1),
            processing: PROCESSING.iter().map(|s| s.to_string()).collect(),
            sub_processor_ids: vec![visma, ms],
            transfers: vec![Transfer {
                country: TRANSFER_COUNTRY.into(),
                recipient: TRANSFER_RECIPIENT.into(),
                safeguard: TransferSafeguard::CompellingLegitimateInterests,
                documentation: TRANSFER_DOC.into(),
            }],
            security_measures: SECURITY.iter().map(|s| s.to_string()).collect(),
            status: ClientStatus::Active,
            notes: NOTES.into(),
        })
        .unwrap()
        .id;
    Fixture {
        dir: dir.path().to_path_buf(),
        _dir: dir,
        reg,
        active,
        ended,
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(f.path())
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text without what repeats on every page (the running header and footer) or at
/// the top of a table continued on a new page, so that a cell split over two pages
/// reads as one.
fn body_text(text: &str, lang: Lang) -> String {
    let l = |k: &str| labels::label(lang, k);
    let table_heads: Vec<String> = [
        vec![l("ref"), l("field"), l("content")],
        vec![l("name"), l("role"), l("country"), l("dpa_reference")],
    ]
    .into_iter()
    .map(|v| v.join(" "))
    .collect();
    text.lines()
        .filter(|line| {
            let t = line.trim();
            let footer =
                t.starts_with(&format!("{} ", l("page"))) && t.contains(&format!(" {} ", l("of")));
            let header = t.starts_with(&format!("{ORG} ")) && t.contains(" · ");
            !(footer || header || table_heads.iter().any(|h| h == t))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_has(text: &str, needle: &str, what: &str) {
    assert!(
        squash(text).contains(&squash(needle)),
        "{what}: {needle:?} is not in the text"
    );
}

fn validate(value: &Value) {
    let schema: Value = serde_json::from_str(PROCESSOR_RECORD_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

// --- Reading a workbook back: its shared strings and each sheet's rows -------------

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

struct Workbook {
    zip: zip::ZipArchive<std::io::Cursor<Vec<u8>>>,
    strings: Vec<String>,
}

impl Workbook {
    fn open(bytes: Vec<u8>) -> Workbook {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/sharedStrings.xml").unwrap(), &mut xml)
            .unwrap();
        let strings = xml
            .split("<si>")
            .skip(1)
            .map(|si| {
                let mut rest = si.split("</si>").next().unwrap();
                let mut text = String::new();
                while let Some(start) = rest.find("<t") {
                    let after = &rest[start..];
                    let body = &after[after.find('>').unwrap() + 1..];
                    let end = body.find("</t>").unwrap();
                    text.push_str(&body[..end]);
                    rest = &body[end + 4..];
                }
                unescape(&text)
            })
            .collect();
        Workbook { zip, strings }
    }

    fn file(&mut self, name: &str) -> String {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut self.zip.by_name(name).unwrap(), &mut xml).unwrap();
        xml
    }

    /// The rows of sheet `n` (1-based) by their 1-based row number, each cell's text in
    /// column order.
    fn rows(&mut self, n: usize) -> std::collections::BTreeMap<u32, Vec<String>> {
        let xml = self.file(&format!("xl/worksheets/sheet{n}.xml"));
        let mut rows = std::collections::BTreeMap::new();
        for row in xml.split("<row ").skip(1) {
            let head_end = row.find('>').unwrap();
            let number: u32 = row[..head_end]
                .split("r=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap()
                .parse()
                .unwrap();
            if row[..head_end].ends_with('/') {
                continue;
            }
            let body = row.split("</row>").next().unwrap();
            let cells = body
                .split("<c ")
                .skip(1)
                .map(|c| {
                    let v = c
                        .split("<v>")
                        .nth(1)
                        .and_then(|s| s.split("</v>").next())
                        .unwrap_or("");
                    if c[..c.find('>').unwrap()].contains("t=\"s\"") {
                        self.strings[v.parse::<usize>().unwrap()].clone()
                    } else {
                        unescape(v)
                    }
                })
                .collect();
            rows.insert(number, cells);
        }
        rows
    }
}

// --- The tests ---------------------------------------------------------------------

#[test]
fn the_json_validates_against_its_schema_and_shows_what_is_missing() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture();
        let record = build_processor_record(&f.reg, lang).unwrap();
        let json: Value = serde_json::from_slice(
            &render_processor_record(&record, ProcessorRecordFormat::Json).unwrap(),
        )
        .unwrap();
        validate(&json);
        assert_eq!(json["schema"], "privreg.processor_record");
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["lang"], lang.code());
        assert_eq!(json["processor"]["organisation"], ORG);
        let check = f.reg.verify_audit().unwrap();
        assert_eq!(json["audit"]["head_hash"], check.head_hash);
        // The active controller first, although "Gammel" sorts before "Havbris".
        let clients = json["clients"].as_array().unwrap();
        assert_eq!(clients.len(), 2);
        assert_eq!(clients[0]["id"], f.active);
        assert_eq!(clients[1]["id"], f.ended);
        let c = &clients[0];
        assert_eq!(c["missing"], serde_json::json!([]));
        assert_eq!(c["dpa_date"], "2026-04-01");
        assert_eq!(c["status"]["code"], "active");
        assert_eq!(c["status"]["label"], ClientStatus::Active.label(lang));
        assert_eq!(c["dpo"]["name"], DPO);
        assert_eq!(c["representative"]["email"], REP_EMAIL);
        let subs: Vec<&str> = c["sub_processors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(subs, [VISMA, MS], "in the client's order");
        assert_eq!(
            c["transfers"][0]["safeguard"]["article"],
            "Art. 49(1) second subparagraph"
        );
        assert_eq!(c["transfers"][0]["documentation"], TRANSFER_DOC);
        assert_eq!(
            clients[1]["missing"],
            serde_json::json!(REQUIRED_CLIENT_FIELDS)
        );
        assert_eq!(clients[1]["dpo"], Value::Null);
        // The sub-processors once each, by name; the unused recipient is not one.
        let all: Vec<&str> = json["sub_processors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(all, [MS, VISMA]);
    }
}

#[test]
fn the_pdf_holds_every_field_of_every_controller_in_both_languages() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture();
        let record = build_processor_record(&f.reg, lang).unwrap();
        let pdf = render_processor_record(&record, ProcessorRecordFormat::Pdf).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = body_text(&pdf_text(&pdf), lang);
        let l = |k: &str| label(lang, k);
        for heading in [
            "pr_title",
            "pr_subtitle",
            "pr_processor_heading",
            "pr_clients_heading",
            "pr_controller",
            "pr_representative",
            "pr_dpo",
            "pr_dpa",
            "pr_dpa_date",
            "pr_processing",
            "pr_sub_processors",
            "transfers",
            "security_measures",
            "pr_notes",
            "pr_sub_processors_heading",
            "pr_ref_a",
            "pr_ref_b",
            "pr_ref_c",
            "pr_ref_d",
        ] {
            assert_has(&text, l(heading), heading);
        }
        // The processor: this organisation (Art. 30(2)(a)).
        for v in [
            ORG,
            "999 888 777",
            "Strandkaien 1, 5013 Bergen",
            "Ingrid Personvern",
        ] {
            assert_has(&text, v, "the processor");
        }
        // The controller, every field.
        for v in [
            CLIENT,
            CLIENT_ORG_NUMBER,
            CLIENT_ADDRESS,
            CLIENT_EMAIL,
            CLIENT_PHONE,
            REP,
            REP_EMAIL,
            DPO,
            DPO_EMAIL,
            DPA,
            "2026-04-01",
            PROCESSING[0],
            PROCESSING[1],
            VISMA,
            MS,
            MS_DPA,
            TRANSFER_COUNTRY,
            TRANSFER_RECIPIENT,
            TRANSFER_DOC,
            SECURITY[0],
            SECURITY[1],
            NOTES,
            ClientStatus::Active.label(lang),
        ] {
            assert_has(&text, v, "the active controller");
        }
        assert_has(
            &text,
            TransferSafeguard::CompellingLegitimateInterests.label(lang),
            "the safeguard",
        );
        assert_has(
            &text,
            &article(lang, "Art. 49(1) second subparagraph"),
            "the safeguard's article in the report's style",
        );
        // The ended controller: its status, what it lacks, its note printed literally.
        assert_has(&text, ENDED, "the ended controller");
        assert_has(&text, ClientStatus::Ended.label(lang), "ended");
        assert_has(&text, labels::label(lang, "missing"), "MISSING");
        assert_has(
            &text,
            label(lang, "pr_field_processing"),
            "missing processing",
        );
        assert_has(&text, HOSTILE, "the hostile note, as written");
        assert!(!text.contains("root:"), "a file was read into the report");
        // The audit stamp.
        assert_has(&text, &record.audit.head_hash, "audit head hash");
        // Nothing of the other language's labels.
        let other = if lang == Lang::En { Lang::Nb } else { Lang::En };
        assert!(
            !squash(&text).contains(&squash(label(other, "pr_processing"))),
            "{lang:?} record has the other language's label"
        );
    }
}

#[test]
fn csv_and_xlsx_hold_every_controller_in_the_chosen_language() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture();
        let record = build_processor_record(&f.reg, lang).unwrap();
        let heads: Vec<String> = processor_record::columns()
            .iter()
            .map(|c| c.heading(lang))
            .collect();

        let csv = String::from_utf8(
            render_processor_record(&record, ProcessorRecordFormat::Csv).unwrap(),
        )
        .unwrap();
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(lines[0].starts_with(&heads[..2].join(",")), "{}", lines[0]);
        assert!(lines[0].contains(labels::label(lang, "audit_head")));
        assert!(lines[1].starts_with(CLIENT), "{}", lines[1]);
        assert!(lines[2].starts_with(ENDED), "{}", lines[2]);
        assert!(csv.contains(&format!("{}; {}", PROCESSING[0], PROCESSING[1])));
        assert!(csv.contains(&record.audit.head_hash));
        assert!(lines[2].contains(labels::label(lang, "missing")));
        assert!(
            csv.contains("'@x $y$ #read(\"\"/etc/passwd\"\")"),
            "the hostile note is defused: {csv}"
        );

        let mut wb =
            Workbook::open(render_processor_record(&record, ProcessorRecordFormat::Xlsx).unwrap());
        let rows = wb.rows(1);
        let (&header_row, _) = rows
            .iter()
            .find(|(_, cells)| cells.first() == Some(&heads[0]))
            .expect("the header row");
        assert_eq!(rows[&header_row], heads, "the headings, in order");
        let first = &rows[&(header_row + 1)];
        assert_eq!(first[0], CLIENT);
        assert_eq!(
            first[2],
            [CLIENT_ADDRESS, CLIENT_EMAIL, CLIENT_PHONE].join("\n")
        );
        assert_eq!(first[7], PROCESSING.join("\n"));
        let second = &rows[&(header_row + 2)];
        assert_eq!(second[0], ENDED);
        assert_eq!(second[2], labels::label(lang, "missing"));
        assert!(rows.values().flatten().any(|c| c.contains(ORG)));
        assert!(rows
            .values()
            .flatten()
            .any(|c| *c == record.audit.head_hash));
        // The second sheet: the sub-processors and whom each is engaged for.
        let subs = wb.rows(2);
        assert_eq!(subs[&2][0], MS);
        assert_eq!(subs[&2][4], CLIENT);
        assert_eq!(subs[&3][0], VISMA);
        assert_eq!(
            subs[&3][3],
            labels::label(lang, "missing"),
            "no DPA recorded"
        );
    }
}

#[test]
fn the_datatilsynet_layout_has_its_headings_in_order_and_marks_the_mandatory_columns() {
    let expected_nb = [
        "Navn på behandlingsansvarlig som databehandleren opptrer på vegne av",
        "Kontaktopplysninger til den behandlingsansvarlige",
        "Den behandlingsansvarliges representant, dersom det er relevant",
        "Den behandlingsansvarliges personvernombud, dersom det er relevant",
        "Kategoriene av behandling utført på vegne av den behandlingsansvarlige",
        "Overføringer av personopplysninger til en tredjestat eller en internasjonal organisasjon, og hvilken",
        "Garantier for overføringene, og ved overføringer etter art. 49 nr. 1 annet ledd dokumentasjon på nødvendige garantier",
        "Generell beskrivelse av de tekniske og organisatoriske sikkerhetstiltakene (art. 32 nr. 1)",
        "Organisasjonsnummer til den behandlingsansvarlige",
        "Databehandleravtale (art. 28 nr. 3)",
        "Dato for databehandleravtalen",
        "Underdatabehandlere (art. 28 nr. 2 og 4)",
        "Status",
        "Merknader",
    ];
    for lang in [Lang::Nb, Lang::En] {
        let f = fixture();
        let record = build_processor_record(&f.reg, lang).unwrap();
        let bytes =
            render_processor_record(&record, ProcessorRecordFormat::XlsxDatatilsynet).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let mut wb = Workbook::open(bytes);
        let workbook = wb.file("xl/workbook.xml");
        assert!(
            workbook.contains(&format!("name=\"{}\"", label(lang, "pr_dt_sheet"))),
            "{workbook}"
        );
        let rows = wb.rows(1);
        let heads = &rows[&(DATATILSYNET_MARK_ROW + 2)];
        let wanted: Vec<String> = processor_record::datatilsynet_columns()
            .iter()
            .map(|c| c.heading(lang))
            .collect();
        assert_eq!(heads, &wanted);
        if lang == Lang::Nb {
            assert_eq!(heads, &expected_nb.map(String::from).to_vec());
        } else {
            assert_eq!(
                heads[0],
                "Name of the controller on whose behalf the processor acts"
            );
            assert_eq!(
                heads[7],
                "General description of the technical and organisational security measures (Art. 32(1))"
            );
        }
        // The row above the headings marks eight mandatory columns, then six optional.
        let marks = &rows[&(DATATILSYNET_MARK_ROW + 1)];
        let mandatory = label(lang, "pr_dt_mandatory");
        let optional = label(lang, "pr_dt_optional");
        assert_eq!(marks.len(), 14);
        assert!(marks[..8].iter().all(|m| m == mandatory), "{marks:?}");
        assert!(marks[8..].iter().all(|m| m == optional), "{marks:?}");
        // Orange for mandatory, green for optional, as in Datatilsynet's templates.
        let styles = wb.file("xl/styles.xml");
        assert!(
            styles.contains("FFF4B183") && styles.contains("FFA9D08E"),
            "{styles}"
        );
        // The processor at the top; each controller a row under the headings.
        assert!(rows[&3].iter().any(|c| c.contains(ORG)), "{:?}", rows[&3]);
        let first = &rows[&(DATATILSYNET_MARK_ROW + 3)];
        assert_eq!(first[0], CLIENT);
        assert_eq!(first[3], format!("{DPO}, {DPO_EMAIL}"));
        assert_eq!(first[4], PROCESSING.join("\n"));
        assert_eq!(
            first[5],
            format!("{TRANSFER_COUNTRY}: {TRANSFER_RECIPIENT}")
        );
        assert!(first[6].contains(TRANSFER_DOC), "{}", first[6]);
        assert_eq!(first[9], DPA);
        let second = &rows[&(DATATILSYNET_MARK_ROW + 4)];
        assert_eq!(second[0], ENDED);
        assert_eq!(second[1], labels::label(lang, "missing"));
        assert_eq!(second[2], labels::label(lang, "none"), "no representative");
        assert_eq!(second[13], HOSTILE, "a string cell, as written");
    }
}

#[test]
fn an_export_is_audited_without_the_data() {
    let mut f = fixture();
    let out = f.dir.join("databehandler.xlsx");
    let before = f.reg.verify_audit().unwrap();
    let done = export_processor_record(
        &mut f.reg,
        ProcessorRecordFormat::XlsxDatatilsynet,
        Lang::Nb,
        &out,
    )
    .unwrap();
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
    assert_eq!(done.format, "xlsx-datatilsynet");
    assert_eq!(done.audit_head, before.head_hash);
    assert_eq!(ProcessorRecordFormat::XlsxDatatilsynet.extension(), "xlsx");
    let ev = &f.reg.audit_log(AuditFilter::All, 1).unwrap()[0];
    assert_eq!(ev.action, "report.created");
    assert_eq!((ev.entity.as_str(), ev.entity_id), ("register", None));
    assert_eq!(
        ev.fields,
        vec!["processor_record", "xlsx-datatilsynet", "nb"]
    );
    let printed = serde_json::to_string(&f.reg.audit_log(AuditFilter::All, 100).unwrap()).unwrap();
    for secret in [
        CLIENT,
        DPO,
        CLIENT_EMAIL,
        "databehandler.xlsx",
        PROCESSING[0],
    ] {
        assert!(!printed.contains(secret), "{secret} in the audit log");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the file is the owner's only");
    }
    let pdf = f.dir.join("databehandler.pdf");
    export_processor_record(&mut f.reg, ProcessorRecordFormat::Pdf, Lang::En, &pdf).unwrap();
    let ev = &f.reg.audit_log(AuditFilter::All, 1).unwrap()[0];
    assert_eq!(ev.fields, vec!["processor_record", "pdf", "en"]);
    assert!(f.reg.verify_audit().unwrap().first_broken.is_none());
}
