//! The privacy notice (Art. 13, 14) through the core's public API: the model built from
//! the demo register, publishing (audited), the versions, and the drift a changed
//! retention period makes.

use std::sync::Arc;

use privreg_core::model::*;
use privreg_core::store::notice::*;
use privreg_core::*;

struct Fx {
    _dir: tempfile::TempDir,
    reg: Register,
}

fn demo() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create_unencrypted(
        &dir.path().join("demo.privreg"),
        Arc::new(FixedClock::at("2026-05-12T09:30:00Z")),
    )
    .unwrap();
    demo::fill(
        &mut reg,
        &demo::Options {
            subjects: 40,
            seed: 2026,
            lang: Lang::En,
            batch: 40,
            showcase: false,
        },
        |_| {},
    )
    .unwrap();
    Fx { _dir: dir, reg }
}

fn activity_id(reg: &Register, name: &str) -> Id {
    reg.activities()
        .unwrap()
        .into_iter()
        .find(|a| a.activity.name == name)
        .unwrap_or_else(|| panic!("no activity {name}"))
        .id
}

#[test]
fn the_notice_describes_the_approved_activities_marked_for_it_and_no_person() {
    let x = demo();
    let model = x.reg.notice_model().unwrap();
    let expected: Vec<String> = x
        .reg
        .activities()
        .unwrap()
        .into_iter()
        .filter(|a| a.activity.in_notice && a.activity.status == ActivityStatus::Approved)
        .map(|a| a.activity.name)
        .collect();
    let described: Vec<String> = model.activities.iter().map(|a| a.name.clone()).collect();
    assert_eq!(described, expected);
    assert!(
        described.contains(&"Newsletter".to_string()),
        "{described:?}"
    );
    assert!(
        !described.contains(&"Accounting".to_string()),
        "bookkeeping is not in the notice"
    );
    let status = x.reg.notice_status().unwrap();
    assert_eq!(status.activities, described.len());
    assert!(status.published.is_empty(), "never published");
    assert!(
        !status.drafts_left_out.is_empty(),
        "the demo's drafts marked for the notice are named"
    );
    for draft in &status.drafts_left_out {
        assert!(!described.contains(draft), "{draft} is a draft");
    }
    // Processors by name, from the activity's links.
    let news = model
        .activities
        .iter()
        .find(|a| a.name == "Newsletter")
        .unwrap();
    assert_eq!(
        news.processors
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Dynamics 365 Customer Insights – Journeys"]
    );
    assert!(news.rights.contains(&NoticeRight::WithdrawConsent));
    assert!(news.rights.contains(&NoticeRight::ObjectDirectMarketing));
    assert!(model.rights.contains(&NoticeRight::Complaint));
    assert!(model.rights.contains(&NoticeRight::Objection));
    assert_eq!(model.controller.organisation, "Fjordlys Rådgivning AS");

    // No data subject's name, e-mail or telephone number is in it.
    let json = serde_json::to_string(&model).unwrap();
    let people = x
        .reg
        .list_subjects(0, 1000, SubjectSort::Name, false)
        .unwrap();
    assert_eq!(people.total, 40);
    for p in &people.items {
        assert!(!json.contains(&p.name), "a subject's name is in the notice");
        assert!(
            !json.contains(&p.email),
            "a subject's e-mail is in the notice"
        );
        if !p.phone.is_empty() {
            assert!(!json.contains(&p.phone));
        }
    }
}

#[test]
fn publishing_is_audited_and_a_changed_retention_makes_the_notice_out_of_date() {
    let mut x = demo();
    assert_eq!(x.reg.notice_drift(Lang::En).unwrap(), None);
    let err = x.reg.publish_notice(Lang::En, "  ").unwrap_err();
    assert_eq!(err.kind(), "input.invalid");

    let v1 = x
        .reg
        .publish_notice(Lang::En, "<!DOCTYPE html><p>The notice</p>")
        .unwrap();
    assert_eq!(v1.lang, Lang::En);
    assert_eq!(v1.html, "<!DOCTYPE html><p>The notice</p>");
    assert_eq!(v1.model.date.to_string(), "2026-05-12");
    let events = x.reg.audit_log(AuditFilter::All, 1).unwrap();
    let event = &events[0];
    assert_eq!(event.action, "notice.published");
    assert_eq!(event.entity_id, Some(v1.id));
    assert_eq!(
        event.fields,
        vec![
            "en".to_string(),
            format!("activities:{}", v1.model.activities.len())
        ]
    );
    let drift = x.reg.notice_drift(Lang::En).unwrap().unwrap();
    assert_eq!(drift.version_id, v1.id);
    assert!(drift.changes.is_empty(), "{:?}", drift.changes);
    assert_eq!(
        x.reg.notice_drift(Lang::Nb).unwrap(),
        None,
        "not published in bokmål"
    );

    // The newsletter's names are kept two months after unsubscribing instead of one.
    let id = activity_id(&x.reg, "Newsletter");
    let mut news = x.reg.activity(id).unwrap().activity;
    let before = news.data_categories[0].retention.clone().unwrap();
    assert_eq!(
        before.duration,
        Some(Period {
            amount: 1,
            unit: PeriodUnit::Months
        })
    );
    let mut after = before.clone();
    after.duration = Some(Period {
        amount: 2,
        unit: PeriodUnit::Months,
    });
    news.data_categories[0].retention = Some(after.clone());
    x.reg.update_activity(id, &news).unwrap();

    let drift = x.reg.notice_drift(Lang::En).unwrap().unwrap();
    assert_eq!(
        drift.changes,
        vec![NoticeChange::RetentionChanged {
            activity: "Newsletter".into(),
            category: news.data_categories[0].name.clone(),
            from: Some(before),
            to: Some(after),
        }]
    );
    let status = x.reg.notice_status().unwrap();
    assert_eq!(status.published.len(), 1);
    assert_eq!(status.published[0].changes, drift.changes);

    // A new processor for an activity in the notice is named too.
    let p = x
        .reg
        .add_processor(&Processor {
            name: "Postmark".into(),
            country: "United States".into(),
            ..Default::default()
        })
        .unwrap();
    news.processor_ids.push(p.id);
    x.reg.update_activity(id, &news).unwrap();
    let drift = x.reg.notice_drift(Lang::En).unwrap().unwrap();
    assert!(
        drift.changes.contains(&NoticeChange::ProcessorAdded {
            activity: "Newsletter".into(),
            processor: "Postmark".into(),
        }),
        "{:?}",
        drift.changes
    );

    // Publishing again brings it up to date; the two versions differ by exactly that.
    let v2 = x
        .reg
        .publish_notice(Lang::En, "<!DOCTYPE html><p>The notice, again</p>")
        .unwrap();
    assert!(x
        .reg
        .notice_drift(Lang::En)
        .unwrap()
        .unwrap()
        .changes
        .is_empty());
    assert_eq!(
        x.reg.notice_version_changes(v1.id, v2.id).unwrap(),
        drift.changes
    );
    let versions = x.reg.notice_versions().unwrap();
    assert_eq!(
        versions.iter().map(|v| v.id).collect::<Vec<_>>(),
        vec![v2.id, v1.id],
        "newest first"
    );
    assert_eq!(versions[0].activities, v2.model.activities.len());
    assert_eq!(x.reg.notice_version(v1.id).unwrap(), v1);
    assert_eq!(x.reg.notice_version(999).unwrap_err().kind(), "not_found");

    // Taking an activity out of the notice removes it.
    news.in_notice = false;
    x.reg.update_activity(id, &news).unwrap();
    let drift = x.reg.notice_drift(Lang::En).unwrap().unwrap();
    assert_eq!(
        drift.changes.first(),
        Some(&NoticeChange::ActivityRemoved {
            activity: "Newsletter".into()
        })
    );
}

#[test]
fn a_register_made_before_the_notice_marks_its_approved_activities_in_one_step() {
    let mut x = demo();
    // As a register made before the notice existed: nothing marked.
    for stored in x.reg.activities().unwrap() {
        let mut a = stored.activity.clone();
        a.in_notice = false;
        x.reg.update_activity(stored.id, &a).unwrap();
    }
    let approved: Vec<String> = x
        .reg
        .activities()
        .unwrap()
        .into_iter()
        .filter(|a| a.activity.status == ActivityStatus::Approved)
        .map(|a| a.activity.name)
        .collect();
    assert!(approved.len() >= 2, "{approved:?}");
    let status = x.reg.notice_status().unwrap();
    assert_eq!(status.activities, 0);
    assert_eq!(status.not_marked, approved);
    assert!(x.reg.notice_model().unwrap().activities.is_empty());

    assert_eq!(x.reg.mark_approved_for_notice().unwrap(), approved.len());
    let status = x.reg.notice_status().unwrap();
    assert!(status.not_marked.is_empty(), "{:?}", status.not_marked);
    let described: Vec<String> = x
        .reg
        .notice_model()
        .unwrap()
        .activities
        .iter()
        .map(|a| a.name.clone())
        .collect();
    assert_eq!(described, approved);
    // Drafts stay out; each activity marked is one audited change naming the field.
    let events = x
        .reg
        .audit_log(AuditFilter::All, approved.len() as u32)
        .unwrap();
    assert!(events
        .iter()
        .all(|e| e.action == "activity.changed" && e.fields == ["in_notice"]));
    // Nothing left to mark: nothing changes.
    assert_eq!(x.reg.mark_approved_for_notice().unwrap(), 0);
}
