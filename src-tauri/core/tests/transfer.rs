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

    let report = fx
        .reg
        .import_csv(
            act.id,
            &table,
            &mapping,
            &CsvImportOptions::default(),
            &mut no_progress(),
        )
        .unwrap();
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
    let again = fx
        .reg
        .import_csv(
            act.id,
            &table,
            &mapping,
            &CsvImportOptions::default(),
            &mut no_progress(),
        )
        .unwrap();
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
    let report = fx
        .reg
        .import_csv(
            act.id,
            &table,
            &mapping,
            &CsvImportOptions::default(),
            &mut no_progress(),
        )
        .unwrap();
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
    let last = seen.last().unwrap();
    assert_eq!(
        (last.phase, last.done, last.total),
        (Phase::Writing, 2000, 2000)
    );

    // Cancel half-way through writing: nothing of it stays.
    let mut fx = register();
    let act = add_template(&mut fx.reg, "newsletter", Lang::En);
    let events = audit_count(&fx.reg);
    let err = fx
        .reg
        .import_csv(
            act.id,
            &table,
            &mapping,
            &CsvImportOptions::default(),
            &mut |p| !(p.phase == Phase::Writing && p.done >= 1000),
        )
        .unwrap_err();
    assert_eq!(err.kind(), "transfer.cancelled");
    assert_eq!(fx.reg.counts().unwrap().subjects, 0);
    assert_eq!(audit_count(&fx.reg), events);
    assert!(fx.reg.search("person", 5).unwrap().is_empty());
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
