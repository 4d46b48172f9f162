//! The privacy notice (GDPR Art. 13 and 14), written from the register's
//! [`NoticeModel`] (privreg-core's `store::notice`): one self-contained HTML file to put
//! on the website ([`notice_html`]), a PDF ([`notice_pdf`]) and plain text
//! ([`notice_text`]), in English or Norwegian bokmål.
//!
//! Its sections and tone follow the notices small organisations publish (the two in
//! `../shared/seeds/`): who is responsible and how to reach them; what we process for
//! each purpose (what, why, the legal basis in plain words with its article, where the
//! data comes from, who receives it, the processors by name, transfers out of the EEA
//! and their safeguards, how long it is kept); automated decisions; your rights and how
//! to use them; withdrawing consent; objecting to direct marketing; complaining to
//! Datatilsynet; and the date it was last changed.
//!
//! [`document`] writes every sentence once, in the notice's language, into a
//! [`NoticeDocument`] of sections and blocks; the three renderers only place it, so the
//! HTML, the PDF (`templates/notice.typ`) and the text say the same words. The names of
//! the law's closed lists (legal bases, safeguards, rights) and the retention words
//! come from the core's label table; the sentences here are (English, bokmål) pairs.
//!
//! The HTML has no script and loads nothing: the style is inline ([`NOTICE_CSS`], whose
//! hash the app's content security policy lists so the preview in the window is styled
//! as the file is), a content security policy in the file forbids anything else, and
//! every text from the register is escaped. It is readable on a phone (a viewport, a
//! measure of 46rem, long words and addresses wrap).

use chrono::NaiveDate;
use privreg_core::labels::{self as core_labels, Labelled};
use privreg_core::model::{LegalBasis, ProcessorRole, RetentionRule};
use privreg_core::store::notice::{
    NoticeActivity, NoticeChange, NoticeController, NoticeModel, NoticeRight,
};
use privreg_core::Lang;
use serde::Serialize;

use crate::labels::{self, label, tr};
use crate::letter::{fill, underline, wrap, TEXT_WIDTH};
use crate::{pdf, ReportError, Result};

/// `schema` of the notice document (what the PDF template reads).
pub const SCHEMA: &str = "privreg.privacy_notice";
pub const SCHEMA_VERSION: u32 = 1;

/// The style of the HTML notice, inline in its `<style>` element exactly as it is here.
/// The window's content security policy (`tauri.conf.json`, `style-src`) lists its
/// SHA-256, so the preview in the window's sandboxed frame is styled like the file; a
/// test keeps the two in step.
pub const NOTICE_CSS: &str = include_str!("../templates/notice.css");

/// The file's own policy: nothing is loaded, nothing runs.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

type Pair = (&'static str, &'static str);

privreg_core::closed_list! {
    /// How a piece of a section is printed.
    pub enum NoticeBlockKind("notice block kind") {
        /// A heading inside a section: a processing activity's name.
        Heading = "heading",
        Paragraph = "paragraph",
        /// A label and its text ("Where the data comes from": "...").
        Fact = "fact",
        /// A label and bullet points.
        List = "list",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeBlock {
    pub kind: NoticeBlockKind,
    /// The label of a fact or a list; empty otherwise.
    pub label: String,
    pub text: String,
    pub items: Vec<String>,
}

impl NoticeBlock {
    fn heading(text: &str) -> Self {
        NoticeBlock {
            kind: NoticeBlockKind::Heading,
            label: String::new(),
            text: text.to_string(),
            items: Vec::new(),
        }
    }
    fn paragraph(text: impl Into<String>) -> Self {
        NoticeBlock {
            kind: NoticeBlockKind::Paragraph,
            label: String::new(),
            text: text.into(),
            items: Vec::new(),
        }
    }
    fn fact(label: &str, text: impl Into<String>) -> Self {
        NoticeBlock {
            kind: NoticeBlockKind::Fact,
            label: label.to_string(),
            text: text.into(),
            items: Vec::new(),
        }
    }
    fn list(label: &str, items: Vec<String>) -> Self {
        NoticeBlock {
            kind: NoticeBlockKind::List,
            label: label.to_string(),
            text: String::new(),
            items,
        }
    }
}

/// A part of the notice under its own heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeSection {
    /// A stable anchor: `controller`, `processing`, `automated`, `rights`, `consent`,
    /// `direct_marketing`, `complaint`, `changes`.
    pub id: String,
    pub heading: String,
    pub blocks: Vec<NoticeBlock>,
}

/// The notice as written, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeDocument {
    pub schema: String,
    pub schema_version: u32,
    /// `en` or `nb`.
    pub lang: String,
    pub title: String,
    pub organisation: String,
    /// The day the model was built (for a published version, the day it was
    /// published), in words.
    pub date: String,
    /// "Last changed 12 May 2026".
    pub last_changed: String,
    pub intro: Vec<String>,
    pub sections: Vec<NoticeSection>,
}

// ---------------------------------------------------------------------------------
// Sentences, (English, bokmål). `{...}` are filled in by `fill`.
// ---------------------------------------------------------------------------------

const TITLE: Pair = ("Privacy notice", "Personvernerklæring");
const LAST_CHANGED: Pair = ("Last changed {date}", "Sist endret {date}");
const WE: Pair = ("We", "Vi");
const INTRO: Pair = (
    "This privacy notice tells you how {org} collects and uses personal data, what rights you have and how to use them. It follows the General Data Protection Regulation (GDPR), Articles 13 and 14.",
    "Denne personvernerklæringen forteller hvordan {org} samler inn og bruker personopplysninger, hvilke rettigheter du har, og hvordan du bruker dem. Den følger personvernforordningen (GDPR) art. 13 og 14.",
);
const H_CONTROLLER: Pair = ("Who is responsible", "Behandlingsansvarlig");
const CONTROLLER_TEXT: Pair = (
    "{org} is the controller for the processing of personal data described here: we decide why and how the data is processed.",
    "{org} er behandlingsansvarlig for behandlingen av personopplysninger som er beskrevet her: vi bestemmer formålet med behandlingen og hvordan den skjer.",
);
const QUESTIONS: Pair = (
    "If you have questions about this privacy notice or about how we process your personal data, contact us at {contact}.",
    "Har du spørsmål om denne personvernerklæringen eller om hvordan vi behandler personopplysningene dine, kan du kontakte oss på {contact}.",
);
const DPO_TEXT: Pair = (
    "Our data protection officer (Art. 37-39)",
    "Personvernombudet vårt (art. 37-39)",
);
const REPRESENTATIVE_TEXT: Pair = (
    "Our representative in the EU/EEA (Art. 27)",
    "Representanten vår i EU/EØS (art. 27)",
);
const H_PROCESSING: Pair = ("What we process and why", "Hva vi behandler, og hvorfor");
const PROCESSING_TEXT: Pair = (
    "Each purpose is described below: what we collect, why, on which legal basis, where the data comes from, who receives it and how long we keep it.",
    "Nedenfor beskrives hvert formål: hvilke opplysninger vi samler inn, hvorfor, på hvilket behandlingsgrunnlag, hvor opplysningene kommer fra, hvem som mottar dem, og hvor lenge vi lagrer dem.",
);
const NO_PROCESSING: Pair = (
    "This notice describes no processing of personal data yet.",
    "Denne erklæringen beskriver ingen behandling av personopplysninger ennå.",
);
const L_PURPOSES: Pair = ("Why we process the data", "Formål");
const L_SUBJECTS: Pair = ("Whom it concerns", "Hvem det gjelder");
const L_CATEGORIES: Pair = ("What we collect", "Hvilke opplysninger vi behandler");
const SPECIAL: Pair = (
    "special category of personal data, Art. 9",
    "særlig kategori av personopplysninger, art. 9",
);
const CRIMINAL: Pair = (
    "data on criminal convictions and offences, Art. 10",
    "opplysninger om straffedommer og lovovertredelser, art. 10",
);
const L_BASES: Pair = ("Legal basis", "Behandlingsgrunnlag");
const BASIS: Pair = (
    "{basis}: we process the data because {why}.",
    "{basis}: vi behandler opplysningene fordi {why}.",
);
const L_ART9: Pair = (
    "Special categories of personal data",
    "Særlige kategorier av personopplysninger",
);
const L_INTEREST: Pair = ("Our legitimate interest", "Vår berettigede interesse");
const L_SOURCE: Pair = ("Where the data comes from", "Hvor opplysningene kommer fra");
const L_RECIPIENTS: Pair = ("Who receives the data", "Hvem som mottar opplysningene");
const L_PROCESSORS: Pair = (
    "Processors, who process the data on our behalf under a data processing agreement (Art. 28)",
    "Databehandlere, som behandler opplysningene på våre vegne etter en databehandleravtale (art. 28)",
);
const L_INDEPENDENT: Pair = (
    "Recipients that are responsible for their own processing",
    "Mottakere som selv er behandlingsansvarlige",
);
const L_JOINT: Pair = (
    "Joint controllers (Art. 26)",
    "Felles behandlingsansvarlige (art. 26)",
);
const L_TRANSFERS: Pair = ("Transfers out of the EU/EEA", "Overføring ut av EU/EØS");
const NO_TRANSFERS: Pair = (
    "The data is not transferred out of the EU/EEA.",
    "Opplysningene overføres ikke ut av EU/EØS.",
);
const L_RETENTION: Pair = ("How long we keep it", "Hvor lenge vi lagrer opplysningene");
const L_RETENTION_RULES: Pair = ("Storage period per category", "Lagringstid per kategori");
const UNTIL_FURTHER_NOTICE: Pair = ("until further notice", "inntil videre");
const NO_RULE: Pair = ("no storage period set", "ingen lagringstid satt");
const H_AUTOMATED: Pair = (
    "Automated decisions and profiling",
    "Automatiserte avgjørelser og profilering",
);
const NO_AUTOMATED: Pair = (
    "We do not make decisions about you based solely on automated processing, including profiling, that have legal or similarly significant effects for you (Art. 22).",
    "Vi treffer ingen avgjørelser om deg som utelukkende bygger på automatisert behandling, herunder profilering, og som har rettsvirkning eller tilsvarende betydning for deg (art. 22).",
);
const AUTOMATED_TEXT: Pair = (
    "What each of our purposes involves (Art. 22):",
    "Hva hvert av formålene våre innebærer (art. 22):",
);
const H_RIGHTS: Pair = ("Your rights", "Dine rettigheter");
const RIGHTS_TEXT: Pair = (
    "You have these rights for the personal data we process about you:",
    "Du har disse rettighetene når det gjelder personopplysningene vi behandler om deg:",
);
const ACCESS_TEXT: Pair = (
    "You may ask whether we process personal data about you, and get a copy of it with information about how we process it.",
    "Du kan be om å få vite om vi behandler personopplysninger om deg, og få en kopi av dem med informasjon om hvordan vi behandler dem.",
);
const APPLIES_TO: Pair = ("This applies to: {list}.", "Dette gjelder: {list}.");
const H_HOW: Pair = ("How to use your rights", "Slik bruker du rettighetene dine");
const HOW_TEXT: Pair = (
    "Contact us at {contact}. We answer without undue delay and at the latest within one month (Art. 12(3)). It is free of charge.",
    "Kontakt oss på {contact}. Du har krav på svar uten ugrunnet opphold, og senest innen en måned (art. 12 nr. 3). Det er gratis.",
);
const IDENTITY_TEXT: Pair = (
    "We may ask you to confirm who you are before we answer, so that we never give your data to someone else.",
    "Vi kan be deg bekrefte hvem du er før vi svarer, slik at vi aldri gir opplysningene dine til noen andre.",
);
const H_CONSENT: Pair = ("Withdrawing your consent", "Trekke tilbake samtykke");
const CONSENT_TEXT: Pair = (
    "Where we process your personal data on the basis of your consent, you may withdraw it at any time, as easily as you gave it (Art. 7(3)). Withdrawing it does not affect the processing that took place before.",
    "Der vi behandler personopplysningene dine på grunnlag av samtykke, kan du når som helst trekke samtykket tilbake, like enkelt som du ga det (art. 7 nr. 3). Tilbaketrekkingen påvirker ikke behandlingen som har skjedd før.",
);
const H_MARKETING: Pair = (
    "Objecting to direct marketing",
    "Protest mot direkte markedsføring",
);
const MARKETING_TEXT: Pair = (
    "You may at any time object to the use of your personal data for direct marketing (Art. 21(2)). We then stop using it for that purpose at once (Art. 21(3)). Tell us at {contact}, or use the unsubscribe link in our messages.",
    "Du kan når som helst protestere mot at personopplysningene dine brukes til direkte markedsføring (art. 21 nr. 2). Da slutter vi straks å bruke dem til dette formålet (art. 21 nr. 3). Si fra til oss på {contact}, eller bruk avmeldingslenken i meldingene våre.",
);
const H_COMPLAINT: Pair = ("Complaints to {authority}", "Klage til {authority}");
const THE_AUTHORITY: Pair = ("the supervisory authority", "tilsynsmyndigheten");
const CONTACT_US_FIRST: Pair = (
    "We would be glad to hear from you first, so that we can put things right.",
    "Vi setter pris på om du tar kontakt med oss først, slik at vi kan rette opp i det.",
);
const H_CHANGES: Pair = (
    "Changes to this privacy notice",
    "Endringer i denne personvernerklæringen",
);
const CHANGES_TEXT: Pair = (
    "We update this notice when we change how we process personal data. It was last changed on {date}.",
    "Vi oppdaterer erklæringen når vi endrer hvordan vi behandler personopplysninger. Den ble sist endret {date}.",
);

/// Why the data is processed under each legal basis, in plain words (Art. 12(1)); the
/// sentence is "we process the data because ...".
fn basis_why(b: LegalBasis) -> Pair {
    match b {
        LegalBasis::Consent => (
            "you have consented to it, and you may withdraw your consent at any time",
            "du har samtykket til det, og du kan når som helst trekke samtykket tilbake",
        ),
        LegalBasis::Contract => (
            "it is necessary to fulfil a contract with you, or to take steps you have asked for before a contract is entered into",
            "det er nødvendig for å oppfylle en avtale med deg, eller for å gjennomføre tiltak du har bedt om før en avtale inngås",
        ),
        LegalBasis::LegalObligation => (
            "a law requires us to",
            "loven pålegger oss det",
        ),
        LegalBasis::VitalInterests => (
            "it is necessary to protect someone's vital interests",
            "det er nødvendig for å verne noens vitale interesser",
        ),
        LegalBasis::PublicTask => (
            "it is necessary to carry out a task in the public interest or to exercise official authority",
            "det er nødvendig for å utføre en oppgave i allmennhetens interesse eller for å utøve offentlig myndighet",
        ),
        LegalBasis::LegitimateInterests => (
            "it is necessary for our legitimate interest, which we have weighed against your interests and rights",
            "det er nødvendig for å ivareta vår berettigede interesse, som vi har veid opp mot dine interesser og rettigheter",
        ),
    }
}

/// A retention rule in the notice's words: "1 month after unsubscribing", or "until
/// further notice: the reason", or "no storage period set".
pub fn retention_words(lang: Lang, rule: Option<&RetentionRule>) -> String {
    match rule {
        None => tr(lang, NO_RULE).to_string(),
        Some(r) => match r.duration {
            Some(p) => format!(
                "{} {}",
                core_labels::period(lang, p),
                core_labels::retention_trigger_after(lang, r.trigger)
            ),
            None => {
                let why = r.justification.trim();
                if why.is_empty() {
                    tr(lang, UNTIL_FURTHER_NOTICE).to_string()
                } else {
                    format!("{}: {why}", tr(lang, UNTIL_FURTHER_NOTICE))
                }
            }
        },
    }
}

/// "a, b and c" / "a, b og c".
fn and_list(lang: Lang, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), tr(lang, ("and", "og"))),
    }
}

fn nonempty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

fn organisation(lang: Lang, c: &NoticeController) -> String {
    nonempty(&c.organisation)
        .map(str::to_string)
        .unwrap_or_else(|| tr(lang, WE).to_string())
}

/// How people reach the controller about their data: the e-mail address, else the
/// contact person's, else the telephone, else the address.
fn reach(lang: Lang, c: &NoticeController) -> String {
    let person = c.contact_person.as_ref();
    nonempty(&c.email)
        .or_else(|| person.and_then(|p| nonempty(&p.email)))
        .or_else(|| nonempty(&c.phone))
        .or_else(|| person.and_then(|p| nonempty(&p.phone)))
        .or_else(|| nonempty(&c.address))
        .map(str::to_string)
        .unwrap_or_else(|| organisation(lang, c))
}

fn contact_line(c: &privreg_core::model::Contact) -> String {
    [&c.name, &c.email, &c.phone, &c.address]
        .iter()
        .filter_map(|s| nonempty(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The supervisory authority as the notice prints it: Datatilsynet with its full
/// contact details (name, address, e-mail, telephone, website) when the profile names
/// Datatilsynet or none, else the profile's text. And its name for the heading.
fn authority(lang: Lang, given: &str) -> (String, String) {
    let g = given.trim();
    if g.is_empty() || g.to_lowercase().starts_with("datatilsynet") {
        (
            "Datatilsynet".to_string(),
            labels::datatilsynet(lang).to_string(),
        )
    } else {
        (tr(lang, THE_AUTHORITY).to_string(), g.to_string())
    }
}

fn category_line(lang: Lang, c: &privreg_core::store::notice::NoticeCategory) -> String {
    if c.special {
        format!("{} ({})", c.name, tr(lang, SPECIAL))
    } else if c.criminal {
        format!("{} ({})", c.name, tr(lang, CRIMINAL))
    } else {
        c.name.clone()
    }
}

/// The retention rules, one line per rule naming the categories it covers, in the
/// categories' order: "Name, E-mail address: 1 month after unsubscribing".
fn retention_lines(lang: Lang, a: &NoticeActivity) -> Vec<String> {
    let mut rules: Vec<(String, Vec<&str>)> = Vec::new();
    for c in &a.data_categories {
        let words = retention_words(lang, c.retention.as_ref());
        match rules.iter_mut().find(|(w, _)| *w == words) {
            Some((_, names)) => names.push(c.name.as_str()),
            None => rules.push((words, vec![c.name.as_str()])),
        }
    }
    rules
        .into_iter()
        .map(|(words, names)| format!("{}: {words}", names.join(", ")))
        .collect()
}

fn processor_line(p: &privreg_core::store::notice::NoticeProcessor) -> String {
    match nonempty(&p.country) {
        Some(country) => format!("{} ({country})", p.name),
        None => p.name.clone(),
    }
}

fn activity_blocks(lang: Lang, a: &NoticeActivity, out: &mut Vec<NoticeBlock>) {
    out.push(NoticeBlock::heading(&a.name));
    if let Some(text) = nonempty(&a.notice_text) {
        out.push(NoticeBlock::paragraph(text));
    }
    if !a.purposes.is_empty() {
        out.push(NoticeBlock::list(tr(lang, L_PURPOSES), a.purposes.clone()));
    }
    if !a.subject_categories.is_empty() {
        out.push(NoticeBlock::list(
            tr(lang, L_SUBJECTS),
            a.subject_categories.clone(),
        ));
    }
    if !a.data_categories.is_empty() {
        out.push(NoticeBlock::list(
            tr(lang, L_CATEGORIES),
            a.data_categories
                .iter()
                .map(|c| category_line(lang, c))
                .collect(),
        ));
    }
    out.push(NoticeBlock::list(
        tr(lang, L_BASES),
        if a.legal_bases.is_empty() {
            vec![label(lang, "not_stated").to_string()]
        } else {
            a.legal_bases
                .iter()
                .map(|b| {
                    fill(
                        lang,
                        BASIS,
                        &[
                            ("basis", b.label_with_article(lang).as_str()),
                            ("why", tr(lang, basis_why(*b))),
                        ],
                    )
                })
                .collect()
        },
    ));
    if let Some(c) = a.art9_condition {
        out.push(NoticeBlock::fact(
            tr(lang, L_ART9),
            c.label_with_article(lang),
        ));
    }
    if let Some(interest) = nonempty(&a.legitimate_interest) {
        out.push(NoticeBlock::fact(tr(lang, L_INTEREST), interest));
    }
    if let Some(source) = nonempty(&a.source) {
        out.push(NoticeBlock::fact(tr(lang, L_SOURCE), source));
    }
    if !a.recipients.is_empty() {
        out.push(NoticeBlock::list(
            tr(lang, L_RECIPIENTS),
            a.recipients.clone(),
        ));
    }
    let (independent, processors): (Vec<_>, Vec<_>) = a
        .processors
        .iter()
        .partition(|p| p.role == ProcessorRole::Recipient);
    if !processors.is_empty() {
        out.push(NoticeBlock::list(
            tr(lang, L_PROCESSORS),
            processors.iter().map(|p| processor_line(p)).collect(),
        ));
    }
    if !independent.is_empty() {
        out.push(NoticeBlock::list(
            tr(lang, L_INDEPENDENT),
            independent.iter().map(|p| processor_line(p)).collect(),
        ));
    }
    if !a.joint_controllers.is_empty() {
        out.push(NoticeBlock::list(
            tr(lang, L_JOINT),
            a.joint_controllers
                .iter()
                .map(|j| match nonempty(&j.responsibilities) {
                    Some(r) => format!("{}: {r}", j.name.trim()),
                    None => j.name.trim().to_string(),
                })
                .collect(),
        ));
    }
    if a.transfers.is_empty() {
        out.push(NoticeBlock::fact(
            tr(lang, L_TRANSFERS),
            tr(lang, NO_TRANSFERS),
        ));
    } else {
        out.push(NoticeBlock::list(
            tr(lang, L_TRANSFERS),
            a.transfers
                .iter()
                .map(|t| {
                    let to = match nonempty(&t.recipient) {
                        Some(r) => format!("{}, {r}", t.country.trim()),
                        None => t.country.trim().to_string(),
                    };
                    let mut line = format!("{to}: {}.", t.safeguard.label_with_article(lang));
                    if let Some(doc) = nonempty(&t.documentation) {
                        line.push(' ');
                        line.push_str(doc);
                    }
                    line
                })
                .collect(),
        ));
    }
    out.push(NoticeBlock::fact(
        tr(lang, L_RETENTION),
        nonempty(&a.retention_summary)
            .unwrap_or(label(lang, "not_stated"))
            .to_string(),
    ));
    if !a.data_categories.is_empty() {
        out.push(NoticeBlock::list(
            tr(lang, L_RETENTION_RULES),
            retention_lines(lang, a),
        ));
    }
}

/// The names of the activities that have `right`.
fn activities_with(model: &NoticeModel, right: NoticeRight) -> Vec<String> {
    model
        .activities
        .iter()
        .filter(|a| a.rights.contains(&right))
        .map(|a| a.name.clone())
        .collect()
}

/// What a right lets the person do: the access report's explanations for the rights
/// it lists, and the one for access.
fn right_explanation(lang: Lang, right: NoticeRight) -> String {
    if right == NoticeRight::Access {
        return tr(lang, ACCESS_TEXT).to_string();
    }
    labels::subject_rights(lang)
        .into_iter()
        .find(|(code, ..)| *code == right.code())
        .map(|(_, _, _, text)| text.to_string())
        .unwrap_or_default()
}

/// Writes the notice: every sentence, in `lang`, from the model alone.
pub fn document(model: &NoticeModel, lang: Lang) -> NoticeDocument {
    let c = &model.controller;
    let org = organisation(lang, c);
    let contact = reach(lang, c);
    let date = labels::date(lang, model.date);
    let mut sections = Vec::new();

    // Who is responsible and how to reach them (Art. 13(1)(a)-(b)).
    let mut blocks = vec![NoticeBlock::paragraph(fill(
        lang,
        CONTROLLER_TEXT,
        &[("org", &org)],
    ))];
    for (key, value) in [
        ("org_number", &c.org_number),
        ("address", &c.address),
        ("email", &c.email),
        ("phone", &c.phone),
        ("website", &c.website),
    ] {
        if let Some(v) = nonempty(value) {
            blocks.push(NoticeBlock::fact(label(lang, key), v));
        }
    }
    if let Some(dpo) = c.dpo.as_ref().map(contact_line).filter(|s| !s.is_empty()) {
        blocks.push(NoticeBlock::fact(tr(lang, DPO_TEXT), dpo));
    }
    if let Some(rep) = c
        .representative
        .as_ref()
        .map(contact_line)
        .filter(|s| !s.is_empty())
    {
        blocks.push(NoticeBlock::fact(tr(lang, REPRESENTATIVE_TEXT), rep));
    }
    blocks.push(NoticeBlock::paragraph(fill(
        lang,
        QUESTIONS,
        &[("contact", &contact)],
    )));
    sections.push(section("controller", tr(lang, H_CONTROLLER), blocks));

    // Each purpose (Art. 13(1)(c)-(f), 13(2)(a), 14(1)(d), 14(2)(f)).
    let mut blocks = vec![NoticeBlock::paragraph(tr(
        lang,
        if model.activities.is_empty() {
            NO_PROCESSING
        } else {
            PROCESSING_TEXT
        },
    ))];
    for a in &model.activities {
        activity_blocks(lang, a, &mut blocks);
    }
    sections.push(section("processing", tr(lang, H_PROCESSING), blocks));

    // Automated decisions (Art. 13(2)(f), 22).
    let automated: Vec<String> = model
        .activities
        .iter()
        .filter_map(|a| nonempty(&a.automated_decisions).map(|t| format!("{}: {t}", a.name)))
        .collect();
    let blocks = if automated.is_empty() {
        vec![NoticeBlock::paragraph(tr(lang, NO_AUTOMATED))]
    } else {
        vec![
            NoticeBlock::paragraph(tr(lang, AUTOMATED_TEXT)),
            NoticeBlock::list("", automated),
        ]
    };
    sections.push(section("automated", tr(lang, H_AUTOMATED), blocks));

    // The rights and how to use them (Art. 13(2)(b), 12(3)).
    let mut items = Vec::new();
    for &right in &model.rights {
        if matches!(
            right,
            NoticeRight::WithdrawConsent
                | NoticeRight::ObjectDirectMarketing
                | NoticeRight::Complaint
        ) {
            continue;
        }
        let mut line = format!(
            "{}: {}",
            right.label_with_article(lang),
            right_explanation(lang, right)
        );
        if matches!(right, NoticeRight::Portability | NoticeRight::Objection) {
            let list = and_list(lang, &activities_with(model, right));
            if !list.is_empty() {
                line.push(' ');
                line.push_str(&fill(lang, APPLIES_TO, &[("list", &list)]));
            }
        }
        items.push(line);
    }
    let blocks = vec![
        NoticeBlock::paragraph(tr(lang, RIGHTS_TEXT)),
        NoticeBlock::list("", items),
        NoticeBlock::heading(tr(lang, H_HOW)),
        NoticeBlock::paragraph(fill(lang, HOW_TEXT, &[("contact", &contact)])),
        NoticeBlock::paragraph(tr(lang, IDENTITY_TEXT)),
    ];
    sections.push(section("rights", tr(lang, H_RIGHTS), blocks));

    // Withdrawing consent (Art. 7(3), 13(2)(c)).
    if model.rights.contains(&NoticeRight::WithdrawConsent) {
        let list = and_list(lang, &activities_with(model, NoticeRight::WithdrawConsent));
        sections.push(section(
            "consent",
            tr(lang, H_CONSENT),
            vec![
                NoticeBlock::paragraph(tr(lang, CONSENT_TEXT)),
                NoticeBlock::paragraph(fill(lang, APPLIES_TO, &[("list", &list)])),
            ],
        ));
    }

    // Objecting to direct marketing (Art. 21(2)-(4)).
    if model.rights.contains(&NoticeRight::ObjectDirectMarketing) {
        let list = and_list(
            lang,
            &activities_with(model, NoticeRight::ObjectDirectMarketing),
        );
        sections.push(section(
            "direct_marketing",
            tr(lang, H_MARKETING),
            vec![
                NoticeBlock::paragraph(fill(lang, MARKETING_TEXT, &[("contact", &contact)])),
                NoticeBlock::paragraph(fill(lang, APPLIES_TO, &[("list", &list)])),
            ],
        ));
    }

    // The complaint to the supervisory authority (Art. 13(2)(d), 77).
    let (name, details) = authority(lang, &c.supervisory_authority);
    sections.push(section(
        "complaint",
        &fill(lang, H_COMPLAINT, &[("authority", &name)]),
        vec![
            NoticeBlock::paragraph(format!("{} {}", label(lang, "complaint_text"), details)),
            NoticeBlock::paragraph(tr(lang, CONTACT_US_FIRST)),
        ],
    ));

    // The date it was last changed.
    sections.push(section(
        "changes",
        tr(lang, H_CHANGES),
        vec![NoticeBlock::paragraph(fill(
            lang,
            CHANGES_TEXT,
            &[("date", &date)],
        ))],
    ));

    NoticeDocument {
        schema: SCHEMA.to_string(),
        schema_version: SCHEMA_VERSION,
        lang: lang.code().to_string(),
        title: tr(lang, TITLE).to_string(),
        organisation: nonempty(&c.organisation).unwrap_or_default().to_string(),
        last_changed: fill(lang, LAST_CHANGED, &[("date", &date)]),
        date,
        intro: vec![fill(lang, INTRO, &[("org", &org)])],
        sections,
    }
}

fn section(id: &str, heading: &str, blocks: Vec<NoticeBlock>) -> NoticeSection {
    NoticeSection {
        id: id.to_string(),
        heading: heading.to_string(),
        blocks,
    }
}

// ---------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------

/// Text made safe for HTML, in element content and in quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The notice as one self-contained HTML file: no script, nothing loaded, the style
/// inline ([`NOTICE_CSS`]), every text escaped.
pub fn notice_html(model: &NoticeModel, lang: Lang) -> String {
    html_of(&document(model, lang))
}

/// A document as HTML.
pub fn html_of(d: &NoticeDocument) -> String {
    let e = escape;
    let mut h = String::new();
    let title = match nonempty(&d.organisation) {
        Some(org) => format!("{} – {org}", d.title),
        None => d.title.clone(),
    };
    h.push_str("<!DOCTYPE html>\n");
    h.push_str(&format!("<html lang=\"{}\">\n<head>\n", e(&d.lang)));
    h.push_str("<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
    ));
    h.push_str("<meta name=\"generator\" content=\"Privacy Register\">\n");
    h.push_str(&format!("<title>{}</title>\n", e(&title)));
    h.push_str("<style>");
    h.push_str(NOTICE_CSS);
    h.push_str("</style>\n</head>\n<body>\n<main>\n<header>\n");
    if let Some(org) = nonempty(&d.organisation) {
        h.push_str(&format!("<p class=\"org\">{}</p>\n", e(org)));
    }
    h.push_str(&format!("<h1>{}</h1>\n", e(&d.title)));
    h.push_str(&format!(
        "<p class=\"date\">{}</p>\n</header>\n",
        e(&d.last_changed)
    ));
    for p in &d.intro {
        h.push_str(&format!("<p>{}</p>\n", e(p)));
    }
    for s in &d.sections {
        let id = e(&s.id);
        h.push_str(&format!(
            "<section id=\"{id}\" aria-labelledby=\"{id}-title\">\n<h2 id=\"{id}-title\">{}</h2>\n",
            e(&s.heading)
        ));
        for b in &s.blocks {
            match b.kind {
                NoticeBlockKind::Heading => h.push_str(&format!("<h3>{}</h3>\n", e(&b.text))),
                NoticeBlockKind::Paragraph => h.push_str(&format!("<p>{}</p>\n", e(&b.text))),
                NoticeBlockKind::Fact => h.push_str(&format!(
                    "<div class=\"fact\">\n<p class=\"label\">{}</p>\n<p>{}</p>\n</div>\n",
                    e(&b.label),
                    e(&b.text)
                )),
                NoticeBlockKind::List => {
                    h.push_str("<div class=\"fact\">\n");
                    if !b.label.is_empty() {
                        h.push_str(&format!("<p class=\"label\">{}</p>\n", e(&b.label)));
                    }
                    h.push_str("<ul>\n");
                    for item in &b.items {
                        h.push_str(&format!("<li>{}</li>\n", e(item)));
                    }
                    h.push_str("</ul>\n</div>\n");
                }
            }
        }
        h.push_str("</section>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

// ---------------------------------------------------------------------------------
// Plain text and PDF
// ---------------------------------------------------------------------------------

/// The notice as plain text, wrapped to [`TEXT_WIDTH`] columns.
pub fn notice_text(model: &NoticeModel, lang: Lang) -> String {
    text_of(&document(model, lang))
}

/// A document as plain text.
pub fn text_of(d: &NoticeDocument) -> String {
    let w = TEXT_WIDTH;
    let mut out: Vec<String> = Vec::new();
    if !d.organisation.is_empty() {
        out.push(d.organisation.clone());
    }
    let title = wrap(&d.title, w, "", "");
    let rule = underline(&title, '=');
    out.push(title);
    out.push(rule);
    out.push(d.last_changed.clone());
    for p in &d.intro {
        out.push(String::new());
        out.push(wrap(p, w, "", ""));
    }
    for s in &d.sections {
        out.push(String::new());
        out.push(String::new());
        let heading = wrap(&s.heading, w, "", "");
        let rule = underline(&heading, '-');
        out.push(heading);
        out.push(rule);
        for b in &s.blocks {
            out.push(String::new());
            match b.kind {
                NoticeBlockKind::Heading => {
                    let heading = wrap(&b.text, w, "", "");
                    let rule = underline(&heading, '~');
                    out.push(heading);
                    out.push(rule);
                }
                NoticeBlockKind::Paragraph => out.push(wrap(&b.text, w, "", "")),
                NoticeBlockKind::Fact => {
                    out.push(wrap(&format!("{}:", b.label), w, "", ""));
                    out.push(wrap(&b.text, w, "  ", "  "));
                }
                NoticeBlockKind::List => {
                    if !b.label.is_empty() {
                        out.push(wrap(&format!("{}:", b.label), w, "", ""));
                    }
                    for item in &b.items {
                        out.push(wrap(item, w, "- ", "  "));
                    }
                }
            }
        }
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// The notice as a PDF (A4, PDF/A-2b, tagged), typeset from `templates/notice.typ`.
pub fn notice_pdf(model: &NoticeModel, lang: Lang) -> Result<Vec<u8>> {
    let doc = document(model, lang);
    let data = serde_json::json!({
        "labels": labels::dictionary(lang),
        "articles": labels::article_dictionary(lang),
        "report": serde_json::to_value(&doc).map_err(|e| ReportError::Render(e.to_string()))?,
    });
    pdf::render(pdf::Template::Notice, &data, noon(model.date))
}

/// The PDF's creation date: the day the model was built.
fn noon(d: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

// ---------------------------------------------------------------------------------
// What changed, in words (the command line; the window has its own translations)
// ---------------------------------------------------------------------------------

fn bases_words(lang: Lang, bases: &[LegalBasis]) -> String {
    if bases.is_empty() {
        return label(lang, "none").to_lowercase();
    }
    bases
        .iter()
        .map(|b| b.label_with_article(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One change between two versions of the notice, as a sentence in `lang`.
pub fn change_text(lang: Lang, change: &NoticeChange) -> String {
    use NoticeChange as C;
    match change {
        C::ControllerChanged { fields } => {
            let names: Vec<String> = fields
                .iter()
                .map(|k| match k.as_str() {
                    "organisation"
                    | "org_number"
                    | "address"
                    | "email"
                    | "phone"
                    | "website"
                    | "contact_person"
                    | "dpo"
                    | "representative"
                    | "supervisory_authority" => label(lang, k).to_string(),
                    other => other.to_string(),
                })
                .collect();
            fill(
                lang,
                (
                    "The controller's contact details changed: {fields}.",
                    "Kontaktopplysningene til den behandlingsansvarlige er endret: {fields}.",
                ),
                &[("fields", &names.join(", "))],
            )
        }
        C::ActivityAdded { activity } => fill(
            lang,
            (
                "New in the notice: {activity}.",
                "Nytt i erklæringen: {activity}.",
            ),
            &[("activity", activity)],
        ),
        C::ActivityRemoved { activity } => fill(
            lang,
            (
                "No longer in the notice: {activity}.",
                "Ikke lenger i erklæringen: {activity}.",
            ),
            &[("activity", activity)],
        ),
        C::ActivityRenamed { from, to } => fill(
            lang,
            ("{from} is now called {to}.", "{from} heter nå {to}."),
            &[("from", from), ("to", to)],
        ),
        C::NoticeTextChanged { activity } => fill(
            lang,
            (
                "{activity}: the description changed.",
                "{activity}: beskrivelsen er endret.",
            ),
            &[("activity", activity)],
        ),
        C::PurposeAdded { activity, purpose } => fill(
            lang,
            (
                "{activity}: new purpose: {purpose}.",
                "{activity}: nytt formål: {purpose}.",
            ),
            &[("activity", activity), ("purpose", purpose)],
        ),
        C::PurposeRemoved { activity, purpose } => fill(
            lang,
            (
                "{activity}: purpose removed: {purpose}.",
                "{activity}: formål fjernet: {purpose}.",
            ),
            &[("activity", activity), ("purpose", purpose)],
        ),
        C::SubjectCategoryAdded { activity, subjects } => fill(
            lang,
            (
                "{activity}: now also concerns {subjects}.",
                "{activity}: gjelder nå også {subjects}.",
            ),
            &[("activity", activity), ("subjects", subjects)],
        ),
        C::SubjectCategoryRemoved { activity, subjects } => fill(
            lang,
            (
                "{activity}: no longer concerns {subjects}.",
                "{activity}: gjelder ikke lenger {subjects}.",
            ),
            &[("activity", activity), ("subjects", subjects)],
        ),
        C::DataCategoryAdded { activity, category } => fill(
            lang,
            (
                "{activity}: new category of personal data: {category}.",
                "{activity}: ny kategori av personopplysninger: {category}.",
            ),
            &[("activity", activity), ("category", category)],
        ),
        C::DataCategoryRemoved { activity, category } => fill(
            lang,
            (
                "{activity}: category of personal data removed: {category}.",
                "{activity}: kategori av personopplysninger fjernet: {category}.",
            ),
            &[("activity", activity), ("category", category)],
        ),
        C::RetentionChanged {
            activity,
            category,
            from,
            to,
        } => fill(
            lang,
            (
                "Retention of {category} in {activity} changed from {from} to {to}.",
                "Lagringstiden for {category} i {activity} er endret fra {from} til {to}.",
            ),
            &[
                ("activity", activity),
                ("category", category),
                ("from", &retention_words(lang, from.as_ref())),
                ("to", &retention_words(lang, to.as_ref())),
            ],
        ),
        C::RetentionSummaryChanged { activity } => fill(
            lang,
            (
                "{activity}: the description of how long data is kept changed.",
                "{activity}: beskrivelsen av lagringstiden er endret.",
            ),
            &[("activity", activity)],
        ),
        C::LegalBasisChanged { activity, from, to } => fill(
            lang,
            (
                "{activity}: the legal basis changed from {from} to {to}.",
                "{activity}: behandlingsgrunnlaget er endret fra {from} til {to}.",
            ),
            &[
                ("activity", activity),
                ("from", &bases_words(lang, from)),
                ("to", &bases_words(lang, to)),
            ],
        ),
        C::Art9ConditionChanged { activity, from, to } => {
            let words = |c: &Option<privreg_core::model::Art9Condition>| match c {
                Some(c) => c.label_with_article(lang),
                None => label(lang, "none").to_lowercase(),
            };
            fill(
                lang,
                (
                    "{activity}: the condition for special categories changed from {from} to {to}.",
                    "{activity}: vilkåret for særlige kategorier er endret fra {from} til {to}.",
                ),
                &[
                    ("activity", activity),
                    ("from", &words(from)),
                    ("to", &words(to)),
                ],
            )
        }
        C::LegitimateInterestChanged { activity } => fill(
            lang,
            (
                "{activity}: the legitimate interest changed.",
                "{activity}: den berettigede interessen er endret.",
            ),
            &[("activity", activity)],
        ),
        C::SourceChanged { activity } => fill(
            lang,
            (
                "{activity}: where the data comes from changed.",
                "{activity}: hvor opplysningene kommer fra, er endret.",
            ),
            &[("activity", activity)],
        ),
        C::RecipientAdded {
            activity,
            recipient,
        } => fill(
            lang,
            (
                "{activity}: new recipient: {recipient}.",
                "{activity}: ny mottaker: {recipient}.",
            ),
            &[("activity", activity), ("recipient", recipient)],
        ),
        C::RecipientRemoved {
            activity,
            recipient,
        } => fill(
            lang,
            (
                "{activity}: recipient removed: {recipient}.",
                "{activity}: mottaker fjernet: {recipient}.",
            ),
            &[("activity", activity), ("recipient", recipient)],
        ),
        C::ProcessorAdded {
            activity,
            processor,
        } => fill(
            lang,
            (
                "{activity}: new processor: {processor}.",
                "{activity}: ny databehandler: {processor}.",
            ),
            &[("activity", activity), ("processor", processor)],
        ),
        C::ProcessorRemoved {
            activity,
            processor,
        } => fill(
            lang,
            (
                "{activity}: processor removed: {processor}.",
                "{activity}: databehandler fjernet: {processor}.",
            ),
            &[("activity", activity), ("processor", processor)],
        ),
        C::JointControllerAdded { activity, name } => fill(
            lang,
            (
                "{activity}: new joint controller: {name}.",
                "{activity}: ny felles behandlingsansvarlig: {name}.",
            ),
            &[("activity", activity), ("name", name)],
        ),
        C::JointControllerRemoved { activity, name } => fill(
            lang,
            (
                "{activity}: joint controller removed: {name}.",
                "{activity}: felles behandlingsansvarlig fjernet: {name}.",
            ),
            &[("activity", activity), ("name", name)],
        ),
        C::TransferAdded {
            activity,
            country,
            recipient,
        } => fill(
            lang,
            (
                "{activity}: new transfer out of the EU/EEA: {to}.",
                "{activity}: ny overføring ut av EU/EØS: {to}.",
            ),
            &[
                ("activity", activity),
                ("to", &transfer_to(country, recipient)),
            ],
        ),
        C::TransferRemoved {
            activity,
            country,
            recipient,
        } => fill(
            lang,
            (
                "{activity}: transfer out of the EU/EEA removed: {to}.",
                "{activity}: overføring ut av EU/EØS fjernet: {to}.",
            ),
            &[
                ("activity", activity),
                ("to", &transfer_to(country, recipient)),
            ],
        ),
        C::AutomatedDecisionsChanged { activity } => fill(
            lang,
            (
                "{activity}: what it says about automated decisions changed.",
                "{activity}: opplysningene om automatiserte avgjørelser er endret.",
            ),
            &[("activity", activity)],
        ),
        C::RightAdded { right } => fill(
            lang,
            (
                "New right in the notice: {right}.",
                "Ny rettighet i erklæringen: {right}.",
            ),
            &[("right", &right.label_with_article(lang))],
        ),
        C::RightRemoved { right } => fill(
            lang,
            (
                "Right no longer in the notice: {right}.",
                "Rettighet ikke lenger i erklæringen: {right}.",
            ),
            &[("right", &right.label_with_article(lang))],
        ),
    }
}

fn transfer_to(country: &str, recipient: &str) -> String {
    match nonempty(recipient) {
        Some(r) => format!("{r} ({country})"),
        None => country.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use privreg_core::model::{Period, PeriodUnit, RetentionTrigger};
    use privreg_core::store::notice::{activity_rights, NoticeCategory};

    fn model() -> NoticeModel {
        let news = NoticeActivity {
            id: 1,
            name: "Nyhetsbrev <b>&</b>".into(),
            notice_text: "Vi sender deg nyhetsbrevet.".into(),
            purposes: vec!["Sende nyhetsbrev".into()],
            data_categories: vec![NoticeCategory {
                name: "E-postadresse".into(),
                retention: Some(RetentionRule {
                    trigger: RetentionTrigger::Unsubscribed,
                    duration: Some(Period {
                        amount: 1,
                        unit: PeriodUnit::Months,
                    }),
                    justification: String::new(),
                }),
                ..Default::default()
            }],
            legal_bases: vec![LegalBasis::Consent],
            direct_marketing: true,
            rights: activity_rights(&[LegalBasis::Consent], true),
            ..Default::default()
        };
        NoticeModel {
            version: 1,
            date: NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
            controller: NoticeController {
                organisation: "Fjordlys Rådgivning AS".into(),
                email: "personvern@fjordlys.example.no".into(),
                supervisory_authority: "Datatilsynet".into(),
                ..Default::default()
            },
            rights: vec![
                NoticeRight::Access,
                NoticeRight::Rectification,
                NoticeRight::Erasure,
                NoticeRight::Restriction,
                NoticeRight::Portability,
                NoticeRight::ObjectDirectMarketing,
                NoticeRight::WithdrawConsent,
                NoticeRight::Complaint,
            ],
            activities: vec![news],
        }
    }

    #[test]
    fn the_html_is_one_escaped_file_without_scripts_or_resources() {
        let html = notice_html(&model(), Lang::Nb);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nb\">"));
        assert!(html
            .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assert!(html.contains(&format!("<style>{NOTICE_CSS}</style>")));
        assert!(
            html.contains("Nyhetsbrev &lt;b&gt;&amp;&lt;/b&gt;"),
            "escaped"
        );
        assert!(!html.contains("<b>&</b>"));
        for banned in [
            "<script", "src=", "href=", "url(", "@import", "<link", "<img", "<iframe",
        ] {
            assert!(!html.to_lowercase().contains(banned), "{banned}");
        }
        assert!(html.contains("Personvernerklæring"));
        assert!(html.contains("Sist endret 12. mai 2026"));
        assert!(html.contains("1 måned etter avmelding"));
        assert!(html.contains("Samtykke (art. 6 nr. 1 bokstav a)"));
        assert!(html.contains("Rett til innsyn (art. 15)"));
        assert!(html.contains("Klage til Datatilsynet"));
        assert!(html.contains("www.datatilsynet.no"));
        assert!(
            html.contains("art. 21 nr. 2"),
            "objecting to direct marketing"
        );
        assert!(html.contains("art. 7 nr. 3"), "withdrawing consent");
    }

    #[test]
    fn the_bokmal_writes_articles_in_one_style() {
        let doc = document(&model(), Lang::Nb);
        let mut texts: Vec<String> = doc.intro.clone();
        for s in &doc.sections {
            texts.push(s.heading.clone());
            for b in &s.blocks {
                texts.push(b.label.clone());
                texts.push(b.text.clone());
                texts.extend(b.items.iter().cloned());
            }
        }
        for t in texts {
            assert!(!t.contains("Art. ") && !t.contains("artikkel"), "{t}");
        }
    }

    #[test]
    fn the_text_is_wrapped_and_a_change_reads_as_a_sentence() {
        let text = notice_text(&model(), Lang::En);
        assert!(
            text.lines().all(|l| l.chars().count() <= TEXT_WIDTH),
            "{text}"
        );
        assert!(text.contains("Privacy notice\n=============="));
        let change = NoticeChange::RetentionChanged {
            activity: "Newsletter".into(),
            category: "Name".into(),
            from: model().activities[0].data_categories[0].retention.clone(),
            to: None,
        };
        assert_eq!(
            change_text(Lang::En, &change),
            "Retention of Name in Newsletter changed from 1 month after unsubscribing to no storage period set."
        );
        assert_eq!(
            change_text(
                Lang::Nb,
                &NoticeChange::ProcessorAdded {
                    activity: "Kurs".into(),
                    processor: "Mintra Trainingportal".into()
                }
            ),
            "Kurs: ny databehandler: Mintra Trainingportal."
        );
    }
}
