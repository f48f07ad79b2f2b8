//! Dates as people type them (`26/11/2026`) or as the UI's date inputs send them
//! (`2026-11-26`), and the rule a holder's birth date must follow.
//!
//! `today` is always a parameter, never read from the clock here, so the rules are testable
//! and the caller decides which day it is (the laptop's, in the platform's time zone).

use chrono::{Datelike, NaiveDate};

/// The youngest a holder may be: an adult.
pub const ADULT_AGE: i32 = 18;
/// Beyond this the birth date is most likely mistyped.
pub const MAX_AGE: i32 = 99;

/// Years outside this range are typing mistakes (`0026`, `2962`).
const MIN_YEAR: u32 = 1900;
const MAX_YEAR: u32 = 2199;

/// Accepts `26/11/2026`, `26.11.2026`, `26-11-2026`, `1/2/1990` and ISO `2026-11-26`.
pub fn parse_date(input: &str) -> Result<NaiveDate, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("La date est vide.".into());
    }
    let not_a_date = || format!("« {trimmed} » n'est pas une date (exemple : 26/11/2026).");
    let parts: Vec<&str> = trimmed.split(['/', '.', '-']).map(str::trim).collect();
    let [a, b, c] = parts[..] else {
        return Err(not_a_date());
    };
    let number = |text: &str, max_len: usize| -> Option<u32> {
        if text.is_empty() || text.len() > max_len || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a, 4), number(b, 2), number(c, 2))
    } else if c.len() == 4 {
        (number(c, 4), number(b, 2), number(a, 2))
    } else {
        return Err(format!(
            "« {trimmed} » n'est pas une date : écrivez l'année en entier (exemple : 26/11/2026)."
        ));
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(not_a_date());
    };
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(format!(
            "« {trimmed} » : l'année {year} n'est pas plausible (de {MIN_YEAR} à {MAX_YEAR})."
        ));
    }
    // The year was checked above, so it fits an i32.
    NaiveDate::from_ymd_opt(year as i32, month, day)
        .ok_or_else(|| format!("Le {day:02}/{month:02}/{year} n'existe pas dans le calendrier."))
}

/// A date a form requires: `missing` when nothing is typed, otherwise as `parse_date`.
pub fn required_date(input: &str, missing: &str) -> Result<NaiveDate, String> {
    if input.trim().is_empty() {
        Err(missing.to_owned())
    } else {
        parse_date(input)
    }
}

/// `26/11/2026`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// `décembre 2026`: a month as French prose writes it.
pub fn format_month(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    format!("{} {}", MONTHS[date.month0() as usize], date.year())
}

/// Full years between `birth` and `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let had_birthday = (on.month(), on.day()) >= (birth.month(), birth.day());
    on.year() - birth.year() - i32::from(!had_birthday)
}

/// The birth date of a holder: an adult of at most 99 years on `today`.
pub fn adult_birth_date(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    if date > today {
        return Err("La date de naissance est dans le futur.".into());
    }
    let age = age_on(date, today);
    if age < ADULT_AGE {
        let plural = if age > 1 { "s" } else { "" };
        return Err(format!(
            "Un porteur de projet doit être majeur : cette date de naissance donne {age} an{plural}."
        ));
    }
    if age > MAX_AGE {
        return Err(format!(
            "Cette date de naissance donne {age} ans : vérifiez l'année."
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn french_and_iso_writings_are_read() {
        for input in [
            "26/11/2026",
            "2026-11-26",
            " 26.11.2026 ",
            "26-11-2026",
            "26 / 11 / 2026",
        ] {
            assert_eq!(parse_date(input), Ok(ymd(2026, 11, 26)), "{input:?}");
        }
        assert_eq!(parse_date("1/2/1990"), Ok(ymd(1990, 2, 1)));
    }

    #[test]
    fn a_required_date_left_empty_gets_the_callers_message() {
        let missing = "Indiquez la date.";
        assert_eq!(required_date("  ", missing).unwrap_err(), missing);
        assert_eq!(required_date("26/11/2026", missing), Ok(ymd(2026, 11, 26)));
        assert_eq!(
            required_date("31/02/2026", missing).unwrap_err(),
            "Le 31/02/2026 n'existe pas dans le calendrier.",
            "a typed date is read as parse_date reads it"
        );
    }

    #[test]
    fn impossible_or_unreadable_dates_are_refused_in_french() {
        assert_eq!(
            parse_date("31/02/2026").unwrap_err(),
            "Le 31/02/2026 n'existe pas dans le calendrier."
        );
        assert!(parse_date("26/11/26")
            .unwrap_err()
            .contains("année en entier"));
        for input in [
            "demain",
            "26/11",
            "2026-11-26T10:00",
            "26/11/2026/1",
            "aa/bb/cccc",
        ] {
            let err = parse_date(input).expect_err(input);
            assert!(err.contains("date"), "{input:?}: {err}");
        }
        assert_eq!(parse_date("").unwrap_err(), "La date est vide.");
        assert!(parse_date("01/01/0026")
            .unwrap_err()
            .contains("pas plausible"));
        assert_eq!(
            parse_date("2026-02-30").unwrap_err(),
            "Le 30/02/2026 n'existe pas dans le calendrier."
        );
    }

    #[test]
    fn a_holder_is_an_adult_from_the_eighteenth_birthday() {
        let today = ymd(2026, 11, 26);
        assert_eq!(
            adult_birth_date(ymd(2008, 11, 26), today),
            Ok(ymd(2008, 11, 26))
        );
        assert_eq!(
            adult_birth_date(ymd(2008, 11, 27), today).unwrap_err(),
            "Un porteur de projet doit être majeur : cette date de naissance donne 17 ans."
        );
    }

    #[test]
    fn ninety_nine_is_the_oldest_accepted() {
        let today = ymd(2026, 11, 26);
        assert!(
            adult_birth_date(ymd(1926, 11, 27), today).is_ok(),
            "99 years old"
        );
        assert!(adult_birth_date(ymd(1926, 11, 26), today)
            .unwrap_err()
            .contains("100 ans"));
    }

    #[test]
    fn a_birth_date_in_the_future_is_refused() {
        let today = ymd(2026, 11, 26);
        assert_eq!(
            adult_birth_date(ymd(2026, 11, 27), today).unwrap_err(),
            "La date de naissance est dans le futur."
        );
    }

    #[test]
    fn a_leap_day_birthday_comes_on_the_first_of_march_in_other_years() {
        assert_eq!(age_on(ymd(2008, 2, 29), ymd(2026, 2, 28)), 17);
        assert_eq!(age_on(ymd(2008, 2, 29), ymd(2026, 3, 1)), 18);
        assert_eq!(age_on(ymd(2008, 2, 29), ymd(2028, 2, 29)), 20);
    }

    proptest! {
        #[test]
        fn french_and_iso_writings_give_the_same_date(days in 0..80_000i64) {
            let date = ymd(1900, 1, 1) + chrono::Duration::days(days);
            prop_assert_eq!(parse_date(&date.format("%d/%m/%Y").to_string()), Ok(date));
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Ok(date));
        }

        #[test]
        fn ages_between_18_and_99_are_accepted(birth_days in 0..40_000i64, today_days in 0..40_000i64) {
            let birth = ymd(1920, 1, 1) + chrono::Duration::days(birth_days);
            let today = ymd(1990, 1, 1) + chrono::Duration::days(today_days);
            let age = age_on(birth, today);
            let accepted = adult_birth_date(birth, today).is_ok();
            prop_assert_eq!(accepted, birth <= today && (ADULT_AGE..=MAX_AGE).contains(&age));
        }

        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = parse_date(&input);
        }

        #[test]
        fn parse_never_panics_on_date_soup(input in "[0-9/.\\- ]{0,14}") {
            let _ = parse_date(&input);
        }
    }
}
