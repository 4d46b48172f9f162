//! The languages the program writes in: English and Norwegian bokmål. Reports,
//! templates, labels and the shell's native dialogs take a [`Lang`].

use serde::{Deserialize, Serialize};

/// A language the program writes in. Serialised as its code, "en" or "nb".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Nb,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nb];

    /// "en", "nb", and language tags starting with them ("en-GB", "nb-NO"). "no" and
    /// "nn" (Norwegian, Nynorsk) get bokmål, the nearest language we have.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        match s.split(['-', '_']).next().unwrap_or("") {
            "en" => Some(Lang::En),
            "nb" | "no" | "nn" => Some(Lang::Nb),
            _ => None,
        }
    }

    /// A language setting or tag, English when it names none we have.
    pub fn or_english(s: &str) -> Lang {
        Lang::parse(s).unwrap_or(Lang::En)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
        }
    }

    /// The text for this language from an (English, bokmål) pair.
    pub fn pick<T>(self, en: T, nb: T) -> T {
        match self {
            Lang::En => en,
            Lang::Nb => nb,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_parse_and_code() {
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("nb"), Some(Lang::Nb));
        assert_eq!(Lang::parse("nb-NO"), Some(Lang::Nb));
        assert_eq!(Lang::parse("no"), Some(Lang::Nb));
        assert_eq!(Lang::parse(" NB_no "), Some(Lang::Nb));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::parse("english"), None);
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.code()), Some(l));
            assert_eq!(
                serde_json::to_string(&l).unwrap(),
                format!("\"{}\"", l.code())
            );
        }
        assert_eq!(Lang::or_english("de"), Lang::En);
        assert_eq!(Lang::Nb.pick("a", "b"), "b");
    }
}
