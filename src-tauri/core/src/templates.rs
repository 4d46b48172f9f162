//! Ready-made processing activities, in English and Norwegian bokmål, for the kind of
//! organisation the register is built for: a small consultancy that keeps clients in a
//! CRM, runs courses, events and a newsletter, recruits and has a website and social
//! media pages. The contents follow the two seed privacy policies (Proactima and
//! ProsessPilotene). Pure data: no I/O.
//!
//! A template is a starting point. It comes back as a draft with no processors linked;
//! [`template_processors`] names the entries of [`processors`] the caller may link. Its
//! retention periods and its answers on the DPIA and automated decisions come as
//! proposals ([`Activity::proposals`]) that the manager confirms; the Art. 30 record
//! marks them until then.

use serde::Serialize;

use crate::model::{
    Activity, ActivityStatus, CategoryGroup as G, Contact, DataCategory, DpiaStatus,
    JointController, LegalBasis, Period, PeriodUnit, Processor, ProcessorRole, Proposal,
    RetentionRule, RetentionTrigger as R, Transfer, TransferSafeguard,
};

pub use crate::lang::Lang;

/// A template: a key and a title/description per language.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateInfo {
    pub key: &'static str,
    pub title: String,
    pub description: String,
}

/// (key, English title, English description, bokmål title, bokmål description).
/// The title is also the name of the activity the template makes.
static TEMPLATES: [(&str, &str, &str, &str, &str); 14] = [
    ("client_information", "Client information",
     "Contact persons at clients and partners in the CRM: requests, quotes, orders, evaluation and work history.",
     "Kundeopplysninger",
     "Kontaktpersoner hos kunder og samarbeidspartnere i CRM-systemet: henvendelser, tilbud, bestillinger, evaluering og oppdragshistorikk."),
    ("contact_form", "Contact form",
     "Enquiries sent through the form on the website.",
     "Kontaktskjema",
     "Henvendelser sendt via skjemaet på nettsiden."),
    ("email_and_telephone", "E-mail and telephone",
     "Day-to-day contact by e-mail and telephone; relevant information is recorded in the CRM.",
     "E-post og telefonsamtaler",
     "Daglig kontakt på e-post og telefon; relevante opplysninger registreres i CRM-systemet."),
    ("case_handling_archive", "Case handling and archive",
     "Information needed to carry out deliveries, registered on the case in the archive and case management system.",
     "Saksbehandling og arkiv",
     "Opplysninger som trengs for å gjennomføre leveranser, registrert på saken i arkiv- og saksbehandlingssystemet."),
    ("newsletter", "Newsletter",
     "The newsletter to those who have signed up, with an unsubscribe link in every issue.",
     "Nyhetsbrev",
     "Nyhetsbrev til dem som har meldt seg på, med avmeldingslenke i hver utsending."),
    ("events", "Event registration",
     "Registration and participant lists for seminars and events (Dynamics 365 Customer Insights).",
     "Påmelding til arrangementer",
     "Påmelding og deltakerlister for seminarer og arrangementer (Dynamics 365 Customer Insights)."),
    ("courses", "Courses and training",
     "Course participants' user accounts, course history and certificates in Mintra Trainingportal.",
     "Kurs og opplæring",
     "Kursdeltakeres brukerkontoer, kurshistorikk og kursbevis i Mintra Trainingportal."),
    ("job_applicants", "Job applicants",
     "Recruitment to vacancies advertised on LinkedIn: applications, CVs, interviews and references.",
     "Jobbsøkere",
     "Rekruttering til ledige stillinger som lyses ut på LinkedIn: søknader, CV, intervjuer og referanser."),
    ("website_statistics", "Website statistics",
     "Visitor statistics with Google Analytics and Dynamics 365 Customer Insights, not traceable to the individual.",
     "Nettstedsstatistikk",
     "Besøksstatistikk med Google Analytics og Dynamics 365 Customer Insights, som ikke kan spores tilbake til den enkelte."),
    ("social_media", "Social media",
     "Our pages on Facebook, LinkedIn and YouTube; the platforms are independent controllers or joint controllers.",
     "Sosiale medier",
     "Sidene våre på Facebook, LinkedIn og YouTube; plattformene er selvstendige behandlingsansvarlige eller felles behandlingsansvarlige."),
    ("accounting", "Accounting",
     "Invoices, receipts and payments kept under the Bookkeeping Act: five years after the end of the financial year.",
     "Regnskap og bokføring",
     "Fakturaer, bilag og betalinger som oppbevares etter bokføringsloven: fem år etter regnskapsårets slutt."),
    ("client_marketing", "Marketing to clients",
     "Telling contact persons at clients about our other services, courses and events; an objection to direct marketing stops it at once.",
     "Markedsføring til kunder",
     "Informasjon til kontaktpersoner hos kunder om andre tjenester, kurs og arrangementer; en protest mot direkte markedsføring stanser den straks."),
    ("advertising", "Advertising and conversion tracking",
     "LinkedIn Insight Tag and Google Ads conversion tracking on the website, after consent: measuring and targeting our adverts.",
     "Annonsering og konverteringssporing",
     "LinkedIn Insight Tag og konverteringssporing fra Google Ads på nettstedet, etter samtykke: måling og målretting av annonsene våre."),
    ("embedded_video", "Embedded YouTube videos",
     "YouTube videos embedded on the website, loaded only after consent; Google is an independent controller.",
     "Innebygde YouTube-videoer",
     "YouTube-videoer som er bygd inn på nettstedet og lastes først etter samtykke; Google er selvstendig behandlingsansvarlig."),
];

/// (key, English, bokmål): what the privacy notice (Art. 13, 14) says about the
/// activity, to the person it is about, in the plain words of the seeds' notices
/// (Art. 12(1)). The other facts of the notice (purposes, legal bases, recipients,
/// retention ...) come from the activity's fields.
static NOTICE_TEXTS: [(&str, &str, &str); 14] = [
    ("client_information",
     "If you are a contact person at one of our clients or partners, we keep your name and contact details in our CRM system so that we can answer your requests, send quotes, carry out assignments and follow up our work.",
     "Er du kontaktperson hos en av kundene eller samarbeidspartnerne våre, registrerer vi navn og kontaktopplysninger i CRM-systemet vårt, slik at vi kan besvare henvendelser, sende tilbud, gjennomføre oppdrag og følge opp arbeidet."),
    ("contact_form",
     "When you send us an enquiry through the form on our website, we use what you write and your contact details to answer you. The enquiry is stored in our CRM system.",
     "Når du sender oss en henvendelse via skjemaet på nettsiden, bruker vi det du skriver og kontaktopplysningene dine til å svare deg. Henvendelsen lagres i CRM-systemet vårt."),
    ("email_and_telephone",
     "We use e-mail and telephone in our daily work. Relevant information from calls and e-mails with clients is recorded in our CRM system. Ordinary e-mail is not encrypted: please do not send us confidential or sensitive information by e-mail.",
     "Vi bruker e-post og telefon i det daglige arbeidet. Relevante opplysninger fra samtaler og e-poster med kunder registreres i CRM-systemet vårt. Vanlig e-post er ukryptert: send oss derfor ikke taushetsbelagte, sensitive eller andre fortrolige opplysninger på e-post."),
    ("case_handling_archive",
     "To carry out our deliveries we register the information needed, such as name, address and telephone number, on the case in our archive and case management system.",
     "For å gjennomføre leveransene våre registrerer vi opplysningene som trengs, som navn, adresse og telefonnummer, på saken i arkiv- og saksbehandlingssystemet vårt."),
    ("newsletter",
     "When you sign up for our newsletter we ask for your name and e-mail address, and use the address to send you the newsletter. Every newsletter has a link to unsubscribe; your details are then deactivated and you receive no more newsletters.",
     "Når du melder deg på nyhetsbrevet vårt, ber vi om navn og e-postadresse, og bruker adressen til å sende deg nyhetsbrevet. Hvert nyhetsbrev har en lenke for å melde seg av; da deaktiveres opplysningene dine, og du får ikke flere nyhetsbrev."),
    ("events",
     "When you sign up for one of our events we register your name, contact details and sometimes your employer, to run the event with a participant list and to give you what you need before, during and after it.",
     "Når du melder deg på et av arrangementene våre, registrerer vi navn, kontaktopplysninger og enkelte ganger arbeidsgiver, for å administrere arrangementet med deltakerliste og gi deg nødvendig informasjon i forkant, underveis og i etterkant."),
    ("courses",
     "When you sign up for one of our courses, your name, e-mail address, telephone number and date of birth are registered in our course platform, so that you can see your course history and print your course certificates. You may delete your user account yourself or ask us to delete it.",
     "Når du melder deg på et av kursene våre, registreres navn, e-postadresse, telefonnummer og fødselsdato i kursplattformen vår, slik at du kan se kurshistorikken din og skrive ut kursbevis. Du kan slette brukerkontoen selv eller be oss om å slette den."),
    ("job_applicants",
     "If you apply for a job with us, we process your application, CV, references and notes from interviews to assess your application. Applications and related documents are normally deleted within one year.",
     "Søker du jobb hos oss, behandler vi søknaden, CV-en, referansene og notater fra intervjuer for å vurdere søknaden din. Søknader og tilhørende dokumenter slettes normalt innen ett år."),
    ("website_statistics",
     "When you visit our website and accept statistics cookies, we collect information such as your device, browser, the time of the visit and the pages you visit, to adapt the website to our visitors' needs. The statistics cannot be traced back to you.",
     "Når du besøker nettstedet vårt og godtar informasjonskapsler for statistikk, samler vi inn opplysninger som enhet, nettleser, tidspunkt for besøket og hvilke sider du besøker, for å tilpasse nettstedet til behovene til de besøkende. Statistikken kan ikke spores tilbake til deg."),
    ("social_media",
     "We have pages on social media where we tell about our activities. If you follow us, comment or send us a message there, the platform is responsible for its own processing of your personal data; we answer your comments and messages.",
     "Vi har sider i sosiale medier der vi forteller om aktivitetene våre. Følger du oss, kommenterer eller sender oss en melding der, er plattformen ansvarlig for sin egen behandling av personopplysningene dine; vi svarer på kommentarer og meldinger."),
    ("accounting",
     "When you buy from us or sell to us, invoices, receipts and payment details are kept in our accounts for five years after the end of the financial year, as the Bookkeeping Act requires.",
     "Når du kjøper fra oss eller selger til oss, oppbevares fakturaer, bilag og betalingsopplysninger i regnskapet i fem år etter regnskapsårets slutt, slik bokføringsloven krever."),
    ("client_marketing",
     "If you are a contact person at one of our clients, we may tell you about other services, courses and events we believe are useful to you. You can say no at any time, and we then stop at once.",
     "Er du kontaktperson hos en av kundene våre, kan vi informere deg om andre tjenester, kurs og arrangementer vi tror er nyttige for deg. Du kan når som helst si nei takk, og da stanser vi straks."),
    ("advertising",
     "If you accept marketing cookies on our website, tags from the advertising platforms measure which of our adverts lead to visits, sign-ups and enquiries, and may show our adverts to you later. We only receive aggregated reports.",
     "Godtar du informasjonskapsler for markedsføring på nettstedet vårt, måler sporingskoder fra annonseplattformene hvilke av annonsene våre som fører til besøk, påmeldinger og henvendelser, og annonsene kan senere bli vist til deg. Vi får bare aggregerte rapporter."),
    ("embedded_video",
     "Videos from our channel on the website load only after you accept the video player. The platform then receives information about your visit and is responsible for its own use of it.",
     "Videoer fra kanalen vår på nettstedet lastes først når du godtar videospilleren. Plattformen mottar da opplysninger om besøket ditt og er selv ansvarlig for sin bruk av dem."),
];

/// Whether a template's activity starts described in the privacy notice: every one
/// that is about people outside the organisation (clients, subscribers, applicants,
/// visitors). Bookkeeping is internal: the notice of the seeds does not describe it,
/// and the manager can add it.
fn starts_in_notice(key: &str) -> bool {
    !matches!(key, "accounting")
}

/// All templates, in a sensible order, titles in `lang`.
pub fn list(lang: Lang) -> Vec<TemplateInfo> {
    TEMPLATES
        .iter()
        .map(|&(key, en, en_desc, nb, nb_desc)| TemplateInfo {
            key,
            title: t(lang, en, nb),
            description: t(lang, en_desc, nb_desc),
        })
        .collect()
}

/// The activity pre-filled in `lang` (status Draft, last_reviewed None, processor_ids
/// empty), or None for an unknown key.
pub fn activity(key: &str, lang: Lang) -> Option<Activity> {
    let &(_, en, _, nb, _) = TEMPLATES.iter().find(|e| e.0 == key)?;
    let build: fn(Lang) -> Activity = match key {
        "client_information" => client_information,
        "contact_form" => contact_form,
        "email_and_telephone" => email_and_telephone,
        "case_handling_archive" => case_handling_archive,
        "newsletter" => newsletter,
        "events" => events,
        "courses" => courses,
        "job_applicants" => job_applicants,
        "website_statistics" => website_statistics,
        "social_media" => social_media,
        "accounting" => accounting,
        "client_marketing" => client_marketing,
        "advertising" => advertising,
        "embedded_video" => embedded_video,
        _ => return None,
    };
    let mut a = build(lang);
    a.name = t(lang, en, nb);
    a.status = ActivityStatus::Draft;
    a.last_reviewed = None;
    a.processor_ids.clear();
    if a.dpia == DpiaStatus::NotAssessed {
        a.dpia = DpiaStatus::NotNeeded;
    }
    if a.automated_decisions.trim().is_empty() {
        a.automated_decisions = t(lang, "None", "Ingen");
    }
    // The template's guesses at what the organisation does: confirmed by the manager.
    a.proposals = Proposal::ALL.to_vec();
    a.in_notice = starts_in_notice(key);
    a.notice_text = NOTICE_TEXTS
        .iter()
        .find(|e| e.0 == key)
        .map(|&(_, en, nb)| t(lang, en, nb))
        .unwrap_or_default();
    Some(a)
}

/// Names of the processors/recipients a template's activity typically uses (keys of
/// [`processors`]), so callers can link them. Empty for an unknown key.
pub fn template_processors(key: &str) -> &'static [&'static str] {
    match key {
        "client_information" => &["dynamics365", "microsoft365"],
        "contact_form" => &["dynamics365"],
        "email_and_telephone" => &["microsoft365", "dynamics365"],
        "case_handling_archive" => &["microsoft365"],
        "newsletter" => &["customer_insights"],
        "events" => &["customer_insights", "dynamics365"],
        "courses" => &["mintra"],
        "job_applicants" => &["linkedin", "microsoft365"],
        "website_statistics" => &["google_analytics", "customer_insights", "cloudflare_zaraz"],
        "social_media" => &["facebook", "linkedin", "youtube"],
        "client_marketing" => &["dynamics365", "customer_insights"],
        "advertising" => &["linkedin_insight", "google_ads", "cloudflare_zaraz"],
        "embedded_video" => &["youtube", "cloudflare_zaraz"],
        _ => &[],
    }
}

/// Typical processors/recipients from the seeds: (key, Processor). Names are product
/// names (language-neutral); countries, `notes` and `dpa_reference` are in `lang`.
pub fn processors(lang: Lang) -> Vec<(&'static str, Processor)> {
    use ProcessorRole::{Processor as P, Recipient as Rc};
    let l = lang;
    let ms_dpa = || {
        t(
            l,
            "DPA: Microsoft Products and Services Data Protection Addendum",
            "Databehandleravtale: Microsoft Products and Services Data Protection Addendum",
        )
    };
    let ms_notes = |en: &str, nb: &str| {
        t(
            l,
            &format!("{en} Check the data location of the tenant in the admin centre."),
            &format!(
                "{nb} Kontroller hvor dataene lagres (datasenterregion) i administrasjonssenteret."
            ),
        )
    };
    const MS: &str = "Microsoft Ireland Operations Limited";
    let eea = t(l, "EU/EEA", "EU/EØS");
    let norway = t(l, "Norway", "Norge");
    let ireland = t(l, "Ireland", "Irland");
    let us = t(l, "United States", "USA");
    vec![
        ("dynamics365", processor("Microsoft Dynamics 365", &eea, P, ms_dpa(), MS,
            ms_notes("CRM system: the main database for companies and contact persons.",
                "CRM-system: primærdatabasen for firma- og personopplysninger."))),
        ("customer_insights", processor("Dynamics 365 Customer Insights – Journeys", &eea, P, ms_dpa(), MS,
            ms_notes("Newsletters, event registration and measurement of website visits.",
                "Nyhetsbrev, påmelding til arrangementer og måling av besøk på nettstedet."))),
        ("mintra", processor("Mintra Trainingportal", &norway, P,
            t(l, "DPA: data processing agreement with Mintra Trainingportal",
                "Databehandleravtale med Mintra Trainingportal"), "",
            t(l, "Course platform: user accounts, course history and course certificates. Participants can delete their own account.",
                "Kursplattform: brukerkontoer, kurshistorikk og kursbevis. Deltakerne kan slette sin egen konto."))),
        ("linkedin", processor("LinkedIn", &ireland, Rc,
            t(l, "No DPA: LinkedIn is an independent controller. Company page: LinkedIn Pages Joint Controller Addendum",
                "Ingen databehandleravtale: LinkedIn er selvstendig behandlingsansvarlig. Bedriftsside: LinkedIn Pages Joint Controller Addendum"),
            "LinkedIn Ireland Unlimited Company",
            t(l, "Job adverts and applications, company page. Applicants accept LinkedIn's privacy policy and ask LinkedIn directly to be deleted.",
                "Stillingsannonser og søknader, bedriftsside. Søkere godtar LinkedIns personvernerklæring og ber LinkedIn direkte om sletting."))),
        ("google_analytics", processor("Google Analytics", &us, P,
            t(l, "DPA: Google Ads Data Processing Terms", "Databehandleravtale: Google Ads Data Processing Terms"),
            "Google Ireland Limited",
            t(l, "Website statistics. Transfer to Google LLC in the United States under the EU-US Data Privacy Framework.",
                "Nettstedsstatistikk. Overføring til Google LLC i USA under EU-US Data Privacy Framework."))),
        ("cloudflare_zaraz", processor("Cloudflare Zaraz", &us, P,
            t(l, "DPA: Cloudflare Customer Data Processing Addendum",
                "Databehandleravtale: Cloudflare Customer Data Processing Addendum"),
            "Cloudflare, Inc.",
            t(l, "Consent management (cookie banner) on the website. Certified under the EU-US Data Privacy Framework.",
                "Samtykkehåndtering (samtykkebanner for informasjonskapsler) på nettstedet. Sertifisert under EU-US Data Privacy Framework."))),
        ("youtube", processor("YouTube", &ireland, Rc,
            t(l, "No DPA: Google is an independent controller for the channel and embedded videos (YouTube Terms of Service)",
                "Ingen databehandleravtale: Google er selvstendig behandlingsansvarlig for kanalen og innebygde videoer (YouTubes vilkår)"),
            "Google Ireland Limited",
            t(l, "Our YouTube channel and videos embedded on the website.",
                "YouTube-kanalen vår og videoer som er bygd inn på nettstedet."))),
        ("facebook", processor("Facebook", &ireland, Rc,
            t(l, "No DPA: Meta is an independent controller. Page Insights Controller Addendum (joint controllers)",
                "Ingen databehandleravtale: Meta er selvstendig behandlingsansvarlig. Page Insights Controller Addendum (felles behandlingsansvar)"),
            "Meta Platforms Ireland Limited",
            t(l, "Our Facebook page. Meta is joint controller for the page statistics (Page Insights).",
                "Facebook-siden vår. Meta er felles behandlingsansvarlig for sidestatistikken (Page Insights)."))),
        ("microsoft365", processor("Microsoft 365", &eea, P, ms_dpa(), MS,
            ms_notes("E-mail (Exchange Online), documents and Teams.",
                "E-post (Exchange Online), dokumenter og Teams."))),
        ("linkedin_insight", processor("LinkedIn Insight Tag", &ireland, Rc,
            t(l, "No DPA: LinkedIn is an independent controller of the Insight Tag data (LinkedIn Independent Controller Addendum to the LinkedIn DPA)",
                "Ingen databehandleravtale: LinkedIn er selvstendig behandlingsansvarlig for opplysningene fra Insight Tag (LinkedIn Independent Controller Addendum til LinkedIns databehandleravtale)"),
            "LinkedIn Ireland Unlimited Company",
            t(l, "Conversion tracking and retargeting for our LinkedIn adverts. LinkedIn removes direct identifiers within seven days and deletes the data within 180 days; transfer to LinkedIn Corporation in the United States under the EU-US Data Privacy Framework.",
                "Konverteringssporing og retargeting for annonsene våre på LinkedIn. LinkedIn fjerner direkte identifikatorer innen sju dager og sletter opplysningene innen 180 dager; overføring til LinkedIn Corporation i USA under EU-US Data Privacy Framework."))),
        ("google_ads", processor("Google Ads", &ireland, Rc,
            t(l, "No DPA: Google is an independent controller for conversion measurement (Google Ads Controller-Controller Data Protection Terms)",
                "Ingen databehandleravtale: Google er selvstendig behandlingsansvarlig for konverteringsmålingen (Google Ads Controller-Controller Data Protection Terms)"),
            "Google Ireland Limited",
            t(l, "Conversion tracking for our Google Ads adverts. Transfer to Google LLC in the United States under the EU-US Data Privacy Framework.",
                "Konverteringssporing for annonsene våre i Google Ads. Overføring til Google LLC i USA under EU-US Data Privacy Framework."))),
    ]
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// An English/bokmål pair of texts.
type Tx = (&'static str, &'static str);
/// A data category: English name, bokmål name, group.
type Cat = (&'static str, &'static str, G);

fn t(l: Lang, en: &str, nb: &str) -> String {
    match l {
        Lang::En => en,
        Lang::Nb => nb,
    }
    .to_string()
}

fn tt(l: Lang, x: Tx) -> String {
    t(l, x.0, x.1)
}

fn tv(l: Lang, items: &[Tx]) -> Vec<String> {
    items.iter().map(|&x| tt(l, x)).collect()
}

fn names(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn months(amount: u32) -> Option<Period> {
    Some(Period {
        amount,
        unit: PeriodUnit::Months,
    })
}

fn years(amount: u32) -> Option<Period> {
    Some(Period {
        amount,
        unit: PeriodUnit::Years,
    })
}

fn rule(l: Lang, trigger: R, duration: Option<Period>, justification: Tx) -> RetentionRule {
    RetentionRule {
        trigger,
        duration,
        justification: tt(l, justification),
    }
}

fn cat(name: &str, group: G, rule: Option<RetentionRule>) -> DataCategory {
    DataCategory {
        name: name.to_string(),
        group,
        sensitive: false,
        retention: rule,
    }
}

/// Data categories that share one retention rule.
fn cats(l: Lang, items: &[Cat], r: &RetentionRule) -> Vec<DataCategory> {
    items
        .iter()
        .map(|&(en, nb, g)| cat(&t(l, en, nb), g, Some(r.clone())))
        .collect()
}

fn processor(
    name: &str,
    country: &str,
    role: ProcessorRole,
    dpa: String,
    contact: &str,
    notes: String,
) -> Processor {
    Processor {
        name: name.into(),
        country: country.into(),
        role,
        dpa_reference: dpa,
        contact: contact.into(),
        notes,
    }
}

/// A transfer to the United States under the EU-US Data Privacy Framework.
fn dpf_transfer(l: Lang, recipient: Tx) -> Transfer {
    Transfer {
        country: t(l, "United States", "USA"),
        recipient: tt(l, recipient),
        safeguard: TransferSafeguard::AdequacyDecision,
        documentation: t(l,
            "EU-US Data Privacy Framework (adequacy decision of 10 July 2023); the recipient is certified under the framework.",
            "EU-US Data Privacy Framework (beslutning om tilstrekkelig beskyttelsesnivå av 10. juli 2023); mottakeren er sertifisert under rammeverket."),
    }
}

fn ms_transfer(l: Lang) -> Transfer {
    dpf_transfer(l, ("Microsoft Corporation (sub-processor; limited transfers, e.g. for support)",
        "Microsoft Corporation (underdatabehandler; begrensede overføringer, f.eks. ved brukerstøtte)"))
}

const NAME: Cat = ("Name", "Navn", G::Identity);
const EMAIL: Cat = ("E-mail address", "E-postadresse", G::Identity);
const PHONE: Cat = ("Phone number", "Telefonnummer", G::Identity);
const JOB_TITLE: Cat = ("Job title", "Stilling", G::ProfessionalLife);
const EMPLOYER: Cat = ("Employer", "Arbeidsgiver", G::ProfessionalLife);

const STAFF: Tx = (
    "Employees who need the information for their work",
    "Ansatte som trenger opplysningene i arbeidet sitt",
);
const MS_PROCESSOR: Tx = (
    "Microsoft as processor (Dynamics 365 / Microsoft 365)",
    "Microsoft som databehandler (Dynamics 365 / Microsoft 365)",
);
const CI_PROCESSOR: Tx = (
    "Microsoft as processor (Dynamics 365 Customer Insights – Journeys)",
    "Microsoft som databehandler (Dynamics 365 Customer Insights – Journeys)",
);
const ACCESS: Tx = (
    "Access limited to employees who need it (role-based access control)",
    "Tilgang kun for ansatte som trenger det (rollebasert tilgangsstyring)",
);
const MFA: Tx = (
    "Multi-factor authentication (MFA) for all users",
    "Tofaktorautentisering (MFA) for alle brukere",
);
const ENCRYPTION: Tx = (
    "Encryption in transit (TLS) and at rest",
    "Kryptering under overføring (TLS) og ved lagring",
);
const DPA_MICROSOFT: Tx = (
    "Data processing agreement with Microsoft (Microsoft DPA)",
    "Databehandleravtale med Microsoft (Microsoft DPA)",
);
const WORK_HISTORY: Tx = (
    "Kept while the client relationship lasts, then for three years based on our legitimate interest in our work history, so we can help the client with earlier assignments (the general limitation period is three years).",
    "Lagres så lenge kundeforholdet varer, deretter i tre år ut fra vår berettigede interesse i oppdragshistorikken, slik at vi kan hjelpe kunden med tidligere oppdrag (den alminnelige foreldelsesfristen er tre år).");

// ---------------------------------------------------------------------------
// The templates
// ---------------------------------------------------------------------------

fn client_information(l: Lang) -> Activity {
    let keep = rule(l, R::RelationshipEnded, years(3), WORK_HISTORY);
    Activity {
        owner: t(l, "Sales", "Salg"),
        purposes: tv(l, &[
            ("Keep in touch with clients: answer requests, send quotes, complete orders and evaluate completed work",
             "Holde kontakt med kunder: besvare henvendelser, sende tilbud, gjennomføre bestillinger og evaluere utført arbeid"),
            ("Keep a work history so we can help clients with earlier assignments",
             "Ta vare på oppdragshistorikken slik at vi kan hjelpe kunder med tidligere oppdrag"),
        ]),
        legal_bases: vec![LegalBasis::Contract, LegalBasis::LegitimateInterests],
        legitimate_interest: t(l,
            "Keeping a history of our work for clients after the relationship has ended, to answer questions about earlier assignments and document our deliveries.",
            "Å ta vare på historikken over arbeidet vårt for kunder etter at kundeforholdet er avsluttet, for å kunne svare på spørsmål om tidligere oppdrag og dokumentere leveransene våre."),
        subject_categories: tv(l, &[("Contact persons at clients", "Kontaktpersoner hos kunder"),
            ("Key persons at partners", "Nøkkelpersoner hos samarbeidspartnere")]),
        data_categories: cats(l, &[NAME, EMAIL, PHONE, JOB_TITLE, EMPLOYER,
            ("Assignment history", "Oppdragshistorikk", G::ProfessionalLife)], &keep),
        recipients: tv(l, &[STAFF, MS_PROCESSOR]),
        transfers: vec![ms_transfer(l)],
        retention_summary: t(l,
            "As long as the client relationship lasts, then three years based on our legitimate interest in the work history.",
            "Så lenge kundeforholdet varer, deretter tre år ut fra vår berettigede interesse i oppdragshistorikken."),
        security_measures: tv(l, &[ACCESS, MFA, DPA_MICROSOFT]),
        source: t(l, "The data subject or their employer", "Den registrerte eller arbeidsgiveren"),
        systems: names(&["Microsoft Dynamics 365 (CRM)", "Microsoft 365"]),
        ..Default::default()
    }
}

fn contact_form(l: Lang) -> Activity {
    let keep = rule(l, R::LastContact, months(6), (
        "Enquiries from private persons are anonymised or deleted when there is no longer a legal basis to answer the enquiry or provide the service; enquiries from clients are kept as client information.",
        "Henvendelser fra privatpersoner anonymiseres eller slettes når det ikke lenger foreligger et behandlingsgrunnlag for å besvare henvendelsen eller yte tjenesten; henvendelser fra kunder lagres som kundeopplysninger."));
    Activity {
        owner: t(l, "Sales", "Salg"),
        purposes: tv(l, &[("Answer enquiries sent through the form on the website",
            "Besvare henvendelser sendt via skjemaet på nettsiden")]),
        legal_bases: vec![LegalBasis::Contract, LegalBasis::LegitimateInterests],
        legitimate_interest: t(l, "Answering the enquiries people send us.",
            "Å besvare henvendelsene folk sender oss."),
        subject_categories: tv(l, &[("People who contact us through the website", "Personer som kontakter oss via nettsiden"),
            ("Contact persons at clients", "Kontaktpersoner hos kunder")]),
        data_categories: cats(l, &[NAME, EMAIL, PHONE, EMPLOYER, JOB_TITLE,
            ("Enquiry", "Henvendelse", G::Other)], &keep),
        recipients: tv(l, &[STAFF, MS_PROCESSOR]),
        transfers: vec![ms_transfer(l)],
        retention_summary: t(l,
            "Enquiries from private persons are anonymised or deleted when no legal basis remains, at the latest six months after the last contact.",
            "Henvendelser fra privatpersoner anonymiseres eller slettes når det ikke lenger foreligger et behandlingsgrunnlag, senest seks måneder etter siste kontakt."),
        security_measures: tv(l, &[ACCESS, MFA, DPA_MICROSOFT,
            ("The form is sent over an encrypted connection (HTTPS)", "Skjemaet sendes over kryptert forbindelse (HTTPS)")]),
        source: t(l, "The data subject, through the form on the website", "Den registrerte, via skjemaet på nettsiden"),
        systems: names(&["Microsoft Dynamics 365 (CRM)"]),
        ..Default::default()
    }
}

fn email_and_telephone(l: Lang) -> Activity {
    let mail = rule(l, R::LastContact, years(2), (
        "E-mail is kept for two years after the last contact, unless it belongs to a case or the client history; it then follows the retention there.",
        "E-post oppbevares i to år etter siste kontakt, med mindre den hører til en sak eller kundehistorikken; da følger den lagringstiden der."));
    let mut data_categories = cats(
        l,
        &[
            NAME,
            EMAIL,
            PHONE,
            ("E-mail content", "Innhold i e-post", G::Other),
        ],
        &mail,
    );
    data_categories.push(cat(
        &t(l, "Call notes", "Samtalenotater"),
        G::Other,
        Some(rule(l, R::RelationshipEnded, years(3), WORK_HISTORY)),
    ));
    Activity {
        owner: t(l, "General manager", "Daglig leder"),
        purposes: tv(l, &[
            ("Communicate with clients, partners and others by e-mail and telephone",
             "Kommunisere med kunder, samarbeidspartnere og andre på e-post og telefon"),
            ("Record relevant information from calls and e-mails in the CRM",
             "Registrere relevante opplysninger fra samtaler og e-poster i CRM-systemet"),
        ]),
        legal_bases: vec![LegalBasis::Contract, LegalBasis::LegitimateInterests],
        legitimate_interest: t(l,
            "Communicating efficiently with the people we work with and keeping track of our contact with clients.",
            "Å kommunisere effektivt med dem vi samarbeider med og holde oversikt over kontakten med kundene."),
        subject_categories: tv(l, &[("Contact persons at clients and partners", "Kontaktpersoner hos kunder og samarbeidspartnere"),
            ("Others who contact us", "Andre som kontakter oss")]),
        data_categories,
        recipients: tv(l, &[STAFF, MS_PROCESSOR]),
        transfers: vec![ms_transfer(l)],
        retention_summary: t(l,
            "E-mail two years after the last contact; call notes in the CRM follow the client information.",
            "E-post i to år etter siste kontakt; samtalenotater i CRM-systemet følger kundeopplysningene."),
        security_measures: tv(l, &[
            ("No sensitive personal data is sent by e-mail; received e-mails with sensitive data are not forwarded and are removed from the e-mail system",
             "Det sendes ikke sensitive personopplysninger med e-post; mottatte e-poster med sensitive opplysninger videresendes ikke og tas ut av e-postsystemet"),
            MFA,
            ("TLS encryption between mail servers where the other side supports it",
             "TLS-kryptering mellom e-posttjenere der motparten støtter det"),
            DPA_MICROSOFT,
        ]),
        source: t(l, "The data subject", "Den registrerte"),
        systems: names(&["Microsoft 365 (Exchange Online)", "Microsoft Dynamics 365 (CRM)"]),
        ..Default::default()
    }
}

fn case_handling_archive(l: Lang) -> Activity {
    let keep = rule(l, R::RelationshipEnded, years(3), WORK_HISTORY);
    Activity {
        owner: t(l, "General manager", "Daglig leder"),
        purposes: tv(l, &[
            ("Carry out our deliveries", "Gjennomføre leveransene våre"),
            ("Register the case and its documents in the archive and case management system",
             "Registrere saken og dokumentene i arkiv- og saksbehandlingssystemet"),
        ]),
        legal_bases: vec![LegalBasis::Contract, LegalBasis::LegitimateInterests],
        legitimate_interest: t(l,
            "Documenting our deliveries so we can follow up the case and answer questions about it later.",
            "Å dokumentere leveransene våre slik at vi kan følge opp saken og svare på spørsmål om den senere."),
        subject_categories: tv(l, &[("Contact persons at clients", "Kontaktpersoner hos kunder"),
            ("Other people named in the case", "Andre personer som er nevnt i saken")]),
        data_categories: cats(l, &[NAME, ("Address", "Adresse", G::Identity), PHONE, EMAIL,
            ("Correspondence", "Korrespondanse", G::Other),
            ("Case documents", "Saksdokumenter", G::Other)], &keep),
        recipients: tv(l, &[STAFF, ("The client", "Kunden"),
            ("Those entitled to access under the Freedom of Information Act or the Public Administration Act, where these apply",
             "Den som har rett til innsyn etter offentlighetsloven eller forvaltningsloven, der disse gjelder")]),
        transfers: vec![ms_transfer(l)],
        retention_summary: t(l,
            "While the client relationship lasts, then three years as work history.",
            "Så lenge kundeforholdet varer, deretter tre år som oppdragshistorikk."),
        security_measures: tv(l, &[
            ("Access to a case limited to those working on it", "Tilgang til saken kun for dem som arbeider med den"),
            MFA, ("Regular backups of the archive", "Jevnlig sikkerhetskopiering av arkivet"), DPA_MICROSOFT]),
        source: t(l, "The data subject and the dialogue with the client", "Den registrerte og dialogen med kunden"),
        systems: vec![t(l, "Archive and case management system", "Arkiv- og saksbehandlingssystem"), "Microsoft 365".into()],
        ..Default::default()
    }
}

fn newsletter(l: Lang) -> Activity {
    let until_unsubscribed = rule(l, R::Unsubscribed, months(1), (
        "Kept until the subscriber unsubscribes; the subscriber is then deactivated at once, receives no more newsletters, and the details are deleted one month later.",
        "Lagres til abonnenten melder seg av; abonnenten deaktiveres da straks og får ikke flere nyhetsbrev, og opplysningene slettes én måned senere."));
    let mut data_categories = cats(l, &[NAME, EMAIL], &until_unsubscribed);
    data_categories.push(cat(
        &t(
            l,
            "Opening and click statistics",
            "Åpnings- og klikkstatistikk",
        ),
        G::ConnectionData,
        Some(rule(
            l,
            R::Collected,
            months(12),
            (
                "Used to improve the newsletter; deleted after one year.",
                "Brukes til å forbedre nyhetsbrevet; slettes etter ett år.",
            ),
        )),
    ));
    data_categories.push(cat(&t(l, "Consent record", "Samtykkelogg"), G::Other,
        Some(rule(l, R::Unsubscribed, years(3), (
            "Documents when and how consent was given and withdrawn (Art. 7(1)); kept three years after unsubscribing.",
            "Dokumenterer når og hvordan samtykket ble gitt og trukket tilbake (art. 7 nr. 1); lagres i tre år etter avmelding.")))));
    Activity {
        owner: t(l, "Marketing", "Marked"),
        purposes: tv(l, &[("Send the newsletter with news about our services, courses and events to those who have signed up",
            "Sende nyhetsbrev med nyheter om tjenester, kurs og arrangementer til dem som har meldt seg på")]),
        legal_bases: vec![LegalBasis::Consent],
        subject_categories: tv(l, &[("Newsletter subscribers", "Abonnenter på nyhetsbrevet")]),
        data_categories,
        recipients: tv(l, &[STAFF, CI_PROCESSOR]),
        transfers: vec![ms_transfer(l)],
        retention_summary: t(l,
            "Until the subscriber unsubscribes; the details are then deactivated at once and deleted after one month.",
            "Til abonnenten melder seg av; opplysningene deaktiveres da straks og slettes etter én måned."),
        security_measures: tv(l, &[ACCESS, MFA, DPA_MICROSOFT,
            ("New sign-ups are confirmed by e-mail (double opt-in)", "Nye påmeldinger bekreftes på e-post (dobbel bekreftelse)")]),
        source: t(l, "The data subject, through the sign-up form", "Den registrerte, via påmeldingsskjemaet"),
        systems: names(&["Dynamics 365 Customer Insights – Journeys"]),
        consent_record: t(l,
            "Sign-up form with time stamp; consents and unsubscriptions are logged in Dynamics 365 Customer Insights – Journeys.",
            "Påmeldingsskjema med tidsstempel; samtykker og avmeldinger logges i Dynamics 365 Customer Insights – Journeys."),
        direct_marketing: true,
        ..Default::default()
    }
}

fn events(l: Lang) -> Activity {
    let keep = rule(l, R::Collected, months(12), (
        "Kept for follow-up after the event and deleted one year after registration; participants who also subscribe to the newsletter are covered by that activity.",
        "Oppbevares for oppfølging etter arrangementet og slettes ett år etter påmeldingen; deltakere som også abonnerer på nyhetsbrevet, omfattes av den behandlingen."));
    Activity {
        owner: t(l, "Marketing", "Marked"),
        purposes: tv(l, &[("Administer the event: participant list and necessary information before, during and after the event",
            "Administrere arrangementet med deltakerliste og nødvendig informasjon i forkant, underveis og i etterkant")]),
        legal_bases: vec![LegalBasis::Contract],
        subject_categories: tv(l, &[("Event participants", "Deltakere på arrangementer")]),
        data_categories: cats(l, &[NAME, EMAIL, PHONE, EMPLOYER, ("Attendance", "Oppmøte", G::Other)], &keep),
        recipients: tv(l, &[STAFF, CI_PROCESSOR]),
        transfers: vec![ms_transfer(l)],
        retention_summary: t(l, "One year after registration.", "Ett år etter påmeldingen."),
        security_measures: tv(l, &[ACCESS, MFA, DPA_MICROSOFT]),
        source: t(l, "The data subject, through the registration form", "Den registrerte, via påmeldingsskjemaet"),
        systems: names(&["Dynamics 365 Customer Insights – Journeys", "Microsoft Dynamics 365 (CRM)"]),
        ..Default::default()
    }
}

fn courses(l: Lang) -> Activity {
    let keep = rule(l, R::LastContact, years(5), (
        "The user account is kept so participants can see their course history and print course certificates; deleted five years after the last activity, or earlier if the participant deletes it or asks us to.",
        "Brukerkontoen beholdes slik at deltakeren kan se kurshistorikken og skrive ut kursbevis; slettes fem år etter siste aktivitet, eller tidligere dersom deltakeren sletter den selv eller ber oss om det."));
    Activity {
        owner: t(l, "Course administration", "Kursadministrasjon"),
        purposes: tv(l, &[
            ("Register participants and run courses and training", "Registrere deltakere og gjennomføre kurs og opplæring"),
            ("Give participants their course history and course certificates", "Gi deltakerne tilgang til kurshistorikk og kursbevis"),
        ]),
        legal_bases: vec![LegalBasis::Contract],
        subject_categories: tv(l, &[("Course participants", "Kursdeltakere")]),
        data_categories: cats(l, &[NAME, EMAIL, PHONE, ("Date of birth", "Fødselsdato", G::Identity),
            ("Course history", "Kurshistorikk", G::ProfessionalLife),
            ("Course certificates", "Kursbevis", G::ProfessionalLife)], &keep),
        recipients: tv(l, &[STAFF, ("Mintra as processor (Mintra Trainingportal)", "Mintra som databehandler (Mintra Trainingportal)")]),
        retention_summary: t(l,
            "As long as the participant needs course history and certificates; five years after the last activity, or on request.",
            "Så lenge deltakeren trenger kurshistorikk og kursbevis; fem år etter siste aktivitet, eller på forespørsel."),
        security_measures: tv(l, &[ACCESS,
            ("Data processing agreement with Mintra", "Databehandleravtale med Mintra"),
            ("Personal user accounts with password", "Personlige brukerkontoer med passord"), ENCRYPTION]),
        source: t(l, "The data subject, when signing up for a course", "Den registrerte, ved påmelding til kurs"),
        systems: names(&["Mintra Trainingportal"]),
        ..Default::default()
    }
}

fn job_applicants(l: Lang) -> Activity {
    let keep = rule(l, R::ApplicationClosed, months(12), (
        "Applications and related documents are kept during the recruitment and normally deleted within one year after it is closed, so we can answer questions or complaints about the process.",
        "Søknader og tilhørende dokumenter oppbevares under ansettelsesprosessen og slettes normalt innen ett år etter at den er avsluttet, slik at vi kan svare på spørsmål eller klager om prosessen."));
    Activity {
        owner: t(l, "HR", "HR"),
        purposes: tv(l, &[("Assess applications and recruit to vacant positions", "Vurdere søknader og rekruttere til ledige stillinger")]),
        legal_bases: vec![LegalBasis::Contract],
        subject_categories: tv(l, &[("Job applicants", "Jobbsøkere"), ("Referees", "Referansepersoner")]),
        data_categories: cats(l, &[NAME, EMAIL, PHONE,
            ("CV", "CV", G::ProfessionalLife),
            ("Application letter", "Søknadsbrev", G::ProfessionalLife),
            ("Interview notes", "Intervjunotater", G::ProfessionalLife),
            ("References", "Referanser", G::ProfessionalLife),
            ("Diplomas", "Vitnemål", G::ProfessionalLife),
            ("Testimonials from employers", "Attester", G::ProfessionalLife),
            ("Other documents from the applicant", "Øvrige dokumenter fra søkeren", G::Other)], &keep),
        recipients: tv(l, &[
            ("The hiring manager and the interview panel", "Ansvarlig leder og intervjupanelet"),
            ("LinkedIn, where the vacancy is advertised and applications are registered (independent controller)",
             "LinkedIn, der stillingen lyses ut og søknaden registreres (selvstendig behandlingsansvarlig)"),
        ]),
        transfers: vec![ms_transfer(l)],
        retention_summary: t(l,
            "During the recruitment, then normally deleted within one year; for the person hired, the documents move to the personnel file.",
            "Under ansettelsesprosessen, deretter normalt slettet innen ett år; for den som ansettes, flyttes dokumentene til personalmappen."),
        security_measures: tv(l, &[
            ("Access limited to HR and those taking part in the recruitment", "Tilgang kun for HR og dem som deltar i rekrutteringen"),
            MFA,
            ("Application documents are kept in a restricted folder and not sent around by e-mail",
             "Søknadsdokumenter lagres i en mappe med begrenset tilgang og sendes ikke rundt på e-post"),
        ]),
        source: t(l, "The applicant, through LinkedIn or e-mail; referees named by the applicant",
            "Søkeren, via LinkedIn eller e-post; referanser som søkeren har oppgitt"),
        systems: names(&["LinkedIn", "Microsoft 365"]),
        automated_decisions: t(l, "None. Applications are assessed by people.", "Ingen. Søknadene vurderes av mennesker."),
        ..Default::default()
    }
}

fn website_statistics(l: Lang) -> Activity {
    let keep = rule(l, R::Collected, months(14), (
        "Retention setting of 14 months in Google Analytics; reports are aggregated and not traceable to the individual visitor.",
        "Oppbevaringstiden i Google Analytics er satt til 14 måneder; rapportene er aggregerte og kan ikke spores tilbake til den enkelte besøkende."));
    let mut data_categories = cats(
        l,
        &[
            (
                "Device and browser",
                "Enhet og nettleser",
                G::OnlineIdentifiers,
            ),
            (
                "Date and time of visit",
                "Dato og tidspunkt for besøket",
                G::ConnectionData,
            ),
            ("Pages visited", "Besøkte sider", G::ConnectionData),
            (
                "Cookie identifiers",
                "ID-er i informasjonskapsler",
                G::OnlineIdentifiers,
            ),
        ],
        &keep,
    );
    data_categories.push(cat(
        &t(l, "Consent choice", "Samtykkevalg"),
        G::OnlineIdentifiers,
        Some(rule(
            l,
            R::Collected,
            months(12),
            (
                "The visitor is asked again after one year.",
                "Den besøkende blir spurt på nytt etter ett år.",
            ),
        )),
    ));
    Activity {
        owner: t(l, "Marketing", "Marked"),
        purposes: tv(l, &[("Measure visits to the website so we can adapt it to our clients' needs",
            "Måle besøk på nettstedet slik at vi kan tilpasse det til behovene til kundene våre")]),
        legal_bases: vec![LegalBasis::Consent],
        subject_categories: tv(l, &[("Website visitors", "Besøkende på nettstedet")]),
        data_categories,
        recipients: tv(l, &[("Google as processor (Google Analytics)", "Google som databehandler (Google Analytics)"),
            CI_PROCESSOR,
            ("Cloudflare as processor (Zaraz consent management)", "Cloudflare som databehandler (samtykkehåndtering med Zaraz)")]),
        transfers: vec![
            dpf_transfer(l, ("Google LLC (Google Analytics)", "Google LLC (Google Analytics)")),
            dpf_transfer(l, ("Cloudflare, Inc. (Cloudflare Zaraz)", "Cloudflare, Inc. (Cloudflare Zaraz)")),
            ms_transfer(l),
        ],
        retention_summary: t(l,
            "14 months in Google Analytics; the statistics cannot be traced back to the individual user.",
            "14 måneder i Google Analytics; statistikken kan ikke spores tilbake til den enkelte bruker."),
        security_measures: tv(l, &[
            ("Statistics only after consent in the cookie banner (Cloudflare Zaraz)",
             "Statistikk bare etter samtykke i samtykkebanneret (Cloudflare Zaraz)"),
            ("Data processing terms with Google, Microsoft and Cloudflare",
             "Databehandleravtaler med Google, Microsoft og Cloudflare"),
            ("Reports show aggregated figures only", "Rapportene viser bare aggregerte tall"),
        ]),
        source: t(l, "The visitor's browser", "Nettleseren til den besøkende"),
        systems: names(&["Google Analytics", "Dynamics 365 Customer Insights – Journeys", "Cloudflare Zaraz"]),
        automated_decisions: t(l,
            "None. The statistics are aggregated and not used to make decisions about individuals.",
            "Ingen. Statistikken er aggregert og brukes ikke til å ta beslutninger om enkeltpersoner."),
        consent_record: t(l,
            "Cookie consent is recorded by the Cloudflare Zaraz consent management.",
            "Samtykke til informasjonskapsler registreres i samtykkehåndteringen i Cloudflare Zaraz."),
        ..Default::default()
    }
}

fn social_media(l: Lang) -> Activity {
    let platform = rule(l, R::Collected, None, (
        "Stored by the platform under its own terms; we remove comments on request and when a post is deleted.",
        "Lagres av plattformen etter plattformens egne vilkår; vi fjerner kommentarer på forespørsel og når et innlegg slettes."));
    let mut data_categories = cats(
        l,
        &[
            ("Name or username", "Navn eller brukernavn", G::Identity),
            (
                "Comments and reactions",
                "Kommentarer og reaksjoner",
                G::PersonalLife,
            ),
        ],
        &platform,
    );
    data_categories.push(cat(
        &t(l, "Messages", "Meldinger"),
        G::PersonalLife,
        Some(rule(
            l,
            R::LastContact,
            months(12),
            (
                "Messages we no longer need are deleted one year after the last contact.",
                "Meldinger vi ikke lenger trenger, slettes ett år etter siste kontakt.",
            ),
        )),
    ));
    data_categories.push(cat(&t(l, "Page statistics (aggregated)", "Sidestatistikk (aggregert)"), G::OnlineIdentifiers,
        Some(rule(l, R::Collected, None, (
            "Aggregated statistics kept by the platform (Page Insights); we cannot trace them to individuals.",
            "Aggregert statistikk som plattformen oppbevarer (Page Insights); vi kan ikke spore den tilbake til enkeltpersoner.")))));
    let jc = |name: &str, address: &str, resp: Tx| JointController {
        name: name.to_string(),
        contact: Contact {
            name: name.to_string(),
            address: address.to_string(),
            ..Default::default()
        },
        responsibilities: tt(l, resp),
    };
    Activity {
        owner: t(l, "Marketing", "Marked"),
        purposes: tv(l, &[
            ("Inform about our activities and services on our social media pages",
             "Informere om aktivitetene og tjenestene våre på sidene våre i sosiale medier"),
            ("Answer comments and messages", "Svare på kommentarer og meldinger"),
        ]),
        legal_bases: vec![LegalBasis::LegitimateInterests],
        legitimate_interest: t(l,
            "Informing those who follow us about our activities and answering those who contact us through the platforms.",
            "Å informere dem som følger oss om aktivitetene våre og svare dem som kontakter oss via plattformene."),
        subject_categories: tv(l, &[("Followers and visitors of our pages", "Følgere av og besøkende på sidene våre")]),
        data_categories,
        recipients: tv(l, &[
            ("The platforms (Meta/Facebook, LinkedIn, Google/YouTube) as independent controllers or joint controllers",
             "Plattformene (Meta/Facebook, LinkedIn, Google/YouTube) som selvstendige behandlingsansvarlige eller felles behandlingsansvarlige"),
            ("Other users of the platform, for public comments", "Andre brukere av plattformen, for offentlige kommentarer"),
        ]),
        joint_controllers: vec![
            jc("Meta Platforms Ireland Limited", "Merrion Road, Dublin 4, D04 X2K5, Ireland", (
                "Page Insights Controller Addendum (Art. 26): Meta is primarily responsible for processing the page statistics, for informing users and for handling their rights; we are responsible for the content of our page and for our use of the statistics.",
                "Page Insights Controller Addendum (art. 26): Meta har hovedansvaret for behandlingen av sidestatistikken, for å informere brukerne og for å ivareta rettighetene deres; vi har ansvaret for innholdet på siden vår og for vår bruk av statistikken.")),
            jc("LinkedIn Ireland Unlimited Company", "Wilton Place, Dublin 2, Ireland", (
                "LinkedIn Pages Joint Controller Addendum (Art. 26): LinkedIn is responsible for processing the page statistics, for informing members and for handling their rights; we are responsible for the content of our page and for our use of the statistics.",
                "LinkedIn Pages Joint Controller Addendum (art. 26): LinkedIn har ansvaret for behandlingen av sidestatistikken, for å informere medlemmene og for å ivareta rettighetene deres; vi har ansvaret for innholdet på siden vår og for vår bruk av statistikken.")),
        ],
        retention_summary: t(l,
            "Content and statistics are kept by the platforms under their terms; we delete messages one year after the last contact.",
            "Innhold og statistikk lagres av plattformene etter deres vilkår; vi sletter meldinger ett år etter siste kontakt."),
        security_measures: tv(l, &[
            ("Page access limited to named employees with personal accounts",
             "Tilgang til sidene kun for navngitte ansatte med personlige kontoer"),
            ("Multi-factor authentication on the platform accounts", "Tofaktorautentisering på kontoene i plattformene"),
            ("We do not ask for more personal data than needed in messages; cases move to e-mail",
             "Vi ber ikke om flere personopplysninger enn nødvendig i meldinger; saker flyttes over til e-post"),
        ]),
        source: t(l, "The data subject, through the platform", "Den registrerte, via plattformen"),
        systems: names(&["Facebook", "LinkedIn", "YouTube"]),
        automated_decisions: t(l,
            "None on our part; the platforms' own profiling is described in their privacy policies.",
            "Ingen fra vår side; plattformenes egen profilering er beskrevet i deres personvernerklæringer."),
        ..Default::default()
    }
}

fn accounting(l: Lang) -> Activity {
    let keep = rule(l, R::FinancialYearEnd, years(5), (
        "Duty to keep: the Bookkeeping Act (bokføringsloven § 13) requires accounting records to be kept for five years after the end of the financial year; the clock starts the day after the financial year the record belongs to has ended.",
        "Oppbevaringsplikt: bokføringsloven § 13 krever at regnskapsmaterialet oppbevares i fem år etter regnskapsårets slutt; fristen løper fra dagen etter at regnskapsåret opplysningen hører til, er slutt."));
    Activity {
        owner: t(l, "Finance", "Økonomi"),
        purposes: tv(l, &[("Keep the accounts and document sales, purchases and payments as the Bookkeeping Act requires",
            "Føre regnskap og dokumentere salg, innkjøp og betalinger slik bokføringsloven krever")]),
        legal_bases: vec![LegalBasis::LegalObligation],
        subject_categories: tv(l, &[("Clients and their contact persons", "Kunder og deres kontaktpersoner"),
            ("Suppliers and their contact persons", "Leverandører og deres kontaktpersoner")]),
        data_categories: cats(l, &[NAME, ("Invoice address", "Fakturaadresse", G::Identity),
            ("Invoices and receipts", "Fakturaer og bilag", G::Financial),
            ("Payment details", "Betalingsopplysninger", G::Financial),
            ("Bank account number", "Kontonummer", G::Financial)], &keep),
        recipients: tv(l, &[("Finance staff", "Ansatte i økonomifunksjonen"), ("External accountant", "Ekstern regnskapsfører"),
            ("Auditor", "Revisor"), ("The Norwegian Tax Administration on request", "Skatteetaten ved forespørsel")]),
        retention_summary: t(l,
            "Five years after the end of the financial year, as the Bookkeeping Act requires.",
            "Fem år etter regnskapsårets slutt, slik bokføringsloven krever."),
        security_measures: tv(l, &[
            ("Access limited to finance staff and the accountant", "Tilgang kun for økonomiansvarlige og regnskapsfører"),
            MFA,
            ("Data processing agreements with the accounting system provider and the accountant",
             "Databehandleravtaler med leverandøren av regnskapssystemet og med regnskapsfører"),
            ("Records are stored in the EEA and backed up", "Regnskapsmaterialet lagres i EØS og sikkerhetskopieres"),
        ]),
        source: t(l, "Clients, suppliers and the bank", "Kunder, leverandører og banken"),
        systems: vec![t(l, "Accounting system", "Regnskapssystem")],
        ..Default::default()
    }
}

/// The seed: client data "can also be used to inform clients of other services we
/// believe to be beneficial", and "you may refuse the use of your personal data for
/// direct marketing at any time". Direct marketing, so an objection stops it (Art. 21(3)).
fn client_marketing(l: Lang) -> Activity {
    let keep = rule(l, R::RelationshipEnded, months(12), (
        "Used for marketing while the client relationship lasts and for one year after it has ended; an objection to direct marketing stops it at once (Art. 21(3)). The contact details themselves are kept as client information.",
        "Brukes til markedsføring så lenge kundeforholdet varer og ett år etter at det er avsluttet; en protest mot direkte markedsføring stanser det straks (art. 21 nr. 3). Selve kontaktopplysningene lagres som kundeopplysninger."));
    Activity {
        owner: t(l, "Marketing", "Marked"),
        purposes: tv(l, &[
            ("Tell contact persons at clients about other services, courses and events we believe are useful to them",
             "Informere kontaktpersoner hos kunder om andre tjenester, kurs og arrangementer vi tror er nyttige for dem"),
            ("Keep track of who has objected to direct marketing, so they are never sent it again",
             "Holde oversikt over hvem som har protestert mot direkte markedsføring, slik at de aldri får det igjen"),
        ]),
        legal_bases: vec![LegalBasis::LegitimateInterests],
        legitimate_interest: t(l,
            "Direct marketing of our own services to the contact persons of our clients (recital 47), who can reasonably expect it from the client relationship. E-mail is sent only as the Marketing Control Act allows (markedsføringsloven § 15: an existing client relationship, similar services, and an easy way to say no in every message).",
            "Direkte markedsføring av egne tjenester overfor kontaktpersoner hos kundene våre (fortalepunkt 47), som med rimelighet kan forvente det ut fra kundeforholdet. E-post sendes bare slik markedsføringsloven § 15 tillater (eksisterende kundeforhold, tilsvarende tjenester og en enkel måte å si nei takk på i hver melding)."),
        subject_categories: tv(l, &[("Contact persons at clients", "Kontaktpersoner hos kunder")]),
        data_categories: cats(l, &[NAME, EMAIL, JOB_TITLE, EMPLOYER,
            ("Services bought and interests", "Kjøpte tjenester og interesser", G::ProfessionalLife)], &keep),
        recipients: tv(l, &[STAFF, CI_PROCESSOR]),
        transfers: vec![ms_transfer(l)],
        retention_summary: t(l,
            "While the client relationship lasts and one year after; an objection stops the marketing at once.",
            "Så lenge kundeforholdet varer og ett år etter; en protest stanser markedsføringen straks."),
        security_measures: tv(l, &[ACCESS, DPA_MICROSOFT,
            ("Objections are checked before every mailing, and an unsubscribe link is in every message",
             "Protester kontrolleres før hver utsending, og hver melding har en avmeldingslenke")]),
        source: t(l, "The client relationship (client information in the CRM)", "Kundeforholdet (kundeopplysningene i CRM-systemet)"),
        systems: names(&["Microsoft Dynamics 365 (CRM)", "Dynamics 365 Customer Insights – Journeys"]),
        automated_decisions: t(l,
            "None. Contacts are chosen by their role and the services their employer has bought; no decision with legal or similarly significant effects is made.",
            "Ingen. Kontaktene velges ut fra rollen og tjenestene arbeidsgiveren har kjøpt; det tas ingen avgjørelser med rettsvirkning eller tilsvarende betydning."),
        direct_marketing: true,
        ..Default::default()
    }
}

/// The seed: "Vi bruker Linkedin Insights og Google Ads for våre annonser." Retention as
/// LinkedIn (Insight Tag FAQ) and Google (privacy policy, cookie page) document it.
fn advertising(l: Lang) -> Activity {
    let linkedin = rule(l, R::Collected, months(6), (
        "LinkedIn removes direct identifiers within seven days and deletes the pseudonymised data within 180 days (LinkedIn Insight Tag FAQ).",
        "LinkedIn fjerner direkte identifikatorer innen sju dager og sletter de pseudonymiserte opplysningene innen 180 dager (LinkedIns svar om Insight Tag)."));
    let google = rule(l, R::Collected, months(18), (
        "The Google Ads conversion cookie lasts 90 days; Google anonymises advertising data in its server logs by removing part of the IP address after 9 months and cookie information after 18 months (Google's privacy policy).",
        "Konverteringsinformasjonskapselen fra Google Ads varer i 90 dager; Google anonymiserer annonseopplysninger i serverloggene ved å fjerne deler av IP-adressen etter 9 måneder og informasjon fra informasjonskapsler etter 18 måneder (Googles personvernerklæring)."));
    let ip = rule(l, R::Collected, months(9), (
        "LinkedIn truncates or hashes the IP address it receives; Google removes part of it in its server logs after 9 months.",
        "LinkedIn forkorter eller hasher IP-adressen den mottar; Google fjerner deler av den i serverloggene etter 9 måneder."));
    let choice = rule(
        l,
        R::Collected,
        months(12),
        (
            "The visitor is asked again after one year.",
            "Den besøkende blir spurt på nytt etter ett år.",
        ),
    );
    let mut data_categories = cats(
        l,
        &[(
            "LinkedIn cookie identifiers and pages visited",
            "ID-er i LinkedIns informasjonskapsler og besøkte sider",
            G::OnlineIdentifiers,
        )],
        &linkedin,
    );
    data_categories.extend(cats(
        l,
        &[(
            "Google Ads click and conversion identifiers",
            "Klikk- og konverterings-ID-er fra Google Ads",
            G::OnlineIdentifiers,
        )],
        &google,
    ));
    data_categories.extend(cats(
        l,
        &[(
            "IP address, device and browser",
            "IP-adresse, enhet og nettleser",
            G::ConnectionData,
        )],
        &ip,
    ));
    data_categories.push(cat(
        &t(l, "Consent choice", "Samtykkevalg"),
        G::OnlineIdentifiers,
        Some(choice),
    ));
    Activity {
        owner: t(l, "Marketing", "Marked"),
        purposes: tv(l, &[
            ("Measure which of our adverts on LinkedIn and Google lead to visits, sign-ups and enquiries (conversion tracking)",
             "Måle hvilke av annonsene våre på LinkedIn og Google som fører til besøk, påmeldinger og henvendelser (konverteringssporing)"),
            ("Show our adverts on LinkedIn to people who have visited our website (retargeting)",
             "Vise annonsene våre på LinkedIn til personer som har besøkt nettstedet vårt (retargeting)"),
        ]),
        legal_bases: vec![LegalBasis::Consent],
        subject_categories: tv(l, &[("Website visitors who accept marketing cookies",
            "Besøkende på nettstedet som godtar informasjonskapsler for markedsføring")]),
        data_categories,
        recipients: tv(l, &[
            ("LinkedIn as independent controller (LinkedIn Insight Tag)", "LinkedIn som selvstendig behandlingsansvarlig (LinkedIn Insight Tag)"),
            ("Google as independent controller (Google Ads conversion tracking)", "Google som selvstendig behandlingsansvarlig (konverteringssporing i Google Ads)"),
            ("Cloudflare as processor (Zaraz consent management)", "Cloudflare som databehandler (samtykkehåndtering med Zaraz)"),
        ]),
        transfers: vec![
            dpf_transfer(l, ("LinkedIn Corporation (LinkedIn Insight Tag)", "LinkedIn Corporation (LinkedIn Insight Tag)")),
            dpf_transfer(l, ("Google LLC (Google Ads)", "Google LLC (Google Ads)")),
            dpf_transfer(l, ("Cloudflare, Inc. (Cloudflare Zaraz)", "Cloudflare, Inc. (Cloudflare Zaraz)")),
        ],
        retention_summary: t(l,
            "LinkedIn deletes the Insight Tag data within 180 days; Google Ads' conversion cookie lasts 90 days, and Google anonymises its advertising logs after 9 months (IP address) and 18 months (cookies).",
            "LinkedIn sletter opplysningene fra Insight Tag innen 180 dager; konverteringsinformasjonskapselen fra Google Ads varer i 90 dager, og Google anonymiserer annonseloggene etter 9 måneder (IP-adresse) og 18 måneder (informasjonskapsler)."),
        security_measures: tv(l, &[
            ("The tags load only after consent to marketing cookies in the cookie banner (Cloudflare Zaraz)",
             "Sporingskodene lastes bare etter samtykke til informasjonskapsler for markedsføring i samtykkebanneret (Cloudflare Zaraz)"),
            ("No tags on pages that collect sensitive data, as LinkedIn's and Google's terms require",
             "Ingen sporingskoder på sider som samler inn sensitive opplysninger, slik vilkårene til LinkedIn og Google krever"),
            ("We receive aggregated reports only; the platforms do not tell us who the visitors are",
             "Vi får bare aggregerte rapporter; plattformene forteller oss ikke hvem de besøkende er"),
        ]),
        source: t(l, "The visitor's browser", "Nettleseren til den besøkende"),
        systems: names(&["LinkedIn Campaign Manager", "Google Ads", "Cloudflare Zaraz"]),
        automated_decisions: t(l,
            "None on our part. LinkedIn and Google use the data to measure and target adverts (profiling), as their privacy policies describe; no decision with legal or similarly significant effects is made about the visitor.",
            "Ingen fra vår side. LinkedIn og Google bruker opplysningene til å måle og målrette annonser (profilering), slik personvernerklæringene deres beskriver; det tas ingen avgjørelser med rettsvirkning eller tilsvarende betydning for den besøkende."),
        consent_record: t(l,
            "Consent to marketing cookies is recorded by the Cloudflare Zaraz consent management.",
            "Samtykke til informasjonskapsler for markedsføring registreres i samtykkehåndteringen i Cloudflare Zaraz."),
        ..Default::default()
    }
}

/// The seeds: videos from our YouTube channel on the website. Google decides what it
/// does with the viewing data (independent controller); the player loads after consent.
fn embedded_video(l: Lang) -> Activity {
    let cookies = rule(l, R::Collected, months(6), (
        "YouTube's VISITOR_INFO1_LIVE cookie lasts six months and YSC until the browser is closed (How Google uses cookies).",
        "YouTubes informasjonskapsel VISITOR_INFO1_LIVE varer i seks måneder og YSC til nettleseren lukkes (Googles side om informasjonskapsler)."));
    let ip = rule(l, R::Collected, months(9), (
        "Google removes part of the IP address in its server logs after 9 months (Google's privacy policy).",
        "Google fjerner deler av IP-adressen i serverloggene etter 9 måneder (Googles personvernerklæring)."));
    let viewing = rule(l, R::Collected, months(18), (
        "Kept by Google under its own terms; Google anonymises cookie information in its advertising logs after 18 months. A viewer signed in to YouTube manages their own watch history.",
        "Lagres av Google etter Googles egne vilkår; Google anonymiserer informasjon fra informasjonskapsler i annonseloggene etter 18 måneder. En seer som er logget inn på YouTube, styrer selv sin egen visningshistorikk."));
    let choice = rule(
        l,
        R::Collected,
        months(12),
        (
            "The visitor is asked again after one year.",
            "Den besøkende blir spurt på nytt etter ett år.",
        ),
    );
    let mut data_categories = cats(
        l,
        &[(
            "YouTube cookie identifiers",
            "ID-er i YouTubes informasjonskapsler",
            G::OnlineIdentifiers,
        )],
        &cookies,
    );
    data_categories.extend(cats(
        l,
        &[(
            "IP address, device and browser",
            "IP-adresse, enhet og nettleser",
            G::ConnectionData,
        )],
        &ip,
    ));
    data_categories.extend(cats(
        l,
        &[(
            "Videos played on our pages",
            "Videoer som er spilt av på sidene våre",
            G::ConnectionData,
        )],
        &viewing,
    ));
    data_categories.push(cat(
        &t(l, "Consent choice", "Samtykkevalg"),
        G::OnlineIdentifiers,
        Some(choice),
    ));
    Activity {
        owner: t(l, "Marketing", "Marked"),
        purposes: tv(l, &[("Show videos from our YouTube channel on the website",
            "Vise videoer fra YouTube-kanalen vår på nettstedet")]),
        legal_bases: vec![LegalBasis::Consent],
        subject_categories: tv(l, &[("Website visitors who accept the video player", "Besøkende på nettstedet som godtar videospilleren")]),
        data_categories,
        recipients: tv(l, &[
            ("Google as independent controller (YouTube)", "Google som selvstendig behandlingsansvarlig (YouTube)"),
            ("Cloudflare as processor (Zaraz consent management)", "Cloudflare som databehandler (samtykkehåndtering med Zaraz)"),
        ]),
        transfers: vec![
            dpf_transfer(l, ("Google LLC (YouTube)", "Google LLC (YouTube)")),
            dpf_transfer(l, ("Cloudflare, Inc. (Cloudflare Zaraz)", "Cloudflare, Inc. (Cloudflare Zaraz)")),
        ],
        retention_summary: t(l,
            "Kept by Google under its own terms: cookies for up to six months; Google anonymises its logs after 9 months (IP address) and 18 months (cookies).",
            "Lagres av Google etter Googles egne vilkår: informasjonskapsler i inntil seks måneder; Google anonymiserer loggene etter 9 måneder (IP-adresse) og 18 måneder (informasjonskapsler)."),
        security_measures: tv(l, &[
            ("The player loads only after consent in the cookie banner (Cloudflare Zaraz); until then a still image and a link are shown",
             "Videospilleren lastes bare etter samtykke i samtykkebanneret (Cloudflare Zaraz); til da vises et stillbilde og en lenke"),
            ("Videos are embedded in YouTube's privacy-enhanced mode (youtube-nocookie.com)",
             "Videoene bygges inn med YouTubes utvidede personvernmodus (youtube-nocookie.com)"),
        ]),
        source: t(l, "The visitor's browser", "Nettleseren til den besøkende"),
        systems: names(&["YouTube", "Cloudflare Zaraz"]),
        automated_decisions: t(l,
            "None on our part; Google's own use of viewing data for recommendations and adverts (profiling) is described in its privacy policy.",
            "Ingen fra vår side; Googles egen bruk av visningsdata til anbefalinger og annonser (profilering) er beskrevet i Googles personvernerklæring."),
        consent_record: t(l,
            "Consent to the video player is recorded by the Cloudflare Zaraz consent management.",
            "Samtykke til videospilleren registreres i samtykkehåndteringen i Cloudflare Zaraz."),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const REQUIRED: [&str; 14] = [
        "client_information",
        "newsletter",
        "courses",
        "job_applicants",
        "website_statistics",
        "social_media",
        "contact_form",
        "case_handling_archive",
        "email_and_telephone",
        "events",
        "accounting",
        "client_marketing",
        "advertising",
        "embedded_video",
    ];

    fn keys() -> Vec<&'static str> {
        list(Lang::En).into_iter().map(|i| i.key).collect()
    }

    #[test]
    fn every_template_builds_validates_and_can_be_approved() {
        for lang in [Lang::En, Lang::Nb] {
            for info in list(lang) {
                let a = activity(info.key, lang).unwrap_or_else(|| panic!("{} {lang:?}", info.key));
                assert_eq!(a.name, info.title);
                assert!(!info.description.trim().is_empty());
                assert_eq!(a.status, ActivityStatus::Draft);
                assert!(a.last_reviewed.is_none() && a.processor_ids.is_empty());
                a.validate()
                    .unwrap_or_else(|e| panic!("{} {lang:?}: {e}", info.key));
                assert!(
                    a.missing_fields().is_empty(),
                    "{} {lang:?}: {:?}",
                    info.key,
                    a.missing_fields()
                );
                let approved = Activity {
                    status: ActivityStatus::Approved,
                    ..a.clone()
                };
                approved
                    .validate()
                    .unwrap_or_else(|e| panic!("{} {lang:?} approved: {e}", info.key));
                for field in [
                    &a.owner,
                    &a.retention_summary,
                    &a.source,
                    &a.automated_decisions,
                ] {
                    assert!(!field.trim().is_empty(), "{} {lang:?}", info.key);
                }
                assert!(!a.systems.is_empty() && (1..=3).contains(&a.purposes.len()));
                assert!((2..=4).contains(&a.security_measures.len()), "{}", info.key);
                assert_eq!(a.dpia, DpiaStatus::NotNeeded);
                for c in &a.data_categories {
                    assert!(
                        c.retention.is_some() && !c.sensitive,
                        "{} {}",
                        info.key,
                        c.name
                    );
                    assert!(!c
                        .retention
                        .as_ref()
                        .unwrap()
                        .justification
                        .trim()
                        .is_empty());
                }
                if a.legal_bases.contains(&LegalBasis::Consent) {
                    assert!(!a.consent_record.trim().is_empty(), "{}", info.key);
                }
                if a.legal_bases.contains(&LegalBasis::LegitimateInterests) {
                    assert!(!a.legitimate_interest.trim().is_empty(), "{}", info.key);
                }
                assert_eq!(
                    a.direct_marketing,
                    matches!(info.key, "newsletter" | "client_marketing"),
                    "{}",
                    info.key
                );
                assert_eq!(a.proposals, Proposal::ALL, "{} {lang:?}", info.key);
            }
        }
    }

    #[test]
    fn every_template_has_a_notice_text_and_the_public_ones_are_in_the_notice() {
        for lang in [Lang::En, Lang::Nb] {
            for key in keys() {
                let a = activity(key, lang).unwrap();
                assert!(a.notice_text.len() > 40, "{key} {lang:?}: no notice text");
                assert_eq!(a.in_notice, key != "accounting", "{key}");
            }
        }
        let nb = activity("newsletter", Lang::Nb).unwrap();
        assert!(
            nb.notice_text.contains("nyhetsbrevet"),
            "{}",
            nb.notice_text
        );
        // The notice text travels in the stored body, and is left out when empty.
        let json = serde_json::to_value(&nb).unwrap();
        assert_eq!(json["in_notice"], true);
        assert_eq!(json["notice_text"], nb.notice_text.as_str());
        let internal = serde_json::to_value(activity("accounting", Lang::En).unwrap()).unwrap();
        assert!(internal.get("in_notice").is_none(), "{internal}");
    }

    #[test]
    fn english_and_norwegian_versions_match() {
        for key in keys() {
            let (en, nb) = (
                activity(key, Lang::En).unwrap(),
                activity(key, Lang::Nb).unwrap(),
            );
            assert_eq!(en.data_categories.len(), nb.data_categories.len(), "{key}");
            assert_eq!(en.purposes.len(), nb.purposes.len(), "{key}");
            assert_eq!(
                en.subject_categories.len(),
                nb.subject_categories.len(),
                "{key}"
            );
            assert_eq!(en.recipients.len(), nb.recipients.len(), "{key}");
            assert_eq!(
                en.security_measures.len(),
                nb.security_measures.len(),
                "{key}"
            );
            assert_eq!(en.legal_bases, nb.legal_bases, "{key}");
            assert_eq!(en.transfers.len(), nb.transfers.len(), "{key}");
            for (e, n) in en.data_categories.iter().zip(&nb.data_categories) {
                assert_eq!(
                    (
                        e.group,
                        e.retention.as_ref().map(|r| (r.trigger, r.duration))
                    ),
                    (
                        n.group,
                        n.retention.as_ref().map(|r| (r.trigger, r.duration))
                    ),
                    "{key}"
                );
            }
        }
    }

    #[test]
    fn norwegian_texts_use_norwegian_letters() {
        let has = |s: &str| s.chars().any(|c| "æøåÆØÅ".contains(c));
        let all: Vec<Activity> = keys()
            .into_iter()
            .map(|k| activity(k, Lang::Nb).unwrap())
            .collect();
        assert!(all.iter().any(|a| has(&a.name)));
        assert!(all
            .iter()
            .flat_map(|a| &a.data_categories)
            .any(|c| has(&c.name)));
        assert!(!list(Lang::En).iter().any(|i| has(&i.title)));
    }

    #[test]
    fn template_processors_are_known() {
        let en = processors(Lang::En);
        let nb = processors(Lang::Nb);
        let known: HashSet<&str> = en.iter().map(|(k, _)| *k).collect();
        assert_eq!(known.len(), en.len(), "processor keys are unique");
        for key in [
            "dynamics365",
            "customer_insights",
            "mintra",
            "linkedin",
            "google_analytics",
            "cloudflare_zaraz",
            "youtube",
            "facebook",
            "microsoft365",
            "linkedin_insight",
            "google_ads",
        ] {
            assert!(known.contains(key), "{key}");
        }
        assert_eq!(en.len(), nb.len());
        for ((ke, pe), (kn, pn)) in en.iter().zip(&nb) {
            assert_eq!((ke, &pe.name, pe.role), (kn, &pn.name, pn.role));
            pe.validate().unwrap();
            assert!(!pe.country.is_empty() && !pe.dpa_reference.is_empty() && !pn.notes.is_empty());
            assert!(!pn.country.is_empty() && !pn.dpa_reference.is_empty());
        }
        // Countries in the report's language: "Norge" in a Norwegian register.
        let country = |list: &[(&str, Processor)], k: &str| {
            list.iter()
                .find(|(key, _)| *key == k)
                .unwrap()
                .1
                .country
                .clone()
        };
        assert_eq!(country(&nb[..], "mintra"), "Norge");
        assert_eq!(country(&en[..], "mintra"), "Norway");
        assert_eq!(country(&nb[..], "google_analytics"), "USA");
        assert_eq!(country(&nb[..], "dynamics365"), "EU/EØS");
        let role = |k: &str| en.iter().find(|(key, _)| *key == k).unwrap().1.role;
        assert_eq!(role("linkedin"), ProcessorRole::Recipient);
        assert_eq!(role("mintra"), ProcessorRole::Processor);
        assert_eq!(
            en.iter()
                .find(|(k, _)| *k == "google_analytics")
                .unwrap()
                .1
                .country,
            "United States"
        );
        for key in keys() {
            for p in template_processors(key) {
                assert!(known.contains(p), "{key} names unknown processor {p}");
            }
        }
        assert!(template_processors("courses").contains(&"mintra"));
        assert!(template_processors("no_such_template").is_empty());
    }

    #[test]
    fn required_templates_are_present_and_unknown_keys_give_none() {
        let keys = keys();
        assert_eq!(
            keys.iter().collect::<HashSet<_>>().len(),
            keys.len(),
            "keys are unique"
        );
        for key in REQUIRED {
            assert!(keys.contains(&key), "{key} missing");
        }
        assert!(activity("no_such_template", Lang::En).is_none());
        assert!(activity("", Lang::Nb).is_none());
        assert_eq!(list(Lang::Nb).len(), list(Lang::En).len());
    }

    #[test]
    fn specific_template_contents() {
        let ws = activity("website_statistics", Lang::En).unwrap();
        assert!(ws.transfers.iter().any(|t| t.country == "United States"
            && t.recipient.contains("Google")
            && t.safeguard == TransferSafeguard::AdequacyDecision));
        let sm = activity("social_media", Lang::Nb).unwrap();
        assert!(sm.joint_controllers.len() >= 2);
        assert!(sm
            .joint_controllers
            .iter()
            .all(|j| !j.responsibilities.trim().is_empty()));
        let jobs = activity("job_applicants", Lang::Nb).unwrap();
        let r = jobs
            .category("Søknadsbrev")
            .unwrap()
            .retention
            .clone()
            .unwrap();
        assert_eq!((r.trigger, r.duration), (R::ApplicationClosed, months(12)));
        let acc = activity("accounting", Lang::En).unwrap();
        assert_eq!(acc.legal_bases, vec![LegalBasis::LegalObligation]);
        assert!(acc
            .data_categories
            .iter()
            .all(|c| c.retention.as_ref().unwrap().duration == years(5)
                && c.retention
                    .as_ref()
                    .unwrap()
                    .justification
                    .contains("Bookkeeping Act")));
        let ads = activity("advertising", Lang::En).unwrap();
        assert_eq!(ads.legal_bases, vec![LegalBasis::Consent]);
        assert!(ads
            .data_categories
            .iter()
            .any(|c| c.group == G::OnlineIdentifiers));
        for vendor in ["LinkedIn", "Google"] {
            assert!(
                ads.transfers.iter().any(|t| t.recipient.contains(vendor)
                    && t.safeguard == TransferSafeguard::AdequacyDecision
                    && !t.documentation.is_empty()),
                "{vendor}"
            );
        }
        assert!(template_processors("advertising").contains(&"linkedin_insight"));
        assert!(template_processors("advertising").contains(&"google_ads"));
        let marketing = activity("client_marketing", Lang::Nb).unwrap();
        assert!(marketing.direct_marketing);
        assert_eq!(marketing.legal_bases, vec![LegalBasis::LegitimateInterests]);
        let video = activity("embedded_video", Lang::Nb).unwrap();
        assert_eq!(video.legal_bases, vec![LegalBasis::Consent]);
        assert!(video
            .transfers
            .iter()
            .any(|t| t.country == "USA" && t.recipient.contains("Google")));
        assert!(template_processors("embedded_video").contains(&"youtube"));
        let acc_nb = activity("accounting", Lang::Nb).unwrap();
        assert!(acc_nb.data_categories[0]
            .retention
            .as_ref()
            .unwrap()
            .justification
            .starts_with("Oppbevaringsplikt"));
        let clients = activity("client_information", Lang::En).unwrap();
        assert!(clients
            .legal_bases
            .contains(&LegalBasis::LegitimateInterests));
        assert_eq!(
            clients
                .category("name")
                .unwrap()
                .retention
                .as_ref()
                .unwrap()
                .trigger,
            R::RelationshipEnded
        );
    }
}
