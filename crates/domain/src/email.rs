//! Email addresses: a bare address (no `Nom <…>`), with a dotted domain, trimmed.
//!
//! The syntax check is the `email_address` crate's (RFC 5322/5321). The domain is stored in
//! lowercase since domains are case-insensitive; the part before `@` is kept as typed, since
//! a mail server may, in principle, tell `Jean` from `jean`.

use std::fmt;

use email_address::{EmailAddress, Options};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("L'adresse e-mail est vide.".into());
        }
        let options = Options::default()
            .with_required_tld()
            .without_display_text()
            .without_domain_literal();
        let address = EmailAddress::parse_with_options(trimmed, options).map_err(|_| {
            if trimmed.contains('@') {
                format!("« {trimmed} » n'est pas une adresse e-mail valide (exemple : prenom.nom@exemple.fr).")
            } else {
                format!("« {trimmed} » n'est pas une adresse e-mail : il manque le @.")
            }
        })?;
        Ok(Email(format!(
            "{}@{}",
            address.local_part(),
            address.domain().to_lowercase()
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_address_is_trimmed_and_its_domain_lowercased() {
        let email = Email::parse("  Anne.Lefevre@Exemple.FR ").unwrap();
        assert_eq!(email.as_str(), "Anne.Lefevre@exemple.fr");
    }

    #[test]
    fn usual_addresses_are_accepted() {
        for input in [
            "contact@initiative-ternois.fr",
            "anne+dossier@exemple.fr",
            "a.b-c_d@sous.domaine.exemple.com",
        ] {
            assert_eq!(Email::parse(input).unwrap().as_str(), input);
        }
    }

    #[test]
    fn invalid_addresses_are_refused_in_french() {
        for input in [
            "anne.exemple.fr",
            "anne@",
            "@exemple.fr",
            "anne@exemple",
            "anne lefevre@exemple.fr",
            "Anne <anne@exemple.fr>",
            "anne@[127.0.0.1]",
            "anne@@exemple.fr",
        ] {
            let err = Email::parse(input).expect_err(input);
            assert!(err.contains("adresse e-mail"), "{input:?}: {err}");
        }
        assert_eq!(Email::parse(" ").unwrap_err(), "L'adresse e-mail est vide.");
        assert!(Email::parse("anne.exemple.fr").unwrap_err().contains("@"));
    }

    #[test]
    fn serde_uses_the_normalised_address() {
        let email: Email = serde_json::from_str("\" anne@EXEMPLE.fr\"").unwrap();
        assert_eq!(
            serde_json::to_string(&email).unwrap(),
            "\"anne@exemple.fr\""
        );
        assert!(serde_json::from_str::<Email>("\"anne\"").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = Email::parse(&input);
        }

        #[test]
        fn a_parsed_address_parses_to_itself(input in "[a-zA-Z0-9._+-]{1,12}@[a-zA-Z0-9-]{1,10}\\.[a-zA-Z]{2,4}") {
            if let Ok(email) = Email::parse(&input) {
                prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email.clone());
                prop_assert_eq!(email.as_str().to_lowercase(), input.to_lowercase());
            }
        }
    }
}
