//! An honour loan after the committee's "accord": the agreement signed by one holder, the
//! dated movements recorded since (disbursements, repayments, reschedulings, a write-off),
//! and where the loan stands on a given day, worked out from them.
//!
//! Records are never edited, only added (a movement typed in error is removed and typed
//! again): two laptops recording repayments of the same loan offline both keep theirs, and
//! the loan's state is the same wherever it is computed from the same records. Nothing here
//! is stored: the status, the schedule, what is late and what remains follow from the
//! records and the day, so they move by themselves (décaissé → en remboursement → soldé).
//!
//! Choices where practice varies, said once here:
//! - The schedule runs from the first disbursement, on everything disbursed (a second tranche
//!   raises the instalments from then on, as the bank's statement would show it).
//! - A rescheduling spreads what remains at its date (disbursed less repaid) over its new
//!   duration, its first instalment one month after its date and its deferral; the earlier
//!   schedule is kept, and its instalments left unpaid at that date are no longer late.
//! - Repayments pay instalments in order, earliest first; paying more than is due pays the
//!   next instalments early (the loan ends sooner). An instalment is late ("impayé") when it
//!   is not paid in full `grace_days` days after its due date.
//! - A write-off ends the loan: what remained is lost, nothing is late any more.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::codes::{LoanStatus, MovementKind};
use crate::error::FieldErrors;
use crate::loan::{instalments, Instalment, LoanTerms, MONTHS_MAX, MONTHS_MIN};
use crate::money::format_cents;
use crate::settings::LoanRules;
use crate::text::visible_text;

/// The most one movement may carry: ten times the largest honour loan any platform grants.
pub const MOVEMENT_MAX_CENTS: i64 = 1_000_000_00;

/// Longest loan reference.
pub const REFERENCE_MAX: usize = 40;

/// Longest write-off reason or repayment label.
pub const MOVEMENT_NOTE_MAX: usize = 500;

/// One holder's honour loan, as signed, with its movements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Loan {
    pub id: Uuid,
    pub holder_id: Uuid,
    pub amount_cents: i64,
    /// The whole duration, deferral included.
    pub months: i64,
    pub deferral_months: i64,
    pub signed_on: NaiveDate,
    /// The platform's reference for it, as the holder writes it on a transfer
    /// ("PH-2026-0042"); bank statements are matched by it.
    pub reference: String,
    /// In date order, then in the order they were recorded.
    pub movements: Vec<LoanMovement>,
}

/// What a loan's creation carries (the record `loan` on the wire).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct LoanAgreement {
    pub holder_id: Uuid,
    pub amount_cents: i64,
    pub months: i64,
    pub deferral_months: i64,
    pub signed_on: NaiveDate,
    pub reference: String,
}

/// One dated movement of a loan (the record `loan_movement` on the wire, with its loan's id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoanMovement {
    pub id: Uuid,
    pub kind: MovementKind,
    pub on: NaiveDate,
    /// What was disbursed or repaid; 0 for a rescheduling or a write-off.
    pub amount_cents: i64,
    /// A rescheduling's new duration from its date, deferral included.
    pub months: Option<i64>,
    pub deferral_months: Option<i64>,
    /// A write-off's reason; a repayment's label on the bank statement.
    pub note: String,
}

/// What a movement's creation carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MovementDraft {
    pub loan_id: Uuid,
    pub kind: MovementKind,
    pub on: NaiveDate,
    #[serde(default)]
    pub amount_cents: i64,
    #[serde(default)]
    pub months: Option<i64>,
    #[serde(default)]
    pub deferral_months: Option<i64>,
    #[serde(default)]
    pub note: String,
}

impl LoanAgreement {
    /// Its problems against the platform's loan rules, by field, in French.
    pub fn problems(&self, rules: &LoanRules) -> FieldErrors {
        let mut errors = LoanTerms {
            amount_cents: self.amount_cents,
            disbursed_on: self.signed_on,
            months: self.months,
            deferral_months: self.deferral_months,
        }
        .problems(rules);
        let reference = self.reference.trim();
        if reference.is_empty() {
            errors.insert(
                "reference".into(),
                "Indiquez la référence du prêt (elle sert à reconnaître les virements).".into(),
            );
        } else if let Err(message) = visible_text(reference) {
            errors.insert("reference".into(), message);
        } else if reference.chars().count() > REFERENCE_MAX
            || reference.contains(['\n', '\r', '\t'])
        {
            errors.insert(
                "reference".into(),
                format!("La référence tient en {REFERENCE_MAX} caractères, sans saut de ligne."),
            );
        }
        errors
    }
}

impl MovementDraft {
    /// Its problems, by field, in French: money movements carry a positive amount, a
    /// rescheduling a duration, a write-off its reason.
    pub fn problems(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        let money = matches!(
            self.kind,
            MovementKind::Disbursement | MovementKind::Repayment
        );
        if money && !(1..=MOVEMENT_MAX_CENTS).contains(&self.amount_cents) {
            errors.insert(
                "amount_cents".into(),
                format!(
                    "Indiquez un montant positif, au plus {}.",
                    format_cents(MOVEMENT_MAX_CENTS)
                ),
            );
        }
        if !money && self.amount_cents != 0 {
            errors.insert(
                "amount_cents".into(),
                "Un rééchelonnement ou un passage en perte ne porte pas de montant.".into(),
            );
        }
        match self.kind {
            MovementKind::Rescheduling => {
                let months = self.months.unwrap_or(0);
                let deferral = self.deferral_months.unwrap_or(0);
                if !(1..=MONTHS_MAX).contains(&months) {
                    errors.insert(
                        "months".into(),
                        format!("La nouvelle durée est comprise entre 1 et {MONTHS_MAX} mois."),
                    );
                } else if deferral < 0 || deferral >= months {
                    errors.insert(
                        "deferral_months".into(),
                        "Le différé doit être positif et laisser au moins une échéance.".into(),
                    );
                }
            }
            _ if self.months.is_some() || self.deferral_months.is_some() => {
                errors.insert(
                    "months".into(),
                    "Seul un rééchelonnement porte une durée.".into(),
                );
            }
            _ => {}
        }
        if self.kind == MovementKind::WriteOff && self.note.trim().is_empty() {
            errors.insert(
                "note".into(),
                "Indiquez la raison du passage en perte.".into(),
            );
        }
        if self.note.chars().count() > MOVEMENT_NOTE_MAX {
            errors.insert(
                "note".into(),
                format!("Au plus {MOVEMENT_NOTE_MAX} caractères."),
            );
        }
        if let Err(message) = visible_text(&self.note) {
            errors.insert("note".into(), message);
        }
        errors
    }
}

/// The widest rules any platform may set: what the rule book checks a loan against on both
/// sides (a platform's own bounds apply when the loan is recorded; a loan agreed under older
/// rules still syncs).
pub fn widest_rules() -> LoanRules {
    LoanRules {
        min_cents: 1,
        max_cents: MOVEMENT_MAX_CENTS,
        max_months: MONTHS_MAX,
        max_deferral_months: MONTHS_MAX - 1,
        min_bank_leverage: 0.0,
        grace_days: crate::settings::default_grace_days(),
    }
}

/// Shortest duration a rescheduling may give (what remains may be little).
pub const RESCHEDULE_MONTHS_MIN: i64 = 1;

/// Whether `months` is a duration an agreement may have (the domain brief's bounds).
pub fn agreed_duration(months: i64) -> bool {
    (MONTHS_MIN..=MONTHS_MAX).contains(&months)
}

/// One instalment of a schedule with what has been paid of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InstalmentState {
    pub instalment: Instalment,
    pub paid_cents: i64,
    /// Due, past its grace, and not paid in full.
    pub late: bool,
}

/// A schedule and the day it started (the first disbursement, or a rescheduling).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScheduleState {
    pub from: NaiveDate,
    pub instalments: Vec<InstalmentState>,
}

/// Where a loan stands on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoanState {
    pub status: LoanStatus,
    pub disbursed_cents: i64,
    pub repaid_cents: i64,
    /// Disbursed less repaid; 0 once written off.
    pub outstanding_cents: i64,
    /// What remained when the loan was written off.
    pub written_off_cents: i64,
    /// What is late: due more than the grace period ago and not paid.
    pub overdue_cents: i64,
    /// The schedule in force; earlier ones follow in `earlier`, most recent first.
    pub schedule: Option<ScheduleState>,
    pub earlier: Vec<ScheduleState>,
}

impl Loan {
    /// Where the loan stands on `today`, an instalment being late `grace_days` days after
    /// its due date. Movements dated after `today` are not counted yet.
    pub fn state(&self, today: NaiveDate, grace_days: i64) -> LoanState {
        let mut moves: Vec<&LoanMovement> =
            self.movements.iter().filter(|m| m.on <= today).collect();
        // Stable: movements of one day keep the order they were recorded in.
        moves.sort_by_key(|m| m.on);
        let sum = |kind: MovementKind, until: Option<NaiveDate>| -> i64 {
            moves
                .iter()
                .filter(|m| m.kind == kind && until.is_none_or(|u| m.on <= u))
                .map(|m| m.amount_cents)
                .sum()
        };
        let disbursed = sum(MovementKind::Disbursement, None);
        let repaid = sum(MovementKind::Repayment, None);
        let written_off_on = moves
            .iter()
            .find(|m| m.kind == MovementKind::WriteOff)
            .map(|m| m.on);
        let first_disbursement = moves
            .iter()
            .find(|m| m.kind == MovementKind::Disbursement)
            .map(|m| m.on);

        // The schedules: from the first disbursement, then from each rescheduling.
        let mut schedules: Vec<(NaiveDate, Vec<Instalment>)> = Vec::new();
        if let Some(from) = first_disbursement {
            schedules.push((
                from,
                instalments(disbursed, from, self.months, self.deferral_months),
            ));
            for m in moves
                .iter()
                .filter(|m| m.kind == MovementKind::Rescheduling)
            {
                if m.on < from {
                    continue;
                }
                let remaining = (sum(MovementKind::Disbursement, Some(m.on))
                    - sum(MovementKind::Repayment, Some(m.on)))
                .max(0);
                schedules.push((
                    m.on,
                    instalments(
                        remaining,
                        m.on,
                        m.months.unwrap_or(RESCHEDULE_MONTHS_MIN),
                        m.deferral_months.unwrap_or(0),
                    ),
                ));
            }
        }

        // Repayments pay each schedule's instalments in order, within the schedule's time.
        let count = schedules.len();
        let mut states: Vec<ScheduleState> = Vec::with_capacity(count);
        let mut overdue = 0;
        for (index, (from, plan)) in schedules.iter().enumerate() {
            let until = schedules.get(index + 1).map(|(next, _)| *next);
            let in_force = index + 1 == count;
            let mut pot: i64 = moves
                .iter()
                .filter(|m| {
                    m.kind == MovementKind::Repayment
                        && (index == 0 || m.on > *from)
                        && until.is_none_or(|u| m.on <= u)
                })
                .map(|m| m.amount_cents)
                .sum();
            let mut rows = Vec::with_capacity(plan.len());
            for instalment in plan {
                let paid = pot.min(instalment.amount_cents);
                pot -= paid;
                let late = in_force
                    && written_off_on.is_none()
                    && paid < instalment.amount_cents
                    && instalment.due_on + Duration::days(grace_days.max(0)) < today;
                if late {
                    overdue += instalment.amount_cents - paid;
                }
                rows.push(InstalmentState {
                    instalment: *instalment,
                    paid_cents: paid,
                    late,
                });
            }
            states.push(ScheduleState {
                from: *from,
                instalments: rows,
            });
        }
        let schedule = states.pop();
        states.reverse();

        let remaining = (disbursed - repaid).max(0);
        let (outstanding, written_off) = match written_off_on {
            Some(_) => (0, remaining),
            None => (remaining, 0),
        };
        let started = schedule.as_ref().is_some_and(|s| {
            s.instalments
                .first()
                .is_some_and(|i| i.instalment.due_on <= today)
        });
        let status = if written_off_on.is_some() {
            LoanStatus::WrittenOff
        } else if disbursed == 0 {
            LoanStatus::Signed
        } else if repaid >= disbursed {
            LoanStatus::Repaid
        } else if overdue > 0 {
            LoanStatus::Late
        } else if started || repaid > 0 {
            LoanStatus::Repaying
        } else {
            LoanStatus::Disbursed
        };
        LoanState {
            status,
            disbursed_cents: disbursed,
            repaid_cents: repaid,
            outstanding_cents: outstanding,
            written_off_cents: written_off,
            overdue_cents: overdue,
            schedule,
            earlier: states,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn loan(amount: i64, months: i64, deferral: i64) -> Loan {
        Loan {
            id: Uuid::from_u128(1),
            holder_id: Uuid::from_u128(2),
            amount_cents: amount,
            months,
            deferral_months: deferral,
            signed_on: day(2026, 1, 5),
            reference: "PH-2026-0001".into(),
            movements: Vec::new(),
        }
    }

    fn movement(kind: MovementKind, on: NaiveDate, amount: i64) -> LoanMovement {
        LoanMovement {
            id: Uuid::now_v7(),
            kind,
            on,
            amount_cents: amount,
            months: None,
            deferral_months: None,
            note: String::new(),
        }
    }

    fn paid(l: &mut Loan, months: &[u32], each: i64) {
        for &m in months {
            l.movements
                .push(movement(MovementKind::Repayment, day(2026, m, 10), each));
        }
    }

    #[test]
    fn a_loan_moves_from_signed_to_disbursed_to_repaying_to_late_to_repaid_by_itself() {
        // 2 400 € over 24 months, no deferral, paid out on 10 January 2026.
        let mut l = loan(2_400_00, 24, 0);
        assert_eq!(l.state(day(2026, 1, 9), 15).status, LoanStatus::Signed);
        l.movements.push(movement(
            MovementKind::Disbursement,
            day(2026, 1, 10),
            2_400_00,
        ));
        let s = l.state(day(2026, 1, 20), 15);
        assert_eq!(s.status, LoanStatus::Disbursed);
        assert_eq!(s.outstanding_cents, 2_400_00);
        let plan = s.schedule.unwrap();
        assert_eq!(plan.instalments.len(), 24);
        assert_eq!(plan.instalments[0].instalment.due_on, day(2026, 2, 10));
        assert!(plan
            .instalments
            .iter()
            .all(|i| i.instalment.amount_cents == 100_00));

        // Due on 10 February, paid on the 10th: repaying.
        paid(&mut l, &[2], 100_00);
        assert_eq!(l.state(day(2026, 3, 1), 15).status, LoanStatus::Repaying);
        // The March instalment not paid: due, then late once the 15 days of grace are past.
        assert_eq!(l.state(day(2026, 3, 25), 15).status, LoanStatus::Repaying);
        let late = l.state(day(2026, 3, 26), 15);
        assert_eq!(late.status, LoanStatus::Late);
        assert_eq!(late.overdue_cents, 100_00);
        assert!(late.schedule.as_ref().unwrap().instalments[1].late);
        // Paid late, with April's: no longer late.
        l.movements
            .push(movement(MovementKind::Repayment, day(2026, 4, 10), 200_00));
        let s = l.state(day(2026, 4, 30), 15);
        assert_eq!((s.status, s.overdue_cents), (LoanStatus::Repaying, 0));
        assert_eq!(s.repaid_cents, 300_00);
        assert_eq!(s.outstanding_cents, 2_100_00);
        // An early repayment of the rest: soldé, though instalments were still to come.
        l.movements
            .push(movement(MovementKind::Repayment, day(2026, 5, 2), 2_100_00));
        let s = l.state(day(2026, 5, 3), 15);
        assert_eq!((s.status, s.outstanding_cents), (LoanStatus::Repaid, 0));
        assert!(s
            .schedule
            .unwrap()
            .instalments
            .iter()
            .all(|i| i.paid_cents == i.instalment.amount_cents));
        // A movement dated later than the day asked about is not counted yet.
        assert_eq!(l.state(day(2026, 4, 30), 15).repaid_cents, 300_00);
    }

    #[test]
    fn a_rescheduling_spreads_what_remains_and_keeps_the_old_schedule() {
        let mut l = loan(6_000_00, 60, 0);
        l.movements.push(movement(
            MovementKind::Disbursement,
            day(2026, 1, 10),
            6_000_00,
        ));
        paid(&mut l, &[2, 3], 100_00);
        // April to June unpaid: late.
        assert_eq!(l.state(day(2026, 7, 1), 15).overdue_cents, 300_00);
        let mut r = movement(MovementKind::Rescheduling, day(2026, 7, 1), 0);
        r.months = Some(40);
        r.deferral_months = Some(2);
        l.movements.push(r);
        let s = l.state(day(2026, 7, 2), 15);
        assert_eq!(s.status, LoanStatus::Repaying);
        assert_eq!(s.overdue_cents, 0);
        assert_eq!(s.earlier.len(), 1);
        assert_eq!(s.earlier[0].from, day(2026, 1, 10));
        assert_eq!(s.earlier[0].instalments[1].paid_cents, 100_00);
        let now = s.schedule.unwrap();
        assert_eq!(now.from, day(2026, 7, 1));
        assert_eq!(now.instalments.len(), 38);
        assert_eq!(now.instalments[0].instalment.due_on, day(2026, 10, 1));
        let total: i64 = now
            .instalments
            .iter()
            .map(|i| i.instalment.amount_cents)
            .sum();
        assert_eq!(total, 5_800_00);
    }

    #[test]
    fn a_write_off_ends_the_loan_with_what_remained() {
        let mut l = loan(3_000_00, 24, 0);
        l.movements.push(movement(
            MovementKind::Disbursement,
            day(2026, 1, 10),
            3_000_00,
        ));
        paid(&mut l, &[2], 125_00);
        let mut w = movement(MovementKind::WriteOff, day(2026, 9, 1), 0);
        w.note = "Liquidation judiciaire".into();
        l.movements.push(w);
        let s = l.state(day(2026, 12, 1), 15);
        assert_eq!(s.status, LoanStatus::WrittenOff);
        assert_eq!(
            (s.outstanding_cents, s.written_off_cents, s.overdue_cents),
            (0, 2_875_00, 0)
        );
    }

    #[test]
    fn two_tranches_raise_the_instalments_from_the_first_disbursement() {
        let mut l = loan(8_000_00, 24, 0);
        l.movements.push(movement(
            MovementKind::Disbursement,
            day(2026, 1, 10),
            4_000_00,
        ));
        l.movements.push(movement(
            MovementKind::Disbursement,
            day(2026, 1, 25),
            4_000_00,
        ));
        let s = l.state(day(2026, 1, 31), 15);
        assert_eq!(s.disbursed_cents, 8_000_00);
        let plan = s.schedule.unwrap();
        assert_eq!(plan.from, day(2026, 1, 10));
        assert_eq!(plan.instalments[0].instalment.amount_cents, 333_33);
    }

    #[test]
    fn drafts_are_checked_by_field_in_french() {
        let draft = |kind, amount, note: &str| MovementDraft {
            loan_id: Uuid::from_u128(1),
            kind,
            on: day(2026, 3, 1),
            amount_cents: amount,
            months: None,
            deferral_months: None,
            note: note.into(),
        };
        assert!(draft(MovementKind::Repayment, 150_00, "")
            .problems()
            .is_empty());
        assert_eq!(
            draft(MovementKind::Repayment, 0, "").problems()["amount_cents"],
            "Indiquez un montant positif, au plus 1\u{202f}000\u{202f}000\u{a0}€."
        );
        assert_eq!(
            draft(MovementKind::WriteOff, 0, " ").problems()["note"],
            "Indiquez la raison du passage en perte."
        );
        let mut r = draft(MovementKind::Rescheduling, 0, "");
        assert!(r.problems().contains_key("months"));
        r.months = Some(24);
        r.deferral_months = Some(24);
        assert!(r.problems().contains_key("deferral_months"));
        r.deferral_months = Some(3);
        assert!(r.problems().is_empty());
        // Text a person cannot see is refused in a note and a reference, as everywhere.
        let hidden = draft(MovementKind::Repayment, 150_00, "Virement\u{202e}EDNOM");
        assert!(hidden.problems()["note"].contains("caractère invisible"));
        assert!(draft(MovementKind::Repayment, 150_00, "a\0b")
            .problems()
            .contains_key("note"));
        let agreement = LoanAgreement {
            holder_id: Uuid::from_u128(2),
            amount_cents: 8_000_00,
            months: 60,
            deferral_months: 6,
            signed_on: day(2026, 2, 1),
            reference: "  ".into(),
        };
        let rules = crate::settings::PlatformSettings::default().loan_rules;
        assert_eq!(
            agreement.problems(&rules)["reference"],
            "Indiquez la référence du prêt (elle sert à reconnaître les virements)."
        );
        let hidden = LoanAgreement {
            reference: "PH-\u{202e}2026".into(),
            ..agreement.clone()
        };
        assert!(hidden.problems(&rules)["reference"].contains("caractère invisible"));
        let broken = LoanAgreement {
            reference: "PH-2026\n0042".into(),
            ..agreement
        };
        assert!(broken.problems(&rules)["reference"].contains("sans saut de ligne"));
    }

    proptest! {
        /// Whatever is paid and when, the loan's figures hold together: repaid plus
        /// outstanding plus written off is what was disbursed (when not overpaid), what is late
        /// is never more than what remains, and every schedule adds up to what it spreads.
        #[test]
        fn the_figures_always_hold_together(
            amount in 1_000_00i64..10_000_00,
            months in 24i64..=84,
            deferral in 0i64..12,
            payments in proptest::collection::vec((0i64..900, 0i64..2_000_00), 0..30),
            reschedule in proptest::option::of((0i64..900, 6i64..60)),
            seen in 0i64..1_200,
        ) {
            let start = day(2026, 1, 10);
            let mut l = loan(amount, months, deferral.min(months - 1));
            l.movements.push(movement(MovementKind::Disbursement, start, amount));
            for (offset, cents) in &payments {
                l.movements.push(movement(
                    MovementKind::Repayment,
                    start + Duration::days(*offset),
                    (*cents).max(1),
                ));
            }
            if let Some((offset, months)) = reschedule {
                let mut r = movement(MovementKind::Rescheduling, start + Duration::days(offset), 0);
                r.months = Some(months);
                l.movements.push(r);
            }
            let today = start + Duration::days(seen);
            let s = l.state(today, 15);
            if s.repaid_cents <= s.disbursed_cents {
                prop_assert_eq!(
                    s.repaid_cents + s.outstanding_cents + s.written_off_cents,
                    s.disbursed_cents
                );
            }
            prop_assert!(s.overdue_cents <= s.outstanding_cents);
            prop_assert_eq!(s.status == LoanStatus::Late, s.overdue_cents > 0);
            for plan in s.schedule.iter().chain(s.earlier.iter()) {
                for i in &plan.instalments {
                    prop_assert!(i.paid_cents >= 0 && i.paid_cents <= i.instalment.amount_cents);
                }
            }
        }
    }
}
