//! The register end to end through the core's public API, on real encrypted files.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use privreg_core::keychain::{self, Keychain, SystemKeychain};
use privreg_core::model::*;
use privreg_core::*;
use sha2::{Digest, Sha256};

const PASS: &str = "fjellvann og blåbær 42";

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at("2026-11-23T10:00:00Z"))
}

fn sha(path: &Path) -> String {
    hex::encode(Sha256::digest(fs::read(path).unwrap()))
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.privreg");
    Fixture { _dir: dir, path }
}

fn newsletter() -> Activity {
    Activity {
        name: "Nyhetsbrev".into(),
        purposes: vec!["Sende nyhetsbrev".into()],
        legal_bases: vec![LegalBasis::Consent],
        subject_categories: vec!["Abonnenter".into()],
        data_categories: vec![
            DataCategory::new("Navn", CategoryGroup::Identity),
            DataCategory::new("E-post", CategoryGroup::Identity),
        ],
        recipients: vec!["Ansatte".into()],
        security_measures: vec!["Tilgangskontroll".into()],
        direct_marketing: true,
        ..Default::default()
    }
}

fn courses() -> Activity {
    Activity {
        name: "Courses".into(),
        purposes: vec!["Run courses and issue certificates".into()],
        legal_bases: vec![LegalBasis::Contract],
        data_categories: vec![
            DataCategory::new("Date of birth", CategoryGroup::Identity),
            DataCategory::new("Course history", CategoryGroup::ProfessionalLife),
        ],
        ..Default::default()
    }
}

fn person(name: &str, email: &str, phone: &str) -> SubjectFields {
    SubjectFields {
        name: name.into(),
        email: email.into(),
        phone: phone.into(),
    }
}

fn record(activity_id: i64, category: &str, value: &str) -> NewRecord {
    NewRecord {
        activity_id,
        category: category.into(),
        value: value.into(),
        source: "the subject".into(),
        collected_on: None,
    }
}

/// A register with two activities and three subjects.
fn filled(path: &Path) -> (Register, RecoveryKey, i64, i64) {
    let (mut reg, rk) = Register::create(path, &Passphrase::new(PASS), clock()).unwrap();
    let news = reg.add_activity(&newsletter()).unwrap().id;
    let course = reg.add_activity(&courses()).unwrap().id;
    let kari = reg
        .add_subject(&person(
            "Kari Nordmann",
            "kari@example.no",
            "+47 912 34 567",
        ))
        .unwrap();
    reg.add_record(kari.id, &record(news, "E-post", "kari@example.no"))
        .unwrap();
    reg.add_record(kari.id, &record(course, "Date of birth", "1980-02-29"))
        .unwrap();
    let aase = reg
        .add_subject(&person("Åse Ødegård", "ase@fjord.no", ""))
        .unwrap();
    reg.add_record(
        aase.id,
        &record(course, "Course history", "Sikkerhetskurs i Bærum"),
    )
    .unwrap();
    reg.add_subject(&person(
        "John Smith",
        "john.smith@example.com",
        "+44 20 7946 0958",
    ))
    .unwrap();
    (reg, rk, news, course)
}

fn names(hits: &[SubjectSummary]) -> Vec<String> {
    hits.iter().map(|h| h.name.clone()).collect()
}

#[test]
fn create_add_lock_unlock_search_verify() {
    keychain::use_mock_store();
    let f = fixture();
    let (reg, _rk, _, _) = filled(&f.path);
    reg.remember_in_keychain(&SystemKeychain).unwrap();
    reg.close().unwrap();

    // The file is encrypted from its first byte.
    let bytes = fs::read(&f.path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    assert!(
        !bytes.windows(7).any(|w| w == b"Nordman"),
        "a name is readable in the file"
    );

    // Unlock with the keychain, then with the passphrase.
    let reg = Register::open_with_keychain(&f.path, &SystemKeychain, clock()).unwrap();
    assert_eq!(reg.counts().unwrap().subjects, 3);
    reg.close().unwrap();
    let mut reg =
        Register::open(&f.path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap();

    // Search: any part of name, e-mail, phone or record value; any case; æøå.
    assert_eq!(names(&reg.search("ordm", 10).unwrap()), ["Kari Nordmann"]);
    assert_eq!(names(&reg.search("ØDEGÅRD", 10).unwrap()), ["Åse Ødegård"]);
    assert_eq!(names(&reg.search("åse", 10).unwrap()), ["Åse Ødegård"]);
    assert_eq!(
        names(&reg.search("bærum", 10).unwrap()),
        ["Åse Ødegård"],
        "record value"
    );
    assert_eq!(
        names(&reg.search("john.smith@example.com", 10).unwrap()),
        ["John Smith"]
    );
    assert_eq!(
        names(&reg.search("912 34", 10).unwrap()),
        ["Kari Nordmann"],
        "phone"
    );
    assert_eq!(
        names(&reg.search("1980-02", 10).unwrap()),
        ["Kari Nordmann"],
        "a value in another activity"
    );
    assert_eq!(
        names(&reg.search("example", 10).unwrap()),
        ["John Smith", "Kari Nordmann"]
    );
    assert_eq!(
        names(&reg.search("kari no", 10).unwrap()),
        ["Kari Nordmann"],
        "two words, one short"
    );
    assert!(reg.search("nobody-here", 10).unwrap().is_empty());
    assert!(
        reg.search("\"* OR NEAR(", 10).unwrap().is_empty(),
        "query syntax is taken literally"
    );
    assert!(reg.search("   ", 10).unwrap().is_empty());

    let report = reg.verify().unwrap();
    assert!(report.is_ok(), "{report:?}");
    let audit = report.audit.unwrap();
    // created + 2 activities + 3 subjects + 3 records
    assert_eq!(audit.events, 9);
}

#[test]
fn keychain_entries_follow_the_register_and_can_be_forgotten() {
    keychain::use_mock_store();
    let f = fixture();
    let (reg, _, _, _) = filled(&f.path);
    let id = reg.id().to_string();
    assert_eq!(register_id(&f.path).unwrap(), id);
    reg.remember_in_keychain(&SystemKeychain).unwrap();
    assert!(SystemKeychain.load(&id).is_ok());
    reg.forget_in_keychain(&SystemKeychain).unwrap();
    reg.close().unwrap();
    let err = Register::open_with_keychain(&f.path, &SystemKeychain, clock()).unwrap_err();
    assert_eq!(err.kind(), "keychain.no_entry");
}

#[test]
fn a_wrong_passphrase_changes_nothing() {
    let f = fixture();
    let (reg, _, _, _) = filled(&f.path);
    reg.close().unwrap();
    let before = sha(&f.path);
    for wrong in ["fjellvann og blåbær 43", "", "x"] {
        let err = Register::open(
            &f.path,
            Unlock::Passphrase(&Passphrase::new(wrong)),
            clock(),
        )
        .unwrap_err();
        assert_eq!(err.kind(), "vault.wrong_passphrase");
        assert!(!err.to_string().contains(wrong) || wrong.is_empty());
    }
    assert_eq!(sha(&f.path), before);
    assert!(!f.path.with_extension("privreg-wal").exists());
}

#[test]
fn files_that_are_not_registers_are_named_as_such() {
    let f = fixture();
    fs::write(&f.path, b"hello").unwrap();
    let open = |p: &Path| {
        Register::open(p, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap_err()
    };
    assert_eq!(open(&f.path).kind(), "vault.not_a_register");

    let plain = f.path.with_file_name("plain.sqlite");
    rusqlite::Connection::open(&plain)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let err = open(&plain);
    assert_eq!(err.kind(), "vault.not_a_register");
    assert!(err.to_string().contains("unencrypted"));

    let missing = f.path.with_file_name("nope.privreg");
    assert_eq!(open(&missing).kind(), "vault.missing");

    // Creating over an existing file is refused and leaves it alone.
    let err = Register::create(&plain, &Passphrase::new(PASS), clock()).unwrap_err();
    assert_eq!(err.kind(), "vault.exists");
    let err = Register::create(
        &f.path.with_file_name("new.privreg"),
        &Passphrase::new("short"),
        clock(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "vault.weak_passphrase");
    assert!(!f.path.with_file_name("new.privreg").exists());
}

/// Flips one byte in the middle of page `page` (1-based).
fn flip_byte(path: &Path, page: u64) {
    let mut bytes = fs::read(path).unwrap();
    let at = ((page - 1) * 4096 + 2000) as usize;
    bytes[at] ^= 0x5a;
    fs::write(path, bytes).unwrap();
}

/// The first page of the people's records in the closed register at `path`: damage
/// there leaves the file's schema and opening intact, so the register opens and the
/// rest can be read.
fn records_root_page(path: &Path, rk: &RecoveryKey) -> u64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    let hex_key = hex::encode(rk.key().as_bytes());
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex_key}'\";"))
        .unwrap();
    conn.query_row(
        "SELECT rootpage FROM sqlite_master WHERE name = 'records'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .unwrap() as u64
}

#[test]
fn a_damaged_file_is_reported_with_its_page_and_not_written() {
    let f = fixture();
    let (reg, rk, _, _) = filled(&f.path);
    reg.close().unwrap();
    // The damage falls in the people's records (a page the file's schema and opening
    // do not need), so the register opens and the rest can be read.
    let victim = records_root_page(&f.path, &rk);
    assert!(victim > 1);
    flip_byte(&f.path, victim);
    let damaged = sha(&f.path);

    let mut reg =
        Register::open(&f.path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap();
    let report = reg.verify().unwrap();
    assert!(!report.is_ok());
    assert_eq!(report.damaged_pages, vec![victim as u32]);
    // Once damage is known, every write is refused.
    let err = reg.add_subject(&person("Ny Person", "", "")).unwrap_err();
    assert_eq!(err.kind(), "vault.read_only");
    drop(reg);
    assert_eq!(sha(&f.path), damaged, "the damaged file was written");

    // check_pages finds it too, before any write is attempted.
    let mut reg =
        Register::open(&f.path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap();
    let err = reg.check_pages().unwrap_err();
    assert_eq!(err.kind(), "vault.damaged");
    assert!(err.to_string().contains(&format!("page {victim}")), "{err}");
    assert!(reg.is_read_only());
}

/// Kari first, then 60 others; a backup of that; then one page damaged: the last one
/// whose damage leaves Kari readable and makes one of the others unreadable. Returns
/// the backup, the damaged bytes, Kari's id and the key.
fn kari_and_a_damaged_page(f: &Fixture) -> (PathBuf, Vec<u8>, Id, RawKey) {
    let (mut reg, recovery) = Register::create(&f.path, &Passphrase::new(PASS), clock()).unwrap();
    let kari = reg
        .add_subject(&person("Kari Nordmann", "kari@example.no", ""))
        .unwrap()
        .id;
    let others: Vec<Id> = (0..60)
        .map(|i| {
            reg.add_subject(&person(
                &format!("Person {i} with a name long enough to fill the pages"),
                &format!("person{i}@example.no"),
                "",
            ))
            .unwrap()
            .id
        })
        .collect();
    let backup = reg.backup(&f.path.with_file_name("backups")).unwrap().path;
    reg.close().unwrap();
    let good = fs::read(&f.path).unwrap();
    let key = recovery.key().clone();
    for page in (2..=good.len() as u64 / 4096).rev() {
        fs::write(&f.path, &good).unwrap();
        flip_byte(&f.path, page);
        let Ok(o) = opening::open(&f.path, Unlock::Key(&key), clock()) else {
            continue;
        };
        let fits = !o.damaged_pages.is_empty()
            && o.register.subject_data(kari).is_ok()
            && others
                .iter()
                .any(|id| o.register.subject_data(*id).is_err());
        drop(o);
        if fits {
            return (backup, fs::read(&f.path).unwrap(), kari, key);
        }
    }
    panic!("no page whose damage spares Kari and hits someone else");
}

#[test]
fn a_damaged_registers_views_go_to_the_side_log_and_into_the_audit_log_after_a_restore() {
    let f = fixture();
    let (backup, damaged, kari, key) = kari_and_a_damaged_page(&f);
    let opened = opening::open(&f.path, Unlock::Key(&key), clock()).unwrap();
    let mut reg = opened.register;
    assert!(reg.is_read_only());

    // The view works: it goes into the side log beside the file, not into the file.
    let view = reg.view_subject(kari).unwrap();
    assert_eq!(view.subject.fields.name, "Kari Nordmann");
    let side = reg.side_log_path();
    assert_eq!(
        side,
        f.path.with_file_name("register.privreg.side-log.jsonl")
    );
    let (waiting, unreadable) = reg.side_log().unwrap();
    assert_eq!(unreadable, 0);
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].action, "subject.viewed");
    assert_eq!(waiting[0].subject_id, Some(kari));
    assert_eq!(waiting[0].at, "2026-11-23T10:00:00.000000Z");
    let text = fs::read_to_string(&side).unwrap();
    assert!(
        !text.contains("Kari") && !text.contains("kari@"),
        "personal data in the side log: {text}"
    );
    // Changes are still refused, and the damaged file is as it was.
    let err = reg.add_subject(&person("Ny Person", "", "")).unwrap_err();
    assert_eq!(err.kind(), "vault.read_only");
    assert_eq!(
        fs::read(&f.path).unwrap(),
        damaged,
        "the damaged file was written"
    );

    // The backup restored over the damaged file: the view is in its audit log now, with
    // the time it happened, and the side log is gone.
    let (restored, _) = reg
        .restore_over(
            &backup,
            Unlock::Key(&key),
            &store::backup::RestoreOptions::default(),
        )
        .map_err(|(_, e)| e)
        .unwrap();
    assert!(!restored.is_read_only());
    assert!(!side.exists(), "the side log is still there");
    let history = restored.audit_log(AuditFilter::Subject(kari), 50).unwrap();
    let viewed = history
        .iter()
        .find(|e| e.action == "subject.viewed")
        .expect("the view was written into the audit log");
    assert!(
        viewed.fields.iter().any(|x| x == "side_log"),
        "{:?}",
        viewed.fields
    );
    assert!(
        viewed
            .fields
            .iter()
            .any(|x| x == "logged_at:2026-11-23T10:00:00.000000Z"),
        "{:?}",
        viewed.fields
    );
    let all = restored.audit_log(AuditFilter::All, 50).unwrap();
    let summary = all
        .iter()
        .find(|e| e.action == "register.side_log_applied")
        .expect("a summary event");
    assert_eq!(summary.fields, ["events:1", "unreadable:0"]);
    assert!(restored.verify_audit().unwrap().first_broken.is_none());
}

#[test]
fn damage_to_the_first_page_is_not_mistaken_for_a_wrong_passphrase() {
    let f = fixture();
    let (reg, _, _, _) = filled(&f.path);
    reg.close().unwrap();
    flip_byte(&f.path, 1);
    let err =
        Register::open(&f.path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap_err();
    assert_eq!(err.kind(), "vault.damaged");
    assert!(err.to_string().contains("page 1"), "{err}");
}

#[test]
fn a_tampered_audit_row_is_found() {
    let f = fixture();
    let (reg, rk, _, _) = filled(&f.path);
    reg.close().unwrap();
    {
        // Someone with the key edits the log behind the program's back.
        let conn = rusqlite::Connection::open(&f.path).unwrap();
        let hex_key = hex::encode(rk.key().as_bytes());
        conn.execute_batch(&format!("PRAGMA key = \"x'{hex_key}'\";"))
            .unwrap();
        conn.execute_batch("DROP TRIGGER audit_events_no_update;")
            .unwrap();
        conn.execute(
            "UPDATE audit_events SET action = 'subject.viewed' WHERE seq = 5",
            [],
        )
        .unwrap();
    }
    let mut reg =
        Register::open(&f.path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap();
    let report = reg.verify().unwrap();
    assert!(!report.is_ok());
    assert!(report.damaged_pages.is_empty(), "the file itself is intact");
    assert_eq!(report.audit.unwrap().first_broken.unwrap().seq, 5);
}

/// An audited reason that names someone: its text can be wiped (as an erasure wipes it,
/// the one change the log's trigger allows) and the chain still verifies; a text changed
/// behind the program's back is found, without the text in the report.
#[test]
fn an_audited_text_can_be_wiped_and_a_changed_one_is_found() {
    let f = fixture();
    let (mut reg, rk, _, _) = filled(&f.path);
    let kari = reg.subjects_by_email("kari@example.no").unwrap()[0];
    reg.restrict_subject(kari, "Kari Nordmann disputes her address")
        .unwrap();
    let written = reg
        .audit_log(AuditFilter::Subject(kari), 5)
        .unwrap()
        .into_iter()
        .find(|e| e.action == "subject.restricted")
        .unwrap();
    assert_eq!(written.reason, "Kari Nordmann disputes her address");
    assert!(written
        .reason_mac
        .as_deref()
        .is_some_and(|m| m.len() == 64 && m.chars().all(|c| c.is_ascii_hexdigit())));
    assert!(reg.verify().unwrap().is_ok());
    reg.close().unwrap();

    // Someone with the key, at the file itself.
    let raw = || {
        let conn = rusqlite::Connection::open(&f.path).unwrap();
        let hex_key = hex::encode(rk.key().as_bytes());
        conn.execute_batch(&format!("PRAGMA key = \"x'{hex_key}'\";"))
            .unwrap();
        conn
    };
    let reopen =
        || Register::open(&f.path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap();
    {
        let conn = raw();
        let refused = conn.execute(
            "UPDATE audit_events SET reason = 'Kari N. disputes it' WHERE seq = ?1",
            [written.seq],
        );
        assert!(refused.is_err(), "only a wipe is allowed");
        conn.execute(
            "UPDATE audit_events SET reason = '' WHERE seq = ?1",
            [written.seq],
        )
        .unwrap();
    }
    let mut reg = reopen();
    let report = reg.verify().unwrap();
    assert!(report.is_ok(), "{report:?}");
    let wiped = reg
        .audit_log(AuditFilter::Subject(kari), 5)
        .unwrap()
        .into_iter()
        .find(|e| e.seq == written.seq)
        .unwrap();
    assert_eq!(wiped.reason, "");
    assert_eq!(
        (&wiped.hash, &wiped.reason_mac),
        (&written.hash, &written.reason_mac),
        "the chain is as it was"
    );
    reg.close().unwrap();

    {
        let conn = raw();
        conn.execute_batch("DROP TRIGGER audit_events_no_update;")
            .unwrap();
        conn.execute(
            "UPDATE audit_events SET reason = 'Ola Nordmann disputes his address' WHERE seq = ?1",
            [written.seq],
        )
        .unwrap();
    }
    let mut reg = reopen();
    let report = reg.verify().unwrap();
    assert!(!report.is_ok());
    let broken = report.audit.as_ref().unwrap().first_broken.clone().unwrap();
    assert_eq!(
        (broken.seq, broken.problem.as_str()),
        (written.seq, "its text was changed after it was written")
    );
    assert!(
        !format!("{report:?}").contains("Nordmann"),
        "no text in the report"
    );
    // The session's own check starts from the checkpoint the last clean session
    // stored (it had read only, and stored it as it closed), which is after the event:
    // only the full check above walks the history before it, as store/audit.rs says of
    // someone who holds the key.
    let session = reg.verify_audit().unwrap();
    assert!(session.checkpoint.is_some_and(|c| c.used));
}

#[test]
fn the_file_opens_in_stock_sqlcipher_with_the_passphrase() {
    let f = fixture();
    let (reg, _, _, _) = filled(&f.path);
    reg.close().unwrap();
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.pragma_update(None, "key", PASS).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM subjects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
}

#[test]
fn changing_the_passphrase_retires_the_old_one_and_the_old_recovery_key() {
    let f = fixture();
    let (mut reg, old_rk, _, _) = filled(&f.path);
    let new_pass = Passphrase::new("a brand new passphrase");
    let wrong = reg
        .change_passphrase(
            Unlock::Passphrase(&Passphrase::new("not the one")),
            &new_pass,
        )
        .unwrap_err();
    assert_eq!(wrong.kind(), "vault.wrong_passphrase");
    let new_rk = reg
        .change_passphrase(Unlock::Passphrase(&Passphrase::new(PASS)), &new_pass)
        .unwrap();
    assert!(reg.verify().unwrap().is_ok());
    reg.close().unwrap();

    let err =
        Register::open(&f.path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap_err();
    assert_eq!(err.kind(), "vault.wrong_passphrase");
    let err = Register::open(&f.path, Unlock::Recovery(&old_rk), clock()).unwrap_err();
    assert_eq!(err.kind(), "vault.wrong_passphrase");
    let reg = Register::open(&f.path, Unlock::Passphrase(&new_pass), clock()).unwrap();
    assert_eq!(reg.counts().unwrap().subjects, 3);
    reg.close().unwrap();
    let typed = RecoveryKey::parse(&new_rk.display()).unwrap();
    let reg = Register::open(&f.path, Unlock::Recovery(&typed), clock()).unwrap();
    assert_eq!(reg.counts().unwrap().records, 3);
}

#[test]
fn the_recovery_key_unlocks_and_sets_a_new_passphrase() {
    let f = fixture();
    let (reg, rk, _, _) = filled(&f.path);
    let printed = rk.display().to_string();
    reg.close().unwrap();
    let typed = RecoveryKey::parse(&printed.to_lowercase()).unwrap();
    let mut reg = Register::open(&f.path, Unlock::Recovery(&typed), clock()).unwrap();
    reg.change_passphrase(
        Unlock::Recovery(&typed),
        &Passphrase::new("remembered this time"),
    )
    .unwrap();
    reg.close().unwrap();
    Register::open(
        &f.path,
        Unlock::Passphrase(&Passphrase::new("remembered this time")),
        clock(),
    )
    .unwrap();
}

#[test]
fn invalid_input_is_refused_and_changes_nothing() {
    let f = fixture();
    let (mut reg, _, news, _) = filled(&f.path);
    let before = reg.counts().unwrap();
    let events = reg.verify().unwrap().audit.unwrap().events;

    let err = reg.add_subject(&person("", "a@b.no", "")).unwrap_err();
    assert_eq!(
        (err.kind(), err.details()["field"].as_str()),
        ("input.invalid", Some("name"))
    );
    let err = reg
        .add_subject(&person("Ola", "ola(at)example.no", ""))
        .unwrap_err();
    assert_eq!(err.details()["field"], "email");
    assert!(
        !err.to_string().contains("ola(at)"),
        "the value is not echoed"
    );
    let err = reg
        .add_record(1, &record(news, "Shoe size", "44"))
        .unwrap_err();
    assert_eq!(err.details()["field"], "category");
    let err = reg.add_record(999, &record(news, "Navn", "x")).unwrap_err();
    assert_eq!(err.kind(), "not_found");
    let err = reg
        .add_activity(&Activity {
            name: "  ".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.details()["field"], "name");
    // A batch with one bad row imports nothing.
    let batch = vec![
        (person("Good Person", "good@example.no", ""), vec![]),
        (person("Bad Person", "bad@", ""), vec![]),
    ];
    assert!(reg.add_subjects(&batch).is_err());
    let err = reg
        .update_subject(1, &person("Kari N", "kari@example.no", ""), " ")
        .unwrap_err();
    assert_eq!(err.details()["field"], "reason");

    assert_eq!(reg.counts().unwrap(), before);
    assert_eq!(reg.verify().unwrap().audit.unwrap().events, events);
}

#[test]
fn rectification_and_views_are_audited_without_values() {
    let f = fixture();
    let (mut reg, _, _, _) = filled(&f.path);
    let kari = reg.search("kari", 5).unwrap()[0].id;
    reg.update_subject(
        kari,
        &person("Kari Nordmann-Hansen", "kari@example.no", "+47 912 34 567"),
        "married, asked by e-mail",
    )
    .unwrap();
    let view = reg.view_subject(kari).unwrap();
    assert_eq!(view.subject.fields.name, "Kari Nordmann-Hansen");
    assert_eq!(view.records.len(), 2);
    let rec = view.records[0].id;
    reg.update_record(rec, "kari.hansen@example.no", "new address")
        .unwrap();

    let history = reg.audit_log(AuditFilter::Subject(kari), 50).unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "record.rectified",
            "subject.viewed",
            // Art. 19: the recipients are to be told; the second correction, while
            // those tasks are open, adds none.
            "notifications.created",
            "subject.rectified",
            "record.created",
            "record.created",
            "subject.created"
        ]
    );
    assert_eq!(history[2].fields, ["rectification", "count:1"]);
    assert_eq!(history[3].fields, ["name"]);
    assert_eq!(history[3].reason, "married, asked by e-mail");
    let all = serde_json::to_string(&reg.audit_log(AuditFilter::All, 1000).unwrap()).unwrap();
    for value in [
        "Nordmann",
        "kari@example.no",
        "kari.hansen",
        "912 34",
        "Bærum",
        "1980-02-29",
    ] {
        assert!(!all.contains(value), "{value} is in the audit log");
    }
    // The new value is searchable, the old one is not.
    assert_eq!(reg.search("kari.hansen", 5).unwrap().len(), 1);
    assert!(reg
        .search("hansen@", 5)
        .unwrap()
        .iter()
        .all(|s| s.id == kari));
}

#[test]
fn erasure_removes_the_subject_everywhere_and_names_who_to_tell() {
    let f = fixture();
    let (mut reg, _, news, _) = filled(&f.path);
    let p = reg
        .add_processor(&Processor {
            name: "Dynamics 365".into(),
            country: "Norway".into(),
            ..Default::default()
        })
        .unwrap();
    let mut a = reg.activity(news).unwrap().activity;
    a.processor_ids = vec![p.id];
    reg.update_activity(news, &a).unwrap();
    let kari = reg.search("kari", 5).unwrap()[0].id;
    reg.add_consent_event(
        kari,
        &NewConsentEvent {
            activity_id: news,
            purpose: "Newsletter".into(),
            kind: ConsentKind::Objection,
            method: "e-mail".into(),
            at: None,
        },
    )
    .unwrap();
    assert!(
        reg.subject(kari).unwrap().marketing_objection,
        "objection to direct marketing suppresses"
    );

    let summary = reg.erase_subject(kari, "request 2026-11").unwrap();
    assert_eq!((summary.records, summary.consent_events), (2, 1));
    assert_eq!(summary.notify, ["Dynamics 365"]);
    assert!(reg.search("kari", 5).unwrap().is_empty());
    assert_eq!(reg.subject(kari).unwrap_err().kind(), "not_found");
    assert_eq!(reg.counts().unwrap().records, 1);
    let wal = PathBuf::from(format!("{}-wal", f.path.display()));
    assert_eq!(
        fs::metadata(&wal).map(|m| m.len()).unwrap_or(0),
        0,
        "the WAL was emptied"
    );
    assert!(reg.verify().unwrap().is_ok());
}

#[test]
fn activities_cannot_drop_categories_in_use_or_be_deleted_with_records() {
    let f = fixture();
    let (mut reg, _, news, _) = filled(&f.path);
    let mut a = reg.activity(news).unwrap().activity;
    a.data_categories.retain(|c| c.name != "E-post");
    let err = reg.update_activity(news, &a).unwrap_err();
    assert_eq!(err.details()["field"], "data_categories");
    assert_eq!(reg.delete_activity(news).unwrap_err().kind(), "in_use");
    let summaries = reg.activity_summaries().unwrap();
    let n = summaries.iter().find(|s| s.id == news).unwrap();
    assert_eq!((n.records, n.subjects), (1, 1));
}

#[test]
fn listing_pages_and_sorts() {
    let f = fixture();
    let (reg, _, _, _) = filled(&f.path);
    let page = reg.list_subjects(0, 2, SubjectSort::Name, false).unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(names(&page.items), ["John Smith", "Kari Nordmann"]);
    let page = reg.list_subjects(2, 2, SubjectSort::Name, false).unwrap();
    assert_eq!(page.items.len(), 1);
    let page = reg.list_subjects(0, 3, SubjectSort::Email, true).unwrap();
    assert_eq!(page.items[0].email, "kari@example.no");
}

#[test]
fn a_register_from_a_newer_version_is_refused() {
    let f = fixture();
    let (reg, rk, _, _) = filled(&f.path);
    reg.close().unwrap();
    {
        let conn = rusqlite::Connection::open(&f.path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA key = \"x'{}'\";",
            hex::encode(rk.key().as_bytes())
        ))
        .unwrap();
        conn.execute(
            "INSERT INTO schema_migrations VALUES (99, 'future', 'later')",
            [],
        )
        .unwrap();
    }
    let err = Register::open(&f.path, Unlock::Recovery(&rk), clock()).unwrap_err();
    assert_eq!(err.kind(), "vault.newer_version");
}

#[test]
fn an_activity_from_a_template_brings_its_processors_once() {
    let f = fixture();
    let mut reg = Register::create(&f.path, &Passphrase::new(PASS), clock())
        .unwrap()
        .0;
    let lang = templates::Lang::Nb;
    let suggested = |key: &str| -> Vec<Processor> {
        let keys = templates::template_processors(key);
        templates::processors(lang)
            .into_iter()
            .filter(|(k, _)| keys.contains(k))
            .map(|(_, p)| p)
            .collect()
    };
    // Dynamics 365 is already in the register under another capitalisation.
    let mut crm = suggested("client_information")
        .into_iter()
        .find(|p| p.name == "Microsoft Dynamics 365")
        .unwrap();
    crm.name = " microsoft dynamics 365 ".into();
    let crm_id = reg.add_processor(&crm).unwrap().id;

    let clients = templates::activity("client_information", lang).unwrap();
    let a = reg
        .add_activity_with_processors(&clients, &suggested("client_information"))
        .unwrap();
    let names: Vec<String> = reg
        .processors()
        .unwrap()
        .into_iter()
        .map(|p| p.processor.name)
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(a.activity.processor_ids.contains(&crm_id));
    assert_eq!(a.activity.processor_ids.len(), 2);

    // A second activity sharing a processor reuses it.
    let events = templates::activity("events", lang).unwrap();
    reg.add_activity_with_processors(&events, &suggested("events"))
        .unwrap();
    assert_eq!(reg.processors().unwrap().len(), 3);

    // An invalid activity adds neither itself nor its processors.
    let before = reg.audit_log(AuditFilter::All, 1000).unwrap().len();
    let mut bad = templates::activity("courses", lang).unwrap();
    bad.name = " ".into();
    let err = reg
        .add_activity_with_processors(&bad, &suggested("courses"))
        .unwrap_err();
    assert_eq!(err.details()["field"], "name");
    assert_eq!(reg.processors().unwrap().len(), 3);
    assert_eq!(reg.activities().unwrap().len(), 2);
    assert_eq!(reg.audit_log(AuditFilter::All, 1000).unwrap().len(), before);
}

/// Issue 14: criminal offence data (Art. 10) is not a special category. An activity that
/// holds only that is stored without an Art. 9 condition; a special category beside it
/// still needs one.
#[test]
fn criminal_offence_data_needs_no_art9_condition() {
    let f = fixture();
    let mut reg = Register::create(&f.path, &Passphrase::new(PASS), clock())
        .unwrap()
        .0;
    let mut checks = Activity {
        name: "Politiattester".into(),
        data_categories: vec![DataCategory::new("Politiattest", CategoryGroup::Criminal)],
        ..Default::default()
    };
    checks.data_categories[0].sensitive = true;
    let stored = reg.add_activity(&checks).unwrap();
    assert_eq!(stored.activity.art9_condition, None);
    assert_eq!(
        stored.activity.data_categories[0].group,
        CategoryGroup::Criminal
    );
    let mut health = DataCategory::new("Helseopplysninger", CategoryGroup::PersonalLife);
    health.sensitive = true;
    checks.data_categories.push(health);
    let err = reg.update_activity(stored.id, &checks).unwrap_err();
    assert_eq!(err.details()["field"], "art9_condition");
    checks.art9_condition = Some(Art9Condition::ExplicitConsent);
    reg.update_activity(stored.id, &checks).unwrap();
}

/// Issue 14: a template's retention periods and its DPIA and automated-decision answers
/// are stored as proposals; saving the activity without one confirms it (audited as a
/// change to `proposals`), and with none left the field is gone from the body.
#[test]
fn a_templates_proposals_are_stored_and_confirmed_by_saving_without_them() {
    let f = fixture();
    let mut reg = Register::create(&f.path, &Passphrase::new(PASS), clock())
        .unwrap()
        .0;
    let from_template = templates::activity("advertising", templates::Lang::Nb).unwrap();
    assert_eq!(from_template.proposals, Proposal::ALL);
    let a = reg.add_activity(&from_template).unwrap();
    assert_eq!(
        reg.activity(a.id).unwrap().activity.proposals,
        Proposal::ALL
    );
    assert_eq!(reg.counts().unwrap().unconfirmed_proposals, 1);

    let mut edit = a.activity.clone();
    assert!(edit.confirm(Proposal::Retention));
    edit.proposals.push(Proposal::Dpia); // listed twice: stored once
    let saved = reg.update_activity(a.id, &edit).unwrap();
    assert_eq!(
        saved.activity.proposals,
        [Proposal::Dpia, Proposal::AutomatedDecisions]
    );
    let log = reg.audit_log(AuditFilter::All, 1).unwrap();
    assert_eq!(log[0].action, "activity.changed");
    assert_eq!(log[0].fields, vec!["proposals"]);

    edit.proposals.clear();
    reg.update_activity(a.id, &edit).unwrap();
    let log = reg.audit_log(AuditFilter::All, 1).unwrap();
    assert_eq!(log[0].fields, vec!["proposals"], "the last one confirmed");
    let stored = reg.activity(a.id).unwrap();
    assert!(stored.activity.proposals.is_empty());
    let body = serde_json::to_value(&stored.activity).unwrap();
    assert!(body.get("proposals").is_none(), "{body}");
    assert_eq!(reg.counts().unwrap().unconfirmed_proposals, 0);
}

/// Someone with the key, at the file itself.
fn raw_with(path: &Path, rk: &RecoveryKey) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA key = \"x'{}'\";",
        hex::encode(rk.key().as_bytes())
    ))
    .unwrap();
    conn
}

fn stored_checkpoint(conn: &rusqlite::Connection) -> String {
    conn.query_row(
        "SELECT value FROM meta WHERE key = 'audit_checkpoint'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// Issue 17, the audit checkpoint: the first check of a session starts after it (an
/// event before it, changed by someone with the key, is not walked again: the quick
/// check trusts it, and `verify` walks everything and finds it), and the first ordinary
/// write after a check moves it on.
#[test]
fn the_first_check_of_a_session_starts_at_the_checkpoint_and_a_write_moves_it_on() {
    let f = fixture();
    let (mut reg, rk, _, _) = filled(&f.path);
    let first = reg.verify_audit().unwrap();
    let cp = first.checkpoint.clone().unwrap();
    assert_eq!(
        (cp.state, cp.used),
        (CheckpointState::Absent, false),
        "a new register has none"
    );
    // The next ordinary write stores the head that check verified, in its transaction.
    reg.add_subject(&person("Ola Nordmann", "", "")).unwrap();
    reg.close().unwrap();

    let open = || Register::open(&f.path, Unlock::Recovery(&rk), clock()).unwrap();
    let mut reg = open();
    let second = reg.verify_audit().unwrap();
    let cp = second.checkpoint.clone().unwrap();
    assert_eq!(
        (cp.state, cp.events, cp.used),
        (CheckpointState::Valid, first.events, true)
    );
    assert!(
        second.events > first.events,
        "the events after it, checked now"
    );
    assert_eq!(second.first_broken, None);
    let report = reg.verify().unwrap();
    assert!(report.is_ok(), "{report:?}");
    let whole = report.audit.unwrap();
    assert_eq!(
        (whole.events, &whole.head_hash),
        (second.events, &second.head_hash),
        "the same answer as the whole walk"
    );
    let cp = whole.checkpoint.unwrap();
    assert_eq!(
        (cp.state, cp.used),
        (CheckpointState::Valid, false),
        "verify reports it and walks everything"
    );
    // A change after this session's check moves it on to that check's head.
    reg.add_subject(&person("Per Hansen", "", "")).unwrap();
    reg.close().unwrap();
    let reg = open();
    let third = reg.verify_audit().unwrap();
    let cp = third.checkpoint.unwrap();
    assert_eq!(
        (cp.state, cp.events, cp.used),
        (CheckpointState::Valid, second.events, true)
    );
    assert!(third.events > second.events);
    reg.close().unwrap();

    // An event before the checkpoint, changed by someone with the key.
    raw_with(&f.path, &rk)
        .execute_batch(
            "DROP TRIGGER audit_events_no_update;
             UPDATE audit_events SET actor = 'someone else' WHERE seq = 2;",
        )
        .unwrap();
    let mut reg = open();
    let quick = reg.verify_audit().unwrap();
    assert!(quick.checkpoint.as_ref().unwrap().used);
    assert_eq!(
        quick.first_broken, None,
        "the quick check trusts the events before the checkpoint"
    );
    let report = reg.verify().unwrap();
    assert!(!report.is_ok());
    assert_eq!(report.audit.unwrap().first_broken.map(|b| b.seq), Some(2));
}

/// A checkpoint whose MAC does not verify, or whose event has another hash since, is not
/// trusted: the first check walks the whole chain (and finds what was changed before
/// the checkpoint), and says why it walked it.
#[test]
fn a_tampered_checkpoint_is_not_trusted_and_the_whole_chain_is_walked() {
    let f = fixture();
    let (mut reg, rk, _, _) = filled(&f.path);
    let checked = reg.verify_audit().unwrap();
    reg.add_subject(&person("Ola Nordmann", "", "")).unwrap();
    reg.close().unwrap();
    let open = || Register::open(&f.path, Unlock::Recovery(&rk), clock()).unwrap();

    // Its MAC replaced, and an event before it changed.
    let original = {
        let conn = raw_with(&f.path, &rk);
        let original = stored_checkpoint(&conn);
        let mut forged: serde_json::Value = serde_json::from_str(&original).unwrap();
        assert_eq!(forged["events"], checked.events);
        forged["mac"] = "00".repeat(32).into();
        conn.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'audit_checkpoint'",
            [forged.to_string()],
        )
        .unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_events_no_update;
             UPDATE audit_events SET actor = 'someone else' WHERE seq = 2;",
        )
        .unwrap();
        original
    };
    let mut reg = open();
    let check = reg.verify_audit().unwrap();
    let cp = check.checkpoint.clone().unwrap();
    assert_eq!((cp.state, cp.used), (CheckpointState::Invalid, false));
    assert_eq!(
        check.first_broken.map(|b| b.seq),
        Some(2),
        "the whole chain was walked"
    );
    let report = reg.verify().unwrap();
    assert!(!report.is_ok());
    assert_eq!(
        report.audit.unwrap().checkpoint.unwrap().state,
        CheckpointState::Invalid
    );
    reg.close().unwrap();

    // Its own MAC again, but the event it names has another hash now: changed.
    {
        let conn = raw_with(&f.path, &rk);
        conn.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'audit_checkpoint'",
            [&original],
        )
        .unwrap();
        conn.execute(
            "UPDATE audit_events SET hash = ?1 WHERE seq = ?2",
            rusqlite::params!["0".repeat(64), checked.events],
        )
        .unwrap();
    }
    let mut reg = open();
    let check = reg.verify_audit().unwrap();
    let cp = check.checkpoint.clone().unwrap();
    assert_eq!(
        (cp.state, cp.events, cp.used),
        (CheckpointState::Changed, checked.events, false)
    );
    assert!(check.first_broken.is_some(), "the whole chain was walked");
    let report = reg.verify().unwrap();
    assert!(!report.is_ok());
    assert_eq!(
        report.audit.unwrap().checkpoint.unwrap().state,
        CheckpointState::Changed
    );
}

#[test]
fn the_counts_follow_every_change_to_the_register_also_by_another_program() {
    let f = fixture();
    let (mut reg, _, news, _) = filled(&f.path);
    let both = |reg: &Register| {
        let c = reg.counts().unwrap();
        let page = reg.list_subjects(0, 2, SubjectSort::Name, false).unwrap();
        assert_eq!(page.total, c.subjects, "the list and the overview agree");
        (c.subjects, c.records)
    };
    assert_eq!(both(&reg), (3, 3));
    assert_eq!(both(&reg), (3, 3), "asked again, unchanged");
    let ola = reg
        .add_subject(&person("Ola Nordmann", "ola@example.no", ""))
        .unwrap();
    assert_eq!(both(&reg), (4, 3));
    reg.add_record(ola.id, &record(news, "E-post", "ola@example.no"))
        .unwrap();
    assert_eq!(both(&reg), (4, 4));
    reg.erase_subject(ola.id, "asked to be forgotten").unwrap();
    assert_eq!(both(&reg), (3, 3));

    // Each activity's records and people, as a GROUP BY over every record says.
    let per_activity = |reg: &Register| -> Vec<(i64, i64, i64)> {
        reg.activity_summaries()
            .unwrap()
            .iter()
            .map(|a| (a.id, a.records, a.subjects))
            .collect()
    };
    let counted = |path: &Path| -> Vec<(i64, i64, i64)> {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.pragma_update(None, "key", PASS).unwrap();
        let mut st = conn
            .prepare(
                "SELECT a.id, count(r.id), count(DISTINCT r.subject_id) FROM activities a
                 LEFT JOIN records r ON r.activity_id = a.id GROUP BY a.id ORDER BY a.id",
            )
            .unwrap();
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        rows
    };
    let mut sorted = per_activity(&reg);
    sorted.sort();
    assert_eq!(sorted, counted(&f.path));
    // Two records of one person, then a merge that moves one person's records to the
    // other: the records stay, the people in the activity are one fewer.
    let per = reg
        .add_subject(&person("Per Olsen", "per@example.no", ""))
        .unwrap();
    reg.add_record(per.id, &record(news, "E-post", "per@example.no"))
        .unwrap();
    reg.add_record(per.id, &record(news, "Navn", "Per Olsen"))
        .unwrap();
    let kari = reg.search("kari@example.no", 1).unwrap()[0].id;
    let before = per_activity(&reg);
    let news_of = |v: &[(i64, i64, i64)]| *v.iter().find(|a| a.0 == news).unwrap();
    reg.merge_subjects(kari, per.id, "the same person, registered twice")
        .unwrap();
    let after = per_activity(&reg);
    assert_eq!(news_of(&after).1, news_of(&before).1, "the records stay");
    assert_eq!(
        news_of(&after).2,
        news_of(&before).2 - 1,
        "one person fewer"
    );
    let mut sorted = after;
    sorted.sort();
    assert_eq!(sorted, counted(&f.path));
    reg.erase_subject(kari, "asked to be forgotten").unwrap();
    let mut sorted = per_activity(&reg);
    sorted.sort();
    assert_eq!(sorted, counted(&f.path));
    assert_eq!(both(&reg), (2, 1));
    // A refused change changes no count.
    assert!(reg.add_subject(&person("  ", "", "")).is_err());
    assert_eq!(both(&reg), (2, 1));

    // Another program writes to the file: the next count sees it.
    let outsider = rusqlite::Connection::open(&f.path).unwrap();
    outsider.pragma_update(None, "key", PASS).unwrap();
    let gone = outsider
        .execute(
            "DELETE FROM records WHERE id = (SELECT max(id) FROM records)",
            [],
        )
        .unwrap();
    assert_eq!(gone, 1);
    drop(outsider);
    assert_eq!(both(&reg), (2, 0));
}

#[test]
fn pages_checked_in_the_background_hold_back_every_write_until_the_check_has_passed() {
    // An intact file: it is read during the check, and a write waits for the check.
    let f = fixture();
    let (reg, rk, _, _) = filled(&f.path);
    reg.close().unwrap();
    let mut reg = Register::open(&f.path, Unlock::Key(rk.key()), clock()).unwrap();
    reg.check_pages_in_background().unwrap();
    assert!(!reg.is_read_only());
    assert_eq!(
        names(&reg.search("nordmann", 10).unwrap()),
        ["Kari Nordmann"]
    );
    reg.add_subject(&person("Ola Nordmann", "ola@example.no", ""))
        .unwrap();
    assert!(!reg.page_check_running(), "the write waited for the check");
    assert_eq!(reg.finish_page_check().unwrap(), Vec::<u32>::new());
    reg.close().unwrap();

    // A damaged file: once the check has found the page, the register is read-only
    // and the write is refused, with the file as it was.
    let victim = records_root_page(&f.path, &rk);
    flip_byte(&f.path, victim);
    let damaged = sha(&f.path);
    let mut reg = Register::open(&f.path, Unlock::Key(rk.key()), clock()).unwrap();
    reg.check_pages_in_background().unwrap();
    let err = reg.add_subject(&person("Ny Person", "", "")).unwrap_err();
    assert_eq!(err.kind(), "vault.read_only");
    assert!(reg.is_read_only());
    assert!(!reg.page_check_running());
    drop(reg);
    assert_eq!(sha(&f.path), damaged, "the damaged file was written");

    // A window opening it: a small file is checked before it is handed out.
    let opened = opening::open_for_window(&f.path, Unlock::Key(rk.key()), clock()).unwrap();
    assert_eq!(opened.damaged_pages, vec![victim as u32]);
    assert!(opened.register.is_read_only());
}

#[test]
fn a_window_opening_a_damaged_file_checked_in_the_background_ends_read_only() {
    let f = fixture();
    let (reg, rk, _, _) = filled(&f.path);
    reg.close().unwrap();
    let intact = opening::open_checking(
        &f.path,
        Unlock::Key(rk.key()),
        clock(),
        opening::CheckPages::InBackground,
    )
    .unwrap();
    assert!(intact.damaged_pages.is_empty());
    let mut reg = intact.register;
    assert_eq!(reg.finish_page_check().unwrap(), Vec::<u32>::new());
    reg.close().unwrap();

    // Damage in the records: found by the check, the register ends read-only, and a
    // write never reaches the file.
    let victim = records_root_page(&f.path, &rk);
    flip_byte(&f.path, victim);
    let damaged = sha(&f.path);
    let opened = opening::open_checking(
        &f.path,
        Unlock::Key(rk.key()),
        clock(),
        opening::CheckPages::InBackground,
    )
    .unwrap();
    let mut reg = opened.register;
    let pages = if opened.damaged_pages.is_empty() {
        reg.finish_page_check().unwrap()
    } else {
        opened.damaged_pages
    };
    assert_eq!(pages, vec![victim as u32]);
    assert!(reg.is_read_only());
    let err = reg.add_subject(&person("Ny Person", "", "")).unwrap_err();
    assert_eq!(err.kind(), "vault.read_only");
    drop(reg);
    assert_eq!(sha(&f.path), damaged, "the damaged file was written");
}

#[test]
fn a_session_that_only_reads_leaves_its_audit_checkpoint_for_the_next() {
    let f = fixture();
    let (reg, rk, _, _) = filled(&f.path);
    reg.close().unwrap();
    let open = || Register::open(&f.path, Unlock::Key(rk.key()), clock()).unwrap();
    let reg = open();
    let first = reg.verify_audit().unwrap();
    assert!(
        !first.checkpoint.as_ref().is_some_and(|c| c.used),
        "no checkpoint yet: {first:?}"
    );
    assert_eq!(names(&reg.search("kari", 5).unwrap()), ["Kari Nordmann"]);
    reg.close().unwrap();
    // The next session's first check starts from what the reading one verified.
    let reg = open();
    let next = reg.verify_audit().unwrap();
    assert!(next.checkpoint.as_ref().is_some_and(|c| c.used), "{next:?}");
    assert!(next.first_broken.is_none());
    reg.close().unwrap();
}
