//! Getting data in and out, through the core's public API on real encrypted files:
//! CSV imports of the fixtures in the repository's `tests/fixtures/`, and the JSON
//! export and import of a whole register.

use std::cell::Cell;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use privreg_core::model::*;
use privreg_core::templates::{self, Lang};
use privreg_core::transfer::*;
use privreg_core::*;
use sha2::{Digest, Sha256};

const PASS: &str = "fjellvann og blåbær 42";

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at("2026-11-23T10:00:00Z"))
}

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

fn sha(path: &Path) -> String {
    hex::encode(Sha256::digest(fs::read(path).unwrap()))
}

struct Fx {
    _dir: tempfile::TempDir,
    path: PathBuf,
    reg: Register,
}

fn register() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.privreg");
    let (mut reg, _) = Register::create(&path, &Passphrase::new(PASS), clock()).unwrap();
    reg.set_actor("tester");
    Fx {
        _dir: dir,
        path,
        reg,
    }
}

fn add_template(reg: &mut Register, key: &str, lang: Lang) -> StoredActivity {
    reg.add_activity(&templates::activity(key, lang).unwrap())
        .unwrap()
}

fn read(name: &str) -> CsvTable {
    read_csv_file(&fixture_path(name), &CsvFormat::default()).unwrap()
}

fn no_progress() -> impl FnMut(Progress) -> bool {
    |_| true
}

/// Imports the good rows, collected today, without watching the progress.
fn import_good_rows(
    reg: &mut Register,
    activity: Id,
    table: &CsvTable,
    mapping: &CsvMapping,
) -> CsvImportReport {
    reg.import_csv(
        activity,
        table,
        mapping,
        &CsvImportOptions::default(),
        &mut no_progress(),
    )
    .unwrap()
}

fn lines(notes: &[RowNote]) -> Vec<u64> {
    notes.iter().map(|n| n.line).collect()
}

fn audit_count(reg: &Register) -> usize {
    reg.audit_log(AuditFilter::All, 100_000).unwrap().len()
}

#[test]
fn a_dynamics_export_in_windows_1252_with_semicolons_imports() {
    let mut fx = register();
    let act = add_template(&mut fx.reg, "client_information", Lang::Nb);
    let table = read("dynamics-contacts-cp1252.csv");
    assert_eq!(table.encoding, Encoding::Windows1252);
    assert_eq!(table.delimiter, ';');
    assert_eq!(table.rows.len(), 5);
    let preview = table.preview(2);
    assert_eq!(preview.rows[0][3], "Bjørn Ødegård");
    assert_eq!(preview.rows[1][5], "Havbris Æøå AS");
    assert_eq!(
        table.rows[2].fields[5], "Sæther & Søn; Bygg",
        "a quoted ';'"
    );

    let mut mapping = suggest_mapping(&table.headers, &act.activity);
    let targets =
        |m: &CsvMapping, c: &str| m.targets_of(c).into_iter().cloned().collect::<Vec<_>>();
    assert_eq!(
        targets(&mapping, "Fullt navn"),
        [Target::Name, Target::Category("Navn".into())]
    );
    assert_eq!(
        targets(&mapping, "E-post"),
        [Target::Email, Target::Category("E-postadresse".into())]
    );
    assert_eq!(
        targets(&mapping, "Mobiltelefon"),
        [Target::Phone, Target::Category("Telefonnummer".into())]
    );
    assert_eq!(
        targets(&mapping, "Stilling"),
        [Target::Category("Stilling".into())]
    );
    assert!(targets(&mapping, "(Ikke endre) Kontakt").is_empty());
    mapping.set("Firmanavn", &[Target::Category("Arbeidsgiver".into())]);
    mapping.source = "Dynamics 365".into();

    // One of them is already in the register.
    let existing = fx
        .reg
        .add_subject(&SubjectFields {
            name: "Håkon Brænne".into(),
            email: "hakon@braenne.example.no".into(),
            phone: String::new(),
        })
        .unwrap();

    let events_before = audit_count(&fx.reg);
    let plan = fx
        .reg
        .plan_csv_import(act.id, &table, &mapping, &mut no_progress())
        .unwrap();
    assert_eq!(
        (
            plan.rows,
            plan.new_subjects,
            plan.merged,
            plan.skipped,
            plan.rejected
        ),
        (5, 3, 1, 0, 1),
        "{plan:?}"
    );
    // "(+47) 922 44 555" is not a phone number the register accepts: the row is
    // rejected by its line and column, and the others go on.
    assert_eq!(lines(&plan.rejected_rows), [5]);
    assert_eq!(
        plan.rejected_rows[0].reason,
        "column \"Mobiltelefon\": phone: not a telephone number"
    );
    assert!(!plan.written);
    assert_eq!(
        audit_count(&fx.reg),
        events_before,
        "a dry run writes nothing"
    );
    assert_eq!(fx.reg.counts().unwrap().subjects, 1);

    let report = import_good_rows(&mut fx.reg, act.id, &table, &mapping);
    assert!(report.written);
    assert_eq!((report.new_subjects, report.merged), (3, 1));
    // Five categories a row, and Ørjan has no phone.
    assert_eq!(report.records, 19);
    assert_eq!(fx.reg.counts().unwrap().subjects, 4);

    // One audit event for the whole import, with counts and no values.
    let events = fx.reg.audit_log(AuditFilter::All, 10).unwrap();
    assert_eq!(audit_count(&fx.reg), events_before + 1);
    let ev = &events[0];
    assert_eq!(ev.action, "csv.imported");
    assert_eq!(ev.entity_id, Some(act.id));
    assert_eq!(
        ev.fields,
        [
            "rows:5",
            "new:3",
            "merged:1",
            "skipped:0",
            "rejected:1",
            "records:19"
        ]
    );
    assert!(fx.reg.verify_audit().unwrap().first_broken.is_none());

    // Norwegian letters survived, the search finds them, the merge kept the subject.
    let hits = fx.reg.search("ødegård", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].email, "bjorn.odegard@fjellbekk.example.no");
    assert_eq!(hits[0].phone, "+47 913 00 111");
    let merged = fx.reg.subject_data(existing.id).unwrap();
    assert_eq!(merged.subject.fields.email, "hakon@braenne.example.no");
    assert!(merged.records.iter().any(|r| r.category == "Arbeidsgiver"
        && r.value == "Brænne Elektro"
        && r.source == "Dynamics 365"));
    assert!(fx
        .reg
        .search("elektro", 5)
        .unwrap()
        .iter()
        .any(|s| s.id == existing.id));
    assert_eq!(
        fx.reg.subject_data(existing.id).unwrap().records.len(),
        merged.records.len()
    );

    // The mapping is remembered for the activity.
    assert_eq!(fx.reg.csv_mapping(act.id).unwrap(), Some(mapping.clone()));

    // The same file again: everything is already there.
    let again = import_good_rows(&mut fx.reg, act.id, &table, &mapping);
    assert_eq!((again.new_subjects, again.merged, again.skipped), (0, 0, 4));
    assert!(!again.written);
    assert_eq!(audit_count(&fx.reg), events_before + 1);
}

#[test]
fn a_newsletter_list_with_duplicates_and_blank_lines() {
    let mut fx = register();
    let act = add_template(&mut fx.reg, "newsletter", Lang::En);
    let table = read("newsletter-subscribers.csv");
    assert_eq!((table.encoding, table.delimiter), (Encoding::Utf8, ','));
    let mut mapping = suggest_mapping(&table.headers, &act.activity);
    mapping.set("Signed up", &[Target::Category("Consent record".into())]);
    let report = import_good_rows(&mut fx.reg, act.id, &table, &mapping);
    assert_eq!(report.rows, 7, "blank lines are not rows");
    assert_eq!(
        (
            report.new_subjects,
            report.merged,
            report.skipped,
            report.rejected
        ),
        (4, 1, 2, 0)
    );
    assert_eq!(lines(&report.skipped_rows), [5, 11]);
    assert_eq!(report.skipped_rows[0].reason, "the same as line 2");
    assert_eq!(report.skipped_rows[1].reason, "the row is empty");
    assert_eq!(report.records, 9);
    let ola = fx.reg.subjects_by_email("ola@example.com").unwrap();
    assert_eq!(ola.len(), 1);
    let recs = fx.reg.records_of(ola[0]).unwrap();
    assert_eq!(
        recs.len(),
        3,
        "the re-subscription added its consent record"
    );
    assert_eq!(fx.reg.subject(ola[0]).unwrap().fields.name, "Ola Hansen");
    assert_eq!(recs[0].collected_on.to_string(), "2026-11-23");
}

#[test]
fn broken_rows_are_reported_by_line_and_column_without_values() {
    let mut fx = register();
    let act = add_template(&mut fx.reg, "courses", Lang::Nb);
    let table = read("course-participants-broken-bom.csv");
    assert_eq!((table.encoding, table.delimiter), (Encoding::Utf8Bom, ';'));
    assert_eq!(table.headers[0], "Fornavn");
    let mut mapping = suggest_mapping(&table.headers, &act.activity);
    mapping.set("Kurs", &[Target::Category("Kurshistorikk".into())]);
    let plan = fx
        .reg
        .plan_csv_import(act.id, &table, &mapping, &mut no_progress())
        .unwrap();
    assert_eq!(plan.rows, 9);
    assert_eq!(lines(&plan.rejected_rows), [3, 4, 5, 6, 7]);
    let reasons: Vec<&str> = plan
        .rejected_rows
        .iter()
        .map(|r| r.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "column \"E-post\": email: not an e-mail address",
            "column \"Fornavn\" and \"Etternavn\": name: required",
            "column \"Mobil\": phone: not a telephone number",
            "column 2: text after a closing quote",
            "the row has 7 values but the header has 6 columns",
        ]
    );
    assert_eq!(plan.rejected_rows[0].column.as_deref(), Some("E-post"));
    let printed = format!("{plan:?} {}", serde_json::to_string(&plan).unwrap());
    for value in ["eirik", "example", "ring meg", "Vik", "ekstra", "Dahl"] {
        assert!(!printed.contains(value), "{value} leaked: {printed}");
    }

    // All or nothing: nothing, and the file is byte for byte as it was.
    fx.reg.checkpoint().unwrap();
    let before = sha(&fx.path);
    let events = audit_count(&fx.reg);
    let strict = CsvImportOptions {
        mode: ImportMode::AllOrNothing,
        collected_on: None,
    };
    let report = fx
        .reg
        .import_csv(act.id, &table, &mapping, &strict, &mut no_progress())
        .unwrap();
    assert!(!report.written);
    assert_eq!(report.rejected, 5);
    assert_eq!(audit_count(&fx.reg), events);
    assert_eq!(fx.reg.counts().unwrap().subjects, 0);
    assert_eq!(fx.reg.csv_mapping(act.id).unwrap(), None);
    fx.reg.checkpoint().unwrap();
    assert_eq!(sha(&fx.path), before);

    // The good rows: four participants, one with a course name over two lines.
    let good = CsvImportOptions {
        mode: ImportMode::GoodRows,
        collected_on: Some("2025-09-01".parse().unwrap()),
    };
    let report = fx
        .reg
        .import_csv(act.id, &table, &mapping, &good, &mut no_progress())
        .unwrap();
    assert!(report.written);
    assert_eq!((report.new_subjects, report.rejected), (4, 5));
    let per = fx.reg.subjects_by_email("per.as@example.no").unwrap();
    let recs = fx.reg.records_of(per[0]).unwrap();
    let course = recs.iter().find(|r| r.category == "Kurshistorikk").unwrap();
    assert_eq!(course.value, "Arbeid i høyden,\r\ndag 1 og 2");
    assert_eq!(course.collected_on.to_string(), "2025-09-01");
    assert_eq!(course.source, "CSV import");
}

#[test]
fn progress_is_reported_and_cancel_writes_nothing() {
    let mut fx = register();
    let act = add_template(&mut fx.reg, "newsletter", Lang::En);
    let mut text = String::from("Name;E-post\n");
    for i in 0..2000 {
        text.push_str(&format!("Person {i};p{i}@example.no\n"));
    }
    let table = read_csv(text.as_bytes(), &CsvFormat::default()).unwrap();
    let mapping = suggest_mapping(&table.headers, &act.activity);
    let seen = Cell::new(Vec::new());
    let report = fx
        .reg
        .import_csv(
            act.id,
            &table,
            &mapping,
            &CsvImportOptions::default(),
            &mut |p| {
                let mut v = seen.take();
                v.push(p);
                seen.set(v);
                true
            },
        )
        .unwrap();
    assert_eq!(report.new_subjects, 2000);
    let seen = seen.take();
    assert!(seen
        .iter()
        .any(|p| p.phase == Phase::Checking && p.done == 1000));
    // Saving ends at 2000 of 2000, then the new people's search rows are written.
    let writing_done = seen
        .iter()
        .position(|p| (p.phase, p.done, p.total) == (Phase::Writing, 2000, 2000))
        .expect("saving reaches its end");
    assert!(seen[writing_done + 1..]
        .iter()
        .all(|p| p.phase == Phase::Indexing && p.total == 2000));
    assert!(seen[writing_done + 1..].iter().any(|p| p.done == 1000));
    let last = seen.last().unwrap();
    assert_eq!(
        (last.phase, last.done, last.total),
        (Phase::Indexing, 2000, 2000)
    );

    // Cancel half-way through saving, or through writing the search rows: nothing of
    // it stays.
    let mut fx = register();
    let act = add_template(&mut fx.reg, "newsletter", Lang::En);
    let events = audit_count(&fx.reg);
    for phase in [Phase::Writing, Phase::Indexing] {
        let err = fx
            .reg
            .import_csv(
                act.id,
                &table,
                &mapping,
                &CsvImportOptions::default(),
                &mut |p| !(p.phase == phase && p.done >= 1000),
            )
            .unwrap_err();
        assert_eq!(err.kind(), "transfer.cancelled", "{phase:?}");
        assert_eq!(fx.reg.counts().unwrap().subjects, 0);
        assert_eq!(audit_count(&fx.reg), events);
        assert!(fx.reg.search("person", 5).unwrap().is_empty());
    }
    // After a whole import every new person is found by any part of their row.
    import_good_rows(&mut fx.reg, act.id, &table, &mapping);
    assert_eq!(fx.reg.search("p1999@example", 5).unwrap().len(), 1);
    assert_eq!(fx.reg.search("Person 0", 5).unwrap()[0].name, "Person 0");
    // And while checking.
    let err = fx
        .reg
        .plan_csv_import(act.id, &table, &mapping, &mut |p| p.done < 500)
        .unwrap_err();
    assert_eq!(err.kind(), "transfer.cancelled");
}

#[test]
fn a_bad_mapping_is_refused_before_anything_is_read() {
    let mut fx = register();
    let act = add_template(&mut fx.reg, "newsletter", Lang::En);
    let table = read("newsletter-subscribers.csv");
    let mut mapping = CsvMapping::default();
    mapping.set("Email Address", &[Target::Email]);
    let err = fx
        .reg
        .import_csv(
            act.id,
            &table,
            &mapping,
            &CsvImportOptions::default(),
            &mut no_progress(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), "input.invalid");
    assert!(err.to_string().contains("mapping"), "{err}");
    let err = fx
        .reg
        .plan_csv_import(999, &table, &mapping, &mut no_progress())
        .unwrap_err();
    assert_eq!(err.kind(), "not_found");
}

#[test]
fn a_saved_mapping_is_read_back_per_activity() {
    let mut fx = register();
    let a = add_template(&mut fx.reg, "newsletter", Lang::En);
    let b = add_template(&mut fx.reg, "courses", Lang::En);
    let mut m = CsvMapping::default();
    m.set(
        "Mail",
        &[Target::Email, Target::Category("E-mail address".into())],
    );
    m.match_phone = true;
    fx.reg.set_csv_mapping(a.id, &m).unwrap();
    assert_eq!(fx.reg.csv_mapping(a.id).unwrap(), Some(m));
    assert_eq!(fx.reg.csv_mapping(b.id).unwrap(), None);
    assert!(fx.reg.set_csv_mapping(999, &CsvMapping::default()).is_err());
}

// ---------------------------------------------------------------------------
// The JSON export and import
// ---------------------------------------------------------------------------

use chrono::NaiveDate;
use privreg_core::store::requests::{
    Channel, Completion, NewRequest, RequestFilter, RequestKind, RequestStatus, Requester,
    SentReport,
};
use privreg_core::store::retention::HoldTarget;
use privreg_core::transfer::export::{
    self, parse_export, read_export_file, FORMAT_VERSION, TABLES,
};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A register with a bit of everything: the demo's activities, processors, subjects,
/// records and consents, a controller, an erased subject, a CSV import and its
/// remembered mapping; and the tables of version 2 (see [`add_requests_and_holds`]).
fn rich_register() -> Fx {
    let mut fx = register();
    privreg_core::demo::fill(
        &mut fx.reg,
        &privreg_core::demo::Options {
            subjects: 40,
            seed: 7,
            lang: Lang::Nb,
            batch: 20,
            showcase: false,
        },
        |_| {},
    )
    .unwrap();
    let act = add_template(&mut fx.reg, "client_information", Lang::Nb);
    let table = read("dynamics-contacts-cp1252.csv");
    let mapping = suggest_mapping(&table.headers, &act.activity);
    import_good_rows(&mut fx.reg, act.id, &table, &mapping);
    let last = fx
        .reg
        .list_subjects(0, 1, SubjectSort::Created, true)
        .unwrap()
        .items[0]
        .id;
    fx.reg.erase_subject(last, "Asked to be erased").unwrap();
    add_requests_and_holds(&mut fx.reg);
    fx
}

/// Requests, erasure receipts, retention dates and legal holds, and a restricted
/// subject: an open (extended) access request, a completed access request with what
/// was sent, a completed erasure request with its receipt, an open request from someone
/// not matched to a subject, a trigger date, an active hold and a released one.
fn add_requests_and_holds(reg: &mut Register) {
    let people: Vec<SubjectSummary> = reg
        .list_subjects(0, 4, SubjectSort::Name, false)
        .unwrap()
        .items;
    let act = reg.activities().unwrap()[0].id;
    let new = |kind, subject_id, received: &str| NewRequest {
        kind,
        subject_id,
        requester: Requester::default(),
        received_on: Some(day(received)),
        channel: Channel::Email,
        notes: String::new(),
    };

    let open = reg
        .add_request(&new(RequestKind::Access, Some(people[0].id), "2026-11-10"))
        .unwrap();
    reg.verify_request_identity(open.id, "Svar fra registrert e-post", None)
        .unwrap();
    reg.start_request(open.id).unwrap();
    reg.extend_request(open.id, 1, "Mange systemer å gå gjennom", None)
        .unwrap();

    let sent = reg
        .add_request(&new(RequestKind::Access, Some(people[1].id), "2026-11-02"))
        .unwrap();
    reg.verify_request_identity(
        sent.id,
        "Legitimasjon i resepsjonen",
        Some(day("2026-11-03")),
    )
    .unwrap();
    reg.complete_request(
        sent.id,
        &Completion::ReportSent(SentReport {
            format: "pdf".into(),
            file_name: "innsyn-2026-11-23.pdf".into(),
        }),
    )
    .unwrap();

    let erase = reg
        .add_request(&new(RequestKind::Erasure, Some(people[2].id), "2026-11-20"))
        .unwrap();
    reg.verify_request_identity(erase.id, "Svar fra registrert e-post", None)
        .unwrap();
    let done = reg
        .complete_request(erase.id, &Completion::Erasure)
        .unwrap();
    assert!(done.erasure.is_some());

    reg.add_request(&NewRequest {
        requester: Requester {
            name: "Ukjent Åsmund".into(),
            email: "asmund@example.no".into(),
            phone: "+47 400 00 000".into(),
        },
        notes: "Ringte og ville vite hva vi har".into(),
        channel: Channel::Phone,
        ..new(RequestKind::Objection, None, "2026-11-21")
    })
    .unwrap();

    reg.set_retention_date(
        people[3].id,
        act,
        RetentionTrigger::RelationshipEnded,
        Some(day("2026-10-01")),
    )
    .unwrap();
    reg.add_hold(HoldTarget::Subject(people[3].id), "Tvist om faktura", None)
        .unwrap();
    let released = reg
        .add_hold(
            HoldTarget::Activity(act),
            "Revisjon",
            Some(day("2027-06-30")),
        )
        .unwrap();
    reg.release_hold(released.id, "Revisjonen er ferdig")
        .unwrap();
    reg.restrict_subject(people[1].id, "Bestrider at opplysningene er riktige")
        .unwrap();
    // An objection to processing that is not direct marketing (Art. 21(1)), decided.
    let other = reg
        .activities()
        .unwrap()
        .into_iter()
        .find(|a| !a.activity.direct_marketing)
        .unwrap();
    reg.add_consent_event(
        people[0].id,
        &NewConsentEvent {
            activity_id: other.id,
            purpose: other.activity.purposes[0].clone(),
            kind: ConsentKind::Objection,
            method: "e-post".into(),
            at: None,
        },
    )
    .unwrap();
    reg.decide_objection(
        people[0].id,
        other.id,
        ObjectionDecision::Continue,
        "Tvingende berettigede grunner: løpende avtale",
    )
    .unwrap();
    // A breach with its people, assessment and notification (the breach log).
    use privreg_core::store::breaches::*;
    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let b = reg
        .add_breach(&BreachFacts {
            title: "Kundeliste sendt til feil mottaker".into(),
            discovered_at: Some(at("2026-11-20T09:00:00+01:00")),
            aware_at: Some(at("2026-11-20T10:00:00+01:00")),
            kinds: vec![BreachKind::Confidentiality],
            ..Default::default()
        })
        .unwrap();
    reg.set_affected(
        b.id,
        &AffectedSelection {
            activity_ids: vec![other.id],
            subject_ids: vec![people[0].id, people[1].id],
            ..Default::default()
        },
    )
    .unwrap();
    reg.assess_breach(
        b.id,
        &Assessment {
            risk: RiskLevel::Risk,
            notify_authority: true,
            authority_reasons: "Kontaktopplysninger på avveie".into(),
            notify_subjects: false,
            subjects_reasons: "Ikke høy risiko".into(),
            art34_exception: None,
            decided_by: "Daglig leder".into(),
            decided_at: None,
        },
    )
    .unwrap();
    reg.record_breach_notice(
        b.id,
        &NewNotice {
            kind: NoticeKind::Initial,
            sent_at: Some(at("2026-11-21T10:00:00+01:00")),
            reference: "ALTINN-123".into(),
            delay_reason: String::new(),
            note: String::new(),
            letters: None,
        },
    )
    .unwrap();
}

/// Every trigger date of every subject.
fn all_retention_dates(
    reg: &Register,
) -> Vec<(i64, Vec<privreg_core::store::retention::RetentionDate>)> {
    let n = reg
        .list_subjects(0, 1, SubjectSort::Created, false)
        .unwrap()
        .total;
    reg.list_subjects(0, n, SubjectSort::Created, false)
        .unwrap()
        .items
        .into_iter()
        .map(|s| (s.id, reg.retention_dates(s.id).unwrap()))
        .filter(|(_, d)| !d.is_empty())
        .collect()
}

fn count_of(tables: &[(String, usize)], name: &str) -> usize {
    tables.iter().find(|(t, _)| t == name).unwrap().1
}

fn export_text(reg: &mut Register, dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    reg.export_json(&path).unwrap();
    fs::read_to_string(path).unwrap()
}

#[test]
fn export_import_export_round_trips() {
    let mut a = rich_register();
    let dir = tempfile::tempdir().unwrap();
    let first = export_text(&mut a.reg, dir.path(), "a.json");
    assert!(first
        .starts_with("{\n  \"format\": \"privacy-register-export\",\n  \"schema_version\": 6,"));
    assert_eq!(FORMAT_VERSION, 6);

    let b_path = dir.path().join("b.privreg");
    let (mut b, _recovery, summary) = Register::create_from_export(
        &b_path,
        &Passphrase::new("a new passphrase for b"),
        clock(),
        read_export_file(&dir.path().join("a.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary.migrated_from, None);
    assert_eq!(summary.source_register, a.reg.id());
    let second = export_text(&mut b, dir.path(), "b.json");
    assert_ne!(
        first, second,
        "exported_at, source and the appended events differ"
    );
    assert_eq!(
        export::normalised(&first).unwrap(),
        export::normalised(&second).unwrap(),
        "equal registers"
    );

    // The activities came over whole, the templates' proposals still to be confirmed.
    let bodies = |r: &Register| -> Vec<(Id, Activity)> {
        r.activities()
            .unwrap()
            .into_iter()
            .map(|s| (s.id, s.activity))
            .collect()
    };
    assert!(bodies(&a.reg)
        .iter()
        .any(|(_, x)| x.proposals == Proposal::ALL));
    assert_eq!(bodies(&b), bodies(&a.reg));

    // The tables of version 2 came over, row for row.
    let dates = all_retention_dates(&a.reg);
    for (table, n) in [
        ("requests", 4),
        ("request_actions", 13),
        ("erasure_receipts", 2),
        ("retention_dates", dates.iter().map(|(_, d)| d.len()).sum()),
        ("legal_holds", 2),
    ] {
        assert_eq!(count_of(&summary.tables, table), n, "{table}");
    }
    assert!(dates.iter().any(|(_, d)| d
        .iter()
        .any(|x| x.trigger == RetentionTrigger::RelationshipEnded && x.on == day("2026-10-01"))));
    assert_eq!(all_retention_dates(&b), dates);

    // Requests read back the same through the API: statuses, deadlines (computed
    // from the restored dates), the actions taken, what was sent, the receipt.
    let requests = a.reg.requests(RequestFilter::All).unwrap();
    assert_eq!(b.requests(RequestFilter::All).unwrap(), requests);
    let statuses: Vec<RequestStatus> = requests.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            RequestStatus::Received,
            RequestStatus::Completed,
            RequestStatus::Extended,
            RequestStatus::Completed
        ],
        "newest received first"
    );
    for r in &requests {
        let (va, vb) = (
            a.reg.request_view(r.id).unwrap(),
            b.request_view(r.id).unwrap(),
        );
        assert_eq!(vb.request.deadline, va.request.deadline);
        assert_eq!(vb.actions, va.actions);
    }
    assert_eq!(
        b.request_deadlines().unwrap().requests,
        a.reg.request_deadlines().unwrap().requests
    );
    let unknown = &requests[0];
    assert_eq!(unknown.subject_id, None);
    assert_eq!(unknown.requester.email, "asmund@example.no");
    let extended = b.request(requests[2].id).unwrap();
    assert_eq!(extended.extension_months, 1);
    assert_eq!(extended.deadline, requests[2].deadline);
    let sent = b.request(requests[3].id).unwrap();
    assert_eq!(
        sent.response.as_ref().map(|s| s.file_name.as_str()),
        Some("innsyn-2026-11-23.pdf")
    );
    let erased = &requests[1];
    let receipt_id = erased.receipt_id.clone().unwrap();
    assert_eq!(
        b.erasure_receipt(&receipt_id).unwrap(),
        a.reg.erasure_receipt(&receipt_id).unwrap()
    );
    assert_eq!(
        b.erasure_receipts().unwrap(),
        a.reg.erasure_receipts().unwrap()
    );
    assert!(
        b.subject(erased.subject_id.unwrap()).is_err(),
        "the erased subject stays erased"
    );

    // Holds: the active one still stops deletion, the released one is kept released.
    let holds = b.holds(true).unwrap();
    assert_eq!(holds, a.reg.holds(true).unwrap());
    assert_eq!(holds.iter().filter(|h| h.active).count(), 1);
    assert_eq!(holds.iter().filter(|h| h.released_at.is_some()).count(), 1);
    let HoldTarget::Subject(held) = holds.iter().find(|h| h.active).unwrap().target else {
        panic!("the active hold is on a subject");
    };
    let held_record = b.records_of(held).unwrap()[0].id;
    assert_eq!(
        b.delete_record(held_record, "test").unwrap_err().kind(),
        "retention.on_hold"
    );

    // A restricted subject is exported with its flag and stays restricted.
    let restricted = requests[3].subject_id.unwrap();
    assert!(a.reg.subject(restricted).unwrap().restricted);
    assert!(b.subject(restricted).unwrap().restricted);

    // The restored register works: same counts, search, lookups, remembered mapping,
    // and its audit chain is the old one continued.
    assert_eq!(
        serde_json::to_value(b.counts().unwrap()).unwrap(),
        serde_json::to_value(a.reg.counts().unwrap()).unwrap()
    );
    let someone = a
        .reg
        .list_subjects(0, 1, SubjectSort::Name, false)
        .unwrap()
        .items[0]
        .clone();
    let word = someone.name.split(' ').next_back().unwrap().to_lowercase();
    assert!(b
        .search(&word, 50)
        .unwrap()
        .iter()
        .any(|s| s.id == someone.id));
    assert_eq!(
        b.subjects_by_email(&someone.email.to_uppercase()).unwrap(),
        [someone.id]
    );
    assert_eq!(
        b.subject_data(someone.id).unwrap().records.len() as i64,
        someone.records
    );
    let act = a
        .reg
        .activities()
        .unwrap()
        .into_iter()
        .find(|x| x.activity.name == "Kundeinformasjon")
        .map(|x| x.id);
    if let Some(act) = act {
        assert_eq!(b.csv_mapping(act).unwrap(), a.reg.csv_mapping(act).unwrap());
    }
    let chain_a = a.reg.verify_audit().unwrap();
    let chain_b = b.verify_audit().unwrap();
    assert!(chain_b.first_broken.is_none());
    assert_eq!(
        chain_b.events,
        chain_a.events + 2,
        "the import's and the export's events"
    );
    let log = b.audit_log(AuditFilter::All, 2).unwrap();
    assert_eq!(log[1].action, "register.imported");
    assert!(log[1].reason.contains(a.reg.id()));
    assert!(b.verify().unwrap().is_ok());
    // a's events are b's first ones, keyed text hashes and all. Their texts were keyed
    // under a's key, which b does not have: b checks them for the chain only (above).
    let n = chain_a.events as u32;
    let (log_a, log_b) = (
        a.reg.audit_log(AuditFilter::All, n).unwrap(),
        b.audit_log(AuditFilter::All, n + 2).unwrap(),
    );
    assert_eq!(log_b[2..], log_a[..]);
    assert!(log_a
        .iter()
        .any(|e| !e.reason.is_empty() && e.reason_mac.is_some()));

    // An erased subject's id is not handed out again.
    let erased_max: i64 = first
        .lines()
        .find(|l| l.trim_start().starts_with("\"sequences\""))
        .and_then(|l| l.split("\"subjects\": ").nth(1))
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .unwrap()
        .parse()
        .unwrap();
    let fresh = b
        .add_subject(&SubjectFields {
            name: "Ny Person".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(fresh.id, erased_max + 1);
}

#[test]
fn the_export_matches_its_json_schema_and_the_schema_lists_every_table() {
    let mut fx = rich_register();
    let dir = tempfile::tempdir().unwrap();
    let text = export_text(&mut fx.reg, dir.path(), "x.json");
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/register-export.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let instance: serde_json::Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    for t in [
        "requests",
        "request_actions",
        "erasure_receipts",
        "retention_dates",
        "legal_holds",
        "objection_decisions",
        "notifications",
        "breaches",
        "breach_subjects",
        "breach_notices",
    ] {
        assert!(
            !instance["tables"][t].as_array().unwrap().is_empty(),
            "{t} is exercised"
        );
    }
    // A version 1 file is a version 6 file without the tables versions 2, 4, 5 and 6 added
    // and the audit events' `reason_mac` version 3 added (it has no erasure receipts
    // and no requests).
    let mut fixture: serde_json::Value =
        serde_json::from_slice(&fs::read(fixture_path("export-v1.json")).unwrap()).unwrap();
    assert!(!validator.is_valid(&fixture), "the schema is version 6's");
    fixture["schema_version"] = 6.into();
    assert!(
        !validator.is_valid(&fixture),
        "version 6's audit events carry reason_mac"
    );
    for event in fixture["tables"]["audit_events"].as_array_mut().unwrap() {
        event["reason_mac"] = serde_json::Value::Null;
    }
    assert!(
        validator.is_valid(&fixture),
        "the version 1 fixture is a version 6 file without the new tables and columns"
    );

    // Every table and column of the exporter is documented, and nothing else.
    let documented = schema["properties"]["tables"]["properties"]
        .as_object()
        .unwrap();
    let names: Vec<&str> = documented.keys().map(String::as_str).collect();
    let mut expected: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
    let mut names_sorted = names.clone();
    names_sorted.sort();
    expected.sort();
    assert_eq!(names_sorted, expected);
    for t in TABLES {
        let props = documented[t.name]["items"]["properties"]
            .as_object()
            .unwrap();
        let mut cols: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
        let mut doc: Vec<&str> = props.keys().map(String::as_str).collect();
        cols.sort();
        doc.sort();
        assert_eq!(doc, cols, "columns of {}", t.name);
    }
    // Nothing is left behind next to the file.
    let left: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["x.json"]);
}

#[test]
fn a_version_1_file_made_by_hand_imports() {
    let dir = tempfile::tempdir().unwrap();
    let file = read_export_file(&fixture_path("export-v1.json")).unwrap();
    assert_eq!(file.read_version, 1);
    let (mut reg, summary) =
        Register::create_unencrypted_from_export(&dir.path().join("r"), clock(), file).unwrap();
    assert_eq!(summary.audit_events, 11);
    assert!(reg.verify().unwrap().is_ok());
    assert_eq!(
        reg.controller().unwrap().unwrap().organisation,
        "Prosesspilotene AS"
    );
    let act = reg.activity(1).unwrap();
    assert_eq!(act.activity.processor_ids, [1]);
    assert!(
        act.activity.proposals.is_empty(),
        "an export made before proposals existed has none to confirm"
    );
    assert_eq!(
        reg.subjects_by_email("ase.kjaernes@example.no").unwrap(),
        [1]
    );
    assert_eq!(reg.search("sæther", 5).unwrap()[0].id, 2);
    assert_eq!(reg.search("sæther", 5).unwrap()[0].records, 1);
    assert!(reg.subject(2).unwrap().marketing_objection);
    assert_eq!(reg.consents_of(1).unwrap().len(), 1);
    let mapping = reg.csv_mapping(1).unwrap().unwrap();
    assert_eq!(mapping.source, "Påmeldingsskjema");
    // Subject 3 was erased before the export: its id stays used.
    let next = reg
        .add_subject(&SubjectFields {
            name: "X".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(next.id, 4);
    let created: Vec<_> = reg.audit_log(AuditFilter::Subject(3), 10).unwrap();
    assert_eq!(created.len(), 2, "subject 3's history is still there");
}

#[test]
fn a_version_1_file_imports_with_no_requests_receipts_dates_or_holds() {
    let dir = tempfile::tempdir().unwrap();
    let file = read_export_file(&fixture_path("export-v1.json")).unwrap();
    assert_eq!(file.read_version, 1);
    let (mut reg, summary) =
        Register::create_unencrypted_from_export(&dir.path().join("r"), clock(), file).unwrap();
    assert_eq!(summary.migrated_from, Some(1));
    assert_eq!(summary.format_version, FORMAT_VERSION);
    for t in [
        "requests",
        "request_actions",
        "erasure_receipts",
        "retention_dates",
        "legal_holds",
    ] {
        assert_eq!(count_of(&summary.tables, t), 0, "{t}");
    }
    assert!(reg.requests(RequestFilter::All).unwrap().is_empty());
    assert_eq!(reg.request_deadlines().unwrap().open, 0);
    assert!(reg.erasure_receipts().unwrap().is_empty());
    assert!(reg.holds(true).unwrap().is_empty());
    assert!(reg.retention_dates(1).unwrap().is_empty());
    // The new tables work in the restored register, and a new export is version 6
    // with the new tables present (empty ones as []).
    let r = reg
        .add_request(&NewRequest {
            kind: RequestKind::Access,
            subject_id: Some(1),
            requester: Requester::default(),
            received_on: None,
            channel: Channel::Email,
            notes: String::new(),
        })
        .unwrap();
    assert_eq!(r.id, 1);
    let text = export_text(&mut reg, dir.path(), "again.json");
    assert!(text.contains("\"schema_version\": 6,"));
    assert!(text.contains("\"legal_holds\": []"));
    assert!(text.contains("\"requests\": [\n      {\"id\":1,"));
}

fn fixture_text() -> String {
    fs::read_to_string(fixture_path("export-v1.json")).unwrap()
}

fn import_err(text: &str) -> (Error, bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.privreg");
    let err = match parse_export(text.as_bytes()) {
        Err(e) => e,
        Ok(file) => {
            Register::create_from_export(&path, &Passphrase::new(PASS), clock(), file).unwrap_err()
        }
    };
    let left = fs::read_dir(dir.path()).unwrap().count() > 0;
    (err, left)
}

#[test]
fn a_newer_or_broken_file_is_refused_with_a_clear_message_and_leaves_nothing() {
    let (err, _) =
        import_err(&fixture_text().replace("\"schema_version\": 1,", "\"schema_version\": 7,"));
    assert_eq!(err.kind(), "transfer.newer_format");
    assert!(
        err.to_string().contains(
            "newer version of Privacy Register (format 7; this program reads formats up to 6)"
        ),
        "{err}"
    );
    assert_eq!(err.details()["found"], 7);

    let (err, _) = import_err("{\"hello\": 1}");
    assert_eq!(err.kind(), "transfer.not_an_export");
    let (err, _) = import_err(&fixture_text()[..500]);
    assert_eq!(err.kind(), "transfer.not_an_export");
    assert!(err.to_string().contains("line"), "{err}");

    // A value of the wrong type: the table, row and column are named, not the value.
    let (err, _) = import_err(&fixture_text().replace(
        "\"restricted\":false,\"marketing_objection\":true",
        "\"restricted\":\"Ørjan\",\"marketing_objection\":true",
    ));
    assert_eq!(err.to_string(), "the export file cannot be imported: table subjects, row 2, column restricted: expected true or false");

    // A record of a subject that is not there: the database says so, and nothing is left.
    let (err, left) = import_err(
        &fixture_text().replace("{\"id\":3,\"subject_id\":2,", "{\"id\":3,\"subject_id\":9,"),
    );
    assert_eq!(err.kind(), "transfer.bad_export");
    assert!(
        err.to_string()
            .contains("table records, row 3: FOREIGN KEY constraint failed"),
        "{err}"
    );
    assert!(!left, "no register, no temporary file");

    // The audit log edited after the export: the chain is broken, the import refused.
    let (err, left) = import_err(&fixture_text().replace(
        "\"fields\":[\"organisation\",\"org_number\",\"email\"]",
        "\"fields\":[\"organisation\"]",
    ));
    assert!(
        err.to_string().contains("chain is broken at event 2"),
        "{err}"
    );
    assert!(!left);

    // Unknown tables and columns are refused rather than dropped.
    let (err, _) =
        import_err(&fixture_text().replace("\"meta\": [", "\"metadata\": [], \"meta\": ["));
    assert!(
        err.to_string().contains("unknown table \"metadata\""),
        "{err}"
    );
    let (err, _) = import_err(&fixture_text().replace(
        "{\"activity_id\":1,\"processor_id\":1}",
        "{\"activity_id\":1,\"processor_id\":1,\"note\":\"x\"}",
    ));
    assert!(err.to_string().contains("unknown column \"note\""), "{err}");

    let (err, _) = import_err(
        &fixture_text().replace("{\"key\":\"created_at\"", "{\"key\":\"passphrase_hint\""),
    );
    assert!(
        err.to_string()
            .contains("table meta, row 1: not a setting an export carries"),
        "{err}"
    );

    // The target must be new.
    let fx = register();
    let err = Register::create_from_export(
        &fx.path,
        &Passphrase::new(PASS),
        clock(),
        parse_export(fixture_text().as_bytes()).unwrap(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "vault.exists");
}

/// The version 1 fixture as a version 2 file with `extra` tables (JSON members): its
/// audit events have no `reason_mac` and its receipts no `kept` or `completed_at`, which
/// the step to version 3 fills in.
fn fixture_with(extra: &str) -> String {
    fixture_text()
        .replace("\"schema_version\": 1,", "\"schema_version\": 2,")
        .replace(
            "\"audit_events\": [",
            &format!("{extra},\n    \"audit_events\": ["),
        )
}

/// An erasure request of subject `subject`, completed with receipt `receipt`.
fn request_row(subject: &str, receipt: &str) -> String {
    format!(
        "{{\"id\":1,\"public_id\":\"0b9e4a52-3f7c-4d0e-9a51-6c2d8e1f7a30\",\"kind\":\"erasure\",\"subject_id\":{subject},\
         \"requester_name\":\"\",\"requester_email\":\"\",\"requester_phone\":\"\",\"received_on\":\"2025-04-28\",\
         \"channel\":\"email\",\"verified_how\":\"Svar fra registrert e-post\",\"verified_on\":\"2025-04-29\",\
         \"status\":\"completed\",\"extension_months\":0,\"extension_reason\":\"\",\"refusal_reason\":\"\",\"notes\":\"\",\
         \"response\":null,\"receipt_id\":{receipt},\"closed_on\":\"2025-05-01\",\
         \"created_at\":\"2025-04-28T08:00:00.000000Z\",\"updated_at\":\"2025-05-01T10:00:00.000000Z\"}}"
    )
}

const RECEIPT_ROW: &str = "{\"id\":\"5d0f6a8e-8a43-4b5e-9a0e-2f1c3b4d5e6f\",\"erased_at\":\"2025-05-01T10:00:00.000000Z\",\
    \"subject_id\":3,\"subject_tag\":\"5b3c1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c\",\"trigger\":\"request\",\
    \"reason\":\"Avmeldt og ba om sletting\",\"request_id\":1,\"request_ref\":\"0b9e4a52-3f7c-4d0e-9a51-6c2d8e1f7a30\",\
    \"records\":1,\"consent_events\":0,\"per_activity\":[{\"activity_id\":1,\"activity\":\"Nyhetsbrev\",\"records\":1}],\
    \"notify\":[\"Microsoft (Dynamics 365)\"]}";

const RECEIPT_ID: &str = "\"5d0f6a8e-8a43-4b5e-9a0e-2f1c3b4d5e6f\"";

#[test]
fn references_between_the_new_tables_are_checked_and_a_bad_file_leaves_nothing() {
    // Consistent: the request of subject 3, who was erased, with its receipt.
    let good = fixture_with(&format!(
        "\"requests\": [{}], \"erasure_receipts\": [{RECEIPT_ROW}], \
         \"request_actions\": [{{\"id\":1,\"request_id\":1,\"at\":\"2025-05-01T10:00:00.000000Z\",\"action\":\"completed\",\"detail\":\"\"}}]",
        request_row("3", RECEIPT_ID)
    ));
    let dir = tempfile::tempdir().unwrap();
    let (reg, summary) = Register::create_unencrypted_from_export(
        &dir.path().join("ok"),
        clock(),
        parse_export(good.as_bytes()).unwrap(),
    )
    .unwrap();
    assert_eq!(summary.migrated_from, Some(2));
    // The file's events have no keyed text hashes (their hashes cover their texts); the
    // import's own event has one, under the new register's key.
    let log = reg.audit_log(AuditFilter::All, 100).unwrap();
    assert_eq!(log[0].action, "register.imported");
    assert!(log[0].reason_mac.is_some());
    assert!(log[1..].iter().all(|e| e.reason_mac.is_none()));
    assert!(reg.verify_audit().unwrap().first_broken.is_none());
    let r = reg.request(1).unwrap();
    assert_eq!(
        (r.subject_id, r.status),
        (Some(3), RequestStatus::Completed)
    );
    assert_eq!(
        reg.erasure_receipt(r.receipt_id.as_deref().unwrap())
            .unwrap()
            .per_activity[0]
            .records,
        1
    );
    assert_eq!(reg.request_view(1).unwrap().actions.len(), 1);

    // A request whose subject is neither in the file nor erased (no receipt for it):
    // refused before a register file is made.
    let (err, left) = import_err(&fixture_with(&format!(
        "\"requests\": [{}]",
        request_row("9", "null")
    )));
    assert_eq!(err.kind(), "transfer.bad_export");
    assert_eq!(
        err.to_string(),
        "the export file cannot be imported: table requests, row 1, column subject_id: \
         no such subject in the file, and no erasure receipt for it"
    );
    assert!(!left);
    // ... the same for subject 3 when the file lacks its receipt, and for a receipt
    // or a request that is not there.
    let (err, _) = import_err(&fixture_with(&format!(
        "\"requests\": [{}]",
        request_row("3", "null")
    )));
    assert!(err.to_string().contains("column subject_id"), "{err}");
    let (err, _) = import_err(&fixture_with(&format!(
        "\"requests\": [{}], \"erasure_receipts\": [{}]",
        request_row("3", "\"another\""),
        RECEIPT_ROW
    )));
    assert!(
        err.to_string()
            .contains("table requests, row 1, column receipt_id: no such erasure receipt"),
        "{err}"
    );
    let (err, _) = import_err(&fixture_with(&format!(
        "\"erasure_receipts\": [{RECEIPT_ROW}]"
    )));
    assert!(
        err.to_string()
            .contains("table erasure_receipts, row 1, column request_id: no such request"),
        "{err}"
    );

    // Foreign keys the database checks: the register under construction is removed.
    for (extra, expected) in [
        (
            "\"request_actions\": [{\"id\":1,\"request_id\":5,\"at\":\"2025-05-01T10:00:00.000000Z\",\"action\":\"received\",\"detail\":\"\"}]".to_string(),
            "table request_actions, row 1: FOREIGN KEY constraint failed",
        ),
        (
            "\"legal_holds\": [{\"id\":1,\"subject_id\":9,\"activity_id\":null,\"reason\":\"Tvist\",\"until\":null,\"created_at\":\"2025-05-01T10:00:00.000000Z\",\"released_at\":null,\"released_reason\":\"\"}]".to_string(),
            "table legal_holds, row 1: FOREIGN KEY constraint failed",
        ),
        (
            "\"retention_dates\": [{\"subject_id\":1,\"activity_id\":7,\"trigger\":\"unsubscribed\",\"on_date\":\"2025-05-01\"}]".to_string(),
            "table retention_dates, row 1: FOREIGN KEY constraint failed",
        ),
        (
            format!("\"requests\": [{}]", request_row("1", "null").replace("\"erasure\"", "\"complaint\"")),
            "table requests, row 1: CHECK constraint failed",
        ),
    ] {
        let (err, left) = import_err(&fixture_with(&extra));
        assert_eq!(err.kind(), "transfer.bad_export");
        assert!(err.to_string().contains(expected), "{err}");
        assert!(!err.to_string().contains("Tvist"), "no values in errors");
        assert!(!left, "no register, no temporary file: {expected}");
    }

    // JSON bodies are checked by type, without quoting the value.
    let (err, _) = import_err(&fixture_with(&format!(
        "\"requests\": [{}]",
        request_row("1", "null").replace("\"response\":null", "\"response\":\"innsyn.pdf\"")
    )));
    assert_eq!(
        err.to_string(),
        "the export file cannot be imported: table requests, row 1, column response: \
         expected null or what was sent (format, file_name)"
    );
}

#[test]
fn an_export_that_cannot_be_written_is_not_audited_and_replaces_atomically() {
    let mut fx = register();
    let events = audit_count(&fx.reg);
    let err = fx
        .reg
        .export_json(Path::new("/nonexistent-dir/x.json"))
        .unwrap_err();
    assert_eq!(err.kind(), "transfer.io");
    assert_eq!(audit_count(&fx.reg), events);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.json");
    fs::write(&path, "old").unwrap();
    let summary = fx.reg.export_json(&path).unwrap();
    assert_eq!(
        summary
            .tables
            .iter()
            .find(|(t, _)| t == "audit_events")
            .unwrap()
            .1,
        events + 1
    );
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"register.exported\""));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let ev = &fx.reg.audit_log(AuditFilter::All, 1).unwrap()[0];
    assert_eq!(ev.action, "register.exported");
    assert!(ev.fields.contains(&"subjects:0".to_string()));
}

/// Issue 18: a register made from an older JSON export answers to the source register's
/// receipts journal: the person erased after the export is erased at the import (and is
/// then on the new register's suppression list, so adding them again is refused), and a
/// record deleted after the export is gone too.
#[test]
fn a_register_made_from_an_older_export_applies_the_erasures_and_deletions_made_after_it() {
    let mut a = register();
    let act = add_template(&mut a.reg, "newsletter", Lang::En);
    let backups = a._dir.path().join("backups");
    a.reg.backup(&backups).unwrap();
    let kari = a
        .reg
        .add_subject(&SubjectFields {
            name: "Kari Nordmann".into(),
            email: "kari@example.no".into(),
            phone: String::new(),
        })
        .unwrap()
        .id;
    let ola = a
        .reg
        .add_subject(&SubjectFields {
            name: "Ola Nordmann".into(),
            email: "ola@example.no".into(),
            phone: String::new(),
        })
        .unwrap()
        .id;
    for (who, value) in [
        (kari, "kari@example.no"),
        (ola, "ola@example.no"),
        (ola, "ola@work.example.no"),
    ] {
        a.reg
            .add_record(
                who,
                &NewRecord {
                    activity_id: act.id,
                    category: "E-mail address".into(),
                    value: value.into(),
                    source: String::new(),
                    collected_on: None,
                },
            )
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    export_text(&mut a.reg, dir.path(), "old.json");
    // After the export: Kari is erased at her request, one of Ola's records deleted.
    a.reg.erase_subject(kari, "Art. 17(1)(a)").unwrap();
    let work = a.reg.records_of(ola).unwrap()[1].id;
    a.reg.delete_record(work, "no longer needed").unwrap();
    a.reg.close().unwrap();

    let (mut b, _, summary) = Register::create_from_export(
        &dir.path().join("b.privreg"),
        &Passphrase::new("a new passphrase for b"),
        clock(),
        read_export_file(&dir.path().join("old.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary.journal.reapplied.len(), 1, "{:?}", summary.journal);
    assert_eq!(summary.journal.changes, 1);
    assert_eq!(b.subject(kari).unwrap_err().kind(), "not_found");
    let left: Vec<String> = b
        .records_of(ola)
        .unwrap()
        .into_iter()
        .map(|r| r.value)
        .collect();
    assert_eq!(left, ["ola@example.no"]);
    let err = b
        .add_subject(&SubjectFields {
            name: "Kari Nordmann".into(),
            email: "Kari@Example.no".into(),
            phone: String::new(),
        })
        .unwrap_err();
    assert_eq!(err.kind(), "subject.suppressed");
    assert!(b.verify_audit().unwrap().first_broken.is_none());
    b.close().unwrap();
    // Opened again: nothing more to apply.
    let again = opening::open(
        &dir.path().join("b.privreg"),
        Unlock::Passphrase(&Passphrase::new("a new passphrase for b")),
        clock(),
    )
    .unwrap();
    assert!(again.journal.reapplied.is_empty() && again.journal.changes == 0);
}
