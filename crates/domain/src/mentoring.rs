//! Mentoring ("parrainage", issue 12): the platform's directory of volunteer mentors, the
//! pairing of a mentor with a financed business, and the meetings of a pairing.
//!
//! Every record is made whole and never edited, so that what two laptops record offline is
//! all kept once synced:
//! - a mentor's card (record `mentor`) names its mentor; editing or deactivating a mentor
//!   records a new card of the same mentor, and the card read is the latest by its
//!   creation's clock stamp, the same on every laptop (the earlier ones stay as history);
//! - a pairing (record `pairing`, of a dossier) names itself the same way, so that ending it
//!   records a new version with its end date while its meetings, which name the pairing,
//!   stay with it;
//! - a meeting (record `mentor_meeting`) typed in error is removed (a tombstone) and typed
//!   again.
//!
//! Mentors belong to the platform, not to a dossier; pairings and meetings to the dossier of
//! the business mentored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::FieldErrors;
use crate::reference;
use crate::text::visible_text;

/// Longest name of a mentor.
pub const MENTOR_NAME_MAX: usize = 80;
/// Longest trade, availability, or meeting note.
pub const MENTOR_TEXT_MAX: usize = 200;
/// Longest note of a meeting.
pub const MEETING_NOTE_MAX: usize = 500;

/// What a mentor's card carries (the record `mentor` on the wire): the mentor it describes
/// (its first card's id) and what the directory shows of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MentorCard {
    pub mentor_id: Uuid,
    pub name: String,
    /// Their trade or experience ("Boulanger retraité", "Expert-comptable").
    pub trade: String,
    /// Where they live: an INSEE code of the reference.
    pub commune_insee: String,
    /// When they can meet ("Le mardi après-midi").
    #[serde(default)]
    pub availability: String,
    /// Whether the platform still calls on them.
    pub active: bool,
}

/// What the mentor form submits (the store gives the card its mentor).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MentorForm {
    pub name: String,
    pub trade: String,
    pub commune_insee: String,
    #[serde(default)]
    pub availability: String,
    pub active: bool,
}

impl MentorForm {
    /// The card of `mentor_id` this form describes, trimmed.
    pub fn card(&self, mentor_id: Uuid) -> MentorCard {
        MentorCard {
            mentor_id,
            name: collapse(&self.name),
            trade: collapse(&self.trade),
            commune_insee: self.commune_insee.trim().to_ascii_uppercase(),
            availability: self.availability.trim().to_owned(),
            active: self.active,
        }
    }
}

impl MentorCard {
    /// Its problems, by field, in French.
    pub fn problems(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        text(
            &mut errors,
            "name",
            &self.name,
            MENTOR_NAME_MAX,
            Some("Indiquez le nom du parrain."),
        );
        if !self.name.trim().is_empty() && !self.name.chars().any(char::is_alphabetic) {
            errors
                .entry("name".into())
                .or_insert_with(|| "Le nom doit contenir au moins une lettre.".into());
        }
        text(
            &mut errors,
            "trade",
            &self.trade,
            MENTOR_TEXT_MAX,
            Some("Indiquez le métier ou l'expérience du parrain."),
        );
        text(
            &mut errors,
            "availability",
            &self.availability,
            MENTOR_TEXT_MAX,
            None,
        );
        if self.commune_insee.trim().is_empty() {
            errors.insert(
                "commune_insee".into(),
                "Choisissez la commune dans la liste.".into(),
            );
        } else if reference::commune(&self.commune_insee).is_none() {
            errors.insert(
                "commune_insee".into(),
                "Commune inconnue : choisissez-la dans la liste.".into(),
            );
        }
        errors
    }
}

/// A mentor of the directory, as their latest card describes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Mentor {
    pub id: Uuid,
    pub name: String,
    pub trade: String,
    pub commune_insee: String,
    /// The commune's name.
    pub commune: String,
    pub availability: String,
    pub active: bool,
}

/// What a pairing's version carries (the record `pairing` on the wire; its dossier is the
/// change's): the pairing it is a version of (its first version's id), its mentor, when it
/// started and when it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PairingDraft {
    pub pairing_id: Uuid,
    pub mentor_id: Uuid,
    pub start_on: NaiveDate,
    #[serde(default)]
    pub end_on: Option<NaiveDate>,
}

impl PairingDraft {
    /// Its problems, by field, in French.
    pub fn problems(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        if let Some(end) = self.end_on.filter(|end| *end < self.start_on) {
            errors.insert(
                "end_on".into(),
                format!(
                    "La fin du parrainage ({}) précède son début ({}).",
                    crate::dates::format_date(end),
                    crate::dates::format_date(self.start_on)
                ),
            );
        }
        errors
    }
}

/// What the pairing form of a dossier submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PairingForm {
    pub mentor_id: Uuid,
    pub start_on: NaiveDate,
}

/// What ending a pairing submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PairingEnd {
    pub pairing_id: Uuid,
    pub end_on: NaiveDate,
}

/// A mentor paired with the business of a dossier, with their meetings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Pairing {
    /// The pairing (its first version's id), which its meetings name.
    pub id: Uuid,
    pub mentor_id: Uuid,
    /// The mentor's name as their latest card gives it.
    pub mentor_name: String,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    /// Its meetings, the earliest first.
    pub meetings: Vec<Meeting>,
}

impl Pairing {
    /// Whether it runs on `day`: started, and not ended before.
    pub fn runs_on(&self, day: NaiveDate) -> bool {
        self.start_on <= day && self.end_on.is_none_or(|end| day <= end)
    }
}

/// What a meeting carries (the record `mentor_meeting` on the wire; its dossier is the
/// change's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MeetingDraft {
    pub pairing_id: Uuid,
    pub met_on: NaiveDate,
    #[serde(default)]
    pub note: String,
}

impl MeetingDraft {
    /// Its problems, by field, in French.
    pub fn problems(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        text(&mut errors, "note", &self.note, MEETING_NOTE_MAX, None);
        errors
    }
}

/// A meeting of a mentor with the holders they mentor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Meeting {
    pub id: Uuid,
    pub met_on: NaiveDate,
    pub note: String,
}

/// Checks a typed text: visible, at most `max` characters, and present when `required`
/// gives the message to show without it.
pub(crate) fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: usize,
    required: Option<&str>,
) {
    if let Err(message) = visible_text(value) {
        errors.insert(field.into(), message);
    } else if let (Some(message), true) = (required, value.trim().is_empty()) {
        errors.insert(field.into(), message.into());
    } else if value.trim().chars().count() > max {
        errors.insert(
            field.into(),
            format!("Ce texte ne doit pas dépasser {max} caractères."),
        );
    }
}

fn collapse(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn form() -> MentorForm {
        MentorForm {
            name: "  Jeanne   Leroy ".into(),
            trade: "Boulangère retraitée".into(),
            commune_insee: "62447".into(),
            availability: "Le mardi après-midi".into(),
            active: true,
        }
    }

    #[test]
    fn a_mentor_card_is_trimmed_and_complete() {
        let id = Uuid::now_v7();
        let card = form().card(id);
        assert_eq!(card.name, "Jeanne Leroy");
        assert_eq!(card.mentor_id, id);
        assert!(card.problems().is_empty(), "{:?}", card.problems());
    }

    #[test]
    fn a_mentor_card_names_each_problem_at_its_field() {
        let card = MentorForm {
            name: " ".into(),
            trade: String::new(),
            commune_insee: "99999".into(),
            availability: "Le \u{202e}lundi".into(),
            active: true,
        }
        .card(Uuid::now_v7());
        let problems = card.problems();
        assert_eq!(problems["name"], "Indiquez le nom du parrain.");
        assert_eq!(
            problems["trade"],
            "Indiquez le métier ou l'expérience du parrain."
        );
        assert_eq!(
            problems["commune_insee"],
            "Commune inconnue : choisissez-la dans la liste."
        );
        assert!(problems["availability"].contains("caractère invisible"));
        let mut digits = form().card(Uuid::now_v7());
        digits.name = "1234".into();
        assert_eq!(
            digits.problems()["name"],
            "Le nom doit contenir au moins une lettre."
        );
        let mut long = form().card(Uuid::now_v7());
        long.trade = "x".repeat(MENTOR_TEXT_MAX + 1);
        assert_eq!(
            long.problems()["trade"],
            format!("Ce texte ne doit pas dépasser {MENTOR_TEXT_MAX} caractères.")
        );
        let mut hidden = form().card(Uuid::now_v7());
        hidden.name = "Jeanne\u{0}".into();
        assert!(hidden.problems()["name"].contains("caractère invisible"));
    }

    #[test]
    fn a_pairing_ends_on_or_after_its_start() {
        let id = Uuid::now_v7();
        let mut pairing = PairingDraft {
            pairing_id: id,
            mentor_id: Uuid::now_v7(),
            start_on: day(2026, 3, 1),
            end_on: Some(day(2026, 3, 1)),
        };
        assert!(pairing.problems().is_empty());
        pairing.end_on = Some(day(2026, 2, 28));
        assert_eq!(
            pairing.problems()["end_on"],
            "La fin du parrainage (28/02/2026) précède son début (01/03/2026)."
        );
        let read = Pairing {
            id,
            mentor_id: pairing.mentor_id,
            mentor_name: "Jeanne Leroy".into(),
            start_on: day(2026, 3, 1),
            end_on: Some(day(2026, 9, 1)),
            meetings: Vec::new(),
        };
        assert!(read.runs_on(day(2026, 9, 1)));
        assert!(!read.runs_on(day(2026, 9, 2)));
        assert!(!read.runs_on(day(2026, 2, 28)));
    }

    #[test]
    fn a_meeting_note_is_short_visible_text() {
        let mut meeting = MeetingDraft {
            pairing_id: Uuid::now_v7(),
            met_on: day(2026, 4, 2),
            note: "Point sur la trésorerie.".into(),
        };
        assert!(meeting.problems().is_empty());
        meeting.note = "x".repeat(MEETING_NOTE_MAX + 1);
        assert_eq!(
            meeting.problems()["note"],
            format!("Ce texte ne doit pas dépasser {MEETING_NOTE_MAX} caractères.")
        );
        meeting.note = "Bilan\u{202e} positif".into();
        assert!(meeting.problems()["note"].contains("caractère invisible"));
        // A card's unknown field is refused whole, as the rule book reads it.
        let extra = serde_json::json!({
            "pairing_id": Uuid::nil(), "met_on": "2026-04-02", "note": "", "dossier_id": Uuid::nil()
        });
        assert!(serde_json::from_value::<MeetingDraft>(extra).is_err());
    }
}
