//! Which column of a CSV file goes where: a subject's name (or first and last name
//! joined), e-mail and phone, and the data categories of the activity imported into.
//! A mapping is suggested from the column names (English and Norwegian) and remembered
//! per activity in the register's `meta` table, as JSON under `csv_mapping.<activity id>`.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{InputError, Result};
use crate::model::{Activity, Id};
use crate::store::audit::NewEvent;
use crate::store::Register;

/// Where one column's value goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Name,
    /// Joined with [`Target::LastName`] by a space into the name.
    FirstName,
    LastName,
    Email,
    Phone,
    /// A record of this data category of the activity.
    Category(String),
}

impl Target {
    /// `name`, `first_name`, `last_name`, `email`, `phone`, `category:NAME`, or any other
    /// text as a category name (for the CLI's `--map COLUMN=FIELD`).
    pub fn parse(s: &str) -> Target {
        let t = s.trim();
        match t.to_lowercase().replace(['-', ' '], "_").as_str() {
            "name" => Target::Name,
            "first_name" | "firstname" => Target::FirstName,
            "last_name" | "lastname" => Target::LastName,
            "email" | "e_mail" => Target::Email,
            "phone" => Target::Phone,
            _ => Target::Category(t.strip_prefix("category:").unwrap_or(t).trim().to_string()),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Target::Name => "name".into(),
            Target::FirstName => "first name".into(),
            Target::LastName => "last name".into(),
            Target::Email => "e-mail".into(),
            Target::Phone => "phone".into(),
            Target::Category(c) => format!("category \"{c}\""),
        }
    }
}

/// One column and where it goes. A column may appear more than once (an e-mail column
/// is both the subject's e-mail and a record of the category "E-mail address").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnTarget {
    pub column: String,
    pub target: Target,
}

/// How the rows of a file become subjects and records. Column names, not values: no
/// personal data, so `Debug` is derived.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvMapping {
    pub columns: Vec<ColumnTarget>,
    /// Also match existing subjects by phone number when a row has no e-mail address.
    pub match_phone: bool,
    /// The records' source ("Dynamics 365 export"); "CSV import" when empty.
    pub source: String,
}

impl CsvMapping {
    pub fn targets_of(&self, column: &str) -> Vec<&Target> {
        let c = column.trim().to_lowercase();
        self.columns
            .iter()
            .filter(|m| m.column.trim().to_lowercase() == c)
            .map(|m| &m.target)
            .collect()
    }

    /// Replaces every target of `column` by `targets` (none: the column is ignored).
    pub fn set(&mut self, column: &str, targets: &[Target]) {
        let c = column.trim().to_lowercase();
        self.columns.retain(|m| m.column.trim().to_lowercase() != c);
        for t in targets {
            self.columns.push(ColumnTarget {
                column: column.trim().to_string(),
                target: t.clone(),
            });
        }
    }

    /// The mapping is usable for this activity and these columns: every column exists,
    /// every category is the activity's, each subject field comes from one column, a
    /// name is mapped, and so is at least one data category.
    pub fn check(&self, activity: &Activity, headers: &[String]) -> Result<()> {
        let bad = |p: String| -> crate::error::Error { InputError::invalid("mapping", p).into() };
        for m in &self.columns {
            let exists = headers
                .iter()
                .any(|h| h.trim().to_lowercase() == m.column.trim().to_lowercase());
            if !exists {
                return Err(bad(format!(
                    "the file has no column \"{}\"",
                    m.column.trim()
                )));
            }
            if let Target::Category(c) = &m.target {
                if activity.category(c).is_none() {
                    return Err(bad(format!(
                        "\"{}\" is not a data category of this activity",
                        c.trim()
                    )));
                }
            }
        }
        for field in [
            Target::Name,
            Target::FirstName,
            Target::LastName,
            Target::Email,
            Target::Phone,
        ] {
            if self.columns.iter().filter(|m| m.target == field).count() > 1 {
                return Err(bad(format!("{} is mapped from two columns", field.label())));
            }
        }
        let has = |t: Target| self.columns.iter().any(|m| m.target == t);
        if has(Target::Name) && (has(Target::FirstName) || has(Target::LastName)) {
            return Err(bad(
                "map either a name column or first and last name columns, not both".into(),
            ));
        }
        if !(has(Target::Name) || has(Target::FirstName) || has(Target::LastName)) {
            return Err(bad(
                "map a column to the name (or first and last name)".into()
            ));
        }
        if !self
            .columns
            .iter()
            .any(|m| matches!(m.target, Target::Category(_)))
        {
            return Err(bad(
                "map at least one column to a data category of the activity".into(),
            ));
        }
        Ok(())
    }
}

/// Lower case, letters and digits only: "E-post" and "e post" and "EPost" are alike.
fn squash(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

const NAME: &[&str] = &[
    "name",
    "fullname",
    "fullnavn",
    "navn",
    "fulltnavn",
    "contactname",
    "kontaktnavn",
    "kontaktperson",
    "contact",
    "kontakt",
    "deltaker",
    "deltakernavn",
    "participant",
    "participantname",
    "søker",
    "sokernavn",
    "søkernavn",
    "applicant",
    "applicantname",
];
const FIRST: &[&str] = &["firstname", "fornavn", "givenname", "forename", "first"];
const LAST: &[&str] = &["lastname", "etternavn", "surname", "familyname", "last"];
const EMAIL: &[&str] = &[
    "email",
    "epost",
    "mail",
    "emailaddress",
    "emailaddress1",
    "epostadresse",
    "mailadresse",
    "eposttilkontakt",
    "primaryemail",
    "eposthjem",
    "epostarbeid",
    "workemail",
];
const PHONE: &[&str] = &[
    "phone",
    "telephone",
    "telefon",
    "tlf",
    "tlfnr",
    "mobile",
    "mobil",
    "mobilnr",
    "mobiltelefon",
    "mobilephone",
    "mobilnummer",
    "telefonnummer",
    "phonenumber",
    "telephone1",
    "businessphone",
    "telefonarbeid",
    "cellphone",
    "mobiletelephone",
];

/// The categories of `activity` that hold what a subject field holds, by name.
fn field_category(activity: &Activity, words: &[&str], also: &[&str]) -> Option<String> {
    activity
        .data_categories
        .iter()
        .find(|c| {
            let s = squash(&c.name);
            words.contains(&s.as_str()) || also.contains(&s.as_str())
        })
        .map(|c| c.name.clone())
}

/// A first guess from the column names: names, e-mail and phone by their usual English
/// and Norwegian headers (Dynamics 365, Mintra, Excel lists), and a column named like one
/// of the activity's data categories to that category. An e-mail or phone column also
/// fills the activity's "E-mail address" / "Phone number" category when it has one.
pub fn suggest_mapping(headers: &[String], activity: &Activity) -> CsvMapping {
    let mut m = CsvMapping::default();
    let mut taken: Vec<Target> = Vec::new();
    let push = |m: &mut CsvMapping, column: &str, t: Target| {
        m.columns.push(ColumnTarget {
            column: column.to_string(),
            target: t,
        });
    };
    let email_cat = field_category(activity, EMAIL, &["emailaddress", "epostadresse"]);
    let phone_cat = field_category(activity, PHONE, &["phonenumber", "telefonnummer"]);
    let name_cat = field_category(activity, NAME, &[]);
    let has_first_last = headers.iter().any(|h| FIRST.contains(&squash(h).as_str()))
        && headers.iter().any(|h| LAST.contains(&squash(h).as_str()));
    for h in headers {
        let s = squash(h);
        let field = if EMAIL.contains(&s.as_str()) {
            Some(Target::Email)
        } else if PHONE.contains(&s.as_str()) {
            Some(Target::Phone)
        } else if has_first_last && FIRST.contains(&s.as_str()) {
            Some(Target::FirstName)
        } else if has_first_last && LAST.contains(&s.as_str()) {
            Some(Target::LastName)
        } else if !has_first_last && NAME.contains(&s.as_str()) {
            Some(Target::Name)
        } else {
            None
        };
        if let Some(f) = field.filter(|f| !taken.contains(f)) {
            taken.push(f.clone());
            let cat = match f {
                Target::Email => email_cat.clone(),
                Target::Phone => phone_cat.clone(),
                Target::Name => name_cat.clone(),
                _ => None,
            };
            push(&mut m, h, f);
            if let Some(c) = cat {
                push(&mut m, h, Target::Category(c));
            }
            continue;
        }
        if let Some(c) = activity
            .data_categories
            .iter()
            .find(|c| squash(&c.name) == s && !s.is_empty())
        {
            push(&mut m, h, Target::Category(c.name.clone()));
        }
    }
    m
}

fn meta_key(activity_id: Id) -> String {
    format!("csv_mapping.{activity_id}")
}

impl Register {
    /// The mapping last used (or saved) for imports into this activity.
    pub fn csv_mapping(&self, activity_id: Id) -> Result<Option<CsvMapping>> {
        let text: Option<String> = self
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [meta_key(activity_id)],
                |r| r.get(0),
            )
            .optional()?;
        // A mapping that no longer reads (written by a later version) is just forgotten.
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// Remembers a mapping for this activity (the import does this itself).
    pub fn set_csv_mapping(&mut self, activity_id: Id, mapping: &CsvMapping) -> Result<()> {
        self.activity(activity_id)?;
        self.write(|tx, ctx| {
            save_mapping(tx, activity_id, mapping)?;
            ctx.audit(
                tx,
                NewEvent::new("csv_mapping.saved", "activity", Some(activity_id)),
            )
        })
    }
}

pub(crate) fn save_mapping(
    tx: &rusqlite::Connection,
    activity_id: Id,
    mapping: &CsvMapping,
) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![meta_key(activity_id), serde_json::to_string(mapping)?],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CategoryGroup, DataCategory};

    fn activity(cats: &[&str]) -> Activity {
        Activity {
            name: "x".into(),
            data_categories: cats
                .iter()
                .map(|c| DataCategory::new(c, CategoryGroup::Other))
                .collect(),
            ..Default::default()
        }
    }

    fn h(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn pairs(m: &CsvMapping) -> Vec<(String, Target)> {
        m.columns
            .iter()
            .map(|c| (c.column.clone(), c.target.clone()))
            .collect()
    }

    #[test]
    fn norwegian_headers_are_recognised() {
        let a = activity(&["Navn", "E-postadresse", "Telefonnummer", "Arbeidsgiver"]);
        let m = suggest_mapping(
            &h(&[
                "Fornavn",
                "Etternavn",
                "E-post",
                "Mobil",
                "Arbeidsgiver",
                "Merknad",
            ]),
            &a,
        );
        assert_eq!(
            pairs(&m),
            vec![
                ("Fornavn".into(), Target::FirstName),
                ("Etternavn".into(), Target::LastName),
                ("E-post".into(), Target::Email),
                ("E-post".into(), Target::Category("E-postadresse".into())),
                ("Mobil".into(), Target::Phone),
                ("Mobil".into(), Target::Category("Telefonnummer".into())),
                (
                    "Arbeidsgiver".into(),
                    Target::Category("Arbeidsgiver".into())
                ),
            ]
        );
        m.check(
            &a,
            &h(&["Fornavn", "Etternavn", "E-post", "Mobil", "Arbeidsgiver"]),
        )
        .unwrap();
    }

    #[test]
    fn english_headers_and_a_full_name_column() {
        let a = activity(&["Name", "E-mail address", "Course history"]);
        let m = suggest_mapping(&h(&["Full Name", "Email Address", "Course history"]), &a);
        assert_eq!(
            pairs(&m),
            vec![
                ("Full Name".into(), Target::Name),
                ("Full Name".into(), Target::Category("Name".into())),
                ("Email Address".into(), Target::Email),
                (
                    "Email Address".into(),
                    Target::Category("E-mail address".into())
                ),
                (
                    "Course history".into(),
                    Target::Category("Course history".into())
                ),
            ]
        );
    }

    #[test]
    fn a_mapping_is_checked_against_the_file_and_the_activity() {
        let a = activity(&["Email"]);
        let headers = h(&["Navn", "E-post"]);
        let field = |m: &CsvMapping| m.check(&a, &headers).unwrap_err().to_string();
        let mut m = CsvMapping::default();
        m.set("E-post", &[Target::Email, Target::Category("email".into())]);
        assert!(field(&m).contains("name"));
        m.set("Navn", &[Target::Name]);
        m.check(&a, &headers).unwrap();
        m.set("Tlf", &[Target::Phone]);
        assert!(field(&m).contains("no column \"Tlf\""));
        m.set("Tlf", &[]);
        m.set("Navn", &[Target::Name, Target::Category("Hobby".into())]);
        assert!(field(&m).contains("\"Hobby\" is not a data category"));
        m.set("Navn", &[Target::Name]);
        m.set("E-post", &[Target::Email, Target::Name]);
        assert!(field(&m).contains("two columns"));
        m.set("E-post", &[Target::Email]);
        assert!(field(&m).contains("at least one column"));
    }

    #[test]
    fn targets_parse_from_the_command_line() {
        assert_eq!(Target::parse("first-name"), Target::FirstName);
        assert_eq!(Target::parse("E-mail"), Target::Email);
        assert_eq!(
            Target::parse("category:Name"),
            Target::Category("Name".into())
        );
        assert_eq!(
            Target::parse("Kurshistorikk"),
            Target::Category("Kurshistorikk".into())
        );
        let json = serde_json::to_string(&Target::Category("E-post".into())).unwrap();
        assert_eq!(json, r#"{"category":"E-post"}"#);
        assert_eq!(
            serde_json::to_string(&Target::FirstName).unwrap(),
            r#""first_name""#
        );
    }
}
