//! The reply to the person who made a data subject request (GDPR Art. 12(3)-(4)), in
//! the organisation's name: a letter whose kind follows the request's state.
//!
//! | the request                       | the letter says                                   |
//! |-----------------------------------|---------------------------------------------------|
//! | completed as "no data"            | we hold no personal data about you (Art. 15(1))   |
//! | completed access / portability    | what is enclosed: the access report, the JSON copy |
//! | completed erasure                 | erased on that day; what was kept, why, until when, restricted meanwhile (Art. 17(3)(b), (e)) |
//! | completed rectification, restriction, objection | what was done, in plain words       |
//! | refused                           | the ground and its article, the reasons, the right to complain and to a judicial remedy (Art. 12(4)) |
//! | extended                          | the new deadline, the further months and the reasons (Art. 12(3)) |
//!
//! An open request that is not extended has no reply yet: [`build`] refuses it.
//!
//! Every letter carries the organisation's name and contact details, the date, the
//! addressee, the request's reference and the day it was received, the right to
//! complain to the supervisory authority with its contact details (Art. 77), the right
//! to a judicial remedy (Art. 79) and a closing in the organisation's name.
//!
//! The model is the letter as written: every sentence is made here, in the letter's
//! language, so the PDF (`templates/letter.typ`) and the plain text ([`text`]) print
//! the same words. The texts are (English, bokmål) pairs picked with [`labels::tr`],
//! in Datatilsynet's terms. The model holds personal data (the addressee, the reasons
//! given), so its `Debug` prints no values.

use std::fmt;

use chrono::NaiveDate;
use privreg_core::labels::{self as core_labels, article, Labelled};
use privreg_core::model::{Id, Redacted};
use privreg_core::store::erasure::{KeptBecause, KeptRecord};
use privreg_core::store::notify::NotifyStatus;
use privreg_core::store::requests::{
    Outcome, RefusalGround, Request, RequestKind, RequestStatus, RequestView,
};
use privreg_core::templates::Lang;
use privreg_core::{InputError, Register};
use serde::Serialize;

use crate::art30::{ControllerBlock, Term};
use crate::labels::{self, tr};
use crate::{ReportError, Result};

/// `schema` of the letter's JSON form.
pub const SCHEMA: &str = "privreg.reply_letter";
pub const SCHEMA_VERSION: u32 = 1;

/// The width the plain text is wrapped to.
pub const TEXT_WIDTH: usize = 76;

type Pair = (&'static str, &'static str);

privreg_core::closed_list! {
    /// What a reply letter says, following the request's state.
    pub enum LetterKind("letter kind") {
        /// Completed: we hold no personal data about the person (Art. 15(1)).
        NoData = "no_data",
        Access = "access",
        Portability = "portability",
        Erasure = "erasure",
        Rectification = "rectification",
        Restriction = "restriction",
        Objection = "objection",
        Refused = "refused",
        /// The deadline was extended (Art. 12(3)).
        Extended = "extended",
    }
}

/// One line of the block at the top: "Our reference: ...".
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

impl fmt::Debug for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fact")
            .field("label", &self.label)
            .field("value", &Redacted(&self.value))
            .finish()
    }
}

privreg_core::closed_list! {
    /// How a piece of a section is printed.
    pub enum BlockKind("letter block kind") {
        /// A paragraph.
        Paragraph = "paragraph",
        /// A bullet point.
        Item = "item",
        /// An address or contact details, indented.
        Address = "address",
    }
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

impl fmt::Debug for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Block")
            .field("kind", &self.kind)
            .field("text", &Redacted(&self.text))
            .finish()
    }
}

/// A part of the letter under its own heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterSection {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// A group of records an erasure kept (Art. 17(3)): no personal data, only the
/// activity, the category and the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeptEntry {
    pub activity: String,
    pub category: String,
    pub records: usize,
    /// `legal_obligation` (Art. 17(3)(b)) or `legal_claims` (a legal hold, Art. 17(3)(e)).
    pub ground: String,
    /// The article in the letter's style.
    pub article: String,
    /// The retention rule in words (empty for a hold).
    pub rule: String,
    /// The first day the data may be erased; `None`: while the hold lasts, or a rule
    /// "until further notice".
    pub may_go_on: Option<NaiveDate>,
    /// The sentence the letter prints.
    pub text: String,
}

/// What an erasure letter reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErasureFacts {
    pub erased_on: NaiveDate,
    pub receipt_id: Option<String>,
    pub kept: Vec<KeptEntry>,
    /// Whether nothing of the person's data is left (what was kept has gone too).
    pub complete: bool,
}

/// What a refusal letter reports.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct RefusalFacts {
    /// `None` for a request refused before grounds were recorded.
    pub ground: Option<Term>,
    /// The ground's article in the letter's style.
    pub article: Option<String>,
    /// The reasons as given (may name the person).
    pub reasons: String,
}

impl fmt::Debug for RefusalFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefusalFacts")
            .field("ground", &self.ground)
            .field("reasons", &Redacted(&self.reasons))
            .finish()
    }
}

/// What an extension letter reports (Art. 12(3)).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ExtensionFacts {
    /// Further months in all (1 or 2).
    pub months: u32,
    /// The deadline that now applies.
    pub due_on: NaiveDate,
    pub reasons: String,
}

impl fmt::Debug for ExtensionFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExtensionFacts")
            .field("months", &self.months)
            .field("due_on", &self.due_on)
            .field("reasons", &Redacted(&self.reasons))
            .finish()
    }
}

/// The reply letter as written.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ReplyLetter {
    pub schema: String,
    pub schema_version: u32,
    pub lang: String,
    pub kind: LetterKind,
    /// The register's id of the request.
    pub request_id: Id,
    /// The request's public reference (`public_id`).
    pub reference: String,
    pub request_kind: Term,
    pub received_on: NaiveDate,
    /// When it was produced, RFC 3339 in UTC.
    pub generated_at: String,
    /// The letter's date in words.
    pub date: String,
    pub controller: ControllerBlock,
    /// The organisation's name as the letter prints it (or the "missing" label).
    pub sender: String,
    /// The lines under the organisation's name: number, address, e-mail, telephone.
    pub letterhead: Vec<String>,
    /// Whom the letter is to; empty when no name is known (an erased person).
    pub addressee: String,
    pub facts: Vec<Fact>,
    pub title: String,
    pub salutation: String,
    /// The answer itself, one string per paragraph.
    pub body: Vec<String>,
    pub sections: Vec<LetterSection>,
    pub closing: String,
    pub signature: Vec<String>,
    /// The line at the foot of every page.
    pub footer: String,
    /// The supervisory authority with its contact details.
    pub authority: String,
    pub erasure: Option<ErasureFacts>,
    pub refusal: Option<RefusalFacts>,
    pub extension: Option<ExtensionFacts>,
}

impl fmt::Debug for ReplyLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplyLetter")
            .field("kind", &self.kind)
            .field("lang", &self.lang)
            .field("request_id", &self.request_id)
            .field("reference", &self.reference)
            .field("addressee", &Redacted(&self.addressee))
            .field("body", &self.body.len())
            .field("sections", &self.sections.len())
            .field("erasure", &self.erasure)
            .field("refusal", &self.refusal)
            .field("extension", &self.extension)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------
// The letter's words, (English, bokmål). `{...}` are filled in by `fill`.
// ---------------------------------------------------------------------------------

const TITLE_REPLY: Pair = ("Reply to {request} ({art})", "Svar på {request} ({art})");
const TITLE_EXTENDED: Pair = (
    "{request} ({art}): we need more time",
    "{request} ({art}): vi trenger mer tid",
);
const FACT_TO: Pair = ("To", "Til");
const FACT_DATE: Pair = ("Date", "Dato");
const FACT_REFERENCE: Pair = ("Our reference", "Vår referanse");
const FACT_REQUEST: Pair = ("Your request", "Ditt krav");
const FACT_RECEIVED: Pair = ("Received", "Mottatt");
const FACT_NEW_DEADLINE: Pair = ("New deadline", "Ny frist");
const ORG_NUMBER: Pair = ("Org. no. {n}", "Org.nr. {n}");
const SALUTATION_NAMED: Pair = ("Dear {name},", "Hei {name},");
const SALUTATION_UNNAMED: Pair = ("Dear Sir or Madam,", "Hei,");
const OPENING: Pair = (
    "We refer to {request}, which we received on {date}.",
    "Vi viser til {request}, som vi mottok {date}.",
);

const NO_DATA: Pair = (
    "We have searched our records. We hold no personal data about you, and we do not process any personal data about you ({art}).",
    "Vi har gått gjennom registrene våre. Vi har ingen personopplysninger om deg, og vi behandler ingen personopplysninger om deg ({art}).",
);
const NO_DATA_NOTHING_TO_DO: Pair = (
    "There is therefore nothing for us to do under your request, and we have closed it.",
    "Det er derfor ikke noe for oss å gjøre etter kravet ditt, og vi har avsluttet saken.",
);

const ACCESS: Pair = (
    "Enclosed is a copy of the personal data we hold about you ({art}). The access report also tells you, for each processing activity, why we process the data and on what legal basis, which kinds of data it concerns, who receives them, how long we keep them, where they come from, and which rights you have.",
    "Vedlagt følger en kopi av personopplysningene vi har om deg ({art}). Innsynsrapporten viser også, for hver behandlingsaktivitet, hvorfor vi behandler opplysningene og på hvilket rettslig grunnlag, hvilke typer opplysninger det gjelder, hvem som mottar dem, hvor lenge vi lagrer dem, hvor de kommer fra, og hvilke rettigheter du har.",
);
const ACCESS_FREE: Pair = ("The copy is free of charge.", "Kopien er gratis.");
const PORTABILITY: Pair = (
    "Enclosed are the personal data you have provided to us, in {format}: a structured, commonly used and machine-readable format ({art}). You may pass them on to another controller, or ask us to send them directly where that is technically feasible.",
    "Vedlagt følger personopplysningene du har gitt oss, i {format}: et strukturert, alminnelig anvendt og maskinlesbart format ({art}). Du kan gi dem videre til en annen behandlingsansvarlig, eller be oss overføre dem direkte dit der det er teknisk mulig.",
);
const ENCLOSED: Pair = ("Enclosed", "Vedlegg");
const ENCLOSED_ACCESS: Pair = (
    "Your access report: a copy of your personal data ({format})",
    "Innsynsrapporten din: en kopi av personopplysningene dine ({format})",
);
const ENCLOSED_PORTABILITY: Pair = (
    "Your personal data in a machine-readable format ({format})",
    "Personopplysningene dine i maskinlesbart format ({format})",
);

const ERASED: Pair = (
    "On {date} we erased the personal data we held about you ({art}).",
    "Vi slettet personopplysningene vi hadde om deg, den {date} ({art}).",
);
const ERASED_BUT_KEPT: Pair = (
    "On {date} we erased the personal data we held about you, except the data listed below, which the law requires us to keep for a while longer ({art}).",
    "Vi slettet personopplysningene vi hadde om deg, den {date}, bortsett fra opplysningene nedenfor, som vi etter loven må oppbevare en tid til ({art}).",
);
const KEPT_NONE: Pair = (
    "No law required us to keep any of it.",
    "Ingen lov krevde at vi oppbevarte noe av det.",
);
const KEPT_RESTRICTED: Pair = (
    "Until it may be erased, what we keep is restricted: we store it, but use it for nothing else ({art}). We erase it when its time is up, without your having to ask again.",
    "Fram til opplysningene kan slettes, er behandlingen av dem begrenset: vi oppbevarer dem, men bruker dem ikke til noe annet ({art}). Vi sletter dem når tiden er ute, uten at du trenger å be om det igjen.",
);
const KEPT_SINCE_ERASED: Pair = (
    "What we kept has since been erased too, on {date}.",
    "Det vi oppbevarte, er siden også slettet, den {date}.",
);
const SUPPRESSION: Pair = (
    "So that we do not register you again by mistake, for example when we import a contact list, we keep only a coded fingerprint of the e-mail address or telephone number you were registered with (a keyed hash, from which they cannot be read) and the date.",
    "For at vi ikke skal registrere deg på nytt ved en feil, for eksempel når vi importerer en kontaktliste, oppbevarer vi bare et kodet fingeravtrykk av e-postadressen eller telefonnummeret du var registrert med (en nøkkelbasert hash som de ikke kan leses ut av), og datoen.",
);
const KEPT_HEADING: Pair = (
    "What we have kept, and why",
    "Dette har vi oppbevart, og hvorfor",
);
const KEPT_RECORDS: Pair = (" ({n} records)", " ({n} opplysninger)");
const KEPT_OBLIGATION: Pair = (
    "A legal obligation requires us to keep it",
    "En rettslig forpliktelse krever at vi oppbevarer det",
);
const KEPT_HOLD: Pair = (
    "It is needed for the establishment, exercise or defence of legal claims",
    "Det er nødvendig for at rettskrav skal kunne fastsettes, gjøres gjeldende eller forsvares",
);
const KEPT_UNTIL: Pair = (
    "It may be erased from {date}.",
    "Det kan slettes fra og med {date}.",
);
const KEPT_WHILE_HOLD: Pair = (
    "It is kept while the legal claim lasts.",
    "Det oppbevares så lenge rettskravet varer.",
);
const KEPT_UNTIL_FURTHER_NOTICE: Pair = (
    "It is kept until further notice.",
    "Det oppbevares inntil videre.",
);
const UNTIL_FURTHER_NOTICE: Pair = ("until further notice", "inntil videre");
const ART19: Pair = (
    "We tell those to whom we have disclosed your data about the {what}, unless that proves impossible or involves disproportionate effort, and we will tell you who they are if you ask ({art}).",
    "Vi gir beskjed om {what} til dem vi har utlevert opplysningene dine til, med mindre det viser seg umulig eller uforholdsmessig vanskelig, og vi forteller deg hvem de er hvis du ber om det ({art}).",
);
const ART19_ERASURE: Pair = ("erasure", "slettingen");
const PARTLY_HEADING: Pair = ("What we have not done", "Hva vi ikke har gjort");
const PARTLY: Pair = (
    "We have met your request only in part. We have not done the following: {not_done}",
    "Vi har bare delvis oppfylt kravet ditt. Dette har vi ikke gjort: {not_done}",
);
const PARTLY_GROUND: Pair = ("The ground: {ground}.", "Grunnlaget: {ground}.");
const FEE_HEADING: Pair = ("Fee", "Gebyr");
const FEE: Pair = (
    "We charge a fee of {amount} {currency} for this request: {ground}.",
    "Vi krever et gebyr på {amount} {currency} for dette kravet: {ground}.",
);
const FEE_REASON: Pair = (
    "The fee covers the administrative costs: {reason}",
    "Gebyret dekker de administrative kostnadene: {reason}",
);
const TOLD_HEADING: Pair = (
    "Recipients told of the change (Art. 19)",
    "Mottakere som er underrettet om endringen (art. 19)",
);
const TOLD_ON: Pair = (
    "{recipient}: told on {date}",
    "{recipient}: underrettet {date}",
);
const TOLD_NOT: Pair = ("{recipient}: {status}", "{recipient}: {status}");
const TOLD_OPEN: Pair = ("{recipient}: to be told", "{recipient}: blir underrettet");
const ART19_RECTIFICATION: Pair = ("correction", "rettingen");
const ART19_RESTRICTION: Pair = ("restriction", "begrensningen");

const RECTIFIED: Pair = (
    "We have corrected the data about you as you asked ({art}).",
    "Vi har rettet opplysningene om deg slik du ba om ({art}).",
);
const RECTIFIED_WHAT: Pair = ("What we corrected: {list}.", "Dette har vi rettet: {list}.");
const YOUR_NAME: Pair = ("your name", "navnet ditt");
const YOUR_EMAIL: Pair = ("your e-mail address", "e-postadressen din");
const YOUR_PHONE: Pair = ("your telephone number", "telefonnummeret ditt");
const ONE_OTHER: Pair = ("one other piece of information", "én annen opplysning");
const N_OTHER: Pair = ("{n} other pieces of information", "{n} andre opplysninger");
const AND: Pair = ("and", "og");

const RESTRICTED: Pair = (
    "From {date} the processing of your personal data is restricted ({art}): we store your data, but do not otherwise use it without your consent, except for the establishment, exercise or defence of legal claims, to protect the rights of another person, or for reasons of important public interest.",
    "Fra {date} er behandlingen av personopplysningene dine begrenset ({art}): vi oppbevarer opplysningene, men bruker dem ikke ellers uten samtykke fra deg, bortsett fra for at rettskrav skal kunne fastsettes, gjøres gjeldende eller forsvares, for å verne en annen persons rettigheter eller av hensyn til viktige allmenne interesser.",
);
const RESTRICTION_LIFT: Pair = (
    "We will tell you before the restriction is lifted ({art}).",
    "Vi gir deg beskjed før begrensningen oppheves ({art}).",
);

const OBJECTION_DONE: Pair = (
    "From {date} we no longer use your personal data for direct marketing, and we will not do so again ({art}). You will receive no more marketing from us.",
    "Fra {date} bruker vi ikke lenger personopplysningene dine til direkte markedsføring, og vi kommer ikke til å gjøre det igjen ({art}). Du får ikke mer markedsføring fra oss.",
);

const REFUSED: Pair = (
    "We have considered your request and have decided not to grant it. Our reasons are set out below ({art}).",
    "Vi har vurdert kravet ditt og har kommet til at vi ikke kan imøtekomme det. Begrunnelsen følger nedenfor ({art}).",
);
const REFUSED_HEADING: Pair = (
    "Why we cannot grant your request",
    "Hvorfor vi ikke kan imøtekomme kravet ditt",
);
const REFUSED_GROUND: Pair = (
    "The ground for our decision: {ground}.",
    "Grunnlaget for avgjørelsen: {ground}.",
);
const REFUSED_REASONS: Pair = ("Our reasons: {reasons}", "Begrunnelse: {reasons}");
const REFUSED_IDENTITY_AGAIN: Pair = (
    "If you give us further information that lets us identify you, we will consider your request again ({art}).",
    "Hvis du gir oss flere opplysninger som gjør at vi kan identifisere deg, vurderer vi kravet ditt på nytt ({art}).",
);
const REFUSED_REMEDIES: Pair = (
    "You may complain about our decision to {authority}, and you may bring the matter before the courts; see below.",
    "Du kan klage på avgjørelsen til {authority}, og du kan bringe saken inn for domstolene; se nedenfor.",
);

const EXTENDED: Pair = (
    "We need more time to answer it. As {art} allows, we are extending the time limit by {months}. You will have our answer by {date} at the latest.",
    "Vi trenger mer tid til å svare. Slik {art} åpner for, forlenger vi fristen med {months}. Du får svar fra oss senest {date}.",
);
const ONE_MONTH: Pair = ("one further month", "én måned");
const TWO_MONTHS: Pair = ("two further months", "to måneder");
const N_MONTHS: Pair = ("{n} further months", "{n} måneder");
const EXTENDED_HEADING: Pair = ("Why we need more time", "Hvorfor vi trenger mer tid");

const COMPLAINT_HEADING: Pair = ("Your right to complain", "Retten til å klage");
const COMPLAINT: Pair = (
    "If you are not satisfied with our answer, or believe that our processing of your personal data breaks the rules, you may lodge a complaint with {authority} ({art}):",
    "Hvis du ikke er fornøyd med svaret vårt, eller mener at behandlingen av personopplysningene dine bryter med regelverket, kan du klage til {authority} ({art}):",
);
const TO_DATATILSYNET: Pair = (
    "Datatilsynet, the Norwegian Data Protection Authority",
    "Datatilsynet",
);
const TO_AUTHORITY: Pair = ("the supervisory authority", "tilsynsmyndigheten");
const REMEDY_DATATILSYNET: Pair = ("Datatilsynet", "Datatilsynet");
const JUDICIAL_REMEDY: Pair = (
    "You also have the right to an effective judicial remedy: you may bring the matter before the courts ({art}).",
    "Du har også rett til et effektivt rettsmiddel: du kan bringe saken inn for domstolene ({art}).",
);
const JUDICIAL_REMEDY_ARTICLE: &str = "Art. 79";

const QUESTIONS_HEADING: Pair = ("Questions", "Spørsmål");
const QUESTIONS: Pair = (
    "If you have any questions about this letter, please contact us:",
    "Har du spørsmål om dette brevet, kan du kontakte oss:",
);
const DPO_LINE: Pair = (
    "Our data protection officer: {contact}",
    "Personvernombudet vårt: {contact}",
);
const CLOSING: Pair = ("Yours sincerely,", "Med vennlig hilsen");

/// `pair` in `lang` with each `{key}` replaced.
/// The organisation's name as a letter signs it (or the "missing" label) and the
/// lines under it: number, address, e-mail and telephone, website. Shared by the reply
/// letter and the letters about a breach.
pub(crate) fn sender_and_letterhead(
    lang: Lang,
    controller: &ControllerBlock,
) -> (String, Vec<String>) {
    let sender = if controller.organisation.is_empty() {
        labels::label(lang, "missing").to_string()
    } else {
        controller.organisation.clone()
    };
    let mut letterhead = Vec::new();
    if !controller.org_number.is_empty() {
        letterhead.push(fill(lang, ORG_NUMBER, &[("n", &controller.org_number)]));
    }
    if !controller.address.is_empty() {
        letterhead.push(controller.address.clone());
    }
    let reach: Vec<&str> = [&controller.email, &controller.phone]
        .into_iter()
        .map(|s| s.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    if !reach.is_empty() {
        letterhead.push(reach.join(" · "));
    }
    if !controller.website.is_empty() {
        letterhead.push(controller.website.clone());
    }
    (sender, letterhead)
}

/// `pair` in `lang` with each `{key}` replaced.
pub(crate) fn fill(lang: Lang, pair: Pair, values: &[(&str, &str)]) -> String {
    let mut s = tr(lang, pair).to_string();
    for (k, v) in values {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// "your request for erasure": the request as the letter names it.
fn request_phrase(kind: RequestKind) -> Pair {
    match kind {
        RequestKind::Access => ("your request for access", "kravet ditt om innsyn"),
        RequestKind::Rectification => ("your request for rectification", "kravet ditt om retting"),
        RequestKind::Erasure => ("your request for erasure", "kravet ditt om sletting"),
        RequestKind::Restriction => (
            "your request for restriction of processing",
            "kravet ditt om begrensning av behandlingen",
        ),
        RequestKind::Portability => (
            "your request for data portability",
            "kravet ditt om dataportabilitet",
        ),
        RequestKind::Objection => ("your objection", "protesten din"),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
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

/// "a, b and c".
fn and_list(lang: Lang, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {}", init.join(", "), tr(lang, AND), last),
    }
}

fn paragraph(text: impl Into<String>) -> Block {
    Block {
        kind: BlockKind::Paragraph,
        text: text.into(),
    }
}

fn item(text: impl Into<String>) -> Block {
    Block {
        kind: BlockKind::Item,
        text: text.into(),
    }
}

fn address(text: impl Into<String>) -> Block {
    Block {
        kind: BlockKind::Address,
        text: text.into(),
    }
}

/// The sentence on the right to a judicial remedy (Art. 79) that every letter prints.
pub fn judicial_remedy(lang: Lang) -> String {
    fill(
        lang,
        JUDICIAL_REMEDY,
        &[("art", &article(lang, JUDICIAL_REMEDY_ARTICLE))],
    )
}

fn is_datatilsynet(authority: &str) -> bool {
    authority
        .trim_start()
        .to_lowercase()
        .starts_with("datatilsynet")
}

/// The letter's kind, from the request's state and actions; an error for an open
/// request that is not extended.
fn letter_kind(view: &RequestView) -> Result<LetterKind> {
    let r = &view.request;
    Ok(match r.status {
        RequestStatus::Refused => LetterKind::Refused,
        RequestStatus::Extended => LetterKind::Extended,
        RequestStatus::Completed if view.actions.iter().any(|a| a.action == "no_data") => {
            LetterKind::NoData
        }
        RequestStatus::Completed => match r.kind {
            RequestKind::Access => LetterKind::Access,
            RequestKind::Portability => LetterKind::Portability,
            RequestKind::Erasure => LetterKind::Erasure,
            RequestKind::Rectification => LetterKind::Rectification,
            RequestKind::Restriction => LetterKind::Restriction,
            RequestKind::Objection => LetterKind::Objection,
        },
        RequestStatus::Received | RequestStatus::InProgress => {
            return Err(ReportError::Core(
                InputError::invalid(
                    "request",
                    "the request is open and its deadline has not been extended: there is no reply to write yet",
                )
                .into(),
            ))
        }
    })
}

/// The matched subject's name if the subject still exists, else the requester's name
/// as given (wiped when the person was erased: then empty).
fn addressee(reg: &Register, r: &Request) -> Result<String> {
    if let Some(id) = r.subject_id {
        match reg.subject(id) {
            Ok(s) if !s.fields.name.trim().is_empty() => {
                return Ok(s.fields.name.trim().to_string())
            }
            Ok(_) | Err(privreg_core::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(r.requester.name.trim().to_string())
}

/// The kept records grouped by activity, category, ground and day, each with its
/// sentence.
fn kept_entries(reg: &Register, lang: Lang, kept: &[KeptRecord]) -> Vec<KeptEntry> {
    let mut groups: Vec<(&KeptRecord, usize)> = Vec::new();
    for k in kept {
        let same = groups.iter().position(|(g, _)| {
            g.activity_id == k.activity_id
                && g.category.trim().eq_ignore_ascii_case(k.category.trim())
                && g.because == k.because
                && g.may_go_on == k.may_go_on
        });
        match same {
            Some(i) => groups[i].1 += 1,
            None => groups.push((k, 1)),
        }
    }
    groups
        .into_iter()
        .map(|(k, records)| {
            let count = if records > 1 {
                fill(lang, KEPT_RECORDS, &[("n", &records.to_string())])
            } else {
                String::new()
            };
            let what = format!("{}: {}{}.", k.activity.trim(), k.category.trim(), count);
            let (ground, reference, rule, why) = match &k.because {
                KeptBecause::LegalObligation { trigger, period } => {
                    let head = match period {
                        Some(p) => format!(
                            "{} {}",
                            core_labels::period(lang, *p),
                            core_labels::retention_trigger_after(lang, *trigger)
                        ),
                        None => tr(lang, UNTIL_FURTHER_NOTICE).to_string(),
                    };
                    // The rule's justification as the activity states it now.
                    let justification = match reg.activity(k.activity_id) {
                        Ok(st) => st
                            .activity
                            .category(&k.category)
                            .and_then(|c| c.retention.as_ref())
                            .map(|r| r.justification.trim().to_string())
                            .unwrap_or_default(),
                        Err(_) => String::new(),
                    };
                    let rule = if justification.is_empty() {
                        format!("{head}.")
                    } else {
                        format!("{head}. {justification}")
                    };
                    (
                        RefusalGround::LegalObligation,
                        "Art. 17(3)(b)",
                        rule,
                        KEPT_OBLIGATION,
                    )
                }
                KeptBecause::Hold { .. } => (
                    RefusalGround::LegalClaims,
                    "Art. 17(3)(e)",
                    String::new(),
                    KEPT_HOLD,
                ),
            };
            let reference = article(lang, reference);
            let until = match (k.may_go_on, &k.because) {
                (Some(d), _) => fill(lang, KEPT_UNTIL, &[("date", &labels::date(lang, d))]),
                (None, KeptBecause::Hold { .. }) => tr(lang, KEPT_WHILE_HOLD).to_string(),
                (None, KeptBecause::LegalObligation { .. }) => {
                    tr(lang, KEPT_UNTIL_FURTHER_NOTICE).to_string()
                }
            };
            let text = if rule.is_empty() {
                format!("{what} {} ({reference}). {until}", tr(lang, why))
            } else {
                format!("{what} {} ({reference}): {rule} {until}", tr(lang, why))
            };
            KeptEntry {
                activity: k.activity.trim().to_string(),
                category: k.category.trim().to_string(),
                records,
                ground: ground.code().to_string(),
                article: reference,
                rule,
                may_go_on: k.may_go_on,
                text,
            }
        })
        .collect()
}

/// What a rectification changed, from its action's detail ("name,email,records:2").
fn rectified_list(lang: Lang, detail: &str) -> Vec<String> {
    detail
        .split(',')
        .filter_map(|part| match part.trim() {
            "name" => Some(tr(lang, YOUR_NAME).to_string()),
            "email" => Some(tr(lang, YOUR_EMAIL).to_string()),
            "phone" => Some(tr(lang, YOUR_PHONE).to_string()),
            other => other
                .strip_prefix("records:")
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n > 0)
                .map(|n| {
                    if n == 1 {
                        tr(lang, ONE_OTHER).to_string()
                    } else {
                        fill(lang, N_OTHER, &[("n", &n.to_string())])
                    }
                }),
        })
        .collect()
}

fn months_words(lang: Lang, months: u32) -> String {
    match months {
        1 => tr(lang, ONE_MONTH).to_string(),
        2 => tr(lang, TWO_MONTHS).to_string(),
        n => fill(lang, N_MONTHS, &[("n", &n.to_string())]),
    }
}

fn complaint_section(lang: Lang, c: &ControllerBlock) -> LetterSection {
    let to = if is_datatilsynet(&c.supervisory_authority) {
        tr(lang, TO_DATATILSYNET)
    } else {
        tr(lang, TO_AUTHORITY)
    };
    LetterSection {
        heading: tr(lang, COMPLAINT_HEADING).to_string(),
        blocks: vec![
            paragraph(fill(
                lang,
                COMPLAINT,
                &[
                    ("authority", to),
                    ("art", &article(lang, labels::COMPLAINT_ARTICLE)),
                ],
            )),
            address(c.supervisory_authority.clone()),
            paragraph(judicial_remedy(lang)),
        ],
    }
}

fn contact_section(lang: Lang, c: &ControllerBlock) -> LetterSection {
    let mut blocks = vec![paragraph(tr(lang, QUESTIONS))];
    let contact: Vec<&str> = [&c.email, &c.phone, &c.address, &c.website]
        .into_iter()
        .map(|s| s.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    if !contact.is_empty() {
        blocks.push(address(contact.join(", ")));
    }
    if let Some(dpo) = &c.dpo {
        let parts: Vec<&str> = [&dpo.name, &dpo.email, &dpo.phone]
            .into_iter()
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        if !parts.is_empty() {
            blocks.push(address(fill(
                lang,
                DPO_LINE,
                &[("contact", &parts.join(", "))],
            )));
        }
    }
    LetterSection {
        heading: tr(lang, QUESTIONS_HEADING).to_string(),
        blocks,
    }
}

/// Builds the reply to request `request_id` in `lang`. Reads only (not audited: use
/// [`crate::export_reply`] to give the letter to anyone). An open request that is not
/// extended has no reply yet: an `input.invalid` error.
pub fn build(reg: &Register, request_id: Id, lang: Lang) -> Result<ReplyLetter> {
    let view = reg.request_view(request_id)?;
    let kind = letter_kind(&view)?;
    let req = &view.request;
    let now = reg.clock().now();
    let today = reg.clock().today();
    let controller = ControllerBlock::from(lang, reg.controller()?.as_ref());
    let addressee = addressee(reg, req)?;
    let date = |d: NaiveDate| labels::date(lang, d);
    let art = |r: &str| article(lang, r);
    let phrase = tr(lang, request_phrase(req.kind));
    let received = date(req.received_on);
    let closed = date(req.closed_on.unwrap_or(today));

    let (sender, letterhead) = sender_and_letterhead(lang, &controller);

    let mut facts = Vec::new();
    let fact = |label: Pair, value: String| Fact {
        label: tr(lang, label).to_string(),
        value,
    };
    if !addressee.is_empty() {
        facts.push(fact(FACT_TO, addressee.clone()));
    }
    facts.push(fact(FACT_DATE, date(today)));
    facts.push(fact(FACT_REFERENCE, req.public_id.clone()));
    facts.push(fact(FACT_REQUEST, req.kind.label_with_article(lang)));
    facts.push(fact(FACT_RECEIVED, received.clone()));

    let kind_art = art(req.kind.article());
    let title = match kind {
        LetterKind::Extended => fill(
            lang,
            TITLE_EXTENDED,
            &[("request", &capitalised(phrase)), ("art", &kind_art)],
        ),
        _ => fill(
            lang,
            TITLE_REPLY,
            &[("request", phrase), ("art", &kind_art)],
        ),
    };
    let salutation = if addressee.is_empty() {
        tr(lang, SALUTATION_UNNAMED).to_string()
    } else {
        fill(lang, SALUTATION_NAMED, &[("name", &addressee)])
    };

    let mut body = vec![fill(
        lang,
        OPENING,
        &[("request", phrase), ("date", &received)],
    )];
    let mut sections = Vec::new();
    let mut erasure = None;
    let mut refusal = None;
    let mut extension = None;
    let sent_format = req
        .response
        .as_ref()
        .map(|s| s.format.trim().to_uppercase())
        .filter(|s| !s.is_empty());

    match kind {
        LetterKind::NoData => {
            let reference = if req.kind == RequestKind::Access {
                "Art. 15(1)"
            } else {
                req.kind.article()
            };
            body.push(fill(lang, NO_DATA, &[("art", &art(reference))]));
            if !matches!(req.kind, RequestKind::Access | RequestKind::Portability) {
                body.push(tr(lang, NO_DATA_NOTHING_TO_DO).to_string());
            }
        }
        LetterKind::Access => {
            let format = sent_format.unwrap_or_else(|| "PDF".to_string());
            body.push(fill(lang, ACCESS, &[("art", &art("Art. 15(3)"))]));
            // Free of charge, unless a fee for further copies was charged (Art. 15(3)).
            if req.fee.is_none() {
                body.push(tr(lang, ACCESS_FREE).to_string());
            }
            sections.push(LetterSection {
                heading: tr(lang, ENCLOSED).to_string(),
                blocks: vec![item(fill(lang, ENCLOSED_ACCESS, &[("format", &format)]))],
            });
        }
        LetterKind::Portability => {
            let format = sent_format.unwrap_or_else(|| "JSON".to_string());
            body.push(fill(
                lang,
                PORTABILITY,
                &[("format", &format), ("art", &art("Art. 20(1)"))],
            ));
            sections.push(LetterSection {
                heading: tr(lang, ENCLOSED).to_string(),
                blocks: vec![item(fill(
                    lang,
                    ENCLOSED_PORTABILITY,
                    &[("format", &format)],
                ))],
            });
        }
        LetterKind::Erasure => {
            let receipt = match &req.receipt_id {
                Some(id) => Some(reg.erasure_receipt(id)?),
                None => None,
            };
            let erased_on = req.closed_on.unwrap_or(today);
            let kept = receipt
                .as_ref()
                .map(|r| kept_entries(reg, lang, &r.kept))
                .unwrap_or_default();
            let complete = receipt.as_ref().is_none_or(|r| r.is_complete());
            if kept.is_empty() {
                body.push(fill(
                    lang,
                    ERASED,
                    &[("date", &date(erased_on)), ("art", &art("Art. 17(1)"))],
                ));
                body.push(tr(lang, KEPT_NONE).to_string());
            } else {
                body.push(fill(
                    lang,
                    ERASED_BUT_KEPT,
                    &[("date", &date(erased_on)), ("art", &art("Art. 17(3)"))],
                ));
                body.push(fill(lang, KEPT_RESTRICTED, &[("art", &art("Art. 18"))]));
                if let Some(done) = receipt.as_ref().and_then(|r| r.completed_at) {
                    body.push(fill(
                        lang,
                        KEPT_SINCE_ERASED,
                        &[("date", &date(done.date_naive()))],
                    ));
                }
                sections.push(LetterSection {
                    heading: tr(lang, KEPT_HEADING).to_string(),
                    blocks: kept.iter().map(|k| item(k.text.clone())).collect(),
                });
            }
            body.push(tr(lang, SUPPRESSION).to_string());
            if receipt.as_ref().is_some_and(|r| !r.notify.is_empty()) {
                body.push(fill(
                    lang,
                    ART19,
                    &[("what", tr(lang, ART19_ERASURE)), ("art", &art("Art. 19"))],
                ));
            }
            erasure = Some(ErasureFacts {
                erased_on,
                receipt_id: req.receipt_id.clone(),
                kept,
                complete,
            });
        }
        LetterKind::Rectification => {
            body.push(fill(lang, RECTIFIED, &[("art", &art("Art. 16"))]));
            let changed = view
                .actions
                .iter()
                .rev()
                .find(|a| a.action == "rectified")
                .map(|a| rectified_list(lang, &a.detail))
                .unwrap_or_default();
            if !changed.is_empty() {
                body.push(fill(
                    lang,
                    RECTIFIED_WHAT,
                    &[("list", &and_list(lang, &changed))],
                ));
            }
            body.push(fill(
                lang,
                ART19,
                &[
                    ("what", tr(lang, ART19_RECTIFICATION)),
                    ("art", &art("Art. 19")),
                ],
            ));
        }
        LetterKind::Restriction => {
            body.push(fill(
                lang,
                RESTRICTED,
                &[("date", &closed), ("art", &art("Art. 18"))],
            ));
            body.push(fill(lang, RESTRICTION_LIFT, &[("art", &art("Art. 18(3)"))]));
            body.push(fill(
                lang,
                ART19,
                &[
                    ("what", tr(lang, ART19_RESTRICTION)),
                    ("art", &art("Art. 19")),
                ],
            ));
        }
        LetterKind::Objection => {
            body.push(fill(
                lang,
                OBJECTION_DONE,
                &[("date", &closed), ("art", &art("Art. 21(3)"))],
            ));
        }
        LetterKind::Refused => {
            body.push(fill(lang, REFUSED, &[("art", &art("Art. 12(4)"))]));
            let mut blocks = Vec::new();
            if let Some(g) = req.refusal_ground {
                blocks.push(paragraph(fill(
                    lang,
                    REFUSED_GROUND,
                    &[("ground", g.label(lang))],
                )));
            }
            for (i, line) in lines_of(&req.refusal_reason).into_iter().enumerate() {
                blocks.push(paragraph(if i == 0 {
                    fill(lang, REFUSED_REASONS, &[("reasons", &line)])
                } else {
                    line
                }));
            }
            if req.refusal_ground == Some(RefusalGround::IdentityNotEstablished) {
                blocks.push(paragraph(fill(
                    lang,
                    REFUSED_IDENTITY_AGAIN,
                    &[("art", &art("Art. 11(2)"))],
                )));
            }
            let authority = if is_datatilsynet(&controller.supervisory_authority) {
                tr(lang, REMEDY_DATATILSYNET)
            } else {
                tr(lang, TO_AUTHORITY)
            };
            blocks.push(paragraph(fill(
                lang,
                REFUSED_REMEDIES,
                &[("authority", authority)],
            )));
            sections.push(LetterSection {
                heading: tr(lang, REFUSED_HEADING).to_string(),
                blocks,
            });
            refusal = Some(RefusalFacts {
                ground: req.refusal_ground.map(|g| Term {
                    code: g.code().to_string(),
                    label: g.label(lang).to_string(),
                }),
                article: req.refusal_ground.map(|g| art(g.article())),
                reasons: req.refusal_reason.trim().to_string(),
            });
        }
        LetterKind::Extended => {
            let due = req.deadline.effective_due_on;
            facts.push(fact(FACT_NEW_DEADLINE, date(due)));
            body.push(fill(
                lang,
                EXTENDED,
                &[
                    ("art", &art("Art. 12(3)")),
                    ("months", &months_words(lang, req.extension_months)),
                    ("date", &date(due)),
                ],
            ));
            let reasons = lines_of(&req.extension_reason);
            if !reasons.is_empty() {
                sections.push(LetterSection {
                    heading: tr(lang, EXTENDED_HEADING).to_string(),
                    blocks: reasons.into_iter().map(paragraph).collect(),
                });
            }
            extension = Some(ExtensionFacts {
                months: req.extension_months,
                due_on: due,
                reasons: req.extension_reason.trim().to_string(),
            });
        }
    }

    // Done in part: what was not done and the ground the law gives for it.
    if req.outcome == Some(Outcome::Partly) && kind != LetterKind::Refused {
        let mut blocks = Vec::new();
        if !req.not_done.trim().is_empty() {
            blocks.push(paragraph(fill(
                lang,
                PARTLY,
                &[("not_done", req.not_done.trim())],
            )));
        }
        if let Some(g) = req.refusal_ground {
            blocks.push(paragraph(fill(
                lang,
                PARTLY_GROUND,
                &[("ground", g.label(lang))],
            )));
        }
        if !blocks.is_empty() {
            sections.push(LetterSection {
                heading: tr(lang, PARTLY_HEADING).to_string(),
                blocks,
            });
        }
    }
    // A fee, when one was charged (Art. 12(5)(a), 15(3)); otherwise the answer is free.
    if let Some(fee) = &req.fee {
        let mut blocks = vec![paragraph(fill(
            lang,
            FEE,
            &[
                ("amount", &fee.amount),
                ("currency", &fee.currency),
                ("ground", fee.ground.label(lang)),
            ],
        ))];
        if !fee.reason.trim().is_empty() {
            blocks.push(paragraph(fill(
                lang,
                FEE_REASON,
                &[("reason", fee.reason.trim())],
            )));
        }
        sections.push(LetterSection {
            heading: tr(lang, FEE_HEADING).to_string(),
            blocks,
        });
    }
    // Art. 19, second sentence: the recipients the request's change was passed on to.
    let told: Vec<_> = match req.subject_id {
        Some(s) => reg
            .notifications_for(s)?
            .into_iter()
            .filter(|n| n.request_id == Some(req.id))
            .collect(),
        None => Vec::new(),
    };
    if !told.is_empty() {
        sections.push(LetterSection {
            heading: tr(lang, TOLD_HEADING).to_string(),
            blocks: told
                .iter()
                .map(|n| {
                    item(match (n.status, n.done_on) {
                        (NotifyStatus::Told, Some(d)) => fill(
                            lang,
                            TOLD_ON,
                            &[("recipient", &n.recipient), ("date", &date(d))],
                        ),
                        (NotifyStatus::Open, _) => {
                            fill(lang, TOLD_OPEN, &[("recipient", &n.recipient)])
                        }
                        (st, _) => fill(
                            lang,
                            TOLD_NOT,
                            &[("recipient", &n.recipient), ("status", st.label(lang))],
                        ),
                    })
                })
                .collect(),
        });
    }

    sections.push(complaint_section(lang, &controller));
    sections.push(contact_section(lang, &controller));

    let mut signature = Vec::new();
    if let Some(p) = &controller.contact_person {
        if !p.name.is_empty() {
            signature.push(p.name.clone());
        }
    }
    signature.push(sender.clone());
    let footer = format!("{sender} · {} {}", tr(lang, FACT_REFERENCE), req.public_id);

    Ok(ReplyLetter {
        schema: SCHEMA.to_string(),
        schema_version: SCHEMA_VERSION,
        lang: lang.code().to_string(),
        kind,
        request_id: req.id,
        reference: req.public_id.clone(),
        request_kind: Term {
            code: req.kind.code().to_string(),
            label: req.kind.label(lang).to_string(),
        },
        received_on: req.received_on,
        generated_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        date: date(today),
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
        closing: tr(lang, CLOSING).to_string(),
        signature,
        footer,
        erasure,
        refusal,
        extension,
    })
}

// ---------------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------------

/// `text` wrapped to `width` columns at spaces: the first line starts with `first`,
/// the others with `rest`. A word longer than a line stays whole.
pub(crate) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut len = first.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if !empty && len + 1 + w > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_string();
            len = rest.chars().count();
            empty = true;
        }
        if !empty {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += w;
        empty = false;
    }
    out.push_str(line.trim_end());
    out
}

pub(crate) fn underline(text: &str, c: char) -> String {
    let n = text
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(TEXT_WIDTH);
    std::iter::repeat_n(c, n).collect()
}

/// The letter as plain text, wrapped to [`TEXT_WIDTH`] columns, ready to paste into an
/// e-mail: the letterhead, the facts, the title, the body, each section, the closing.
pub fn text(letter: &ReplyLetter) -> String {
    text_of(TextParts {
        sender: &letter.sender,
        letterhead: &letter.letterhead,
        facts: &letter.facts,
        title: &letter.title,
        salutation: &letter.salutation,
        body: &letter.body,
        sections: &letter.sections,
        closing: &letter.closing,
        signature: &letter.signature,
    })
}

/// The parts of a letter the plain text prints; shared with the letter about a breach
/// ([`crate::breach`]).
pub(crate) struct TextParts<'a> {
    pub sender: &'a str,
    pub letterhead: &'a [String],
    pub facts: &'a [Fact],
    pub title: &'a str,
    pub salutation: &'a str,
    pub body: &'a [String],
    pub sections: &'a [LetterSection],
    pub closing: &'a str,
    pub signature: &'a [String],
}

/// A letter as plain text, wrapped to [`TEXT_WIDTH`] columns.
pub(crate) fn text_of(letter: TextParts<'_>) -> String {
    let w = TEXT_WIDTH;
    let mut out: Vec<String> = Vec::new();
    out.push(letter.sender.to_string());
    for l in letter.letterhead.iter() {
        out.push(wrap(l, w, "", ""));
    }
    out.push(String::new());
    let label_width = letter
        .facts
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0);
    for f in letter.facts.iter() {
        let pad = label_width - f.label.chars().count();
        let head = format!("{}:{} ", f.label, " ".repeat(pad));
        let indent = " ".repeat(head.chars().count());
        out.push(wrap(&f.value, w, &head, &indent));
    }
    out.push(String::new());
    let title = wrap(letter.title, w, "", "");
    let rule = underline(&title, '=');
    out.push(title);
    out.push(rule);
    out.push(String::new());
    out.push(letter.salutation.to_string());
    for p in letter.body.iter() {
        out.push(String::new());
        out.push(wrap(p, w, "", ""));
    }
    for s in letter.sections.iter() {
        out.push(String::new());
        if !s.heading.is_empty() {
            let heading = wrap(&s.heading, w, "", "");
            let rule = underline(&heading, '-');
            out.push(heading);
            out.push(rule);
        }
        let mut previous: Option<BlockKind> = None;
        for b in &s.blocks {
            // Bullet points follow each other without a blank line; anything else
            // gets one (a heading is followed directly by its first block).
            let tight = previous.is_none()
                || (previous == Some(BlockKind::Item) && b.kind == BlockKind::Item);
            if !tight {
                out.push(String::new());
            }
            out.push(match b.kind {
                BlockKind::Paragraph => wrap(&b.text, w, "", ""),
                BlockKind::Item => wrap(&b.text, w, "- ", "  "),
                BlockKind::Address => wrap(&b.text, w, "    ", "    "),
            });
            previous = Some(b.kind);
        }
    }
    out.push(String::new());
    out.push(letter.closing.to_string());
    out.push(String::new());
    out.extend(letter.signature.iter().cloned());
    let mut s = out.join("\n");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_spaces_with_a_hanging_indent() {
        let long = "word ".repeat(40);
        let wrapped = wrap(&long, 20, "- ", "  ");
        for line in wrapped.lines() {
            assert!(line.chars().count() <= 20, "{line:?}");
        }
        assert!(wrapped.starts_with("- word"));
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("  word")));
        // A word longer than the line is kept whole.
        let id = "0b2f6c1e-6f0e-4d5b-9a43-1d2e3f4a5b6c";
        assert_eq!(wrap(id, 10, "", ""), id);
        // Characters count, not bytes.
        let nb = "å".repeat(9) + " " + &"ø".repeat(9);
        assert_eq!(wrap(&nb, 19, "", ""), nb);
    }

    #[test]
    fn article_references_follow_the_one_style() {
        for lang in [Lang::En, Lang::Nb] {
            let remedy = judicial_remedy(lang);
            assert!(remedy.contains(&article(lang, "Art. 79")), "{remedy}");
        }
        assert!(judicial_remedy(Lang::Nb).contains("domstolene"));
        assert_eq!(
            fill(
                Lang::Nb,
                TITLE_REPLY,
                &[("request", "kravet ditt om sletting"), ("art", "art. 17")]
            ),
            "Svar på kravet ditt om sletting (art. 17)"
        );
    }

    #[test]
    fn every_text_has_both_languages_and_the_same_placeholders() {
        let all: &[Pair] = &[
            TITLE_REPLY,
            TITLE_EXTENDED,
            OPENING,
            NO_DATA,
            ACCESS,
            PORTABILITY,
            ENCLOSED_ACCESS,
            ENCLOSED_PORTABILITY,
            ERASED,
            ERASED_BUT_KEPT,
            KEPT_RESTRICTED,
            KEPT_SINCE_ERASED,
            SUPPRESSION,
            KEPT_RECORDS,
            KEPT_UNTIL,
            ART19,
            RECTIFIED,
            RECTIFIED_WHAT,
            N_OTHER,
            RESTRICTED,
            RESTRICTION_LIFT,
            OBJECTION_DONE,
            REFUSED,
            REFUSED_GROUND,
            REFUSED_REASONS,
            REFUSED_IDENTITY_AGAIN,
            REFUSED_REMEDIES,
            EXTENDED,
            N_MONTHS,
            COMPLAINT,
            JUDICIAL_REMEDY,
            DPO_LINE,
            ORG_NUMBER,
            SALUTATION_NAMED,
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
        }
    }

    #[test]
    fn a_rectification_is_told_in_words() {
        let list = rectified_list(Lang::En, "name,email,records:2,while_restricted");
        assert_eq!(
            and_list(Lang::En, &list),
            "your name, your e-mail address and 2 other pieces of information"
        );
        let list = rectified_list(Lang::Nb, "phone,records:1");
        assert_eq!(
            and_list(Lang::Nb, &list),
            "telefonnummeret ditt og én annen opplysning"
        );
    }
}
