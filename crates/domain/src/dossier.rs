//! Dossiers: the read model that crosses IPC (a dossier with its holders, business, financing
//! plan, forecast, documents, notes and committee), and the quick-capture draft that opens one.
//!
//! A `DossierDraft` is what a person typed; `DossierDraft::parse` turns it into a
//! `ValidDossier` or into French messages per field. Later edits go field by field through
//! `field` (one validated value, one transaction). Invalid input never reaches the database.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use crate::codes::{
    BankStatus, Civility, CommitteeKind, Decision, DocumentKind, DocumentStatus, DossierStatus,
    FinancingCategory, FinancingSide, Guarantee, LegalForm, Premises, ProjectType, Referrer,
    Sector, Situation, TakeoverKind,
};
use crate::error::{Error, FieldErrors};
use crate::phone::Phone;
use crate::reference;
pub use crate::text::visible_text;

/// A person carrying the project, with the honour loan they request (loans are personal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Holder {
    pub id: Uuid,
    pub civility: Civility,
    pub last_name: String,
    pub first_name: String,
    pub birth_name: String,
    pub birth_date: Option<NaiveDate>,
    pub address: String,
    pub postal_code: Option<String>,
    /// INSEE code; `commune` is its name.
    pub commune_insee: Option<String>,
    pub commune: String,
    /// E.164, e.g. `+33321045678`.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub situation: Option<Situation>,
    pub jobseeker_since: Option<NaiveDate>,
    pub education: String,
    pub experience_years: Option<i64>,
    pub qpv: bool,
    pub driving_licence: bool,
    pub role: String,
    /// Share of capital in basis points (33,5 % = 3350).
    pub capital_share_bp: Option<i64>,
    pub personal_contribution_cents: Option<i64>,
    pub background: String,
    pub motivation: String,
    pub loan_requested_cents: Option<i64>,
    pub loan_granted_cents: Option<i64>,
    pub loan_months: Option<i64>,
    pub loan_deferral_months: Option<i64>,
    pub loan_fund: String,
    pub loan_disbursed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Business {
    pub name: String,
    pub trade_name: String,
    pub activity: String,
    pub market: String,
    pub sector: Option<Sector>,
    /// Normalised `47.11D`.
    pub naf_code: Option<String>,
    pub naf_label: Option<String>,
    pub naf_version: Option<String>,
    pub legal_form: Option<LegalForm>,
    pub share_capital_cents: Option<i64>,
    pub start_on: Option<NaiveDate>,
    pub siret: Option<String>,
    pub address: String,
    pub postal_code: Option<String>,
    pub commune_insee: Option<String>,
    pub commune: String,
    pub premises: Option<Premises>,
    pub franchise: String,
    pub seller: String,
    pub takeover_price_cents: Option<i64>,
    pub takeover_kind: Option<TakeoverKind>,
    pub jobs_created: Option<i64>,
    pub jobs_kept: Option<i64>,
    pub jobs_year3: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FinancingLine {
    pub id: Uuid,
    pub side: FinancingSide,
    pub category: FinancingCategory,
    pub label: String,
    pub amount_cents: i64,
    /// Bank loans only.
    pub bank: String,
    pub months: Option<i64>,
    pub rate_bp: Option<i64>,
    pub guarantee: Option<Guarantee>,
    pub bank_status: Option<BankStatus>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ForecastYear {
    pub year: i64,
    pub turnover_cents: Option<i64>,
    pub gross_margin_cents: Option<i64>,
    pub external_costs_cents: Option<i64>,
    pub taxes_cents: Option<i64>,
    pub wages_cents: Option<i64>,
    pub owner_pay_cents: Option<i64>,
    pub depreciation_cents: Option<i64>,
    pub interest_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DocumentItem {
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    pub on_date: Option<NaiveDate>,
    pub required: bool,
}

/// An interview note. Notes are never edited nor erased: a correction is a new note that
/// supersedes the old one, and both stay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Note {
    pub id: Uuid,
    pub body: String,
    pub author: String,
    pub written_at: DateTime<Utc>,
    pub supersedes: Option<Uuid>,
    pub superseded_by: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Dossier {
    pub id: Uuid,
    /// Provisional (`PROV-…`) until the head office assigns the definitive number.
    pub number: String,
    pub project_type: ProjectType,
    pub status: DossierStatus,
    /// The project in a few words, as the holder tells it.
    pub idea: String,
    pub opened_on: NaiveDate,
    /// The outreach session where the dossier began, if any.
    pub session_id: Option<Uuid>,
    pub advisor: String,
    pub loan_scheme: String,
    pub referrer: Option<Referrer>,
    pub heard_of_us: String,
    pub holders: Vec<Holder>,
    pub business: Business,
    pub financing: Vec<FinancingLine>,
    pub forecast: Vec<ForecastYear>,
    pub forecast_assumptions: String,
    pub documents: Vec<DocumentItem>,
    pub notes: Vec<Note>,
    /// The holders' honour loans once granted, with their movements (`ledger`).
    #[serde(default)]
    pub loans: Vec<crate::ledger::Loan>,
    /// The business's follow-up checkpoints at 12, 24 and 36 months (`checkpoint`), in the
    /// order of their months.
    #[serde(default)]
    pub checkpoints: Vec<crate::checkpoint::Checkpoint>,
    /// The mentors paired with its business, each with its meetings (`mentoring`), the
    /// earliest pairing first.
    #[serde(default)]
    pub pairings: Vec<crate::mentoring::Pairing>,
    /// Its holders' workshop registrations, present or not (`workshop`), the earliest
    /// workshop first.
    #[serde(default)]
    pub workshops: Vec<crate::workshop::Attendance>,
    pub strengths: String,
    pub cautions: String,
    pub committee_date: Option<NaiveDate>,
    pub committee_kind: Option<CommitteeKind>,
    pub committee_members: String,
    pub advisor_opinion: String,
    pub decision: Option<Decision>,
    pub decision_amount_cents: Option<i64>,
    pub decision_conditions: String,
    pub decision_reason: String,
    pub privacy_notice_on: Option<NaiveDate>,
    pub consent_optional_fields: bool,
    pub purge_on: Option<NaiveDate>,
    pub last_contact_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Totals, balance, leverage and forecast figures, computed from the above.
    pub analysis: PlanAnalysis,
    /// Where the dossier may go next, with the French reasons a move is refused.
    pub moves: Vec<StatusMove>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StatusMove {
    pub to: DossierStatus,
    /// Empty when the move is allowed now.
    pub blockers: Vec<String>,
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
    pub business_name: String,
    pub advisor: String,
    pub opened_on: NaiveDate,
    pub committee_date: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

/// What the "Nouveau dossier" and quick-capture forms submit: raw text, validated by `parse`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DossierDraft {
    pub project_type: Option<ProjectType>,
    #[serde(default)]
    pub idea: String,
    #[serde(default)]
    pub session_id: Option<Uuid>,
    #[serde(default)]
    pub referrer: Option<Referrer>,
    #[serde(default)]
    pub heard_of_us: String,
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
    /// INSEE code of the commune, chosen from the reference list.
    #[serde(default)]
    pub commune_insee: String,
}

/// A draft that passed validation: the only input the store accepts to open a dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDossier {
    pub project_type: ProjectType,
    pub idea: String,
    pub session_id: Option<Uuid>,
    pub referrer: Option<Referrer>,
    pub heard_of_us: String,
    pub holders: Vec<ValidHolder>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHolder {
    pub civility: Civility,
    pub last_name: String,
    pub first_name: String,
    pub phone: Option<Phone>,
    pub commune_insee: String,
    pub commune: String,
}

pub const NAME_MAX: usize = 80;
/// The most holders one dossier has (an honour loan is per person; a business of more
/// partners than this is not a dossier of the network's).
pub const HOLDERS_MAX: usize = 10;
pub const SHORT_TEXT_MAX: usize = 200;
pub const LONG_TEXT_MAX: usize = 5000;

/// Trims, collapses inner whitespace, and checks a required short text.
pub fn required_text(input: &str, max: usize, empty: &str, label: &str) -> Result<String, String> {
    visible_text(input)?;
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

/// The place of a meeting (a permanence, a committee): optional, inner whitespace collapsed.
pub fn meeting_place(input: &str) -> Result<String, String> {
    visible_text(input)?;
    let place = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if place.chars().count() > SHORT_TEXT_MAX {
        return Err(format!(
            "Le lieu ne doit pas dépasser {SHORT_TEXT_MAX} caractères."
        ));
    }
    Ok(place)
}

/// Checks an INSEE code against the reference list and returns the commune's name.
pub fn known_commune(insee: &str) -> Result<(String, String), String> {
    let code = insee.trim();
    if code.is_empty() {
        return Err("Choisissez la commune dans la liste.".into());
    }
    reference::commune(code)
        .map(|c| (c.insee.to_string(), c.name.to_string()))
        .ok_or_else(|| format!("La commune « {code} » est inconnue : choisissez-la dans la liste."))
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
        if idea.chars().count() > LONG_TEXT_MAX {
            errors.insert(
                "idea".into(),
                format!("L'idée ne doit pas dépasser {LONG_TEXT_MAX} caractères."),
            );
        }
        let heard_of_us = self.heard_of_us.trim().to_owned();
        if heard_of_us.chars().count() > SHORT_TEXT_MAX {
            errors.insert(
                "heard_of_us".into(),
                format!("Ce champ ne doit pas dépasser {SHORT_TEXT_MAX} caractères."),
            );
        }
        if self.holders.is_empty() {
            errors.insert(
                "holders".into(),
                "Un dossier a au moins un porteur de projet.".into(),
            );
        }
        if self.holders.len() > HOLDERS_MAX {
            errors.insert(
                "holders".into(),
                format!("Un dossier a au plus {HOLDERS_MAX} porteurs de projet."),
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
                session_id: self.session_id,
                referrer: self.referrer,
                heard_of_us,
                holders,
            }),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

impl Dossier {
    /// Reads a dossier from JSON (an exported file, a creation received by sync); what
    /// cannot be read is named at its place (`holders.0.civility`), for a French message,
    /// never in serde's English.
    pub fn from_json(value: &serde_json::Value) -> Result<Dossier, Unreadable> {
        use serde_path_to_error::Segment;
        if !value.is_object() {
            return Err(Unreadable::default());
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let mut place: Vec<String> = e
                .path()
                .iter()
                .filter_map(|segment| match segment {
                    Segment::Seq { index } => Some(index.to_string()),
                    Segment::Map { key } => Some(key.clone()),
                    Segment::Enum { variant } => Some(variant.clone()),
                    Segment::Unknown => None,
                })
                .collect();
            let inner = e.inner().to_string();
            let missing = inner
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split('`').next());
            if let Some(name) = missing {
                place.push(name.to_owned());
            }
            Unreadable {
                place: place.join("."),
                missing: missing.is_some(),
            }
        })
    }

    /// This dossier's first-screen fields and holders, validated again as a new dossier's
    /// draft (with no session), and its holders' ids in the same order: what opens the same
    /// dossier in another store, from an imported file or a change received by sync.
    pub fn revalidate(&self) -> Result<(ValidDossier, Vec<Uuid>), Error> {
        let draft = DossierDraft {
            project_type: Some(self.project_type),
            idea: self.idea.clone(),
            session_id: None,
            referrer: self.referrer,
            heard_of_us: self.heard_of_us.clone(),
            holders: self
                .holders
                .iter()
                .map(|h| HolderDraft {
                    civility: Some(h.civility),
                    last_name: h.last_name.clone(),
                    first_name: h.first_name.clone(),
                    phone: h.phone.clone().unwrap_or_default(),
                    commune_insee: h.commune_insee.clone().unwrap_or_default(),
                })
                .collect(),
        };
        let valid = draft.parse()?;
        let holder_ids = self.holders.iter().map(|h| h.id).collect();
        Ok((valid, holder_ids))
    }

    /// The first day one of its loans was paid out, if any was.
    pub fn first_disbursement(&self) -> Option<NaiveDate> {
        self.loans
            .iter()
            .flat_map(|loan| &loan.movements)
            .filter(|m| m.kind == crate::codes::MovementKind::Disbursement)
            .map(|m| m.on)
            .min()
    }

    /// When its business started, for its follow-up: the start of activity of its business
    /// section, else the first disbursement of its loans (the business starts with the money).
    pub fn activity_start(&self) -> Option<NaiveDate> {
        self.business.start_on.or_else(|| self.first_disbursement())
    }

    /// Whether its loan was paid out: its status says so, or a loan has a disbursement.
    pub fn financed(&self) -> bool {
        crate::checkpoint::financed(self.status, self.first_disbursement().is_some())
    }

    /// Its follow-up checkpoints due in the calendar month of `month` or overdue then; none
    /// until it is financed and its start of activity known.
    pub fn checkpoints_due(&self, month: NaiveDate) -> Vec<crate::checkpoint::Due> {
        match self.activity_start() {
            Some(start) if self.financed() => {
                crate::checkpoint::due(start, &self.checkpoints, month)
            }
            _ => Vec::new(),
        }
    }
}

impl HolderDraft {
    pub fn parse(&self) -> Result<ValidHolder, FieldErrors> {
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
        let commune = known_commune(&self.commune_insee)
            .map_err(|m| errors.insert("commune_insee".into(), m))
            .ok();
        match (civility, last_name, first_name, phone, commune) {
            (
                Some(civility),
                Some(last_name),
                Some(first_name),
                Some(phone),
                Some((commune_insee, commune)),
            ) => Ok(ValidHolder {
                civility,
                last_name,
                first_name,
                phone,
                commune_insee,
                commune,
            }),
            _ => Err(errors),
        }
    }
}

/// The financing plan and forecast as `financing::analyse` reads them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanAnalysis {
    pub needs_cents: i64,
    /// Lines on the resources side plus the holders' honour loans.
    pub resources_cents: i64,
    /// Resources minus needs: zero when the plan balances.
    pub difference_cents: i64,
    pub balanced: bool,
    pub honour_loans_cents: i64,
    pub bank_loans_cents: i64,
    /// Bank loans ÷ honour loans; none without an honour loan.
    pub leverage: Option<f64>,
    pub forecast: Vec<ForecastFigures>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ForecastFigures {
    pub year: i64,
    /// Excédent brut d'exploitation; none until the gross margin is entered.
    pub ebe_cents: Option<i64>,
    pub result_cents: Option<i64>,
    pub caf_cents: Option<i64>,
    pub bank_repayments_cents: i64,
    pub honour_repayments_cents: i64,
    /// Whether the CAF covers the year's repayments; none while the CAF is unknown.
    pub caf_covers_repayments: Option<bool>,
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
            commune_insee: "62447".into(),
        }
    }

    fn draft() -> DossierDraft {
        DossierDraft {
            project_type: Some(ProjectType::Creation),
            idea: "Boulangerie bio".into(),
            holders: vec![holder()],
            ..Default::default()
        }
    }

    fn field_errors(draft: &DossierDraft) -> FieldErrors {
        match draft.parse() {
            Err(Error::Invalid(fields)) => fields,
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_meeting_place_is_optional_collapsed_and_at_most_200_characters() {
        assert_eq!(meeting_place("  "), Ok(String::new()));
        assert_eq!(
            meeting_place(" Mairie,\n salle   du conseil "),
            Ok("Mairie, salle du conseil".into())
        );
        assert!(
            meeting_place(&"a ".repeat(100)).is_ok(),
            "199 characters once collapsed"
        );
        assert_eq!(
            meeting_place(&"a".repeat(201)).unwrap_err(),
            "Le lieu ne doit pas dépasser 200 caractères."
        );
    }

    #[test]
    fn a_complete_draft_is_normalised() {
        let valid = draft().parse().unwrap();
        let h = &valid.holders[0];
        assert_eq!(h.last_name, "Lefèvre");
        assert_eq!(h.first_name, "Anne Sophie");
        assert_eq!(h.phone.as_ref().unwrap().as_e164(), "+33321045678");
        assert_eq!(h.commune, "Hesdin-la-Forêt");
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
            holders: vec![HolderDraft::default()],
            ..Default::default()
        };
        let fields = field_errors(&d);
        assert_eq!(fields["project_type"], "Choisissez le type de projet.");
        assert_eq!(fields["holders.0.civility"], "Choisissez la civilité.");
        assert_eq!(fields["holders.0.last_name"], "Le nom est obligatoire.");
        assert_eq!(fields["holders.0.first_name"], "Le prénom est obligatoire.");
        assert_eq!(
            fields["holders.0.commune_insee"],
            "Choisissez la commune dans la liste."
        );
        assert!(!fields.contains_key("holders.0.phone"), "phone is optional");
    }

    #[test]
    fn an_unknown_commune_is_refused() {
        let mut d = draft();
        d.holders[0].commune_insee = "99999".into();
        assert!(field_errors(&d)["holders.0.commune_insee"].contains("inconnue"));
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
}

#[cfg(test)]
mod visible_text_tests {
    use super::*;

    #[test]
    fn nul_controls_and_direction_overrides_are_refused_where_they_stand() {
        for (text, at) in [
            ("Ca\u{0}ron", 3),
            ("\u{202E}noraC", 1),
            ("Caron\u{2066}", 6),
            ("Ca\u{7}ron", 3),
            ("\u{FEFF}Caron", 1),
        ] {
            let message = visible_text(text).unwrap_err();
            assert!(
                message.contains(&format!("au {at}e caractère")),
                "{text:?}: {message}"
            );
        }
    }

    #[test]
    fn line_breaks_tabs_accents_and_emoji_are_text() {
        for text in [
            "Léa-Marie O'Neil",
            "Deux tournées.\n\nSix jours\tsur sept.\r\n",
            "🥖 Boulangerie",
            "👩‍🍳",
        ] {
            assert_eq!(visible_text(text), Ok(()), "{text:?}");
        }
    }

    #[test]
    fn a_name_with_a_hidden_character_is_refused_at_the_field() {
        let err = required_text("Ca\u{202E}ron", NAME_MAX, "vide", "Le nom").unwrap_err();
        assert!(err.contains("invisible"), "{err}");
    }
}

/// Where a dossier's JSON cannot be read (`Dossier::from_json`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unreadable {
    /// `holders.0.civility`; empty when the whole is not a dossier.
    pub place: String,
    /// The place is missing, rather than holding a value that cannot be read.
    pub missing: bool,
}

impl Unreadable {
    /// « holders.0.civility » a une valeur illisible / « holders.0.last_name » manque.
    pub fn describe(&self) -> String {
        match (self.place.as_str(), self.missing) {
            ("", _) => "ce n'est pas un dossier".into(),
            (place, true) => format!("« {place} » manque"),
            (place, false) => format!("« {place} » a une valeur illisible"),
        }
    }
}
