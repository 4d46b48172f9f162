//! The `privreg` binary as a script or a person would use it.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const PASS: &str = "sjøsprøyt og tåke 2026";

struct Reg {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn new_reg() -> Reg {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("firma.privreg");
    Reg { _dir: dir, path }
}

/// Runs privreg without a keychain, with only the environment given.
fn privreg_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_privreg"));
    cmd.arg("--no-keychain").args(args).stdin(Stdio::null());
    cmd.env_remove("PRIVREG_PASSPHRASE")
        .env_remove("PRIVREG_NEW_PASSPHRASE")
        .env_remove("PRIVREG_REGISTER");
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

fn privreg(reg: &Path, pass: &str, args: &[&str]) -> Output {
    let mut all = vec!["--register", reg.to_str().unwrap()];
    all.extend_from_slice(args);
    privreg_with(&all, &[("PRIVREG_PASSPHRASE", pass)])
}

/// Runs and expects success; returns stdout.
fn ok(reg: &Path, args: &[&str]) -> String {
    let out = privreg(reg, PASS, args);
    assert!(
        out.status.success(),
        "privreg {args:?} failed ({:?})\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(reg: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(reg, &all)).expect("valid JSON")
}

fn sha(path: &Path) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(fs::read(path).unwrap()).to_vec()
}

/// A register with one activity from a template and one subject with two records.
fn setup(r: &Reg) -> (i64, i64) {
    let created = json(&r.path, &["init"]);
    assert!(created["recovery_key"].as_str().unwrap().len() > 50);
    ok(
        &r.path,
        &[
            "controller",
            "set",
            "--organisation",
            "Fjellbekk Rådgivning AS",
            "--org-number",
            "999 888 777",
        ],
    );
    let act = json(
        &r.path,
        &[
            "activity",
            "add",
            "--template",
            "client_information",
            "--lang",
            "nb",
        ],
    );
    let activity = act["id"].as_i64().unwrap();
    // The template's answers are proposals until confirmed, one at a time.
    assert_eq!(
        act["proposals"],
        serde_json::json!(["retention", "dpia", "automated_decisions"])
    );
    let confirmed = json(
        &r.path,
        &[
            "activity",
            "edit",
            &activity.to_string(),
            "--confirm",
            "dpia",
        ],
    );
    assert_eq!(
        confirmed["proposals"],
        serde_json::json!(["retention", "automated_decisions"])
    );
    let cats: Vec<String> = act["data_categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    let s = json(
        &r.path,
        &[
            "subject",
            "add",
            "--name",
            "Bjørn Ødegård",
            "--email",
            "bjorn@fjellbekk.example.no",
            "--phone",
            "+47 913 00 111",
        ],
    );
    let subject = s["id"].as_i64().unwrap();
    let (sid, aid) = (subject.to_string(), activity.to_string());
    for (cat, value) in [
        (&cats[0], "Bjørn Ødegård"),
        (&cats[1], "Seniorrådgiver i Ålesund"),
    ] {
        ok(
            &r.path,
            &[
                "record",
                "add",
                "--subject",
                &sid,
                "--activity",
                &aid,
                "--category",
                cat,
                "--value",
                value,
            ],
        );
    }
    (activity, subject)
}

#[test]
fn a_register_is_created_filled_searched_and_verified_from_the_command_line() {
    let r = new_reg();
    let (activity, subject) = setup(&r);
    assert!(!fs::read(&r.path).unwrap().starts_with(b"SQLite format 3"));

    let hits = json(&r.path, &["search", "ØDEGÅ"]);
    assert_eq!(hits[0]["id"], subject);
    let hits = json(&r.path, &["search", "ålesund"]);
    assert_eq!(
        hits.as_array().unwrap().len(),
        1,
        "a record value is searchable"
    );
    assert_eq!(
        json(&r.path, &["search", "nobody"])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let list = json(&r.path, &["subject", "list"]);
    assert_eq!(list["total"], 1);
    let acts = json(&r.path, &["activity", "list"]);
    assert_eq!(acts[0]["id"], activity);
    assert_eq!(acts[0]["records"], 2);
    assert!(json(&r.path, &["processor", "list"])
        .as_array()
        .unwrap()
        .is_empty());

    let shown = ok(&r.path, &["subject", "show", &subject.to_string()]);
    assert!(shown.contains("Seniorrådgiver i Ålesund"));
    ok(
        &r.path,
        &[
            "subject",
            "edit",
            &subject.to_string(),
            "--email",
            "bjorn.odegard@example.no",
            "--reason",
            "new employer",
        ],
    );
    assert_eq!(
        json(&r.path, &["search", "bjorn.odegard@"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let verify = ok(&r.path, &["verify"]);
    assert!(verify.contains("audit log:  ok"), "{verify}");
    let audit = json(&r.path, &["audit", "--subject", &subject.to_string()]);
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            // Art. 19: the recipients of the person's activity are to be told.
            "notifications.created",
            "subject.rectified",
            "subject.viewed",
            "record.created",
            "record.created",
            "subject.created"
        ]
    );
    let all = ok(&r.path, &["audit", "--limit", "100"]);
    assert!(
        !all.contains("Ødegård") && !all.contains("fjellbekk.example.no"),
        "values leaked into the audit log"
    );
}

#[test]
fn a_wrong_passphrase_is_refused_and_the_file_is_untouched() {
    let r = new_reg();
    setup(&r);
    let before = sha(&r.path);
    let out = privreg(&r.path, "feil passordfrase", &["subject", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not open this register"));
    assert_eq!(sha(&r.path), before);
}

#[test]
fn without_a_passphrase_and_a_terminal_the_cli_says_what_to_do() {
    let r = new_reg();
    setup(&r);
    let out = privreg_with(
        &["--register", r.path.to_str().unwrap(), "subject", "list"],
        &[],
    );
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PRIVREG_PASSPHRASE"));
}

fn flip(path: &Path, page: u64) {
    let mut bytes = fs::read(path).unwrap();
    bytes[((page - 1) * 4096 + 1234) as usize] ^= 0xff;
    fs::write(path, bytes).unwrap();
}

#[test]
fn verify_reports_a_flipped_byte_and_writes_are_refused() {
    let r = new_reg();
    setup(&r);
    let pages = fs::metadata(&r.path).unwrap().len() / 4096;
    flip(&r.path, pages - 2);
    let damaged = sha(&r.path);
    let out = privreg(&r.path, PASS, &["verify"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("DAMAGED: [{}]", pages - 2)),
        "{text}"
    );

    let out = privreg(&r.path, PASS, &["subject", "add", "--name", "Ny Person"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
    assert_eq!(sha(&r.path), damaged, "the damaged register was written");
}

#[test]
fn verify_finds_a_tampered_audit_row() {
    let r = new_reg();
    let created = json(&r.path, &["init"]);
    let key = created["recovery_key"].as_str().unwrap().to_string();
    ok(&r.path, &["subject", "add", "--name", "Kari Nordmann"]);
    ok(&r.path, &["subject", "add", "--name", "Ola Nordmann"]);
    {
        let rk = privreg_core::RecoveryKey::parse(&key).unwrap();
        let conn = rusqlite::Connection::open(&r.path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA key = \"x'{}'\";",
            hex::encode(rk.key().as_bytes())
        ))
        .unwrap();
        conn.execute_batch("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET entity_id = 99 WHERE seq = 2;").unwrap();
    }
    let out = privreg(&r.path, PASS, &["verify"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("BROKEN at event 2"));
}

/// Issue 17: `privreg verify --head HASH:COUNT` and `--against REPORT` (its JSON or its
/// PDF) show that the history up to an earlier report was not rewritten; a malformed
/// head, a count beyond the log, a file that is no report and a history changed before
/// the report are each said plainly, without data.
#[test]
fn verify_checks_the_register_against_an_earlier_reports_head() {
    let r = new_reg();
    let created = json(&r.path, &["init"]);
    let key = created["recovery_key"].as_str().unwrap().to_string();
    ok(&r.path, &["subject", "add", "--name", "Kari Nordmann"]);
    let dir = r.path.parent().unwrap();
    let file = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let saved = json(
        &r.path,
        &[
            "report",
            "art30",
            "--format",
            "json",
            "-o",
            &file("art30.json"),
        ],
    );
    let hash = saved["audit_head"].as_str().unwrap().to_string();
    let events = saved["audit_events"].as_i64().unwrap();
    let said = ok(
        &r.path,
        &[
            "report",
            "art30",
            "--format",
            "pdf",
            "-o",
            &file("art30.pdf"),
        ],
    );
    assert!(said.contains("privreg verify --head "), "{said}");
    ok(
        &r.path,
        &[
            "report",
            "art30",
            "--format",
            "csv",
            "-o",
            &file("art30.csv"),
        ],
    );
    // Changes after the reports.
    ok(&r.path, &["subject", "add", "--name", "Ola Nordmann"]);

    let out = ok(&r.path, &["verify", "--head", &format!("{hash}:{events}")]);
    assert!(out.contains("history:    intact"), "{out}");
    assert!(
        out.contains("checkpoint: ok"),
        "the reports' writes stored one: {out}"
    );
    for report in ["art30.json", "art30.pdf"] {
        let out = ok(&r.path, &["verify", "--against", &file(report)]);
        assert!(out.contains("history:    intact"), "{report}: {out}");
    }
    let checked = json(&r.path, &["verify", "--against", &file("art30.json")]);
    assert_eq!(checked["head"]["outcome"], "intact");
    assert_eq!(
        checked["head"]["head"],
        serde_json::json!({ "hash": hash, "events": events })
    );

    // A malformed head is a usage error.
    let out = privreg(&r.path, PASS, &["verify", "--head", "Kari Nordmann"]);
    assert_eq!(out.status.code(), Some(64));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("HASH:COUNT") && !err.contains("Kari"), "{err}");
    // A count the log never reached.
    let out = privreg(
        &r.path,
        PASS,
        &["verify", "--head", &format!("{hash}:{}", events + 1000)],
    );
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("history:    CHANGED") && text.contains("holds only"),
        "{text}"
    );
    // A CSV report prints the head but is not read back.
    let out = privreg(&r.path, PASS, &["verify", "--against", &file("art30.csv")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a Privacy Register report"), "{err}");

    // Someone with the key changes an event from before the reports.
    {
        let rk = privreg_core::RecoveryKey::parse(&key).unwrap();
        let conn = rusqlite::Connection::open(&r.path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA key = \"x'{}'\";",
            hex::encode(rk.key().as_bytes())
        ))
        .unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET entity_id = 99 WHERE seq = 2;",
        )
        .unwrap();
    }
    for report in ["art30.json", "art30.pdf"] {
        let out = privreg(&r.path, PASS, &["verify", "--against", &file(report)]);
        assert_eq!(out.status.code(), Some(2), "{report}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("history:    CHANGED: the history up to that report was changed")
                && text.contains("breaks at event 2"),
            "{report}: {text}"
        );
        assert!(!text.contains("Kari"), "{text}");
    }
}

#[test]
fn changing_the_passphrase_from_the_cli() {
    let r = new_reg();
    setup(&r);
    let out = privreg_with(
        &[
            "--register",
            r.path.to_str().unwrap(),
            "--json",
            "passphrase",
            "change",
        ],
        &[
            ("PRIVREG_PASSPHRASE", PASS),
            ("PRIVREG_NEW_PASSPHRASE", "en helt ny passordfrase"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        privreg(&r.path, PASS, &["subject", "list"]).status.code(),
        Some(1)
    );
    assert!(
        privreg(&r.path, "en helt ny passordfrase", &["subject", "list"])
            .status
            .success()
    );
}

#[test]
fn the_demo_register_holds_the_seed_organisations_activities_and_synthetic_people() {
    let r = new_reg();
    let out = privreg_with(
        &[
            "--json",
            "demo",
            r.path.to_str().unwrap(),
            "--subjects",
            "120",
            "--lang",
            "nb",
        ],
        &[("PRIVREG_PASSPHRASE", PASS)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["subjects"], 120);
    assert!(summary["activities"].as_i64().unwrap() >= 10);
    let acts = json(&r.path, &["activity", "list"]);
    let names: Vec<&str> = acts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(names.iter().any(|n| n.contains("Nyhetsbrev")), "{names:?}");
    let procs = ok(&r.path, &["processor", "list"]);
    assert!(
        procs.contains("Mintra") && procs.contains("Dynamics 365"),
        "{procs}"
    );
    assert_eq!(json(&r.path, &["subject", "list"])["total"], 120);
    // The showcase's one person registered twice is the register's one duplicate.
    let pair = &summary["showcase"]["duplicate_pair"];
    let duplicates = json(&r.path, &["subject", "duplicates"]);
    assert_eq!(duplicates.as_array().unwrap().len(), 1, "{duplicates}");
    assert_eq!(duplicates[0]["first"], pair[0]);
    assert_eq!(duplicates[0]["second"], pair[1]);
    assert_eq!(duplicates[0]["by_phone"], true);
    assert!(summary["showcase"]["requests"].as_i64().unwrap() >= 4);
    // Norwegian letters are in the data and found in any case.
    let hits = json(&r.path, &["search", "ø", "--limit", "500"]);
    assert!(!hits.as_array().unwrap().is_empty());
    assert!(ok(&r.path, &["verify"]).contains("audit log:  ok"));
    let overview = json(&r.path, &["overview"]);
    assert_eq!(
        overview["controller"]["organisation"],
        "Fjordlys Rådgivning AS"
    );
}

#[test]
fn two_records_of_one_person_are_listed_as_duplicates_and_merged_from_the_command_line() {
    let r = new_reg();
    let (_, bjorn) = setup(&r);
    // Bjørn again, from a course list: his number written another way, another address.
    let again = json(
        &r.path,
        &[
            "subject",
            "add",
            "--name",
            "Bjørn Ø. Ødegård",
            "--email",
            "bjorn.o@kurs.example.no",
            "--phone",
            "91300111",
        ],
    )["id"]
        .as_i64()
        .unwrap();
    let (keep, other) = (bjorn.to_string(), again.to_string());
    let pairs = json(&r.path, &["subject", "duplicates"]);
    assert_eq!(
        pairs,
        serde_json::json!([{ "first": bjorn, "second": again, "by_email": false, "by_phone": true }])
    );
    assert!(ok(&r.path, &["subject", "duplicates"]).contains("same phone"));

    // Without a reason the merge is refused by the parser; a preview writes nothing.
    let out = privreg(&r.path, PASS, &["subject", "merge", &keep, &other]);
    assert_eq!(out.status.code(), Some(2), "clap's usage error");
    let preview = json(&r.path, &["subject", "merge", &keep, &other, "--preview"]);
    assert_eq!(preview["keep"]["id"], bjorn);
    assert_eq!(preview["moves"]["records"], 0);
    let fate = |v: &Value, field: &str| {
        v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .unwrap()["outcome"]
            .clone()
    };
    assert_eq!(fate(&preview, "phone"), "same");
    // The other has no records; the kept person's activity has an e-mail category, so
    // the other address is kept as a record there.
    assert_eq!(fate(&preview, "email"), "added_as_record");
    assert_eq!(json(&r.path, &["subject", "list"])["total"], 2);

    let receipt = json(
        &r.path,
        &[
            "subject",
            "merge",
            &keep,
            &other,
            "--reason",
            "the same person, from the course list",
        ],
    );
    assert_eq!(receipt["kept"], bjorn);
    assert_eq!(receipt["merged"], again);
    assert_eq!(json(&r.path, &["subject", "list"])["total"], 1);
    assert!(ok(&r.path, &["subject", "duplicates"]).contains("No two people"));
    let shown = ok(&r.path, &["subject", "show", &keep]);
    assert!(shown.contains("bjorn.o@kurs.example.no"), "{shown}");
    let history = json(&r.path, &["audit", "--subject", &keep]);
    let merged = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "subject.merged")
        .expect("the merge is in his history");
    assert!(merged["fields"]
        .as_array()
        .unwrap()
        .contains(&Value::from(format!("merged_from:{again}"))));
    // The merged record is gone: merging it again says so.
    let out = privreg(
        &r.path,
        PASS,
        &["subject", "merge", &keep, &other, "--reason", "again"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    assert!(ok(&r.path, &["verify"]).contains("audit log:  ok"));
}

#[cfg(unix)]
#[test]
fn killing_the_cli_mid_batch_loses_no_committed_data() {
    let r = new_reg();
    let mut child = Command::new(env!("CARGO_BIN_EXE_privreg"))
        .args([
            "--no-keychain",
            "demo",
            r.path.to_str().unwrap(),
            "--subjects",
            "100000",
            "--batch",
            "50",
            "--progress",
        ])
        .env("PRIVREG_PASSPHRASE", PASS)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut committed = 0;
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while committed < 1500 {
        let line = lines.next().expect("the demo stopped early").unwrap();
        committed = line.strip_prefix("committed ").unwrap().parse().unwrap();
    }
    // SIGKILL: no destructor, no checkpoint, no goodbye.
    child.kill().unwrap();
    child.wait().unwrap();

    let total = json(&r.path, &["subject", "list", "--limit", "1"])["total"]
        .as_i64()
        .unwrap();
    assert!(
        total >= committed,
        "{total} subjects after {committed} were committed"
    );
    assert!(total < 100_000, "the demo finished before it was killed");
    assert_eq!(total % 50, 0, "a half batch was committed");
    let verify = privreg(&r.path, PASS, &["verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_regulators_layouts_and_the_dpv_export_are_written_and_audited() {
    let r = new_reg();
    let (activity, _) = setup(&r);
    let name = json(&r.path, &["activity", "show", &activity.to_string()])["name"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = r.path.parent().unwrap();
    let events = || {
        json(&r.path, &["audit", "--limit", "1000"])
            .as_array()
            .unwrap()
            .len()
    };
    for (format, file, magic) in [
        ("xlsx-datatilsynet", "art30-datatilsynet.xlsx", &b"PK"[..]),
        ("xlsx-ico", "art30-ico.xlsx", &b"PK"[..]),
        ("dpv", "art30.jsonld", &b"{"[..]),
    ] {
        let before = events();
        let out = dir.join(file);
        let printed = json(
            &r.path,
            &[
                "report",
                "art30",
                "--format",
                format,
                "--lang",
                "nb",
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(printed["format"], format);
        assert_eq!(printed["lang"], "nb");
        let bytes = fs::read(&out).unwrap();
        assert!(bytes.starts_with(magic), "{format}");
        assert_eq!(events(), before + 1, "{format} is audited");
        if format == "dpv" {
            let doc: Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(doc["@context"]["dpv"], "https://w3id.org/dpv#");
            let process = doc["@graph"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["@type"] == "dpv:PersonalDataProcess")
                .expect("the activity");
            assert_eq!(process["rdfs:label"]["@value"], name.as_str());
            assert_eq!(process["rdfs:label"]["@language"], "nb");
            assert!(process["dpv:hasLegalBasis"]
                .as_array()
                .unwrap()
                .iter()
                .all(|b| b["@id"].as_str().unwrap().starts_with("eu-gdpr:A6-1-")));
        }
    }
    // An unknown layout is refused, naming the formats there are; nothing is written.
    let out = privreg(
        &r.path,
        PASS,
        &[
            "report",
            "art30",
            "--format",
            "xlsx-cnil",
            "-o",
            dir.join("x.xlsx").to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("xlsx-datatilsynet"));
    assert!(!dir.join("x.xlsx").exists());
}

#[test]
fn reports_in_every_format_and_language_are_written_and_audited() {
    let r = new_reg();
    let (_, subject) = setup(&r);
    let dir = r.path.parent().unwrap();
    for (format, magic) in [
        ("pdf", &b"%PDF-"[..]),
        ("json", &b"{"[..]),
        ("csv", "\u{feff}".as_bytes()),
        ("xlsx", &b"PK"[..]),
    ] {
        for lang in ["en", "nb"] {
            let out = dir.join(format!("art30-{lang}.{format}"));
            let printed = json(
                &r.path,
                &[
                    "report",
                    "art30",
                    "--format",
                    format,
                    "--lang",
                    lang,
                    "-o",
                    out.to_str().unwrap(),
                ],
            );
            assert_eq!(printed["format"], format);
            assert!(fs::read(&out).unwrap().starts_with(magic), "{format}");
        }
    }
    let text = pdftotext(&dir.join("art30-nb.pdf"));
    assert!(
        text.contains("Protokoll over behandlingsaktiviteter"),
        "{text}"
    );
    assert!(text.contains("Fjellbekk Rådgivning AS"));
    let text = pdftotext(&dir.join("art30-en.pdf"));
    assert!(text.contains("Record of processing activities"));

    let sid = subject.to_string();
    let pdf = dir.join("innsyn.pdf");
    let said = ok(
        &r.path,
        &[
            "report",
            "access",
            &sid,
            "--lang",
            "nb",
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(said.contains("Wrote"), "{said}");
    let text = pdftotext(&pdf);
    for v in [
        "Bjørn Ødegård",
        "Seniorrådgiver i Ålesund",
        "Datatilsynet",
        "Retten til å klage",
    ] {
        assert!(text.contains(v), "{v} not in {text}");
    }
    let portable = dir.join("innsyn.json");
    ok(
        &r.path,
        &[
            "report",
            "access",
            &sid,
            "--format",
            "json",
            "-o",
            portable.to_str().unwrap(),
        ],
    );
    let copy: Value = serde_json::from_slice(&fs::read(&portable).unwrap()).unwrap();
    assert_eq!(copy["schema"], "privreg.subject_access");
    assert_eq!(
        copy["subject"]["identity"][1]["fides"],
        "user.contact.email"
    );

    // Each export is one audit event naming the report and format, not the data.
    let events = json(&r.path, &["audit", "--subject", &sid]);
    let reports: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "report.created")
        .collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(
        reports[0]["fields"],
        serde_json::json!(["access", "json", "en"])
    );
    assert_eq!(
        reports[1]["fields"],
        serde_json::json!(["access", "pdf", "nb"])
    );
    let all = json(&r.path, &["audit", "--limit", "500"]).to_string();
    assert_eq!(all.matches("\"art30\"").count(), 8);
    for secret in ["Ødegård", "Ålesund", "bjorn@"] {
        assert!(!all.contains(secret), "{secret} in the audit log");
    }
    assert!(ok(&r.path, &["verify"]).contains("audit log:  ok"));
}

#[test]
fn a_report_for_an_unknown_subject_or_into_a_missing_folder_fails_cleanly() {
    let r = new_reg();
    let (_, subject) = setup(&r);
    let dir = r.path.parent().unwrap();
    let out = privreg(
        &r.path,
        PASS,
        &[
            "report",
            "access",
            "999",
            "-o",
            dir.join("x.pdf").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("subject 999 does not exist"));
    let out = privreg(
        &r.path,
        PASS,
        &[
            "report",
            "access",
            &subject.to_string(),
            "-o",
            dir.join("no/such/folder/x.pdf").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("x.pdf") && !err.contains("Ødegård"), "{err}");
    let events = json(&r.path, &["audit", "--subject", &subject.to_string()]);
    assert!(!events.to_string().contains("report.created"));
    assert!(!dir.join("x.pdf").exists());
}
