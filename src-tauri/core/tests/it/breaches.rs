//! Personal data breaches (Art. 33, 34) through the core's public API: the facts, the
//! people affected found in the register, the assessment, the notices and the clock.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use privreg_core::model::*;
use privreg_core::store::breaches::*;
use privreg_core::*;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

struct Fx {
    _dir: tempfile::TempDir,
    reg: Register,
    clock: Arc<FixedClock>,
    news: i64,
    courses: i64,
    people: Vec<i64>,
}

fn category(name: &str, group: CategoryGroup, sensitive: bool) -> DataCategory {
    DataCategory {
        sensitive,
        ..DataCategory::new(name, group)
    }
}

/// A newsletter (three subscribers) and courses (two participants, one also a
/// subscriber; one with a health note, Art. 9).
fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at("2027-03-29T08:00:00Z").with_offset(7200));
    let (mut reg, _) = Register::create(
        &dir.path().join("r.privreg"),
        &Passphrase::new("avvik og tiltak 2027"),
        clock.clone(),
    )
    .unwrap();
    let news = reg
        .add_activity(&Activity {
            name: "Nyhetsbrev".into(),
            purposes: vec!["Nyhetsbrev".into()],
            legal_bases: vec![LegalBasis::Consent],
            data_categories: vec![category("E-post", CategoryGroup::Identity, false)],
            ..Default::default()
        })
        .unwrap()
        .id;
    let courses = reg
        .add_activity(&Activity {
            name: "Kurs".into(),
            purposes: vec!["Kurs".into()],
            legal_bases: vec![LegalBasis::Contract, LegalBasis::Consent],
            art9_condition: Some(Art9Condition::ExplicitConsent),
            data_categories: vec![
                category("Navn", CategoryGroup::Identity, false),
                category("Helseopplysninger", CategoryGroup::PersonalLife, true),
            ],
            ..Default::default()
        })
        .unwrap()
        .id;
    let mut people = Vec::new();
    for (i, name) in ["Åse Ødegård", "Bjørn Ærø", "Cæcilie Sæther", "Dag Løvås"]
        .iter()
        .enumerate()
    {
        let s = reg
            .add_subject(&SubjectFields {
                name: (*name).into(),
                email: format!("p{i}@fjord.no"),
                phone: String::new(),
            })
            .unwrap()
            .id;
        people.push(s);
    }
    let rec = |activity, category: &str, value: &str, on: &str| NewRecord {
        activity_id: activity,
        category: category.into(),
        value: value.into(),
        source: String::new(),
        collected_on: Some(on.parse().unwrap()),
    };
    for (i, p) in people[..3].iter().enumerate() {
        reg.add_record(
            *p,
            &rec(news, "E-post", &format!("p{i}@fjord.no"), "2026-05-01"),
        )
        .unwrap();
    }
    reg.add_record(
        people[2],
        &rec(courses, "Navn", "Cæcilie Sæther", "2027-01-10"),
    )
    .unwrap();
    reg.add_record(people[3], &rec(courses, "Navn", "Dag Løvås", "2027-02-10"))
        .unwrap();
    reg.add_record(
        people[3],
        &rec(courses, "Helseopplysninger", "Allergi", "2027-02-10"),
    )
    .unwrap();
    Fx {
        _dir: dir,
        reg,
        clock,
        news,
        courses,
        people,
    }
}

fn facts() -> BreachFacts {
    BreachFacts {
        title: "Deltakerliste sendt til feil mottaker".into(),
        occurred_from: Some(at("2027-03-27T15:00:00+01:00")),
        discovered_at: Some(at("2027-03-28T01:00:00+01:00")),
        aware_at: Some(at("2027-03-28T01:30:00+01:00")),
        found_by: "Kursansvarlig".into(),
        cause: "E-post med vedlegg til feil adresse".into(),
        description: "En deltakerliste ble sendt til en ekstern mottaker".into(),
        kinds: vec![BreachKind::Confidentiality],
        ..Default::default()
    }
}

#[test]
fn a_breach_is_recorded_with_its_clock_and_bad_input_changes_nothing() {
    let mut x = fixture();
    let err = x
        .reg
        .add_breach(&BreachFacts {
            kinds: vec![],
            ..facts()
        })
        .unwrap_err();
    assert_eq!(err.details()["field"], "kinds");
    let err = x
        .reg
        .add_breach(&BreachFacts {
            aware_at: Some(at("2027-03-27T10:00:00+01:00")),
            ..facts()
        })
        .unwrap_err();
    assert_eq!(err.details()["field"], "aware_at");
    assert!(x.reg.breaches().unwrap().is_empty());

    let b = x.reg.add_breach(&facts()).unwrap();
    assert_eq!(b.reference, "2027-001");
    assert_eq!(b.status, BreachStatus::Open);
    // Aware at 01:30 on 28 March 2027, the night the clocks go forward: due at 02:30
    // on 31 March, local time. The fixture's clock is 29 March 10:00 local.
    assert_eq!(b.clock.due_local, "2027-03-31T02:30:00+02:00");
    assert!(b.clock.running);
    assert_eq!(b.clock.minutes_left, Some((40 * 60) + 30));
    assert_eq!(x.reg.counts().unwrap().breaches_open, 1);
    // Past the deadline: overdue, shown as such.
    x.clock.set(at("2027-03-31T02:31:00+02:00"));
    let b = x.reg.breach(b.id).unwrap();
    assert!(b.clock.overdue);
    assert_eq!(b.clock.minutes_left, Some(-1));
    // A change names the fields it changed.
    let mut f = facts();
    f.measures_taken = "Mottakeren har slettet e-posten".into();
    x.reg.update_breach(b.id, &f).unwrap();
    let events = x.reg.audit_log(AuditFilter::All, 5).unwrap();
    assert_eq!(events[0].action, "breach.changed");
    assert_eq!(events[0].fields, ["measures_taken"]);
    // The second breach of the year.
    let second = x.reg.add_breach(&facts()).unwrap();
    assert_eq!(second.reference, "2027-002");
}

#[test]
fn the_people_affected_are_found_in_the_register_and_an_erasure_keeps_the_count() {
    let mut x = fixture();
    let b = x.reg.add_breach(&facts()).unwrap();
    let err = x
        .reg
        .count_affected(&AffectedSelection::default())
        .unwrap_err();
    assert_eq!(err.details()["field"], "selection");
    // By two activities: four people, six records, the health note an Art. 9 category.
    let both = AffectedSelection {
        activity_ids: vec![x.news, x.courses],
        ..Default::default()
    };
    let c = x.reg.count_affected(&both).unwrap();
    assert_eq!((c.people, c.records), (4, 6));
    assert!(c.special_categories);
    assert_eq!(
        c.categories,
        vec![
            ("E-post".to_string(), 3),
            ("Helseopplysninger".to_string(), 1),
            ("Navn".to_string(), 2)
        ]
    );
    // By category and time window: only the courses' names collected in February.
    let narrow = AffectedSelection {
        activity_ids: vec![x.courses],
        categories: vec!["navn".into()],
        collected_from: Some("2027-02-01".parse().unwrap()),
        collected_to: Some("2027-02-28".parse().unwrap()),
        ..Default::default()
    };
    let c = x.reg.count_affected(&narrow).unwrap();
    assert_eq!((c.people, c.records, c.special_categories), (1, 1, false));
    // Counting changes nothing; saving links the people and keeps the counts.
    assert_eq!(x.reg.breach(b.id).unwrap().affected, None);
    let saved = x.reg.set_affected(b.id, &both).unwrap();
    assert_eq!(saved.affected.as_ref().unwrap().people, 4);
    assert_eq!(saved.linked_people, 4);
    assert_eq!(x.reg.affected_subjects(b.id).unwrap().len(), 4);
    // A person chosen by hand with no records counts too.
    let extra = x
        .reg
        .add_subject(&SubjectFields {
            name: "Eli Strøm".into(),
            email: "eli@fjord.no".into(),
            phone: String::new(),
        })
        .unwrap()
        .id;
    let c = x
        .reg
        .count_affected(&AffectedSelection {
            subject_ids: vec![extra, x.people[0]],
            ..Default::default()
        })
        .unwrap();
    assert_eq!((c.people, c.records), (2, 1));

    // Erasing one of them: the breach keeps the count, not the person.
    x.reg.erase_subject(x.people[3], "Art. 17(1)(a)").unwrap();
    let after = x.reg.breach(b.id).unwrap();
    assert_eq!(after.affected.unwrap().people, 4);
    assert_eq!(after.linked_people, 3);
    let log = serde_json::to_string(&x.reg.breaches().unwrap()).unwrap();
    assert!(!log.contains("Dag Løvås") && !log.contains("Allergi"));
}

#[test]
fn the_assessment_decides_the_notices_and_a_late_notice_gives_its_reasons() {
    let mut x = fixture();
    let b = x.reg.add_breach(&facts()).unwrap();
    let assessment = |risk, authority, subjects, exception| Assessment {
        risk,
        notify_authority: authority,
        authority_reasons: "Navn og helseopplysninger på avveie".into(),
        notify_subjects: subjects,
        subjects_reasons: "Høy risiko for de registrerte".into(),
        art34_exception: exception,
        decided_by: "Daglig leder".into(),
        decided_at: None,
    };
    // Art. 33(1): a breach that may result in a risk is notified.
    let err = x
        .reg
        .assess_breach(b.id, &assessment(RiskLevel::Risk, false, false, None))
        .unwrap_err();
    assert_eq!(err.details()["field"], "notify_authority");
    // Art. 34(1), (3): a high risk is told to the people unless an exception applies.
    let err = x
        .reg
        .assess_breach(b.id, &assessment(RiskLevel::High, true, false, None))
        .unwrap_err();
    assert_eq!(err.details()["field"], "art34_exception");
    let ok = x
        .reg
        .assess_breach(b.id, &assessment(RiskLevel::High, true, true, None))
        .unwrap();
    assert!(ok.assessment.unwrap().decided_at.is_some());
    // Closing before the notices is refused.
    assert_eq!(
        x.reg.close_breach(b.id, "ferdig").unwrap_err().details()["field"],
        "notices"
    );
    // A follow-up before the first notification is refused; after 72 hours the first
    // needs the reasons for the delay (Art. 33(1)).
    let notice = |kind, sent: &str, delay: &str| NewNotice {
        kind,
        sent_at: Some(at(sent)),
        reference: "Altinn 2027-0042".into(),
        delay_reason: delay.into(),
        note: String::new(),
        letters: None,
    };
    x.clock.set(at("2027-04-02T10:00:00+02:00"));
    let late = "2027-03-31T09:00:00+02:00";
    let err = x
        .reg
        .record_breach_notice(b.id, &notice(NoticeKind::FollowUp, late, ""))
        .unwrap_err();
    assert_eq!(err.details()["field"], "kind");
    let err = x
        .reg
        .record_breach_notice(b.id, &notice(NoticeKind::Initial, late, ""))
        .unwrap_err();
    assert_eq!(err.details()["field"], "delay_reason");
    let n = x
        .reg
        .record_breach_notice(
            b.id,
            &notice(
                NoticeKind::Initial,
                late,
                "Mottakeren svarte først etter påske",
            ),
        )
        .unwrap();
    assert_eq!(n.status, BreachStatus::Notified);
    assert!(!n.clock.running, "notified: the clock stops");
    // Phased: a follow-up with the full facts (Art. 33(4)); then the people.
    x.reg
        .record_breach_notice(
            b.id,
            &notice(NoticeKind::FollowUp, "2027-04-01T12:00:00+02:00", ""),
        )
        .unwrap();
    let told = x
        .reg
        .record_breach_notice(
            b.id,
            &NewNotice {
                letters: Some(4),
                ..notice(NoticeKind::Subjects, "2027-04-01T13:00:00+02:00", "")
            },
        )
        .unwrap();
    assert_eq!(told.notices.len(), 3);
    assert_eq!(told.notices[2].letters, Some(4));
    let closed = x
        .reg
        .close_breach(b.id, "Rutine for utsending endret")
        .unwrap();
    assert_eq!(closed.status, BreachStatus::Closed);
    assert_eq!(x.reg.counts().unwrap().breaches_open, 0);
    // A closed breach changes no more.
    assert_eq!(
        x.reg.update_breach(b.id, &facts()).unwrap_err().details()["field"],
        "status"
    );
    let actions: Vec<String> = x
        .reg
        .audit_log(AuditFilter::All, 20)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("breach."))
        .collect();
    assert_eq!(
        actions,
        [
            "breach.closed",
            "breach.notice",
            "breach.notice",
            "breach.notice",
            "breach.assessed",
            "breach.created"
        ]
    );
    // Unlikely to result in a risk: no notification needed, the clock stops.
    let other = x.reg.add_breach(&facts()).unwrap();
    let a = x
        .reg
        .assess_breach(
            other.id,
            &assessment(RiskLevel::Unlikely, false, false, None),
        )
        .unwrap();
    assert!(!a.clock.running);
    x.reg
        .close_breach(other.id, "Kryptert minnepinne, funnet igjen")
        .unwrap();
    let _ = Duration::zero();
}

#[test]
fn the_people_affected_can_be_chosen_by_one_csv_import() {
    let mut x = fixture();
    let import = |reg: &mut Register, csv: &str| {
        let table = transfer::read_csv(csv.as_bytes(), &transfer::CsvFormat::default()).unwrap();
        let mut mapping = transfer::CsvMapping::default();
        mapping.set("Navn", &[transfer::Target::Name]);
        mapping.set(
            "E-post",
            &[
                transfer::Target::Email,
                transfer::Target::Category("E-post".into()),
            ],
        );
        reg.import_csv(
            x.news,
            &table,
            &mapping,
            &transfer::CsvImportOptions::default(),
            &mut |_| true,
        )
        .unwrap()
    };
    // The clock moves between the imports, as it does between two real ones.
    x.clock.advance(Duration::minutes(5));
    let first = import(
        &mut x.reg,
        "Navn,E-post\nEva Ek,eva@fjord.no\nFrode Fjell,frode@fjord.no\n",
    );
    assert_eq!(first.records, 2);
    x.clock.advance(Duration::minutes(5));
    // The second import brings one new person, and one already subscribed (p0), whose
    // row adds nothing and is skipped.
    import(
        &mut x.reg,
        "Navn,E-post\nGro Gran,gro@fjord.no\nÅse Ødegård,p0@fjord.no\n",
    );
    let imports = x.reg.imports().unwrap();
    assert_eq!(imports.len(), 2);
    assert!(imports[0].event > imports[1].event, "newest first");
    assert_eq!(x.reg.import(imports[1].event).unwrap(), imports[1]);
    assert!(x.reg.import(1).is_err(), "an event that is not an import");
    assert_eq!(
        imports
            .iter()
            .map(|i| (i.activity_id, i.records))
            .collect::<Vec<_>>(),
        vec![(x.news, 1), (x.news, 2)]
    );
    let by_first = AffectedSelection {
        import_event: Some(imports[1].event),
        ..Default::default()
    };
    let c = x.reg.count_affected(&by_first).unwrap();
    assert_eq!((c.people, c.records), (2, 2));
    let by_second = AffectedSelection {
        import_event: Some(imports[0].event),
        ..Default::default()
    };
    let c = x.reg.count_affected(&by_second).unwrap();
    // Åse's newsletter record was not written by that import.
    assert_eq!((c.people, c.records), (1, 1));
    // The whole newsletter: three from the fixture and three imported.
    let all = AffectedSelection {
        activity_ids: vec![x.news],
        ..Default::default()
    };
    assert_eq!(x.reg.count_affected(&all).unwrap().people, 6);
    // An event that is not an import is refused and nothing is saved.
    let b = x.reg.add_breach(&facts()).unwrap();
    let wrong = AffectedSelection {
        import_event: Some(1),
        ..Default::default()
    };
    assert!(x.reg.set_affected(b.id, &wrong).is_err());
    assert_eq!(x.reg.breach(b.id).unwrap().affected, None);
    let saved = x.reg.set_affected(b.id, &by_first).unwrap();
    assert_eq!(saved.affected.unwrap().people, 2);
    assert_eq!(x.reg.affected_subjects(b.id).unwrap().len(), 2);
}
