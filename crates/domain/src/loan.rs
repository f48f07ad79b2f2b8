//! The honour loan after the committee's "accord": its repayment schedule. A loan is lent at
//! 0 %, over `months` months counted from its disbursement, the first `deferral_months` of
//! them without repayment; the rest are equal monthly instalments in whole cents, the last
//! one taking the rounding so that the schedule adds up to the amount lent, to the cent.
//! The same arithmetic as the forecast's yearly repayments (`financing`), so the plan and the
//! schedule agree.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldErrors;
use crate::money::format_cents;
use crate::settings::LoanRules;

/// Shortest and longest honour loans, in months (domain brief F), whatever the platform.
pub const MONTHS_MIN: i64 = 24;
pub const MONTHS_MAX: i64 = 84;

/// What a schedule is made from: the amount lent, on which day, for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoanTerms {
    pub amount_cents: i64,
    /// The day the money was paid out; instalments fall on the same day of later months (the
    /// month's last day when it has no such day).
    pub disbursed_on: NaiveDate,
    /// The whole duration, deferral included.
    pub months: i64,
    /// The first months without repayment.
    pub deferral_months: i64,
}

/// One monthly instalment of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Instalment {
    /// 1 for the first instalment.
    pub number: i64,
    pub due_on: NaiveDate,
    pub amount_cents: i64,
    /// What remains to be repaid once this instalment is paid.
    pub remaining_cents: i64,
}

impl LoanTerms {
    /// The terms' problems against the loan rules of the platform, by field, in French.
    pub fn problems(&self, rules: &LoanRules) -> FieldErrors {
        let mut errors = FieldErrors::new();
        if self.amount_cents <= 0 {
            errors.insert(
                "amount_cents".into(),
                "Le montant du prêt doit être positif.".into(),
            );
        } else if self.amount_cents < rules.min_cents || self.amount_cents > rules.max_cents {
            errors.insert(
                "amount_cents".into(),
                format!(
                    "Le montant du prêt doit être compris entre {} et {} (règles de la plateforme).",
                    format_cents(rules.min_cents),
                    format_cents(rules.max_cents)
                ),
            );
        }
        let longest = rules.max_months.clamp(MONTHS_MIN, MONTHS_MAX);
        if self.months < MONTHS_MIN || self.months > longest {
            errors.insert(
                "months".into(),
                format!("La durée doit être comprise entre {MONTHS_MIN} et {longest} mois."),
            );
        }
        let deferral_max = rules.max_deferral_months.max(0);
        if self.deferral_months < 0 || self.deferral_months > deferral_max {
            errors.insert(
                "deferral_months".into(),
                format!("Le différé doit être compris entre 0 et {deferral_max} mois."),
            );
        } else if self.deferral_months >= self.months {
            errors.insert(
                "deferral_months".into(),
                "Le différé doit laisser au moins une échéance.".into(),
            );
        }
        errors
    }

    /// The monthly schedule: `months - deferral_months` instalments, the first one month
    /// after the deferral. Terms outside the platform's rules give their French reasons.
    pub fn schedule(&self, rules: &LoanRules) -> Result<Vec<Instalment>, FieldErrors> {
        let problems = self.problems(rules);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(instalments(
            self.amount_cents,
            self.disbursed_on,
            self.months,
            self.deferral_months,
        ))
    }
}

/// The instalments of `amount_cents` lent on `from` over `months` months, the first
/// `deferral_months` without repayment, whatever the rules say (a loan agreed under older
/// rules, or what remains of one rescheduled, is still followed). At least one instalment.
pub fn instalments(
    amount_cents: i64,
    from: NaiveDate,
    months: i64,
    deferral_months: i64,
) -> Vec<Instalment> {
    let deferral = deferral_months.clamp(0, MONTHS_MAX * 2);
    let paying = (months.min(MONTHS_MAX * 2) - deferral).max(1);
    let amount = amount_cents.max(0);
    let monthly = amount / paying;
    let mut remaining = amount;
    let mut instalments = Vec::with_capacity(paying as usize);
    for number in 1..=paying {
        let due = if number == paying { remaining } else { monthly };
        remaining -= due;
        instalments.push(Instalment {
            number,
            due_on: month_after(from, deferral + number),
            amount_cents: due,
            remaining_cents: remaining,
        });
    }
    instalments
}

/// The day `months` months after `day`, on the month's last day when it has no such day
/// (a loan paid out on 31 January falls due on 28 or 29 February).
pub fn month_after(day: NaiveDate, months: i64) -> NaiveDate {
    let months = u32::try_from(months).unwrap_or(0);
    day.checked_add_months(Months::new(months))
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::financing::honour_repayment_in_year;
    use proptest::prelude::*;

    fn rules() -> LoanRules {
        LoanRules {
            min_cents: 1_000_00,
            max_cents: 10_000_00,
            max_months: 84,
            max_deferral_months: 6,
            min_bank_leverage: 0.0,
            grace_days: 15,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn eight_thousand_euros_over_sixty_months_with_six_deferred_the_last_takes_the_rounding() {
        let terms = LoanTerms {
            amount_cents: 8_000_00,
            disbursed_on: day(2026, 1, 31),
            months: 60,
            deferral_months: 6,
        };
        let schedule = terms.schedule(&rules()).unwrap();
        assert_eq!(schedule.len(), 54);
        // 8 000 € / 54 = 148,148… €: 53 instalments of 148,14 € and a last one of 148,58 €.
        assert!(schedule[..53].iter().all(|i| i.amount_cents == 148_14));
        assert_eq!(schedule[53].amount_cents, 8_000_00 - 53 * 148_14);
        assert_eq!(schedule[53].amount_cents, 148_58);
        assert_eq!(schedule[53].remaining_cents, 0);
        assert_eq!(schedule[0].remaining_cents, 8_000_00 - 148_14);
        // Seven months after 31 January: 31 August; the 7th instalment falls on 28 February,
        // the 8th on 31 March again.
        assert_eq!(schedule[0].due_on, day(2026, 8, 31));
        assert_eq!(schedule[6].due_on, day(2027, 2, 28));
        assert_eq!(schedule[7].due_on, day(2027, 3, 31));
        assert_eq!(schedule[53].due_on, day(2031, 1, 31));
        assert_eq!(
            schedule.iter().map(|i| i.number).collect::<Vec<_>>(),
            (1..=54).collect::<Vec<_>>()
        );
    }

    #[test]
    fn terms_outside_the_platforms_rules_are_refused_by_field_in_french() {
        let terms = LoanTerms {
            amount_cents: 12_000_00,
            disbursed_on: day(2026, 3, 2),
            months: 90,
            deferral_months: 9,
        };
        let errors = terms.schedule(&rules()).unwrap_err();
        assert_eq!(
            errors["amount_cents"],
            "Le montant du prêt doit être compris entre 1\u{202f}000\u{a0}€ et 10\u{202f}000\u{a0}€ (règles de la plateforme)."
        );
        assert_eq!(
            errors["months"],
            "La durée doit être comprise entre 24 et 84 mois."
        );
        assert_eq!(
            errors["deferral_months"],
            "Le différé doit être compris entre 0 et 6 mois."
        );
        let short = LoanTerms {
            amount_cents: 5_000_00,
            months: 12,
            deferral_months: 0,
            ..terms
        };
        assert_eq!(short.problems(&rules()).len(), 1);
        let strict = LoanRules {
            max_months: 48,
            ..rules()
        };
        let long = LoanTerms {
            months: 60,
            ..short
        };
        assert_eq!(
            long.problems(&strict)["months"],
            "La durée doit être comprise entre 24 et 48 mois."
        );
    }

    proptest! {
        /// Any schedule adds up to the amount to the cent, in equal instalments but the last,
        /// which is at least as large and less than one instalment more, month after month;
        /// and each year's instalments are what the forecast counts for that year.
        #[test]
        fn a_schedule_adds_up_and_agrees_with_the_forecast(
            amount in 1_000_00i64..=10_000_00,
            months in 24i64..=84,
            deferral in 0i64..=6,
            start in 0u32..3650,
        ) {
            let disbursed_on = day(2020, 1, 1) + chrono::Days::new(u64::from(start));
            let terms = LoanTerms { amount_cents: amount, disbursed_on, months, deferral_months: deferral };
            let schedule = terms.schedule(&rules()).unwrap();
            prop_assert_eq!(schedule.len() as i64, months - deferral);
            prop_assert_eq!(schedule.iter().map(|i| i.amount_cents).sum::<i64>(), amount);
            let regular = schedule[0].amount_cents;
            let last = schedule.last().unwrap();
            prop_assert!(schedule[..schedule.len() - 1].iter().all(|i| i.amount_cents == regular));
            prop_assert!(last.amount_cents >= regular && last.amount_cents - regular < schedule.len() as i64);
            prop_assert_eq!(last.remaining_cents, 0);
            for pair in schedule.windows(2) {
                prop_assert!(pair[0].due_on < pair[1].due_on);
                prop_assert_eq!(pair[0].remaining_cents - pair[1].amount_cents, pair[1].remaining_cents);
            }
            for year in 1..=7 {
                let months_in = (12 * (year - 1) + 1)..=(12 * year);
                let in_year: i64 = schedule
                    .iter()
                    .filter(|i| months_in.contains(&(deferral + i.number)))
                    .map(|i| i.amount_cents)
                    .sum();
                prop_assert_eq!(in_year, honour_repayment_in_year(amount, Some(months), Some(deferral), year));
            }
        }
    }
}
