//! `privreg client` and `privreg report processor-record` as a script would use them:
//! the processor's record (Art. 30(2)), the controllers the organisation processes
//! personal data for, kept and printed from the command line.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{fails, json, ok};

struct Reg {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

/// A new register with two processors: Microsoft 365 (a processor) and LinkedIn (a
/// recipient); returns their ids.
fn setup() -> (Reg, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("konsulent.privreg");
    ok(&path, &["init"]);
    ok(
        &path,
        &[
            "controller",
            "set",
            "--organisation",
            "Fjordlys Rådgivning AS",
            "--email",
            "post@fjordlys.example.no",
        ],
    );
    let ms = json(
        &path,
        &[
            "processor",
            "add",
            "--name",
            "Microsoft 365",
            "--country",
            "Irland",
            "--dpa",
            "Microsoft DPA",
        ],
    )["id"]
        .to_string();
    let linkedin = json(
        &path,
        &[
            "processor",
            "add",
            "--name",
            "LinkedIn",
            "--role",
            "recipient",
        ],
    )["id"]
        .to_string();
    (Reg { _dir: dir, path }, ms, linkedin)
}

/// Adds Havbris Regnskap AS with every field; returns its id.
fn add_havbris(path: &Path, ms: &str) -> String {
    let c = json(
        path,
        &[
            "client",
            "add",
            "--name",
            "Havbris Regnskap AS",
            "--org-number",
            "912 345 678",
            "--address",
            "Kaigata 5, 6002 Ålesund",
            "--email",
            "post@havbris.example.no",
            "--phone",
            "+47 70 00 00 01",
            "--representative-name",
            "Nordic Rep GmbH",
            "--representative-email",
            "rep@nordicrep.example.de",
            "--dpo-name",
            "Åse Ombudsen",
            "--dpo-email",
            "ombud@havbris.example.no",
            "--dpa",
            "Databehandleravtale HB-2026-04",
            "--dpa-date",
            "2026-04-01",
            "--processing",
            "Lønnskjøring for de ansatte",
            "--processing",
            "Regnskapsføring",
            "--sub-processor",
            ms,
            "--transfer",
            "USA;compelling_legitimate_interests;Brukerstøtte;Vurdering 3. mars; bare metadata",
            "--security",
            "Tofaktorinnlogging",
            "--notes",
            "Fornyes i april",
        ],
    );
    assert_eq!(c["name"], "Havbris Regnskap AS");
    c["id"].to_string()
}

/// The PDF's text in the order it was written, with every run of white space one space
/// (a phrase may wrap in a table cell).
fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_client_controller_is_added_edited_listed_shown_and_removed_from_the_command_line() {
    let (r, ms, linkedin) = setup();
    let id = add_havbris(&r.path, &ms);
    let shown = json(&r.path, &["client", "show", &id]);
    assert_eq!(shown["org_number"], "912 345 678");
    assert_eq!(shown["dpo"]["name"], "Åse Ombudsen");
    assert_eq!(shown["representative"]["email"], "rep@nordicrep.example.de");
    assert_eq!(shown["dpa_date"], "2026-04-01");
    assert_eq!(shown["processing"][1], "Regnskapsføring");
    assert_eq!(
        shown["sub_processor_ids"],
        serde_json::json!([ms.parse::<i64>().unwrap()])
    );
    assert_eq!(
        shown["transfers"][0]["safeguard"],
        "compelling_legitimate_interests"
    );
    assert_eq!(shown["transfers"][0]["recipient"], "Brukerstøtte");
    // The documentation is the rest of the value, semicolons and all.
    assert_eq!(
        shown["transfers"][0]["documentation"],
        "Vurdering 3. mars; bare metadata"
    );
    assert_eq!(shown["status"], "active");

    // Refused with the field named: a recipient as a sub-processor, an unknown one, an
    // Art. 49(1) second-subparagraph transfer without its documentation, a bad e-mail.
    for (args, field) in [
        (
            vec!["--sub-processor", linkedin.as_str()],
            "sub_processor_ids",
        ),
        (vec!["--sub-processor", "4711"], "sub_processor_ids"),
        (
            vec![
                "--transfer",
                "USA;compelling_legitimate_interests;Leverandør",
            ],
            "transfers.documentation",
        ),
        (vec!["--email", "ikke-en-adresse"], "email"),
    ] {
        let mut all = vec!["client", "add", "--name", "Avvist AS"];
        all.extend(args);
        let err = fails(&r.path, &all);
        assert!(err.contains(field), "{field}: {err}");
        assert!(
            !err.contains("ikke-en-adresse"),
            "the value is not echoed: {err}"
        );
    }
    let err = fails(
        &r.path,
        &[
            "client",
            "add",
            "--name",
            "X",
            "--transfer",
            "USA;by_handshake",
        ],
    );
    assert!(err.contains("standard_contractual_clauses"), "{err}");

    // Edited: the flags given change, the rest stays.
    let edited = json(
        &r.path,
        &[
            "client",
            "edit",
            &id,
            "--status",
            "ended",
            "--processing",
            "Bare lønn",
        ],
    );
    assert_eq!(edited["status"], "ended");
    assert_eq!(edited["processing"], serde_json::json!(["Bare lønn"]));
    assert_eq!(edited["dpo"]["email"], "ombud@havbris.example.no");
    assert_eq!(
        edited["security_measures"],
        serde_json::json!(["Tofaktorinnlogging"])
    );

    // From a JSON file, with a flag on top; incomplete, so the list says what it lacks.
    let file = r.path.with_file_name("kunde.json");
    fs::write(
        &file,
        r#"{"name": "Fra Fil AS", "processing": ["Drift av nettbutikk"]}"#,
    )
    .unwrap();
    let from_file = json(
        &r.path,
        &[
            "client",
            "add",
            "--file",
            file.to_str().unwrap(),
            "--email",
            "post@frafil.example.no",
        ],
    );
    assert_eq!(from_file["processing"][0], "Drift av nettbutikk");
    assert_eq!(from_file["email"], "post@frafil.example.no");
    let list = json(&r.path, &["client", "list"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Fra Fil AS", "Havbris Regnskap AS"]);
    assert_eq!(
        list[0]["missing_fields"],
        serde_json::json!(["security_measures", "dpa_reference"])
    );
    assert_eq!(
        list[1]["sub_processors"],
        serde_json::json!(["Microsoft 365"])
    );
    let text = ok(&r.path, &["client", "show", &id]);
    for v in [
        "Havbris Regnskap AS",
        "Microsoft 365",
        "Bare lønn",
        "Art. 49(1) second subparagraph",
        "(ended)",
    ] {
        assert!(text.contains(v), "{v} not in {text}");
    }
    assert!(ok(&r.path, &["client", "list"]).contains("missing: security_measures"));

    // Removed; the audit log names what changed, never a value.
    let fra_fil = from_file["id"].to_string();
    assert_eq!(
        json(&r.path, &["client", "remove", &fra_fil])["removed"],
        from_file["id"]
    );
    assert!(fails(&r.path, &["client", "show", &fra_fil]).contains("does not exist"));
    let log = json(&r.path, &["audit", "--limit", "100"]);
    let events: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "client")
        .collect();
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "client.removed",
            "client.created",
            "client.updated",
            "client.created"
        ]
    );
    let mut changed: Vec<&str> = events[2]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    changed.sort();
    assert_eq!(changed, ["processing", "status"]);
    let text = log.to_string();
    for secret in ["Havbris", "Ombudsen", "Lønnskjøring", "Fra Fil", "frafil"] {
        assert!(!text.contains(secret), "{secret} in the audit log");
    }
    assert!(ok(&r.path, &["verify"]).contains("audit log:  ok"));
}

#[test]
fn the_processors_record_is_written_in_every_format_and_language() {
    let (r, ms, _) = setup();
    add_havbris(&r.path, &ms);
    let dir = r.path.parent().unwrap().to_path_buf();
    for (format, magic) in [
        ("pdf", &b"%PDF-"[..]),
        ("json", &b"{"[..]),
        ("csv", "\u{feff}".as_bytes()),
        ("xlsx", &b"PK"[..]),
        ("xlsx-datatilsynet", &b"PK"[..]),
    ] {
        for lang in ["en", "nb"] {
            let out = dir.join(format!("prosessor-{lang}-{format}.out"));
            // `--out` as well as `-o`.
            let flag = if lang == "nb" { "--out" } else { "-o" };
            let printed = json(
                &r.path,
                &[
                    "report",
                    "processor-record",
                    "--format",
                    format,
                    "--lang",
                    lang,
                    flag,
                    out.to_str().unwrap(),
                ],
            );
            assert_eq!(printed["format"], format);
            assert_eq!(printed["lang"], lang);
            assert!(fs::read(&out).unwrap().starts_with(magic), "{format}");
        }
    }
    let nb = dir.join("prosessor-nb-pdf.out");
    let text = pdftotext(&nb);
    for v in [
        "Databehandlers protokoll",
        "Havbris Regnskap AS",
        "Lønnskjøring for de ansatte",
        "Microsoft 365",
        "Fjordlys Rådgivning AS",
        "art. 49 nr. 1 annet ledd",
    ] {
        assert!(text.contains(v), "{v} not in {text}");
    }
    let en = pdftotext(&dir.join("prosessor-en-pdf.out"));
    assert!(en.contains("The processor's record"), "{en}");
    let record: Value =
        serde_json::from_slice(&fs::read(dir.join("prosessor-en-json.out")).unwrap()).unwrap();
    assert_eq!(record["schema"], "privreg.processor_record");
    assert_eq!(
        record["clients"][0]["sub_processors"][0]["name"],
        "Microsoft 365"
    );
    let csv = fs::read_to_string(dir.join("prosessor-nb-csv.out")).unwrap();
    assert!(csv.contains("Kategorier av behandling"), "{csv}");

    // Each export is one audit event naming the report, format and language.
    let log = json(&r.path, &["audit", "--limit", "200"]);
    let reports: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "report.created")
        .collect();
    assert_eq!(reports.len(), 10);
    assert_eq!(
        reports[0]["fields"],
        serde_json::json!(["processor_record", "xlsx-datatilsynet", "nb"])
    );
    assert!(!log.to_string().contains("Havbris"));

    let err = fails(
        &r.path,
        &[
            "report",
            "processor-record",
            "--format",
            "docx",
            "-o",
            dir.join("x.docx").to_str().unwrap(),
        ],
    );
    assert!(err.contains("xlsx-datatilsynet"), "{err}");
    assert!(!dir.join("x.docx").exists());
}
