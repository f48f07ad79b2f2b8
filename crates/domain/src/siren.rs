//! SIREN (the business, 9 digits) and SIRET (one of its establishments, 14 digits).
//!
//! Both end with a Luhn check digit: a SIREN passes Luhn, and a SIRET passes Luhn on its 14
//! digits and its first 9 (its SIREN). La Poste's establishments (SIREN 356000000) are too
//! many for that scheme: theirs instead have a digit sum that is a multiple of 5.
//! Input may be grouped with spaces, dots or non-breaking spaces; the stored form is digits
//! only, and `Display` groups them as people write them (`732 829 320 00074`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// La Poste's SIREN, whose establishments follow their own check rule.
pub const LA_POSTE_SIREN: &str = "356000000";

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siren(String);

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siret(String);

/// Whether the digits pass the Luhn check: from the right, every second digit is doubled
/// (minus 9 past 9), and the sum is a multiple of 10.
fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

fn digit_sum(digits: &str) -> u32 {
    digits.bytes().map(|b| u32::from(b - b'0')).sum()
}

/// Digits only, or the French reason why the input is not `count` digits.
fn digits(input: &str, what: &str, count: usize, example: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(format!("Le numéro {what} est vide."));
    }
    let digits: String = trimmed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "Le numéro {what} ne contient que des chiffres ({count} chiffres, par exemple {example})."
        ));
    }
    let found = digits.len();
    if found != count {
        return Err(format!(
            "Le numéro {what} compte {count} chiffres ; « {trimmed} » en a {found}."
        ));
    }
    Ok(digits)
}

fn check_digit_error(what: &str, input: &str) -> String {
    format!(
        "Le numéro {what} « {} » n'est pas valide : sa clé de contrôle ne correspond pas. \
         Vérifiez chaque chiffre.",
        input.trim()
    )
}

impl Siren {
    /// Accepts `732829320`, `732 829 320`, `732.829.320`.
    pub fn parse(input: &str) -> Result<Siren, String> {
        let digits = digits(input, "SIREN", 9, "732 829 320")?;
        if !luhn_valid(&digits) {
            return Err(check_digit_error("SIREN", input));
        }
        Ok(Siren(digits))
    }

    /// The 9 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Siret {
    /// Accepts `73282932000074`, `732 829 320 00074`, `732.829.320.00074`.
    pub fn parse(input: &str) -> Result<Siret, String> {
        let digits = digits(input, "SIRET", 14, "732 829 320 00074")?;
        let valid = if digits.starts_with(LA_POSTE_SIREN) {
            digit_sum(&digits) % 5 == 0
        } else {
            luhn_valid(&digits) && luhn_valid(&digits[..9])
        };
        if !valid {
            return Err(check_digit_error("SIRET", input));
        }
        Ok(Siret(digits))
    }

    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The business this establishment belongs to: its first 9 digits.
    pub fn siren(&self) -> Siren {
        // The first 9 digits of a valid SIRET pass Luhn, La Poste's included.
        Siren(self.0[..9].to_owned())
    }

    /// The establishment's number within the business (NIC): its last 5 digits.
    pub fn nic(&self) -> &str {
        &self.0[9..]
    }
}

macro_rules! string_newtype_impls {
    ($ty:ident) => {
        impl TryFrom<String> for $ty {
            type Error = String;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $ty::parse(&value)
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.0
            }
        }
    };
}

string_newtype_impls!(Siren);
string_newtype_impls!(Siret);

impl fmt::Display for Siren {
    /// `732 829 320`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

impl fmt::Display for Siret {
    /// `732 829 320 00074`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.siren(), &self.0[9..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The digit that makes `prefix` followed by it pass Luhn.
    fn luhn_complete(prefix: &str) -> String {
        (0..10)
            .map(|d| format!("{prefix}{d}"))
            .find(|candidate| luhn_valid(candidate))
            .expect("one of ten digits completes a Luhn number")
    }

    #[test]
    fn valid_sirets_are_accepted_in_usual_writings() {
        for input in [
            "73282932000074",
            "732 829 320 00074",
            "732.829.320.00074",
            "732\u{a0}829\u{a0}320\u{a0}00074",
            "732\u{202f}829\u{202f}320\u{202f}00074",
            " 73282932000074 ",
        ] {
            let siret = Siret::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(siret.as_str(), "73282932000074", "input {input:?}");
        }
    }

    #[test]
    fn la_poste_establishments_use_the_digit_sum_rule() {
        let siret = Siret::parse("35600000009075").expect("La Poste establishment");
        assert_eq!(siret.siren().as_str(), LA_POSTE_SIREN);
        assert!(
            !luhn_valid("35600000009075"),
            "Luhn alone would refuse it: the special rule matters"
        );
        assert!(Siret::parse("35600000009076").is_err());
    }

    #[test]
    fn a_wrong_check_digit_is_refused_with_the_number_in_the_message() {
        let err = Siret::parse("73282932000079").unwrap_err();
        assert_eq!(
            err,
            "Le numéro SIRET « 73282932000079 » n'est pas valide : sa clé de contrôle ne \
             correspond pas. Vérifiez chaque chiffre."
        );
    }

    #[test]
    fn a_siret_whose_siren_fails_luhn_is_refused() {
        // Luhn-valid on 14 digits, but its first nine are not a SIREN.
        let prefix = "7328293210007";
        let full = luhn_complete(prefix);
        assert!(!luhn_valid(&full[..9]));
        assert!(Siret::parse(&full).is_err());
    }

    #[test]
    fn wrong_lengths_and_letters_are_refused_in_french() {
        assert_eq!(
            Siret::parse("732829320000").unwrap_err(),
            "Le numéro SIRET compte 14 chiffres ; « 732829320000 » en a 12."
        );
        assert!(Siret::parse("7328293200007A")
            .unwrap_err()
            .contains("que des chiffres"));
        assert_eq!(Siret::parse("  ").unwrap_err(), "Le numéro SIRET est vide.");
        assert!(Siren::parse("73282932").unwrap_err().contains("9 chiffres"));
        assert!(Siren::parse("732-829-320").is_err());
    }

    #[test]
    fn siren_checks_luhn_and_siret_gives_its_siren() {
        assert_eq!(Siren::parse("732 829 320").unwrap().as_str(), "732829320");
        assert!(Siren::parse("732829321").is_err());
        let siret = Siret::parse("73282932000074").unwrap();
        assert_eq!(siret.siren(), Siren::parse("732829320").unwrap());
        assert_eq!(siret.nic(), "00074");
    }

    #[test]
    fn display_groups_digits_and_serde_keeps_them_plain() {
        let siret = Siret::parse("73282932000074").unwrap();
        assert_eq!(siret.to_string(), "732 829 320 00074");
        assert_eq!(siret.siren().to_string(), "732 829 320");
        assert_eq!(serde_json::to_string(&siret).unwrap(), "\"73282932000074\"");
        let back: Siret = serde_json::from_str("\"732 829 320 00074\"").unwrap();
        assert_eq!(back, siret);
        assert!(serde_json::from_str::<Siret>("\"73282932000079\"").is_err());
    }

    proptest! {
        #[test]
        fn any_prefix_completed_with_its_luhn_digit_is_a_siren(prefix in "[0-9]{8}") {
            let siren = Siren::parse(&luhn_complete(&prefix)).unwrap();
            let spaced = siren.to_string();
            prop_assert_eq!(spaced.len(), 11);
            prop_assert_eq!(Siren::parse(&spaced).unwrap(), siren);
        }

        #[test]
        fn any_single_changed_digit_of_a_valid_siret_is_refused(
            siren_prefix in "[0-9]{8}",
            nic_prefix in "[0-9]{4}",
            position in 0..14usize,
            shift in 1..10u8,
        ) {
            let siren = luhn_complete(&siren_prefix);
            prop_assume!(siren != LA_POSTE_SIREN);
            let siret = luhn_complete(&format!("{siren}{nic_prefix}"));
            let parsed = Siret::parse(&siret).unwrap();
            prop_assert_eq!(Siret::parse(&parsed.to_string()).unwrap(), parsed.clone());

            let mut digits = siret.into_bytes();
            digits[position] = b'0' + (digits[position] - b'0' + shift) % 10;
            let changed = String::from_utf8(digits).unwrap();
            prop_assume!(!changed.starts_with(LA_POSTE_SIREN));
            prop_assert!(Siret::parse(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn parsers_never_panic(input in any::<String>()) {
            let _ = Siren::parse(&input);
            let _ = Siret::parse(&input);
        }

        #[test]
        fn parsers_never_panic_on_digit_soup(input in "[0-9 .\u{a0}\u{202f}a]{0,20}") {
            if let Ok(siret) = Siret::parse(&input) {
                prop_assert_eq!(siret.as_str().len(), 14);
            }
            if let Ok(siren) = Siren::parse(&input) {
                prop_assert_eq!(siren.as_str().len(), 9);
            }
        }
    }
}
