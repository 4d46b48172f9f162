//! Codes from the Fides taxonomy (`fideslang`, data categories) for the register's data
//! categories, so another system can read the subject access JSON without knowing our
//! category names. The register's categories are free text in English or Norwegian, so
//! the code is found from words in the name first and from the CNIL group second.

use privreg_core::model::CategoryGroup;

/// Word rules, most specific first: (words any of which the lower-case name contains,
/// fideslang key).
const RULES: &[(&[&str], &str)] = &[
    (
        &[
            "e-mail content",
            "innhold i e-post",
            "correspondence",
            "korrespondanse",
        ],
        "user.content.private",
    ),
    (&["username", "brukernavn"], "user.account.username"),
    (
        &["e-mail", "email", "e-post", "epost"],
        "user.contact.email",
    ),
    (&["phone", "telefon", "mobil"], "user.contact.phone_number"),
    (
        &["date of birth", "birth date", "fødselsdato"],
        "user.demographic.date_of_birth",
    ),
    (
        &[
            "national identity",
            "national id",
            "fødselsnummer",
            "personnummer",
        ],
        "user.government_id.national_identification_number",
    ),
    (
        &["passport", "pass nummer", "passnummer"],
        "user.government_id.passport_number",
    ),
    (
        &["bank account", "kontonummer", "account number"],
        "user.financial.bank_account",
    ),
    (&["ip address", "ip-adresse"], "user.device.ip_address"),
    (&["address", "adresse"], "user.contact.address"),
    (&["card", "kort"], "user.financial.credit_card"),
    (&["payment", "betaling"], "user.payment"),
    (
        &["invoice", "faktura", "receipt", "bilag"],
        "user.financial",
    ),
    (&["cookie", "informasjonskapsel"], "user.device.cookie_id"),
    (&["device", "enhet"], "user.device.device_id"),
    (
        &[
            "pages visited",
            "besøkte sider",
            "browsing",
            "nettleserhistorikk",
        ],
        "user.behavior.browsing_history",
    ),
    (
        &["consent", "samtykke", "privacy preference"],
        "user.privacy_preferences",
    ),
    (
        &["photo", "picture", "image", "bilde", "foto"],
        "user.content.self_image",
    ),
    (&["health", "helse", "allerg", "diagnos"], "user.health"),
    (
        &["criminal", "straff", "politiattest"],
        "user.criminal_history",
    ),
    (
        &["job title", "stilling", "position"],
        "user.professional_information.job_title",
    ),
    (
        &[
            "employer",
            "arbeidsgiver",
            "workplace",
            "arbeidssted",
            "company",
            "firma",
        ],
        "user.professional_information.workplace",
    ),
    (&["name", "navn"], "user.name"),
    (&["location", "posisjon", "lokasjon"], "user.location"),
];

/// The fideslang data category key for a register category: from the words of its
/// name, else from its CNIL group.
pub fn code(name: &str, group: CategoryGroup) -> &'static str {
    let lower = name.to_lowercase();
    for (words, key) in RULES {
        if words.iter().any(|w| lower.contains(w)) {
            return key;
        }
    }
    match group {
        CategoryGroup::Identity => "user.unique_id",
        CategoryGroup::PersonalLife => "user.content.private",
        CategoryGroup::ProfessionalLife => "user.professional_information",
        CategoryGroup::Financial => "user.financial",
        CategoryGroup::ConnectionData => "user.behavior",
        CategoryGroup::Location => "user.location",
        CategoryGroup::OnlineIdentifiers => "user.device",
        CategoryGroup::Criminal => "user.criminal_history",
        CategoryGroup::Other => "user.content.private",
    }
}

/// Codes for the identifying fields every subject has.
pub const SUBJECT_NAME: &str = "user.name";
pub const SUBJECT_EMAIL: &str = "user.contact.email";
pub const SUBJECT_PHONE: &str = "user.contact.phone_number";

#[cfg(test)]
mod tests {
    use super::*;
    use privreg_core::model::CategoryGroup as G;
    use privreg_core::templates::{self, Lang};

    #[test]
    fn common_categories_get_the_expected_codes_in_both_languages() {
        for (name, key) in [
            ("E-mail address", "user.contact.email"),
            ("E-postadresse", "user.contact.email"),
            ("Telefonnummer", "user.contact.phone_number"),
            ("Navn", "user.name"),
            ("Fødselsdato", "user.demographic.date_of_birth"),
            ("Kontonummer", "user.financial.bank_account"),
            ("Innhold i e-post", "user.content.private"),
            ("Stilling", "user.professional_information.job_title"),
            ("Arbeidsgiver", "user.professional_information.workplace"),
            ("Fakturaadresse", "user.contact.address"),
            ("Name or username", "user.account.username"),
        ] {
            assert_eq!(code(name, G::Other), key, "{name}");
        }
        assert_eq!(code("Oppmøte", G::Other), "user.content.private");
        assert_eq!(code("Dom", G::Criminal), "user.criminal_history");
        assert_eq!(
            code("Kurshistorikk", G::ProfessionalLife),
            "user.professional_information"
        );
    }

    #[test]
    fn every_template_category_has_a_code_under_user() {
        for lang in [Lang::En, Lang::Nb] {
            for t in templates::list(lang) {
                let a = templates::activity(t.key, lang).unwrap();
                for c in &a.data_categories {
                    let k = code(&c.name, c.group);
                    assert!(k.starts_with("user"), "{} -> {k}", c.name);
                }
            }
        }
    }
}
