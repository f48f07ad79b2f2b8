//! Phone numbers: typed in any usual French writing, stored in E.164 (`+33321045678`).
//!
//! Parsing and validity come from the `phonenumber` crate (libphonenumber's metadata); a
//! `Phone` only exists once the number is known to be valid.

use std::fmt;

use phonenumber::{country, Mode};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts `03 21 04 56 78`, `03.21.04.56.78`, `+33 3 21 04 56 78`, `0033321045678`…
    /// Numbers without an international prefix are read as French.
    pub fn parse(input: &str) -> Result<Phone, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Le numéro de téléphone est vide.".into());
        }
        let number = phonenumber::parse(Some(country::Id::FR), trimmed)
            .map_err(|_| format!("« {trimmed} » n'est pas un numéro de téléphone reconnu."))?;
        if !phonenumber::is_valid(&number) {
            return Err(format!(
                "« {trimmed} » n'est pas un numéro de téléphone valide (exemple : 03 21 04 56 78)."
            ));
        }
        Ok(Phone(number.format().mode(Mode::E164).to_string()))
    }

    pub fn as_e164(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_french_writings_are_stored_as_e164() {
        for input in [
            "03 21 04 56 78",
            "03.21.04.56.78",
            "0321045678",
            "+33 3 21 04 56 78",
            "+33 (0)3 21 04 56 78",
            "0033 3 21 04 56 78",
        ] {
            let phone = Phone::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(phone.as_e164(), "+33321045678", "input {input}");
        }
    }

    #[test]
    fn mobile_numbers_are_accepted() {
        assert_eq!(
            Phone::parse("06 12 34 56 78").unwrap().as_e164(),
            "+33612345678"
        );
    }

    #[test]
    fn foreign_numbers_keep_their_country() {
        assert_eq!(
            Phone::parse("+32 2 555 12 12").unwrap().as_e164(),
            "+3225551212"
        );
    }

    #[test]
    fn invalid_numbers_are_refused_in_french() {
        for input in ["", "  ", "12", "03 21 04", "bonjour", "00 00 00 00 00"] {
            let err = Phone::parse(input).expect_err(input);
            assert!(
                err.contains("numéro"),
                "French message for {input:?}: {err}"
            );
        }
    }
}
