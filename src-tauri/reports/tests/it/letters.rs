//! The reply letters as the person who asked reads them: requests are brought to each
//! state with the core's API (no data, refused, extended, erased with a record kept,
//! rectified, restricted, objection, access), and the PDF's text (poppler's
//! `pdftotext`) and the plain text are checked, in English and bokmål, for what a person
//! would look for: the organisation, the addressee, the reference and dates, the
//! ground and its article, what was kept and until when, Datatilsynet's address and
//! the judicial remedy. An open request has no reply and writes no file; an export is
//! audited without the letter's text.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use privreg_core::labels::{article, Labelled};
use privreg_core::model::*;
use privreg_core::store::requests::{
    Channel, Completion, NewRequest, RefusalGround, RequestKind, RequestStatus, Requester,
};
use privreg_core::templates::{self, Lang};
use privreg_core::{AuditEvent, AuditFilter, FixedClock, Register};
use privreg_reports::letter::{self, LetterKind, TEXT_WIDTH};
use privreg_reports::*;

use super::common::{keep, page_count, squash, tool};

const ORG: &str = "Fjordlys Rådgivning AS";
const KARI: &str = "Kari Nordmann";
const KARI_EMAIL: &str = "kari@nordmann.example.no";
const STRANGER: &str = "Ola Ukjent";
const HOSTILE: &str = "#read(\"/etc/passwd\") Ødegård";
const REFUSAL_REASON: &str =
    "Fakturaene til deg fra mars 2026 er regnskapsmateriale som bokføringsloven § 13 krever at vi oppbevarer.";
const EXTENSION_REASON: &str =
    "Vi har fått mange krav samtidig og må hente opplysninger fra flere systemer.";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    reg: Register,
    kari: Id,
    /// Someone with a client record only: erased completely.
    per: Id,
}

/// A register on 12 May 2026 with the accounting and client activities of the
/// templates, and Kari Nordmann with an invoice of 15 March 2026 (kept by the
/// Bookkeeping Act to 31 December 2031) and a client record.
fn fixture(lang: Lang) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letters.privreg");
    let mut reg =
        Register::create_unencrypted(&path, Arc::new(FixedClock::at("2026-05-12T09:30:00Z")))
            .unwrap();
    reg.set_actor("letter-tester");
    reg.set_controller(&Controller {
        organisation: ORG.into(),
        org_number: "999 888 777".into(),
        address: "Strandkaien 1, 5013 Bergen".into(),
        email: "personvern@fjordlys.example.no".into(),
        phone: "+47 55 00 00 00".into(),
        dpo: Some(Contact {
            name: "Åse Personvern".into(),
            email: "ombud@fjordlys.example.no".into(),
            ..Default::default()
        }),
        ..Default::default()
    })
    .unwrap();
    let books = reg
        .add_activity(&templates::activity("accounting", lang).unwrap())
        .unwrap();
    let clients = reg
        .add_activity(&templates::activity("client_information", lang).unwrap())
        .unwrap();
    let invoices = books
        .activity
        .data_categories
        .iter()
        .find(|c| c.name == "Invoices and receipts" || c.name == "Fakturaer og bilag")
        .unwrap()
        .name
        .clone();
    let client_category = clients.activity.data_categories[0].name.clone();
    let rec = |activity_id: Id, category: &str, value: &str, on: &str| NewRecord {
        activity_id,
        category: category.into(),
        value: value.into(),
        source: String::new(),
        collected_on: Some(d(on)),
    };
    let kari = reg
        .add_subject(&SubjectFields {
            name: KARI.into(),
            email: KARI_EMAIL.into(),
            phone: String::new(),
        })
        .unwrap()
        .id;
    reg.add_records(
        kari,
        &[
            rec(books.id, &invoices, "Faktura 2026-031", "2026-03-15"),
            rec(clients.id, &client_category, KARI, "2025-11-03"),
        ],
    )
    .unwrap();
    let per = reg
        .add_subject(&SubjectFields {
            name: "Per Borte".into(),
            email: "per@borte.example.no".into(),
            phone: String::new(),
        })
        .unwrap()
        .id;
    reg.add_record(
        per,
        &rec(clients.id, &client_category, "Per Borte", "2025-11-03"),
    )
    .unwrap();
    Fixture {
        dir: dir.path().to_path_buf(),
        _dir: dir,
        reg,
        kari,
        per,
    }
}

fn request(
    reg: &mut Register,
    kind: RequestKind,
    subject: Option<Id>,
    requester: &str,
    received_on: Option<NaiveDate>,
) -> Id {
    reg.add_request(&NewRequest {
        kind,
        subject_id: subject,
        requester: Requester {
            name: requester.into(),
            ..Default::default()
        },
        received_on,
        channel: Channel::default(),
        notes: String::new(),
    })
    .unwrap()
    .id
}

fn verified(reg: &mut Register, id: Id) {
    reg.verify_request_identity(id, "svar fra registrert e-postadresse", None)
        .unwrap();
}

/// The PDF's text without the footer that repeats on every page, so that a paragraph
/// split over two pages reads as one.
fn pdf_text(pdf: &[u8], lang: Lang) -> String {
    let text = tool("pdftotext", &["-raw", "-enc", "UTF-8"], pdf);
    let page = labels::label(lang, "page");
    let of = labels::label(lang, "of");
    text.lines()
        .filter(|line| {
            let t = line.trim();
            let footer = t.starts_with(&format!("{ORG} ")) && t.contains(" · ");
            let pages = t.starts_with(&format!("{page} ")) && t.contains(&format!(" {of} "));
            !(footer || pages)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_has(text: &str, needle: &str, what: &str) {
    assert!(
        squash(text).contains(&squash(needle)),
        "{what}: {needle:?} is not in the letter:\n{text}"
    );
}

/// The letter as PDF text and as plain text, both checked to be short and narrow.
fn both(letter: &ReplyLetter, name: &str) -> [String; 2] {
    let lang = Lang::parse(&letter.lang).unwrap();
    let pdf = render_reply(letter, LetterFormat::Pdf).unwrap();
    keep(&format!("{name}-{}.pdf", letter.lang), &pdf);
    assert!(pdf.starts_with(b"%PDF-"));
    let pages = page_count(&pdf);
    assert!((1..=2).contains(&pages), "{name}: {pages} pages");
    let text = String::from_utf8(render_reply(letter, LetterFormat::Text).unwrap()).unwrap();
    keep(&format!("{name}-{}.txt", letter.lang), text.as_bytes());
    assert_eq!(text, letter::text(letter));
    for line in text.lines() {
        assert!(
            line.chars().count() <= TEXT_WIDTH || !line.trim().contains(' '),
            "{name}: a line is wider than {TEXT_WIDTH}: {line:?}"
        );
    }
    [pdf_text(&pdf, lang), text]
}

/// What every letter says: who writes, to whom, about which request, the right to
/// complain to Datatilsynet with its address, and the right to a judicial remedy.
fn assert_every_letter(text: &str, letter: &ReplyLetter, lang: Lang, addressee: &str) {
    assert_has(text, ORG, "organisation");
    assert_has(text, "Strandkaien 1, 5013 Bergen", "organisation's address");
    assert_has(
        text,
        "personvern@fjordlys.example.no",
        "organisation's e-mail",
    );
    assert_has(text, "Åse Personvern", "data protection officer");
    if !addressee.is_empty() {
        assert_has(text, addressee, "addressee");
    }
    assert_has(text, &letter.reference, "reference");
    assert_has(text, &labels::date(lang, letter.received_on), "received");
    assert_has(text, &letter.date, "date");
    assert_has(text, "Datatilsynet", "supervisory authority");
    assert_has(text, "Postboks 458 Sentrum", "Datatilsynet's address");
    assert_has(text, "0105 Oslo", "Datatilsynet's address");
    assert_has(text, "postkasse@datatilsynet.no", "Datatilsynet's e-mail");
    assert_has(text, &article(lang, "Art. 77"), "complaint article");
    assert_has(text, &letter::judicial_remedy(lang), "judicial remedy");
    assert_has(
        text,
        labels::tr(lang, ("Yours sincerely,", "Med vennlig hilsen")),
        "closing",
    );
}

#[test]
fn no_data_held_is_confirmed_to_the_requester() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let id = request(
            &mut f.reg,
            RequestKind::Access,
            None,
            STRANGER,
            Some(d("2026-05-04")),
        );
        f.reg.answer_no_data(id).unwrap();
        let letter = build_reply(&f.reg, id, lang).unwrap();
        assert_eq!(letter.kind, LetterKind::NoData);
        assert_eq!(letter.addressee, STRANGER);
        for text in both(&letter, "no-data") {
            assert_every_letter(&text, &letter, lang, STRANGER);
            assert_has(
                &text,
                labels::tr(
                    lang,
                    (
                        "We hold no personal data about you",
                        "Vi har ingen personopplysninger om deg",
                    ),
                ),
                "no data",
            );
            assert_has(&text, &article(lang, "Art. 15(1)"), "article");
            assert_has(
                &text,
                labels::tr(lang, ("4 May 2026", "4. mai 2026")),
                "received",
            );
        }
    }
}

#[test]
fn a_refusal_gives_the_ground_its_article_the_reasons_and_the_remedies() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let id = request(&mut f.reg, RequestKind::Erasure, Some(f.kari), "", None);
        f.reg
            .refuse_request(id, RefusalGround::LegalObligation, REFUSAL_REASON)
            .unwrap();
        let letter = build_reply(&f.reg, id, lang).unwrap();
        assert_eq!(letter.kind, LetterKind::Refused);
        assert_eq!(letter.addressee, KARI, "the matched subject's name");
        let refusal = letter.refusal.as_ref().unwrap();
        let art = article(lang, RefusalGround::LegalObligation.article());
        assert_eq!(refusal.article.as_deref(), Some(art.as_str()));
        assert_eq!(
            art,
            labels::tr(lang, ("Art. 17(3)(b)", "art. 17 nr. 3 bokstav b"))
        );
        for text in both(&letter, "refused") {
            assert_every_letter(&text, &letter, lang, KARI);
            assert_has(
                &text,
                RefusalGround::LegalObligation.label(lang),
                "the ground",
            );
            assert_has(&text, &art, "the ground's article");
            assert_has(&text, REFUSAL_REASON, "the reasons");
            assert_has(&text, &article(lang, "Art. 12(4)"), "Art. 12(4)");
            if lang == Lang::Nb {
                assert_has(&text, "klage på avgjørelsen til Datatilsynet", "klage");
                assert_has(&text, "domstolene", "the courts");
            }
        }
    }
}

#[test]
fn an_extension_gives_the_new_deadline_the_months_and_the_reasons() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let id = request(
            &mut f.reg,
            RequestKind::Access,
            Some(f.kari),
            "",
            Some(d("2026-05-01")),
        );
        let extended = f
            .reg
            .extend_request(id, 2, EXTENSION_REASON, Some(d("2026-05-12")))
            .unwrap();
        assert_eq!(extended.status, RequestStatus::Extended);
        let letter = build_reply(&f.reg, id, lang).unwrap();
        assert_eq!(letter.kind, LetterKind::Extended);
        let ext = letter.extension.as_ref().unwrap();
        assert_eq!(ext.months, 2);
        assert_eq!(ext.due_on, d("2026-08-01"));
        assert_eq!(ext.due_on, extended.deadline.effective_due_on);
        for text in both(&letter, "extended") {
            assert_every_letter(&text, &letter, lang, KARI);
            assert_has(
                &text,
                labels::tr(lang, ("1 August 2026", "1. august 2026")),
                "new deadline",
            );
            assert_has(
                &text,
                labels::tr(lang, ("two further months", "to måneder")),
                "months",
            );
            assert_has(&text, EXTENSION_REASON, "reasons");
            assert_has(&text, &article(lang, "Art. 12(3)"), "Art. 12(3)");
        }
    }
}

#[test]
fn an_erasure_says_when_what_was_kept_why_and_until_when() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let id = request(&mut f.reg, RequestKind::Erasure, Some(f.kari), "", None);
        verified(&mut f.reg, id);
        let outcome = f.reg.complete_request(id, &Completion::Erasure).unwrap();
        assert_eq!(outcome.erasure.as_ref().unwrap().kept.len(), 1);
        let letter = build_reply(&f.reg, id, lang).unwrap();
        assert_eq!(letter.kind, LetterKind::Erasure);
        // Kari is still in the register with the invoice, restricted: her name is known.
        assert_eq!(letter.addressee, KARI);
        let erasure = letter.erasure.as_ref().unwrap();
        assert_eq!(erasure.erased_on, d("2026-05-12"));
        assert!(!erasure.complete);
        assert_eq!(erasure.kept.len(), 1);
        let kept = &erasure.kept[0];
        assert_eq!(kept.may_go_on, Some(d("2032-01-01")));
        assert_eq!(kept.ground, "legal_obligation");
        for text in both(&letter, "erased-kept") {
            assert_every_letter(&text, &letter, lang, KARI);
            assert_has(
                &text,
                labels::tr(lang, ("12 May 2026", "12. mai 2026")),
                "erased on",
            );
            assert_has(&text, &kept.category, "what was kept");
            assert_has(&text, &kept.activity, "what was kept");
            assert_has(
                &text,
                labels::tr(lang, ("Art. 17(3)(b)", "art. 17 nr. 3 bokstav b")),
                "why",
            );
            assert_has(&text, "bokføringsloven § 13", "the rule");
            assert_has(
                &text,
                labels::tr(lang, ("1 January 2032", "1. januar 2032")),
                "the first day it may go",
            );
            assert_has(
                &text,
                labels::tr(lang, ("restricted", "begrenset")),
                "restricted meanwhile",
            );
            assert_has(&text, &article(lang, "Art. 18"), "Art. 18");
        }
        // The invoice is not in the letter: only its category.
        assert!(!letter::text(&letter).contains("Faktura 2026-031"));
    }

    // Erased completely: no name is left to address the letter to.
    let mut f = fixture(Lang::En);
    let id = request(&mut f.reg, RequestKind::Erasure, Some(f.per), "Per", None);
    verified(&mut f.reg, id);
    f.reg.complete_request(id, &Completion::Erasure).unwrap();
    assert!(f.reg.subject(f.per).is_err());
    let letter = build_reply(&f.reg, id, Lang::En).unwrap();
    assert_eq!(letter.addressee, "");
    assert!(letter.erasure.as_ref().unwrap().complete);
    assert!(letter.erasure.as_ref().unwrap().kept.is_empty());
    for text in both(&letter, "erased-all") {
        assert_every_letter(&text, &letter, Lang::En, "");
        assert_has(&text, "Dear Sir or Madam,", "salutation");
        assert_has(
            &text,
            "No law required us to keep any of it.",
            "nothing kept",
        );
        assert!(!text.contains("Per Borte"));
    }
}

#[test]
fn rectification_restriction_and_objection_say_what_was_done() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let tr = |pair| labels::tr(lang, pair);

        let objection = request(&mut f.reg, RequestKind::Objection, Some(f.kari), "", None);
        f.reg
            .complete_request(objection, &Completion::Objection)
            .unwrap();
        let letter = build_reply(&f.reg, objection, lang).unwrap();
        assert_eq!(letter.kind, LetterKind::Objection);
        for text in both(&letter, "objection") {
            assert_every_letter(&text, &letter, lang, KARI);
            assert_has(
                &text,
                tr(("direct marketing", "direkte markedsføring")),
                "marketing",
            );
            assert_has(&text, &article(lang, "Art. 21(3)"), "Art. 21(3)");
        }

        let rectification = request(
            &mut f.reg,
            RequestKind::Rectification,
            Some(f.kari),
            "",
            None,
        );
        verified(&mut f.reg, rectification);
        f.reg
            .complete_request(
                rectification,
                &Completion::Rectification {
                    subject: Some(SubjectFields {
                        name: KARI.into(),
                        email: "kari.ny@nordmann.example.no".into(),
                        phone: String::new(),
                    }),
                    records: vec![],
                },
            )
            .unwrap();
        let letter = build_reply(&f.reg, rectification, lang).unwrap();
        assert_eq!(letter.kind, LetterKind::Rectification);
        for text in both(&letter, "rectification") {
            assert_every_letter(&text, &letter, lang, KARI);
            assert_has(
                &text,
                tr((
                    "What we corrected: your e-mail address.",
                    "Dette har vi rettet: e-postadressen din.",
                )),
                "what was corrected",
            );
            assert_has(&text, &article(lang, "Art. 16"), "Art. 16");
            assert_has(&text, &article(lang, "Art. 19"), "Art. 19");
        }

        let restriction = request(&mut f.reg, RequestKind::Restriction, Some(f.kari), "", None);
        verified(&mut f.reg, restriction);
        f.reg
            .complete_request(restriction, &Completion::Restriction)
            .unwrap();
        let letter = build_reply(&f.reg, restriction, lang).unwrap();
        assert_eq!(letter.kind, LetterKind::Restriction);
        for text in both(&letter, "restriction") {
            assert_every_letter(&text, &letter, lang, KARI);
            assert_has(&text, tr(("is restricted", "dine begrenset")), "restricted");
            assert_has(&text, &article(lang, "Art. 18(3)"), "Art. 18(3)");
            if lang == Lang::Nb {
                assert_has(&text, "begrensning av behandlingen", "Datatilsynet's word");
            }
        }
    }
}

#[test]
fn an_answered_access_request_says_what_is_enclosed() {
    for lang in [Lang::En, Lang::Nb] {
        let mut f = fixture(lang);
        let id = request(&mut f.reg, RequestKind::Access, Some(f.kari), "", None);
        verified(&mut f.reg, id);
        complete_access_request(
            &mut f.reg,
            id,
            AccessFormat::Pdf,
            lang,
            &f.dir.join("innsyn.pdf"),
        )
        .unwrap();
        let letter = build_reply(&f.reg, id, lang).unwrap();
        assert_eq!(letter.kind, LetterKind::Access);
        for text in both(&letter, "access") {
            assert_every_letter(&text, &letter, lang, KARI);
            assert_has(
                &text,
                labels::tr(
                    lang,
                    (
                        "Your access report: a copy of your personal data (PDF)",
                        "Innsynsrapporten din: en kopi av personopplysningene dine (PDF)",
                    ),
                ),
                "enclosure",
            );
            assert_has(&text, &article(lang, "Art. 15(3)"), "Art. 15(3)");
        }
    }
}

#[test]
fn an_open_request_has_no_reply_and_writes_no_file() {
    let mut f = fixture(Lang::Nb);
    let id = request(&mut f.reg, RequestKind::Access, Some(f.kari), "", None);
    let err = build_reply(&f.reg, id, Lang::Nb).unwrap_err();
    assert_eq!(err.kind(), "input.invalid");
    assert!(err.to_string().contains("no reply"), "{err}");
    f.reg.start_request(id).unwrap();
    let events = f.reg.verify_audit().unwrap().events;
    for format in [LetterFormat::Pdf, LetterFormat::Text] {
        let out = f.dir.join(format!("svar.{}", format.code()));
        let err = export_reply(&mut f.reg, id, Lang::Nb, format, &out).unwrap_err();
        assert_eq!(err.kind(), "input.invalid");
        assert!(!out.exists(), "a file was written for an open request");
    }
    assert_eq!(f.reg.verify_audit().unwrap().events, events);
    let err = build_reply(&f.reg, 9999, Lang::En).unwrap_err();
    assert_eq!(err.kind(), "not_found");
}

fn latest_event(reg: &Register) -> AuditEvent {
    reg.audit_log(AuditFilter::All, 1).unwrap().remove(0)
}

#[test]
fn an_export_is_written_owner_only_and_audited_without_the_letter() {
    let mut f = fixture(Lang::Nb);
    let stranger = request(&mut f.reg, RequestKind::Access, None, STRANGER, None);
    f.reg.answer_no_data(stranger).unwrap();
    let out = f.dir.join("svar-ola.txt");
    let before = f.reg.verify_audit().unwrap();
    let done = export_reply(&mut f.reg, stranger, Lang::Nb, LetterFormat::Text, &out).unwrap();
    assert_eq!((done.format, done.lang), ("txt", "nb"));
    assert_eq!(done.audit_head, before.head_hash);
    let written = std::fs::read(&out).unwrap();
    assert_eq!(done.bytes, written.len() as u64);
    let letter = build_reply(&f.reg, stranger, Lang::Nb).unwrap();
    assert_eq!(
        String::from_utf8(written).unwrap(),
        letter::text(&letter),
        "the file is the letter"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by others: {mode:o}");
    }
    let ev = latest_event(&f.reg);
    assert_eq!(ev.action, "report.created");
    assert_eq!((ev.entity.as_str(), ev.entity_id), ("register", None));
    assert_eq!(
        ev.fields,
        vec![
            "reply".to_string(),
            "txt".into(),
            "nb".into(),
            format!("request:{stranger}"),
            "kind:no_data".into(),
        ]
    );
    let printed = serde_json::to_string(&ev).unwrap();
    for secret in [STRANGER, "svar-ola", "personopplysninger"] {
        assert!(!printed.contains(secret), "{secret} in the audit log");
    }

    // A letter to a person in the register is in that person's history.
    let refused = request(&mut f.reg, RequestKind::Erasure, Some(f.kari), "", None);
    f.reg
        .refuse_request(refused, RefusalGround::LegalObligation, REFUSAL_REASON)
        .unwrap();
    let pdf = f.dir.join("avslag.pdf");
    export_reply(&mut f.reg, refused, Lang::En, LetterFormat::Pdf, &pdf).unwrap();
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let ev = latest_event(&f.reg);
    assert_eq!(
        (ev.entity.as_str(), ev.entity_id),
        ("subject", Some(f.kari))
    );
    assert_eq!(ev.subject_id, Some(f.kari));
    assert_eq!(&ev.fields[..3], ["reply", "pdf", "en"]);
    let printed = serde_json::to_string(&ev).unwrap();
    for secret in [KARI, "bokføringsloven", "avslag"] {
        assert!(!printed.contains(secret), "{secret} in the audit log");
    }
    assert!(f.reg.verify_audit().unwrap().first_broken.is_none());
}

#[test]
fn the_letter_model_keeps_personal_data_out_of_debug_and_prints_hostile_names_as_text() {
    let mut f = fixture(Lang::En);
    let refused = request(&mut f.reg, RequestKind::Erasure, Some(f.kari), "", None);
    f.reg
        .refuse_request(refused, RefusalGround::LegalObligation, REFUSAL_REASON)
        .unwrap();
    let letter = build_reply(&f.reg, refused, Lang::En).unwrap();
    let debug = format!("{letter:?}");
    for secret in [KARI, "Fakturaene", "bokføringsloven"] {
        assert!(!debug.contains(secret), "{secret} in Debug: {debug}");
    }

    let hostile = request(&mut f.reg, RequestKind::Access, None, HOSTILE, None);
    f.reg.answer_no_data(hostile).unwrap();
    let letter = build_reply(&f.reg, hostile, Lang::En).unwrap();
    let [pdf, text] = both(&letter, "hostile");
    assert_has(&pdf, HOSTILE, "hostile name in the PDF");
    assert!(text.contains(HOSTILE));
    assert!(!pdf.contains("root:"), "a file was read into the letter");
}
