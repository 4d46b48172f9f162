//! Requests, retention, erasure receipts and backups from the command line.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{fails, json, ok, privreg};

struct Setup {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    path: PathBuf,
    news: String,
    subjects: Vec<String>,
}

/// A register with the newsletter (direct marketing) and five subscribers.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("firma.privreg");
    json(&path, &["init"]);
    let act = json(
        &path,
        &[
            "activity",
            "add",
            "--template",
            "newsletter",
            "--lang",
            "nb",
        ],
    );
    let news = act["id"].as_i64().unwrap().to_string();
    let mut subjects = Vec::new();
    for (name, email) in [
        ("Åse Ødegård", "ase@fjord.no"),
        ("Bjørn Ærø", "bjorn@fjord.no"),
        ("Cæcilie Sæther", "caecilie@fjord.no"),
        ("Dag Løvås", "dag@fjord.no"),
        ("Eli Strøm", "eli@fjord.no"),
    ] {
        let s = json(&path, &["subject", "add", "--name", name, "--email", email]);
        let id = s["id"].as_i64().unwrap().to_string();
        ok(
            &path,
            &[
                "record",
                "add",
                "--subject",
                &id,
                "--activity",
                &news,
                "--category",
                "E-postadresse",
                "--value",
                email,
            ],
        );
        subjects.push(id);
    }
    Setup {
        dir: dir.path().to_path_buf(),
        _dir: dir,
        path,
        news,
        subjects,
    }
}

/// Registers and verifies a request; returns its id.
fn request(s: &Setup, kind: &str, subject: &str) -> String {
    let r = json(
        &s.path,
        &[
            "request",
            "add",
            "--type",
            kind,
            "--subject",
            subject,
            "--channel",
            "letter",
        ],
    );
    let id = r["id"].as_i64().unwrap().to_string();
    ok(
        &s.path,
        &["request", "verify", &id, "--how", "legitimasjon vist"],
    );
    id
}

#[test]
fn each_request_type_end_to_end_from_the_command_line() {
    let s = setup();
    let p = &s.path;
    let [ase, bjorn, caecilie, dag, eli] = [0, 1, 2, 3, 4].map(|i| s.subjects[i].as_str());

    // Access: record what was sent.
    let access = request(&s, "access", ase);
    let err = fails(p, &["request", "complete", &access]);
    assert!(err.contains("--format"));
    let done = json(
        p,
        &[
            "request",
            "complete",
            &access,
            "--format",
            "pdf",
            "--file",
            "innsyn.pdf",
        ],
    );
    assert_eq!(done["request"]["status"], "completed");
    assert_eq!(done["request"]["response"]["format"], "pdf");

    // Portability.
    let port = request(&s, "portability", ase);
    ok(p, &["request", "complete", &port, "--format", "json"]);

    // Rectification: subject field and a record.
    let rect = request(&s, "rectification", bjorn);
    let view = json(p, &["subject", "show", bjorn]);
    let rec = view["records"][0]["id"].as_i64().unwrap();
    let spec = format!("{rec}=bjorn.aero@fjord.no");
    ok(
        p,
        &[
            "request",
            "complete",
            &rect,
            "--name",
            "Bjørn Ærø Hansen",
            "--record",
            &spec,
        ],
    );
    let view = json(p, &["subject", "show", bjorn]);
    assert_eq!(view["subject"]["name"], "Bjørn Ærø Hansen");
    assert_eq!(view["records"][0]["value"], "bjorn.aero@fjord.no");

    // Restriction: the data may be corrected (Art. 18(1)(a)) but not erased by hand.
    let restr = request(&s, "restriction", caecilie);
    ok(p, &["request", "complete", &restr]);
    ok(
        p,
        &[
            "subject", "edit", caecilie, "--name", "X", "--reason", "test",
        ],
    );
    let err = fails(p, &["erase", caecilie, "--reason", "test"]);
    assert!(err.contains("restricted"), "{err}");
    ok(
        p,
        &["subject", "unrestrict", caecilie, "--reason", "avklart"],
    );

    // Objection to marketing: suppressed.
    let obj = request(&s, "objection", dag);
    ok(p, &["request", "complete", &obj]);
    let view = json(p, &["subject", "show", dag]);
    assert_eq!(view["subject"]["marketing_objection"], true);
    assert_eq!(view["consents"][0]["kind"], "objection");

    // Erasure: the receipt is printed.
    let era = request(&s, "erasure", eli);
    let out = ok(p, &["request", "complete", &era]);
    assert!(out.contains("Receipt "), "{out}");
    assert!(out.contains("Nyhetsbrev: 1 records"), "{out}");
    assert!(!out.contains("Eli Strøm") && !out.contains("eli@fjord.no"));
    assert!(fails(p, &["subject", "show", eli]).contains("does not exist"));

    // All six completed; the list and the audit log say so.
    let list = json(p, &["request", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 6);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "completed"));
    let show = json(p, &["request", "show", &era]);
    let acts: Vec<&str> = show["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        acts,
        ["received", "identity_verified", "erased", "completed"]
    );
    let audit = ok(p, &["audit", "--limit", "500"]);
    for action in [
        "request.created",
        "request.identity_verified",
        "request.completed",
        "subject.restricted",
        "subject.marketing_suppressed",
        "subject.erased",
        "subject.rectified",
    ] {
        assert!(audit.contains(action), "{action} missing");
    }
    for v in [
        "Eli Strøm",
        "eli@fjord.no",
        "Bjørn Ærø Hansen",
        "bjorn.aero",
    ] {
        assert!(!audit.contains(v), "the audit log shows a value");
    }
    // OpenDSR-shaped export, written atomically.
    let export = s.dir.join("requests.json");
    ok(p, &["request", "export", "-o", export.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&fs::read_to_string(&export).unwrap()).unwrap();
    assert_eq!(v["requests"].as_array().unwrap().len(), 6);
    assert_eq!(v["requests"][0]["subject_request_type"], "access");
    assert!(
        v["requests"][0]["subject_request_id"]
            .as_str()
            .unwrap()
            .len()
            == 36
    );
    ok(p, &["verify"]);
}

#[test]
fn deadlines_extensions_and_bad_input_from_the_command_line() {
    let s = setup();
    let p = &s.path;
    let today = chrono::Local::now().date_naive();
    let old = (today - chrono::Days::new(40)).to_string();
    let r = json(
        p,
        &[
            "request",
            "add",
            "--type",
            "access",
            "--name",
            "Ukjent Person",
            "--email",
            "ukjent@example.no",
            "--received",
            &old,
        ],
    );
    let id = r["id"].as_i64().unwrap().to_string();
    assert_eq!(r["deadline"]["overdue"], true);
    let overview = ok(p, &["overview"]);
    assert!(
        overview.contains("1 open requests: 1 overdue"),
        "{overview}"
    );
    assert!(overview.contains("OVERDUE"), "{overview}");
    // Too late to extend; then refused with a reason.
    assert!(fails(
        p,
        &[
            "request",
            "extend",
            &id,
            "--months",
            "1",
            "--reason",
            "komplekst"
        ]
    )
    .contains("within the first month"));
    let fresh = json(
        p,
        &[
            "request",
            "add",
            "--type",
            "erasure",
            "--subject",
            &s.subjects[0],
        ],
    );
    let fid = fresh["id"].as_i64().unwrap().to_string();
    let ext = json(
        p,
        &[
            "request",
            "extend",
            &fid,
            "--months",
            "2",
            "--reason",
            "mange forespørsler",
        ],
    );
    assert_eq!(ext["status"], "extended");
    assert!(fails(
        p,
        &["request", "extend", &fid, "--months", "1", "--reason", "mer"]
    )
    .contains("at most 2"));
    // Completing before verification or matching is refused and changes nothing.
    assert!(fails(p, &["request", "complete", &fid]).contains("verify"));
    assert!(fails(p, &["request", "complete", &id, "--format", "pdf"]).contains("match"));
    ok(p, &["request", "match", &id, "--subject", &s.subjects[1]]);
    // A refusal names its ground; one that does not fit the kind is refused.
    assert!(fails(
        p,
        &[
            "request",
            "refuse",
            &id,
            "--ground",
            "legal_claims",
            "--reason",
            "x"
        ]
    )
    .contains("does not refuse"));
    let refused = ok(
        p,
        &[
            "request",
            "refuse",
            &id,
            "--ground",
            "manifestly_unfounded",
            "--reason",
            "Åpenbart grunnløs (art. 12 nr. 5)",
        ],
    );
    assert!(refused.contains("Art. 12(5)"), "{refused}");
    assert!(fails(p, &["request", "start", &id]).contains("refused"));
    // Unknown words are named.
    assert!(fails(
        p,
        &["request", "add", "--type", "deletion", "--subject", "1"]
    )
    .contains("unknown request type"));
    assert!(fails(
        p,
        &[
            "request",
            "add",
            "--type",
            "access",
            "--subject",
            "1",
            "--channel",
            "fax"
        ]
    )
    .contains("unknown channel"));
    assert!(fails(p, &["request", "add", "--type", "access"]).contains("subject_id"));
    let open = json(p, &["request", "list", "--open"]);
    assert_eq!(open.as_array().unwrap().len(), 1);
    let mine = json(p, &["request", "list", "--subject", &s.subjects[1]]);
    assert_eq!(mine.as_array().unwrap().len(), 1);
}

#[test]
fn retention_holds_erase_backup_and_restore_from_the_command_line() {
    let s = setup();
    let p = &s.path;
    let [ase, bjorn, ..] = [0, 1, 2, 3, 4].map(|i| s.subjects[i].as_str());
    // Two unsubscribe: one month later they are due (the newsletter template's rule).
    let long_ago = (chrono::Local::now().date_naive() - chrono::Days::new(60)).to_string();
    for subj in [ase, bjorn] {
        ok(
            p,
            &[
                "retention",
                "date",
                "--subject",
                subj,
                "--activity",
                &s.news,
                "--trigger",
                "unsubscribed",
                "--on",
                &long_ago,
            ],
        );
    }
    let due = json(p, &["retention", "due"]);
    assert_eq!(due["total"], 2);
    assert_eq!(due["groups"][0]["activity"], "Nyhetsbrev");
    let hold = json(
        p,
        &[
            "hold",
            "add",
            "--subject",
            ase,
            "--reason",
            "Tvist om faktura",
        ],
    );
    let human = ok(p, &["retention", "due"]);
    assert!(human.contains("HELD"), "{human}");
    let out = json(
        p,
        &[
            "retention",
            "apply",
            "--activity",
            &s.news,
            "--action",
            "erase",
            "--note",
            "månedlig",
        ],
    );
    assert_eq!(
        (out["records"].as_i64(), out["skipped"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        out["erased_subjects"][0]["subject_id"]
            .as_i64()
            .unwrap()
            .to_string(),
        bjorn
    );
    // Erasing the held person keeps what the hold covers (Art. 17(3)(e)), restricted.
    let partial = ok(p, &["erase", ase, "--reason", "Art. 17"]);
    assert!(
        partial.contains(&format!("legal hold #{}", hold["id"])),
        "{partial}"
    );
    assert!(ok(p, &["retention", "due"]).contains("records kept"));
    assert!(fails(
        p,
        &[
            "retention",
            "apply",
            "--action",
            "shred",
            "--activity",
            &s.news
        ]
    )
    .contains("unknown action"));
    let hid = hold["id"].as_i64().unwrap().to_string();
    ok(p, &["hold", "release", &hid, "--reason", "Tvisten er løst"]);
    assert_eq!(json(p, &["hold", "list"]).as_array().unwrap().len(), 0);
    assert_eq!(
        json(p, &["hold", "list", "--all"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Backup, then erase with the top-level alias, then lose the register and restore.
    let backups = s.dir.join("sikkerhetskopier");
    let b = json(p, &["backup", "-o", backups.to_str().unwrap()]);
    let file = b["path"].as_str().unwrap().to_string();
    assert!(Path::new(&file).exists());
    let auto = json(p, &["backup", "-o", backups.to_str().unwrap(), "--auto"]);
    assert!(auto.is_null(), "a backup was made today already");
    let erased = json(p, &["erase", ase, "--reason", "Art. 17-krav per telefon"]);
    let receipt = erased["receipt"]["id"].as_str().unwrap().to_string();
    assert_eq!(erased["journaled"], true);
    let receipts = json(p, &["receipts"]);
    assert_eq!(receipts.as_array().unwrap().len(), 2);
    for suffix in ["", "-wal", "-shm"] {
        let _ = fs::remove_file(format!("{}{suffix}", p.display()));
    }
    let restored = json(p, &["restore", &file]);
    assert_eq!(restored["reapplied"][0], receipt.as_str());
    assert!(
        fails(p, &["subject", "show", ase]).contains("does not exist"),
        "Åse stays erased"
    );
    ok(p, &["subject", "show", &s.subjects[2]]);
    assert!(fails(p, &["restore", &file]).contains("already exists"));
    let again = json(p, &["restore", &file, "--replace"]);
    assert!(again["replaced"]
        .as_str()
        .unwrap()
        .ends_with(".before-restore"));
    let third = json(p, &["restore", &file, "--replace"]);
    assert!(
        third["replaced"]
            .as_str()
            .unwrap()
            .ends_with(".before-restore-2"),
        "the earlier copy is kept: {third}"
    );
    assert!(Path::new(&format!("{}.before-restore", p.display())).exists());
    ok(p, &["verify"]);

    // While another program (the app, here this test) has the register open, a restore
    // over it is refused and nothing is swapped.
    {
        let open = privreg_core::Register::open(
            p,
            privreg_core::Unlock::Passphrase(&privreg_core::Passphrase::new(crate::common::PASS)),
            std::sync::Arc::new(privreg_core::SystemClock),
        )
        .unwrap();
        let refused = fails(p, &["restore", &file, "--replace"]);
        assert!(refused.contains("open in another program"), "{refused}");
        // It names the program that has it: this test's process.
        assert!(
            refused.contains(&format!("(process {})", std::process::id())),
            "{refused}"
        );
        assert!(!Path::new(&format!("{}.before-restore-3", p.display())).exists());
        open.close().unwrap();
    }

    // The backup opened directly (as --register) loses Åse at once, and says so.
    let direct = Path::new(&file);
    let out = privreg(direct, &["subject", "show", ase]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 erasure(s) made after this copy") && stderr.contains("does not exist"),
        "{stderr}"
    );

    // A copy whose backup folder is gone: no journal, so the restore refuses unless told.
    let stick = s.dir.join("minnepinne");
    fs::create_dir_all(&stick).unwrap();
    let copy = stick.join("kopi.privreg");
    fs::copy(&file, &copy).unwrap();
    fs::remove_dir_all(&backups).unwrap();
    let target = s.dir.join("gjenopprettet.privreg");
    let refused = fails(&target, &["restore", copy.to_str().unwrap()]);
    assert!(refused.contains("no erasure receipts journal"), "{refused}");
    assert!(!target.exists());
    json(
        &target,
        &["restore", copy.to_str().unwrap(), "--no-journal"],
    );
    ok(&target, &["verify"]);
}

/// Art. 19 tasks, a partly completed request, a fee and the reply, from the command line.
#[test]
fn art_19_tasks_partly_completed_requests_fees_and_replies_from_the_command_line() {
    let s = setup();
    let p = &s.path;
    let bjorn = s.subjects[1].as_str();

    // A correction of Bjørn's e-mail address: the newsletter's processor is to be told.
    let view = json(p, &["subject", "show", bjorn]);
    let rec = view["records"][0]["id"].as_i64().unwrap().to_string();
    ok(
        p,
        &[
            "record",
            "edit",
            &rec,
            "--value",
            "bjorn.aero@fjord.no",
            "--reason",
            "ny adresse",
        ],
    );
    let open = json(p, &["notify", "list"]);
    let open = open.as_array().unwrap();
    assert!(!open.is_empty(), "the processor is to be told");
    assert!(open
        .iter()
        .all(|n| n["cause"] == "rectification" && n["status"] == "open"));
    let id = open[0]["id"].as_i64().unwrap().to_string();
    let err = fails(
        p,
        &["notify", "mark", &id, "--status", "later", "--how", "x"],
    );
    assert!(
        err.contains("told, impossible or disproportionate"),
        "{err}"
    );
    let n = json(
        p,
        &["notify", "mark", &id, "--how", "e-post til leverandøren"],
    );
    assert_eq!(n["status"], "told");
    let left = json(p, &["notify", "list"]);
    assert_eq!(left.as_array().unwrap().len(), open.len() - 1);
    let mine = json(p, &["notify", "list", "--subject", bjorn]);
    assert_eq!(mine.as_array().unwrap().len(), open.len());

    // Access in part (Art. 15(4)), with a fee for further copies, and the reply.
    let access = request(&s, "access", bjorn);
    let err = fails(
        p,
        &[
            "request",
            "partly",
            &access,
            "--ground",
            "legal_claims",
            "--not-done",
            "x",
        ],
    );
    assert!(err.contains("does not apply"), "{err}");
    ok(
        p,
        &[
            "request",
            "partly",
            &access,
            "--ground",
            "rights_of_others",
            "--not-done",
            "En kollegas e-poster er utelatt",
        ],
    );
    let fee = json(
        p,
        &[
            "request",
            "fee",
            &access,
            "--amount",
            "150",
            "--ground",
            "further_copies",
        ],
    );
    assert_eq!(fee["fee"]["amount"], "150");
    assert_eq!(fee["fee"]["currency"], "NOK");
    let err = fails(p, &["request", "reply-sent", &access, "--how", "e-post"]);
    assert!(err.contains("before its reply is sent"), "{err}");
    let done = json(p, &["request", "complete", &access, "--format", "pdf"]);
    assert_eq!(done["request"]["outcome"], "partly");
    let sent = json(p, &["request", "reply-sent", &access, "--how", "e-post"]);
    assert!(sent["reply_sent_on"].is_string());
}

/// A breach from the command line: recorded with its clock, the people counted then
/// chosen, assessed, notified (late, with the reasons), and closed.
#[test]
fn a_breach_is_recorded_assessed_notified_and_closed_from_the_command_line() {
    let s = setup();
    let p = &s.path;
    let err = fails(p, &["breach", "add", "--title", "x", "--aware", "i går"]);
    assert!(err.contains("not a time"), "{err}");
    let b = json(
        p,
        &[
            "breach",
            "add",
            "--title",
            "Abonnentliste på avveie",
            "--aware",
            "2026-03-28 01:30",
            "--kind",
            "confidentiality",
        ],
    );
    assert_eq!(b["reference"], "2026-001");
    // Over the night the clocks go forward (29 March 2026): 72 real hours.
    assert_eq!(b["clock"]["due_local"], "2026-03-31T02:30:00+02:00");
    let id = b["id"].as_i64().unwrap().to_string();
    let count = json(
        p,
        &[
            "breach",
            "affected",
            &id,
            "--activity",
            &s.news,
            "--dry-run",
        ],
    );
    assert_eq!(count["people"], 5);
    assert!(
        json(p, &["breach", "show", &id])["affected"].is_null(),
        "a dry run saves nothing"
    );
    let b = json(p, &["breach", "affected", &id, "--activity", &s.news]);
    assert_eq!(b["affected"]["people"], 5);
    let err = fails(
        p,
        &[
            "breach",
            "assess",
            &id,
            "--risk",
            "risk",
            "--notify-authority",
            "no",
            "--authority-reasons",
            "x",
            "--notify-subjects",
            "no",
            "--subjects-reasons",
            "x",
            "--decided-by",
            "Daglig leder",
        ],
    );
    assert!(err.contains("Art. 33(1)"), "{err}");
    ok(
        p,
        &[
            "breach",
            "assess",
            &id,
            "--risk",
            "risk",
            "--notify-authority",
            "yes",
            "--authority-reasons",
            "E-postadresser på avveie",
            "--notify-subjects",
            "no",
            "--subjects-reasons",
            "Ikke høy risiko",
            "--decided-by",
            "Daglig leder",
        ],
    );
    // The register's clock is today: long after the 72 hours.
    let err = fails(p, &["breach", "notify", &id, "--kind", "initial"]);
    assert!(err.contains("delay"), "{err}");
    let b = json(
        p,
        &[
            "breach",
            "notify",
            &id,
            "--kind",
            "initial",
            "--reference",
            "Altinn 1",
            "--delay-reason",
            "Oppdaget sent i en revisjon",
        ],
    );
    assert_eq!(b["status"], "notified");
    let b = json(p, &["breach", "close", &id, "--note", "Rutinen er endret"]);
    assert_eq!(b["status"], "closed");
    let list = ok(p, &["breach", "list"]);
    assert!(
        list.contains("2026-001") && list.contains("closed"),
        "{list}"
    );
    // The breach log, as JSON: the breach with its notice.
    let out = s.dir.join("avvik.json");
    ok(
        p,
        &[
            "report",
            "breaches",
            "--format",
            "json",
            "--lang",
            "nb",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let log: Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    let text = log.to_string();
    assert!(
        text.contains("2026-001") && text.contains("Altinn 1"),
        "{text}"
    );
}
