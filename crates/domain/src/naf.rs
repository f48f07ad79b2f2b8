//! NAF codes: the activity of a business, as a sub-class of the NAF rév. 2 nomenclature.
//!
//! Typed as `4711D`, `47.11D` or `47.11 d`; stored as `47.11D`. A `NafCode` only exists for a
//! sub-class of the nomenclature that ships with the app (`reference::naf`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::reference::{self, NafEntry, NAF_VERSION};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NafCode(String);

impl NafCode {
    pub fn parse(input: &str) -> Result<NafCode, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Le code NAF est vide.".into());
        }
        let Some(code) = reference::normalise_naf(trimmed) else {
            return Err(shape_error(trimmed));
        };
        match reference::naf(&code) {
            Some(entry) => Ok(NafCode(entry.code.to_owned())),
            None => Err(format!(
                "Le code NAF {code} n'existe pas dans la nomenclature {NAF_VERSION}."
            )),
        }
    }

    /// `47.11D`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The activity in words: `Supermarchés`.
    pub fn label(&self) -> &'static str {
        self.entry().label
    }

    pub fn entry(&self) -> &'static NafEntry {
        // Only `parse` builds a NafCode, and only for a code of the nomenclature.
        reference::naf(&self.0).expect("a NafCode is in the nomenclature")
    }
}

/// A class without its letter (`47.11`) lists the sub-classes to choose from.
fn shape_error(input: &str) -> String {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let class = format!("{}.{}", &digits[..2], &digits[2..]);
        let choices: Vec<&str> = reference::naf_entries()
            .iter()
            .filter(|e| e.code.starts_with(&class))
            .map(|e| e.code)
            .collect();
        if !choices.is_empty() {
            return format!(
                "Il manque la lettre finale du code NAF : {}.",
                join_with_or(&choices)
            );
        }
    }
    format!("« {input} » n'est pas un code NAF : il s'écrit avec quatre chiffres et une lettre, par exemple 47.11D.")
}

fn join_with_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} ou {last}", init.join(", ")),
    }
}

impl TryFrom<String> for NafCode {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        NafCode::parse(&value)
    }
}

impl From<NafCode> for String {
    fn from(code: NafCode) -> String {
        code.0
    }
}

impl fmt::Display for NafCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn usual_writings_are_stored_with_a_dot_and_an_uppercase_letter() {
        for input in ["4711D", "47.11D", "47.11d", " 47 11 D ", "4711 d"] {
            let code = NafCode::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(code.as_str(), "47.11D", "input {input:?}");
            assert_eq!(code.label(), "Supermarchés");
        }
    }

    #[test]
    fn a_well_shaped_code_outside_the_nomenclature_is_named_in_the_message() {
        let err = NafCode::parse("47.11X").unwrap_err();
        assert_eq!(
            err,
            "Le code NAF 47.11X n'existe pas dans la nomenclature NAF rév. 2."
        );
    }

    #[test]
    fn a_class_without_its_letter_lists_the_choices() {
        let err = NafCode::parse("10.71").unwrap_err();
        assert!(err.contains("10.71A") && err.contains("ou 10.71D"), "{err}");
    }

    #[test]
    fn badly_shaped_input_is_refused_in_french() {
        for input in [
            "",
            "   ",
            "47",
            "47.11DD",
            "A7.11D",
            "47.111",
            "boulangerie",
            "47,11D",
        ] {
            let err = NafCode::parse(input).expect_err(input);
            assert!(
                err.contains("code NAF"),
                "French message for {input:?}: {err}"
            );
        }
    }

    #[test]
    fn serde_uses_the_normalised_code_and_checks_on_the_way_in() {
        let code = NafCode::parse("4711d").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"47.11D\"");
        let back: NafCode = serde_json::from_str("\"4711D\"").unwrap();
        assert_eq!(back, code);
        assert!(serde_json::from_str::<NafCode>("\"99.99Z\"").is_err());
    }

    proptest! {
        #[test]
        fn both_writings_of_any_sub_class_give_the_same_code(
            index in 0..732usize,
            lowercase in any::<bool>(),
            spaced in any::<bool>(),
        ) {
            let entry = &reference::naf_entries()[index];
            let mut compact = entry.code.replace('.', "");
            if lowercase {
                compact = compact.to_lowercase();
            }
            if spaced {
                compact = format!(" {} {} ", &compact[..2], &compact[2..]);
            }
            let from_dotted = NafCode::parse(entry.code).unwrap();
            let from_compact = NafCode::parse(&compact).unwrap();
            prop_assert_eq!(from_dotted.as_str(), entry.code);
            prop_assert_eq!(from_compact, from_dotted);
        }

        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = NafCode::parse(&input);
        }

        #[test]
        fn parse_never_panics_on_near_codes(input in "[0-9. a-zA-Zé]{0,8}") {
            if let Ok(code) = NafCode::parse(&input) {
                prop_assert!(reference::naf(code.as_str()).is_some());
            }
        }
    }
}
