//! Two records of one person merged (store/merge.rs), as a copy made before the merge
//! sees it: the merge is a line of the receipts journal, so opening the copy merges the
//! two there too, and when the person kept was erased since, the copy erases both.

use std::fs;
use std::sync::Arc;

use chrono::Duration;
use privreg_core::model::*;
use privreg_core::*;

fn fields(name: &str, email: &str, phone: &str) -> SubjectFields {
    SubjectFields {
        name: name.into(),
        email: email.into(),
        phone: phone.into(),
    }
}

fn record(activity_id: Id, value: &str) -> NewRecord {
    NewRecord {
        activity_id,
        category: "Kurs".into(),
        value: value.into(),
        source: "Påmeldingsskjema".into(),
        collected_on: None,
    }
}

#[test]
fn a_copy_made_before_a_merge_merges_the_two_and_after_an_erasure_keeps_neither() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at("2026-03-02T09:00:00Z"));
    let mut reg =
        Register::create_unencrypted(&dir.path().join("live.privreg"), clock.clone()).unwrap();
    let act = reg
        .add_activity(&Activity {
            name: "Kurs".into(),
            purposes: vec!["Kurs".into()],
            data_categories: vec![DataCategory::new("Kurs", CategoryGroup::Other)],
            ..Default::default()
        })
        .unwrap()
        .id;
    let keep = reg
        .add_subjects(&[(
            fields("Ingrid Solheim", "ingrid@example.no", "+47 415 55 210"),
            vec![record(act, "HMS grunnkurs")],
        )])
        .unwrap()[0];
    let other = reg
        .add_subjects(&[(
            fields("Ingrid M. Solheim", "", "41555210"),
            vec![record(act, "Risikoanalyse")],
        )])
        .unwrap()[0];
    let backups = dir.path().join("backups");
    let first = reg.backup(&backups).unwrap().path;
    // A second copy from before the merge, for after the erasure.
    let second = backups.join("copy-before-the-merge.privreg");
    fs::copy(&first, &second).unwrap();

    clock.advance(Duration::minutes(5));
    reg.merge_subjects(keep, other, "Ingrid M. Solheim is Ingrid Solheim")
        .unwrap();
    let journal = fs::read_to_string(backups.join("erasure-receipts.jsonl")).unwrap();
    assert!(journal.contains("\"subject_merged\""), "{journal}");
    assert!(!journal.contains("Solheim"), "the journal names no one");

    let mut copy = Register::open_unencrypted(&first, clock.clone()).unwrap();
    assert_eq!(
        copy.list_subjects(0, 10, SubjectSort::Name, false)
            .unwrap()
            .total,
        2
    );
    let paths = copy.journal_paths();
    let applied = copy.apply_journals(&paths).unwrap();
    assert_eq!(applied.changes, 1);
    assert!(copy.subject(other).is_err(), "merged in the copy too");
    let values: Vec<String> = copy
        .records_of(keep)
        .unwrap()
        .into_iter()
        .map(|r| r.value)
        .collect();
    assert_eq!(values, ["HMS grunnkurs", "Risikoanalyse"]);
    assert!(copy
        .audit_log(AuditFilter::Subject(keep), 100)
        .unwrap()
        .iter()
        .any(|e| e.action == "subject.merged"));
    assert_eq!(copy.apply_journals(&paths).unwrap().changes, 0, "once");
    assert!(copy.verify_audit().unwrap().first_broken.is_none());
    copy.close().unwrap();

    // She is erased; the other copy from before the merge keeps neither record of her.
    clock.advance(Duration::minutes(5));
    reg.erase_subject(keep, "Art. 17(1)(a): asked by e-mail")
        .unwrap();
    reg.close().unwrap();
    let mut copy = Register::open_unencrypted(&second, clock.clone()).unwrap();
    let paths = copy.journal_paths();
    let applied = copy.apply_journals(&paths).unwrap();
    assert_eq!(applied.reapplied.len(), 1);
    assert!(copy.subject(keep).is_err());
    assert!(
        copy.subject(other).is_err(),
        "the record merged into the erased person is erased too"
    );
    assert_eq!(
        copy.list_subjects(0, 10, SubjectSort::Name, false)
            .unwrap()
            .total,
        0
    );
    assert!(copy.search("Solheim", 10).unwrap().is_empty());
    assert!(copy.verify_audit().unwrap().first_broken.is_none());
    copy.close().unwrap();
}
