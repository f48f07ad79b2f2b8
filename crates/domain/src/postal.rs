//! Postal codes: five digits that some commune of the reference data has.
//!
//! A postal code is not a commune (62140 serves over twenty) and says nothing reliable about
//! the department: the advisor picks the commune among `communes()`, and the INSEE code of
//! that commune is what a dossier keeps.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::reference::{self, Commune};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode(String);

impl PostalCode {
    /// Accepts `62140` and `62 140`.
    pub fn parse(input: &str) -> Result<PostalCode, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Le code postal est vide.".into());
        }
        let code: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "« {trimmed} » n'est pas un code postal : il compte cinq chiffres, par exemple 62140."
            ));
        }
        if !reference::is_known_postal_code(&code) {
            return Err(format!(
                "Le code postal {code} ne correspond à aucune commune connue."
            ));
        }
        Ok(PostalCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The communes to choose from, current ones and the delegated ones under them.
    pub fn communes(&self) -> Vec<&'static Commune> {
        reference::communes_for_postal_code(&self.0)
    }
}

impl TryFrom<String> for PostalCode {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PostalCode::parse(&value)
    }
}

impl From<PostalCode> for String {
    fn from(code: PostalCode) -> String {
        code.0
    }
}

impl fmt::Display for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_known_code_is_accepted_and_offers_its_communes() {
        for input in ["62140", " 62 140 "] {
            let code = PostalCode::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(code.as_str(), "62140");
        }
        let code = PostalCode::parse("62140").unwrap();
        assert!(code.communes().iter().any(|c| c.name == "Hesdin-la-Forêt"));
    }

    #[test]
    fn corsican_and_overseas_codes_are_known() {
        assert!(PostalCode::parse("20000").is_ok(), "Ajaccio");
        assert!(PostalCode::parse("97100").is_ok(), "Basse-Terre");
    }

    #[test]
    fn an_unknown_code_is_refused_with_the_code_in_the_message() {
        assert_eq!(
            PostalCode::parse("62999").unwrap_err(),
            "Le code postal 62999 ne correspond à aucune commune connue."
        );
    }

    #[test]
    fn wrong_shapes_are_refused_in_french() {
        for input in ["6214", "621400", "62I40", "F-62140", "abcde"] {
            let err = PostalCode::parse(input).expect_err(input);
            assert!(err.contains("cinq chiffres"), "{input:?}: {err}");
        }
        assert_eq!(
            PostalCode::parse("").unwrap_err(),
            "Le code postal est vide."
        );
    }

    #[test]
    fn serde_checks_on_the_way_in() {
        let code: PostalCode = serde_json::from_str("\"62140\"").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"62140\"");
        assert!(serde_json::from_str::<PostalCode>("\"00000\"").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = PostalCode::parse(&input);
        }

        #[test]
        fn every_accepted_code_offers_a_commune(input in "[0-9]{5}") {
            if let Ok(code) = PostalCode::parse(&input) {
                prop_assert!(!code.communes().is_empty());
            }
        }
    }
}
