//! Amounts in euro cents and shares in basis points, read from French writings and shown as
//! `Intl.NumberFormat('fr-FR')` shows them.
//!
//! Both are integers, never floats: `Cents(1_234_550)` is 12 345,50 €, and a 33,5 % share is
//! 3 350 basis points. An amount is never negative and stays below 10^12 €, so it is also
//! exact as a JavaScript number; a share lies between 0 and 100 %.
//!
//! Parsing accepts what people type: `12 345,50 €`, `12345.5`, `1 000 €` (with ordinary,
//! non-breaking or narrow spaces), `1.234,56`. It refuses what it would have to guess:
//! `1.500` (one thousand five hundred, or one and a half?), misplaced groups (`12 34`), and
//! fractions of a cent.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What `Intl.NumberFormat('fr-FR')` puts between groups of three digits.
const GROUP_SEPARATOR: char = '\u{202f}';
/// What it puts before `€` and `%`.
const UNIT_SEPARATOR: char = '\u{a0}';

/// An amount of money in euro cents, ≥ 0.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Cents(i64);

/// A share (of capital, of financing) in basis points: 0 to 10 000 for 0 to 100 %.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Percent(i64);

/// 999 999 999 999,99 €: far above any business plan, and exact in a JavaScript number.
pub const MAX_CENTS: i64 = 99_999_999_999_999;
/// 100 %.
pub const MAX_BASIS_POINTS: i64 = 10_000;

/// Why a text is not a number with at most two decimals.
#[derive(Debug, PartialEq, Eq)]
enum NumberError {
    Empty,
    Negative,
    NotANumber,
    TooManyDecimals,
    /// A single dot followed by three digits: thousands or decimals?
    Ambiguous,
    BadGrouping,
    TooLarge,
}

/// Reads a non-negative decimal number with at most two decimals, in hundredths.
/// `text` has no unit left (no `€`, no `%`).
fn parse_hundredths(text: &str, max: i64) -> Result<i64, NumberError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NumberError::Empty);
    }
    if text.starts_with(['-', '\u{2212}']) {
        return Err(NumberError::Negative);
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || c == ',' || c == '.')
    {
        return Err(NumberError::NotANumber);
    }

    let commas = text.matches(',').count();
    let dots = text.matches('.').count();
    // Which character separates the decimals, if any; the other one (and spaces) group thousands.
    let decimal = match (commas, dots) {
        (0, 0) => None,
        (1, 0) => Some(','),
        (0, 1) => {
            let after = text.rsplit('.').next().unwrap_or_default();
            if after.trim().len() == 3 {
                return Err(NumberError::Ambiguous);
            }
            Some('.')
        }
        (_, 0) | (0, _) => None,
        _ => {
            let last = text.rfind([',', '.']).map(|i| &text[i..i + 1]);
            let separator = if last == Some(",") { ',' } else { '.' };
            if text.matches(separator).count() != 1 {
                return Err(NumberError::NotANumber);
            }
            Some(separator)
        }
    };
    let (integer, fraction) = match decimal {
        Some(separator) => text
            .split_once(separator)
            .map(|(i, f)| (i, Some(f.trim())))
            .unwrap_or((text, None)),
        None => (text, None),
    };

    let groups: Vec<&str> = integer
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|g| !g.is_empty())
        .collect();
    let Some((first, rest)) = groups.split_first() else {
        return Err(NumberError::NotANumber);
    };
    if !rest.is_empty() && (first.len() > 3 || rest.iter().any(|g| g.len() != 3)) {
        return Err(NumberError::BadGrouping);
    }
    let fraction = match fraction {
        None => "",
        Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(NumberError::NotANumber)
        }
        Some(f) if f.len() > 2 => return Err(NumberError::TooManyDecimals),
        Some(f) => f,
    };

    let mut value: i64 = 0;
    for digit in groups.concat().bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(digit - b'0')))
            .filter(|&v| v <= max / 100)
            .ok_or(NumberError::TooLarge)?;
    }
    let hundredths = match fraction.as_bytes() {
        [] => 0,
        [tenths] => i64::from(tenths - b'0') * 10,
        [tenths, units] => i64::from(tenths - b'0') * 10 + i64::from(units - b'0'),
        _ => unreachable!("at most two decimals were kept"),
    };
    let total = value * 100 + hundredths;
    if total > max {
        return Err(NumberError::TooLarge);
    }
    Ok(total)
}

/// Strips one of the units from either end, case-insensitively.
fn strip_unit<'a>(text: &'a str, units: &[&str]) -> &'a str {
    let text = text.trim();
    for unit in units {
        let n = unit.len();
        if text.len() >= n
            && text.is_char_boundary(text.len() - n)
            && text[text.len() - n..].eq_ignore_ascii_case(unit)
        {
            return text[..text.len() - n].trim_end();
        }
        if text.len() >= n && text.is_char_boundary(n) && text[..n].eq_ignore_ascii_case(unit) {
            return text[n..].trim_start();
        }
    }
    text
}

/// `12345` → `12 345` with the narrow no-break space.
pub fn group_thousands(mut n: u64) -> String {
    let mut groups = Vec::new();
    while n >= 1000 {
        groups.push(format!("{:03}", n % 1000));
        n /= 1000;
    }
    groups.push(n.to_string());
    groups.reverse();
    groups.join(&GROUP_SEPARATOR.to_string())
}

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// An amount already in cents, e.g. from the store.
    pub fn from_cents(cents: i64) -> Result<Cents, String> {
        if cents < 0 {
            Err("Le montant ne peut pas être négatif.".into())
        } else if cents > MAX_CENTS {
            Err(too_large_amount())
        } else {
            Ok(Cents(cents))
        }
    }

    /// `12 345,50 €`, `12345.5`, `12 345`, `1 000 €`, `1.234,56 EUR`…
    pub fn parse(input: &str) -> Result<Cents, String> {
        let trimmed = input.trim();
        let number = strip_unit(trimmed, &["euros", "euro", "eur", "€"]);
        parse_hundredths(number, MAX_CENTS)
            .map(Cents)
            .map_err(|error| match error {
                NumberError::Empty => "Le montant est vide.".into(),
                NumberError::Negative => "Le montant ne peut pas être négatif.".into(),
                NumberError::NotANumber => {
                    format!("« {trimmed} » n'est pas un montant (exemple : 12 345,50 €).")
                }
                NumberError::TooManyDecimals => format!(
                    "« {trimmed} » a trop de décimales : un montant s'écrit au centime près \
                     (exemple : 12 345,50 €)."
                ),
                NumberError::Ambiguous => format!(
                    "« {trimmed} » est ambigu : séparez les milliers par une espace (12 345) et \
                     les centimes par une virgule (12 345,50)."
                ),
                NumberError::BadGrouping => format!(
                    "« {trimmed} » est mal écrit : les chiffres se groupent par trois \
                     (exemple : 12 345,50 €)."
                ),
                NumberError::TooLarge => too_large_amount(),
            })
    }

    pub fn cents(self) -> i64 {
        self.0
    }
}

fn too_large_amount() -> String {
    format!("Le montant ne peut pas dépasser {}.", Cents(MAX_CENTS))
}

impl Percent {
    pub fn from_basis_points(basis_points: i64) -> Result<Percent, String> {
        if (0..=MAX_BASIS_POINTS).contains(&basis_points) {
            Ok(Percent(basis_points))
        } else {
            Err(out_of_bounds_share())
        }
    }

    /// `33,5 %`, `33.5`, `100 %`, `0`.
    pub fn parse(input: &str) -> Result<Percent, String> {
        let trimmed = input.trim();
        let number = strip_unit(trimmed, &["%"]);
        parse_hundredths(number, MAX_BASIS_POINTS)
            .map(Percent)
            .map_err(|error| match error {
                NumberError::Empty => "La part est vide.".into(),
                NumberError::Negative | NumberError::TooLarge => out_of_bounds_share(),
                NumberError::TooManyDecimals | NumberError::Ambiguous => {
                    format!("« {trimmed} » a trop de décimales : deux au plus (exemple : 33,33 %).")
                }
                NumberError::NotANumber | NumberError::BadGrouping => {
                    format!("« {trimmed} » n'est pas un pourcentage (exemple : 33,5 %).")
                }
            })
    }

    pub fn basis_points(self) -> i64 {
        self.0
    }
}

fn out_of_bounds_share() -> String {
    "Une part est comprise entre 0 et 100 %.".into()
}

/// Reads an amount typed in a form, in cents: `Cents::parse` for callers that store an `i64`.
pub fn parse_cents(input: &str) -> Result<i64, String> {
    Cents::parse(input).map(Cents::cents)
}

/// Reads a share typed in a form, in basis points: `Percent::parse` for callers that store an
/// `i64`.
pub fn parse_percent_bp(input: &str) -> Result<i64, String> {
    Percent::parse(input).map(Percent::basis_points)
}

/// Any number of cents, as `Intl.NumberFormat('fr-FR')` shows euros: `12 345 €`,
/// `12 345,50 €`, `-1 234,50 €`. Unlike `Cents`, a total or a difference may be negative.
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let magnitude = cents.unsigned_abs();
    let (euros, rest) = (magnitude / 100, magnitude % 100);
    if rest == 0 {
        format!("{sign}{}{UNIT_SEPARATOR}€", group_thousands(euros))
    } else {
        format!(
            "{sign}{},{rest:02}{UNIT_SEPARATOR}€",
            group_thousands(euros)
        )
    }
}

/// `33,5 %` for basis points, including totals above 100 % (for messages about them).
pub fn format_percent_bp(basis_points: i64) -> String {
    Percent(basis_points).to_string()
}

impl fmt::Display for Cents {
    /// `12 345 €` for whole euros, `12 345,50 €` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_cents(self.0))
    }
}

impl fmt::Display for Percent {
    /// `33,5 %`, `33,33 %`, `100 %`, `-9,52 %`: at most two decimals, no trailing zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            f.write_str("-")?;
        }
        let (whole, hundredths) = (self.0.unsigned_abs() / 100, self.0.unsigned_abs() % 100);
        match hundredths {
            0 => write!(f, "{whole}{UNIT_SEPARATOR}%"),
            h if h % 10 == 0 => write!(f, "{whole},{}{UNIT_SEPARATOR}%", h / 10),
            h => write!(f, "{whole},{h:02}{UNIT_SEPARATOR}%"),
        }
    }
}

impl TryFrom<i64> for Cents {
    type Error = String;
    fn try_from(cents: i64) -> Result<Self, Self::Error> {
        Cents::from_cents(cents)
    }
}

impl From<Cents> for i64 {
    fn from(amount: Cents) -> i64 {
        amount.0
    }
}

impl TryFrom<i64> for Percent {
    type Error = String;
    fn try_from(basis_points: i64) -> Result<Self, Self::Error> {
        Percent::from_basis_points(basis_points)
    }
}

impl From<Percent> for i64 {
    fn from(share: Percent) -> i64 {
        share.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cents(input: &str) -> i64 {
        Cents::parse(input)
            .unwrap_or_else(|e| panic!("{input:?}: {e}"))
            .cents()
    }

    #[test]
    fn french_writings_of_amounts_are_read() {
        assert_eq!(cents("12 345,50 €"), 1_234_550);
        assert_eq!(cents("12345.5"), 1_234_550);
        assert_eq!(cents("12 345"), 1_234_500);
        assert_eq!(cents("1 000 €"), 100_000);
        assert_eq!(cents("1\u{a0}000\u{a0}€"), 100_000);
        assert_eq!(cents("1\u{202f}000\u{a0}€"), 100_000);
        assert_eq!(cents("1.234,56"), 123_456);
        assert_eq!(cents("1,234.56"), 123_456);
        assert_eq!(cents("1.000.000"), 100_000_000);
        assert_eq!(cents("5000 EUR"), 500_000);
        assert_eq!(cents("8 000 euros"), 800_000);
        assert_eq!(cents("€ 15"), 1_500);
        assert_eq!(cents("0"), 0);
        assert_eq!(cents("0,05"), 5);
        assert_eq!(cents("  7,1 "), 710);
    }

    #[test]
    fn amounts_display_like_intl_fr() {
        let show = |c: i64| Cents::from_cents(c).unwrap().to_string();
        assert_eq!(show(1_234_500), "12\u{202f}345\u{a0}€");
        assert_eq!(show(1_234_550), "12\u{202f}345,50\u{a0}€");
        assert_eq!(show(5), "0,05\u{a0}€");
        assert_eq!(show(0), "0\u{a0}€");
        assert_eq!(show(100_000_000), "1\u{202f}000\u{202f}000\u{a0}€");
    }

    #[test]
    fn any_total_formats_including_negative_differences() {
        assert_eq!(format_cents(-123_450), "-1\u{202f}234,50\u{a0}€");
        let lowest = format_cents(i64::MIN);
        assert!(lowest.starts_with('-') && lowest.ends_with('€'), "{lowest}");
        assert_eq!(parse_cents("12 345,50 €"), Ok(1_234_550));
        assert_eq!(parse_percent_bp("33,5 %"), Ok(3350));
        // A fall (activity down on the year before) reads as one negative figure.
        assert_eq!(format_percent_bp(-952), "-9,52\u{a0}%");
        assert_eq!(format_percent_bp(-50), "-0,5\u{a0}%");
        assert_eq!(format_percent_bp(-2_000), "-20\u{a0}%");
        assert_eq!(format_percent_bp(i64::MIN).chars().next(), Some('-'));
    }

    #[test]
    fn negative_amounts_are_refused() {
        for input in ["-5", "−5 €", "- 12,50"] {
            assert_eq!(
                Cents::parse(input).unwrap_err(),
                "Le montant ne peut pas être négatif.",
                "{input:?}"
            );
        }
        assert!(Cents::from_cents(-1).is_err());
    }

    #[test]
    fn what_would_need_a_guess_is_refused_with_a_reason() {
        assert!(Cents::parse("1.500").unwrap_err().contains("ambigu"));
        assert!(Cents::parse("12,345").unwrap_err().contains("décimales"));
        assert!(Cents::parse("12 34").unwrap_err().contains("par trois"));
        assert!(Cents::parse("1234 567").unwrap_err().contains("par trois"));
        assert!(Cents::parse("douze")
            .unwrap_err()
            .contains("n'est pas un montant"));
        assert!(Cents::parse("12,")
            .unwrap_err()
            .contains("n'est pas un montant"));
        assert!(Cents::parse(",50")
            .unwrap_err()
            .contains("n'est pas un montant"));
        assert!(Cents::parse("1,2,3").is_err());
        assert!(Cents::parse("1.2,3.4").is_err());
        assert_eq!(Cents::parse(" € ").unwrap_err(), "Le montant est vide.");
    }

    #[test]
    fn huge_amounts_are_refused() {
        assert_eq!(cents("999 999 999 999,99"), MAX_CENTS);
        assert!(Cents::parse("1 000 000 000 000")
            .unwrap_err()
            .contains("dépasser"));
        assert!(Cents::parse("99999999999999999999999").is_err());
    }

    #[test]
    fn serde_carries_cents_as_a_number_and_checks_them() {
        let amount = Cents::parse("12 345,50").unwrap();
        assert_eq!(serde_json::to_string(&amount).unwrap(), "1234550");
        assert_eq!(serde_json::from_str::<Cents>("1234550").unwrap(), amount);
        assert!(serde_json::from_str::<Cents>("-1").is_err());
        assert!(serde_json::from_str::<Percent>("10001").is_err());
        assert_eq!(
            serde_json::from_str::<Percent>("3350")
                .unwrap()
                .basis_points(),
            3350
        );
    }

    #[test]
    fn shares_are_read_in_basis_points_between_0_and_100() {
        let bp = |input: &str| {
            Percent::parse(input)
                .unwrap_or_else(|e| panic!("{input:?}: {e}"))
                .basis_points()
        };
        assert_eq!(bp("33,5 %"), 3350);
        assert_eq!(bp("33.5"), 3350);
        assert_eq!(bp("33,33%"), 3333);
        assert_eq!(bp("100 %"), 10_000);
        assert_eq!(bp("0"), 0);
        for input in ["100,01 %", "150", "-1 %"] {
            assert_eq!(
                Percent::parse(input).unwrap_err(),
                "Une part est comprise entre 0 et 100 %.",
                "{input:?}"
            );
        }
        assert!(Percent::parse("33,333").unwrap_err().contains("décimales"));
        assert!(Percent::parse("un tiers")
            .unwrap_err()
            .contains("pourcentage"));
        assert_eq!(Percent::parse("%").unwrap_err(), "La part est vide.");
    }

    #[test]
    fn shares_display_like_intl_fr() {
        let show = |bp: i64| Percent::from_basis_points(bp).unwrap().to_string();
        assert_eq!(show(3350), "33,5\u{a0}%");
        assert_eq!(show(3333), "33,33\u{a0}%");
        assert_eq!(show(10_000), "100\u{a0}%");
        assert_eq!(show(5), "0,05\u{a0}%");
    }

    proptest! {
        #[test]
        fn amounts_round_trip_through_their_display(c in 0..=MAX_CENTS) {
            let amount = Cents::from_cents(c).unwrap();
            prop_assert_eq!(Cents::parse(&amount.to_string()), Ok(amount));
        }

        #[test]
        fn amounts_written_with_spaces_and_a_comma_are_read(euros in 0..1_000_000_000i64, c in 0..100i64) {
            let text = format!("{},{c:02} €", group_thousands(euros as u64).replace(GROUP_SEPARATOR, " "));
            prop_assert_eq!(Cents::parse(&text).unwrap().cents(), euros * 100 + c);
        }

        #[test]
        fn shares_round_trip_through_their_display(bp in 0..=MAX_BASIS_POINTS) {
            let share = Percent::from_basis_points(bp).unwrap();
            prop_assert_eq!(Percent::parse(&share.to_string()), Ok(share));
        }

        #[test]
        fn parsers_never_panic(input in any::<String>()) {
            let _ = Cents::parse(&input);
            let _ = Percent::parse(&input);
        }

        #[test]
        fn parsers_never_panic_on_number_soup(input in "[-0-9 ,.€%\u{a0}\u{202f}]{0,24}") {
            if let Ok(amount) = Cents::parse(&input) {
                prop_assert!((0..=MAX_CENTS).contains(&amount.cents()));
            }
            if let Ok(share) = Percent::parse(&input) {
                prop_assert!((0..=MAX_BASIS_POINTS).contains(&share.basis_points()));
            }
        }
    }
}
