//! Data subject requests, complete erasure with receipts, retention and backups, end to
//! end through the core's public API. One test binary (linking SQLCipher is the slow
//! part), in sections:
//! - requests: each kind completed end to end, deadlines, matching, refusal, export
//! - erasure: receipts and the byte test on an unencrypted register
//! - retention: the due queue, holds, bulk erase and anonymise
//! - backups: backup, verify, keep N, restore re-applying later erasures

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use privreg_core::model::*;
use privreg_core::store::requests::*;
use privreg_core::*;

const PASS: &str = "fjellvann og blåbær 42";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct Fixture {
    dir: tempfile::TempDir,
    path: PathBuf,
    clock: Arc<FixedClock>,
}

/// Oslo in winter: UTC+1.
fn fixture_at(rfc3339: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.privreg");
    Fixture {
        dir,
        path,
        clock: Arc::new(FixedClock::at(rfc3339).with_offset(3600)),
    }
}

fn fixture() -> Fixture {
    fixture_at("2026-01-31T09:00:00Z")
}

fn newsletter() -> Activity {
    Activity {
        name: "Nyhetsbrev".into(),
        purposes: vec!["Sende nyhetsbrev".into()],
        legal_bases: vec![LegalBasis::Consent],
        data_categories: vec![
            DataCategory::new("Navn", CategoryGroup::Identity),
            DataCategory::new("E-post", CategoryGroup::Identity),
        ],
        direct_marketing: true,
        ..Default::default()
    }
}

fn clients() -> Activity {
    Activity {
        name: "Kundeopplysninger".into(),
        purposes: vec!["Kundeoppfølging".into()],
        legal_bases: vec![LegalBasis::Contract],
        data_categories: vec![
            DataCategory::new("Stilling", CategoryGroup::ProfessionalLife),
            DataCategory::new("Notater", CategoryGroup::Other),
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

struct Filled {
    reg: Register,
    news: i64,
    clients: i64,
    kari: i64,
    ola: i64,
}

const KARI: (&str, &str, &str) = ("Kari Ærlig Østby", "kari.østby@fjordå.no", "+47 912 34 567");
const KARI_VALUES: [&str; 2] = ["Daglig leder i Bærum Sjøfart", "Kjøper årskurs i sikkerhet"];

fn fill(mut reg: Register) -> Filled {
    let p = reg
        .add_processor(&Processor {
            name: "Dynamics 365".into(),
            country: "Norway".into(),
            ..Default::default()
        })
        .unwrap();
    let mut n = newsletter();
    n.processor_ids = vec![p.id];
    let news = reg.add_activity(&n).unwrap().id;
    let clients = reg.add_activity(&clients()).unwrap().id;
    let kari = reg.add_subject(&person(KARI.0, KARI.1, KARI.2)).unwrap().id;
    reg.add_record(kari, &record(news, "E-post", KARI.1))
        .unwrap();
    reg.add_record(kari, &record(clients, "Stilling", KARI_VALUES[0]))
        .unwrap();
    reg.add_record(kari, &record(clients, "Notater", KARI_VALUES[1]))
        .unwrap();
    let ola = reg
        .add_subject(&person("Ola Nordmann", "ola@example.no", ""))
        .unwrap()
        .id;
    reg.add_record(ola, &record(news, "E-post", "ola@example.no"))
        .unwrap();
    Filled {
        reg,
        news,
        clients,
        kari,
        ola,
    }
}

fn filled(f: &Fixture) -> Filled {
    let (reg, _) = Register::create(&f.path, &Passphrase::new(PASS), f.clock.clone()).unwrap();
    fill(reg)
}

fn request(kind: RequestKind, subject: i64) -> NewRequest {
    NewRequest {
        kind,
        subject_id: Some(subject),
        requester: Requester::default(),
        received_on: None,
        channel: Channel::Email,
        notes: String::new(),
    }
}

/// Registers, verifies and starts a request for the subject.
fn verified(reg: &mut Register, kind: RequestKind, subject: i64) -> i64 {
    let r = reg.add_request(&request(kind, subject)).unwrap();
    reg.verify_request_identity(r.id, "svar fra registrert e-postadresse", None)
        .unwrap();
    reg.start_request(r.id).unwrap();
    r.id
}

/// Every audit event, as JSON text, must hold none of these values.
fn assert_audit_clean(reg: &Register, values: &[&str]) {
    let events = reg.audit_log(AuditFilter::All, 10_000).unwrap();
    let text = serde_json::to_string(&events).unwrap().to_lowercase();
    for v in values {
        assert!(
            !text.contains(&v.to_lowercase()),
            "the audit log holds a personal value"
        );
    }
}

fn actions(reg: &Register) -> Vec<String> {
    reg.audit_log(AuditFilter::All, 10_000)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

#[test]
fn a_request_gets_its_deadline_from_the_local_date_of_receipt() {
    // 23:30 UTC on 31 January 2028 is 00:30 on 1 February in Oslo.
    let f = fixture_at("2028-01-31T23:30:00Z");
    let mut x = filled(&f);
    let r = x
        .reg
        .add_request(&request(RequestKind::Access, x.kari))
        .unwrap();
    assert_eq!(r.received_on, d("2028-02-01"));
    assert_eq!(r.deadline.due_on, d("2028-03-01"));
    // Received on 31 January (given), in a leap year: the last day of February.
    let mut n = request(RequestKind::Access, x.kari);
    n.received_on = Some(d("2028-01-31"));
    let r = x.reg.add_request(&n).unwrap();
    assert_eq!(r.deadline.due_on, d("2028-02-29"));
    assert_eq!(r.deadline.days_left, Some(28));
    // A date in the future is refused and nothing is written.
    n.received_on = Some(d("2028-02-02"));
    let err = x.reg.add_request(&n).unwrap_err();
    assert_eq!(err.details()["field"], "received_on");
    assert_eq!(x.reg.requests(RequestFilter::All).unwrap().len(), 2);
}

#[test]
fn the_overview_shows_days_left_overdue_and_due_within_seven_days() {
    let f = fixture_at("2026-03-10T12:00:00Z");
    let mut x = filled(&f);
    let mut add = |received: &str| {
        let mut n = request(RequestKind::Access, x.kari);
        n.received_on = Some(d(received));
        x.reg.add_request(&n).unwrap().id
    };
    let overdue = add("2026-01-31"); // due 28 Feb: 10 days over
    let soon = add("2026-02-15"); // due 15 Mar: 5 days left
    let later = add("2026-03-01"); // due 1 Apr
    let closed = add("2026-02-01");
    x.reg
        .refuse_request(
            closed,
            RefusalGround::ManifestlyUnfounded,
            "Åpenbart grunnløs (Art. 12(5))",
        )
        .unwrap();
    let o = x.reg.request_deadlines().unwrap();
    assert_eq!(
        (o.today, o.open, o.overdue, o.due_soon),
        (d("2026-03-10"), 3, 1, 1)
    );
    let ids: Vec<i64> = o.requests.iter().map(|r| r.id).collect();
    assert_eq!(ids, [overdue, soon, later], "soonest deadline first");
    assert_eq!(o.requests[0].deadline.days_left, Some(-10));
    assert_eq!(o.requests[1].deadline.days_left, Some(5));
    assert!(o.requests[1].deadline.due_soon);
    let c = x.reg.request(closed).unwrap();
    assert_eq!(
        (c.status, c.deadline.days_left),
        (RequestStatus::Refused, None)
    );
    // Closed requests refuse changes.
    let err = x
        .reg
        .extend_request(closed, 1, "complex", None)
        .unwrap_err();
    assert_eq!(err.details()["field"], "status");
}

#[test]
fn an_extension_is_up_to_two_months_with_a_reason_within_the_first_month() {
    let f = fixture();
    let mut x = filled(&f);
    let id = verified(&mut x.reg, RequestKind::Access, x.kari);
    assert_eq!(x.reg.request(id).unwrap().deadline.due_on, d("2026-02-28"));
    let err = x.reg.extend_request(id, 1, "  ", None).unwrap_err();
    assert_eq!(err.details()["field"], "extension_reason");
    let err = x
        .reg
        .extend_request(id, 3, "many requests", None)
        .unwrap_err();
    assert_eq!(err.details()["field"], "extension_months");
    // Told on a day before the request came: refused.
    let err = x
        .reg
        .extend_request(id, 1, "Mange forespørsler", Some(d("2026-01-01")))
        .unwrap_err();
    assert_eq!(err.details()["field"], "told_on");
    let r = x
        .reg
        .extend_request(id, 1, "Mange forespørsler", Some(f.clock.today()))
        .unwrap();
    assert_eq!(r.status, RequestStatus::Extended);
    let view = x.reg.request_view(id).unwrap();
    let extended = view
        .actions
        .iter()
        .find(|a| a.action == "extended")
        .unwrap();
    assert!(
        extended
            .detail
            .contains(&format!("told {}", f.clock.today())),
        "{}",
        extended.detail
    );
    // The stricter reading: further months from the first deadline (28 February).
    assert_eq!(r.deadline.effective_due_on, d("2026-03-28"));
    let r = x.reg.extend_request(id, 1, "Komplekst", None).unwrap();
    assert_eq!(r.deadline.effective_due_on, d("2026-04-28"));
    assert!(
        x.reg.extend_request(id, 1, "more", None).is_err(),
        "two months in all"
    );
    // Asking for proof of identity is recorded with how.
    let asked = x
        .reg
        .add_request(&request(RequestKind::Access, x.ola))
        .unwrap()
        .id;
    assert_eq!(
        x.reg.ask_for_identity(asked, " ").unwrap_err().details()["field"],
        "asked_how"
    );
    x.reg
        .ask_for_identity(asked, "ba om svar fra registrert e-postadresse")
        .unwrap();
    assert!(x
        .reg
        .request_view(asked)
        .unwrap()
        .actions
        .iter()
        .any(|a| a.action == "identity_requested"));
    // After the first month an extension is too late.
    let other = verified(&mut x.reg, RequestKind::Access, x.ola);
    f.clock.advance(Duration::days(31));
    let err = x.reg.extend_request(other, 1, "late", None).unwrap_err();
    assert!(err.to_string().contains("within the first month"));
    assert_eq!(x.reg.request(other).unwrap().extension_months, 0);
}

#[test]
fn access_and_portability_record_what_was_sent() {
    let f = fixture();
    let mut x = filled(&f);
    for kind in [RequestKind::Access, RequestKind::Portability] {
        let id = verified(&mut x.reg, kind, x.kari);
        // The wrong completion for the kind is refused.
        let err = x
            .reg
            .complete_request(id, &Completion::Erasure)
            .unwrap_err();
        assert_eq!(err.details()["field"], "completion");
        let out = x
            .reg
            .complete_request(
                id,
                &Completion::ReportSent(SentReport {
                    format: "json".into(),
                    file_name: "innsyn-kari-østby.json".into(),
                }),
            )
            .unwrap();
        assert_eq!(out.request.status, RequestStatus::Completed);
        assert_eq!(out.request.closed_on, Some(d("2026-01-31")));
        assert_eq!(out.request.response.unwrap().format, "json");
        let view = x.reg.request_view(id).unwrap();
        let acts: Vec<&str> = view.actions.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(
            acts,
            [
                "received",
                "identity_verified",
                "in_progress",
                "report_sent",
                "completed"
            ]
        );
    }
    assert!(x.reg.subject(x.kari).is_ok(), "access changes no data");
    let a = actions(&x.reg);
    assert!(a.contains(&"request.report_sent".to_string()));
    assert_audit_clean(&x.reg, &[KARI.0, KARI.1, "østby.json"]);
}

#[test]
fn rectification_edits_through_the_audited_path() {
    let f = fixture();
    let mut x = filled(&f);
    let id = verified(&mut x.reg, RequestKind::Rectification, x.kari);
    let rec = x.reg.records_of(x.kari).unwrap()[1].clone();
    let ola_rec = x.reg.records_of(x.ola).unwrap()[0].id;
    // A record of someone else is refused, and nothing changes.
    let err = x
        .reg
        .complete_request(
            id,
            &Completion::Rectification {
                subject: Some(person("Kari Østby", KARI.1, KARI.2)),
                records: vec![RecordChange {
                    record_id: ola_rec,
                    value: "x".into(),
                }],
            },
        )
        .unwrap_err();
    assert_eq!(err.details()["field"], "records");
    assert_eq!(x.reg.subject(x.kari).unwrap().fields.name, KARI.0);
    let out = x
        .reg
        .complete_request(
            id,
            &Completion::Rectification {
                subject: Some(person("Kari Østby", KARI.1, KARI.2)),
                records: vec![RecordChange {
                    record_id: rec.id,
                    value: "Styreleder i Bærum Sjøfart".into(),
                }],
            },
        )
        .unwrap();
    assert_eq!(out.request.status, RequestStatus::Completed);
    assert_eq!(x.reg.subject(x.kari).unwrap().fields.name, "Kari Østby");
    assert_eq!(
        x.reg.record(rec.id).unwrap().value,
        "Styreleder i Bærum Sjøfart"
    );
    assert_eq!(
        x.reg.search("styreleder", 5).unwrap().len(),
        1,
        "re-indexed"
    );
    let events = x.reg.audit_log(AuditFilter::Subject(x.kari), 50).unwrap();
    let rectified = events
        .iter()
        .find(|e| e.action == "subject.rectified")
        .unwrap();
    assert_eq!(rectified.fields, ["name"]);
    assert!(rectified.reason.contains("Art. 16"));
    assert!(events.iter().any(|e| e.action == "record.rectified"));
    assert_audit_clean(&x.reg, &["Kari Østby", "Styreleder", KARI.0]);
}

#[test]
fn erasure_request_erases_completely_and_leaves_a_receipt() {
    let f = fixture();
    let mut x = filled(&f);
    let id = verified(&mut x.reg, RequestKind::Erasure, x.kari);
    let public = x.reg.request(id).unwrap().public_id;
    let out = x.reg.complete_request(id, &Completion::Erasure).unwrap();
    let e = out.erasure.unwrap();
    assert_eq!((e.records, e.consent_events), (3, 0));
    assert_eq!(e.notify, ["Dynamics 365"]);
    let r = &e.receipt;
    assert_eq!(r.trigger, ErasureTrigger::Request);
    assert_eq!(
        (r.request_id, r.request_ref.as_deref()),
        (Some(id), Some(public.as_str()))
    );
    let per: Vec<(i64, i64)> = r
        .per_activity
        .iter()
        .map(|a| (a.activity_id, a.records))
        .collect();
    assert_eq!(per, [(x.clients, 2), (x.news, 1)]);
    assert_eq!(out.request.receipt_id.as_deref(), Some(r.id.as_str()));
    assert_eq!(x.reg.subject(x.kari).unwrap_err().kind(), "not_found");
    assert!(x.reg.search("østby", 5).unwrap().is_empty());
    assert_eq!(x.reg.erasure_receipts().unwrap(), std::slice::from_ref(r));
    // The request stays, without the person; the receipt names no one.
    let kept = x.reg.request(id).unwrap();
    assert_eq!(kept.status, RequestStatus::Completed);
    let receipt_json = serde_json::to_string(&x.reg.erasure_receipts().unwrap()).unwrap();
    for v in [KARI.0, KARI.1, KARI.2, KARI_VALUES[0]] {
        assert!(!receipt_json.contains(v));
    }
    assert_audit_clean(
        &x.reg,
        &[KARI.0, KARI.1, KARI.2, KARI_VALUES[0], KARI_VALUES[1]],
    );
    assert!(x.reg.verify().unwrap().is_ok());
}

#[test]
fn restriction_freezes_the_subject_until_lifted() {
    let f = fixture();
    let mut x = filled(&f);
    let id = verified(&mut x.reg, RequestKind::Restriction, x.kari);
    x.reg
        .complete_request(id, &Completion::Restriction)
        .unwrap();
    assert!(x.reg.subject(x.kari).unwrap().restricted);
    // Art. 18(1)(a): correcting the data is the point of the restriction; it is audited
    // as done under it.
    x.reg
        .update_subject(x.kari, &person("Kari Østby", KARI.1, ""), "retting")
        .unwrap();
    let rec = x.reg.records_of(x.kari).unwrap()[0].id;
    x.reg.update_record(rec, "ny", "retting").unwrap();
    let rectified: Vec<Vec<String>> = x
        .reg
        .audit_log(AuditFilter::Subject(x.kari), 50)
        .unwrap()
        .into_iter()
        .filter(|e| e.action.ends_with(".rectified"))
        .map(|e| e.fields)
        .collect();
    assert_eq!(rectified.len(), 2);
    assert!(rectified
        .iter()
        .all(|f| f.contains(&"while_restricted".to_string())));
    // Deleting and erasing by hand wait for the restriction to be lifted (Art. 18(2)).
    assert_eq!(
        x.reg.delete_record(rec, "rydding").unwrap_err().kind(),
        "subject.restricted"
    );
    assert_eq!(
        x.reg.erase_subject(x.kari, "rydding").unwrap_err().kind(),
        "subject.restricted"
    );
    assert_eq!(
        x.reg
            .add_record(x.kari, &record(x.clients, "Notater", "ny"))
            .unwrap_err()
            .kind(),
        "subject.restricted"
    );
    // A rectification request on a restricted subject is completed by the same path.
    let rect = verified(&mut x.reg, RequestKind::Rectification, x.kari);
    x.reg
        .complete_request(
            rect,
            &Completion::Rectification {
                subject: Some(person("K. Østby", KARI.1, "")),
                records: vec![],
            },
        )
        .unwrap();
    assert_eq!(x.reg.subject(x.kari).unwrap().fields.name, "K. Østby");
    // Kept out of the marketing audience; access still works.
    assert_eq!(x.reg.marketing_audience(x.news).unwrap(), [x.ola]);
    assert!(x.reg.subject_data(x.kari).is_ok());
    // Art. 18(3): told before it is lifted; not a day in the future.
    let tomorrow = f.clock.today().succ_opt();
    assert_eq!(
        x.reg
            .lift_restriction(x.kari, "Nøyaktigheten er bekreftet", tomorrow)
            .unwrap_err()
            .details()["field"],
        "told_on"
    );
    x.reg
        .lift_restriction(x.kari, "Nøyaktigheten er bekreftet", Some(f.clock.today()))
        .unwrap();
    assert!(!x.reg.subject(x.kari).unwrap().restricted);
    let lifted = &x.reg.audit_log(AuditFilter::Subject(x.kari), 1).unwrap()[0];
    assert_eq!(lifted.action, "subject.restriction_lifted");
    assert!(lifted
        .fields
        .contains(&format!("told_on:{}", f.clock.today())));
    let a = actions(&x.reg);
    assert!(a.contains(&"subject.restricted".to_string()));
    assert!(a.contains(&"subject.restriction_lifted".to_string()));
}

/// Issue 14: an unsubscribe takes the person out of the activity's audience at once and
/// starts its retention clock; an objection to processing that is not direct marketing
/// (Art. 21(1)) restricts it until the manager decides, and "stop" erases the person's
/// data in that activity.
#[test]
fn an_unsubscribe_leaves_the_audience_and_an_art_21_1_objection_restricts_until_decided() {
    let f = fixture();
    let mut x = filled(&f);
    assert_eq!(x.reg.marketing_audience(x.news).unwrap(), [x.kari, x.ola]);
    x.reg
        .add_consent_event(
            x.ola,
            &NewConsentEvent {
                activity_id: x.news,
                purpose: "Sende nyhetsbrev".into(),
                kind: ConsentKind::ConsentWithdrawn,
                method: "avmeldingslenke".into(),
                at: None,
            },
        )
        .unwrap();
    assert_eq!(x.reg.marketing_audience(x.news).unwrap(), [x.kari]);
    let dates = x.reg.retention_dates(x.ola).unwrap();
    assert_eq!(dates[0].trigger, RetentionTrigger::Unsubscribed);
    assert_eq!(dates[0].on, f.clock.today());
    // Given again later: back in the audience.
    f.clock.advance(Duration::minutes(1));
    x.reg
        .add_consent_event(
            x.ola,
            &NewConsentEvent {
                activity_id: x.news,
                purpose: "Sende nyhetsbrev".into(),
                kind: ConsentKind::ConsentGiven,
                method: "nettskjema".into(),
                at: None,
            },
        )
        .unwrap();
    assert_eq!(x.reg.marketing_audience(x.news).unwrap(), [x.kari, x.ola]);

    // Art. 21(1): Kari objects to the client follow-up (not direct marketing).
    x.reg
        .add_consent_event(
            x.kari,
            &NewConsentEvent {
                activity_id: x.clients,
                purpose: "Kundeoppfølging".into(),
                kind: ConsentKind::Objection,
                method: "e-post".into(),
                at: None,
            },
        )
        .unwrap();
    let kari = x.reg.subject(x.kari).unwrap();
    assert!(
        kari.restricted,
        "restricted while it is assessed (Art. 18(1)(d))"
    );
    assert!(!kari.marketing_objection);
    // The restriction says since when and why (for the access report).
    let restriction = x.reg.restriction_record(x.kari).unwrap().unwrap();
    assert_eq!(restriction.since, f.clock.now());
    assert!(restriction.reason.contains("Art. 21(1)"), "{restriction:?}");
    assert_eq!(x.reg.marketing_objection_since(x.kari).unwrap(), None);
    assert_eq!(
        x.reg.objections_pending(x.kari).unwrap(),
        [(x.clients, "Kundeopplysninger".to_string())]
    );
    assert_eq!(
        x.reg
            .decide_objection(x.kari, x.clients, ObjectionDecision::Stop, " ")
            .unwrap_err()
            .details()["field"],
        "reason"
    );
    x.reg
        .decide_objection(
            x.kari,
            x.clients,
            ObjectionDecision::Stop,
            "Ingen tvingende berettigede grunner",
        )
        .unwrap();
    let kari = x.reg.subject(x.kari).unwrap();
    assert!(!kari.restricted, "the restriction ends with the decision");
    assert_eq!(x.reg.restriction_record(x.kari).unwrap(), None);
    let decisions = x.reg.objection_decisions(x.kari).unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].activity_id, x.clients);
    assert_eq!(decisions[0].decision, ObjectionDecision::Stop);
    assert_eq!(decisions[0].grounds, "Ingen tvingende berettigede grunner");
    assert!(x.reg.objection_decisions(x.ola).unwrap().is_empty());
    assert!(x.reg.objections_pending(x.kari).unwrap().is_empty());
    let left: Vec<i64> = x
        .reg
        .records_of(x.kari)
        .unwrap()
        .iter()
        .map(|r| r.activity_id)
        .collect();
    assert_eq!(left, [x.news], "the client records are erased");
    assert_eq!(
        x.reg
            .decide_objection(x.kari, x.clients, ObjectionDecision::Continue, "x")
            .unwrap_err()
            .details()["field"],
        "activity"
    );
}

/// Issue 14: a recruitment closes: one date for every applicant who has none yet,
/// shown first as how many records become due when.
#[test]
fn a_closed_recruitment_sets_one_date_for_every_applicant_without_one() {
    let f = fixture_at("2026-06-15T10:00:00Z");
    let mut x = retention_register(&f);
    x.reg
        .set_retention_date(
            x.applicant_open,
            x.jobs,
            RetentionTrigger::ApplicationClosed,
            Some(d("2025-01-10")),
        )
        .unwrap();
    let preview = x
        .reg
        .preview_retention_dates(x.jobs, RetentionTrigger::ApplicationClosed, d("2026-05-31"))
        .unwrap();
    assert_eq!((preview.people, preview.records), (2, 2));
    assert_eq!(preview.due, [(d("2027-05-31"), 2)]);
    assert_eq!(
        x.reg
            .set_retention_dates(x.jobs, RetentionTrigger::ApplicationClosed, d("2026-05-31"))
            .unwrap(),
        2
    );
    for who in [x.applicant, x.applicant_later] {
        assert_eq!(x.reg.retention_dates(who).unwrap()[0].on, d("2026-05-31"));
    }
    // The one set before keeps its own date.
    assert_eq!(
        x.reg.retention_dates(x.applicant_open).unwrap()[0].on,
        d("2025-01-10")
    );
    assert_eq!(
        x.reg
            .set_retention_dates(x.jobs, RetentionTrigger::ApplicationClosed, d("2026-05-31"))
            .unwrap(),
        0
    );
    assert_eq!(
        x.reg
            .preview_retention_dates(x.jobs, RetentionTrigger::ApplicationClosed, d("2026-07-01"))
            .unwrap_err()
            .details()["field"],
        "on"
    );
}

#[test]
fn the_retention_preview_shows_when_each_record_would_be_due() {
    let f = fixture_at("2026-06-15T10:00:00Z");
    let x = retention_register(&f);
    let preview = x
        .reg
        .preview_retention_date(
            x.applicant,
            x.jobs,
            RetentionTrigger::ApplicationClosed,
            d("2026-05-31"),
        )
        .unwrap();
    assert_eq!(preview.len(), 1);
    assert_eq!(preview[0].due_on, Some(d("2027-05-31")), "12 months after");
    // Nothing is set by a preview.
    assert!(x.reg.retention_dates(x.applicant).unwrap().is_empty());
    assert_eq!(
        x.reg
            .preview_retention_date(
                x.applicant,
                x.jobs,
                RetentionTrigger::Collected,
                d("2026-05-31")
            )
            .unwrap_err()
            .details()["field"],
        "trigger"
    );
}

/// Issue 14: a refusal names a ground the law gives for the request's kind, and a
/// request from someone the register holds nothing about is answered "no data held".
#[test]
fn refusals_name_a_fitting_ground_and_no_data_held_is_an_answer() {
    let f = fixture();
    let mut x = filled(&f);
    let erasure = verified(&mut x.reg, RequestKind::Erasure, x.kari);
    let err = x
        .reg
        .refuse_request(erasure, RefusalGround::CompellingGrounds, "x")
        .unwrap_err();
    assert_eq!(
        err.details()["field"],
        "refusal_ground",
        "Art. 21(1) does not refuse an erasure"
    );
    let r = x
        .reg
        .refuse_request(
            erasure,
            RefusalGround::LegalObligation,
            "Fakturaene må oppbevares etter bokføringsloven § 13",
        )
        .unwrap();
    assert_eq!(r.status, RequestStatus::Refused);
    assert_eq!(r.refusal_ground, Some(RefusalGround::LegalObligation));
    assert_eq!(RefusalGround::LegalObligation.article(), "Art. 17(3)(b)");
    assert!(RefusalGround::fitting(RequestKind::Access)
        .iter()
        .all(|g| g.fits(RequestKind::Access)));
    assert!(!RefusalGround::fitting(RequestKind::Access).contains(&RefusalGround::LegalClaims));

    // Someone the register does not hold: no match, no identity check, "no data held".
    let stranger = x
        .reg
        .add_request(&NewRequest {
            kind: RequestKind::Access,
            subject_id: None,
            requester: Requester {
                name: "Per Ukjent".into(),
                email: "per@example.no".into(),
                phone: String::new(),
            },
            received_on: None,
            channel: Channel::Email,
            notes: String::new(),
        })
        .unwrap()
        .id;
    let r = x.reg.answer_no_data(stranger).unwrap();
    assert_eq!(r.status, RequestStatus::Completed);
    let view = x.reg.request_view(stranger).unwrap();
    assert!(view.actions.iter().any(|a| a.action == "no_data"));
    // A matched request cannot be answered so.
    let matched = verified(&mut x.reg, RequestKind::Access, x.ola);
    assert_eq!(
        x.reg.answer_no_data(matched).unwrap_err().details()["field"],
        "subject_id"
    );
}

#[test]
fn rectification_erasure_and_restriction_make_an_art_19_task_per_recipient() {
    use privreg_core::store::notify::*;
    let f = fixture();
    let mut x = filled(&f);
    // The client activity has a free-text recipient and a joint controller too.
    let mut c = x.reg.activity(x.clients).unwrap().activity;
    c.recipients = vec!["Regnskapsbyrået Tall AS".into(), "  ".into()];
    c.joint_controllers = vec![JointController {
        name: "Partner Rådgivning AS".into(),
        ..Default::default()
    }];
    x.reg.update_activity(x.clients, &c).unwrap();

    // A correction of one of Kari's records: one task per recipient of her activities,
    // the newsletter's processor included.
    let rec = x.reg.records_of(x.kari).unwrap()[1].id;
    x.reg
        .update_record(rec, "Styreleder i Bærum Sjøfart", "skrivefeil")
        .unwrap();
    let tasks = x.reg.notifications_for(x.kari).unwrap();
    let mut got: Vec<(RecipientKind, String)> = tasks
        .iter()
        .map(|n| (n.recipient_kind, n.recipient.clone()))
        .collect();
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got,
        vec![
            (RecipientKind::Processor, "Dynamics 365".to_string()),
            (
                RecipientKind::JointController,
                "Partner Rådgivning AS".to_string()
            ),
            (
                RecipientKind::Recipient,
                "Regnskapsbyrået Tall AS".to_string()
            ),
        ]
    );
    assert!(tasks
        .iter()
        .all(|n| n.cause == NotifyCause::Rectification && n.status == NotifyStatus::Open));
    assert_eq!(x.reg.counts().unwrap().notifications_open, 3);

    // A second correction while the tasks are open adds none: telling once covers both.
    x.reg
        .update_record(rec, "Styreleder i Bærum Sjøfart AS", "fullt navn")
        .unwrap();
    assert_eq!(x.reg.notifications_for(x.kari).unwrap().len(), 3);
    // A "correction" to the same value changes nothing and tells no one.
    x.reg
        .update_record(rec, "Styreleder i Bærum Sjøfart AS", "ingen endring")
        .unwrap();
    assert_eq!(x.reg.notifications_for(x.kari).unwrap().len(), 3);

    // Marking: told needs how; impossible needs why; a date not before the change.
    let dynamics = tasks
        .iter()
        .find(|n| n.recipient == "Dynamics 365")
        .unwrap()
        .id;
    let err = x
        .reg
        .mark_notification(dynamics, NotifyStatus::Told, None, " ")
        .unwrap_err();
    assert_eq!(err.details()["field"], "how");
    let err = x
        .reg
        .mark_notification(
            dynamics,
            NotifyStatus::Told,
            Some(d("2026-01-01")),
            "e-post",
        )
        .unwrap_err();
    assert_eq!(err.details()["field"], "done_on");
    let n = x
        .reg
        .mark_notification(dynamics, NotifyStatus::Told, None, "e-post til support")
        .unwrap();
    assert_eq!(n.status, NotifyStatus::Told);
    assert_eq!(n.done_on, Some(d("2026-01-31")));
    assert!(x
        .reg
        .mark_notification(dynamics, NotifyStatus::Told, None, "igjen")
        .is_err());
    let partner = tasks
        .iter()
        .find(|n| n.recipient_kind == RecipientKind::JointController)
        .unwrap()
        .id;
    x.reg
        .mark_notification(
            partner,
            NotifyStatus::Disproportionate,
            None,
            "samarbeidet er avsluttet, ingen kontaktperson",
        )
        .unwrap();
    let open = x.reg.notifications(NotifyFilter::Open).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].recipient, "Regnskapsbyrået Tall AS");

    // A restriction by hand tells the recipients too; lifting it is told to the
    // person (Art. 18(3)), not to them.
    x.reg
        .restrict_subject(x.ola, "bestrider riktigheten")
        .unwrap();
    let ola = x.reg.notifications_for(x.ola).unwrap();
    assert_eq!(ola.len(), 1, "Ola is only in the newsletter");
    assert_eq!(
        (ola[0].cause, ola[0].recipient.as_str()),
        (NotifyCause::Restriction, "Dynamics 365")
    );
    x.reg
        .lift_restriction(x.ola, "rettet", Some(d("2026-01-31")))
        .unwrap();
    assert_eq!(x.reg.notifications_for(x.ola).unwrap().len(), 1);

    // An erasure at the person's request: tasks for every recipient, kept after the
    // person is gone, with the request they came from.
    let req = verified(&mut x.reg, RequestKind::Erasure, x.kari);
    x.reg.complete_request(req, &Completion::Erasure).unwrap();
    let erased: Vec<_> = x
        .reg
        .notifications_for(x.kari)
        .unwrap()
        .into_iter()
        .filter(|n| n.cause == NotifyCause::Erasure)
        .collect();
    assert_eq!(erased.len(), 3);
    assert!(erased.iter().all(|n| n.request_id == Some(req)));
    assert!(x.reg.subject(x.kari).is_err(), "Kari is erased");
    // None of it names her.
    let all = serde_json::to_string(&x.reg.notifications(NotifyFilter::All).unwrap()).unwrap();
    for v in [KARI.0, KARI.1, KARI.2, KARI_VALUES[0]] {
        assert!(!all.contains(v));
    }
    assert_audit_clean(&x.reg, &[KARI.0, KARI.1]);
    // The retention engine's deletions are not Art. 19 changes.
    assert!(actions(&x.reg).iter().any(|a| a == "notifications.created"));
}

#[test]
fn outcomes_partly_done_fees_and_the_reply_are_recorded() {
    let f = fixture();
    let mut x = filled(&f);
    // Access, partly: another person's data is left out (Art. 15(4)).
    let access = verified(&mut x.reg, RequestKind::Access, x.kari);
    let err = x
        .reg
        .set_partly(access, RefusalGround::LegalClaims, "x")
        .unwrap_err();
    assert_eq!(
        err.details()["field"],
        "refusal_ground",
        "17(3)(e) is for an erasure"
    );
    let r = x
        .reg
        .set_partly(
            access,
            RefusalGround::RightsOfOthers,
            "E-poster som også handler om en kollega er utelatt",
        )
        .unwrap();
    assert_eq!(r.outcome, None, "still open");
    assert!(
        x.reg.record_reply_sent(access, None, "e-post").is_err(),
        "no reply before the answer"
    );
    let out = x
        .reg
        .complete_request(
            access,
            &Completion::ReportSent(SentReport {
                format: "pdf".into(),
                file_name: "innsyn.pdf".into(),
            }),
        )
        .unwrap();
    assert_eq!(out.request.outcome, Some(Outcome::Partly));
    assert_eq!(
        out.request.refusal_ground,
        Some(RefusalGround::RightsOfOthers)
    );
    let r = x
        .reg
        .record_reply_sent(
            access,
            Some(d("2026-01-31")),
            "e-post til registrert adresse",
        )
        .unwrap();
    assert_eq!(r.reply_sent_on, Some(d("2026-01-31")));

    // Fees: amount and currency checked; further copies only for access.
    let bad = Fee {
        amount: "to hundre".into(),
        currency: "NOK".into(),
        ground: FeeGround::FurtherCopies,
        reason: String::new(),
    };
    assert_eq!(
        x.reg
            .set_request_fee(access, Some(&bad))
            .unwrap_err()
            .details()["field"],
        "fee.amount"
    );
    let fee = Fee {
        amount: "250,50".into(),
        currency: "nok".into(),
        ..bad
    };
    let r = x.reg.set_request_fee(access, Some(&fee)).unwrap();
    let got = r.fee.unwrap();
    assert_eq!(
        (got.amount.as_str(), got.currency.as_str()),
        ("250.50", "NOK")
    );
    let erasure = verified(&mut x.reg, RequestKind::Erasure, x.ola);
    assert_eq!(
        x.reg
            .set_request_fee(erasure, Some(&fee))
            .unwrap_err()
            .details()["field"],
        "fee.ground"
    );
    assert_eq!(x.reg.set_request_fee(access, None).unwrap().fee, None);

    // Plain outcomes: done, refused, identity not established, no data.
    let out = x
        .reg
        .complete_request(erasure, &Completion::Erasure)
        .unwrap();
    assert_eq!(out.request.outcome, Some(Outcome::Done));
    let objection = x
        .reg
        .add_request(&request(RequestKind::Objection, x.kari))
        .unwrap()
        .id;
    let r = x
        .reg
        .refuse_request(
            objection,
            RefusalGround::IdentityNotEstablished,
            "ingen svar",
        )
        .unwrap();
    assert_eq!(r.outcome, Some(Outcome::IdentityNotEstablished));
}

#[test]
fn an_erasure_that_keeps_what_the_law_requires_is_partly_completed() {
    let f = fixture();
    let mut x = filled(&f);
    let mut c = x.reg.activity(x.clients).unwrap().activity;
    c.legal_bases = vec![LegalBasis::LegalObligation];
    for cat in &mut c.data_categories {
        cat.retention = Some(RetentionRule {
            duration: Some(Period {
                amount: 5,
                unit: PeriodUnit::Years,
            }),
            trigger: RetentionTrigger::Collected,
            justification: String::new(),
        });
    }
    x.reg.update_activity(x.clients, &c).unwrap();
    let req = verified(&mut x.reg, RequestKind::Erasure, x.kari);
    let out = x.reg.complete_request(req, &Completion::Erasure).unwrap();
    assert!(!out.erasure.unwrap().kept.is_empty());
    assert_eq!(out.request.outcome, Some(Outcome::Partly));
    assert_eq!(
        out.request.refusal_ground,
        Some(RefusalGround::LegalObligation)
    );
}

#[test]
fn an_objection_to_marketing_suppresses_the_subject_for_good() {
    let f = fixture();
    let mut x = filled(&f);
    assert_eq!(x.reg.marketing_audience(x.news).unwrap(), [x.kari, x.ola]);
    // Art. 21(3): no identity check comes first (an access request would need one).
    let id = x
        .reg
        .add_request(&request(RequestKind::Objection, x.kari))
        .unwrap()
        .id;
    x.reg.complete_request(id, &Completion::Objection).unwrap();
    let s = x.reg.subject(x.kari).unwrap();
    assert!(s.marketing_objection);
    let consents = x.reg.consents_of(x.kari).unwrap();
    assert_eq!(
        consents.len(),
        1,
        "an objection for the one marketing activity"
    );
    assert_eq!(
        (consents[0].activity_id, consents[0].kind),
        (x.news, ConsentKind::Objection)
    );
    assert_eq!(x.reg.marketing_audience(x.news).unwrap(), [x.ola]);
    // A later consent does not lift the suppression.
    x.reg
        .add_consent_event(
            x.kari,
            &NewConsentEvent {
                activity_id: x.news,
                purpose: "Sende nyhetsbrev".into(),
                kind: ConsentKind::ConsentGiven,
                method: "web form".into(),
                at: None,
            },
        )
        .unwrap();
    assert!(x.reg.subject(x.kari).unwrap().marketing_objection);
    assert_eq!(x.reg.marketing_audience(x.news).unwrap(), [x.ola]);
    assert!(actions(&x.reg).contains(&"subject.marketing_suppressed".to_string()));
}

#[test]
fn an_unknown_requester_is_matched_and_verified_before_completion() {
    let f = fixture();
    let mut x = filled(&f);
    let n = NewRequest {
        kind: RequestKind::Erasure,
        subject_id: None,
        requester: Requester {
            name: "Kari Østby".into(),
            email: KARI.1.into(),
            phone: String::new(),
        },
        received_on: Some(d("2026-01-20")),
        channel: Channel::Letter,
        notes: "Brev mottatt i resepsjonen".into(),
    };
    // Neither a subject nor a requester: refused.
    let mut empty = n.clone();
    empty.requester = Requester::default();
    assert_eq!(
        x.reg.add_request(&empty).unwrap_err().details()["field"],
        "subject_id"
    );
    let mut bad = n.clone();
    bad.requester.email = "ikke en adresse".into();
    assert_eq!(
        x.reg.add_request(&bad).unwrap_err().details()["field"],
        "requester.email"
    );
    assert!(
        !format!("{bad:?}").contains("ikke en adresse"),
        "Debug prints no values"
    );

    let r = x.reg.add_request(&n).unwrap();
    assert_eq!(r.deadline.due_on, d("2026-02-20"));
    let err = x
        .reg
        .complete_request(r.id, &Completion::Erasure)
        .unwrap_err();
    assert_eq!(err.details()["field"], "subject_id");
    x.reg.match_request(r.id, x.kari).unwrap();
    let err = x
        .reg
        .complete_request(r.id, &Completion::Erasure)
        .unwrap_err();
    assert_eq!(err.details()["field"], "verified_on");
    assert!(x.reg.subject(x.kari).is_ok(), "nothing erased");
    x.reg
        .verify_request_identity(r.id, "legitimasjon vist", Some(d("2026-01-25")))
        .unwrap();
    assert_eq!(
        x.reg
            .requests(RequestFilter::Subject(x.kari))
            .unwrap()
            .len(),
        1
    );
    x.reg.complete_request(r.id, &Completion::Erasure).unwrap();
    // The requester's own words went with the subject.
    let kept = x.reg.request(r.id).unwrap();
    assert_eq!(kept.requester, Requester::default());
    assert_eq!(kept.notes, "");
    assert_eq!(kept.verified_how, "legitimasjon vist");
}

#[test]
fn requests_export_as_opendsr_shaped_json() {
    let f = fixture();
    let mut x = filled(&f);
    let a = verified(&mut x.reg, RequestKind::Access, x.kari);
    x.reg
        .add_request(&NewRequest {
            kind: RequestKind::Portability,
            subject_id: None,
            requester: Requester {
                name: "Per".into(),
                email: "per@example.no".into(),
                phone: String::new(),
            },
            received_on: Some(d("2026-01-02")),
            channel: Channel::WebForm,
            notes: String::new(),
        })
        .unwrap();
    x.reg.extend_request(a, 2, "Komplekst", None).unwrap();
    let export = x.reg.export_requests().unwrap();
    let v = serde_json::to_value(&export).unwrap();
    assert_eq!(v["schema_version"], 1);
    let reqs = v["requests"].as_array().unwrap();
    assert_eq!(reqs.len(), 2);
    let p = &reqs[0];
    assert_eq!(p["subject_request_type"], "portability");
    assert_eq!(p["submitted_time"], "2026-01-02T00:00:00Z");
    assert_eq!(p["request_status"], "pending");
    assert_eq!(p["subject_identities"][0]["identity_type"], "email");
    assert_eq!(
        p["subject_identities"][0]["identity_value"],
        "per@example.no"
    );
    assert_eq!(p["subject_identities"][0]["identity_format"], "raw");
    let q = &reqs[1];
    assert_eq!(q["subject_request_id"], x.reg.request(a).unwrap().public_id);
    assert_eq!(q["status"], "extended");
    assert_eq!(q["request_status"], "in_progress");
    assert_eq!(q["expected_completion_time"], "2026-04-28T23:59:59Z");
    assert_eq!(
        q["subject_identities"][0]["identity_type"],
        "controller_customer_id"
    );
}

// ---------------------------------------------------------------------------
// Complete erasure
// ---------------------------------------------------------------------------

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

/// How many times `needle` occurs in the file (0 when the file does not exist).
fn occurrences(path: &Path, needle: &[u8]) -> usize {
    let bytes = fs::read(path).unwrap_or_default();
    if needle.is_empty() || bytes.len() < needle.len() {
        return 0;
    }
    bytes.windows(needle.len()).filter(|w| *w == needle).count()
}

fn count_everywhere(path: &Path, value: &str) -> usize {
    let mut n = 0;
    for file in [
        path.to_path_buf(),
        sidecar(path, "-wal"),
        sidecar(path, "-shm"),
    ] {
        for form in [value.to_string(), value.to_lowercase()] {
            n += occurrences(&file, form.as_bytes());
        }
    }
    n
}

#[test]
fn after_erasure_no_byte_of_the_subject_remains_in_the_file_its_wal_or_its_shm() {
    let f = fixture();
    let reg = Register::create_unencrypted(&f.path, f.clock.clone()).unwrap();
    let mut x = fill(reg);
    // More for the erasure to find: a consent, a rectified value, a request with the
    // requester's own words, and other people who stay.
    x.reg
        .add_consent_event(
            x.kari,
            &NewConsentEvent {
                activity_id: x.news,
                purpose: "Sende nyhetsbrev".into(),
                kind: ConsentKind::ConsentGiven,
                method: "web form".into(),
                at: None,
            },
        )
        .unwrap();
    let rec = x.reg.records_of(x.kari).unwrap()[2].id;
    x.reg.update_record(rec, KARI_VALUES[1], "retting").unwrap();
    let n = NewRequest {
        kind: RequestKind::Erasure,
        subject_id: None,
        requester: Requester {
            name: KARI.0.into(),
            email: KARI.1.into(),
            phone: KARI.2.into(),
        },
        received_on: None,
        channel: Channel::Email,
        notes: format!("E-post fra {}", KARI.1),
    };
    let req = x.reg.add_request(&n).unwrap().id;
    for i in 0..50 {
        x.reg
            .add_subject(&person(
                &format!("Annen Person {i}"),
                &format!("annen{i}@example.no"),
                "",
            ))
            .unwrap();
    }
    x.reg.checkpoint().unwrap();
    let mut values = vec![KARI.0, KARI.1, KARI.2];
    values.extend(KARI_VALUES);
    for v in &values {
        assert!(
            count_everywhere(&f.path, v) > 0,
            "the test sees the data before erasure"
        );
    }

    x.reg.match_request(req, x.kari).unwrap();
    x.reg
        .verify_request_identity(req, "svar fra registrert e-post", None)
        .unwrap();
    let out = x.reg.complete_request(req, &Completion::Erasure).unwrap();
    let e = out.erasure.unwrap();
    assert_eq!(e.records, 3, "{:?}", e.per_activity);

    for v in &values {
        assert_eq!(
            count_everywhere(&f.path, v),
            0,
            "a value survived erasure in the file, -wal or -shm"
        );
    }
    // Distinctive parts too (the search index stores lower-cased text).
    for part in [
        "Ærlig",
        "Østby",
        "østby@fjordå",
        "Bærum Sjøfart",
        "årskurs",
        "912 34 567",
    ] {
        assert_eq!(
            count_everywhere(&f.path, part),
            0,
            "a part survived erasure"
        );
    }
    // Others are still there and findable.
    assert_eq!(x.reg.search("annen person 42", 5).unwrap().len(), 1);
    assert!(count_everywhere(&f.path, "Ola Nordmann") > 0);
    x.reg.close().unwrap();
    for v in &values {
        assert_eq!(count_everywhere(&f.path, v), 0);
    }
    let reg = Register::open_unencrypted(&f.path, f.clock.clone()).unwrap();
    assert_eq!(reg.erasure_receipts().unwrap().len(), 1);
}

/// Issue 18: the same erasure re-applied on a backup made before it (opening the
/// backup applies the journal) leaves no byte of the person in the backup's file, its
/// -wal or -shm either; and a free-text reason that named the person in the audit log
/// is wiped in both while both chains still verify.
#[test]
fn a_backup_made_before_an_erasure_keeps_no_byte_of_the_person_once_it_is_reapplied() {
    let f = fixture();
    let reg = Register::create_unencrypted(&f.path, f.clock.clone()).unwrap();
    let mut x = fill(reg);
    let rec = x.reg.records_of(x.kari).unwrap()[0].id;
    x.reg
        .update_record(
            rec,
            KARI_VALUES[0],
            &format!("{} ringte og rettet stillingen", KARI.0),
        )
        .unwrap();
    let dir = f.dir.path().join("backups");
    let backup = x.reg.backup(&dir).unwrap().path;
    let mut values = vec![KARI.0, KARI.1, KARI.2];
    values.extend(KARI_VALUES);
    for v in &values {
        assert!(count_everywhere(&backup, v) > 0, "the backup holds {v:?}");
    }
    x.reg.erase_subject(x.kari, "Art. 17(1)(a)").unwrap();
    for v in &values {
        assert_eq!(
            count_everywhere(&f.path, v),
            0,
            "{v:?} survived in the live file"
        );
    }
    assert!(x.reg.verify_audit().unwrap().first_broken.is_none());
    x.reg.close().unwrap();

    let mut copy = Register::open_unencrypted(&backup, f.clock.clone()).unwrap();
    let paths = copy.journal_paths();
    let applied = copy.apply_journals(&paths).unwrap();
    assert_eq!(applied.reapplied.len(), 1);
    assert!(copy.subject(x.kari).is_err());
    assert!(copy.verify_audit().unwrap().first_broken.is_none());
    copy.close().unwrap();
    for v in &values {
        assert_eq!(
            count_everywhere(&backup, v),
            0,
            "{v:?} survived in the backup, its -wal or -shm"
        );
    }
    for part in ["Ærlig", "Østby", "Bærum Sjøfart", "912 34 567"] {
        assert_eq!(count_everywhere(&backup, part), 0, "{part:?} survived");
    }
    assert!(
        count_everywhere(&backup, "Ola Nordmann") > 0,
        "the others stay"
    );
}

/// Issue 18: a record deleted and values rectified after a backup do not come back when
/// the backup is opened: the journal carries the deletion by id and tag and the new
/// values sealed under the person's key, and the old values leave the backup's bytes.
#[test]
fn a_backup_opened_after_later_deletions_and_corrections_does_not_bring_the_old_data_back() {
    let f = fixture();
    let reg = Register::create_unencrypted(&f.path, f.clock.clone()).unwrap();
    let mut x = fill(reg);
    let dir = f.dir.path().join("backups");
    let backup = x.reg.backup(&dir).unwrap().path;
    let recs = x.reg.records_of(x.kari).unwrap();
    let (position, notes) = (recs[1].id, recs[2].id);
    f.clock.advance(Duration::minutes(5));
    x.reg
        .update_record(position, "Styreleder, Fjordlys AS", "ny stilling")
        .unwrap();
    x.reg.delete_record(notes, "ikke lenger nødvendig").unwrap();
    let mut kari = x.reg.subject(x.kari).unwrap().fields;
    kari.phone = "+47 400 00 000".into();
    x.reg.update_subject(x.kari, &kari, "nytt nummer").unwrap();
    let lines = journal_lines(&dir);
    assert_eq!(
        lines.iter().filter(|l| l.get("change").is_some()).count(),
        3,
        "each change has its line as it is made"
    );
    let text = fs::read_to_string(dir.join("erasure-receipts.jsonl")).unwrap();
    for old_or_new in [
        "Styreleder",
        "400 00 000",
        KARI_VALUES[0],
        KARI_VALUES[1],
        KARI.2,
    ] {
        assert!(
            !text.contains(old_or_new),
            "the journal holds no value in clear"
        );
    }
    x.reg.close().unwrap();
    for old in [KARI_VALUES[0], KARI_VALUES[1], KARI.2] {
        assert!(
            count_everywhere(&backup, old) > 0,
            "the backup holds {old:?}"
        );
    }

    let mut copy = Register::open_unencrypted(&backup, f.clock.clone()).unwrap();
    let paths = copy.journal_paths();
    let applied = copy.apply_journals(&paths).unwrap();
    assert_eq!((applied.changes, applied.unopened), (3, 0));
    let values: Vec<String> = copy
        .records_of(x.kari)
        .unwrap()
        .into_iter()
        .map(|r| r.value)
        .collect();
    assert_eq!(values, [KARI.1, "Styreleder, Fjordlys AS"]);
    assert_eq!(copy.subject(x.kari).unwrap().fields.phone, "+47 400 00 000");
    assert!(copy.verify_audit().unwrap().first_broken.is_none());
    // Opening again has nothing to apply.
    let again = copy.apply_journals(&paths).unwrap();
    assert_eq!(again.changes, 0);
    copy.close().unwrap();
    for old in [KARI_VALUES[0], KARI_VALUES[1], KARI.2] {
        assert_eq!(
            count_everywhere(&backup, old),
            0,
            "{old:?} came back in the backup, its -wal or -shm"
        );
    }
}

#[test]
fn erasure_by_hand_leaves_a_receipt_and_reasons_are_required() {
    let f = fixture();
    let mut x = filled(&f);
    let err = x.reg.erase_subject(x.kari, " ").unwrap_err();
    assert_eq!(err.details()["field"], "reason");
    assert!(x.reg.subject(x.kari).is_ok());
    assert_eq!(
        x.reg.erase_subject(999, "x").unwrap_err().kind(),
        "not_found"
    );
    let e = x
        .reg
        .erase_subject(x.kari, "Art. 17 request by phone")
        .unwrap();
    assert_eq!(e.receipt.trigger, ErasureTrigger::Manual);
    assert_eq!(e.receipt.reason, "Art. 17 request by phone");
    assert!(!e.journaled, "no backup folder yet");
    assert_eq!(x.reg.erasure_receipt(&e.receipt.id).unwrap(), e.receipt);
    let ev = &x.reg.audit_log(AuditFilter::Subject(x.kari), 1).unwrap()[0];
    assert_eq!(ev.action, "subject.erased");
    assert!(ev.fields.contains(&format!("receipt:{}", e.receipt.id)));
}

// ---------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------

use privreg_core::store::retention::*;
use privreg_core::templates::{self, Lang};

struct Retention {
    reg: Register,
    jobs: i64,
    news: i64,
    books: i64,
    mail: i64,
    applicant: i64,
    applicant_later: i64,
    applicant_open: i64,
    subscriber: i64,
    client: i64,
    contact: i64,
}

fn rec_on(activity: i64, category: &str, value: &str, on: &str) -> NewRecord {
    NewRecord {
        collected_on: Some(d(on)),
        ..record(activity, category, value)
    }
}

/// Today is 15 June 2026. Templates give the rules: job applicants 12 months after
/// the application is closed, newsletter one month after unsubscribing (statistics 12
/// months after collection), accounting five years after collection.
fn retention_register(f: &Fixture) -> Retention {
    let (mut reg, _) = Register::create(&f.path, &Passphrase::new(PASS), f.clock.clone()).unwrap();
    let jobs = reg
        .add_activity(&templates::activity("job_applicants", Lang::En).unwrap())
        .unwrap()
        .id;
    let news = reg
        .add_activity(&templates::activity("newsletter", Lang::En).unwrap())
        .unwrap()
        .id;
    let books = reg
        .add_activity(&templates::activity("accounting", Lang::En).unwrap())
        .unwrap()
        .id;
    let mut m = clients();
    m.name = "E-post og telefon".into();
    for c in &mut m.data_categories {
        c.retention = Some(RetentionRule {
            trigger: RetentionTrigger::LastContact,
            duration: Some(Period {
                amount: 2,
                unit: PeriodUnit::Years,
            }),
            justification: String::new(),
        });
    }
    let mail = reg.add_activity(&m).unwrap().id;

    let mut add = |name: &str, recs: Vec<NewRecord>| {
        let id = reg.add_subject(&person(name, "", "")).unwrap().id;
        reg.add_records(id, &recs).unwrap();
        id
    };
    let applicant = add(
        "Søker Åsmund",
        vec![rec_on(jobs, "CV", "CV fra Åsmund", "2024-03-01")],
    );
    let applicant_later = add(
        "Søker Bjørg",
        vec![rec_on(jobs, "CV", "CV fra Bjørg", "2025-03-01")],
    );
    let applicant_open = add(
        "Søker Cecilie",
        vec![rec_on(jobs, "CV", "CV fra Cecilie", "2024-01-01")],
    );
    let subscriber = add(
        "Abonnent Dagny",
        vec![
            rec_on(news, "E-mail address", "dagny@example.no", "2023-01-01"),
            rec_on(
                news,
                "Opening and click statistics",
                "åpnet 12 av 14",
                "2025-01-01",
            ),
        ],
    );
    let client = add(
        "Kunde Eirik",
        vec![rec_on(
            books,
            "Invoices and receipts",
            "Faktura 2019-114",
            "2020-01-01",
        )],
    );
    let contact = add(
        "Kontakt Frøya",
        vec![
            rec_on(mail, "Stilling", "Innkjøper", "2023-05-01"),
            rec_on(mail, "Notater", "Ringte om tilbud", "2024-07-01"),
        ],
    );
    Retention {
        reg,
        jobs,
        news,
        books,
        mail,
        applicant,
        applicant_later,
        applicant_open,
        subscriber,
        client,
        contact,
    }
}

fn due_ids(q: &RetentionQueue, activity: i64) -> Vec<i64> {
    q.groups
        .iter()
        .filter(|g| g.activity_id == activity)
        .flat_map(|g| g.items.iter().map(|i| i.subject_id))
        .collect()
}

/// Art. 17(3)(b) and (e): erasing a client keeps exactly the invoice the Bookkeeping
/// Act still requires (five years from the day after its financial year) and the record
/// a legal hold covers, restricted; everything else goes at once. The retention engine
/// finishes the erasure when the last kept record may go, and a backup made before the
/// erasure, opened at each step, follows the journal.
#[test]
fn an_erasure_keeps_exactly_the_records_the_law_or_a_hold_requires_and_finishes_later() {
    let f = fixture_at("2026-06-15T10:00:00Z");
    let mut x = retention_register(&f);
    let client = x.client;
    let recs = x
        .reg
        .add_records(
            client,
            &[
                rec_on(
                    x.books,
                    "Invoices and receipts",
                    "Faktura 2026-031",
                    "2026-03-15",
                ),
                rec_on(x.mail, "Notater", "Tvist om faktura 2026-031", "2026-04-01"),
                rec_on(x.mail, "Stilling", "Innkjøpssjef", "2026-04-01"),
            ],
        )
        .unwrap();
    let (invoice_2026, dispute, position) = (recs[0], recs[1], recs[2]);
    let old_invoice = x.reg.records_of(client).unwrap()[0].id;
    let hold = x
        .reg
        .add_hold(
            HoldTarget::Activity(x.mail),
            "Tvist med kunden om faktura 2026-031",
            Some(d("2026-12-31")),
        )
        .unwrap();
    let dir = f.dir.path().join("backups");
    let backup = x.reg.backup(&dir).unwrap().path;

    let summary = x.reg.erase_subject(client, "Art. 17(1)(a)").unwrap();
    let kept: Vec<(i64, Option<NaiveDate>)> = summary
        .kept
        .iter()
        .map(|k| (k.record_id, k.may_go_on))
        .collect();
    assert_eq!(
        kept,
        [
            (invoice_2026, Some(d("2032-01-01"))),
            (dispute, Some(d("2027-01-01"))),
            (position, Some(d("2027-01-01"))),
        ],
        "the 2026 invoice is kept to 31 December 2031; the held records to the hold's last day"
    );
    use privreg_core::store::erasure::KeptBecause;
    assert!(matches!(
        summary.kept[0].because,
        KeptBecause::LegalObligation {
            trigger: RetentionTrigger::FinancialYearEnd,
            ..
        }
    ));
    assert_eq!(
        summary.kept[1].because,
        KeptBecause::Hold { hold_id: hold.id }
    );
    // The 2020 invoice's five years are over: it went at once.
    assert!(x.reg.record(old_invoice).is_err());
    assert_eq!(summary.records, 1);
    let person = x.reg.subject(client).unwrap();
    assert!(person.restricted && person.marketing_objection);
    let mut left: Vec<i64> = x
        .reg
        .records_of(client)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    left.sort();
    assert_eq!(left, [invoice_2026, dispute, position]);
    let receipt = x.reg.erasure_receipt(&summary.receipt.id).unwrap();
    assert_eq!(receipt.kept, summary.kept);
    assert!(!receipt.is_complete());
    // What was kept stays restricted: the restriction cannot be lifted.
    assert_eq!(
        x.reg
            .lift_restriction(client, "asked", None)
            .unwrap_err()
            .details()["field"],
        "restricted"
    );
    // The queue leaves the kept records to the erasure and lists it.
    let q = x.reg.retention_due(None).unwrap();
    assert!(!due_ids(&q, x.books).contains(&client));
    assert_eq!(q.erasures.len(), 1);
    assert_eq!(
        (
            q.erasures[0].free,
            q.erasures[0].next_on,
            q.erasures[0].ready()
        ),
        (0, Some(d("2027-01-01")), false)
    );
    assert!(x.reg.finish_erasures("").unwrap().is_empty());

    // The backup made before the erasure: opened, the same erasure is applied again,
    // keeping the same three records.
    let pass = Passphrase::new(PASS);
    {
        let opened = opening::open(&backup, Unlock::Passphrase(&pass), f.clock.clone()).unwrap();
        assert_eq!(
            opened.journal.reapplied,
            std::slice::from_ref(&summary.receipt.id)
        );
        let mut ids: Vec<i64> = opened
            .register
            .records_of(client)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        ids.sort();
        assert_eq!(ids, [invoice_2026, dispute, position]);
        opened.register.close().unwrap();
    }

    // After the hold's last day, the held records go; the invoice stays.
    f.clock.set("2027-01-02T10:00:00Z".parse().unwrap());
    let done = x.reg.finish_erasures("").unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(x.reg.records_of(client).unwrap().len(), 1);
    assert!(!done[0].receipt.is_complete());
    // On 1 January 2032 the invoice may go: the person is erased, the receipt complete.
    f.clock.set("2032-01-01T10:00:00Z".parse().unwrap());
    let done = x.reg.finish_erasures("").unwrap();
    assert_eq!(done.len(), 1);
    assert!(x.reg.subject(client).is_err());
    let receipt = x.reg.erasure_receipt(&summary.receipt.id).unwrap();
    assert!(receipt.is_complete());
    assert_eq!(receipt.records, 4, "every record went in the end");
    assert_eq!(
        receipt.kept.len(),
        3,
        "the receipt still says what was kept"
    );
    assert!(x.reg.retention_due(None).unwrap().erasures.is_empty());
    x.reg.backup(&dir).unwrap();
    x.reg.close().unwrap();

    // The old backup, opened now: the journal says the erasure ended, so nothing of
    // the person is left there either.
    let opened = opening::open(&backup, Unlock::Passphrase(&pass), f.clock.clone()).unwrap();
    assert!(opened.register.subject(client).is_err());
    assert!(opened
        .register
        .erasure_receipt(&summary.receipt.id)
        .unwrap()
        .is_complete());
    opened.register.close().unwrap();
}

#[test]
fn the_financial_year_end_counts_from_the_day_after_the_year_the_record_belongs_to() {
    let ye = YearEnd::default();
    assert_eq!(ye.end_of_year_of(d("2026-03-15")), d("2026-12-31"));
    assert_eq!(ye.end_of_year_of(d("2026-12-31")), d("2026-12-31"));
    let split = YearEnd { month: 6, day: 30 };
    assert_eq!(split.end_of_year_of(d("2026-06-30")), d("2026-06-30"));
    assert_eq!(split.end_of_year_of(d("2026-07-01")), d("2027-06-30"));
    assert_eq!(
        YearEnd { month: 2, day: 29 }
            .validate("financial_year_end")
            .unwrap_err()
            .field(),
        "financial_year_end"
    );
    // The controller's financial year drives the bookkeeping rule: with a year ending
    // 30 June, an invoice of 1 July 2020 belongs to the year ending 30 June 2021 and is
    // due on 1 July 2026.
    let f = fixture_at("2026-06-15T10:00:00Z");
    let mut x = retention_register(&f);
    let late = x
        .reg
        .add_records(
            x.client,
            &[rec_on(
                x.books,
                "Invoices and receipts",
                "Faktura 2020-200",
                "2020-07-01",
            )],
        )
        .unwrap()[0];
    let item = |reg: &Register| {
        reg.retention_due(Some(x.books))
            .unwrap()
            .groups
            .iter()
            .flat_map(|g| g.items.clone())
            .find(|i| i.record_id == late)
    };
    assert_eq!(item(&x.reg).map(|i| i.due_on), Some(d("2026-01-01")));
    x.reg
        .set_controller(&Controller {
            organisation: "Fjordlys AS".into(),
            financial_year_end: split,
            ..Default::default()
        })
        .unwrap();
    assert!(item(&x.reg).is_none(), "due 1 July 2026, not yet");
    f.clock.set("2026-07-01T10:00:00Z".parse().unwrap());
    assert_eq!(item(&x.reg).map(|i| i.due_on), Some(d("2026-07-01")));
}

#[test]
fn the_due_queue_counts_from_each_triggers_date() {
    let f = fixture_at("2026-06-15T10:00:00Z");
    let mut x = retention_register(&f);
    let q = x.reg.retention_due(None).unwrap();
    // Nothing for applicants or subscribers yet: no application closed, nobody unsubscribed.
    assert!(due_ids(&q, x.jobs).is_empty());
    // The statistics count from collection: 2025-01-01 + 12 months.
    assert_eq!(due_ids(&q, x.news), [x.subscriber]);
    assert_eq!(due_ids(&q, x.books), [x.client], "2020-01-01 + 5 years");
    // Last contact falls back to the latest record: 2024-07-01 + 2 years is not yet.
    assert!(due_ids(&q, x.mail).is_empty());

    x.reg
        .set_retention_date(
            x.applicant,
            x.jobs,
            RetentionTrigger::ApplicationClosed,
            Some(d("2025-05-01")),
        )
        .unwrap();
    x.reg
        .set_retention_date(
            x.applicant_later,
            x.jobs,
            RetentionTrigger::ApplicationClosed,
            Some(d("2025-07-01")),
        )
        .unwrap();
    x.reg
        .set_retention_date(
            x.contact,
            x.mail,
            RetentionTrigger::LastContact,
            Some(d("2024-06-14")),
        )
        .unwrap();
    // Unsubscribing (a consent withdrawal) sets the unsubscribed date.
    x.reg
        .add_consent_event(
            x.subscriber,
            &NewConsentEvent {
                activity_id: x.news,
                purpose: "Newsletter".into(),
                kind: ConsentKind::ConsentWithdrawn,
                method: "unsubscribe link".into(),
                at: Some("2026-05-10T08:00:00Z".parse().unwrap()),
            },
        )
        .unwrap();
    assert_eq!(
        x.reg.retention_dates(x.subscriber).unwrap(),
        [RetentionDate {
            activity_id: x.news,
            trigger: RetentionTrigger::Unsubscribed,
            on: d("2026-05-10")
        }]
    );
    let q = x.reg.retention_due(None).unwrap();
    assert_eq!(
        due_ids(&q, x.jobs),
        [x.applicant],
        "closed 2025-05-01 + 12 months; not 2025-07-01"
    );
    let news = q.groups.iter().find(|g| g.activity_id == x.news).unwrap();
    assert_eq!(
        news.items.len(),
        2,
        "e-mail (unsubscribed + 1 month) and statistics"
    );
    let email = news
        .items
        .iter()
        .find(|i| i.category == "E-mail address")
        .unwrap();
    assert_eq!(
        (email.starts_on, email.due_on, email.days_overdue),
        (d("2026-05-10"), d("2026-06-10"), 5)
    );
    assert_eq!(due_ids(&q, x.mail), [x.contact, x.contact]);
    assert!(!due_ids(&q, x.jobs).contains(&x.applicant_open));
    assert_eq!((q.total, q.blocked), (6, 0));
    // Bad input changes nothing.
    let err = x
        .reg
        .set_retention_date(
            x.contact,
            x.mail,
            RetentionTrigger::Collected,
            Some(d("2024-01-01")),
        )
        .unwrap_err();
    assert_eq!(err.details()["field"], "trigger");
    let err = x
        .reg
        .set_retention_date(
            x.contact,
            x.mail,
            RetentionTrigger::LastContact,
            Some(d("2027-01-01")),
        )
        .unwrap_err();
    assert_eq!(err.details()["field"], "on");
    // Clearing a date takes the record out again.
    x.reg
        .set_retention_date(
            x.applicant,
            x.jobs,
            RetentionTrigger::ApplicationClosed,
            None,
        )
        .unwrap();
    assert!(due_ids(&x.reg.retention_due(Some(x.jobs)).unwrap(), x.jobs).is_empty());
}

#[test]
fn holds_and_restriction_stop_deletion_and_bulk_actions_audit_the_rule() {
    let f = fixture_at("2026-06-15T10:00:00Z");
    let mut x = retention_register(&f);
    x.reg
        .set_retention_date(
            x.applicant,
            x.jobs,
            RetentionTrigger::ApplicationClosed,
            Some(d("2025-05-01")),
        )
        .unwrap();
    x.reg
        .set_retention_date(
            x.applicant_open,
            x.jobs,
            RetentionTrigger::ApplicationClosed,
            Some(d("2025-01-01")),
        )
        .unwrap();
    x.reg
        .set_retention_date(
            x.contact,
            x.mail,
            RetentionTrigger::LastContact,
            Some(d("2024-06-01")),
        )
        .unwrap();

    // The five-year bookkeeping rule as a hold on the activity.
    let hold = x
        .reg
        .add_hold(
            HoldTarget::Activity(x.books),
            "Bokføringsloven § 13: fem år etter regnskapsårets slutt",
            None,
        )
        .unwrap();
    assert!(hold.active);
    assert_eq!(
        x.reg
            .add_hold(HoldTarget::Subject(x.client), " ", None)
            .unwrap_err()
            .details()["field"],
        "reason"
    );
    let q = x.reg.retention_due(Some(x.books)).unwrap();
    assert_eq!(
        q.groups[0].items[0].blocked,
        Some(Blocker::ActivityHold { hold_id: hold.id })
    );
    let out = x
        .reg
        .apply_retention(&Selection::Activity(x.books), RetentionAction::Erase, "")
        .unwrap();
    assert_eq!((out.records, out.skipped), (0, 1));
    let held_record = x.reg.records_of(x.client).unwrap()[0].id;
    let err = x
        .reg
        .apply_retention(
            &Selection::Records(vec![held_record]),
            RetentionAction::Erase,
            "",
        )
        .unwrap_err();
    assert_eq!(err.kind(), "retention.on_hold");
    // Deleting the held record by hand is refused too.
    assert_eq!(
        x.reg
            .delete_record(held_record, "by hand")
            .unwrap_err()
            .kind(),
        "retention.on_hold"
    );
    assert!(x.reg.record(held_record).is_ok());

    // A hold on one applicant and a restricted one: both blocked, the third goes.
    let on_applicant = x
        .reg
        .add_hold(HoldTarget::Subject(x.applicant_open), "Klagesak", None)
        .unwrap();
    x.reg
        .set_retention_date(
            x.applicant_later,
            x.jobs,
            RetentionTrigger::ApplicationClosed,
            Some(d("2025-01-01")),
        )
        .unwrap();
    x.reg
        .restrict_subject(x.applicant_later, "Bestrider nøyaktigheten")
        .unwrap();
    let q = x.reg.retention_due(Some(x.jobs)).unwrap();
    assert_eq!((q.total, q.blocked), (3, 2));

    // A record that is not due: an error, and nothing changes.
    let not_due = x.reg.records_of(x.subscriber).unwrap()[0].id;
    let due = x.reg.records_of(x.applicant).unwrap()[0].id;
    let err = x
        .reg
        .apply_retention(
            &Selection::Records(vec![due, not_due]),
            RetentionAction::Erase,
            "",
        )
        .unwrap_err();
    assert_eq!(err.details()["field"], "records");
    assert!(x.reg.record(due).is_ok());

    let out = x
        .reg
        .apply_retention(
            &Selection::Activity(x.jobs),
            RetentionAction::Erase,
            "årlig opprydding",
        )
        .unwrap();
    assert_eq!((out.records, out.skipped), (1, 2));
    assert_eq!(
        out.erased_subjects.len(),
        1,
        "the applicant had nothing else"
    );
    let receipt = &out.erased_subjects[0].receipt;
    assert_eq!(
        (receipt.subject_id, receipt.trigger),
        (x.applicant, ErasureTrigger::Retention)
    );
    assert_eq!(x.reg.subject(x.applicant).unwrap_err().kind(), "not_found");
    let ev = x
        .reg
        .audit_log(AuditFilter::Entity("record", due), 5)
        .unwrap()
        .into_iter()
        .find(|e| e.action == "record.deleted")
        .unwrap();
    // The event named the rule; the applicant is erased completely, so the free text of
    // every event about them is wiped with them, and the chain, which commits to the
    // text's keyed hash, still verifies.
    assert_eq!(ev.reason, "");
    assert!(ev.reason_mac.is_some());
    assert!(x.reg.verify_audit().unwrap().first_broken.is_none());

    // The contact once asked for access in their own words, and agreed to the mailing.
    let asked = x
        .reg
        .add_request(&NewRequest {
            requester: Requester {
                name: "Kontakt Frøya".into(),
                email: "kontakt@froya.no".into(),
                phone: "+47 900 11 222".into(),
            },
            notes: "Ringte fra Frøya".into(),
            ..request(RequestKind::Access, x.contact)
        })
        .unwrap()
        .id;
    x.reg
        .add_consent_event(
            x.contact,
            &NewConsentEvent {
                activity_id: x.mail,
                purpose: "Nyhetsbrev".into(),
                kind: ConsentKind::ConsentGiven,
                method: "web form".into(),
                at: None,
            },
        )
        .unwrap();

    // Anonymise the contact: values go, the subject's name goes, counts stay; the
    // requester's words and the consent events that dated what they did go too.
    let out = x
        .reg
        .apply_retention(&Selection::Activity(x.mail), RetentionAction::Anonymise, "")
        .unwrap();
    let r = x.reg.request(asked).unwrap();
    assert_eq!(
        (
            r.requester.name.as_str(),
            r.requester.email.as_str(),
            r.requester.phone.as_str(),
            r.notes.as_str()
        ),
        ("", "", "", "")
    );
    assert!(x.reg.consents_of(x.contact).unwrap().is_empty());
    assert_eq!(
        (out.records, out.anonymised_subjects.clone()),
        (2, vec![x.contact])
    );
    let s = x.reg.subject_data(x.contact).unwrap();
    assert_eq!(
        s.subject.fields.name,
        format!("(anonymised) #{}", x.contact)
    );
    assert!(s
        .records
        .iter()
        .all(|r| r.value == ANONYMISED && r.source.is_empty()));
    assert!(x.reg.search("frøya", 5).unwrap().is_empty());
    assert!(x.reg.search("innkjøper", 5).unwrap().is_empty());
    assert!(
        due_ids(&x.reg.retention_due(None).unwrap(), x.mail).is_empty(),
        "anonymised records are not due"
    );

    // Releasing the hold lets deletion go ahead.
    x.reg
        .release_hold(on_applicant.id, "Klagesaken er avsluttet")
        .unwrap();
    assert!(x.reg.release_hold(on_applicant.id, "igjen").is_err());
    assert_eq!(x.reg.holds(false).unwrap().len(), 1);
    assert_eq!(x.reg.holds(true).unwrap().len(), 2);
    let cv = x.reg.records_of(x.applicant_open).unwrap()[0].id;
    x.reg
        .apply_retention(&Selection::Records(vec![cv]), RetentionAction::Erase, "")
        .unwrap();
    assert_eq!(
        x.reg.subject(x.applicant_open).unwrap_err().kind(),
        "not_found"
    );

    let a = actions(&x.reg);
    for action in [
        "hold.added",
        "hold.released",
        "retention.date_set",
        "record.deleted",
        "record.anonymised",
        "subject.anonymised",
        "subject.erased",
    ] {
        assert!(a.contains(&action.to_string()), "{action} is audited");
    }
    assert_audit_clean(
        &x.reg,
        &[
            "Åsmund",
            "Cecilie",
            "Frøya",
            "Innkjøper",
            "Ringte om tilbud",
            "CV fra",
        ],
    );
    assert!(x.reg.verify().unwrap().is_ok());
}

// ---------------------------------------------------------------------------
// Backups and restore
// ---------------------------------------------------------------------------

use privreg_core::store::backup::{self, restore, RestoreOptions, DEFAULT_KEEP};

fn backups_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".privreg"))
        .collect();
    v.sort();
    v
}

#[test]
fn a_backup_is_verified_opens_with_the_passphrase_and_leaves_no_partial_file() {
    let f = fixture();
    let mut x = filled(&f);
    let dir = f.dir.path().join("backups");
    let info = x.reg.backup(&dir).unwrap();
    assert_eq!(
        info.path.file_name().unwrap(),
        "register-backup-20260131T090000Z.privreg"
    );
    assert_eq!((info.counts.subjects, info.counts.records), (2, 4));
    assert!(
        !fs::read(&info.path)
            .unwrap()
            .starts_with(b"SQLite format 3"),
        "encrypted"
    );
    assert_eq!(backups_in(&dir).len(), 1);
    assert!(
        fs::read_dir(&dir).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("partial")),
        "the temporary file was renamed"
    );
    assert_eq!(
        register_id(&info.path).unwrap(),
        x.reg.id(),
        "same salt, same key"
    );
    // A second one in the same second gets its own name.
    let again = x.reg.backup(&dir).unwrap();
    assert_ne!(again.path, info.path);
    assert!(actions(&x.reg).contains(&"register.backed_up".to_string()));
    x.reg.close().unwrap();
    let mut copy = Register::open(
        &info.path,
        Unlock::Passphrase(&Passphrase::new(PASS)),
        f.clock.clone(),
    )
    .unwrap();
    assert!(copy.verify().unwrap().is_ok());
    assert_eq!(copy.search("østby", 5).unwrap().len(), 1);
    let wrong = Register::open(
        &info.path,
        Unlock::Passphrase(&Passphrase::new("not the passphrase")),
        f.clock.clone(),
    );
    assert_eq!(wrong.unwrap_err().kind(), "vault.wrong_passphrase");
}

#[test]
fn auto_backup_runs_at_most_once_a_local_day_and_keeps_the_last_n() {
    // 23:30 UTC is already the next day in Oslo.
    let f = fixture_at("2026-03-01T08:00:00Z");
    let mut x = filled(&f);
    let dir = f.dir.path().join("auto");
    assert!(x.reg.auto_backup(&dir, DEFAULT_KEEP).unwrap().is_some());
    f.clock.set("2026-03-01T22:59:00Z".parse().unwrap());
    assert!(
        x.reg.auto_backup(&dir, DEFAULT_KEEP).unwrap().is_none(),
        "same local day"
    );
    f.clock.set("2026-03-01T23:30:00Z".parse().unwrap());
    assert!(
        x.reg.auto_backup(&dir, DEFAULT_KEEP).unwrap().is_some(),
        "2 March in Oslo"
    );
    assert_eq!(x.reg.last_backup_on().unwrap(), Some(d("2026-03-02")));
    for _ in 0..12 {
        f.clock.advance(Duration::days(1));
        x.reg.auto_backup(&dir, DEFAULT_KEEP).unwrap().unwrap();
    }
    let names = backups_in(&dir);
    assert_eq!(names.len(), DEFAULT_KEEP);
    assert_eq!(
        names.last().unwrap(),
        "register-backup-20260313T233000Z.privreg"
    );
    assert_eq!(
        names[0], "register-backup-20260304T233000Z.privreg",
        "the oldest went"
    );
    f.clock.advance(Duration::days(1));
    let info = x.reg.auto_backup(&dir, 3).unwrap().unwrap();
    assert_eq!(info.pruned.len(), 8);
    assert_eq!(
        backup::list_backups(&dir, &f.path, x.reg.id())
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        x.reg.auto_backup(&dir, 0).unwrap_err().details()["field"],
        "keep"
    );
}

#[test]
fn a_restore_re_applies_every_erasure_made_after_the_backup() {
    let f = fixture();
    let mut x = filled(&f);
    let dir = f.dir.path().join("backups");
    let info = x.reg.backup(&dir).unwrap();
    f.clock.advance(Duration::hours(2));
    // After the backup: an erasure by request, and someone added and erased.
    let req = verified(&mut x.reg, RequestKind::Erasure, x.kari);
    let out = x.reg.complete_request(req, &Completion::Erasure).unwrap();
    let kari_receipt = out.erasure.unwrap();
    assert!(
        kari_receipt.journaled,
        "the backup folder is known: journaled at once"
    );
    let per = x
        .reg
        .add_subject(&person("Per Etterpå", "per@example.no", ""))
        .unwrap()
        .id;
    let per_receipt = x.reg.erase_subject(per, "Art. 17").unwrap().receipt;
    let journal = fs::read_to_string(dir.join("erasure-receipts.jsonl")).unwrap();
    assert_eq!(journal.lines().count(), 2);
    for v in [KARI.0, KARI.1, "Per Etterpå", "per@example.no", "Art. 17"] {
        assert!(!journal.contains(v), "the journal holds ids only");
    }
    x.reg.close().unwrap();

    // The computer dies: the register is gone, the backup folder is left.
    for s in ["", "-wal", "-shm"] {
        let _ = fs::remove_file(sidecar(&f.path, s));
    }
    f.clock.advance(Duration::days(3));
    let pass = Passphrase::new(PASS);
    let (reg, report) = restore(
        &info.path,
        Unlock::Passphrase(&pass),
        &f.path,
        &RestoreOptions::default(),
        f.clock.clone(),
    )
    .unwrap();
    assert_eq!(
        report.reapplied,
        std::slice::from_ref(&kari_receipt.receipt.id)
    );
    assert_eq!(report.recorded, std::slice::from_ref(&per_receipt.id));
    assert_eq!(report.backup_taken_at, Some(info.taken_at));
    assert_eq!(
        reg.subject(x.kari).unwrap_err().kind(),
        "not_found",
        "Kari stays erased"
    );
    assert!(reg.search("østby", 5).unwrap().is_empty());
    assert!(reg.subject(x.ola).is_ok(), "everyone else is back");
    let receipts: Vec<String> = reg
        .erasure_receipts()
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert!(receipts.contains(&kari_receipt.receipt.id) && receipts.contains(&per_receipt.id));
    let a = actions(&reg);
    assert!(a.contains(&"register.restored".to_string()));
    let mut reg = reg;
    assert!(reg.verify().unwrap().is_ok());
    // The register's request from the backup is still open (the backup predates its
    // completion), but the subject it names is gone.
    reg.close().unwrap();

    // Restoring over an existing register needs `replace`; the replaced file is kept.
    let err = restore(
        &info.path,
        Unlock::Passphrase(&pass),
        &f.path,
        &RestoreOptions::default(),
        f.clock.clone(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "vault.exists");
    // Without the journal the receipts still come from the register being replaced.
    fs::remove_file(dir.join("erasure-receipts.jsonl")).unwrap();
    let (reg, report) = restore(
        &info.path,
        Unlock::Passphrase(&pass),
        &f.path,
        &RestoreOptions {
            replace: true,
            ..Default::default()
        },
        f.clock.clone(),
    )
    .unwrap();
    assert_eq!(
        report.reapplied,
        std::slice::from_ref(&kari_receipt.receipt.id)
    );
    assert_eq!(report.replaced, Some(sidecar(&f.path, ".before-restore")));
    assert!(reg.subject(x.kari).is_err());
    reg.close().unwrap();
}

#[test]
fn a_damaged_backup_or_a_wrong_passphrase_restores_nothing() {
    let f = fixture();
    let mut x = filled(&f);
    let dir = f.dir.path().join("backups");
    let info = x.reg.backup(&dir).unwrap();
    x.reg.close().unwrap();
    let target = f.dir.path().join("restored.privreg");
    let wrong = Passphrase::new("feil passord her");
    let err = restore(
        &info.path,
        Unlock::Passphrase(&wrong),
        &target,
        &RestoreOptions::default(),
        f.clock.clone(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "vault.wrong_passphrase");
    assert!(!target.exists() && !sidecar(&target, ".restoring").exists());
    // Flip a byte in the middle of page 3.
    let mut bytes = fs::read(&info.path).unwrap();
    bytes[3 * 4096 + 2000] ^= 0xff;
    let damaged = dir.join("damaged.privreg");
    fs::write(&damaged, bytes).unwrap();
    let pass = Passphrase::new(PASS);
    let err = restore(
        &damaged,
        Unlock::Passphrase(&pass),
        &target,
        &RestoreOptions::default(),
        f.clock.clone(),
    )
    .unwrap_err();
    assert!(err.is_damage(), "{}", err.kind());
    assert!(!target.exists() && !sidecar(&target, ".restoring").exists());
    let err = restore(
        &f.dir.path().join("nope.privreg"),
        Unlock::Passphrase(&pass),
        &target,
        &RestoreOptions::default(),
        f.clock.clone(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "vault.missing");
}

// ---------------------------------------------------------------------------
// Nothing erased comes back: the signed receipts journal, applied at every open
// ---------------------------------------------------------------------------

/// The register with a backup folder, a backup, and then Kari erased.
fn erased_after_backup(f: &Fixture) -> (Filled, PathBuf, PathBuf) {
    let mut x = filled(f);
    let dir = f.dir.path().join("backups");
    let info = x.reg.backup(&dir).unwrap();
    f.clock.advance(Duration::hours(1));
    let s = x.reg.erase_subject(x.kari, "Art. 17(1)(a)").unwrap();
    assert!(s.journaled);
    (x, dir, info.path)
}

#[test]
fn a_backup_opened_directly_loses_everyone_erased_since_and_says_so() {
    let f = fixture();
    let (x, _dir, backup) = erased_after_backup(&f);
    let pass = Passphrase::new(PASS);
    // The manager's disk died: last week's backup is opened where it lies.
    let mut opened = opening::open(&backup, Unlock::Passphrase(&pass), f.clock.clone()).unwrap();
    assert_eq!(
        opened.journal.reapplied.len(),
        1,
        "the app is told: one erasure"
    );
    assert!(
        opened.journal.check.is_clean(),
        "{:?}",
        opened.journal.check
    );
    assert_eq!(
        opened.register.subject(x.kari).unwrap_err().kind(),
        "not_found"
    );
    assert!(opened.register.search("østby", 5).unwrap().is_empty());
    assert!(opened.register.subject(x.ola).is_ok());
    assert!(opened.register.verify().unwrap().is_ok());
    assert!(actions(&opened.register).contains(&"register.journal_applied".to_string()));
    opened.register.close().unwrap();
    // Opened again, there is nothing left to apply and nothing is written.
    let again = opening::open(&backup, Unlock::Passphrase(&pass), f.clock.clone()).unwrap();
    assert!(again.journal.reapplied.is_empty());
    let events = again.register.verify_audit().unwrap().events;
    again.register.close().unwrap();
    let third = opening::open(&backup, Unlock::Passphrase(&pass), f.clock.clone()).unwrap();
    assert_eq!(third.register.verify_audit().unwrap().events, events);
    // The live register opens as before: it made the receipt.
    x.reg.close().unwrap();
    let live = opening::open(&f.path, Unlock::Passphrase(&pass), f.clock.clone()).unwrap();
    assert!(live.journal.reapplied.is_empty() && live.journal.check.is_clean());
}

#[test]
fn a_backup_copied_elsewhere_still_finds_the_journal_of_the_folder_it_came_from() {
    let f = fixture();
    let (x, _dir, backup) = erased_after_backup(&f);
    let usb = f.dir.path().join("usb");
    fs::create_dir(&usb).unwrap();
    let copy = usb.join("copy.privreg");
    fs::copy(&backup, &copy).unwrap();
    let opened = opening::open(
        &copy,
        Unlock::Passphrase(&Passphrase::new(PASS)),
        f.clock.clone(),
    )
    .unwrap();
    assert_eq!(opened.journal.reapplied.len(), 1);
    assert!(opened.register.subject(x.kari).is_err());
}

fn journal_lines(dir: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(dir.join("erasure-receipts.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write_journal(dir: &Path, lines: &[serde_json::Value]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    fs::write(dir.join("erasure-receipts.jsonl"), text).unwrap();
}

#[test]
fn a_journal_line_changed_or_removed_by_hand_is_reported_and_not_applied() {
    let f = fixture();
    let mut x = filled(&f);
    let dir = f.dir.path().join("backups");
    f.clock.advance(Duration::hours(1));
    let extra: Vec<i64> = (0..2)
        .map(|i| {
            x.reg
                .add_subject(&person(&format!("Tilleggs Person {i}"), "", ""))
                .unwrap()
                .id
        })
        .collect();
    let backup = x.reg.backup(&dir).unwrap().path;
    for id in [x.kari, extra[0], extra[1]] {
        x.reg.erase_subject(id, "Art. 17").unwrap();
    }
    let lines = journal_lines(&dir);
    assert_eq!(lines.len(), 3);
    assert!(lines
        .iter()
        .all(|l| l["v"] == 3 && l["mac"].as_str().unwrap().len() == 64));
    let pass = Passphrase::new(PASS);

    // Someone points Kari's line at Ola: the signature no longer fits.
    let mut edited = lines.clone();
    edited[0]["subject_id"] = serde_json::json!(x.ola);
    write_journal(&dir, &edited);
    let (_d, copy) = copy_of(&backup);
    let opened = opening::open(&copy, Unlock::Passphrase(&pass), f.clock.clone()).unwrap();
    assert_eq!(opened.journal.check.altered, 1);
    assert_eq!(
        opened.journal.reapplied.len(),
        2,
        "the two intact lines apply"
    );
    assert!(
        opened.register.subject(x.ola).is_ok(),
        "Ola is not erased by an edit"
    );
    opened.register.close().unwrap();

    // Someone takes the middle line out: the next one no longer follows.
    write_journal(&dir, &[lines[0].clone(), lines[2].clone()]);
    let (_d, copy) = copy_of(&backup);
    let opened = opening::open(&copy, Unlock::Passphrase(&pass), f.clock.clone()).unwrap();
    assert_eq!(opened.journal.check.missing, 1);
    assert_eq!(opened.journal.check.altered, 0);
    assert!(!opened.journal.check.is_clean());
    assert!(opened.register.subject(x.kari).is_err());
    assert!(opened.register.subject(extra[1]).is_err());
    opened.register.close().unwrap();

    // The live register writes the missing line back at its next backup.
    x.reg.backup(&dir).unwrap();
    let (_d, copy) = copy_of(&backup);
    let opened = opening::open(&copy, Unlock::Passphrase(&pass), f.clock.clone()).unwrap();
    assert_eq!(opened.journal.reapplied.len(), 3);
    assert!(opened.register.subject(extra[0]).is_err());
}

fn copy_of(file: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("copy.privreg");
    fs::copy(file, &to).unwrap();
    (dir, to)
}

#[test]
fn journal_lines_written_before_a_passphrase_change_still_verify_after_it() {
    let f = fixture();
    let (mut x, dir, backup) = erased_after_backup(&f);
    let pass = Passphrase::new(PASS);
    let new = Passphrase::new("nytt og langt passord 2027");
    opening::change_passphrase(&mut x.reg, Unlock::Passphrase(&pass), &new, None).unwrap();
    f.clock.advance(Duration::hours(1));
    x.reg.erase_subject(x.ola, "Art. 17").unwrap();
    assert_eq!(journal_lines(&dir).len(), 2);
    x.reg.close().unwrap();
    // The backup was re-keyed with the register; it carries the kept journal key.
    let opened = opening::open(&backup, Unlock::Passphrase(&new), f.clock.clone()).unwrap();
    assert!(
        opened.journal.check.is_clean(),
        "{:?}",
        opened.journal.check
    );
    assert_eq!(opened.journal.reapplied.len(), 2);
    let live = opening::open(&f.path, Unlock::Passphrase(&new), f.clock.clone()).unwrap();
    assert!(live.journal.check.is_clean(), "{:?}", live.journal.check);
}

#[test]
fn a_restore_without_any_journal_refuses_unless_told_none_exists() {
    let f = fixture();
    let mut x = filled(&f);
    let dir = f.dir.path().join("backups");
    let backup = x.reg.backup(&dir).unwrap().path;
    assert!(
        dir.join("erasure-receipts.jsonl").exists(),
        "every backup folder has a journal, empty or not"
    );
    x.reg.close().unwrap();
    let usb = f.dir.path().join("usb");
    fs::create_dir(&usb).unwrap();
    let copy = usb.join("copy.privreg");
    fs::copy(&backup, &copy).unwrap();
    fs::remove_dir_all(&dir).unwrap();
    let target = f.dir.path().join("restored.privreg");
    let pass = Passphrase::new(PASS);
    let err = restore(
        &copy,
        Unlock::Passphrase(&pass),
        &target,
        &RestoreOptions::default(),
        f.clock.clone(),
    )
    .unwrap_err();
    assert_eq!(err.details()["field"], "journal");
    assert!(!target.exists() && !sidecar(&target, ".restoring").exists());
    let options = RestoreOptions {
        no_journal: true,
        ..Default::default()
    };
    let (reg, report) = restore(
        &copy,
        Unlock::Passphrase(&pass),
        &target,
        &options,
        f.clock.clone(),
    )
    .unwrap();
    assert!(report.reapplied.is_empty());
    assert_eq!(report.journal.journals, 0);
    reg.close().unwrap();
}

#[test]
fn restoring_twice_over_a_register_keeps_every_earlier_copy() {
    let f = fixture();
    let mut x = filled(&f);
    let dir = f.dir.path().join("backups");
    let backup = x.reg.backup(&dir).unwrap().path;
    x.reg.close().unwrap();
    let pass = Passphrase::new(PASS);
    let replace = RestoreOptions {
        replace: true,
        ..Default::default()
    };
    for n in 1..=3 {
        let (reg, report) = restore(
            &backup,
            Unlock::Passphrase(&pass),
            &f.path,
            &replace,
            f.clock.clone(),
        )
        .unwrap();
        let want = if n == 1 {
            sidecar(&f.path, ".before-restore")
        } else {
            sidecar(&f.path, &format!(".before-restore-{n}"))
        };
        assert_eq!(report.replaced, Some(want.clone()));
        assert!(want.exists());
        reg.close().unwrap();
    }
    assert!(sidecar(&f.path, ".before-restore").exists());
    assert!(sidecar(&f.path, ".before-restore-2").exists());
}

#[test]
fn after_a_passphrase_change_no_backup_in_the_folder_opens_with_the_old_passphrase() {
    let f = fixture();
    let mut x = filled(&f);
    let dir = f.dir.path().join("backups");
    x.reg.backup(&dir).unwrap();
    f.clock.advance(Duration::days(1));
    x.reg.backup(&dir).unwrap();
    let elsewhere = f.dir.path().join("kept-elsewhere.privreg");
    fs::copy(
        backups_in(&dir).iter().map(|n| dir.join(n)).next().unwrap(),
        &elsewhere,
    )
    .unwrap();
    let old = Passphrase::new(PASS);
    let new = Passphrase::new("et helt nytt passord 2027");
    let changed =
        opening::change_passphrase(&mut x.reg, Unlock::Passphrase(&old), &new, None).unwrap();
    assert_eq!(changed.backups.rekeyed, 2);
    assert!(changed.backups.failed.is_empty());
    for name in backups_in(&dir) {
        let path = dir.join(&name);
        let err = Register::open(&path, Unlock::Passphrase(&old), f.clock.clone()).unwrap_err();
        assert_eq!(err.kind(), "vault.wrong_passphrase", "{name}");
        let mut reg = Register::open(&path, Unlock::Passphrase(&new), f.clock.clone()).unwrap();
        assert!(reg.verify().unwrap().is_ok(), "{name}");
        assert_eq!(reg.counts().unwrap().subjects, 2, "{name}");
        // The new recovery key opens it too.
        reg.close().unwrap();
        Register::open(
            &path,
            Unlock::Recovery(&changed.recovery_key),
            f.clock.clone(),
        )
        .unwrap();
    }
    // A copy kept elsewhere is out of reach, as the user is told.
    Register::open(&elsewhere, Unlock::Passphrase(&old), f.clock.clone()).unwrap();
    // A second change finds them all under the current key again.
    let newer = Passphrase::new("og enda et nytt passord 2028");
    let again =
        opening::change_passphrase(&mut x.reg, Unlock::Passphrase(&new), &newer, None).unwrap();
    assert_eq!(again.backups.rekeyed, 2);
}

#[test]
fn a_restore_refuses_while_a_program_has_the_register_open() {
    let f = fixture();
    let mut x = filled(&f);
    let dir = f.dir.path().join("backups");
    let backup = x.reg.backup(&dir).unwrap().path;
    let before = fs::read(&f.path).unwrap();
    let pass = Passphrase::new(PASS);
    let replace = RestoreOptions {
        replace: true,
        ..Default::default()
    };
    // The app still has it open.
    let err = restore(
        &backup,
        Unlock::Passphrase(&pass),
        &f.path,
        &replace,
        f.clock.clone(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "vault.in_use");
    assert!(err.to_string().contains("open in another program"), "{err}");
    assert!(
        err.details()["by"]
            .as_str()
            .unwrap()
            .contains(&format!("(process {})", std::process::id())),
        "the refusal names the program that has it open: {err}"
    );
    assert!(!sidecar(&f.path, ".before-restore").exists());
    assert!(!sidecar(&f.path, ".restoring").exists());
    x.reg.checkpoint().unwrap();
    assert_eq!(fs::read(&f.path).unwrap().len(), before.len());
    // Two programs may have it open at once (SQLite serialises their writes).
    let second = Register::open(&f.path, Unlock::Passphrase(&pass), f.clock.clone()).unwrap();
    second.close().unwrap();
    // Closed, it can be restored.
    x.reg.close().unwrap();
    let (reg, report) = restore(
        &backup,
        Unlock::Passphrase(&pass),
        &f.path,
        &replace,
        f.clock.clone(),
    )
    .unwrap();
    assert!(report.replaced.is_some());
    reg.close().unwrap();
}
