//! The privacy notice (Art. 13, 14) as a reader checks it, on the demo register: the
//! text of the HTML names every processor, purpose, legal basis (with its article),
//! retention period and right that the activities in the notice hold, and nothing the
//! others hold (a processor no activity in the notice uses, an activity not in it);
//! in English and bokmål, as HTML, PDF and text; escaped; saved atomically and audited.

use std::collections::HashSet;
use std::process::Command;
use std::sync::Arc;

use privreg_core::labels::{self as core_labels, article, Labelled};
use privreg_core::model::*;
use privreg_core::store::notice::NoticeRight;
use privreg_core::templates::{self, Lang};
use privreg_core::{AuditFilter, FixedClock, Register};
use privreg_reports::notice::{notice_html, notice_pdf, notice_text, NOTICE_CSS};
use privreg_reports::*;

struct Demo {
    _dir: tempfile::TempDir,
    dir: std::path::PathBuf,
    reg: Register,
}

fn demo(lang: Lang) -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create_unencrypted(
        &dir.path().join("demo.privreg"),
        Arc::new(FixedClock::at("2026-05-12T09:30:00Z")),
    )
    .unwrap();
    privreg_core::demo::fill(
        &mut reg,
        &privreg_core::demo::Options {
            subjects: 30,
            seed: 2026,
            lang,
            batch: 30,
            showcase: false,
        },
        |_| {},
    )
    .unwrap();
    Demo {
        dir: dir.path().to_path_buf(),
        _dir: dir,
        reg,
    }
}

/// What a browser shows: the HTML without its tags and its style, entities read.
fn visible_text(html: &str) -> String {
    let style_start = html.find("<style>").unwrap();
    let style_end = html.find("</style>").unwrap() + "</style>".len();
    let html = format!("{}{}", &html[..style_start], &html[style_end..]);
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn retention_words(lang: Lang, r: &RetentionRule) -> Option<String> {
    r.duration.map(|p| {
        format!(
            "{} {}",
            core_labels::period(lang, p),
            core_labels::retention_trigger_after(lang, r.trigger)
        )
    })
}

/// The notice names what the activities in it hold, and not what the others hold.
fn check_both_ways(lang: Lang) {
    let d = demo(lang);
    let reg = &d.reg;
    let html = notice_html(&reg.notice_model().unwrap(), lang);
    let text = visible_text(&html);
    let activities = reg.activities().unwrap();
    let (inside, outside): (Vec<_>, Vec<_>) = activities
        .iter()
        .partition(|a| a.activity.in_notice && a.activity.status == ActivityStatus::Approved);
    assert!(inside.len() >= 5, "{}", inside.len());
    assert!(
        outside
            .iter()
            .any(|a| !a.activity.in_notice && a.activity.status == ActivityStatus::Approved),
        "the demo has an approved activity that is not in the notice (accounting)"
    );
    let missing = |what: &str| !text.contains(what);

    // Activities and purposes, both ways.
    let inside_purposes: HashSet<&str> = inside
        .iter()
        .flat_map(|a| a.activity.purposes.iter().map(String::as_str))
        .collect();
    for a in &inside {
        assert!(
            !missing(&a.activity.name),
            "{lang:?}: {} is missing",
            a.activity.name
        );
        for p in &a.activity.purposes {
            assert!(!missing(p), "{lang:?}: purpose {p:?} is missing");
        }
    }
    for a in &outside {
        assert!(
            missing(&a.activity.name),
            "{lang:?}: {} is not in the notice but named",
            a.activity.name
        );
        for p in a
            .activity
            .purposes
            .iter()
            .filter(|p| !inside_purposes.contains(p.as_str()))
        {
            assert!(
                missing(p),
                "{lang:?}: purpose {p:?} of {} is named",
                a.activity.name
            );
        }
    }

    // Processors by name, both ways.
    let used: HashSet<Id> = inside
        .iter()
        .flat_map(|a| a.activity.processor_ids.iter().copied())
        .collect();
    let processors = reg.processors().unwrap();
    let unused: Vec<&StoredProcessor> = processors
        .iter()
        .filter(|p| !used.contains(&p.id))
        .collect();
    assert!(
        !unused.is_empty(),
        "the demo has a processor no activity in the notice uses"
    );
    for p in &processors {
        if used.contains(&p.id) {
            assert!(
                !missing(&p.processor.name),
                "{lang:?}: processor {} is missing",
                p.processor.name
            );
        }
    }
    for p in &unused {
        assert!(
            missing(&p.processor.name),
            "{lang:?}: processor {} is named",
            p.processor.name
        );
    }

    // Legal bases with their articles, both ways.
    let bases: HashSet<LegalBasis> = inside
        .iter()
        .flat_map(|a| a.activity.legal_bases.iter().copied())
        .collect();
    for b in LegalBasis::ALL {
        let named = b.label_with_article(lang);
        if bases.contains(b) {
            assert!(!missing(&named), "{lang:?}: {named} is missing");
        } else {
            assert!(
                missing(&article(lang, b.article())),
                "{lang:?}: {named} is named"
            );
        }
    }

    // Every retention period of every category, both ways.
    let mut inside_rules = HashSet::new();
    for a in &inside {
        for c in &a.activity.data_categories {
            assert!(
                !missing(&c.name),
                "{lang:?}: category {} is missing",
                c.name
            );
            if let Some(words) = c.retention.as_ref().and_then(|r| retention_words(lang, r)) {
                assert!(
                    text.contains(&format!("{}: {words}", c.name)) || text.contains(&words),
                    "{lang:?}: retention of {} ({words}) is missing",
                    c.name
                );
                inside_rules.insert(words);
            }
        }
    }
    for a in &outside {
        for c in &a.activity.data_categories {
            if let Some(words) = c.retention.as_ref().and_then(|r| retention_words(lang, r)) {
                if !inside_rules.contains(&words) {
                    assert!(
                        missing(&words),
                        "{lang:?}: {words} of {} is named",
                        a.activity.name
                    );
                }
            }
        }
    }

    // The rights that apply, with their articles, and the ones that apply to all.
    let any_basis = |wanted: &[LegalBasis]| bases.iter().any(|b| wanted.contains(b));
    let mut rights = vec![
        NoticeRight::Access,
        NoticeRight::Rectification,
        NoticeRight::Erasure,
        NoticeRight::Restriction,
        NoticeRight::Complaint,
    ];
    if any_basis(&[LegalBasis::Consent, LegalBasis::Contract]) {
        rights.push(NoticeRight::Portability);
    }
    if any_basis(&[LegalBasis::LegitimateInterests, LegalBasis::PublicTask]) {
        rights.push(NoticeRight::Objection);
    }
    if inside.iter().any(|a| a.activity.direct_marketing) {
        rights.push(NoticeRight::ObjectDirectMarketing);
    }
    if any_basis(&[LegalBasis::Consent]) {
        rights.push(NoticeRight::WithdrawConsent);
    }
    assert!(
        rights.len() == NoticeRight::ALL.len(),
        "the demo uses every right"
    );
    for r in rights {
        let art = article(lang, r.article());
        assert!(!missing(&art), "{lang:?}: {:?} ({art}) is missing", r);
    }
    for r in [
        NoticeRight::Access,
        NoticeRight::Rectification,
        NoticeRight::Erasure,
        NoticeRight::Restriction,
        NoticeRight::Portability,
        NoticeRight::Objection,
    ] {
        assert!(!missing(&r.label_with_article(lang)), "{lang:?}: {r:?}");
    }

    // Who is responsible, the complaint to Datatilsynet, the date.
    for what in [
        "Fjordlys Rådgivning AS",
        "999 888 777",
        "personvern@fjordlys.example.no",
        "Datatilsynet",
        "Postboks 458 Sentrum",
        "www.datatilsynet.no",
    ] {
        assert!(!missing(what), "{lang:?}: {what} is missing");
    }
    assert!(!missing(&privreg_reports::labels::date(
        lang,
        chrono::NaiveDate::from_ymd_opt(2026, 5, 12).unwrap()
    )));
    // Transfers out of the EEA and their safeguard.
    assert!(!missing(
        &TransferSafeguard::AdequacyDecision.label_with_article(lang)
    ));

    // No person in the register is named.
    let people = reg
        .list_subjects(0, 100, privreg_core::SubjectSort::Name, false)
        .unwrap();
    for p in &people.items {
        assert!(
            missing(&p.name) && missing(&p.email),
            "a data subject is in the notice"
        );
    }
    keep(&format!("notice-{}.html", lang.code()), html.as_bytes());
}

#[test]
fn the_notice_names_what_the_register_holds_and_nothing_else_in_english() {
    check_both_ways(Lang::En);
}

#[test]
fn the_notice_names_what_the_register_holds_and_nothing_else_in_bokmal() {
    check_both_ways(Lang::Nb);
}

/// Keeps a copy for a person to look at when `REPORTS_OUT` names a folder.
fn keep(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("REPORTS_OUT") {
        std::fs::write(std::path::PathBuf::from(dir).join(name), bytes).unwrap();
    }
}

fn pdftotext(pdf: &[u8]) -> String {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(f.path())
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_pdf_and_the_text_say_what_the_html_says() {
    for lang in [Lang::En, Lang::Nb] {
        let d = demo(lang);
        let model = d.reg.notice_model().unwrap();
        let pdf = notice_pdf(&model, lang).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        keep(&format!("notice-{}.pdf", lang.code()), &pdf);
        // Words, as they read: a line may break anywhere between two of them.
        let text = pdftotext(&pdf)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let words = |en: &'static str, nb: &'static str| lang.pick(en, nb);
        for what in [
            words("Privacy notice", "Personvernerklæring"),
            "Fjordlys Rådgivning AS",
            words("Newsletter", "Nyhetsbrev"),
            "Mintra Trainingportal",
            "Datatilsynet",
            words("Page 1 of", "Side 1 av"),
        ] {
            assert!(text.contains(what), "{lang:?} PDF: {what} missing\n{text}");
        }
        assert!(
            !text.contains("Google Analytics"),
            "{lang:?}: unused processor"
        );
        let plain = notice_text(&model, lang);
        assert!(plain.contains("Mintra Trainingportal"));
        assert!(plain.contains("www.datatilsynet.no"));
        assert!(!plain.contains("Google Analytics"));
    }
}

#[test]
fn hostile_names_are_escaped_and_the_file_loads_nothing() {
    let mut d = demo(Lang::En);
    let mut a = templates::activity("newsletter", Lang::En).unwrap();
    a.name = "<script>alert(\"x\")</script> & Ødegård".into();
    a.notice_text = "<img src=x onerror=alert(1)>".into();
    a.status = ActivityStatus::Approved;
    d.reg.add_activity(&a).unwrap();
    let html = notice_html(&d.reg.notice_model().unwrap(), Lang::En);
    assert!(!html.contains("<script"), "a script tag got through");
    assert!(!html.contains("<img"), "an image tag got through");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Ødegård"));
    assert!(visible_text(&html).contains("<img src=x onerror=alert(1)>"));
    // One file: its style inline, nothing fetched, a policy that forbids the rest.
    assert!(html.contains(&format!("<style>{NOTICE_CSS}</style>")));
    assert!(html.contains("default-src 'none'"));
    for banned in ["src=\"", "href=", "url(", "@import", "<link"] {
        assert!(!html.contains(banned), "{banned}");
    }
}

#[test]
fn publishing_and_saving_the_notice_are_audited_and_a_version_is_saved_as_published() {
    let mut d = demo(Lang::Nb);
    let version = privreg_reports::publish_notice(&mut d.reg, Lang::Nb).unwrap();
    assert!(version.html.contains("Personvernerklæring"));
    assert_eq!(
        version.html,
        notice_html(&version.model, Lang::Nb),
        "the stored text is the model's"
    );
    let path = d.dir.join("personvernerklaering.html");
    let done = export_notice(
        &mut d.reg,
        Lang::En,
        NoticeFormat::Html,
        Some(version.id),
        &path,
    )
    .unwrap();
    assert_eq!(done.lang, "nb", "a version is saved in its own language");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), version.html);
    let events = d.reg.audit_log(AuditFilter::All, 1).unwrap();
    let event = &events[0];
    assert_eq!(event.action, "report.created");
    let version_field = format!("version:{}", version.id);
    assert_eq!(
        event.fields,
        ["notice", "html", "nb", version_field.as_str()]
    );

    let pdf = d.dir.join("privacy-notice.pdf");
    let done = export_notice(&mut d.reg, Lang::En, NoticeFormat::Pdf, None, &pdf).unwrap();
    assert_eq!((done.format, done.lang), ("pdf", "en"));
    assert!(pdftotext(&std::fs::read(&pdf).unwrap()).contains("Privacy notice"));
    let text = d.dir.join("privacy-notice.txt");
    export_notice(&mut d.reg, Lang::En, NoticeFormat::Text, None, &text).unwrap();
    assert!(std::fs::read_to_string(&text)
        .unwrap()
        .starts_with("Fjordlys Rådgivning AS\nPrivacy notice\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&text).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "owner-only");
    }
    // Into a folder that does not exist: nothing written, nothing audited.
    let before = d.reg.audit_log(AuditFilter::All, 1).unwrap()[0].seq;
    let err = export_notice(
        &mut d.reg,
        Lang::En,
        NoticeFormat::Html,
        None,
        &d.dir.join("missing/notice.html"),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "report.io");
    assert_eq!(d.reg.audit_log(AuditFilter::All, 1).unwrap()[0].seq, before);
}
