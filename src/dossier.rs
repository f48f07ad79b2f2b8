//! Dossiers and their holders: the types that cross IPC, and the drafts the forms submit.
//!
//! A `DossierDraft` is what a person typed; `DossierDraft::parse` turns it into a
//! `ValidDossier` or into French messages per field. Only a `ValidDossier` reaches the store,
//! so invalid input never reaches the database.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, FieldErrors};
use crate::phone::Phone;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProjectType {
    Creation,
    Reprise,
    Croissance,
}

/// The dossier's pipeline. Allowed moves between them come with the capture issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    PremierContact,
    Instruction,
    PretPourComite,
    PasseEnComite,
    Accorde,
    Ajourne,
    Refuse,
    Decaisse,
    EnRemboursement,
    Solde,
    Abandonne,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Civility {
    Madame,
    Monsieur,
}

macro_rules! text_enum {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];

            /// The value stored in SQLite and sent over IPC.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }

            pub fn from_str_opt(text: &str) -> Option<$ty> {
                match text { $($text => Some(<$ty>::$variant),)+ _ => None }
            }
        }
    };
}

text_enum!(ProjectType { Creation => "creation", Reprise => "reprise", Croissance => "croissance" });
text_enum!(Civility { Madame => "madame", Monsieur => "monsieur" });
text_enum!(DossierStatus {
    PremierContact => "premier_contact",
    Instruction => "instruction",
    PretPourComite => "pret_pour_comite",
    PasseEnComite => "passe_en_comite",
    Accorde => "accorde",
    Ajourne => "ajourne",
    Refuse => "refuse",
    Decaisse => "decaisse",
    EnRemboursement => "en_remboursement",
    Solde => "solde",
    Abandonne => "abandonne",
});

/// A person carrying the project. A dossier has one or more; the first is the main holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Holder {
    pub id: Uuid,
    pub civility: Civility,
    pub last_name: String,
    pub first_name: String,
    /// E.164, e.g. `+33321045678`.
    pub phone: Option<String>,
    pub commune: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Dossier {
    pub id: Uuid,
    /// Provisional (`PROV-…`) until the head office assigns the definitive number.
    pub number: String,
    pub project_type: ProjectType,
    pub status: DossierStatus,
    /// The project in a few words, as the holder tells it.
    pub idea: String,
    pub holders: Vec<Holder>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One line of the dossier list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DossierSummary {
    pub id: Uuid,
    pub number: String,
    pub project_type: ProjectType,
    pub status: DossierStatus,
    pub idea: String,
    /// "Prénom NOM" of the main holder.
    pub holder_name: String,
    pub commune: String,
    pub updated_at: DateTime<Utc>,
}

/// What the "Nouveau dossier" form submits: raw text, validated by `parse`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DossierDraft {
    pub project_type: Option<ProjectType>,
    #[serde(default)]
    pub idea: String,
    pub holders: Vec<HolderDraft>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HolderDraft {
    pub civility: Option<Civility>,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub first_name: String,
    /// Optional; any usual French writing.
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub commune: String,
}

/// A draft that passed validation: the only input the store accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDossier {
    pub project_type: ProjectType,
    pub idea: String,
    pub holders: Vec<ValidHolder>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHolder {
    pub civility: Civility,
    pub last_name: String,
    pub first_name: String,
    pub phone: Option<Phone>,
    pub commune: String,
}

const NAME_MAX: usize = 80;
const IDEA_MAX: usize = 2000;

/// Trims, collapses inner whitespace, and checks a required short text.
fn required_text(input: &str, max: usize, empty: &str, label: &str) -> Result<String, String> {
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(empty.to_owned());
    }
    if text.chars().count() > max {
        return Err(format!("{label} ne doit pas dépasser {max} caractères."));
    }
    if !text.chars().any(char::is_alphabetic) {
        return Err(format!("{label} doit contenir au moins une lettre."));
    }
    Ok(text)
}

impl DossierDraft {
    pub fn parse(&self) -> Result<ValidDossier, Error> {
        let mut errors = FieldErrors::new();
        let project_type = self.project_type;
        if project_type.is_none() {
            errors.insert(
                "project_type".into(),
                "Choisissez le type de projet.".into(),
            );
        }
        let idea = self.idea.trim().to_owned();
        if idea.chars().count() > IDEA_MAX {
            errors.insert(
                "idea".into(),
                format!("L'idée ne doit pas dépasser {IDEA_MAX} caractères."),
            );
        }
        if self.holders.is_empty() {
            errors.insert(
                "holders".into(),
                "Un dossier a au moins un porteur de projet.".into(),
            );
        }
        let mut holders = Vec::with_capacity(self.holders.len());
        for (i, holder) in self.holders.iter().enumerate() {
            match holder.parse() {
                Ok(valid) => holders.push(valid),
                Err(fields) => errors.extend(
                    fields
                        .into_iter()
                        .map(|(field, message)| (format!("holders.{i}.{field}"), message)),
                ),
            }
        }
        match project_type {
            Some(project_type) if errors.is_empty() => Ok(ValidDossier {
                project_type,
                idea,
                holders,
            }),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

impl HolderDraft {
    fn parse(&self) -> Result<ValidHolder, FieldErrors> {
        let mut errors = FieldErrors::new();
        let civility = self.civility;
        if civility.is_none() {
            errors.insert("civility".into(), "Choisissez la civilité.".into());
        }
        let last_name = required_text(
            &self.last_name,
            NAME_MAX,
            "Le nom est obligatoire.",
            "Le nom",
        )
        .map_err(|m| errors.insert("last_name".into(), m))
        .ok();
        let first_name = required_text(
            &self.first_name,
            NAME_MAX,
            "Le prénom est obligatoire.",
            "Le prénom",
        )
        .map_err(|m| errors.insert("first_name".into(), m))
        .ok();
        let phone = if self.phone.trim().is_empty() {
            Some(None)
        } else {
            Phone::parse(&self.phone)
                .map(Some)
                .map_err(|m| errors.insert("phone".into(), m))
                .ok()
        };
        let commune = required_text(
            &self.commune,
            NAME_MAX,
            "La commune est obligatoire.",
            "La commune",
        )
        .map_err(|m| errors.insert("commune".into(), m))
        .ok();
        match (civility, last_name, first_name, phone, commune) {
            (Some(civility), Some(last_name), Some(first_name), Some(phone), Some(commune)) => {
                Ok(ValidHolder {
                    civility,
                    last_name,
                    first_name,
                    phone,
                    commune,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder() -> HolderDraft {
        HolderDraft {
            civility: Some(Civility::Madame),
            last_name: "  Lefèvre ".into(),
            first_name: "Anne   Sophie".into(),
            phone: "03 21 04 56 78".into(),
            commune: "Hesdin-la-Forêt".into(),
        }
    }

    fn draft() -> DossierDraft {
        DossierDraft {
            project_type: Some(ProjectType::Creation),
            idea: "Boulangerie bio".into(),
            holders: vec![holder()],
        }
    }

    fn field_errors(draft: &DossierDraft) -> FieldErrors {
        match draft.parse() {
            Err(Error::Invalid(fields)) => fields,
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_complete_draft_is_normalised() {
        let valid = draft().parse().unwrap();
        let h = &valid.holders[0];
        assert_eq!(h.last_name, "Lefèvre");
        assert_eq!(h.first_name, "Anne Sophie");
        assert_eq!(h.phone.as_ref().unwrap().as_e164(), "+33321045678");
    }

    #[test]
    fn phone_is_optional() {
        let mut d = draft();
        d.holders[0].phone = "  ".into();
        assert_eq!(d.parse().unwrap().holders[0].phone, None);
    }

    #[test]
    fn each_missing_required_field_gets_its_french_message() {
        let d = DossierDraft {
            project_type: None,
            idea: String::new(),
            holders: vec![HolderDraft::default()],
        };
        let fields = field_errors(&d);
        assert_eq!(fields["project_type"], "Choisissez le type de projet.");
        assert_eq!(fields["holders.0.civility"], "Choisissez la civilité.");
        assert_eq!(fields["holders.0.last_name"], "Le nom est obligatoire.");
        assert_eq!(fields["holders.0.first_name"], "Le prénom est obligatoire.");
        assert_eq!(fields["holders.0.commune"], "La commune est obligatoire.");
        assert!(!fields.contains_key("holders.0.phone"), "phone is optional");
    }

    #[test]
    fn a_bad_phone_is_reported_at_its_field() {
        let mut d = draft();
        d.holders[0].phone = "03 21".into();
        let fields = field_errors(&d);
        assert_eq!(fields.len(), 1);
        assert!(fields["holders.0.phone"].contains("03 21"));
    }

    #[test]
    fn names_without_letters_or_too_long_are_refused() {
        let mut d = draft();
        d.holders[0].last_name = "1234".into();
        d.holders[0].first_name = "a".repeat(81);
        let fields = field_errors(&d);
        assert!(fields["holders.0.last_name"].contains("lettre"));
        assert!(fields["holders.0.first_name"].contains("80 caractères"));
    }

    #[test]
    fn a_dossier_needs_a_holder() {
        let mut d = draft();
        d.holders.clear();
        assert!(field_errors(&d).contains_key("holders"));
    }

    #[test]
    fn enum_texts_round_trip() {
        for s in DossierStatus::ALL {
            assert_eq!(DossierStatus::from_str_opt(s.as_str()), Some(*s));
            // The SQL text and the serde text are the same word.
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for t in ProjectType::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
        for c in Civility::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }
}
