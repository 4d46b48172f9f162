//! Personal data breaches (GDPR Art. 33 and 34; Datatilsynet's "avvik", "brudd på
//! personopplysningssikkerheten"): the three documents the register makes of them.
//!
//! - The breach log (Art. 33(5): "the facts relating to the personal data breach, its
//!   effects and the remedial action taken"), every breach with every field:
//!   [`build_log`] makes the model, [`crate::render_breach_log`] prints it as PDF
//!   (`templates/breaches.typ`), JSON (`schemas/breach-log.v1.schema.json`), CSV and
//!   XLSX (one row per breach, in the columns of [`columns`]).
//! - The notification to Datatilsynet as plain text, with the headings of its Altinn
//!   form in the form's order, ready to paste field by field: [`notice_text`].
//! - The letter to the people affected (Art. 34(2)): what happened, in plain words, the
//!   likely consequences, the measures taken, whom to contact, and the right to
//!   complain: [`build_letter`] (one letter for all, or one addressed to a person),
//!   [`letter_text`] and `templates/breach_letter.typ`.
//!
//! Times are kept in UTC and printed in the organisation's local time, Europe/Oslo
//! ([`oslo`]), as the core prints the 72-hour deadline (`BreachClock::due_local`).
//!
//! Every text is an (English, bokmål) pair picked with [`labels::tr`], in Datatilsynet's
//! words: "brudd på personopplysningssikkerheten", "avvik", "de registrerte", "melde til
//! Datatilsynet", "varsle de registrerte", "tiltak", "konsekvenser". The breach's facts
//! hold no personal data (the core asks for none); the letter's addressee is personal
//! data, so the letter's `Debug` prints no name.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Timelike, Utc};
use privreg_core::labels::{article, Labelled};
use privreg_core::model::{Id, Redacted};
use privreg_core::store::breaches::{AffectedCount, Breach, BreachKind, BreachNotice, NoticeKind};
use privreg_core::templates::Lang;
use privreg_core::{InputError, Register};
use serde::Serialize;

use crate::art30::{audit_stamp, AuditStamp, ContactEntry, ControllerBlock, Term};
use crate::labels::{self, tr};
use crate::letter::{self, fill, Block, BlockKind, Fact, LetterSection, TEXT_WIDTH};
use crate::{ReportError, Result};

/// `schema` of the breach log's JSON; see `schemas/breach-log.v1.schema.json`.
pub const SCHEMA: &str = "privreg.breach_log";
/// Bumped when a field is removed or changes meaning; adding a field does not bump it.
pub const SCHEMA_VERSION: u32 = 1;
/// `schema` of the letter's JSON form.
pub const LETTER_SCHEMA: &str = "privreg.breach_letter";
pub const LETTER_SCHEMA_VERSION: u32 = 1;

type Pair = (&'static str, &'static str);

// ---------------------------------------------------------------------------------
// Local time
// ---------------------------------------------------------------------------------

/// The last Sunday of `month` in `year`.
/// `t` in the organisation's local time, Europe/Oslo, from the time zone database
/// (chrono-tz), as the core's breach clock shows it.
pub fn oslo(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&chrono_tz::Europe::Oslo).fixed_offset()
}

fn clock_words(lang: Lang, t: DateTime<FixedOffset>) -> String {
    let day = labels::date(lang, t.date_naive());
    match lang {
        Lang::En => format!("{day}, {:02}:{:02}", t.hour(), t.minute()),
        Lang::Nb => format!("{day} kl. {:02}.{:02}", t.hour(), t.minute()),
    }
}

/// `t` in words in Oslo time: "10 May 2026, 14:00", "10. mai 2026 kl. 14.00".
pub fn local_time(lang: Lang, t: DateTime<Utc>) -> String {
    clock_words(lang, oslo(t))
}

/// The date of `t` in Oslo, in words: "10 May 2026", "10. mai 2026".
pub fn local_date(lang: Lang, t: DateTime<Utc>) -> String {
    labels::date(lang, oslo(t).date_naive())
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A point in time as the reports print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moment {
    /// RFC 3339 in UTC.
    pub utc: String,
    /// RFC 3339 in Europe/Oslo.
    pub local: String,
    /// In words, Oslo time.
    pub text: String,
}

pub fn moment(lang: Lang, t: DateTime<Utc>) -> Moment {
    let local = oslo(t);
    Moment {
        utc: rfc3339(t),
        local: local.to_rfc3339_opts(SecondsFormat::Secs, true),
        text: clock_words(lang, local),
    }
}

// ---------------------------------------------------------------------------------
// Labels: (key, English, bokmål). The templates read them with the report labels
// (`L.breach_...`); CSV and XLSX headings come from here.
// ---------------------------------------------------------------------------------

/// The breach documents' labels. Keys start with `breach_`, so they never clash with
/// [`labels::LABELS`].
pub const LABELS: &[(&str, &str, &str)] = &[
    ("breach_log_title", "Log of personal data breaches", "Avviksprotokoll: brudd på personopplysningssikkerheten"),
    ("breach_log_subtitle", "GDPR Art. 33(5): the facts of each breach, its effects and the remedial action taken", "Personvernforordningen art. 33 nr. 5: de faktiske forholdene ved hvert brudd, virkningene og tiltakene som er truffet"),
    ("breach_none", "The register holds no personal data breaches.", "Registeret har ingen brudd på personopplysningssikkerheten."),
    ("breach_entries_heading", "The breaches", "Bruddene"),
    ("breach_facts", "The facts", "Faktiske forhold"),
    ("breach_effects", "Its effects", "Virkninger"),
    ("breach_remedial", "Remedial action", "Tiltak"),
    ("breach_closing", "Closing", "Avslutning"),
    ("breach_reference", "Reference", "Referanse"),
    ("breach_title", "Breach", "Avvik"),
    ("breach_period", "Period of the breach", "Tidsrom for bruddet"),
    ("breach_discovered", "Discovered", "Oppdaget"),
    ("breach_aware", "Became aware of the breach (the 72 hours count from here)", "Ble kjent med bruddet (72 timer regnes herfra)"),
    ("breach_aware_short", "Became aware", "Ble kjent med"),
    ("breach_deadline", "Deadline for notifying Datatilsynet (72 hours, Art. 33(1))", "Frist for å melde til Datatilsynet (72 timer, art. 33 nr. 1)"),
    ("breach_deadline_state", "Notification to Datatilsynet", "Melding til Datatilsynet"),
    ("breach_found_by", "Found by", "Oppdaget av"),
    ("breach_kinds", "Kind of breach", "Type brudd"),
    ("breach_cause", "Main cause: how it arose", "Hovedårsak: hvordan bruddet oppstod"),
    ("breach_description", "What happened", "Hva som har skjedd"),
    ("breach_data_location", "Where the personal data are now", "Hvor personopplysningene befinner seg nå"),
    ("breach_processor", "Reported by the processor (Art. 33(2))", "Meldt av databehandleren (art. 33 nr. 2)"),
    ("breach_processor_told", "When the processor told us", "Når databehandleren varslet oss"),
    ("breach_relation", "Our relation to the people affected", "Virksomhetens relasjon til de berørte"),
    ("breach_selection", "How the people affected were chosen", "Hvordan de berørte ble valgt ut"),
    ("breach_people", "People affected", "Berørte personer"),
    ("breach_records", "Records affected", "Berørte opplysninger"),
    ("breach_categories", "Categories of personal data (records)", "Kategorier av personopplysninger (antall)"),
    ("breach_special", "Special categories (Art. 9)", "Særlige kategorier (art. 9)"),
    ("breach_criminal", "Criminal offence data (Art. 10)", "Opplysninger om straffedommer og lovovertredelser (art. 10)"),
    ("breach_linked", "Of them still in the register", "Av dem fortsatt i registeret"),
    ("breach_not_chosen", "Not yet chosen", "Ikke valgt ennå"),
    ("breach_consequences", "Likely consequences for the people", "Sannsynlige konsekvenser for de registrerte"),
    ("breach_measures_taken", "Measures taken to stop it and limit the harm", "Tiltak som er satt i verk for å stanse bruddet og begrense skadevirkningene"),
    ("breach_measures_planned", "Measures planned so that it does not happen again", "Planlagte tiltak for å hindre gjentakelse"),
    ("breach_contact", "Contact point for more information", "Kontaktpunkt for mer informasjon"),
    ("breach_assessment", "Risk assessment and decisions", "Risikovurdering og beslutninger"),
    ("breach_risk", "Risk to the rights and freedoms of the people", "Risiko for de registrertes rettigheter og friheter"),
    ("breach_notify_authority", "Notify Datatilsynet (Art. 33)", "Melde til Datatilsynet (art. 33)"),
    ("breach_authority_reasons", "Reasons for notifying Datatilsynet or not", "Begrunnelse for å melde eller ikke melde til Datatilsynet"),
    ("breach_notify_subjects", "Tell the people affected (Art. 34)", "Varsle de registrerte (art. 34)"),
    ("breach_subjects_reasons", "Reasons for telling the people or not", "Begrunnelse for å varsle eller ikke varsle de registrerte"),
    ("breach_exception", "Exception (Art. 34(3))", "Unntak (art. 34 nr. 3)"),
    ("breach_decided_by", "Decided by", "Besluttet av"),
    ("breach_decided_at", "Decided", "Besluttet"),
    ("breach_not_assessed", "Not yet assessed", "Ikke vurdert ennå"),
    ("breach_notices", "Notifications and communications", "Meldinger og varsler"),
    ("breach_notice_kind", "Notice", "Melding"),
    ("breach_sent", "Sent", "Sendt"),
    ("breach_notice_details", "Details", "Detaljer"),
    ("breach_notice_reference", "Reference", "Referanse"),
    ("breach_delay_reason", "Reasons for the delay (Art. 33(1))", "Begrunnelse for forsinkelsen (art. 33 nr. 1)"),
    ("breach_note", "Note", "Merknad"),
    ("breach_letters", "Letters made", "Brev laget"),
    ("breach_no_notices", "None sent.", "Ingen sendt."),
    ("breach_late", "after the 72 hours", "etter 72 timer"),
    ("breach_closed", "Closed", "Lukket"),
    ("breach_open", "Not closed", "Ikke lukket"),
    ("breach_closing_note", "Closing note", "Avslutningsnotat"),
    ("breach_created", "Recorded", "Registrert"),
    ("breach_updated", "Last changed", "Sist endret"),
];

/// The breach label for `key` in `lang`; panics on an unknown key (a programming error
/// caught by the tests).
pub fn label(lang: Lang, key: &str) -> &'static str {
    let (_, en, nb) = LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .unwrap_or_else(|| panic!("no breach label {key}"));
    tr(lang, (*en, *nb))
}

/// The report labels and the breach labels, for the templates.
fn dictionary(lang: Lang) -> serde_json::Map<String, serde_json::Value> {
    let mut d = labels::dictionary(lang);
    for (k, en, nb) in LABELS {
        d.insert(
            k.to_string(),
            serde_json::Value::String(tr(lang, (*en, *nb)).to_string()),
        );
    }
    d
}

/// The data a breach template reads: the model, the labels (report and breach) and the
/// article references.
pub(crate) fn template_data<T: Serialize>(lang: Lang, report: &T) -> Result<serde_json::Value> {
    Ok(serde_json::json!({
        "labels": dictionary(lang),
        "articles": labels::article_dictionary(lang),
        "report": serde_json::to_value(report)
            .map_err(|e| ReportError::Render(e.to_string()))?,
    }))
}

// ---------------------------------------------------------------------------------
// Sentences, (English, bokmål). `{...}` are filled in by `fill`.
// ---------------------------------------------------------------------------------

const PERIOD_FROM_TO: Pair = ("From {from} to {to}", "Fra {from} til {to}");
const PERIOD_FROM: Pair = (
    "From {from}; the end is not known",
    "Fra {from}; slutten er ikke kjent",
);
const PERIOD_TO: Pair = (
    "Until {to}; the start is not known",
    "Til {to}; starten er ikke kjent",
);
const NOT_KNOWN: Pair = ("Not known", "Ikke kjent");
const ONE_PERSON: Pair = ("1 person", "1 person");
const PEOPLE_N: Pair = ("{n} people", "{n} personer");
const ONE_RECORD: Pair = ("1 record", "1 opplysning");
const RECORDS_N: Pair = ("{n} records", "{n} opplysninger");
const AFFECTED_TEXT: Pair = ("{people}, {records}", "{people}, {records}");
const STILL_LINKED: Pair = (
    "{n} of them still in the register",
    "{n} av dem fortsatt i registeret",
);
const SEL_ACTIVITIES: Pair = (
    "people with records in: {list}",
    "personer med opplysninger i: {list}",
);
const SEL_CATEGORIES: Pair = (
    "only records of: {list}",
    "bare opplysninger av typen: {list}",
);
const SEL_FROM_TO: Pair = (
    "collected from {from} to {to}",
    "innsamlet fra og med {from} til og med {to}",
);
const SEL_FROM: Pair = ("collected from {from}", "innsamlet fra og med {from}");
const SEL_TO: Pair = ("collected until {to}", "innsamlet til og med {to}");
const SEL_IMPORT: Pair = (
    "only the records of the CSV import of {date} into {activity}",
    "bare opplysningene fra CSV-importen {date} til {activity}",
);
const SEL_BY_HAND: Pair = ("{people} chosen by hand", "{people} valgt ut manuelt");
const DL_MET: Pair = (
    "Notified to Datatilsynet within the 72 hours",
    "Meldt til Datatilsynet innen 72 timer",
);
const DL_MISSED: Pair = (
    "Notified to Datatilsynet after the 72 hours",
    "Meldt til Datatilsynet etter 72 timer",
);
const DL_NOT_NEEDED: Pair = (
    "Not to be notified: the breach is unlikely to result in a risk to the people",
    "Skal ikke meldes: det er lite sannsynlig at bruddet medfører en risiko for de registrerte",
);
const DL_LEFT: Pair = (
    "Running: {h} h {m} min left",
    "Fristen løper: {h} t {m} min igjen",
);
const DL_OVERDUE: Pair = (
    "Overdue: Datatilsynet has not been notified",
    "Fristen er oversittet: ikke meldt til Datatilsynet",
);
const DL_NOT_NOTIFIED: Pair = (
    "Not notified to Datatilsynet",
    "Ikke meldt til Datatilsynet",
);
const DPO_IS: Pair = (
    "Data protection officer: {contact}",
    "Personvernombud: {contact}",
);
const CONTACT_PERSON_IS: Pair = ("Contact person: {contact}", "Kontaktperson: {contact}");
const AND: Pair = ("and", "og");

/// "a, b and c".
fn and_list(lang: Lang, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {}", init.join(", "), tr(lang, AND), last),
    }
}

fn people_words(lang: Lang, n: i64) -> String {
    if n == 1 {
        tr(lang, ONE_PERSON).to_string()
    } else {
        fill(lang, PEOPLE_N, &[("n", &n.to_string())])
    }
}

fn records_words(lang: Lang, n: i64) -> String {
    if n == 1 {
        tr(lang, ONE_RECORD).to_string()
    } else {
        fill(lang, RECORDS_N, &[("n", &n.to_string())])
    }
}

/// The lines of a text the operator typed, trimmed, without empty ones.
fn lines_of(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn term<T: Labelled>(lang: Lang, v: T) -> Term {
    Term {
        code: v.code().to_string(),
        label: v.label(lang).to_string(),
    }
}

fn is_datatilsynet(authority: &str) -> bool {
    authority
        .trim_start()
        .to_lowercase()
        .starts_with("datatilsynet")
}

/// "Name, e-mail, phone" of a contact, when it has any of them.
fn person_line(p: &ContactEntry) -> Option<String> {
    let parts: Vec<&str> = [&p.name, &p.email, &p.phone]
        .into_iter()
        .map(|s| s.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Whom to ask for more information: the breach's contact point as recorded, else the
/// data protection officer, else the contact person.
fn contact_point(lang: Lang, given: &str, c: &ControllerBlock) -> Option<String> {
    let given = given.trim();
    if !given.is_empty() {
        return Some(given.to_string());
    }
    if let Some(s) = c.dpo.as_ref().and_then(person_line) {
        return Some(fill(lang, DPO_IS, &[("contact", &s)]));
    }
    c.contact_person
        .as_ref()
        .and_then(person_line)
        .map(|s| fill(lang, CONTACT_PERSON_IS, &[("contact", &s)]))
}

/// The organisation's own contact details on one line: e-mail, telephone, address,
/// website.
fn organisation_contact(c: &ControllerBlock) -> String {
    [&c.email, &c.phone, &c.address, &c.website]
        .into_iter()
        .map(|s| s.as_str())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------
// The log (Art. 33(5))
// ---------------------------------------------------------------------------------

/// The 72-hour deadline (Art. 33(1)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// Awareness + 72 hours, RFC 3339 in UTC.
    pub due_at: String,
    /// The same in Europe/Oslo, as the core gives it.
    pub due_local: String,
    /// The deadline in words, Oslo time.
    pub text: String,
    /// Where the notification stands, in words.
    pub state: String,
    /// Minutes left (negative once passed); `None` once it no longer counts.
    pub minutes_left: Option<i64>,
    pub overdue: bool,
    /// Still counting: open, not notified, not decided "no notification".
    pub running: bool,
    /// Whether the first notification to Datatilsynet went within the 72 hours;
    /// `None` while none has gone.
    pub met: Option<bool>,
}

/// How the people affected were chosen in the register (names are never printed: the
/// people chosen by hand are counted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelectionEntry {
    /// The processing activities whose people were chosen, by name.
    pub activities: Vec<String>,
    /// Only records of these categories (empty: any).
    pub categories: Vec<String>,
    pub collected_from: Option<NaiveDate>,
    pub collected_to: Option<NaiveDate>,
    pub chosen_by_hand: usize,
    /// The selection in words.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    pub name: String,
    pub records: i64,
}

/// What the breach affected, as counted when the people were chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AffectedEntry {
    pub people: i64,
    pub records: i64,
    pub categories: Vec<CategoryCount>,
    /// Special categories (Art. 9) among them.
    pub special_categories: bool,
    /// Criminal offence data (Art. 10) among them.
    pub criminal_offence_data: bool,
    /// "3 people, 6 records".
    pub text: String,
}

/// The risk assessment and the two decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentEntry {
    pub risk: Term,
    pub notify_authority: bool,
    pub authority_reasons: String,
    pub notify_subjects: bool,
    pub subjects_reasons: String,
    /// Why the people need not be told although the risk is high (Art. 34(3)).
    pub art34_exception: Option<Term>,
    pub decided_by: String,
    pub decided: Option<Moment>,
}

/// A notification to Datatilsynet or a communication to the people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeEntry {
    pub id: Id,
    pub kind: Term,
    pub sent: Moment,
    /// Datatilsynet's (Altinn) reference, or how the people were told.
    pub reference: String,
    pub delay_reason: String,
    pub note: String,
    /// For a communication to the people: how many letters were made.
    pub letters: Option<i64>,
    /// A notification to Datatilsynet sent after the 72 hours.
    pub late: bool,
}

/// One breach with every field the log documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreachEntry {
    pub id: Id,
    /// "2026-001".
    pub reference: String,
    pub title: String,
    pub status: Term,
    pub occurred_from: Option<Moment>,
    pub occurred_to: Option<Moment>,
    /// The period in words.
    pub period: String,
    pub discovered: Option<Moment>,
    /// When the organisation became aware: the 72 hours count from here.
    pub aware: Moment,
    pub deadline: Deadline,
    pub found_by: String,
    /// How it arose: the main cause.
    pub cause: String,
    /// What happened.
    pub description: String,
    pub kinds: Vec<Term>,
    /// Where the data is now.
    pub data_location: String,
    /// The processor that reported it (Art. 33(2)), and when it told us.
    pub processor_id: Option<Id>,
    pub processor: Option<String>,
    pub processor_told: Option<Moment>,
    /// The organisation's relation to the people.
    pub relation: String,
    pub selection: Option<SelectionEntry>,
    /// `None`: the people affected are not yet chosen.
    pub affected: Option<AffectedEntry>,
    /// People still in the register among those chosen (erasure removes the link).
    pub linked_people: i64,
    pub consequences: String,
    pub measures_taken: String,
    pub measures_planned: String,
    /// The contact point as recorded for the breach (may be empty: the documents then
    /// name the DPO or the contact person).
    pub contact: String,
    pub assessment: Option<AssessmentEntry>,
    pub notices: Vec<NoticeEntry>,
    pub closed: Option<Moment>,
    pub closing_note: String,
    pub created: Moment,
    pub updated: Moment,
}

/// The log of personal data breaches (Art. 33(5)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreachLog {
    pub schema: String,
    pub schema_version: u32,
    /// `en` or `nb`.
    pub lang: String,
    pub title: String,
    /// When it was produced, RFC 3339 in UTC.
    pub generated_at: String,
    /// The date in words in the log's language.
    pub generated_on: String,
    pub controller: ControllerBlock,
    /// Oldest first: by the time the organisation became aware, then by id.
    pub breaches: Vec<BreachEntry>,
    pub audit: AuditStamp,
}

fn period(lang: Lang, from: Option<&Moment>, to: Option<&Moment>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => fill(lang, PERIOD_FROM_TO, &[("from", &f.text), ("to", &t.text)]),
        (Some(f), None) => fill(lang, PERIOD_FROM, &[("from", &f.text)]),
        (None, Some(t)) => fill(lang, PERIOD_TO, &[("to", &t.text)]),
        (None, None) => tr(lang, NOT_KNOWN).to_string(),
    }
}

/// The first notification to Datatilsynet (initial or follow-up), if any went.
fn first_to_authority(b: &Breach) -> Option<&BreachNotice> {
    b.notices
        .iter()
        .filter(|n| n.kind != NoticeKind::Subjects)
        .min_by_key(|n| n.sent_at)
}

/// The first communication to the people affected, if any went.
fn first_to_subjects(b: &Breach) -> Option<&BreachNotice> {
    b.notices
        .iter()
        .filter(|n| n.kind == NoticeKind::Subjects)
        .min_by_key(|n| n.sent_at)
}

fn deadline(lang: Lang, b: &Breach) -> Deadline {
    let c = &b.clock;
    let met = first_to_authority(b).map(|n| n.sent_at <= c.due_at);
    let state = match met {
        Some(true) => tr(lang, DL_MET).to_string(),
        Some(false) => tr(lang, DL_MISSED).to_string(),
        None if b.assessment.as_ref().is_some_and(|a| !a.notify_authority) => {
            tr(lang, DL_NOT_NEEDED).to_string()
        }
        None if c.running => match c.minutes_left {
            Some(m) if m >= 0 => fill(
                lang,
                DL_LEFT,
                &[("h", &(m / 60).to_string()), ("m", &(m % 60).to_string())],
            ),
            _ => tr(lang, DL_OVERDUE).to_string(),
        },
        None if c.overdue => tr(lang, DL_OVERDUE).to_string(),
        None => tr(lang, DL_NOT_NOTIFIED).to_string(),
    };
    let text = DateTime::parse_from_rfc3339(&c.due_local)
        .map(|t| clock_words(lang, t))
        .unwrap_or_else(|_| local_time(lang, c.due_at));
    Deadline {
        due_at: rfc3339(c.due_at),
        due_local: c.due_local.clone(),
        text,
        state,
        minutes_left: c.minutes_left,
        overdue: c.overdue,
        running: c.running,
        met,
    }
}

fn affected_entry(lang: Lang, a: &AffectedCount, linked: i64) -> AffectedEntry {
    let mut text = fill(
        lang,
        AFFECTED_TEXT,
        &[
            ("people", &people_words(lang, a.people)),
            ("records", &records_words(lang, a.records)),
        ],
    );
    if linked != a.people {
        text.push_str(&format!(
            " ({})",
            fill(lang, STILL_LINKED, &[("n", &linked.to_string())])
        ));
    }
    AffectedEntry {
        people: a.people,
        records: a.records,
        categories: a
            .categories
            .iter()
            .map(|(name, records)| CategoryCount {
                name: name.trim().to_string(),
                records: *records,
            })
            .collect(),
        special_categories: a.special_categories,
        criminal_offence_data: a.criminal_offence_data,
        text,
    }
}

fn selection_entry(
    reg: &Register,
    lang: Lang,
    s: &privreg_core::store::breaches::AffectedSelection,
) -> Result<SelectionEntry> {
    let mut activities = Vec::new();
    for id in &s.activity_ids {
        activities.push(match reg.activity(*id) {
            Ok(a) => a.activity.name.trim().to_string(),
            Err(privreg_core::Error::NotFound { .. }) => format!("#{id}"),
            Err(e) => return Err(e.into()),
        });
    }
    let categories: Vec<String> = s
        .categories
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    let date = |d: NaiveDate| labels::date(lang, d);
    let mut parts = Vec::new();
    if !activities.is_empty() {
        parts.push(fill(
            lang,
            SEL_ACTIVITIES,
            &[("list", &activities.join(", "))],
        ));
    }
    if !categories.is_empty() {
        parts.push(fill(
            lang,
            SEL_CATEGORIES,
            &[("list", &categories.join(", "))],
        ));
    }
    match (s.collected_from, s.collected_to) {
        (Some(f), Some(t)) => parts.push(fill(
            lang,
            SEL_FROM_TO,
            &[("from", &date(f)), ("to", &date(t))],
        )),
        (Some(f), None) => parts.push(fill(lang, SEL_FROM, &[("from", &date(f))])),
        (None, Some(t)) => parts.push(fill(lang, SEL_TO, &[("to", &date(t))])),
        (None, None) => {}
    }
    if let Some(event) = s.import_event {
        let (when, into) = match reg.import(event) {
            Ok(i) => (
                labels::date(lang, i.at.date_naive()),
                match reg.activity(i.activity_id) {
                    Ok(a) => a.activity.name.trim().to_string(),
                    Err(privreg_core::Error::NotFound { .. }) => format!("#{}", i.activity_id),
                    Err(e) => return Err(e.into()),
                },
            ),
            Err(_) => (format!("#{event}"), String::new()),
        };
        parts.push(fill(
            lang,
            SEL_IMPORT,
            &[("date", &when), ("activity", &into)],
        ));
    }
    if !s.subject_ids.is_empty() {
        parts.push(fill(
            lang,
            SEL_BY_HAND,
            &[("people", &people_words(lang, s.subject_ids.len() as i64))],
        ));
    }
    let joined = parts.join("; ");
    let mut chars = joined.chars();
    let mut text = match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    };
    if !text.is_empty() {
        text.push('.');
    }
    Ok(SelectionEntry {
        activities,
        categories,
        collected_from: s.collected_from,
        collected_to: s.collected_to,
        chosen_by_hand: s.subject_ids.len(),
        text,
    })
}

fn notice_entry(lang: Lang, n: &BreachNotice, due: DateTime<Utc>) -> NoticeEntry {
    NoticeEntry {
        id: n.id,
        kind: term(lang, n.kind),
        sent: moment(lang, n.sent_at),
        reference: n.reference.trim().to_string(),
        delay_reason: n.delay_reason.trim().to_string(),
        note: n.note.trim().to_string(),
        letters: n.letters,
        late: n.kind != NoticeKind::Subjects && n.sent_at > due,
    }
}

/// One breach as the log prints it.
pub fn entry(reg: &Register, lang: Lang, b: &Breach) -> Result<BreachEntry> {
    let f = &b.facts;
    let occurred_from = f.occurred_from.map(|t| moment(lang, t));
    let occurred_to = f.occurred_to.map(|t| moment(lang, t));
    let selection = match &b.selection {
        Some(s) => Some(selection_entry(reg, lang, s)?),
        None => None,
    };
    let mut notices: Vec<&BreachNotice> = b.notices.iter().collect();
    notices.sort_by_key(|n| (n.sent_at, n.id));
    Ok(BreachEntry {
        id: b.id,
        reference: b.reference.clone(),
        title: f.title.trim().to_string(),
        status: term(lang, b.status),
        period: period(lang, occurred_from.as_ref(), occurred_to.as_ref()),
        occurred_from,
        occurred_to,
        discovered: f.discovered_at.map(|t| moment(lang, t)),
        aware: moment(lang, b.clock.aware_at),
        deadline: deadline(lang, b),
        found_by: f.found_by.trim().to_string(),
        cause: f.cause.trim().to_string(),
        description: f.description.trim().to_string(),
        kinds: f.kinds.iter().map(|k| term(lang, *k)).collect(),
        data_location: f.data_location.trim().to_string(),
        processor_id: f.processor_id,
        processor: b
            .processor
            .as_ref()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty()),
        processor_told: f.processor_told_at.map(|t| moment(lang, t)),
        relation: f.relation.trim().to_string(),
        selection,
        affected: b
            .affected
            .as_ref()
            .map(|a| affected_entry(lang, a, b.linked_people)),
        linked_people: b.linked_people,
        consequences: f.consequences.trim().to_string(),
        measures_taken: f.measures_taken.trim().to_string(),
        measures_planned: f.measures_planned.trim().to_string(),
        contact: f.contact.trim().to_string(),
        assessment: b.assessment.as_ref().map(|a| AssessmentEntry {
            risk: term(lang, a.risk),
            notify_authority: a.notify_authority,
            authority_reasons: a.authority_reasons.trim().to_string(),
            notify_subjects: a.notify_subjects,
            subjects_reasons: a.subjects_reasons.trim().to_string(),
            art34_exception: a.art34_exception.map(|x| term(lang, x)),
            decided_by: a.decided_by.trim().to_string(),
            decided: a.decided_at.map(|t| moment(lang, t)),
        }),
        notices: notices
            .into_iter()
            .map(|n| notice_entry(lang, n, b.clock.due_at))
            .collect(),
        closed: b.closed_at.map(|t| moment(lang, t)),
        closing_note: b.closing_note.trim().to_string(),
        created: moment(lang, b.created_at),
        updated: moment(lang, b.updated_at),
    })
}

/// Builds the breach log from the register, in `lang`. Reads only; the audit event for
/// producing it is written by [`crate::export_breach_log`].
pub fn build_log(reg: &Register, lang: Lang) -> Result<BreachLog> {
    let now = reg.clock().now();
    let mut breaches = reg.breaches()?;
    breaches.sort_by(|a, b| {
        a.clock
            .aware_at
            .cmp(&b.clock.aware_at)
            .then(a.id.cmp(&b.id))
    });
    let entries = breaches
        .iter()
        .map(|b| entry(reg, lang, b))
        .collect::<Result<Vec<_>>>()?;
    Ok(BreachLog {
        schema: SCHEMA.to_string(),
        schema_version: SCHEMA_VERSION,
        lang: lang.code().to_string(),
        title: label(lang, "breach_log_title").to_string(),
        generated_at: rfc3339(now),
        generated_on: labels::date(lang, oslo(now).date_naive()),
        controller: ControllerBlock::from(lang, reg.controller()?.as_ref()),
        breaches: entries,
        audit: audit_stamp(reg)?.noted(reg, lang),
    })
}

// ---------------------------------------------------------------------------------
// CSV and XLSX columns: one row per breach
// ---------------------------------------------------------------------------------

/// A column of the breach log's CSV and XLSX: its heading (a breach label key or a
/// report label key) and how to fill it.
pub struct BreachColumn {
    pub key: &'static str,
    /// Width in characters for XLSX.
    pub width: f64,
    value: fn(Lang, &BreachEntry) -> Vec<String>,
}

impl BreachColumn {
    /// The heading in `lang`.
    pub fn heading(&self, lang: Lang) -> String {
        if self.key.starts_with("breach_") {
            label(lang, self.key).to_string()
        } else {
            labels::label(lang, self.key).to_string()
        }
    }

    /// The cell's text: its lines joined with `sep`.
    pub fn cell(&self, lang: Lang, b: &BreachEntry, sep: &str) -> String {
        (self.value)(lang, b).join(sep)
    }
}

fn one(s: &str) -> Vec<String> {
    if s.trim().is_empty() {
        Vec::new()
    } else {
        vec![s.to_string()]
    }
}

fn when(m: &Option<Moment>) -> Vec<String> {
    m.iter().map(|m| m.text.clone()).collect()
}

fn yes_no(lang: Lang, b: bool) -> String {
    labels::label(lang, if b { "yes" } else { "no" }).to_string()
}

/// A value of the counted selection, or "Not yet chosen".
fn counted(lang: Lang, b: &BreachEntry, f: fn(Lang, &AffectedEntry) -> String) -> Vec<String> {
    match &b.affected {
        Some(a) => vec![f(lang, a)],
        None => vec![label(lang, "breach_not_chosen").to_string()],
    }
}

/// A notice on one line: "Notification to Datatilsynet: 11 May 2026, 12:00, ALTINN-1".
fn notice_line(lang: Lang, n: &NoticeEntry) -> String {
    let mut s = format!("{}: {}", n.kind.label, n.sent.text);
    if n.late {
        s.push_str(&format!(" ({})", label(lang, "breach_late")));
    }
    if !n.reference.is_empty() {
        s.push_str(&format!(", {}", n.reference));
    }
    if let Some(letters) = n.letters {
        s.push_str(&format!(", {}: {letters}", label(lang, "breach_letters")));
    }
    if !n.delay_reason.is_empty() {
        s.push_str(&format!(
            ". {}: {}",
            label(lang, "breach_delay_reason"),
            n.delay_reason
        ));
    }
    if !n.note.is_empty() {
        s.push_str(&format!(". {}: {}", label(lang, "breach_note"), n.note));
    }
    s
}

macro_rules! bcol {
    ($key:literal, $w:literal, $f:expr) => {
        BreachColumn {
            key: $key,
            width: $w,
            value: $f,
        }
    };
}

/// The columns of the breach log's CSV and XLSX, in order: the facts, the effects, the
/// remedial action, the assessment, the notices, the closing.
pub fn columns() -> Vec<BreachColumn> {
    vec![
        bcol!("breach_reference", 12.0, |_, b| vec![b.reference.clone()]),
        bcol!("breach_title", 28.0, |_, b| one(&b.title)),
        bcol!("status", 12.0, |_, b| vec![b.status.label.clone()]),
        bcol!("breach_period", 34.0, |_, b| vec![b.period.clone()]),
        bcol!("breach_discovered", 20.0, |_, b| when(&b.discovered)),
        bcol!("breach_aware", 22.0, |_, b| vec![b.aware.text.clone()]),
        bcol!("breach_deadline", 22.0, |_, b| vec![b
            .deadline
            .text
            .clone()]),
        bcol!("breach_deadline_state", 30.0, |_, b| vec![b
            .deadline
            .state
            .clone()]),
        bcol!("breach_found_by", 18.0, |_, b| one(&b.found_by)),
        bcol!("breach_kinds", 30.0, |_, b| b
            .kinds
            .iter()
            .map(|k| k.label.clone())
            .collect()),
        bcol!("breach_cause", 36.0, |_, b| one(&b.cause)),
        bcol!("breach_description", 44.0, |_, b| one(&b.description)),
        bcol!("breach_data_location", 30.0, |_, b| one(&b.data_location)),
        bcol!("breach_processor", 24.0, |_, b| b
            .processor
            .iter()
            .cloned()
            .collect()),
        bcol!("breach_processor_told", 20.0, |_, b| when(
            &b.processor_told
        )),
        bcol!("breach_relation", 22.0, |_, b| one(&b.relation)),
        bcol!("breach_selection", 36.0, |l, b| match &b.selection {
            Some(s) => one(&s.text),
            None => vec![label(l, "breach_not_chosen").to_string()],
        }),
        bcol!("breach_people", 12.0, |l, b| counted(l, b, |_, a| a
            .people
            .to_string())),
        bcol!("breach_records", 12.0, |l, b| counted(l, b, |_, a| a
            .records
            .to_string())),
        bcol!("breach_categories", 34.0, |_, b| match &b.affected {
            Some(a) => a
                .categories
                .iter()
                .map(|c| format!("{} ({})", c.name, c.records))
                .collect(),
            None => Vec::new(),
        }),
        bcol!("breach_special", 12.0, |l, b| counted(l, b, |l, a| yes_no(
            l,
            a.special_categories
        ))),
        bcol!("breach_criminal", 12.0, |l, b| counted(
            l,
            b,
            |l, a| yes_no(l, a.criminal_offence_data)
        )),
        bcol!("breach_linked", 12.0, |_, b| vec![b
            .linked_people
            .to_string()]),
        bcol!("breach_consequences", 40.0, |_, b| one(&b.consequences)),
        bcol!("breach_measures_taken", 40.0, |_, b| one(&b.measures_taken)),
        bcol!("breach_measures_planned", 40.0, |_, b| one(
            &b.measures_planned
        )),
        bcol!("breach_contact", 30.0, |_, b| one(&b.contact)),
        bcol!("breach_risk", 30.0, |l, b| match &b.assessment {
            Some(a) => vec![a.risk.label.clone()],
            None => vec![label(l, "breach_not_assessed").to_string()],
        }),
        bcol!("breach_notify_authority", 12.0, |l, b| b
            .assessment
            .iter()
            .map(|a| yes_no(l, a.notify_authority))
            .collect()),
        bcol!("breach_authority_reasons", 36.0, |_, b| b
            .assessment
            .iter()
            .flat_map(|a| one(&a.authority_reasons))
            .collect()),
        bcol!("breach_notify_subjects", 12.0, |l, b| b
            .assessment
            .iter()
            .map(|a| yes_no(l, a.notify_subjects))
            .collect()),
        bcol!("breach_subjects_reasons", 36.0, |_, b| b
            .assessment
            .iter()
            .flat_map(|a| one(&a.subjects_reasons))
            .collect()),
        bcol!("breach_exception", 30.0, |_, b| b
            .assessment
            .iter()
            .filter_map(|a| a.art34_exception.as_ref().map(|x| x.label.clone()))
            .collect()),
        bcol!("breach_decided_by", 18.0, |_, b| b
            .assessment
            .iter()
            .flat_map(|a| one(&a.decided_by))
            .collect()),
        bcol!("breach_decided_at", 20.0, |_, b| b
            .assessment
            .iter()
            .flat_map(|a| when(&a.decided))
            .collect()),
        bcol!("breach_notices", 50.0, |l, b| b
            .notices
            .iter()
            .map(|n| notice_line(l, n))
            .collect()),
        bcol!("breach_closed", 20.0, |_, b| when(&b.closed)),
        bcol!("breach_closing_note", 30.0, |_, b| one(&b.closing_note)),
    ]
}

/// Columns only CSV carries (it has no header block): the controller, the date and the
/// audit stamp, repeated on every row.
pub fn trailer_headings(lang: Lang) -> [String; 4] {
    [
        labels::label(lang, "controller_column").to_string(),
        labels::label(lang, "report_date").to_string(),
        labels::label(lang, "audit_head").to_string(),
        labels::label(lang, "audit_events").to_string(),
    ]
}

pub fn trailer(lang: Lang, r: &BreachLog) -> [String; 4] {
    let controller = if r.controller.organisation.is_empty() {
        labels::label(lang, "missing").to_string()
    } else {
        r.controller.one_line()
    };
    [
        controller,
        r.generated_at.clone(),
        r.audit.head_hash.clone(),
        r.audit.events.to_string(),
    ]
}

// ---------------------------------------------------------------------------------
// The notification to Datatilsynet, as plain text in the order of its Altinn form
// ---------------------------------------------------------------------------------

const N_TITLE: Pair = (
    "Notification of a personal data breach to Datatilsynet",
    "Melding om brudd på personopplysningssikkerheten til Datatilsynet",
);
const N_ORGANISATION: Pair = ("Organisation", "Virksomhet");
const N_ORG_NUMBER: Pair = ("Organisation number", "Organisasjonsnummer");
const N_OUR_REFERENCE: Pair = ("Our reference", "Vår referanse");
const N_BREACH: Pair = ("Breach", "Avvik");
const N_NOTIFICATION: Pair = ("Notification", "Melding");
const N_FIRST: Pair = ("First notification ({art})", "Første melding ({art})");
const N_FOLLOW_UP: Pair = (
    "Follow-up to our notification of {date} ({art})",
    "Ettermelding til meldingen vår av {date} ({art})",
);
const N_FOLLOW_UP_REF: Pair = (
    "Follow-up to our notification of {date}, Datatilsynet's reference {reference} ({art})",
    "Ettermelding til meldingen vår av {date}, Datatilsynets referanse {reference} ({art})",
);
const N_PRODUCED: Pair = ("Written", "Skrevet");

const N_DESCRIPTION: Pair = ("Description of the breach", "Beskrivelse av avviket");
const N_CAUSE: Pair = ("Main cause", "Hovedårsak");
const N_PERIOD: Pair = ("Period", "Tidsrom");
const N_DISCOVERED: Pair = ("When was the breach discovered", "Når ble avviket oppdaget");
const N_DISCOVERED_TEXT: Pair = (
    "Discovered on {discovered}. We became aware of the breach on {aware}; the deadline of 72 hours is {due}.",
    "Oppdaget {discovered}. Virksomheten ble kjent med bruddet {aware}; fristen på 72 timer er {due}.",
);
const N_PEOPLE: Pair = ("Number of people affected", "Antall berørte personer");
const N_PEOPLE_TEXT: Pair = ("{people} ({records})", "{people} ({records})");
const N_NOT_CHOSEN: Pair = (
    "Not yet established: the people affected have not been chosen in our register.",
    "Ikke fastslått ennå: de berørte er ikke valgt ut i registeret vårt.",
);
const N_WHAT: Pair = (
    "Description of what has happened",
    "Beskrivelse av hva som har skjedd",
);
const N_HOW: Pair = ("How the breach arose", "Hvordan avviket oppstod");
const N_KIND_LINE: Pair = ("Kind of breach: {list}.", "Type brudd: {list}.");
const N_PROCESSOR_LINE: Pair = (
    "On {date} our processor {processor} told us of the breach ({art}).",
    "{date} varslet databehandleren {processor} oss om bruddet ({art}).",
);
const N_PROCESSOR_LINE_NO_DATE: Pair = (
    "Reported to us by our processor {processor} ({art}).",
    "Meldt til oss av databehandleren {processor} ({art}).",
);
const N_FOUND_BY_LINE: Pair = ("Found by: {who}.", "Oppdaget av: {who}.");
const N_DATA: Pair = (
    "What kinds of personal data were affected",
    "Hva slags type personopplysninger som ble berørt",
);
const N_CATEGORY: Pair = ("{name}: {records}", "{name}: {records}");
const N_SPECIAL: Pair = (
    "Special categories of personal data ({art}) are among them.",
    "Særlige kategorier av personopplysninger ({art}) er blant dem.",
);
const N_CRIMINAL: Pair = (
    "Personal data relating to criminal convictions and offences ({art}) are among them.",
    "Opplysninger om straffedommer og lovovertredelser ({art}) er blant dem.",
);
const N_NO_SENSITIVE: Pair = (
    "No special categories of personal data ({art9}) and no data relating to criminal convictions and offences ({art10}) are among them.",
    "Ingen særlige kategorier av personopplysninger ({art9}) og ingen opplysninger om straffedommer og lovovertredelser ({art10}) er blant dem.",
);
const N_RELATION: Pair = (
    "The organisation's relation to the people affected",
    "Hvilken relasjon virksomheten har til de berørte personene",
);
const N_WHERE: Pair = (
    "Where the personal data are after the breach",
    "Hvor personopplysningene befinner seg etter avviket",
);
const N_CONSEQUENCES: Pair = ("Consequences", "Konsekvenser");
const N_CONSEQUENCES_FIELD: Pair = (
    "The possible consequences of the breach for the people affected",
    "Mulige konsekvenser avviket har medført for de berørte personene",
);
const N_MEASURES: Pair = ("Measures", "Tiltak");
const N_MEASURES_RECURRENCE: Pair = (
    "Measures taken and planned to prevent it happening again",
    "Tiltak som er gjort og planlagt for å hindre gjentakelse",
);
const N_MEASURES_HARM: Pair = (
    "What has been done to limit the possible harm",
    "Hva som er gjort for å redusere potensielle skadevirkninger",
);
const N_INFORMATION: Pair = ("Information", "Informasjon");
const N_TOLD: Pair = (
    "Have the people affected been told? How?",
    "Har de berørte personene blitt informert? Hvordan?",
);
const N_TOLD_YES: Pair = ("Yes, {date}.", "Ja, {date}.");
const N_TOLD_HOW: Pair = ("How: {how}.", "Hvordan: {how}.");
const N_TOLD_LETTERS: Pair = (
    "By letter to each person ({n} letters).",
    "Med brev til hver enkelt ({n} brev).",
);
const N_TOLD_PLANNED: Pair = (
    "Not yet. They will be told without undue delay ({art}).",
    "Ikke ennå. De registrerte blir varslet uten ugrunnet opphold ({art}).",
);
const N_TOLD_EXCEPTION: Pair = (
    "No. They need not be told: {exception}.",
    "Nei. De registrerte trenger ikke å varsles: {exception}.",
);
const N_TOLD_NOT_HIGH: Pair = (
    "No. The breach is not likely to result in a high risk to their rights and freedoms, so they need not be told ({art}).",
    "Nei. Det er lite sannsynlig at bruddet medfører en høy risiko for de registrertes rettigheter og friheter, så de trenger ikke å varsles ({art}).",
);
const N_TOLD_UNDECIDED: Pair = ("Not yet decided.", "Ikke avgjort ennå.");
const N_REASONS: Pair = ("Reasons: {reasons}", "Begrunnelse: {reasons}");
const N_CONTACT: Pair = ("Contact information", "Kontaktinformasjon");
const N_CONTACT_FIELD: Pair = (
    "Name and contact details of the data protection officer or other contact person",
    "Navn og kontaktinformasjon til personvernombud eller annen kontaktperson",
);
const N_DELAY: Pair = ("Reasons for the delay", "Begrunnelse for forsinkelsen");
const N_DELAY_FIELD: Pair = (
    "Why the notification is sent later than 72 hours after we became aware of the breach ({art})",
    "Hvorfor meldingen sendes senere enn 72 timer etter at virksomheten ble kjent med bruddet ({art})",
);
const N_DELAY_PLACEHOLDER: Pair = (
    "[Give the reasons for the delay here.]",
    "[Skriv begrunnelsen for forsinkelsen her.]",
);

/// A field of the form: its question and the answer, one string per paragraph.
struct FormField {
    label: String,
    answer: Vec<String>,
}

struct FormSection {
    heading: String,
    fields: Vec<FormField>,
}

/// `s`'s paragraphs, or "Not stated".
fn answer(lang: Lang, s: &str) -> Vec<String> {
    let lines = lines_of(s);
    if lines.is_empty() {
        vec![labels::label(lang, "not_stated").to_string()]
    } else {
        lines
    }
}

/// Whether and how the people were told: from the communication sent, else the
/// assessment's decision and its Art. 34(3) exception.
fn people_told(lang: Lang, b: &Breach) -> Vec<String> {
    let art = |r: &str| article(lang, r);
    let mut out = Vec::new();
    if let Some(n) = first_to_subjects(b) {
        out.push(fill(
            lang,
            N_TOLD_YES,
            &[("date", &local_time(lang, n.sent_at))],
        ));
        if !n.reference.trim().is_empty() {
            out.push(fill(lang, N_TOLD_HOW, &[("how", n.reference.trim())]));
        }
        if let Some(letters) = n.letters {
            out.push(fill(lang, N_TOLD_LETTERS, &[("n", &letters.to_string())]));
        }
        if !n.note.trim().is_empty() {
            out.push(n.note.trim().to_string());
        }
        return vec![out.join(" ")];
    }
    match &b.assessment {
        None => out.push(tr(lang, N_TOLD_UNDECIDED).to_string()),
        Some(a) => {
            if a.notify_subjects {
                out.push(fill(lang, N_TOLD_PLANNED, &[("art", &art("Art. 34(1)"))]));
            } else if let Some(x) = a.art34_exception {
                out.push(fill(
                    lang,
                    N_TOLD_EXCEPTION,
                    &[("exception", x.label(lang))],
                ));
            } else {
                out.push(fill(lang, N_TOLD_NOT_HIGH, &[("art", &art("Art. 34(1)"))]));
            }
            if !a.subjects_reasons.trim().is_empty() {
                out.push(fill(
                    lang,
                    N_REASONS,
                    &[("reasons", a.subjects_reasons.trim())],
                ));
            }
        }
    }
    vec![out.join(" ")]
}

/// The notification to Datatilsynet for breach `id`, as plain text to paste into the
/// Altinn form field by field: the headings and questions of the form in its order
/// (the description of the breach: main cause, period, when it was discovered, the
/// number of people affected, what happened, how it arose, the kinds of personal data,
/// the organisation's relation to the people, where the data are now; the
/// consequences; the measures against recurrence and to limit the harm; whether and
/// how the people were told; the DPO or contact person), and, when the notification
/// goes later than 72 hours after awareness, the reasons for the delay (Art. 33(1)):
/// the ones recorded with the first notification, else a line to fill in. Reads only
/// (the text is not a file; nothing is audited). Lines are wrapped to
/// [`TEXT_WIDTH`] columns.
pub fn notice_text(reg: &Register, id: Id, lang: Lang) -> Result<String> {
    let b = reg.breach(id)?;
    let now = reg.clock().now();
    let c = ControllerBlock::from(lang, reg.controller()?.as_ref());
    let e = entry(reg, lang, &b)?;
    let art = |r: &str| article(lang, r);
    let not_stated = labels::label(lang, "not_stated");

    // The description.
    let mut description = vec![
        FormField {
            label: tr(lang, N_CAUSE).to_string(),
            answer: answer(lang, &e.cause),
        },
        FormField {
            label: tr(lang, N_PERIOD).to_string(),
            answer: vec![e.period.clone()],
        },
    ];
    let discovered = e
        .discovered
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_else(|| not_stated.to_string());
    description.push(FormField {
        label: tr(lang, N_DISCOVERED).to_string(),
        answer: vec![fill(
            lang,
            N_DISCOVERED_TEXT,
            &[
                ("discovered", &discovered),
                ("aware", &e.aware.text),
                ("due", &e.deadline.text),
            ],
        )],
    });
    description.push(FormField {
        label: tr(lang, N_PEOPLE).to_string(),
        answer: vec![match &e.affected {
            Some(a) => fill(
                lang,
                N_PEOPLE_TEXT,
                &[
                    ("people", &people_words(lang, a.people)),
                    ("records", &records_words(lang, a.records)),
                ],
            ),
            None => tr(lang, N_NOT_CHOSEN).to_string(),
        }],
    });
    description.push(FormField {
        label: tr(lang, N_WHAT).to_string(),
        answer: answer(lang, &e.description),
    });
    let mut how = Vec::new();
    if !e.kinds.is_empty() {
        let kinds: Vec<String> = e.kinds.iter().map(|k| k.label.clone()).collect();
        how.push(fill(lang, N_KIND_LINE, &[("list", &kinds.join("; "))]));
    }
    if let Some(p) = &e.processor {
        how.push(match &e.processor_told {
            Some(m) => fill(
                lang,
                N_PROCESSOR_LINE,
                &[
                    ("processor", p),
                    ("date", &m.text),
                    ("art", &art("Art. 33(2)")),
                ],
            ),
            None => fill(
                lang,
                N_PROCESSOR_LINE_NO_DATE,
                &[("processor", p), ("art", &art("Art. 33(2)"))],
            ),
        });
    }
    if !e.found_by.is_empty() {
        how.push(fill(lang, N_FOUND_BY_LINE, &[("who", &e.found_by)]));
    }
    description.push(FormField {
        label: tr(lang, N_HOW).to_string(),
        answer: if how.is_empty() {
            vec![not_stated.to_string()]
        } else {
            vec![how.join(" ")]
        },
    });
    description.push(FormField {
        label: tr(lang, N_DATA).to_string(),
        answer: match &e.affected {
            None => vec![tr(lang, N_NOT_CHOSEN).to_string()],
            Some(a) => {
                let mut v: Vec<String> = a
                    .categories
                    .iter()
                    .map(|k| {
                        fill(
                            lang,
                            N_CATEGORY,
                            &[
                                ("name", &k.name),
                                ("records", &records_words(lang, k.records)),
                            ],
                        )
                    })
                    .collect();
                if a.special_categories {
                    v.push(fill(lang, N_SPECIAL, &[("art", &art("Art. 9"))]));
                }
                if a.criminal_offence_data {
                    v.push(fill(lang, N_CRIMINAL, &[("art", &art("Art. 10"))]));
                }
                if !a.special_categories && !a.criminal_offence_data {
                    v.push(fill(
                        lang,
                        N_NO_SENSITIVE,
                        &[("art9", &art("Art. 9")), ("art10", &art("Art. 10"))],
                    ));
                }
                v
            }
        },
    });
    description.push(FormField {
        label: tr(lang, N_RELATION).to_string(),
        answer: answer(lang, &e.relation),
    });
    description.push(FormField {
        label: tr(lang, N_WHERE).to_string(),
        answer: answer(lang, &e.data_location),
    });

    let contact = contact_point(lang, &e.contact, &c).unwrap_or_else(|| {
        let reach = organisation_contact(&c);
        if reach.is_empty() {
            labels::label(lang, "missing").to_string()
        } else {
            reach
        }
    });

    let mut sections = vec![
        FormSection {
            heading: tr(lang, N_DESCRIPTION).to_string(),
            fields: description,
        },
        FormSection {
            heading: tr(lang, N_CONSEQUENCES).to_string(),
            fields: vec![FormField {
                label: tr(lang, N_CONSEQUENCES_FIELD).to_string(),
                answer: answer(lang, &e.consequences),
            }],
        },
        FormSection {
            heading: tr(lang, N_MEASURES).to_string(),
            fields: vec![
                FormField {
                    label: tr(lang, N_MEASURES_RECURRENCE).to_string(),
                    answer: answer(lang, &e.measures_planned),
                },
                FormField {
                    label: tr(lang, N_MEASURES_HARM).to_string(),
                    answer: answer(lang, &e.measures_taken),
                },
            ],
        },
        FormSection {
            heading: tr(lang, N_INFORMATION).to_string(),
            fields: vec![FormField {
                label: tr(lang, N_TOLD).to_string(),
                answer: people_told(lang, &b),
            }],
        },
        FormSection {
            heading: tr(lang, N_CONTACT).to_string(),
            fields: vec![FormField {
                label: tr(lang, N_CONTACT_FIELD).to_string(),
                answer: vec![contact],
            }],
        },
    ];

    // Later than 72 hours: the first notification went late, or none has gone and the
    // deadline has passed.
    let first = first_to_authority(&b);
    let late = match first {
        Some(n) => n.sent_at > b.clock.due_at,
        None => now > b.clock.due_at,
    };
    if late {
        let given = first.map(|n| n.delay_reason.trim()).unwrap_or("");
        sections.push(FormSection {
            heading: tr(lang, N_DELAY).to_string(),
            fields: vec![FormField {
                label: fill(lang, N_DELAY_FIELD, &[("art", &art("Art. 33(1)"))]),
                answer: if given.is_empty() {
                    vec![tr(lang, N_DELAY_PLACEHOLDER).to_string()]
                } else {
                    lines_of(given)
                },
            }],
        });
    }

    // The head: who notifies, which breach, first or follow-up.
    let notification = match first {
        None => fill(lang, N_FIRST, &[("art", &art("Art. 33(1)"))]),
        Some(n) if n.reference.trim().is_empty() => fill(
            lang,
            N_FOLLOW_UP,
            &[
                ("date", &local_time(lang, n.sent_at)),
                ("art", &art("Art. 33(4)")),
            ],
        ),
        Some(n) => fill(
            lang,
            N_FOLLOW_UP_REF,
            &[
                ("date", &local_time(lang, n.sent_at)),
                ("reference", n.reference.trim()),
                ("art", &art("Art. 33(4)")),
            ],
        ),
    };
    let organisation = if c.organisation.is_empty() {
        labels::label(lang, "missing").to_string()
    } else {
        c.organisation.clone()
    };
    let mut head: Vec<(Pair, String)> = vec![(N_ORGANISATION, organisation)];
    if !c.org_number.is_empty() {
        head.push((N_ORG_NUMBER, c.org_number.clone()));
    }
    head.push((N_OUR_REFERENCE, e.reference.clone()));
    head.push((N_BREACH, e.title.clone()));
    head.push((N_NOTIFICATION, notification));
    head.push((N_PRODUCED, local_time(lang, now)));

    let w = TEXT_WIDTH;
    let mut out: Vec<String> = Vec::new();
    let title = letter::wrap(tr(lang, N_TITLE), w, "", "");
    let rule = letter::underline(&title, '=');
    out.push(title);
    out.push(rule);
    out.push(String::new());
    let label_width = head
        .iter()
        .map(|(l, _)| tr(lang, *l).chars().count())
        .max()
        .unwrap_or(0);
    for (l, v) in &head {
        let name = tr(lang, *l);
        let pad = label_width - name.chars().count();
        let first_line = format!("{name}:{} ", " ".repeat(pad));
        let indent = " ".repeat(first_line.chars().count());
        out.push(letter::wrap(v, w, &first_line, &indent));
    }
    for s in &sections {
        out.push(String::new());
        out.push(String::new());
        let heading = letter::wrap(&s.heading, w, "", "");
        let rule = letter::underline(&heading, '-');
        out.push(heading);
        out.push(rule);
        for f in &s.fields {
            out.push(String::new());
            // A question keeps its question mark; any other label gets a colon.
            let question = if f.label.ends_with('?') {
                f.label.clone()
            } else {
                format!("{}:", f.label)
            };
            out.push(letter::wrap(&question, w, "", ""));
            // The paragraphs of one answer follow each other line by line.
            for p in &f.answer {
                out.push(letter::wrap(p, w, "", ""));
            }
        }
    }
    let mut s = out.join("\n");
    s.push('\n');
    Ok(s)
}

// ---------------------------------------------------------------------------------
// The letter to the people affected (Art. 34(2))
// ---------------------------------------------------------------------------------

const L_TITLE: Pair = (
    "A personal data breach that concerns you",
    "Brudd på personopplysningssikkerheten som gjelder deg",
);
const L_TITLE_GENERAL: Pair = (
    "A personal data breach that may concern you",
    "Brudd på personopplysningssikkerheten som kan gjelde deg",
);
const L_TO: Pair = ("To", "Til");
const L_DATE: Pair = ("Date", "Dato");
const L_REFERENCE: Pair = ("Our reference", "Vår referanse");
const L_SALUTATION_NAMED: Pair = ("Dear {name},", "Hei {name},");
const L_SALUTATION_UNNAMED: Pair = ("Dear Sir or Madam,", "Hei,");
const L_OPENING: Pair = (
    "We are writing to tell you that the security of personal data we hold about you has been breached. Below we explain what happened, what it may mean for you, what we have done about it and whom you can contact ({art}).",
    "Vi skriver for å fortelle deg at det har skjedd et brudd på sikkerheten for personopplysninger vi har om deg. Nedenfor forklarer vi hva som har skjedd, hva det kan bety for deg, hva vi har gjort, og hvem du kan kontakte ({art}).",
);
const L_OPENING_GENERAL: Pair = (
    "We are writing to tell you that the security of personal data we hold has been breached, and that personal data about you may be affected. Below we explain what happened, what it may mean for you, what we have done about it and whom you can contact ({art}).",
    "Vi skriver for å fortelle deg at det har skjedd et brudd på sikkerheten for personopplysninger vi har, og at opplysninger om deg kan være berørt. Nedenfor forklarer vi hva som har skjedd, hva det kan bety for deg, hva vi har gjort, og hvem du kan kontakte ({art}).",
);
const L_AWARE: Pair = (
    "We became aware of the breach on {date}.",
    "Vi ble kjent med bruddet {date}.",
);
const L_WHAT_HEADING: Pair = ("What happened", "Hva har skjedd");
const L_WHAT_UNKNOWN: Pair = (
    "We are still finding out exactly what happened, and will tell you more if we learn anything that matters to you.",
    "Vi undersøker fortsatt nøyaktig hva som har skjedd, og gir deg beskjed hvis vi får vite noe som har betydning for deg.",
);
const L_ON: Pair = ("The breach happened on {date}.", "Bruddet skjedde {date}.");
const L_FROM_TO: Pair = (
    "The breach lasted from {from} to {to}.",
    "Bruddet varte fra {from} til {to}.",
);
const L_FROM: Pair = ("The breach began on {from}.", "Bruddet startet {from}.");
const L_KINDS: Pair = ("This means that {list}.", "Det betyr at {list}.");
const L_CONFIDENTIALITY: Pair = (
    "your personal data may have been seen by, or passed to, someone who should not have them",
    "personopplysningene dine kan ha blitt sett av eller kommet på avveie til noen som ikke skulle hatt dem",
);
const L_INTEGRITY: Pair = (
    "your personal data may have been changed by someone who was not allowed to",
    "personopplysningene dine kan ha blitt endret av noen som ikke hadde lov til det",
);
const L_AVAILABILITY: Pair = (
    "your personal data may have been lost, or could not be reached for a time",
    "personopplysningene dine kan ha gått tapt eller vært utilgjengelige en periode",
);
const L_CATEGORIES: Pair = (
    "The breach concerned these kinds of personal data: {list}. Not all of them need concern you.",
    "Bruddet gjaldt disse typene personopplysninger: {list}. Ikke alle trenger å gjelde deg.",
);
const L_PROCESSOR: Pair = (
    "It happened at {processor}, which processes personal data on our behalf.",
    "Det skjedde hos {processor}, som behandler personopplysninger på vegne av oss.",
);
const L_CONSEQUENCES_HEADING: Pair = ("What this may mean for you", "Hva dette kan bety for deg");
const L_CONSEQUENCES_UNKNOWN: Pair = (
    "We are still assessing what the breach may mean for you, and will tell you if we find that you should do anything.",
    "Vi vurderer fortsatt hva bruddet kan bety for deg, og gir deg beskjed hvis vi finner at du bør gjøre noe.",
);
const L_MEASURES_HEADING: Pair = ("What we have done", "Hva vi har gjort");
const L_MEASURES_UNKNOWN: Pair = (
    "We are working to stop the breach and to limit its effects.",
    "Vi arbeider med å stanse bruddet og begrense virkningene av det.",
);
const L_NOTIFIED_DATATILSYNET: Pair = (
    "We have reported the breach to Datatilsynet, the Norwegian Data Protection Authority.",
    "Vi har meldt bruddet til Datatilsynet.",
);
const L_NOTIFIED_AUTHORITY: Pair = (
    "We have reported the breach to the supervisory authority.",
    "Vi har meldt bruddet til tilsynsmyndigheten.",
);
const L_PLANNED_HEADING: Pair = (
    "What we are doing so that it does not happen again",
    "Hva vi gjør for at det ikke skal skje igjen",
);
const L_QUESTIONS_HEADING: Pair = ("Questions", "Spørsmål");
const L_QUESTIONS: Pair = (
    "If you have questions about the breach or about your personal data, please contact us:",
    "Har du spørsmål om bruddet eller om personopplysningene dine, kan du kontakte oss:",
);
const L_COMPLAINT_HEADING: Pair = ("Your right to complain", "Retten til å klage");
const L_COMPLAINT: Pair = (
    "If you believe that we have not handled your personal data in accordance with the rules, you may lodge a complaint with {authority} ({art}):",
    "Hvis du mener at vi ikke har behandlet personopplysningene dine i samsvar med regelverket, kan du klage til {authority} ({art}):",
);
const L_TO_DATATILSYNET: Pair = (
    "Datatilsynet, the Norwegian Data Protection Authority",
    "Datatilsynet",
);
const L_TO_AUTHORITY: Pair = ("the supervisory authority", "tilsynsmyndigheten");
const L_CLOSING: Pair = ("Yours sincerely,", "Med vennlig hilsen");

/// The letter to the people affected by a breach, as written. It holds the addressee's
/// name, so its `Debug` prints no values of it.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct BreachLetter {
    pub schema: String,
    pub schema_version: u32,
    pub lang: String,
    pub breach_id: Id,
    /// The breach's reference, "2026-001".
    pub reference: String,
    /// The person it is addressed to; `None`: one letter for everyone affected.
    pub subject_id: Option<Id>,
    /// When it was produced, RFC 3339 in UTC.
    pub generated_at: String,
    /// The letter's date in words.
    pub date: String,
    pub controller: ControllerBlock,
    /// The organisation's name as the letter prints it (or the "missing" label).
    pub sender: String,
    /// The lines under the organisation's name: number, address, e-mail, telephone.
    pub letterhead: Vec<String>,
    /// Whom the letter is to; empty for the letter to all.
    pub addressee: String,
    pub facts: Vec<Fact>,
    pub title: String,
    pub salutation: String,
    pub body: Vec<String>,
    pub sections: Vec<LetterSection>,
    pub closing: String,
    pub signature: Vec<String>,
    /// The line at the foot of every page.
    pub footer: String,
    /// The supervisory authority with its contact details.
    pub authority: String,
}

impl fmt::Debug for BreachLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BreachLetter")
            .field("lang", &self.lang)
            .field("breach_id", &self.breach_id)
            .field("reference", &self.reference)
            .field("subject_id", &self.subject_id)
            .field("addressee", &Redacted(&self.addressee))
            .field("body", &self.body.len())
            .field("sections", &self.sections.len())
            .finish_non_exhaustive()
    }
}

/// What the PDF template of the letters reads: one letter or many, each on its own
/// pages.
#[derive(Serialize)]
pub(crate) struct LetterBundle<'a> {
    pub lang: &'a str,
    pub letters: &'a [BreachLetter],
}

fn paragraph(text: impl Into<String>) -> Block {
    Block {
        kind: BlockKind::Paragraph,
        text: text.into(),
    }
}

fn address(text: impl Into<String>) -> Block {
    Block {
        kind: BlockKind::Address,
        text: text.into(),
    }
}

fn kind_in_plain_words(kind: BreachKind) -> Pair {
    match kind {
        BreachKind::Confidentiality => L_CONFIDENTIALITY,
        BreachKind::Integrity => L_INTEGRITY,
        BreachKind::Availability => L_AVAILABILITY,
    }
}

/// The letter for breach `b`, to the person `to` (id and name) or, with `None`, to
/// everyone affected.
fn compose(
    reg: &Register,
    b: &Breach,
    to: Option<(Id, String)>,
    lang: Lang,
) -> Result<BreachLetter> {
    let now = reg.clock().now();
    let today = oslo(now).date_naive();
    let controller = ControllerBlock::from(lang, reg.controller()?.as_ref());
    let f = &b.facts;
    let art = |r: &str| article(lang, r);
    let day = |t: DateTime<Utc>| local_date(lang, t);

    let (sender, letterhead) = crate::letter::sender_and_letterhead(lang, &controller);

    let (subject_id, addressee) = match to {
        Some((id, name)) => (Some(id), name.trim().to_string()),
        None => (None, String::new()),
    };
    let fact = |label: Pair, value: String| Fact {
        label: tr(lang, label).to_string(),
        value,
    };
    let mut facts = Vec::new();
    if !addressee.is_empty() {
        facts.push(fact(L_TO, addressee.clone()));
    }
    facts.push(fact(L_DATE, labels::date(lang, today)));
    facts.push(fact(L_REFERENCE, b.reference.clone()));

    let title = tr(
        lang,
        if subject_id.is_some() {
            L_TITLE
        } else {
            L_TITLE_GENERAL
        },
    )
    .to_string();
    let salutation = if addressee.is_empty() {
        tr(lang, L_SALUTATION_UNNAMED).to_string()
    } else {
        fill(lang, L_SALUTATION_NAMED, &[("name", &addressee)])
    };
    let opening = if subject_id.is_some() {
        L_OPENING
    } else {
        L_OPENING_GENERAL
    };
    let body = vec![
        fill(lang, opening, &[("art", &art("Art. 34"))]),
        fill(lang, L_AWARE, &[("date", &day(b.clock.aware_at))]),
    ];

    let mut sections = Vec::new();

    // What happened, in plain words.
    let mut what: Vec<Block> = lines_of(&f.description)
        .into_iter()
        .map(paragraph)
        .collect();
    if what.is_empty() {
        what.push(paragraph(tr(lang, L_WHAT_UNKNOWN)));
    }
    match (f.occurred_from, f.occurred_to) {
        (Some(from), Some(to)) if day(from) == day(to) => {
            what.push(paragraph(fill(lang, L_ON, &[("date", &day(from))])));
        }
        (Some(from), Some(to)) => what.push(paragraph(fill(
            lang,
            L_FROM_TO,
            &[("from", &day(from)), ("to", &day(to))],
        ))),
        (Some(from), None) => what.push(paragraph(fill(lang, L_FROM, &[("from", &day(from))]))),
        _ => {}
    }
    let kinds: Vec<String> = f
        .kinds
        .iter()
        .map(|k| tr(lang, kind_in_plain_words(*k)).to_string())
        .collect();
    if !kinds.is_empty() {
        what.push(paragraph(fill(
            lang,
            L_KINDS,
            &[("list", &and_list(lang, &kinds))],
        )));
    }
    if let Some(a) = &b.affected {
        let names: Vec<String> = a
            .categories
            .iter()
            .map(|(name, _)| name.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        if !names.is_empty() {
            what.push(paragraph(fill(
                lang,
                L_CATEGORIES,
                &[("list", &and_list(lang, &names))],
            )));
        }
    }
    if let Some(p) = b
        .processor
        .as_ref()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        what.push(paragraph(fill(lang, L_PROCESSOR, &[("processor", p)])));
    }
    sections.push(LetterSection {
        heading: tr(lang, L_WHAT_HEADING).to_string(),
        blocks: what,
    });

    // The likely consequences.
    let mut consequences: Vec<Block> = lines_of(&f.consequences)
        .into_iter()
        .map(paragraph)
        .collect();
    if consequences.is_empty() {
        consequences.push(paragraph(tr(lang, L_CONSEQUENCES_UNKNOWN)));
    }
    sections.push(LetterSection {
        heading: tr(lang, L_CONSEQUENCES_HEADING).to_string(),
        blocks: consequences,
    });

    // The measures taken, including to limit the harm; Datatilsynet told.
    let mut measures: Vec<Block> = lines_of(&f.measures_taken)
        .into_iter()
        .map(paragraph)
        .collect();
    if measures.is_empty() {
        measures.push(paragraph(tr(lang, L_MEASURES_UNKNOWN)));
    }
    if first_to_authority(b).is_some() {
        measures.push(paragraph(tr(
            lang,
            if is_datatilsynet(&controller.supervisory_authority) {
                L_NOTIFIED_DATATILSYNET
            } else {
                L_NOTIFIED_AUTHORITY
            },
        )));
    }
    sections.push(LetterSection {
        heading: tr(lang, L_MEASURES_HEADING).to_string(),
        blocks: measures,
    });
    let planned = lines_of(&f.measures_planned);
    if !planned.is_empty() {
        sections.push(LetterSection {
            heading: tr(lang, L_PLANNED_HEADING).to_string(),
            blocks: planned.into_iter().map(paragraph).collect(),
        });
    }

    // Whom to contact.
    let mut questions = vec![paragraph(tr(lang, L_QUESTIONS))];
    if let Some(point) = contact_point(lang, &f.contact, &controller) {
        questions.push(address(point));
    }
    let reach = organisation_contact(&controller);
    if !reach.is_empty() {
        questions.push(address(format!("{sender}: {reach}")));
    }
    sections.push(LetterSection {
        heading: tr(lang, L_QUESTIONS_HEADING).to_string(),
        blocks: questions,
    });

    // The right to complain (Art. 77).
    let authority_name = if is_datatilsynet(&controller.supervisory_authority) {
        tr(lang, L_TO_DATATILSYNET)
    } else {
        tr(lang, L_TO_AUTHORITY)
    };
    sections.push(LetterSection {
        heading: tr(lang, L_COMPLAINT_HEADING).to_string(),
        blocks: vec![
            paragraph(fill(
                lang,
                L_COMPLAINT,
                &[
                    ("authority", authority_name),
                    ("art", &art(labels::COMPLAINT_ARTICLE)),
                ],
            )),
            address(controller.supervisory_authority.clone()),
        ],
    });

    let mut signature = Vec::new();
    if let Some(p) = &controller.contact_person {
        if !p.name.is_empty() {
            signature.push(p.name.clone());
        }
    }
    signature.push(sender.clone());
    let footer = format!("{sender} · {} {}", tr(lang, L_REFERENCE), b.reference);

    Ok(BreachLetter {
        schema: LETTER_SCHEMA.to_string(),
        schema_version: LETTER_SCHEMA_VERSION,
        lang: lang.code().to_string(),
        breach_id: b.id,
        reference: b.reference.clone(),
        subject_id,
        generated_at: rfc3339(now),
        date: labels::date(lang, today),
        authority: controller.supervisory_authority.clone(),
        controller,
        sender,
        letterhead,
        addressee,
        facts,
        title,
        salutation,
        body,
        sections,
        closing: tr(lang, L_CLOSING).to_string(),
        signature,
        footer,
    })
}

fn not_affected() -> ReportError {
    ReportError::Core(
        InputError::invalid(
            "subject",
            "the person is not among the people affected by the breach",
        )
        .into(),
    )
}

/// Builds the letter about breach `id` (Art. 34(2)) in `lang`: with `subject`, the
/// letter to that person, by name (the person must be among
/// [`Register::affected_subjects`]); with `None`, one letter for everyone affected,
/// addressed to no one by name. Reads only (not audited: use
/// [`crate::export_breach_letters`] to give letters to anyone).
pub fn build_letter(
    reg: &Register,
    id: Id,
    subject: Option<Id>,
    lang: Lang,
) -> Result<BreachLetter> {
    let b = reg.breach(id)?;
    let to = match subject {
        Some(s) => {
            if !reg.affected_subjects(id)?.contains(&s) {
                return Err(not_affected());
            }
            Some((s, reg.subject(s)?.fields.name))
        }
        None => None,
    };
    compose(reg, &b, to, lang)
}

/// One letter for each person still linked to breach `id`
/// ([`Register::affected_subjects`]), in that order. Reads only.
pub fn build_letters(reg: &Register, id: Id, lang: Lang) -> Result<Vec<BreachLetter>> {
    let b = reg.breach(id)?;
    reg.affected_subjects(id)?
        .into_iter()
        .map(|s| {
            let name = reg.subject(s)?.fields.name;
            compose(reg, &b, Some((s, name)), lang)
        })
        .collect()
}

/// The letter as plain text, wrapped to [`TEXT_WIDTH`] columns, ready to paste into an
/// e-mail.
pub fn letter_text(l: &BreachLetter) -> String {
    letter::text_of(letter::TextParts {
        sender: &l.sender,
        letterhead: &l.letterhead,
        facts: &l.facts,
        title: &l.title,
        salutation: &l.salutation,
        body: &l.body,
        sections: &l.sections,
        closing: &l.closing,
        signature: &l.signature,
    })
}

/// The separator between letters in one text file: a line holding a form feed.
pub const LETTER_SEPARATOR: &str = "\u{c}\n";

/// Several letters as one text: each letter's text, separated by a form feed line.
pub fn letters_text(letters: &[BreachLetter]) -> String {
    letters
        .iter()
        .map(letter_text)
        .collect::<Vec<_>>()
        .join(LETTER_SEPARATOR)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn oslo_time_follows_the_summer_time_rule() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        let local = |s: &str| oslo(utc(s)).to_rfc3339_opts(SecondsFormat::Secs, true);
        assert_eq!(local("2026-03-29T00:59:00Z"), "2026-03-29T01:59:00+01:00");
        assert_eq!(local("2026-03-29T01:00:00Z"), "2026-03-29T03:00:00+02:00");
        assert_eq!(local("2026-10-25T00:59:00Z"), "2026-10-25T02:59:00+02:00");
        assert_eq!(local("2026-10-25T01:00:00Z"), "2026-10-25T02:00:00+01:00");
        assert_eq!(local("2026-12-31T23:30:00Z"), "2027-01-01T00:30:00+01:00");
        assert_eq!(
            local_time(Lang::En, utc("2026-05-10T12:00:00Z")),
            "10 May 2026, 14:00"
        );
        assert_eq!(
            local_time(Lang::Nb, utc("2026-05-10T12:00:00Z")),
            "10. mai 2026 kl. 14.00"
        );
    }

    #[test]
    fn labels_have_both_languages_unique_keys_and_the_one_article_style() {
        let mut seen = std::collections::HashSet::new();
        for (k, en, nb) in LABELS {
            assert!(k.starts_with("breach_"), "{k}");
            assert!(seen.insert(*k), "{k} twice");
            assert!(!en.trim().is_empty() && !nb.trim().is_empty(), "{k}");
            assert!(
                !labels::LABELS.iter().any(|(r, _, _)| r == k),
                "{k} is also a report label"
            );
            assert!(
                !nb.contains("Art. ") && !nb.contains("artikkel"),
                "{k}: {nb}"
            );
        }
    }

    #[test]
    fn every_label_a_template_or_column_uses_exists() {
        for template in [
            include_str!("../templates/breaches.typ"),
            include_str!("../templates/breach_letter.typ"),
        ] {
            for (i, _) in template.match_indices("L.") {
                let key: String = template[i + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if key.is_empty() {
                    continue;
                }
                let known = LABELS.iter().any(|(k, _, _)| *k == key)
                    || labels::LABELS.iter().any(|(k, _, _)| *k == key);
                assert!(known, "the template uses an unknown label {key}");
            }
        }
        for c in columns() {
            assert!(!c.heading(Lang::Nb).is_empty());
            assert!(!c.heading(Lang::En).is_empty());
        }
    }

    #[test]
    fn every_text_has_both_languages_and_the_same_placeholders() {
        let all: &[Pair] = &[
            PERIOD_FROM_TO,
            PERIOD_FROM,
            PERIOD_TO,
            PEOPLE_N,
            RECORDS_N,
            AFFECTED_TEXT,
            STILL_LINKED,
            SEL_ACTIVITIES,
            SEL_CATEGORIES,
            SEL_FROM_TO,
            SEL_FROM,
            SEL_TO,
            SEL_BY_HAND,
            DL_LEFT,
            DPO_IS,
            CONTACT_PERSON_IS,
            N_FIRST,
            N_FOLLOW_UP,
            N_FOLLOW_UP_REF,
            N_DISCOVERED_TEXT,
            N_PEOPLE_TEXT,
            N_KIND_LINE,
            N_PROCESSOR_LINE,
            N_PROCESSOR_LINE_NO_DATE,
            N_FOUND_BY_LINE,
            N_CATEGORY,
            N_SPECIAL,
            N_CRIMINAL,
            N_NO_SENSITIVE,
            N_TOLD_YES,
            N_TOLD_HOW,
            N_TOLD_LETTERS,
            N_TOLD_PLANNED,
            N_TOLD_EXCEPTION,
            N_TOLD_NOT_HIGH,
            N_REASONS,
            N_DELAY_FIELD,
            L_SALUTATION_NAMED,
            L_OPENING,
            L_OPENING_GENERAL,
            L_AWARE,
            L_ON,
            L_FROM_TO,
            L_FROM,
            L_KINDS,
            L_CATEGORIES,
            L_PROCESSOR,
            L_COMPLAINT,
        ];
        let holes = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(k, _)| k.to_string()))
                .collect();
            v.sort();
            v
        };
        for &(en, nb) in all {
            assert!(!en.trim().is_empty() && !nb.trim().is_empty());
            assert_eq!(holes(en), holes(nb), "{en}");
            assert!(!nb.contains("Art. "), "{nb}");
        }
    }
}
