//! Follow-up checkpoints of a financed business (issue 12): 12, 24 and 36 months after its
//! start of activity, the advisor records where it stands (in activity, ceased, sold or
//! liquidated, and since when), its headcount and its turnover.
//!
//! Records are made whole and never edited: a checkpoint typed in error is removed (a
//! tombstone that sync carries) and typed again. Which checkpoints are due is worked out
//! from the start of activity, the checkpoints recorded and the month asked about, never
//! stored:
//! - a checkpoint falls due on the same day of the month as the start, 12, 24 or 36 months
//!   later (the month's last day when it has no such day); it is due in that calendar month,
//!   and overdue in every later month until it is recorded;
//! - follow-up ends with the first checkpoint that finds the business no longer in activity
//!   (ceased, sold or liquidated): the later ones are not due.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::codes::{BusinessState, DossierStatus};
use crate::dates::format_date;
use crate::error::FieldErrors;
use crate::money::{format_cents, group_thousands};
use crate::text::visible_text;

/// The months after the start of activity at which a checkpoint is made.
pub const CHECKPOINT_MONTHS: [i64; 3] = [12, 24, 36];

/// The statuses of a dossier whose loan was paid out (a dossier with a disbursed loan is
/// financed whatever its status).
pub const FINANCED: &[DossierStatus] = &[
    DossierStatus::Decaisse,
    DossierStatus::EnRemboursement,
    DossierStatus::Solde,
];

/// The largest headcount a checkpoint records (as the business section's job counts).
pub const HEADCOUNT_MAX: i64 = 10_000;

/// The largest yearly turnover a checkpoint records: far above any business the network
/// finances, low enough to catch a figure typed in cents or with extra zeros.
pub const TURNOVER_MAX_CENTS: i64 = 100_000_000_00;

/// Longest note of a checkpoint.
pub const CHECKPOINT_NOTE_MAX: usize = 2_000;

/// One follow-up checkpoint, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Checkpoint {
    pub id: Uuid,
    /// 12, 24 or 36: the months after the start of activity it stands for.
    pub month: i64,
    /// The day the advisor took stock with the holder.
    pub held_on: NaiveDate,
    pub state: BusinessState,
    /// Since when the business is in that state (required unless it is in activity).
    pub state_since: Option<NaiveDate>,
    /// People working in the business, the holders included.
    pub headcount: i64,
    /// The last known yearly turnover, when the holder gave it.
    pub turnover_cents: Option<i64>,
    pub note: String,
}

/// What a checkpoint's creation carries (the record `checkpoint` on the wire; its dossier
/// is the change's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CheckpointDraft {
    pub month: i64,
    pub held_on: NaiveDate,
    pub state: BusinessState,
    #[serde(default)]
    pub state_since: Option<NaiveDate>,
    pub headcount: i64,
    #[serde(default)]
    pub turnover_cents: Option<i64>,
    #[serde(default)]
    pub note: String,
}

impl CheckpointDraft {
    /// Its problems, by field, in French, text a person cannot see included.
    pub fn problems(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        if !CHECKPOINT_MONTHS.contains(&self.month) {
            errors.insert(
                "month".into(),
                "Le point de suivi se fait à 12, 24 ou 36 mois.".into(),
            );
        }
        match (self.state, self.state_since) {
            (BusinessState::Active, _) => {}
            (state, None) => {
                errors.insert(
                    "state_since".into(),
                    format!(
                        "Indiquez la date de la {}.",
                        match state {
                            BusinessState::Sold => "cession",
                            BusinessState::Liquidated => "liquidation",
                            _ => "cessation",
                        }
                    ),
                );
            }
            (_, Some(_)) => {}
        }
        if let Some(since) = self.state_since {
            if since > self.held_on {
                errors.insert(
                    "state_since".into(),
                    format!(
                        "La date ne peut pas suivre celle du point de suivi ({}).",
                        format_date(self.held_on)
                    ),
                );
            }
        }
        if !(0..=HEADCOUNT_MAX).contains(&self.headcount) {
            errors.insert(
                "headcount".into(),
                format!(
                    "L'effectif est compris entre 0 et {}.",
                    group_thousands(HEADCOUNT_MAX.unsigned_abs())
                ),
            );
        }
        if let Some(turnover) = self.turnover_cents {
            if !(0..=TURNOVER_MAX_CENTS).contains(&turnover) {
                errors.insert(
                    "turnover_cents".into(),
                    format!(
                        "Le chiffre d'affaires est positif, au plus {}.",
                        format_cents(TURNOVER_MAX_CENTS)
                    ),
                );
            }
        }
        if self.note.chars().count() > CHECKPOINT_NOTE_MAX {
            errors.insert(
                "note".into(),
                format!("Au plus {CHECKPOINT_NOTE_MAX} caractères."),
            );
        }
        if let Err(message) = visible_text(&self.note) {
            errors.insert("note".into(), message);
        }
        errors
    }
}

/// A checkpoint not recorded yet, due in the month asked about or overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Due {
    /// 12, 24 or 36.
    pub month: i64,
    pub due_on: NaiveDate,
    /// Due in an earlier month and still not recorded.
    pub overdue: bool,
}

/// A checkpoint to make, with the dossier it is for (the advisor's list of the month).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckpointDue {
    pub dossier_id: Uuid,
    pub number: String,
    /// "Prénom NOM" of the main holder.
    pub holder_name: String,
    /// 12, 24 or 36.
    pub month: i64,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

/// The day the checkpoint of `month` falls due for a business started on `start`.
pub fn due_on(start: NaiveDate, month: i64) -> NaiveDate {
    u32::try_from(month)
        .ok()
        .and_then(|m| start.checked_add_months(Months::new(m)))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether a dossier is financed: its status says its loan was paid out, or one of its loans
/// has a disbursement.
pub fn financed(status: DossierStatus, disbursed: bool) -> bool {
    disbursed || FINANCED.contains(&status)
}

/// The checkpoints of a business started on `start` that are due in the calendar month of
/// `month` (any day of it) or overdue then, given those `recorded`, earliest first.
pub fn due(start: NaiveDate, recorded: &[Checkpoint], month: NaiveDate) -> Vec<Due> {
    let first = month.with_day(1).unwrap_or(month);
    let next = first
        .checked_add_months(Months::new(1))
        .unwrap_or(NaiveDate::MAX);
    // Follow-up ends with the first checkpoint that finds the business gone.
    let ended = recorded
        .iter()
        .filter(|c| c.state != BusinessState::Active)
        .map(|c| c.month)
        .min();
    CHECKPOINT_MONTHS
        .iter()
        .filter(|m| !recorded.iter().any(|c| c.month == **m))
        .filter(|m| ended.is_none_or(|e| **m < e))
        .map(|&m| (m, due_on(start, m)))
        .filter(|(_, on)| *on < next)
        .map(|(m, on)| Due {
            month: m,
            due_on: on,
            overdue: on < first,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn recorded(month: i64, state: BusinessState) -> Checkpoint {
        Checkpoint {
            id: Uuid::now_v7(),
            month,
            held_on: day(2026, 1, 1),
            state,
            state_since: None,
            headcount: 2,
            turnover_cents: None,
            note: String::new(),
        }
    }

    fn draft() -> CheckpointDraft {
        CheckpointDraft {
            month: 12,
            held_on: day(2026, 3, 10),
            state: BusinessState::Active,
            state_since: None,
            headcount: 3,
            turnover_cents: Some(85_000_00),
            note: "Bon démarrage, un apprenti embauché.".into(),
        }
    }

    #[test]
    fn a_checkpoint_is_due_in_its_month_then_overdue_until_recorded() {
        let start = day(2025, 3, 14);
        assert_eq!(due(start, &[], day(2026, 2, 28)), []);
        let in_march = Due {
            month: 12,
            due_on: day(2026, 3, 14),
            overdue: false,
        };
        // Any day of the month asks about the whole month.
        assert_eq!(due(start, &[], day(2026, 3, 1)), [in_march]);
        assert_eq!(due(start, &[], day(2026, 3, 31)), [in_march]);
        assert_eq!(
            due(start, &[], day(2026, 4, 2)),
            [Due {
                overdue: true,
                ..in_march
            }]
        );
        let done = [recorded(12, BusinessState::Active)];
        assert_eq!(due(start, &done, day(2026, 4, 2)), []);
        // Two years on, the 24-month one is due and the 12-month one, never made, overdue.
        assert_eq!(
            due(start, &[], day(2027, 3, 5)),
            [
                Due {
                    month: 12,
                    due_on: day(2026, 3, 14),
                    overdue: true
                },
                Due {
                    month: 24,
                    due_on: day(2027, 3, 14),
                    overdue: false
                }
            ]
        );
        let months: Vec<i64> = due(start, &done, day(2030, 1, 1))
            .iter()
            .map(|d| d.month)
            .collect();
        assert_eq!(months, [24, 36]);
    }

    #[test]
    fn a_start_at_the_end_of_a_month_falls_due_on_the_last_day_of_a_shorter_one() {
        // 29 February 2024: 12 months later is 28 February 2025, 24 months 28 February 2026.
        let start = day(2024, 2, 29);
        assert_eq!(due_on(start, 12), day(2025, 2, 28));
        assert_eq!(due_on(start, 36), day(2027, 2, 28));
        assert_eq!(due(start, &[], day(2025, 2, 1))[0].due_on, day(2025, 2, 28));
        assert_eq!(due_on(start, -12), NaiveDate::MAX);
    }

    #[test]
    fn follow_up_ends_with_the_first_checkpoint_that_finds_the_business_gone() {
        let start = day(2023, 6, 1);
        let later = day(2026, 12, 1);
        let liquidated = [recorded(12, BusinessState::Liquidated)];
        assert_eq!(due(start, &liquidated, later), []);
        // Sold at 24 months: nothing due at 36; the 12-month one, never made, still is.
        let sold = [recorded(24, BusinessState::Sold)];
        let months: Vec<i64> = due(start, &sold, later).iter().map(|d| d.month).collect();
        assert_eq!(months, [12]);
        let active = [
            recorded(12, BusinessState::Active),
            recorded(24, BusinessState::Active),
        ];
        assert_eq!(due(start, &active, later)[0].month, 36);
    }

    #[test]
    fn a_dossier_is_financed_by_its_status_or_a_disbursement() {
        assert!(financed(DossierStatus::Decaisse, false));
        assert!(financed(DossierStatus::Solde, false));
        assert!(!financed(DossierStatus::Accorde, false));
        assert!(financed(DossierStatus::Accorde, true));
    }

    #[test]
    fn drafts_are_checked_by_field_in_french() {
        assert!(draft().problems().is_empty());
        let bad = CheckpointDraft {
            month: 18,
            headcount: -1,
            turnover_cents: Some(-5),
            note: "x".repeat(CHECKPOINT_NOTE_MAX + 1),
            ..draft()
        };
        let problems = bad.problems();
        assert_eq!(
            problems["month"],
            "Le point de suivi se fait à 12, 24 ou 36 mois."
        );
        assert_eq!(
            problems["headcount"],
            "L'effectif est compris entre 0 et 10\u{202f}000."
        );
        assert!(problems["turnover_cents"].starts_with("Le chiffre d'affaires est positif"));
        assert_eq!(problems["note"], "Au plus 2000 caractères.");

        // A business no longer in activity says since when, not after the checkpoint.
        let ceased = CheckpointDraft {
            state: BusinessState::Liquidated,
            headcount: 0,
            ..draft()
        };
        assert_eq!(
            ceased.problems()["state_since"],
            "Indiquez la date de la liquidation."
        );
        let ceased = CheckpointDraft {
            state_since: Some(day(2026, 3, 11)),
            ..ceased
        };
        assert_eq!(
            ceased.problems()["state_since"],
            "La date ne peut pas suivre celle du point de suivi (10/03/2026)."
        );
        let ceased = CheckpointDraft {
            state_since: Some(day(2026, 1, 31)),
            ..ceased
        };
        assert!(ceased.problems().is_empty());
    }

    #[test]
    fn a_draft_with_an_unknown_field_does_not_read() {
        let mut value = serde_json::to_value(draft()).unwrap();
        assert!(serde_json::from_value::<CheckpointDraft>(value.clone()).is_ok());
        value["dossier_id"] = serde_json::json!(Uuid::nil());
        assert!(serde_json::from_value::<CheckpointDraft>(value).is_err());
    }
}
