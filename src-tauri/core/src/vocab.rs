//! Closed lists: the enums whose values are stored, sent and typed as short codes
//! (`"legitimate_interests"`, `"in_progress"`). Each is declared once with
//! [`closed_list!`](crate::closed_list), which generates from one list of
//! `Variant = "code"` entries everything that used to be written by hand per enum:
//!
//! - `code()` (and `as_str()`, the same), `ALL`, `CODES` and `parse`;
//! - `Display` and `FromStr` as the code (`FromStr` fails with [`UnknownCode`], which
//!   names the list and its codes, never the text typed);
//! - serde as the code (a plain string, the same bytes as
//!   `#[serde(rename_all = "snake_case")]` on a unit enum gave);
//! - rusqlite `ToSql`/`FromSql` as the code (a TEXT column).
//!
//! The codes are the stored and serialised form: changing one is a format change.
//! Labels in English and bokmål live in one table, [`crate::labels`].

use std::fmt;

#[doc(hidden)]
pub use rusqlite as __rusqlite;
#[doc(hidden)]
pub use serde as __serde;

/// What every closed list offers, for code that works on any of them (the CLI's
/// argument parsers, the label table's checks).
pub trait ClosedList: Copy + Eq + fmt::Debug + Sized + 'static {
    /// What one value is called in messages: "legal basis", "request type".
    const NAME: &'static str;
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// Every code, in the same order as [`ClosedList::ALL`].
    const CODES: &'static [&'static str];
    /// The stored and serialised code.
    fn code(self) -> &'static str;
    /// The value of a code (surrounding white space ignored), or `None`.
    fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|v| v.code() == s)
    }
}

/// A code that is not in its closed list. The message names the list and the codes
/// that are, not the text that was given (it may be anything a user pasted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownCode {
    pub list: &'static str,
    pub codes: &'static [&'static str],
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {}: use {}", self.list, self.codes.join(", "))
    }
}

impl std::error::Error for UnknownCode {}

/// Declares a closed list: an enum of unit variants, each with its code.
///
/// ```
/// privreg_core::closed_list! {
///     /// How sure we are.
///     #[derive(Default)]
///     pub enum Certainty("certainty") {
///         #[default]
///         Unsure = "unsure",
///         Sure = "sure",
///     }
/// }
/// assert_eq!(Certainty::Sure.code(), "sure");
/// assert_eq!(Certainty::parse("unsure"), Some(Certainty::Unsure));
/// assert_eq!("sure".parse::<Certainty>(), Ok(Certainty::Sure));
/// assert_eq!(serde_json::to_string(&Certainty::Sure).unwrap(), "\"sure\"");
/// assert_eq!(Certainty::default(), Certainty::Unsure);
/// ```
///
/// The enum derives `Debug, Clone, Copy, PartialEq, Eq, Hash`; other derives (such as
/// `Default` with `#[default]` on a variant) and doc comments pass through.
#[macro_export]
macro_rules! closed_list {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $code:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
        }

        #[allow(dead_code)]
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every code, in the order of `ALL`.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The stored and serialised code.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The code (the same as [`Self::code`]).
            pub const fn as_str(self) -> &'static str {
                self.code()
            }

            /// The value of a code (surrounding white space ignored), or `None`.
            pub fn parse(s: &str) -> ::std::option::Option<Self> {
                match s.trim() {
                    $($code => ::std::option::Option::Some($name::$variant),)+
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl $crate::vocab::ClosedList for $name {
            const NAME: &'static str = $what;
            const ALL: &'static [Self] = $name::ALL;
            const CODES: &'static [&'static str] = $name::CODES;
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn parse(s: &str) -> ::std::option::Option<Self> {
                $name::parse(s)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownCode;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                $name::parse(s).ok_or($crate::vocab::UnknownCode {
                    list: $what,
                    codes: $name::CODES,
                })
            }
        }

        impl $crate::vocab::__serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::vocab::__serde::Serializer,
            {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> $crate::vocab::__serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::vocab::__serde::Deserializer<'de>,
            {
                struct CodeVisitor;
                impl $crate::vocab::__serde::de::Visitor<'_> for CodeVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        write!(f, "a {} code", $what)
                    }
                    fn visit_str<E>(self, v: &str) -> ::std::result::Result<$name, E>
                    where
                        E: $crate::vocab::__serde::de::Error,
                    {
                        // Exact, as serde's derive was: no trimming in stored data.
                        match v {
                            $($code => ::std::result::Result::Ok($name::$variant),)+
                            _ => ::std::result::Result::Err(E::unknown_variant(v, $name::CODES)),
                        }
                    }
                }
                deserializer.deserialize_str(CodeVisitor)
            }
        }

        impl $crate::vocab::__rusqlite::types::ToSql for $name {
            fn to_sql(
                &self,
            ) -> $crate::vocab::__rusqlite::Result<$crate::vocab::__rusqlite::types::ToSqlOutput<'_>> {
                ::std::result::Result::Ok($crate::vocab::__rusqlite::types::ToSqlOutput::from(
                    self.code(),
                ))
            }
        }

        impl $crate::vocab::__rusqlite::types::FromSql for $name {
            fn column_result(
                value: $crate::vocab::__rusqlite::types::ValueRef<'_>,
            ) -> $crate::vocab::__rusqlite::types::FromSqlResult<Self> {
                let s = value.as_str()?;
                match s {
                    $($code => ::std::result::Result::Ok($name::$variant),)+
                    _ => ::std::result::Result::Err(
                        $crate::vocab::__rusqlite::types::FromSqlError::other(
                            $crate::vocab::UnknownCode { list: $what, codes: $name::CODES },
                        ),
                    ),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    crate::closed_list! {
        /// A list for the tests.
        #[derive(Default)]
        pub enum Fruit("fruit") {
            /// The first.
            #[default]
            Apple = "apple",
            BloodOrange = "blood_orange",
        }
    }

    #[test]
    fn codes_round_trip_through_every_form() {
        assert_eq!(Fruit::ALL, &[Fruit::Apple, Fruit::BloodOrange]);
        assert_eq!(Fruit::CODES, &["apple", "blood_orange"]);
        assert_eq!(Fruit::default(), Fruit::Apple);
        for &f in Fruit::ALL {
            assert_eq!(Fruit::parse(f.code()), Some(f));
            assert_eq!(f.as_str(), f.code());
            assert_eq!(f.to_string(), f.code());
            assert_eq!(f.code().parse::<Fruit>(), Ok(f));
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.code()));
            assert_eq!(serde_json::from_str::<Fruit>(&json).unwrap(), f);
        }
        assert_eq!(Fruit::parse(" blood_orange "), Some(Fruit::BloodOrange));
        assert_eq!(Fruit::parse("BloodOrange"), None);
        assert_eq!(<Fruit as ClosedList>::parse("apple"), Some(Fruit::Apple));
    }

    #[test]
    fn an_unknown_code_names_the_list_and_its_codes_not_the_input() {
        let err = "Kari Nordmann".parse::<Fruit>().unwrap_err();
        assert_eq!(err.to_string(), "unknown fruit: use apple, blood_orange");
        let err = serde_json::from_str::<Fruit>("\"pear\"").unwrap_err();
        assert!(err.to_string().contains("unknown variant"), "{err}");
        assert!(serde_json::from_str::<Fruit>("\" apple\"").is_err());
        assert!(serde_json::from_str::<Fruit>("3").is_err());
    }

    /// Enums of unit variants serialised as snake_case codes that are not declared with
    /// `closed_list!`, each with the reason.
    const NOT_CLOSED_LISTS: &[(&str, &str)] = &[
        (
            "Lang",
            "parses language tags (\"nb-NO\"), not only its codes",
        ),
        (
            "Encoding",
            "transfer/csv.rs is being rewritten on encoding_rs",
        ),
        (
            "Phase",
            "transfer/csv_import.rs is being rewritten on the csv crate",
        ),
        (
            "ImportMode",
            "transfer/csv_import.rs is being rewritten on the csv crate",
        ),
    ];

    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "gen" {
                    rust_files(&path, out);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }

    /// The tidy check of the vocabulary: a closed list is declared once, with
    /// `closed_list!`, and the shell picks words from the label table rather than
    /// branching on the language.
    #[test]
    fn closed_lists_are_declared_with_the_macro_and_not_by_hand() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        assert!(
            files.len() > 20,
            "found only {} files under {root:?}",
            files.len()
        );
        let mut problems = Vec::new();
        for path in files {
            if path.ends_with("core/src/vocab.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let shown = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let line = line.trim();
                if line.starts_with("pub fn as_str(self) -> &'static str") {
                    problems.push(format!("{shown}:{}: a hand-written as_str", i + 1));
                }
                if shown.starts_with("app") && line.contains("lang == \"nb\"") {
                    problems.push(format!(
                        "{shown}:{}: a language branch; use labels::Word",
                        i + 1
                    ));
                }
                if line != "#[serde(rename_all = \"snake_case\")]" {
                    continue;
                }
                let Some(name) = lines
                    .get(i + 1)
                    .and_then(|l| l.trim().strip_prefix("pub enum "))
                else {
                    continue;
                };
                let name = name.trim_end_matches(" {").trim();
                let body: Vec<&str> = lines[i + 2..]
                    .iter()
                    .map(|l| l.trim())
                    .take_while(|l| *l != "}")
                    .filter(|l| !l.starts_with("//") && !l.starts_with("#["))
                    .collect();
                let unit_only = body.iter().all(|l| !l.contains('(') && !l.contains('{'));
                if unit_only && !NOT_CLOSED_LISTS.iter().any(|(n, _)| *n == name) {
                    problems.push(format!(
                        "{shown}:{}: enum {name} is a closed list; declare it with closed_list!",
                        i + 2
                    ));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn sql_stores_the_code_and_refuses_an_unknown_one() {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch("CREATE TABLE t (v TEXT)").unwrap();
        db.execute("INSERT INTO t VALUES (?1)", [Fruit::BloodOrange])
            .unwrap();
        let raw: String = db.query_row("SELECT v FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(raw, "blood_orange");
        let back: Fruit = db.query_row("SELECT v FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(back, Fruit::BloodOrange);
        db.execute("UPDATE t SET v = 'pear'", []).unwrap();
        let err = db
            .query_row("SELECT v FROM t", [], |r| r.get::<_, Fruit>(0))
            .unwrap_err();
        assert!(err.to_string().contains("unknown fruit"), "{err}");
    }
}
