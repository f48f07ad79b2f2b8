//! Workshops ("ateliers", issue 12): a themed session the platform holds for its holders on
//! a date, at a place, for so many people; the holders registered, and those present.
//!
//! Records are made whole and never edited, so that what two laptops record offline is all
//! kept once synced:
//! - a workshop (record `workshop`) belongs to the platform;
//! - a registration (record `workshop_registration`) belongs to the dossier of the holder
//!   registered, and says whether they came: marking a holder present removes their
//!   registration and records it again, present. Should two laptops both do so offline, a
//!   holder's registrations to one workshop read as one, the latest by its creation's clock
//!   stamp (the same on every laptop).
//!
//! The capacity is checked when a laptop registers someone; two laptops registering the last
//! seat offline both keep theirs, and the workshop's screen shows it over capacity.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::FieldErrors;
use crate::mentoring::{text, MENTOR_TEXT_MAX};

/// The most seats a workshop offers.
pub const CAPACITY_MAX: i64 = 500;

/// What a workshop carries (the record `workshop` on the wire).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WorkshopDraft {
    pub held_on: NaiveDate,
    /// What it is about ("Tenir sa comptabilité", "Trouver ses premiers clients").
    pub theme: String,
    pub place: String,
    /// How many people it takes.
    pub capacity: i64,
}

impl WorkshopDraft {
    /// Its problems, by field, in French.
    pub fn problems(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        text(
            &mut errors,
            "theme",
            &self.theme,
            MENTOR_TEXT_MAX,
            Some("Indiquez le thème de l'atelier."),
        );
        text(
            &mut errors,
            "place",
            &self.place,
            MENTOR_TEXT_MAX,
            Some("Indiquez le lieu de l'atelier."),
        );
        if !(1..=CAPACITY_MAX).contains(&self.capacity) {
            errors.insert(
                "capacity".into(),
                format!("La capacité est comprise entre 1 et {CAPACITY_MAX} places."),
            );
        }
        errors
    }

    /// Trimmed as stored.
    pub fn trimmed(&self) -> WorkshopDraft {
        let collapse = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        WorkshopDraft {
            held_on: self.held_on,
            theme: collapse(&self.theme),
            place: collapse(&self.place),
            capacity: self.capacity,
        }
    }
}

/// A workshop with how many are registered and present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Workshop {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub theme: String,
    pub place: String,
    pub capacity: i64,
    /// Holders registered (one each, however many registrations sync brought).
    pub registered: i64,
    /// Of them, those marked present.
    pub present: i64,
}

impl Workshop {
    /// Seats left (none, never below, when over capacity).
    pub fn seats_left(&self) -> i64 {
        (self.capacity - self.registered).max(0)
    }
}

/// What a registration carries (the record `workshop_registration` on the wire; its dossier
/// is the change's, and the holder one of that dossier's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RegistrationDraft {
    pub workshop_id: Uuid,
    pub holder_id: Uuid,
    pub present: bool,
}

impl RegistrationDraft {
    /// Its problems (none: what it names is the store's and the head office's to check).
    pub fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

/// A holder of a dossier registered to a workshop (what a dossier shows, and what the
/// workshop's attendance is counted from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Attendance {
    /// The registration record (the latest, when sync brought more than one).
    pub registration_id: Uuid,
    pub workshop_id: Uuid,
    pub held_on: NaiveDate,
    pub theme: String,
    pub holder_id: Uuid,
    /// "Prénom NOM" of the holder.
    pub holder_name: String,
    pub present: bool,
}

/// One person on a workshop's list, with their dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Registrant {
    pub dossier_id: Uuid,
    pub number: String,
    #[serde(flatten)]
    pub attendance: Attendance,
}

/// The message when a workshop is full.
pub fn full_message(capacity: i64) -> String {
    format!(
        "L'atelier est complet ({capacity} place{}) : inscription impossible.",
        if capacity > 1 { "s" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> WorkshopDraft {
        WorkshopDraft {
            held_on: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
            theme: " Tenir sa  comptabilité ".into(),
            place: "Maison de l'entreprise, Saint-Pol".into(),
            capacity: 12,
        }
    }

    #[test]
    fn a_workshop_has_a_theme_a_place_and_seats() {
        assert!(draft().problems().is_empty());
        assert_eq!(draft().trimmed().theme, "Tenir sa comptabilité");
        let bad = WorkshopDraft {
            theme: String::new(),
            place: "Salle\u{0}".into(),
            capacity: 0,
            ..draft()
        };
        let problems = bad.problems();
        assert_eq!(problems["theme"], "Indiquez le thème de l'atelier.");
        assert!(problems["place"].contains("caractère invisible"));
        assert_eq!(
            problems["capacity"],
            "La capacité est comprise entre 1 et 500 places."
        );
        let huge = WorkshopDraft {
            capacity: CAPACITY_MAX + 1,
            ..draft()
        };
        assert!(huge.problems().contains_key("capacity"));
    }

    #[test]
    fn seats_left_never_go_below_zero_and_full_says_so() {
        let workshop = Workshop {
            id: Uuid::now_v7(),
            held_on: draft().held_on,
            theme: "Comptabilité".into(),
            place: "Fruges".into(),
            capacity: 2,
            registered: 3,
            present: 0,
        };
        assert_eq!(workshop.seats_left(), 0);
        assert_eq!(
            full_message(2),
            "L'atelier est complet (2 places) : inscription impossible."
        );
        assert_eq!(
            full_message(1),
            "L'atelier est complet (1 place) : inscription impossible."
        );
    }
}
