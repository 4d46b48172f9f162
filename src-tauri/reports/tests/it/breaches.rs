//! The documents of a personal data breach as their readers check them, in English and
//! bokmål: the breach log (Art. 33(5)) as PDF (poppler's `pdftotext`), JSON (validated
//! against the schema in the repository), CSV and XLSX; the notification text for
//! Datatilsynet's Altinn form (its headings in the form's order, the people count, the
//! categories); and the letters to the people affected (Art. 34(2)): one per person
//! linked to the breach, in one file, each naming only its own addressee, with the
//! organisation's name and contact details and the right to complain. Breaches are
//! brought to their states with the core's API; exports are audited without names,
//! and making letters records nothing as sent.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use privreg_core::labels::{article, Labelled};
use privreg_core::model::*;
use privreg_core::store::breaches::{
    AffectedSelection, Assessment, BreachFacts, BreachKind, BreachStatus, NewNotice, NoticeKind,
    RiskLevel,
};
use privreg_core::templates::{self, Lang};
use privreg_core::{AuditEvent, AuditFilter, FixedClock, Register};
use privreg_reports::breach::{self, LETTER_SEPARATOR};
use privreg_reports::letter::TEXT_WIDTH;
use privreg_reports::*;
use serde_json::Value;

use super::common::{keep, page_count, squash, tool, validate};

const ORG: &str = "Fjordlys Rådgivning AS";
const ORG_EMAIL: &str = "personvern@fjordlys.example.no";
const ORG_PHONE: &str = "+47 55 00 00 00";
const DPO: &str = "Åse Personvern";
const PEOPLE: [(&str, &str); 3] = [
    ("Kari Nordmann", "kari@nordmann.example.no"),
    ("Per Hansen", "per@hansen.example.no"),
    ("Ola Bakken", "ola@bakken.example.no"),
];
const OUTSIDER: &str = "Eva Utenfor";

const TITLE: &str = "Kundeliste sendt til feil mottaker";
const FOUND_BY: &str = "Kundeservice";
const CAUSE: &str = "Menneskelig svikt: feil adresse valgt i e-postprogrammet";
const DESCRIPTION: &str =
    "En e-post med vedlagt kundeliste ble sendt til en ekstern mottaker ved en feil.";
const LOCATION: &str = "Hos mottakeren, som har bekreftet at vedlegget er slettet";
const RELATION: &str = "Kunder og kontaktpersoner hos kunder";
const CONSEQUENCES: &str = "Risiko for uønsket kontakt og målrettet svindel (phishing).";
const TAKEN: &str = "Mottakeren har slettet e-posten; vi har sperret utsendingen fra kundelisten.";
const PLANNED: &str = "Opplæring av ansatte og forsinket sending av e-post med vedlegg.";
const AUTHORITY_REASONS: &str = "Kontaktopplysninger til mange kunder kom på avveie.";
const SUBJECTS_REASONS: &str = "Kundene bør være på vakt mot svindelforsøk.";
const ALTINN: &str = "ALTINN-AR-4711";
const CLOSING_NOTE: &str = "Gjennomgått; ingen videre oppfølging.";

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    reg: Register,
    /// Assessed (high risk), the people chosen by activity, notified in time.
    main: Id,
    /// Nothing chosen, nothing assessed, the 72 hours long gone.
    overdue: Id,
    /// Unlikely to result in a risk, one person chosen by hand, closed.
    minor: Id,
    processor: String,
    people: Vec<Id>,
    outsider: Id,
}

/// A register on 12 May 2026 with the client and newsletter activities, three clients
/// with a name and an e-mail record each, a newsletter subscriber who is not a client,
/// and three breaches.
fn fixture(lang: Lang) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("breaches.privreg");
    let mut reg =
        Register::create_unencrypted(&path, Arc::new(FixedClock::at("2026-05-12T09:30:00Z")))
            .unwrap();
    reg.set_actor("breach-tester");
    reg.set_controller(&Controller {
        organisation: ORG.into(),
        org_number: "999 888 777".into(),
        address: "Strandkaien 1, 5013 Bergen".into(),
        email: ORG_EMAIL.into(),
        phone: ORG_PHONE.into(),
        dpo: Some(Contact {
            name: DPO.into(),
            email: "ombud@fjordlys.example.no".into(),
            ..Default::default()
        }),
        ..Default::default()
    })
    .unwrap();
    let (_, p) = templates::processors(lang).into_iter().next().unwrap();
    let stored = reg.add_processor(&p).unwrap();
    let processor_id = stored.id;
    let processor = stored.processor.name.clone();
    let clients = reg
        .add_activity(&templates::activity("client_information", lang).unwrap())
        .unwrap();
    let news = reg
        .add_activity(&templates::activity("newsletter", lang).unwrap())
        .unwrap();
    let rec = |a: &StoredActivity, i: usize, value: &str| NewRecord {
        activity_id: a.id,
        category: a.activity.data_categories[i].name.clone(),
        value: value.into(),
        source: String::new(),
        collected_on: Some(NaiveDate::from_ymd_opt(2025, 11, 3).unwrap()),
    };
    let mut people = Vec::new();
    for (name, email) in PEOPLE {
        let id = reg
            .add_subject(&SubjectFields {
                name: name.into(),
                email: email.into(),
                phone: String::new(),
            })
            .unwrap()
            .id;
        reg.add_records(id, &[rec(&clients, 0, name), rec(&clients, 1, email)])
            .unwrap();
        people.push(id);
    }
    let outsider = reg
        .add_subject(&SubjectFields {
            name: OUTSIDER.into(),
            email: "eva@utenfor.example.no".into(),
            phone: String::new(),
        })
        .unwrap()
        .id;
    reg.add_record(outsider, &rec(&news, 0, "eva@utenfor.example.no"))
        .unwrap();

    let main = reg
        .add_breach(&BreachFacts {
            title: TITLE.into(),
            occurred_from: Some(t("2026-05-09T22:00:00Z")),
            occurred_to: Some(t("2026-05-10T07:30:00Z")),
            discovered_at: Some(t("2026-05-10T08:00:00Z")),
            aware_at: Some(t("2026-05-10T12:00:00Z")),
            found_by: FOUND_BY.into(),
            cause: CAUSE.into(),
            description: DESCRIPTION.into(),
            kinds: vec![BreachKind::Confidentiality, BreachKind::Availability],
            data_location: LOCATION.into(),
            processor_id: Some(processor_id),
            processor_told_at: Some(t("2026-05-10T11:30:00Z")),
            relation: RELATION.into(),
            consequences: CONSEQUENCES.into(),
            measures_taken: TAKEN.into(),
            measures_planned: PLANNED.into(),
            contact: String::new(),
        })
        .unwrap()
        .id;
    reg.set_affected(
        main,
        &AffectedSelection {
            activity_ids: vec![clients.id],
            ..Default::default()
        },
    )
    .unwrap();
    reg.assess_breach(
        main,
        &Assessment {
            risk: RiskLevel::High,
            notify_authority: true,
            authority_reasons: AUTHORITY_REASONS.into(),
            notify_subjects: true,
            subjects_reasons: SUBJECTS_REASONS.into(),
            art34_exception: None,
            decided_by: DPO.into(),
            decided_at: None,
        },
    )
    .unwrap();
    reg.record_breach_notice(
        main,
        &NewNotice {
            kind: NoticeKind::Initial,
            sent_at: Some(t("2026-05-11T10:00:00Z")),
            reference: ALTINN.into(),
            delay_reason: String::new(),
            note: String::new(),
            letters: None,
        },
    )
    .unwrap();

    let overdue = reg
        .add_breach(&BreachFacts {
            title: "Tapt minnepinne med deltakerliste".into(),
            discovered_at: Some(t("2026-05-01T07:00:00Z")),
            aware_at: Some(t("2026-05-01T08:00:00Z")),
            kinds: vec![BreachKind::Availability],
            ..Default::default()
        })
        .unwrap()
        .id;

    let minor = reg
        .add_breach(&BreachFacts {
            title: "Feilsendt e-post til en kollega".into(),
            discovered_at: Some(t("2026-04-20T09:00:00Z")),
            aware_at: Some(t("2026-04-20T09:00:00Z")),
            kinds: vec![BreachKind::Confidentiality],
            ..Default::default()
        })
        .unwrap()
        .id;
    reg.set_affected(
        minor,
        &AffectedSelection {
            subject_ids: vec![people[0]],
            ..Default::default()
        },
    )
    .unwrap();
    reg.assess_breach(
        minor,
        &Assessment {
            risk: RiskLevel::Unlikely,
            notify_authority: false,
            authority_reasons: "Sendt internt til en kollega med taushetsplikt.".into(),
            notify_subjects: false,
            subjects_reasons: "Ingen risiko for den registrerte.".into(),
            art34_exception: None,
            decided_by: DPO.into(),
            decided_at: None,
        },
    )
    .unwrap();
    reg.close_breach(minor, CLOSING_NOTE).unwrap();

    Fixture {
        dir: dir.path().to_path_buf(),
        _dir: dir,
        reg,
        main,
        overdue,
        minor,
        processor,
        people,
        outsider,
    }
}

fn raw_text(pdf: &[u8]) -> String {
    tool("pdftotext", &["-raw", "-enc", "UTF-8"], pdf)
}

/// The PDF's text without what repeats on every page (the running header and footer,
/// a table's header row continued on a new page), so that a cell split over two pages
/// reads as one.
fn body_text(pdf: &[u8], lang: Lang) -> String {
    let l = |k| labels::label(lang, k);
    let b = |k| breach::label(lang, k);
    let table_heads: Vec<String> = [
        vec![l("field"), l("content")],
        vec![
            b("breach_reference"),
            b("breach_title"),
            l("status"),
            b("breach_aware_short"),
            b("breach_people"),
        ],
        vec![
            b("breach_notice_kind"),
            b("breach_sent"),
            b("breach_notice_details"),
        ],
    ]
    .into_iter()
    .map(|v| v.join(" "))
    .collect();
    raw_text(pdf)
        .lines()
        .filter(|line| {
            let t = line.trim();
            let footer =
                t.starts_with(&format!("{} ", l("page"))) && t.contains(&format!(" {} ", l("of")));
            let header = t.starts_with(&format!("{ORG} ")) && t.contains(" · ");
            !(footer || header || table_heads.iter().any(|h| h == t))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_has(text: &str, needle: &str, what: &str) {
    assert!(
        squash(text).contains(&squash(needle)),
        "{what}: {needle:?} is not in the text:\n{text}"
    );
}

fn latest_event(reg: &Register) -> AuditEvent {
    reg.audit_log(AuditFilter::All, 1).unwrap().remove(0)
}

fn tr(lang: Lang, pair: (&'static str, &'static str)) -> &'static str {
    labels::tr(lang, pair)
}

/// The category names and counts the core counted for the main breach.
fn counted_categories(f: &Fixture) -> Vec<(String, i64)> {
    f.reg
        .breach(f.main)
        .unwrap()
        .affected
        .expect("the people were chosen")
        .categories
}

#[test]
fn the_log_pdf_holds_every_field_of_every_breach_in_both_languages() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang);
        let log = build_breach_log(&f.reg, lang).unwrap();
        assert_eq!(log.breaches.len(), 3);
        // Oldest first: by the time the organisation became aware.
        let order: Vec<Id> = log.breaches.iter().map(|b| b.id).collect();
        assert_eq!(order, vec![f.minor, f.overdue, f.main]);
        let pdf = render_breach_log(&log, BreachLogFormat::Pdf).unwrap();
        keep(&format!("breach-log-{}.pdf", lang.code()), &pdf);
        assert!(pdf.starts_with(b"%PDF-"));
        let text = body_text(&pdf, lang);

        assert_has(&text, ORG, "organisation");
        assert_has(&text, &log.title, "title");
        assert_has(
            &text,
            breach::label(lang, "breach_log_subtitle"),
            "subtitle",
        );
        assert_has(&text, &log.audit.head_hash, "audit stamp");

        // Every label of every block.
        for key in [
            "breach_facts",
            "breach_effects",
            "breach_remedial",
            "breach_assessment",
            "breach_notices",
            "breach_closing",
            "breach_period",
            "breach_discovered",
            "breach_aware",
            "breach_deadline",
            "breach_found_by",
            "breach_kinds",
            "breach_cause",
            "breach_description",
            "breach_data_location",
            "breach_processor",
            "breach_processor_told",
            "breach_relation",
            "breach_selection",
            "breach_people",
            "breach_records",
            "breach_categories",
            "breach_special",
            "breach_criminal",
            "breach_linked",
            "breach_consequences",
            "breach_measures_taken",
            "breach_measures_planned",
            "breach_contact",
            "breach_risk",
            "breach_notify_authority",
            "breach_authority_reasons",
            "breach_notify_subjects",
            "breach_subjects_reasons",
            "breach_exception",
            "breach_decided_by",
            "breach_decided_at",
            "breach_closed",
            "breach_closing_note",
            "breach_created",
            "breach_updated",
            "breach_not_chosen",
            "breach_not_assessed",
            "breach_no_notices",
        ] {
            assert_has(&text, breach::label(lang, key), key);
        }

        // Every field of the main breach, with the times in Oslo time.
        let main = log.breaches.iter().find(|b| b.id == f.main).unwrap();
        for value in [
            main.reference.as_str(),
            TITLE,
            FOUND_BY,
            CAUSE,
            DESCRIPTION,
            LOCATION,
            RELATION,
            CONSEQUENCES,
            TAKEN,
            PLANNED,
            AUTHORITY_REASONS,
            SUBJECTS_REASONS,
            DPO,
            ALTINN,
            f.processor.as_str(),
            main.period.as_str(),
            main.deadline.state.as_str(),
            main.selection.as_ref().unwrap().text.as_str(),
            BreachKind::Confidentiality.label(lang),
            BreachKind::Availability.label(lang),
            RiskLevel::High.label(lang),
            NoticeKind::Initial.label(lang),
            main.status.label.as_str(),
        ] {
            assert_has(&text, value, value);
        }
        for (when, what) in [
            (
                ("10 May 2026, 10:00", "10. mai 2026 kl. 10.00"),
                "discovered",
            ),
            (("10 May 2026, 14:00", "10. mai 2026 kl. 14.00"), "aware"),
            (
                ("13 May 2026, 14:00", "13. mai 2026 kl. 14.00"),
                "the 72 hours",
            ),
            (
                ("10 May 2026, 13:30", "10. mai 2026 kl. 13.30"),
                "processor told us",
            ),
            (("11 May 2026, 12:00", "11. mai 2026 kl. 12.00"), "notified"),
            (("10 May 2026, 00:00", "10. mai 2026 kl. 00.00"), "began"),
            (("10 May 2026, 09:30", "10. mai 2026 kl. 09.30"), "ended"),
        ] {
            assert_has(&text, tr(lang, when), what);
        }
        assert_eq!(
            main.deadline.text,
            tr(lang, ("13 May 2026, 14:00", "13. mai 2026 kl. 14.00"))
        );
        assert_eq!(main.deadline.met, Some(true));
        for (name, records) in counted_categories(&f) {
            assert_has(&text, &format!("{name} ({records})"), "category with count");
        }
        let affected = main.affected.as_ref().unwrap();
        assert_eq!(affected.people, 3);
        assert_eq!(affected.records, 6);

        // The breach not yet chosen nor assessed, and the closed one.
        let overdue = log.breaches.iter().find(|b| b.id == f.overdue).unwrap();
        assert!(overdue.affected.is_none() && overdue.assessment.is_none());
        assert_has(&text, &overdue.title, "second breach");
        assert_has(&text, &overdue.deadline.state, "overdue");
        let minor = log.breaches.iter().find(|b| b.id == f.minor).unwrap();
        assert_has(&text, CLOSING_NOTE, "closing note");
        assert_has(&text, RiskLevel::Unlikely.label(lang), "risk");
        assert_eq!(minor.status.code, "closed");
        assert_has(&text, BreachStatus::Closed.label(lang), "closed");
        assert_has(&text, &minor.closed.as_ref().unwrap().text, "closed at");
        assert_has(&text, &minor.deadline.state, "no notification needed");

        // No person is named in the log.
        for (name, email) in PEOPLE {
            assert!(!text.contains(name) && !text.contains(email), "{name}");
        }
    }
}

#[test]
fn the_log_json_validates_against_its_schema() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang);
        let log = build_breach_log(&f.reg, lang).unwrap();
        let json: Value =
            serde_json::from_slice(&render_breach_log(&log, BreachLogFormat::Json).unwrap())
                .unwrap();
        validate(BREACH_LOG_SCHEMA, &json);
        assert_eq!(json["schema"], "privreg.breach_log");
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["lang"], lang.code());
        let breaches = json["breaches"].as_array().unwrap();
        assert_eq!(breaches.len(), 3);
        let main = breaches.iter().find(|b| b["id"] == f.main).unwrap();
        let core = f.reg.breach(f.main).unwrap();
        assert_eq!(main["reference"], core.reference.as_str());
        assert_eq!(main["deadline"]["due_local"], core.clock.due_local.as_str());
        assert_eq!(main["aware"]["utc"], "2026-05-10T12:00:00Z");
        assert_eq!(main["aware"]["local"], "2026-05-10T14:00:00+02:00");
        assert_eq!(main["affected"]["people"], 3);
        assert_eq!(main["linked_people"], 3);
        assert_eq!(main["kinds"][0]["code"], "confidentiality");
        assert_eq!(main["assessment"]["risk"]["code"], "high");
        assert_eq!(main["notices"][0]["kind"]["code"], "initial");
        assert_eq!(main["notices"][0]["late"], false);
        let overdue = breaches.iter().find(|b| b["id"] == f.overdue).unwrap();
        assert!(overdue["affected"].is_null());
        assert!(overdue["assessment"].is_null());
        assert_eq!(overdue["deadline"]["overdue"], true);
        let minor = breaches.iter().find(|b| b["id"] == f.minor).unwrap();
        assert_eq!(minor["status"]["code"], "closed");
        assert_eq!(minor["selection"]["chosen_by_hand"], 1);
        let printed = json.to_string();
        for (name, email) in PEOPLE {
            assert!(
                !printed.contains(name) && !printed.contains(email),
                "{name}"
            );
        }
    }
}

#[test]
fn csv_and_xlsx_have_one_row_per_breach_headed_in_the_language() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang);
        let log = build_breach_log(&f.reg, lang).unwrap();
        let heads: Vec<String> = breach::columns().iter().map(|c| c.heading(lang)).collect();

        let csv =
            String::from_utf8(render_breach_log(&log, BreachLogFormat::Csv).unwrap()).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        let first_line = csv
            .trim_start_matches('\u{feff}')
            .split("\r\n")
            .next()
            .unwrap();
        for h in &heads {
            assert!(first_line.contains(h.as_str()), "{h} in {first_line}");
        }
        assert!(first_line.starts_with(breach::label(lang, "breach_reference")));
        assert!(first_line.contains(labels::label(lang, "audit_head")));
        // A header row and one row per breach.
        assert_eq!(csv.matches("\r\n").count(), 1 + log.breaches.len());
        for b in &log.breaches {
            assert!(csv.contains(&b.reference), "{}", b.reference);
        }
        assert!(csv.contains(breach::label(lang, "breach_not_chosen")));
        assert!(csv.contains(breach::label(lang, "breach_not_assessed")));
        assert!(csv.contains(ALTINN));
        assert!(csv.contains(&log.audit.head_hash));

        let xlsx = render_breach_log(&log, BreachLogFormat::Xlsx).unwrap();
        keep(&format!("breach-log-{}.xlsx", lang.code()), &xlsx);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
        let mut strings = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
            &mut strings,
        )
        .unwrap();
        let escaped = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        for h in &heads {
            assert!(strings.contains(&escaped(h)), "{h}");
        }
        for b in &log.breaches {
            assert!(strings.contains(&escaped(&b.title)), "{}", b.title);
        }
        assert!(strings.contains(ORG));
        assert!(strings.contains(&log.audit.head_hash));
        assert!(strings.contains(breach::label(lang, "breach_not_chosen")));
        let mut wb = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut wb)
            .unwrap();
        assert!(wb.contains(tr(lang, ("Breaches", "Avvik"))), "{wb}");
    }
}

#[test]
fn the_log_export_is_audited_without_data() {
    let mut f = fixture(Lang::Nb);
    let out = f.dir.join("avvik.xlsx");
    let before = f.reg.verify_audit().unwrap();
    let done = export_breach_log(&mut f.reg, BreachLogFormat::Xlsx, Lang::Nb, &out).unwrap();
    assert_eq!((done.format, done.lang), ("xlsx", "nb"));
    assert_eq!(done.audit_head, before.head_hash);
    assert_eq!(done.bytes, std::fs::read(&out).unwrap().len() as u64);
    let ev = latest_event(&f.reg);
    assert_eq!(ev.action, "report.created");
    assert_eq!((ev.entity.as_str(), ev.entity_id), ("register", None));
    assert_eq!(ev.fields, vec!["breach_log", "xlsx", "nb"]);
    assert!(f.reg.verify_audit().unwrap().first_broken.is_none());
}

#[test]
fn the_notice_text_follows_datatilsynets_form_in_both_languages() {
    for lang in [Lang::En, Lang::Nb] {
        let f = fixture(lang);
        let text = breach_notice_text(&f.reg, f.main, lang).unwrap();
        keep(
            &format!("breach-notice-{}.txt", lang.code()),
            text.as_bytes(),
        );
        for line in text.lines() {
            assert!(
                line.chars().count() <= TEXT_WIDTH || !line.trim().contains(' '),
                "a line is wider than {TEXT_WIDTH}: {line:?}"
            );
        }
        // The form's headings and questions, in the form's order.
        let headings: &[&str] = match lang {
            Lang::En => &[
                "Description of the breach",
                "Main cause",
                "Period",
                "When was the breach discovered",
                "Number of people affected",
                "Description of what has happened",
                "How the breach arose",
                "What kinds of personal data were affected",
                "The organisation's relation to the people affected",
                "Where the personal data are after the breach",
                "Consequences",
                "Measures",
                "prevent it happening again",
                "limit the possible harm",
                "Information",
                "Have the people affected been told? How?",
                "Contact information",
                "data protection officer or other contact person",
            ],
            Lang::Nb => &[
                "Beskrivelse av avviket",
                "Hovedårsak",
                "Tidsrom",
                "Når ble avviket oppdaget",
                "Antall berørte personer",
                "Beskrivelse av hva som har skjedd",
                "Hvordan avviket oppstod",
                "Hva slags type personopplysninger som ble berørt",
                "Hvilken relasjon virksomheten har til de berørte personene",
                "Hvor personopplysningene befinner seg etter avviket",
                "Konsekvenser",
                "Tiltak",
                "hindre gjentakelse",
                "redusere potensielle skadevirkninger",
                "Informasjon",
                "Har de berørte personene blitt informert? Hvordan?",
                "Kontaktinformasjon",
                "personvernombud eller annen kontaktperson",
            ],
        };
        let flat = squash(&text);
        let mut at = 0;
        for h in headings {
            let found = flat[at..]
                .find(&squash(h))
                .unwrap_or_else(|| panic!("{h:?} is missing or out of order in:\n{text}"));
            at += found + squash(h).len();
        }

        // The answers.
        assert_has(
            &text,
            tr(
                lang,
                ("3 people (6 records)", "3 personer (6 opplysninger)"),
            ),
            "people",
        );
        for (name, records) in counted_categories(&f) {
            assert_has(&text, &name, "category");
            let n = records.to_string();
            assert_has(&text, &format!("{name}: {n}"), "category with count");
        }
        for value in [
            CAUSE,
            DESCRIPTION,
            LOCATION,
            RELATION,
            CONSEQUENCES,
            TAKEN,
            PLANNED,
            FOUND_BY,
            f.processor.as_str(),
            BreachKind::Confidentiality.label(lang),
            ORG,
            "999 888 777",
            ALTINN,
        ] {
            assert_has(&text, value, value);
        }
        assert_has(
            &text,
            tr(lang, ("10 May 2026, 10:00", "10. mai 2026 kl. 10.00")),
            "discovered",
        );
        assert_has(
            &text,
            tr(lang, ("10 May 2026, 14:00", "10. mai 2026 kl. 14.00")),
            "aware",
        );
        assert_has(
            &text,
            &article(lang, "Art. 33(4)"),
            "a follow-up to the first notification",
        );
        // The contact point: the data protection officer, as none was recorded.
        assert_has(&text, DPO, "DPO");
        assert_has(&text, "ombud@fjordlys.example.no", "DPO's e-mail");
        // To be told, not yet told.
        assert_has(&text, &article(lang, "Art. 34(1)"), "the people to be told");
        // Notified in time: no reasons for a delay.
        let delay = tr(
            lang,
            ("Reasons for the delay", "Begrunnelse for forsinkelsen"),
        );
        assert!(!text.contains(delay), "{text}");

        // Long past the 72 hours, nothing chosen or decided: the reasons line to fill in.
        let late = breach_notice_text(&f.reg, f.overdue, lang).unwrap();
        assert_has(&late, delay, "delay heading");
        assert_has(
            &late,
            tr(
                lang,
                (
                    "[Give the reasons for the delay here.]",
                    "[Skriv begrunnelsen for forsinkelsen her.]",
                ),
            ),
            "delay placeholder",
        );
        assert_has(&late, &article(lang, "Art. 33(1)"), "Art. 33(1)");
        assert_has(
            &late,
            tr(lang, ("Not yet decided.", "Ikke avgjort ennå.")),
            "not decided",
        );
        assert_has(
            &late,
            tr(
                lang,
                (
                    "the people affected have not been chosen",
                    "de berørte er ikke valgt ut",
                ),
            ),
            "not chosen",
        );
        assert_has(&late, labels::label(lang, "not_stated"), "empty fields");
    }
}

/// The letters in a text file, one per part.
fn text_letters(text: &str) -> Vec<String> {
    text.split(LETTER_SEPARATOR).map(String::from).collect()
}

fn names_of(f: &Fixture, ids: &[Id]) -> Vec<String> {
    ids.iter()
        .map(|id| f.reg.subject(*id).unwrap().fields.name)
        .collect()
}

/// What every letter about the main breach says.
fn assert_every_letter(text: &str, lang: Lang, reference: &str) {
    assert_has(text, ORG, "organisation");
    assert_has(text, "Strandkaien 1, 5013 Bergen", "organisation's address");
    assert_has(text, ORG_EMAIL, "organisation's e-mail");
    assert_has(text, ORG_PHONE, "organisation's telephone");
    assert_has(text, DPO, "data protection officer");
    assert_has(text, reference, "reference");
    assert_has(text, DESCRIPTION, "what happened");
    assert_has(text, CONSEQUENCES, "consequences");
    assert_has(text, TAKEN, "measures taken");
    assert_has(text, PLANNED, "measures planned");
    assert_has(text, "Datatilsynet", "supervisory authority");
    assert_has(text, "Postboks 458 Sentrum", "Datatilsynet's address");
    assert_has(text, &article(lang, "Art. 77"), "complaint article");
    assert_has(text, &article(lang, "Art. 34"), "Art. 34");
    assert_has(
        text,
        tr(
            lang,
            (
                "We have reported the breach to Datatilsynet",
                "Vi har meldt bruddet til Datatilsynet",
            ),
        ),
        "Datatilsynet told",
    );
    assert_has(
        text,
        tr(lang, ("Yours sincerely,", "Med vennlig hilsen")),
        "closing",
    );
}

#[test]
fn one_letter_per_person_linked_each_naming_only_its_addressee() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let reference = f.reg.breach(f.main).unwrap().reference;
        let linked = f.reg.affected_subjects(f.main).unwrap();
        assert_eq!(
            linked.len() as i64,
            f.reg.breach(f.main).unwrap().linked_people
        );
        assert_eq!(linked.len(), PEOPLE.len());
        let names = names_of(&f, &linked);
        let notices_before = f.reg.breach(f.main).unwrap().notices.len();

        // Plain text: one file, the letters separated by a form feed line.
        let out = f.dir.join("brev.txt");
        let done = export_breach_letters(&mut f.reg, f.main, lang, LetterFormat::Text, true, &out)
            .unwrap();
        assert_eq!(done.letters, linked.len() as i64);
        assert!(done.one_per_person);
        let written = String::from_utf8(std::fs::read(&out).unwrap()).unwrap();
        keep(
            &format!("breach-letters-{}.txt", lang.code()),
            written.as_bytes(),
        );
        let letters = text_letters(&written);
        assert_eq!(letters.len(), linked.len());
        for (i, letter) in letters.iter().enumerate() {
            assert_every_letter(letter, lang, &reference);
            assert!(letter.contains(&names[i]), "letter {i} is to {}", names[i]);
            for (j, other) in names.iter().enumerate() {
                if j != i {
                    assert!(!letter.contains(other.as_str()), "letter {i} names {other}");
                }
            }
            assert!(!letter.contains(OUTSIDER));
            for line in letter.lines() {
                assert!(
                    line.chars().count() <= TEXT_WIDTH || !line.trim().contains(' '),
                    "a line is wider than {TEXT_WIDTH}: {line:?}"
                );
            }
        }
        let ev = latest_event(&f.reg);
        assert_eq!(ev.action, "report.created");
        assert_eq!((ev.entity.as_str(), ev.entity_id), ("register", None));
        assert_eq!(
            ev.fields,
            vec![
                "breach_letters".to_string(),
                "txt".into(),
                lang.code().into(),
                format!("breach:{}", f.main),
                format!("letters:{}", linked.len()),
                "per_person".into(),
            ]
        );
        let printed = serde_json::to_string(&ev).unwrap();
        for name in &names {
            assert!(!printed.contains(name.as_str()), "{name} in the audit log");
        }
        assert!(!printed.contains("brev.txt"));

        // PDF: one file, each letter on its own pages, counting its own pages.
        let out = f.dir.join("brev.pdf");
        let done =
            export_breach_letters(&mut f.reg, f.main, lang, LetterFormat::Pdf, true, &out).unwrap();
        assert_eq!(done.letters, linked.len() as i64);
        let pdf = std::fs::read(&out).unwrap();
        keep(&format!("breach-letters-{}.pdf", lang.code()), &pdf);
        assert!(pdf.starts_with(b"%PDF-"));
        let pages = page_count(&pdf);
        assert!(
            pages >= linked.len() && pages <= 2 * linked.len(),
            "{pages} pages"
        );
        let text = raw_text(&pdf);
        let first_pages = text
            .matches(&format!(
                "{} 1 {} ",
                labels::label(lang, "page"),
                labels::label(lang, "of")
            ))
            .count();
        assert_eq!(first_pages, linked.len(), "each letter starts at page 1");
        for name in &names {
            assert!(text.contains(name.as_str()), "{name}");
            // In the facts and the salutation of its own letter only.
            assert_eq!(text.matches(name.as_str()).count(), 2, "{name}");
        }
        assert!(!text.contains(OUTSIDER));
        assert_every_letter(&text, lang, &reference);

        // Making letters is not sending them.
        assert_eq!(f.reg.breach(f.main).unwrap().notices.len(), notices_before);

        // The caller records the communication once sent; the notice text then says so.
        f.reg
            .record_breach_notice(
                f.main,
                &NewNotice {
                    kind: NoticeKind::Subjects,
                    sent_at: None,
                    reference: "letters".into(),
                    delay_reason: String::new(),
                    note: String::new(),
                    letters: Some(done.letters),
                },
            )
            .unwrap();
        let notice = breach_notice_text(&f.reg, f.main, lang).unwrap();
        assert_has(
            &notice,
            &match lang {
                Lang::En => format!("({} letters)", linked.len()),
                Lang::Nb => format!("({} brev)", linked.len()),
            },
            "letters sent",
        );
    }
}

#[test]
fn the_letter_to_all_names_no_one() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let reference = f.reg.breach(f.main).unwrap().reference;
        let letter = build_breach_letter(&f.reg, f.main, None, lang).unwrap();
        assert_eq!(letter.addressee, "");
        assert_eq!(letter.subject_id, None);
        let text =
            String::from_utf8(render_breach_letter(&letter, LetterFormat::Text).unwrap()).unwrap();
        assert_eq!(text, breach::letter_text(&letter));
        let pdf = render_breach_letter(&letter, LetterFormat::Pdf).unwrap();
        keep(&format!("breach-letter-all-{}.pdf", lang.code()), &pdf);
        assert!((1..=2).contains(&page_count(&pdf)));
        for t in [text.clone(), raw_text(&pdf)] {
            assert_every_letter(&t, lang, &reference);
            assert_has(&t, tr(lang, ("Dear Sir or Madam,", "Hei,")), "salutation");
            for (name, email) in PEOPLE {
                assert!(!t.contains(name) && !t.contains(email), "{name}");
            }
            assert!(!t.contains(OUTSIDER));
        }

        let out = f.dir.join("brev-alle.txt");
        let done = export_breach_letters(&mut f.reg, f.main, lang, LetterFormat::Text, false, &out)
            .unwrap();
        assert_eq!(done.letters, 1);
        assert!(!done.one_per_person);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
        assert_eq!(latest_event(&f.reg).fields[5], "to_all");
    }
}

#[test]
fn a_letter_goes_only_to_someone_affected() {
    let mut f = fixture(Lang::Nb);
    let err = build_breach_letter(&f.reg, f.main, Some(f.outsider), Lang::Nb).unwrap_err();
    assert_eq!(err.kind(), "input.invalid");
    let letter = build_breach_letter(&f.reg, f.main, Some(f.people[1]), Lang::Nb).unwrap();
    assert_eq!(letter.addressee, PEOPLE[1].0);
    assert_eq!(letter.salutation, format!("Hei {},", PEOPLE[1].0));
    // The letter's Debug keeps the name out.
    assert!(!format!("{letter:?}").contains(PEOPLE[1].0));

    // No one chosen yet: no letters, no file, no event.
    let events = f.reg.verify_audit().unwrap().events;
    let out = f.dir.join("ingen.pdf");
    let err = export_breach_letters(
        &mut f.reg,
        f.overdue,
        Lang::Nb,
        LetterFormat::Pdf,
        true,
        &out,
    )
    .unwrap_err();
    assert_eq!(err.kind(), "input.invalid");
    assert!(!out.exists());
    assert_eq!(f.reg.verify_audit().unwrap().events, events);
    assert_eq!(
        build_breach_log(&f.reg, Lang::Nb).unwrap().breaches.len(),
        3
    );
    let err = breach_notice_text(&f.reg, 9999, Lang::En).unwrap_err();
    assert_eq!(err.kind(), "not_found");
}
