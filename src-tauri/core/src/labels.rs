//! The one bilingual label table: what each closed list's values are called in English
//! and Norwegian bokmål (with Datatilsynet's terms), article references in both styles,
//! and the words the desktop shell's native dialogs and menu use.
//!
//! The reports print these labels, the shell's dialogs show these words, and a test
//! reads the window's translation files (`ui/i18n/en.json`, `ui/i18n/nb.json`) and
//! fails when a closed-list value there is called anything else, so one concept has one
//! name on screen, in the PDF and in the spreadsheets.
//!
//! Article references are written "Art. 30(1)(a)" in English and "art. 30 nr. 1
//! bokstav a" in bokmål, everywhere ([`article`]).

use crate::lang::Lang;
use crate::model::{
    ActivityStatus, Art9Condition, CategoryGroup, ClientStatus, ConsentKind, DpiaStatus,
    LegalBasis, Period, PeriodUnit, ProcessorRole, Proposal, RetentionTrigger, TransferSafeguard,
};
use crate::store::breaches::{Art34Exception, BreachKind, BreachStatus, NoticeKind, RiskLevel};
use crate::store::notice::NoticeRight;
use crate::store::notify::{NotifyCause, NotifyStatus, RecipientKind};
use crate::store::requests::{
    Channel, FeeGround, Outcome, RefusalGround, RequestKind, RequestStatus,
};
use crate::vocab::ClosedList;

/// A closed list with a label per value in both languages.
pub trait Labelled: ClosedList {
    /// The window's translation key prefix for this list: `legal_basis` for
    /// `legal_basis.consent`.
    const UI_KEY: &'static str;
    /// Where the window keeps the article references of the values, when it shows
    /// them apart from the label (`request_article`); `None` when the window's label
    /// carries the reference in brackets, "Consent (Art. 6(1)(a))".
    const UI_ARTICLE_KEY: Option<&'static str> = None;

    /// (English, bokmål).
    fn labels(self) -> (&'static str, &'static str);

    /// The GDPR article the value comes from, in English style ("Art. 6(1)(a)").
    fn reference(self) -> Option<&'static str> {
        None
    }

    fn label(self, lang: Lang) -> &'static str {
        let (en, nb) = self.labels();
        lang.pick(en, nb)
    }

    /// The label with its article in brackets, as the window lists the values:
    /// "Performance of a contract (Art. 6(1)(b))", "Oppfyllelse av en avtale (art. 6
    /// nr. 1 bokstav b)". Just the label for a list without articles.
    fn label_with_article(self, lang: Lang) -> String {
        match self.reference() {
            Some(r) => format!("{} ({})", self.label(lang), article(lang, r)),
            None => self.label(lang).to_string(),
        }
    }
}

macro_rules! labels {
    ($(
        $ty:ident [$ui:literal $(, articles at $artkey:literal)? $(, reference $reference:ident)?] {
            $($variant:ident => ($en:literal, $nb:literal)),+ $(,)?
        }
    )+) => {
        $(
            impl Labelled for $ty {
                const UI_KEY: &'static str = $ui;
                $(const UI_ARTICLE_KEY: Option<&'static str> = Some($artkey);)?
                fn labels(self) -> (&'static str, &'static str) {
                    match self {
                        $($ty::$variant => ($en, $nb),)+
                    }
                }
                $(fn reference(self) -> Option<&'static str> {
                    Some($ty::$reference(self))
                })?
            }
        )+

        /// Every labelled list, for checks that go through all of them.
        pub fn lists() -> Vec<LabelledList> {
            vec![$(LabelledList::of::<$ty>()),+]
        }
    };
}

labels! {
    LegalBasis ["legal_basis", reference article] {
        Consent => ("Consent", "Samtykke"),
        Contract => ("Performance of a contract", "Oppfyllelse av en avtale"),
        LegalObligation => ("Legal obligation", "Rettslig forpliktelse"),
        VitalInterests => ("Vital interests", "Vitale interesser"),
        PublicTask => (
            "Task in the public interest or exercise of official authority",
            "Oppgave i allmennhetens interesse eller utøvelse av offentlig myndighet"
        ),
        LegitimateInterests => ("Legitimate interests", "Berettiget interesse"),
    }
    Art9Condition ["art9", reference article] {
        ExplicitConsent => ("Explicit consent", "Uttrykkelig samtykke"),
        EmploymentSocialSecurity => (
            "Employment, social security and social protection law",
            "Arbeidsrett, trygderett og sosialrett"
        ),
        VitalInterests => ("Vital interests", "Vitale interesser"),
        NotForProfitBody => ("Not-for-profit body", "Ideell organisasjon"),
        MadePublicBySubject => ("Made public by the data subject", "Offentliggjort av den registrerte"),
        LegalClaims => ("Legal claims", "Rettskrav"),
        SubstantialPublicInterest => ("Substantial public interest", "Viktige allmenne interesser"),
        HealthOrSocialCare => ("Health or social care", "Helse- og sosialtjenester"),
        PublicHealth => ("Public health", "Folkehelse"),
        ArchivingResearchStatistics => (
            "Archiving, research or statistics",
            "Arkivering, forskning eller statistikk"
        ),
    }
    TransferSafeguard ["safeguard", reference article] {
        AdequacyDecision => ("Adequacy decision", "Beslutning om tilstrekkelig beskyttelsesnivå"),
        StandardContractualClauses => ("Standard contractual clauses", "Standard personvernbestemmelser"),
        BindingCorporateRules => ("Binding corporate rules", "Bindende virksomhetsregler"),
        CodeOfConduct => ("Approved code of conduct", "Godkjente atferdsnormer"),
        Certification => ("Approved certification", "Godkjent sertifisering"),
        Derogation => ("Derogation for a specific situation", "Unntak i særlige situasjoner"),
        CompellingLegitimateInterests => (
            "Compelling legitimate interests, with documented safeguards",
            "Tvingende berettigede interesser, med dokumenterte garantier"
        ),
    }
    CategoryGroup ["category_group"] {
        Identity => ("Identity", "Identitet"),
        PersonalLife => ("Personal life", "Personlig liv"),
        ProfessionalLife => ("Professional life", "Yrkesliv"),
        Financial => ("Economic and financial", "Økonomi"),
        ConnectionData => ("Connection data", "Tilkoblingsdata"),
        Location => ("Location data", "Lokaliseringsopplysninger"),
        OnlineIdentifiers => (
            "Online identifiers and cookies",
            "Nettidentifikatorer og informasjonskapsler"
        ),
        Criminal => (
            "Criminal convictions and offences",
            "Straffedommer og lovovertredelser"
        ),
        Other => ("Other", "Annet"),
    }
    RetentionTrigger ["retention_trigger"] {
        Collected => ("Collection", "Innsamling"),
        RelationshipEnded => ("End of the relationship", "Forholdet avsluttet"),
        ApplicationClosed => ("Application closed", "Søknaden avsluttet"),
        Unsubscribed => ("Unsubscribing", "Avmelding"),
        LastContact => ("Last contact", "Siste kontakt"),
        FinancialYearEnd => ("End of the financial year", "Regnskapsårets slutt"),
    }
    PeriodUnit ["period_unit"] {
        Days => ("days", "dager"),
        Months => ("months", "måneder"),
        Years => ("years", "år"),
    }
    DpiaStatus ["dpia"] {
        NotAssessed => ("Not assessed", "Ikke vurdert"),
        NotNeeded => ("Not needed", "Ikke nødvendig"),
        Needed => ("Needed, not yet done", "Nødvendig, ikke gjennomført"),
        Done => ("Done", "Gjennomført"),
    }
    ActivityStatus ["activity_status"] {
        Draft => ("Draft", "Utkast"),
        Approved => ("Approved", "Godkjent"),
    }
    Proposal ["proposal"] {
        Retention => ("Retention periods", "Lagringstid"),
        Dpia => (
            "Data protection impact assessment (DPIA)",
            "Vurdering av personvernkonsekvenser (DPIA)"
        ),
        AutomatedDecisions => (
            "Automated decision-making, including profiling",
            "Automatiserte avgjørelser, herunder profilering"
        ),
    }
    ProcessorRole ["processor_role"] {
        Processor => ("Processor", "Databehandler"),
        SubProcessor => ("Sub-processor", "Underdatabehandler"),
        Recipient => (
            "Recipient (independent controller)",
            "Mottaker (selvstendig behandlingsansvarlig)"
        ),
    }
    ClientStatus ["client_status"] {
        Active => ("Active", "Aktiv"),
        Ended => ("Ended", "Avsluttet"),
    }
    ConsentKind ["consent_kind"] {
        ConsentGiven => ("Consent given", "Samtykke gitt"),
        ConsentWithdrawn => ("Consent withdrawn", "Samtykke trukket tilbake"),
        Objection => ("Objection", "Protest"),
    }
    RequestKind ["request_kind", articles at "request_article", reference article] {
        Access => ("Access", "Innsyn"),
        Rectification => ("Rectification", "Retting"),
        Erasure => ("Erasure", "Sletting"),
        Restriction => ("Restriction of processing", "Begrensning av behandlingen"),
        Portability => ("Data portability", "Dataportabilitet"),
        Objection => ("Objection", "Protest"),
    }
    RefusalGround ["refusal_ground"] {
        ManifestlyUnfounded => ("Manifestly unfounded (Art. 12(5))", "Åpenbart grunnløst (art. 12 nr. 5)"),
        Excessive => ("Excessive, in particular repetitive (Art. 12(5))", "Urimelig, særlig fordi kravet gjentas (art. 12 nr. 5)"),
        IdentityNotEstablished => ("The person cannot be identified (Art. 11(2), 12(2))", "Personen kan ikke identifiseres (art. 11 nr. 2 og art. 12 nr. 2)"),
        FreedomOfExpression => ("Freedom of expression and information (Art. 17(3)(a))", "Ytrings- og informasjonsfrihet (art. 17 nr. 3 bokstav a)"),
        LegalObligation => ("A legal obligation requires the data (Art. 17(3)(b))", "En rettslig forpliktelse krever opplysningene (art. 17 nr. 3 bokstav b)"),
        PublicHealth => ("Public health (Art. 17(3)(c))", "Folkehelse (art. 17 nr. 3 bokstav c)"),
        Archiving => ("Archiving, research or statistics (Art. 17(3)(d))", "Arkiv, forskning eller statistikk (art. 17 nr. 3 bokstav d)"),
        LegalClaims => ("Legal claims (Art. 17(3)(e))", "Rettskrav (art. 17 nr. 3 bokstav e)"),
        CompellingGrounds => ("Compelling legitimate grounds (Art. 21(1))", "Tvingende berettigede grunner (art. 21 nr. 1)"),
        PortabilityNotApplicable => ("The right to data portability does not apply (Art. 20(1))", "Retten til dataportabilitet gjelder ikke (art. 20 nr. 1)"),
        RightsOfOthers => ("The rights and freedoms of others (Art. 15(4))", "Andres rettigheter og friheter (art. 15 nr. 4)"),
    }
    RequestStatus ["request_status"] {
        Received => ("Received", "Mottatt"),
        InProgress => ("In progress", "Under arbeid"),
        Extended => ("Extended", "Forlenget"),
        Completed => ("Completed", "Fullført"),
        Refused => ("Refused", "Avslått"),
    }
    Outcome ["request_outcome"] {
        Done => ("Completed", "Fullført"),
        Partly => ("Partly completed", "Delvis fullført"),
        NoData => ("No personal data held", "Ingen personopplysninger registrert"),
        IdentityNotEstablished => ("Identity not established", "Identiteten ble ikke bekreftet"),
        Refused => ("Refused", "Avslått"),
    }
    FeeGround ["fee_ground"] {
        Excessive => ("Manifestly unfounded or excessive request (Art. 12(5)(a))", "Åpenbart grunnløst eller urimelig krav (art. 12 nr. 5 bokstav a)"),
        FurtherCopies => ("Further copies (Art. 15(3))", "Ytterligere kopier (art. 15 nr. 3)"),
    }
    NotifyCause ["notify_cause"] {
        Erasure => ("Erasure", "Sletting"),
        Rectification => ("Rectification", "Retting"),
        Restriction => ("Restriction of processing", "Begrensning av behandlingen"),
    }
    RecipientKind ["recipient_kind"] {
        Processor => ("Processor", "Databehandler"),
        Recipient => ("Recipient", "Mottaker"),
        JointController => ("Joint controller", "Felles behandlingsansvarlig"),
    }
    BreachKind ["breach_kind"] {
        Confidentiality => ("Confidentiality (data disclosed or accessed)", "Konfidensialitet (opplysninger utlevert eller tilgjengelig for uvedkommende)"),
        Integrity => ("Integrity (data altered)", "Integritet (opplysninger endret)"),
        Availability => ("Availability (data lost or unavailable)", "Tilgjengelighet (opplysninger tapt eller utilgjengelige)"),
    }
    BreachStatus ["breach_status"] {
        Open => ("Open", "Åpent"),
        Notified => ("Notified", "Meldt"),
        Closed => ("Closed", "Lukket"),
    }
    RiskLevel ["risk_level"] {
        Unlikely => ("Unlikely to result in a risk", "Lite sannsynlig at det medfører en risiko"),
        Risk => ("A risk to the people's rights and freedoms", "En risiko for de registrertes rettigheter og friheter"),
        High => ("A high risk", "En høy risiko"),
    }
    Art34Exception ["art34_exception"] {
        Unintelligible => ("The data were unintelligible to others, e.g. encrypted (Art. 34(3)(a))", "Opplysningene var uforståelige for andre, f.eks. kryptert (art. 34 nr. 3 bokstav a)"),
        RiskNoLongerLikely => ("Measures since taken make the high risk unlikely (Art. 34(3)(b))", "Tiltak som er satt i verk gjør den høye risikoen lite sannsynlig (art. 34 nr. 3 bokstav b)"),
        PublicCommunication => ("Telling each would take disproportionate effort: a public communication instead (Art. 34(3)(c))", "Å varsle hver enkelt krever uforholdsmessig stor innsats: offentlig kunngjøring i stedet (art. 34 nr. 3 bokstav c)"),
    }
    NoticeKind ["notice_kind"] {
        Initial => ("Notification to Datatilsynet", "Melding til Datatilsynet"),
        FollowUp => ("Follow-up to Datatilsynet", "Ettermelding til Datatilsynet"),
        Subjects => ("Communication to the people affected", "Varsel til de registrerte"),
    }
    NotifyStatus ["notify_status"] {
        Open => ("To tell", "Ikke underrettet"),
        Told => ("Told", "Underrettet"),
        Impossible => ("Impossible", "Umulig"),
        Disproportionate => ("Disproportionate effort", "Uforholdsmessig stor innsats"),
    }
    NoticeRight ["notice_right", reference article] {
        Access => ("Right of access", "Rett til innsyn"),
        Rectification => ("Right to rectification", "Rett til retting"),
        Erasure => ("Right to erasure", "Rett til sletting"),
        Restriction => ("Right to restriction of processing", "Rett til begrensning av behandlingen"),
        Portability => ("Right to data portability", "Rett til dataportabilitet"),
        Objection => ("Right to object", "Rett til å protestere"),
        ObjectDirectMarketing => (
            "Right to object to direct marketing",
            "Rett til å protestere mot direkte markedsføring"
        ),
        WithdrawConsent => ("Right to withdraw consent", "Rett til å trekke tilbake samtykke"),
        Complaint => (
            "Right to complain to the supervisory authority",
            "Rett til å klage til tilsynsmyndigheten"
        ),
    }
    Channel ["request_channel"] {
        Email => ("E-mail", "E-post"),
        Letter => ("Letter", "Brev"),
        Phone => ("Phone", "Telefon"),
        InPerson => ("In person", "Personlig oppmøte"),
        WebForm => ("Web form", "Nettskjema"),
        Other => ("Other", "Annet"),
    }
}

/// One labelled list as data: its window key and, per value, the code, the labels
/// and the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledList {
    pub name: &'static str,
    pub ui_key: &'static str,
    pub ui_article_key: Option<&'static str>,
    pub values: Vec<LabelledValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledValue {
    pub code: &'static str,
    pub en: &'static str,
    pub nb: &'static str,
    pub reference: Option<&'static str>,
}

impl LabelledList {
    pub fn of<T: Labelled>() -> LabelledList {
        LabelledList {
            name: T::NAME,
            ui_key: T::UI_KEY,
            ui_article_key: T::UI_ARTICLE_KEY,
            values: T::ALL
                .iter()
                .map(|&v| {
                    let (en, nb) = v.labels();
                    LabelledValue {
                        code: v.code(),
                        en,
                        nb,
                        reference: v.reference(),
                    }
                })
                .collect(),
        }
    }
}

/// An article reference in the style of `lang`: "Art. 6(1)(a)" stays as it is in
/// English and becomes "art. 6 nr. 1 bokstav a" in bokmål; "Art. 49(1) second
/// subparagraph" becomes "art. 49 nr. 1 annet ledd". `reference` is written in the
/// English style ("Art. N(paragraph)(point)").
pub fn article(lang: Lang, reference: &str) -> String {
    if lang == Lang::En {
        return reference.to_string();
    }
    let Some(rest) = reference.strip_prefix("Art. ") else {
        return reference.to_string();
    };
    let number_len = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let mut out = format!("art. {}", &rest[..number_len]);
    let mut rest = &rest[number_len..];
    while let Some((inner, after)) = rest.strip_prefix('(').and_then(|r| r.split_once(')')) {
        if inner.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(" nr. ");
        } else {
            out.push_str(" bokstav ");
        }
        out.push_str(inner);
        rest = after;
    }
    match rest.trim_start_matches(',').trim() {
        "" => {}
        "second subparagraph" => out.push_str(" annet ledd"),
        other => {
            out.push(' ');
            out.push_str(other);
        }
    }
    out
}

/// "after collection", "etter innsamling": the start of a retention period.
pub fn retention_trigger_after(lang: Lang, t: RetentionTrigger) -> &'static str {
    use RetentionTrigger::*;
    let (en, nb) = match t {
        Collected => ("after collection", "etter innsamling"),
        RelationshipEnded => (
            "after the relationship has ended",
            "etter at forholdet er avsluttet",
        ),
        ApplicationClosed => (
            "after the application process has closed",
            "etter at søknadsprosessen er avsluttet",
        ),
        Unsubscribed => ("after unsubscribing", "etter avmelding"),
        LastContact => ("after the last contact", "etter siste kontakt"),
        FinancialYearEnd => (
            "after the end of the financial year",
            "etter regnskapsårets slutt",
        ),
    };
    lang.pick(en, nb)
}

/// A period in words: "1 month", "3 years", "3 år".
pub fn period(lang: Lang, p: Period) -> String {
    let unit = if p.amount == 1 {
        let (en, nb) = match p.unit {
            PeriodUnit::Days => ("day", "dag"),
            PeriodUnit::Months => ("month", "måned"),
            PeriodUnit::Years => ("year", "år"),
        };
        lang.pick(en, nb)
    } else {
        p.unit.label(lang)
    };
    format!("{} {unit}", p.amount)
}

/// The words of the desktop shell's own windows: the menu and the native dialogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    AppName,
    /// "Version {version}".
    Version,
    MenuFile,
    MenuNew,
    MenuOpen,
    MenuExport,
    MenuLock,
    MenuQuit,
    MenuEdit,
    MenuHelp,
    MenuAbout,
    /// File → Add a person (the window's form for a new data subject).
    MenuNewPerson,
    /// File → Search the data subjects (the people page's search box).
    MenuFindPerson,
    /// Help → Keyboard shortcuts (the window lists them).
    MenuShortcuts,
    AboutText,
    RecoveryKey,
    /// The recovery key dialog's text; the key follows it.
    RecoveryKeyText,
    /// The file name a new register is offered under.
    NewRegisterFile,
}

impl Word {
    pub const ALL: [Word; 18] = [
        Word::AppName,
        Word::Version,
        Word::MenuFile,
        Word::MenuNew,
        Word::MenuOpen,
        Word::MenuExport,
        Word::MenuLock,
        Word::MenuQuit,
        Word::MenuEdit,
        Word::MenuHelp,
        Word::MenuAbout,
        Word::MenuNewPerson,
        Word::MenuFindPerson,
        Word::MenuShortcuts,
        Word::AboutText,
        Word::RecoveryKey,
        Word::RecoveryKeyText,
        Word::NewRegisterFile,
    ];

    /// (English, bokmål).
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Word::AppName => ("Privacy Register", "Privacy Register"),
            Word::Version => ("Version {version}", "Versjon {version}"),
            Word::MenuFile => ("File", "Fil"),
            Word::MenuNew => ("New register…", "Nytt register …"),
            Word::MenuOpen => ("Open register…", "Åpne register …"),
            Word::MenuExport => ("Export…", "Eksporter …"),
            Word::MenuLock => ("Lock", "Lås"),
            Word::MenuQuit => ("Quit", "Avslutt"),
            Word::MenuEdit => ("Edit", "Rediger"),
            Word::MenuHelp => ("Help", "Hjelp"),
            Word::MenuAbout => ("About Privacy Register", "Om Privacy Register"),
            Word::MenuNewPerson => ("Add a person", "Legg til en person"),
            Word::MenuFindPerson => ("Search the data subjects", "Søk blant de registrerte"),
            Word::MenuShortcuts => ("Keyboard shortcuts", "Hurtigtaster"),
            Word::AboutText => (
                "An encrypted GDPR register kept on your own computer: the record of \
                 processing activities (Art. 30), the people in it and their rights.",
                "Et kryptert personvernregister som ligger på din egen maskin: protokoll \
                 over behandlingsaktiviteter (art. 30), de registrerte og deres rettigheter.",
            ),
            Word::RecoveryKey => ("Recovery key", "Gjenopprettingsnøkkel"),
            Word::RecoveryKeyText => (
                "Print or write down this recovery key and keep it safe. It is shown only \
                 this once, and it opens the register if the passphrase is forgotten.",
                "Skriv ut eller skriv ned denne gjenopprettingsnøkkelen og oppbevar den \
                 trygt. Den vises bare denne ene gangen, og den åpner registeret hvis \
                 passordfrasen blir glemt.",
            ),
            Word::NewRegisterFile => ("privacy-register.privreg", "personvernregister.privreg"),
        }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        let (en, nb) = self.labels();
        lang.pick(en, nb)
    }

    /// The window's translation key for the same word, where the window has it.
    pub fn ui_key(self) -> Option<&'static str> {
        match self {
            Word::AppName => Some("app.name"),
            Word::Version => Some("app.version"),
            Word::MenuLock => Some("nav.lock"),
            Word::MenuNewPerson => Some("subjects.add"),
            Word::MenuFindPerson => Some("shortcuts.search"),
            Word::MenuShortcuts => Some("shortcuts.title"),
            Word::RecoveryKey => Some("unlock.recovery_key"),
            _ => None,
        }
    }
}

/// "Version 1.2.0", "Versjon 1.2.0".
pub fn version(lang: Lang, version: &str) -> String {
    Word::Version.get(lang).replace("{version}", version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};

    fn ui(lang: &str) -> serde_json::Value {
        let path = format!("{}/../../ui/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap()
    }

    fn at<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a str> {
        key.split('.').try_fold(v, |v, k| v.get(k))?.as_str()
    }

    #[test]
    fn the_window_calls_every_closed_list_value_what_the_table_calls_it() {
        let mut drift = Vec::new();
        for lang in Lang::ALL {
            let file = ui(lang.code());
            for list in lists() {
                let section = file
                    .get(list.ui_key)
                    .and_then(|s| s.as_object())
                    .unwrap_or_else(|| panic!("{}.json has no {}", lang.code(), list.ui_key));
                let codes: BTreeSet<&str> = list.values.iter().map(|v| v.code).collect();
                let keys: BTreeSet<&str> = section.keys().map(String::as_str).collect();
                assert_eq!(keys, codes, "{}.json: {} keys", lang.code(), list.ui_key);
                for v in &list.values {
                    let label = lang.pick(v.en, v.nb);
                    let expected = match (v.reference, list.ui_article_key) {
                        (Some(r), None) => format!("{label} ({})", article(lang, r)),
                        _ => label.to_string(),
                    };
                    let key = format!("{}.{}", list.ui_key, v.code);
                    let shown = at(&file, &key);
                    if shown != Some(expected.as_str()) {
                        drift.push(format!(
                            "{}: {key} = {shown:?}, table: {expected:?}",
                            lang.code()
                        ));
                    }
                    if let (Some(r), Some(art_key)) = (v.reference, list.ui_article_key) {
                        let key = format!("{art_key}.{}", v.code);
                        let shown = at(&file, &key);
                        if shown != Some(article(lang, r).as_str()) {
                            drift.push(format!("{}: {key} = {shown:?}", lang.code()));
                        }
                    }
                }
            }
            for w in Word::ALL {
                if let Some(key) = w.ui_key() {
                    if at(&file, key) != Some(w.get(lang)) {
                        drift.push(format!(
                            "{}: {key} differs from the shell's {w:?}",
                            lang.code()
                        ));
                    }
                }
            }
        }
        assert!(drift.is_empty(), "labels drifted:\n{}", drift.join("\n"));
    }

    #[test]
    fn every_label_is_there_once_in_both_languages() {
        let mut names = HashSet::new();
        for list in lists() {
            assert!(names.insert(list.ui_key), "{} twice", list.ui_key);
            let mut seen = HashSet::new();
            for v in &list.values {
                assert!(
                    !v.en.trim().is_empty() && !v.nb.trim().is_empty(),
                    "{}",
                    v.code
                );
                assert!(seen.insert(v.en), "{}: {:?} twice", list.ui_key, v.en);
            }
        }
        for w in Word::ALL {
            let (en, nb) = w.labels();
            assert!(!en.trim().is_empty() && !nb.trim().is_empty(), "{w:?}");
        }
        assert_eq!(
            LegalBasis::Contract.label(Lang::Nb),
            "Oppfyllelse av en avtale"
        );
        assert_eq!(
            LegalBasis::Contract.label_with_article(Lang::Nb),
            "Oppfyllelse av en avtale (art. 6 nr. 1 bokstav b)"
        );
        assert_eq!(version(Lang::Nb, "1.0"), "Versjon 1.0");
    }

    #[test]
    fn article_references_have_one_style_per_language() {
        let cases = [
            ("Art. 30(1)(a)", "art. 30 nr. 1 bokstav a"),
            ("Art. 6(1)(f)", "art. 6 nr. 1 bokstav f"),
            ("Art. 9(2)", "art. 9 nr. 2"),
            ("Art. 45", "art. 45"),
            ("Art. 46(2)(c)", "art. 46 nr. 2 bokstav c"),
            ("Art. 49(1) second subparagraph", "art. 49 nr. 1 annet ledd"),
            ("Art. 7(3)", "art. 7 nr. 3"),
            ("Art. 15", "art. 15"),
        ];
        for (en, nb) in cases {
            assert_eq!(article(Lang::En, en), en);
            assert_eq!(article(Lang::Nb, en), nb);
        }
    }

    /// Every text of the window in bokmål writes an article "art. 30 nr. 1 bokstav a":
    /// never "artikkel", never a capital "Art.", never the English brackets.
    #[test]
    fn the_windows_bokmal_writes_articles_in_one_style() {
        fn texts<'a>(v: &'a serde_json::Value, key: String, out: &mut Vec<(String, &'a str)>) {
            match v {
                serde_json::Value::String(s) => out.push((key, s.as_str())),
                serde_json::Value::Object(m) => {
                    for (k, v) in m {
                        texts(v, format!("{key}.{k}"), out);
                    }
                }
                _ => {}
            }
        }
        let file = ui("nb");
        let mut all = Vec::new();
        texts(&file, String::new(), &mut all);
        assert!(all.len() > 500, "only {} texts", all.len());
        let mut wrong = Vec::new();
        for (key, text) in all {
            let brackets = text
                .match_indices("art. ")
                .any(|(i, _)| text[i + 5..].split(' ').next().unwrap_or("").contains('('));
            if text.contains("artikkel") || text.contains("Art. ") || brackets {
                wrong.push(format!("{key}: {text}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn periods_read_naturally() {
        let p = |amount, unit| Period { amount, unit };
        assert_eq!(period(Lang::En, p(1, PeriodUnit::Months)), "1 month");
        assert_eq!(period(Lang::En, p(3, PeriodUnit::Years)), "3 years");
        assert_eq!(period(Lang::Nb, p(1, PeriodUnit::Years)), "1 år");
        assert_eq!(period(Lang::Nb, p(30, PeriodUnit::Days)), "30 dager");
    }
}
