//! The record of processing activities (Art. 30(1)) as JSON-LD in the W3C Data Privacy
//! Vocabulary, version 2 (`dpv:`, <https://w3id.org/dpv#>), with its EU GDPR extension
//! for the legal bases and transfer tools (`eu-gdpr:`,
//! <https://w3id.org/dpv/legal/eu/gdpr#>) and its personal data extension for the data
//! categories (`pd:`, <https://w3id.org/dpv/pd#>), so that another tool can read the
//! record without knowing this program. The mapping, term by term, is in `docs/dpv.md`;
//! every IRI used here was looked up in the DPV 2.1 sources (none is guessed).
//!
//! Shape: one `@graph` holding a node for the record itself, the controller
//! (`dpv:DataController`, Art. 30(1)(a)), each processor or recipient once, and one
//! `dpv:PersonalDataProcess` per processing activity with its purposes (b), legal bases
//! (Art. 6 and 9), subject and data categories (c), recipients and processors (d),
//! transfers with their safeguards (e), storage conditions (f) and security measures
//! (g). The organisation's own words are the labels (`rdfs:label`, tagged with the
//! report's language); the closed lists become the vocabulary's IRIs.
//!
//! The `@context` is inline, so expanding the file needs no network. Everything from the
//! register is a JSON string value, never a key or an IRI, so no name can change the
//! document's structure.

use privreg_core::model::{
    Art9Condition, LegalBasis, PeriodUnit, ProcessorRole, TransferSafeguard,
};
use serde_json::{json, Map, Value};

use crate::art30::{ActivityEntry, Art30Report, CategoryEntry, ContactEntry, ProcessorEntry};
use crate::labels::{self, label};
use crate::Result;

/// The DPV namespace (DPV 2).
pub const DPV: &str = "https://w3id.org/dpv#";
/// The DPV extension for the EU GDPR.
pub const EU_GDPR: &str = "https://w3id.org/dpv/legal/eu/gdpr#";
/// The DPV extension for personal data categories.
pub const PD: &str = "https://w3id.org/dpv/pd#";

/// The inline `@context`: the prefixes the document uses, nothing to fetch.
pub fn context() -> Value {
    json!({
        "dpv": DPV,
        "eu-gdpr": EU_GDPR,
        "pd": PD,
        "dct": "http://purl.org/dc/terms/",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    })
}

/// The EU GDPR extension's concept for an Art. 6(1) legal basis code.
pub fn legal_basis_iri(code: &str) -> Option<&'static str> {
    LegalBasis::parse(code).map(|b| match b {
        LegalBasis::Consent => "eu-gdpr:A6-1-a",
        LegalBasis::Contract => "eu-gdpr:A6-1-b",
        LegalBasis::LegalObligation => "eu-gdpr:A6-1-c",
        LegalBasis::VitalInterests => "eu-gdpr:A6-1-d",
        LegalBasis::PublicTask => "eu-gdpr:A6-1-e",
        LegalBasis::LegitimateInterests => "eu-gdpr:A6-1-f",
    })
}

/// The EU GDPR extension's concept for an Art. 9(2) condition code.
pub fn art9_iri(code: &str) -> Option<&'static str> {
    Art9Condition::parse(code).map(|c| match c {
        Art9Condition::ExplicitConsent => "eu-gdpr:A9-2-a",
        Art9Condition::EmploymentSocialSecurity => "eu-gdpr:A9-2-b",
        Art9Condition::VitalInterests => "eu-gdpr:A9-2-c",
        Art9Condition::NotForProfitBody => "eu-gdpr:A9-2-d",
        Art9Condition::MadePublicBySubject => "eu-gdpr:A9-2-e",
        Art9Condition::LegalClaims => "eu-gdpr:A9-2-f",
        Art9Condition::SubstantialPublicInterest => "eu-gdpr:A9-2-g",
        Art9Condition::HealthOrSocialCare => "eu-gdpr:A9-2-h",
        Art9Condition::PublicHealth => "eu-gdpr:A9-2-i",
        Art9Condition::ArchivingResearchStatistics => "eu-gdpr:A9-2-j",
    })
}

/// The legal basis of a transfer (Chapter V) for a safeguard code. A derogation of
/// Art. 49(1) is recorded without its point, so it maps to DPV's general
/// `dpv:DataTransferLegalBasis`; the extension's `A49-2` is its concept for the compelling
/// legitimate interests of Art. 49(1) second subparagraph (its definition is that
/// subparagraph's text).
pub fn transfer_iri(code: &str) -> Option<&'static str> {
    TransferSafeguard::parse(code).map(|t| match t {
        TransferSafeguard::AdequacyDecision => "eu-gdpr:A45-3",
        TransferSafeguard::StandardContractualClauses => "eu-gdpr:A46-2-c",
        // Art. 47 rules are a safeguard of Art. 46(2)(b).
        TransferSafeguard::BindingCorporateRules => "eu-gdpr:A46-2-b",
        TransferSafeguard::CodeOfConduct => "eu-gdpr:A46-2-e",
        TransferSafeguard::Certification => "eu-gdpr:A46-2-f",
        TransferSafeguard::Derogation => "dpv:DataTransferLegalBasis",
        TransferSafeguard::CompellingLegitimateInterests => "eu-gdpr:A49-2",
    })
}

/// The personal data extension's class for a category, found from its Fides key
/// ([`crate::fides`]); `None` where no `pd:` concept says the same (the category is
/// then only `dpv:PersonalData`, with its name).
pub fn pd_class(fides: &str) -> Option<&'static str> {
    Some(match fides {
        "user.name" => "pd:Name",
        "user.account.username" => "pd:Username",
        "user.contact.email" => "pd:EmailAddress",
        "user.contact.phone_number" => "pd:TelephoneNumber",
        "user.contact.address" => "pd:PhysicalAddress",
        "user.demographic.date_of_birth" => "pd:BirthDate",
        "user.government_id.national_identification_number" => "pd:OfficialID",
        "user.government_id.passport_number" => "pd:Passport",
        "user.financial.bank_account" => "pd:BankAccount",
        "user.financial.credit_card" => "pd:PaymentCard",
        "user.payment" => "pd:Transaction",
        "user.financial" => "pd:Financial",
        "user.device.ip_address" => "pd:IPAddress",
        "user.device.cookie_id" => "pd:Identifier",
        "user.device.device_id" | "user.device" => "pd:DeviceBased",
        "user.behavior.browsing_history" => "pd:BrowserHistory",
        "user.behavior" => "pd:Behavioral",
        "user.privacy_preferences" => "pd:PrivacyPreference",
        "user.content.self_image" => "pd:Picture",
        "user.health" => "pd:Health",
        "user.criminal_history" => "pd:Criminal",
        "user.professional_information.job_title" => "pd:Job",
        "user.professional_information.workplace" => "pd:CurrentEmployment",
        "user.professional_information" => "pd:Professional",
        "user.location" => "pd:Location",
        "user.unique_id" => "pd:Identifying",
        _ => return None,
    })
}

/// An ISO 8601 duration ("P3Y") for a retention period.
fn iso_duration(amount: u32, unit: PeriodUnit) -> String {
    let unit = match unit {
        PeriodUnit::Days => 'D',
        PeriodUnit::Months => 'M',
        PeriodUnit::Years => 'Y',
    };
    format!("P{amount}{unit}")
}

/// The organisation's words, tagged with the report's language.
fn text(lang: &str, s: &str) -> Value {
    json!({ "@value": s, "@language": lang })
}

fn node_ref(id: &str) -> Value {
    json!({ "@id": id })
}

/// Sets `key` unless the value is an empty string or an empty list.
fn put(m: &mut Map<String, Value>, key: &str, v: Value) {
    let empty = match &v {
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    if !empty {
        m.insert(key.to_string(), v);
    }
}

/// Nodes of `type_` labelled with each of `words`.
fn labelled(lang: &str, type_: &str, words: &[String]) -> Value {
    Value::Array(
        words
            .iter()
            .map(|w| json!({ "@type": type_, "rdfs:label": text(lang, w) }))
            .collect(),
    )
}

fn contacts(parts: &[&String]) -> Value {
    Value::Array(
        parts
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| Value::String(s.to_string()))
            .collect(),
    )
}

/// A person or office (DPO, representative, joint controller).
fn contact_node(type_: &str, c: &ContactEntry) -> Value {
    let mut m = Map::new();
    m.insert("@type".into(), json!(type_));
    put(&mut m, "dpv:hasName", json!(c.name));
    put(&mut m, "dpv:hasAddress", json!(c.address));
    put(&mut m, "dpv:hasContact", contacts(&[&c.email, &c.phone]));
    Value::Object(m)
}

const CONTROLLER: &str = "_:controller";

fn processor_id(id: i64) -> String {
    format!("_:processor-{id}")
}

fn activity_id(id: i64) -> String {
    format!("_:activity-{id}")
}

/// Art. 30(1)(a): the controller with its DPO and representative.
fn controller(r: &Art30Report) -> Value {
    let c = &r.controller;
    let mut m = Map::new();
    m.insert("@id".into(), json!(CONTROLLER));
    m.insert("@type".into(), json!("dpv:DataController"));
    put(&mut m, "dpv:hasName", json!(c.organisation));
    put(&mut m, "dpv:hasIdentifier", json!(c.org_number));
    put(&mut m, "dpv:hasAddress", json!(c.address));
    put(
        &mut m,
        "dpv:hasContact",
        contacts(&[&c.email, &c.phone, &c.website]),
    );
    if let Some(dpo) = &c.dpo {
        m.insert(
            "dpv:hasDataProtectionOfficer".into(),
            contact_node("dpv:DataProtectionOfficer", dpo),
        );
    }
    if let Some(rep) = &c.representative {
        m.insert(
            "dpv:hasRepresentative".into(),
            contact_node("dpv:Representative", rep),
        );
    }
    Value::Object(m)
}

/// The class and the property an activity links a processor or recipient with.
fn processor_role(p: &ProcessorEntry) -> (&'static str, &'static str) {
    match ProcessorRole::parse(&p.role.code).unwrap_or_default() {
        ProcessorRole::Processor => ("dpv:DataProcessor", "dpv:hasDataProcessor"),
        ProcessorRole::SubProcessor => ("dpv:DataSubProcessor", "dpv:hasDataProcessor"),
        ProcessorRole::Recipient => ("dpv:DataController", "dpv:hasRecipientDataController"),
    }
}

/// A processor or recipient, once; activities point to it. Its data processing
/// agreement (Art. 28(3)) is a `dpv:DataProcessingAgreement` in its own words.
fn processor(lang: &str, p: &ProcessorEntry) -> Value {
    let mut m = Map::new();
    m.insert("@id".into(), json!(processor_id(p.id)));
    m.insert("@type".into(), json!(processor_role(p).0));
    put(&mut m, "dpv:hasName", json!(p.name));
    if !p.country.is_empty() {
        m.insert(
            "dpv:hasCountry".into(),
            json!({ "@type": "dpv:Country", "rdfs:label": text(lang, &p.country) }),
        );
    }
    put(&mut m, "dpv:hasContact", json!(p.contact));
    if !p.dpa_reference.is_empty() {
        m.insert(
            "dpv:hasLegalMeasure".into(),
            json!({
                "@type": "dpv:DataProcessingAgreement",
                "rdfs:label": text(lang, &p.dpa_reference),
            }),
        );
    }
    Value::Object(m)
}

/// Art. 30(1)(c): one personal data node per category, typed with the `pd:` class
/// where one maps, and as special category (Art. 9) or sensitive (Art. 10) data.
fn personal_data(lang: &str, c: &CategoryEntry) -> Value {
    let mut types = vec![json!("dpv:PersonalData")];
    if let Some(class) = pd_class(&c.fides) {
        types.push(json!(class));
    }
    if c.sensitive {
        // Art. 10 data is sensitive but not a special category of Art. 9.
        let kind = if c.group.code == "criminal" {
            "dpv:SensitivePersonalData"
        } else {
            "dpv:SpecialCategoryPersonalData"
        };
        types.push(json!(kind));
    }
    json!({ "@type": types, "rdfs:label": text(lang, &c.name) })
}

/// Art. 30(1)(f): a `dpv:StorageDuration` for each distinct rule of the categories
/// (a `dpv:TemporalDuration` whose `rdf:value` is the period as an `xsd:duration`, or a
/// `dpv:IndeterminateDuration` for "until further notice"), labelled with the rule in
/// words and the categories it covers, and one for the activity's general description.
fn storage(lang: &str, proposed: Option<&str>, a: &ActivityEntry) -> Vec<Value> {
    let mark = |s: String| match proposed {
        Some(p) => format!("{s} ({p})"),
        None => s,
    };
    let mut rules: Vec<(&str, &CategoryEntry, Vec<&str>)> = Vec::new();
    for c in &a.data_categories {
        if let Some(words) = &c.retention {
            match rules.iter_mut().find(|(w, _, _)| *w == words.as_str()) {
                Some((_, _, names)) => names.push(c.name.as_str()),
                None => rules.push((words.as_str(), c, vec![c.name.as_str()])),
            }
        }
    }
    let mut out: Vec<Value> = rules
        .into_iter()
        .map(|(words, c, names)| {
            let mut m = Map::new();
            let kind = match c.rule.as_ref().and_then(|r| r.duration) {
                Some(p) => {
                    m.insert(
                        "rdf:value".into(),
                        json!({ "@value": iso_duration(p.amount, p.unit), "@type": "xsd:duration" }),
                    );
                    "dpv:TemporalDuration"
                }
                None => "dpv:IndeterminateDuration",
            };
            m.insert("@type".into(), json!(["dpv:StorageDuration", kind]));
            m.insert(
                "rdfs:label".into(),
                text(lang, &mark(format!("{}: {words}", names.join(", ")))),
            );
            Value::Object(m)
        })
        .collect();
    if !a.retention_summary.is_empty() {
        out.push(json!({
            "@type": "dpv:StorageDuration",
            "rdfs:label": text(lang, &mark(a.retention_summary.clone())),
        }));
    }
    out
}

/// Art. 30(1)(e): each transfer as a `dpv:Transfer` process to a `dpv:ThirdCountry`,
/// with its legal basis in Chapter V and the documented safeguards.
fn transfers(lang: &str, a: &ActivityEntry) -> Vec<Value> {
    a.transfers
        .iter()
        .map(|t| {
            let mut m = Map::new();
            m.insert("@type".into(), json!("dpv:PersonalDataProcess"));
            m.insert("dpv:hasProcessing".into(), node_ref("dpv:Transfer"));
            m.insert(
                "dpv:hasThirdCountry".into(),
                json!({ "@type": "dpv:ThirdCountry", "rdfs:label": text(lang, &t.country) }),
            );
            if !t.recipient.is_empty() {
                m.insert(
                    "dpv:hasRecipient".into(),
                    json!({ "@type": "dpv:Recipient", "rdfs:label": text(lang, &t.recipient) }),
                );
            }
            if let Some(iri) = transfer_iri(&t.safeguard.code) {
                m.insert("dpv:hasLegalBasis".into(), node_ref(iri));
            }
            if !t.documentation.is_empty() {
                m.insert(
                    "dpv:hasTechnicalOrganisationalMeasure".into(),
                    json!({
                        "@type": "dpv:TechnicalOrganisationalMeasure",
                        "rdfs:label": text(lang, &t.documentation),
                    }),
                );
            }
            Value::Object(m)
        })
        .collect()
}

fn activity(r: &Art30Report, a: &ActivityEntry) -> Value {
    let lang = r.lang.as_str();
    let l = crate::lang_of(lang);
    let mut m = Map::new();
    m.insert("@id".into(), json!(activity_id(a.id)));
    m.insert("@type".into(), json!("dpv:PersonalDataProcess"));
    m.insert("rdfs:label".into(), text(lang, &a.name));
    m.insert("dct:identifier".into(), json!(a.id.to_string()));
    m.insert("dpv:hasDataController".into(), node_ref(CONTROLLER));
    // (b) and the lawful bases (Art. 6(1), Art. 9(2)).
    put(
        &mut m,
        "dpv:hasPurpose",
        labelled(lang, "dpv:Purpose", &a.purposes),
    );
    let bases: Vec<Value> = a
        .legal_bases
        .iter()
        .filter_map(|b| legal_basis_iri(&b.code))
        .chain(a.art9_condition.iter().filter_map(|c| art9_iri(&c.code)))
        .map(node_ref)
        .collect();
    put(&mut m, "dpv:hasLegalBasis", Value::Array(bases));
    // (c)
    put(
        &mut m,
        "dpv:hasDataSubject",
        labelled(lang, "dpv:DataSubject", &a.subject_categories),
    );
    put(
        &mut m,
        "dpv:hasPersonalData",
        Value::Array(
            a.data_categories
                .iter()
                .map(|c| personal_data(lang, c))
                .collect(),
        ),
    );
    // (d): the categories of recipients in words, then the processors and recipients
    // by name.
    put(
        &mut m,
        "dpv:hasRecipient",
        labelled(lang, "dpv:Recipient", &a.recipients),
    );
    for property in ["dpv:hasDataProcessor", "dpv:hasRecipientDataController"] {
        let refs: Vec<Value> = a
            .processors
            .iter()
            .filter(|p| processor_role(p).1 == property)
            .map(|p| node_ref(&processor_id(p.id)))
            .collect();
        put(&mut m, property, Value::Array(refs));
    }
    // Art. 26: the joint controllers, with this controller, and their split of
    // responsibility.
    if !a.joint_controllers.is_empty() {
        let mut members = vec![node_ref(CONTROLLER)];
        for j in &a.joint_controllers {
            let mut jm = match &j.contact {
                Some(c) => match contact_node("dpv:DataController", c) {
                    Value::Object(o) => o,
                    _ => Map::new(),
                },
                None => Map::new(),
            };
            jm.insert("@type".into(), json!("dpv:DataController"));
            jm.insert("dpv:hasName".into(), json!(j.name));
            if !j.responsibilities.is_empty() {
                jm.insert("dct:description".into(), text(lang, &j.responsibilities));
            }
            members.push(Value::Object(jm));
        }
        m.insert(
            "dpv:hasJointDataControllers".into(),
            json!({ "@type": "dpv:JointDataControllers", "dpv:hasDataController": members }),
        );
    }
    // (e)
    put(&mut m, "dpv:hasProcess", Value::Array(transfers(lang, a)));
    // (f)
    let proposed = a
        .is_proposed("retention")
        .then(|| label(l, "proposal_unconfirmed"));
    put(
        &mut m,
        "dpv:hasStorageCondition",
        Value::Array(storage(lang, proposed, a)),
    );
    // (g)
    put(
        &mut m,
        "dpv:hasTechnicalOrganisationalMeasure",
        labelled(
            lang,
            "dpv:TechnicalOrganisationalMeasure",
            &a.security_measures,
        ),
    );
    if !a.source.is_empty() {
        m.insert(
            "dpv:hasDataSource".into(),
            json!({ "@type": "dpv:DataSource", "rdfs:label": text(lang, &a.source) }),
        );
    }
    // Nothing is left out silently: the required fields that are empty are named.
    if !a.missing.is_empty() {
        let fields: Vec<&str> = a.missing.iter().map(|f| labels::field_name(l, f)).collect();
        m.insert(
            "rdfs:comment".into(),
            text(
                lang,
                &format!("{}: {}", label(l, "missing"), fields.join(", ")),
            ),
        );
    }
    Value::Object(m)
}

/// The JSON-LD document of the record.
pub fn document(r: &Art30Report) -> Value {
    let lang = r.lang.as_str();
    let l = crate::lang_of(lang);
    let stamp = format!(
        "{}: {} ({} {})",
        label(l, "audit_head"),
        r.audit.head_hash,
        r.audit.events,
        label(l, "audit_events").to_lowercase()
    );
    let parts: Vec<Value> = r
        .activities
        .iter()
        .map(|a| node_ref(&activity_id(a.id)))
        .collect();
    let record = json!({
        "@id": "_:record",
        "dct:title": text(lang, &r.title),
        "dct:created": { "@value": r.generated_at, "@type": "xsd:dateTime" },
        "dct:language": lang,
        "dct:conformsTo": node_ref("https://w3id.org/dpv"),
        "dct:publisher": node_ref(CONTROLLER),
        "dct:description": text(lang, &stamp),
        "dct:hasPart": parts,
    });
    let mut graph = vec![record, controller(r)];
    graph.extend(r.processors.iter().map(|p| processor(lang, p)));
    graph.extend(r.activities.iter().map(|a| activity(r, a)));
    json!({ "@context": context(), "@graph": graph })
}

/// The bytes of the DPV export: the document, pretty-printed UTF-8.
pub fn render(r: &Art30Report) -> Result<Vec<u8>> {
    crate::pretty_json(&document(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use privreg_core::templates::{self, Lang};

    #[test]
    fn every_closed_list_value_has_its_vocabulary_term() {
        for b in LegalBasis::ALL {
            assert!(legal_basis_iri(b.code()).is_some(), "{b}");
        }
        for c in Art9Condition::ALL {
            assert!(art9_iri(c.code()).is_some(), "{c}");
        }
        for t in TransferSafeguard::ALL {
            assert!(transfer_iri(t.code()).is_some(), "{t}");
        }
        assert_eq!(legal_basis_iri("consent"), Some("eu-gdpr:A6-1-a"));
        assert_eq!(art9_iri("explicit_consent"), Some("eu-gdpr:A9-2-a"));
        assert_eq!(
            transfer_iri("standard_contractual_clauses"),
            Some("eu-gdpr:A46-2-c")
        );
        assert_eq!(iso_duration(5, PeriodUnit::Years), "P5Y");
        assert_eq!(iso_duration(18, PeriodUnit::Months), "P18M");
    }

    #[test]
    fn the_templates_common_categories_map_to_the_pd_extension() {
        let mut unmapped = Vec::new();
        for lang in [Lang::En, Lang::Nb] {
            for t in templates::list(lang) {
                let a = templates::activity(t.key, lang).unwrap();
                for c in &a.data_categories {
                    let key = crate::fides::code(&c.name, c.group);
                    if pd_class(key).is_none() {
                        unmapped.push(key);
                    }
                }
            }
        }
        // Only free text ("other", correspondence) has no pd: concept.
        unmapped.sort();
        unmapped.dedup();
        assert!(
            unmapped.iter().all(|k| *k == "user.content.private"),
            "{unmapped:?}"
        );
        assert_eq!(
            pd_class(crate::fides::code("E-postadresse", Default::default())),
            Some("pd:EmailAddress")
        );
    }
}
