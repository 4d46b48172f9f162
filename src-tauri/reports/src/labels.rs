//! Every word a report prints that does not come from the register, in English and
//! Norwegian bokmål. The PDF templates get the whole table for the chosen language as
//! the `labels` dictionary, and CSV and XLSX headers come from here too. The names of
//! the closed lists' values (legal bases, safeguards, ...) and the article references
//! come from the core's one table, [`privreg_core::labels`].

use chrono::{Datelike, NaiveDate};
use privreg_core::labels::{self as core_labels, article, Labelled};
use privreg_core::model::{LegalBasis, RetentionRule};
use privreg_core::store::requests::RequestKind;
use privreg_core::Lang;

/// Picks the text for `lang` from an (English, bokmål) pair.
pub fn tr(lang: Lang, pair: (&'static str, &'static str)) -> &'static str {
    match lang {
        Lang::En => pair.0,
        Lang::Nb => pair.1,
    }
}

/// (key, English, bokmål). Keys are what the `.typ` templates use: `labels.at("key")`.
pub const LABELS: &[(&str, &str, &str)] = &[
    // Documents
    ("art30_title", "Record of processing activities", "Protokoll over behandlingsaktiviteter"),
    ("art30_subtitle", "GDPR Art. 30(1): the controller's record", "Personvernforordningen art. 30 nr. 1: den behandlingsansvarliges protokoll"),
    ("access_title", "Your personal data: access report", "Dine personopplysninger: innsynsrapport"),
    ("access_subtitle", "GDPR Art. 15: the right of access by the data subject", "Personvernforordningen art. 15: den registrertes rett til innsyn"),
    ("page", "Page", "Side"),
    ("of", "of", "av"),
    ("date", "Date", "Dato"),
    ("generated", "Produced", "Laget"),
    ("missing", "MISSING", "MANGLER"),
    ("none", "None", "Ingen"),
    ("yes", "Yes", "Ja"),
    ("no", "No", "Nei"),
    ("not_stated", "Not stated", "Ikke oppgitt"),
    ("not_applicable", "Not applicable", "Ikke relevant"),
    ("ref", "Ref.", "Ref."),
    ("ref_a", "Art. 30(1)(a)", "art. 30 nr. 1 bokstav a"),
    ("ref_b", "Art. 30(1)(b)", "art. 30 nr. 1 bokstav b"),
    ("ref_c", "Art. 30(1)(c)", "art. 30 nr. 1 bokstav c"),
    ("ref_d", "Art. 30(1)(d)", "art. 30 nr. 1 bokstav d"),
    ("ref_e", "Art. 30(1)(e)", "art. 30 nr. 1 bokstav e"),
    ("ref_f", "Art. 30(1)(f)", "art. 30 nr. 1 bokstav f"),
    ("ref_g", "Art. 30(1)(g)", "art. 30 nr. 1 bokstav g"),
    ("ref_6", "Art. 6(1)", "art. 6 nr. 1"),
    ("ref_9", "Art. 9(2)", "art. 9 nr. 2"),
    ("ref_22", "Art. 22", "art. 22"),
    ("ref_35", "Art. 35", "art. 35"),
    ("ref_28", "Art. 28(3)", "art. 28 nr. 3"),
    ("ref_26", "Art. 26", "art. 26"),
    ("field", "Field", "Felt"),
    ("content", "Content", "Innhold"),
    // Audit stamp
    ("audit_heading", "Audit log at the time of this report", "Revisjonsloggen da rapporten ble laget"),
    ("audit_head", "Head of the audit chain (SHA-256)", "Siste hash i revisjonskjeden (SHA-256)"),
    ("audit_events", "Events in the audit log", "Hendelser i revisjonsloggen"),
    ("audit_intact", "Chain verified", "Kjeden kontrollert"),
    ("audit_intact_yes", "intact", "hel"),
    ("audit_intact_no", "BROKEN: the history has been changed", "BRUTT: historikken er endret"),
    ("audit_read_only", "Made from a damaged register that was opened read-only. This export is not yet in the audit log: it is recorded in the side log beside the register file, and written into the audit log when the register can be written again.", "Laget fra et skadet register som ble åpnet skrivebeskyttet. Denne eksporten står ennå ikke i revisjonsloggen: den er ført i sideloggen ved siden av registerfilen, og føres inn i revisjonsloggen når registeret kan skrives til igjen."),
    ("audit_side_log", "Side log", "Sidelogg"),
    ("audit_note", "A later report whose audit log still contains this event with this hash shows that the history up to this report has not been rewritten.", "En senere rapport der revisjonsloggen fortsatt inneholder denne hendelsen med denne hashen, viser at historikken fram til denne rapporten ikke er skrevet om."),
    // Controller, Art. 30(1)(a)
    ("controller_heading", "Controller", "Behandlingsansvarlig"),
    ("organisation", "Organisation", "Virksomhet"),
    ("org_number", "Organisation number", "Organisasjonsnummer"),
    ("address", "Address", "Adresse"),
    ("email", "E-mail", "E-post"),
    ("phone", "Telephone", "Telefon"),
    ("website", "Website", "Nettsted"),
    ("contact_person", "Contact person", "Kontaktperson"),
    ("dpo", "Data protection officer", "Personvernombud"),
    ("representative", "Representative in the EU/EEA", "Representant i EU/EØS"),
    ("supervisory_authority", "Supervisory authority", "Tilsynsmyndighet"),
    ("controller_contact", "Contact details", "Kontaktopplysninger"),
    // Activities, Art. 30(1)(b)-(g) and extras
    ("activities_heading", "Processing activities", "Behandlingsaktiviteter"),
    ("overview_heading", "Overview", "Oversikt"),
    ("no_activities", "The register holds no processing activities.", "Registeret har ingen behandlingsaktiviteter."),
    ("number", "No.", "Nr."),
    ("activity", "Processing activity", "Behandlingsaktivitet"),
    ("owner", "Business function / owner", "Ansvarlig enhet / eier"),
    ("purposes", "Purposes of the processing", "Formål med behandlingen"),
    ("legal_bases", "Lawful basis (Art. 6)", "Behandlingsgrunnlag (art. 6)"),
    ("art9_condition", "Condition for special categories (Art. 9)", "Vilkår for særlige kategorier (art. 9)"),
    ("legitimate_interest", "Legitimate interests pursued", "Berettigede interesser"),
    ("lia_reference", "Legitimate interests assessment", "Interesseavveining"),
    ("subject_categories", "Categories of data subjects", "Kategorier av registrerte"),
    ("data_categories", "Categories of personal data", "Kategorier av personopplysninger"),
    ("sensitive", "special category (Art. 9)", "særlig kategori (art. 9)"),
    ("criminal", "criminal offence data (Art. 10)", "straffbare forhold (art. 10)"),
    ("recipients", "Categories of recipients", "Kategorier av mottakere"),
    ("processors", "Processors and recipients, with data processing agreements", "Databehandlere og mottakere, med databehandleravtaler"),
    ("joint_controllers", "Joint controllers and their responsibilities", "Felles behandlingsansvarlige og deres ansvar"),
    ("transfers", "Transfers to third countries or international organisations", "Overføringer til tredjeland eller internasjonale organisasjoner"),
    ("transfer_safeguards", "Safeguards for the transfers", "Garantier for overføringene"),
    ("retention", "Time limits for erasure", "Frister for sletting"),
    ("retention_per_category", "Retention per category", "Lagringstid per kategori"),
    ("security_measures", "Technical and organisational security measures", "Tekniske og organisatoriske sikkerhetstiltak"),
    ("source", "Source of the data", "Kilde til opplysningene"),
    ("systems", "Systems where the data is kept", "Systemer der opplysningene lagres"),
    ("automated_decisions", "Automated decision-making, including profiling", "Automatiserte avgjørelser, herunder profilering"),
    ("consent_record", "Record of consents", "Samtykkelogg"),
    ("direct_marketing", "Direct marketing", "Direkte markedsføring"),
    ("rights_available", "Rights available to individuals", "Rettigheter for de registrerte"),
    ("dpia", "Data protection impact assessment (DPIA)", "Vurdering av personvernkonsekvenser (DPIA)"),
    ("dpia_reference", "DPIA reference", "DPIA-referanse"),
    ("status", "Status", "Status"),
    ("last_reviewed", "Last reviewed", "Sist gjennomgått"),
    ("missing_fields", "Missing required fields", "Manglende obligatoriske felt"),
    ("proposal_unconfirmed", "Proposal — to be confirmed", "Forslag – må bekreftes"),
    ("processors_heading", "Processors and recipients", "Databehandlere og mottakere"),
    ("no_processors", "The register holds no processors or recipients.", "Registeret har ingen databehandlere eller mottakere."),
    ("name", "Name", "Navn"),
    ("role", "Role", "Rolle"),
    ("country", "Country", "Land"),
    ("dpa_reference", "Data processing agreement", "Databehandleravtale"),
    ("contact", "Contact", "Kontakt"),
    ("recipient", "Recipient", "Mottaker"),
    ("safeguard", "Safeguard", "Garanti"),
    ("documentation", "Documentation", "Dokumentasjon"),
    ("controller_column", "Controller", "Behandlingsansvarlig"),
    ("report_date", "Report date", "Rapportdato"),
    // Subject access report, Art. 15
    ("access_intro", "This report answers your request for access under Art. 15 of the General Data Protection Regulation. It contains a copy of the personal data we hold about you, grouped by the processing activity it is held for, and for each activity the information Art. 15 requires.", "Denne rapporten svarer på kravet ditt om innsyn etter personvernforordningen art. 15. Den inneholder en kopi av personopplysningene vi har om deg, gruppert etter behandlingsaktiviteten de brukes i, og for hver aktivitet opplysningene art. 15 krever."),
    ("subject_heading", "About you", "Om deg"),
    ("subject_id", "Our reference", "Vår referanse"),
    ("registered_at", "Registered", "Registrert"),
    ("restricted_note", "Processing of your data is restricted (Art. 18): we keep it, but do not otherwise use it.", "Behandlingen av opplysningene dine er begrenset (art. 18): vi oppbevarer dem, men bruker dem ikke ellers."),
    ("marketing_objection_note", "You have objected to direct marketing (Art. 21): we do not use your data for direct marketing.", "Du har protestert mot direkte markedsføring (art. 21): vi bruker ikke opplysningene dine til direkte markedsføring."),
    ("copy_heading", "The personal data we hold about you", "Personopplysningene vi har om deg"),
    ("no_data", "We hold no personal data about you beyond the details above.", "Vi har ingen personopplysninger om deg utover opplysningene ovenfor."),
    ("your_data", "Your data", "Opplysningene dine"),
    ("category", "Category", "Kategori"),
    ("value", "Value", "Verdi"),
    ("collected_on", "Collected", "Innsamlet"),
    ("consents", "Consents and objections", "Samtykker og protester"),
    ("when", "When", "Når"),
    ("event", "Event", "Hendelse"),
    ("method", "How", "Hvordan"),
    ("art15_a", "(a) Purposes of the processing", "a) Formålene med behandlingen"),
    ("art15_b", "(b) Categories of personal data concerned", "b) Kategorier av personopplysninger det gjelder"),
    ("art15_c", "(c) Recipients or categories of recipients, in particular in third countries", "c) Mottakere eller kategorier av mottakere, særlig i tredjeland"),
    ("art15_d", "(d) Envisaged storage period, or the criteria used to determine it", "d) Planlagt lagringstid, eller kriteriene for å fastsette den"),
    ("art15_e", "(e) Your rights to rectification, erasure, restriction and objection", "e) Retten til retting, sletting, begrensning og protest"),
    ("art15_f", "(f) The right to lodge a complaint with a supervisory authority", "f) Retten til å klage til en tilsynsmyndighet"),
    ("art15_g", "(g) Where the data was not collected from you: its source", "g) Hvor opplysningene kommer fra, når de ikke er samlet inn fra deg"),
    ("art15_h", "(h) Automated decision-making, including profiling", "h) Automatiserte avgjørelser, herunder profilering"),
    ("art15_2", "Safeguards for transfers to third countries (Art. 15(2))", "Garantier ved overføring til tredjeland (art. 15 nr. 2)"),
    ("no_transfers", "Your data in this activity is not transferred outside the EU/EEA.", "Opplysningene dine i denne aktiviteten overføres ikke ut av EU/EØS."),
    ("no_automated", "No automated decision-making or profiling.", "Ingen automatiserte avgjørelser eller profilering."),
    ("sources_of_records", "Sources recorded for your data", "Registrerte kilder for opplysningene dine"),
    ("rights_heading", "Your rights", "Rettighetene dine"),
    ("complaint_text", "If you believe that our processing of your personal data breaks the rules, you may lodge a complaint with the supervisory authority (Art. 77):", "Hvis du mener at behandlingen av personopplysningene dine bryter med regelverket, kan du klage til tilsynsmyndigheten (art. 77):"),
    ("contact_us", "To use your rights, contact us:", "For å bruke rettighetene dine, kontakt oss:"),
    ("portability_note", "This report is also available in JSON, a structured, commonly used and machine-readable format (Art. 20).", "Rapporten finnes også i JSON, et strukturert, alminnelig anvendt og maskinlesbart format (art. 20)."),
    // Subject access report: the person's requests, restriction and objection,
    // retention dates and holds, where the data is kept, Art. 19 notifications
    ("none_recorded", "None recorded.", "Ingen registrert."),
    ("requests_heading", "Your requests", "Krav fra registrerte"),
    ("request_column", "Request", "Krav"),
    ("received_on", "Received", "Mottatt"),
    ("outcome", "Status and outcome", "Status og utfall"),
    ("closed_on", "Closed", "Avsluttet"),
    ("outcome_completed", "Completed on {date}", "Fullført {date}"),
    ("outcome_refused", "Refused on {date}: {ground}", "Avslått {date}: {ground}"),
    ("outcome_refused_no_ground", "Refused on {date}", "Avslått {date}"),
    ("outcome_extended", "Extended by {period} (Art. 12(3)); to be answered by {date}", "Forlenget med {period} (art. 12 nr. 3); besvares innen {date}"),
    ("outcome_open", "Open; to be answered by {date}", "Åpen; besvares innen {date}"),
    ("refusal_reasons", "Reasons for the refusal", "Begrunnelse for avslaget"),
    ("extension_reasons", "Reasons for the extension", "Begrunnelse for forlengelsen"),
    ("rights_status_heading", "Restriction and objection", "Begrensning og protest"),
    ("restriction_heading", "Restriction of processing (Art. 18)", "Begrensning av behandling (art. 18)"),
    ("restricted_now", "Processing of your data is restricted now: we keep it, but do not otherwise use it.", "Behandlingen av opplysningene dine er begrenset nå: vi oppbevarer dem, men bruker dem ikke ellers."),
    ("not_restricted", "Processing of your data is not restricted.", "Behandlingen av opplysningene dine er ikke begrenset."),
    ("restricted_since", "Restricted since", "Begrenset siden"),
    ("restriction_reason", "Why", "Hvorfor"),
    ("marketing_objection_heading", "Objection to direct marketing (Art. 21(3))", "Protest mot direkte markedsføring (art. 21 nr. 3)"),
    ("marketing_objected", "You have objected to direct marketing: we do not use your data for it.", "Du har protestert mot direkte markedsføring: vi bruker ikke opplysningene dine til det."),
    ("no_marketing_objection", "You have not objected to direct marketing.", "Du har ikke protestert mot direkte markedsføring."),
    ("objected_on", "Objected on", "Protestert"),
    ("objections_heading", "Decisions on your objections (Art. 21(1))", "Avgjørelser om protestene dine (art. 21 nr. 1)"),
    ("decision", "Decision", "Avgjørelse"),
    ("grounds", "Grounds", "Begrunnelse"),
    ("decided_on", "Decided", "Avgjort"),
    ("objection_continue", "The processing continues: compelling legitimate grounds override your interests (Art. 21(1))", "Behandlingen fortsetter: tvingende berettigede grunner går foran interessene dine (art. 21 nr. 1)"),
    ("objection_stop", "The processing has stopped: your data in this activity was erased", "Behandlingen er stanset: opplysningene dine i denne aktiviteten er slettet"),
    ("objection_pending", "Awaiting our decision; the processing is restricted meanwhile (Art. 18(1)(d))", "Venter på vår avgjørelse; behandlingen er begrenset så lenge (art. 18 nr. 1 bokstav d)"),
    ("where_kept", "Where your data is kept", "Hvor opplysningene dine lagres"),
    ("processors_keeping", "Processors that keep it for us", "Databehandlere som lagrer dem for oss"),
    ("retention_dates", "Dates your storage period counts from", "Datoer lagringstiden for opplysningene dine regnes fra"),
    ("may_be_deleted_from", "may be deleted from", "kan slettes fra"),
    ("holds", "Legal holds that stop deletion", "Slettestopp og oppbevaringsplikt"),
    ("hold_on_subject", "On you", "Gjelder deg"),
    ("hold_on_activity", "On this processing activity", "Gjelder denne behandlingsaktiviteten"),
    ("hold_until", "until", "til og med"),
    ("hold_until_released", "until released", "til den oppheves"),
    ("open_breaches_heading", "Personal data breaches being handled", "Avvik under behandling"),
    ("open_breaches_text", "Breaches not yet closed, from the breach log (Art. 33(5)); each is documented there in full.", "Brudd på personopplysningssikkerheten som ikke er lukket, fra avviksprotokollen (art. 33 nr. 5); hvert er dokumentert fullt ut der."),
    ("open_breaches_reference", "Reference", "Referanse"),
    ("open_breaches_title", "Breach", "Avvik"),
    ("open_breaches_status", "Status", "Status"),
    ("open_breaches_due", "Deadline for notifying Datatilsynet (72 hours)", "Frist for å melde til Datatilsynet (72 timer)"),
    ("notifications_heading", "Recipients told of a rectification, erasure or restriction (Art. 19)", "Mottakere som er underrettet om retting, sletting eller begrensning (art. 19)"),
    ("recipient_kind", "Kind", "Type"),
    ("notify_cause", "Because of", "Årsak"),
];

/// The label for `key` in `lang`; panics on an unknown key (a programming error caught
/// by the tests).
pub fn label(lang: Lang, key: &str) -> &'static str {
    let (_, en, nb) = LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .unwrap_or_else(|| panic!("no label {key}"));
    match lang {
        Lang::En => en,
        Lang::Nb => nb,
    }
}

/// The whole table for one language, for the templates.
pub fn dictionary(lang: Lang) -> serde_json::Map<String, serde_json::Value> {
    LABELS
        .iter()
        .map(|(k, en, nb)| {
            let v = match lang {
                Lang::En => en,
                Lang::Nb => nb,
            };
            (k.to_string(), serde_json::Value::String(v.to_string()))
        })
        .collect()
}

/// The label of a required Art. 30 field named by `Activity::missing_fields`, or of a
/// controller field.
pub fn field_name(lang: Lang, field: &str) -> &'static str {
    match field {
        "purposes" | "legal_bases" | "subject_categories" | "data_categories" | "recipients"
        | "security_measures" | "organisation" => label(lang, field),
        "contact_details" => label(lang, "controller_contact"),
        _ => label(lang, "field"),
    }
}

/// A retention rule in words: "3 years after the relationship has ended. Why ...".
pub fn retention(lang: Lang, r: &RetentionRule) -> String {
    let head = match r.duration {
        Some(p) => format!(
            "{} {}",
            core_labels::period(lang, p),
            core_labels::retention_trigger_after(lang, r.trigger)
        ),
        None => tr(lang, ("Until further notice", "Inntil videre")).to_string(),
    };
    let why = r.justification.trim();
    if why.is_empty() {
        format!("{head}.")
    } else {
        format!("{head}. {why}")
    }
}

/// A date the way a reader of `lang` writes it: "12 May 2026", "12. mai 2026".
pub fn date(lang: Lang, d: NaiveDate) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const NB: [&str; 12] = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ];
    let m = d.month0() as usize;
    match lang {
        Lang::En => format!("{} {} {}", d.day(), EN[m], d.year()),
        Lang::Nb => format!("{}. {} {}", d.day(), NB[m], d.year()),
    }
}

/// The rights a person has under each lawful basis, as the ICO template's "rights
/// available" column lists them (Art. 15-22; portability only for consent and
/// contract, objection for public task and legitimate interests or direct marketing).
pub fn rights_available(lang: Lang, bases: &[LegalBasis], direct_marketing: bool) -> Vec<String> {
    let right = |k: RequestKind| k.label_with_article(lang);
    let mut out = vec![
        right(RequestKind::Access),
        right(RequestKind::Rectification),
    ];
    let only_obligation = !bases.is_empty()
        && bases
            .iter()
            .all(|b| matches!(b, LegalBasis::LegalObligation | LegalBasis::PublicTask));
    if !only_obligation {
        out.push(right(RequestKind::Erasure));
    }
    out.push(right(RequestKind::Restriction));
    if bases
        .iter()
        .any(|b| matches!(b, LegalBasis::Consent | LegalBasis::Contract))
    {
        out.push(right(RequestKind::Portability));
    }
    if direct_marketing
        || bases
            .iter()
            .any(|b| matches!(b, LegalBasis::PublicTask | LegalBasis::LegitimateInterests))
    {
        out.push(right(RequestKind::Objection));
    }
    if bases.contains(&LegalBasis::Consent) {
        out.push(format!(
            "{} ({})",
            tr(lang, WITHDRAW_CONSENT),
            article(lang, WITHDRAW_CONSENT_ARTICLE)
        ));
    }
    out
}

const WITHDRAW_CONSENT: (&str, &str) = ("Withdrawal of consent", "Tilbaketrekking av samtykke");
const WITHDRAW_CONSENT_ARTICLE: &str = "Art. 7(3)";
/// The right to complain to a supervisory authority.
pub const COMPLAINT_ARTICLE: &str = "Art. 77";

/// Every article reference a report's closed-list values carry, in English style,
/// with its form in `lang`: the PDF templates print `articles.at(article)`.
pub fn article_dictionary(lang: Lang) -> serde_json::Map<String, serde_json::Value> {
    core_labels::lists()
        .into_iter()
        .flat_map(|l| l.values)
        .filter_map(|v| v.reference)
        .chain([WITHDRAW_CONSENT_ARTICLE, COMPLAINT_ARTICLE])
        .map(|r| (r.to_string(), serde_json::Value::String(article(lang, r))))
        .collect()
}

/// Datatilsynet, the Norwegian supervisory authority, in full: printed when the
/// controller profile names no authority, or names Datatilsynet by name only (the
/// controller page's default), so the report always says how to reach it.
pub fn datatilsynet(lang: Lang) -> &'static str {
    tr(lang, (
        "Datatilsynet, Postboks 458 Sentrum, 0105 Oslo, Norway. postkasse@datatilsynet.no, +47 22 39 69 00, www.datatilsynet.no",
        "Datatilsynet, Postboks 458 Sentrum, 0105 Oslo, Norge. postkasse@datatilsynet.no, 22 39 69 00, www.datatilsynet.no",
    ))
}

/// The supervisory authority as the report prints it: `given`, unless it is empty or
/// Datatilsynet's name alone, which becomes its full contact details.
pub fn supervisory_authority(lang: Lang, given: &str) -> String {
    let g = given.trim();
    if g.is_empty() || g.eq_ignore_ascii_case("datatilsynet") {
        datatilsynet(lang).to_string()
    } else {
        g.to_string()
    }
}

/// The rights of Art. 15(1)(e) and the related ones, for the access report:
/// (code, article, name, explanation). The names are the request types' labels.
pub fn subject_rights(lang: Lang) -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    let right = |k: RequestKind, explanation: (&'static str, &'static str)| {
        (k.code(), k.article(), k.label(lang), tr(lang, explanation))
    };
    vec![
        right(RequestKind::Rectification,
            ("You may ask us to correct inaccurate personal data about you, and to complete incomplete data.",
                "Du kan be oss rette uriktige personopplysninger om deg og supplere ufullstendige opplysninger.")),
        right(RequestKind::Erasure,
            ("You may ask us to erase personal data about you, for example when it is no longer needed for the purpose it was collected for, or when you withdraw your consent.",
                "Du kan be oss slette personopplysninger om deg, for eksempel når de ikke lenger er nødvendige for formålet de ble samlet inn for, eller når du trekker tilbake samtykket ditt.")),
        right(RequestKind::Restriction,
            ("You may ask us to restrict the processing of your data, for example while we check whether it is correct.",
                "Du kan be oss begrense behandlingen av opplysningene dine, for eksempel mens vi kontrollerer om de er riktige.")),
        right(RequestKind::Objection,
            ("You may object to processing based on our legitimate interests. You may at any time object to the use of your personal data for direct marketing; we then stop it unconditionally.",
                "Du kan protestere mot behandling som bygger på vår berettigede interesse. Du kan når som helst protestere mot at personopplysningene dine brukes til direkte markedsføring; da stanser vi den uten videre.")),
        right(RequestKind::Portability,
            ("You may receive the data you have given us in a structured, commonly used and machine-readable format, and have it sent to another controller.",
                "Du kan få utlevert opplysningene du har gitt oss i et strukturert, alminnelig anvendt og maskinlesbart format, og få dem overført til en annen behandlingsansvarlig.")),
        ("withdraw_consent", WITHDRAW_CONSENT_ARTICLE,
            tr(lang, WITHDRAW_CONSENT),
            tr(lang, ("Where we process your data on the basis of your consent, you may withdraw it at any time, as easily as you gave it.",
                "Der vi behandler opplysningene dine på grunnlag av samtykke, kan du når som helst trekke det tilbake, like enkelt som du ga det."))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use privreg_core::model::{Period, PeriodUnit, RetentionTrigger};

    #[test]
    fn every_label_has_both_languages_and_keys_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for (k, en, nb) in LABELS {
            assert!(seen.insert(*k), "{k} twice");
            assert!(!en.trim().is_empty() && !nb.trim().is_empty(), "{k}");
        }
        assert_eq!(dictionary(Lang::Nb)["page"], "Side");
    }

    #[test]
    fn article_references_are_written_in_one_style() {
        for (k, en, nb) in LABELS.iter().filter(|(k, _, _)| k.starts_with("ref_")) {
            assert_eq!(*nb, article(Lang::Nb, en), "{k}");
        }
        // Bokmål writes every reference "art. 30 nr. 1 bokstav a": never "artikkel",
        // never the English brackets, never a capital "Art.".
        for (k, _, nb) in LABELS {
            let english_brackets = nb
                .match_indices("art. ")
                .any(|(i, _)| nb[i + 5..].split(' ').next().unwrap_or("").contains('('));
            assert!(
                !nb.contains("artikkel") && !nb.contains("Art. ") && !english_brackets,
                "{k}: {nb}"
            );
        }
        let nb = article_dictionary(Lang::Nb);
        assert_eq!(nb["Art. 6(1)(b)"], "art. 6 nr. 1 bokstav b");
        assert_eq!(nb["Art. 7(3)"], "art. 7 nr. 3");
        assert_eq!(article_dictionary(Lang::En)["Art. 18"], "Art. 18");
    }

    #[test]
    fn retention_and_dates_read_naturally() {
        let r = RetentionRule {
            trigger: RetentionTrigger::RelationshipEnded,
            duration: Some(Period {
                amount: 3,
                unit: PeriodUnit::Years,
            }),
            justification: String::new(),
        };
        assert_eq!(
            retention(Lang::En, &r),
            "3 years after the relationship has ended."
        );
        assert_eq!(
            retention(Lang::Nb, &r),
            "3 år etter at forholdet er avsluttet."
        );
        let one = RetentionRule {
            trigger: RetentionTrigger::Collected,
            duration: Some(Period {
                amount: 1,
                unit: PeriodUnit::Months,
            }),
            justification: "Why.".into(),
        };
        assert_eq!(retention(Lang::En, &one), "1 month after collection. Why.");
        let d = NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
        assert_eq!(date(Lang::En, d), "12 May 2026");
        assert_eq!(date(Lang::Nb, d), "12. mai 2026");
    }

    #[test]
    fn rights_follow_the_lawful_basis() {
        let r = rights_available(Lang::En, &[LegalBasis::Consent], false);
        assert!(r.iter().any(|s| s.contains("portability")));
        assert!(!r.iter().any(|s| s.contains("Objection")));
        let r = rights_available(Lang::En, &[LegalBasis::LegalObligation], false);
        assert!(!r.iter().any(|s| s.contains("Erasure")));
        let r = rights_available(Lang::En, &[LegalBasis::LegitimateInterests], false);
        assert!(r.iter().any(|s| s.contains("Objection")));
    }
}
