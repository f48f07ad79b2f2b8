//! Field-level edits: what each editable field of a dossier is, and how a raw value from a
//! form becomes a stored value or a French message.
//!
//! The UI saves every field on its own (`FieldEdit`); the store applies one edit in one
//! transaction with its outbox row (`set_field`), so two advisors editing different fields
//! never conflict. A field not listed here cannot be edited.

use chrono::NaiveDate;
use rusqlite::types::Value as Sql;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use ts_rs::TS;
use uuid::Uuid;

use crate::codes::{
    BankStatus, Civility, Code, CommitteeKind, Decision, DocumentKind, DocumentStatus,
    FinancingCategory, Guarantee, LegalForm, Premises, ProjectType, Referrer, Sector, Situation,
    TakeoverKind,
};
use crate::dossier::{required_text, visible_text, LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX};
use crate::{dates, email::Email, money, naf::NafCode, phone::Phone, reference, siren::Siret};

/// The kinds of records a field edit addresses. `Business`, `Forecast` and `Document` are
/// addressed by their dossier's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Dossier,
    Holder,
    Business,
    FinancingLine,
    /// Field `"{year}.{name}"`, e.g. `"2.turnover_cents"`.
    Forecast,
    /// Field `"{kind}.{name}"`, e.g. `"cv.status"`.
    Document,
}

/// One field edit as the UI sends it: the raw value typed (text, number, boolean or null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldEdit {
    pub entity: Entity,
    pub id: Uuid,
    pub field: String,
    #[ts(type = "string | number | boolean | null")]
    pub value: Json,
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Free text, trimmed; empty allowed.
    Text(usize),
    /// A name: required, with a letter.
    Name(&'static str),
    /// One of a code list, or empty.
    Code(CodeList),
    /// One of a code list, required.
    RequiredCode(CodeList),
    Phone,
    Email,
    Siret,
    Naf,
    PostalCode,
    /// An INSEE code from the reference list; the store also writes the commune's name.
    Commune,
    /// Euro amount ≥ 0, or empty.
    Cents,
    /// Euro amount ≥ 0, required (plan lines).
    RequiredCents,
    /// Percentage 0–100 in basis points.
    Percent,
    /// Annual rate 0–30 % in basis points.
    Rate,
    Date,
    /// A holder's birth date: 18 to 99 years old today.
    BirthDate,
    /// Whole number in a range, or empty.
    Int(i64, i64),
    Bool,
}

/// One field of the catalogue: its name (on the wire, in the outbox, and its column), its
/// French label (screens, conflicts, refused changes, the summary), and its kind (how a value
/// is read and checked; a code list names its list).
pub struct Spec {
    pub field: &'static str,
    pub label: &'static str,
    pub kind: Kind,
}

const fn spec(field: &'static str, label: &'static str, kind: Kind) -> Spec {
    Spec { field, label, kind }
}

fn is<C: Code>(text: &str) -> bool {
    C::parse_code(text).is_some()
}

/// A code list as a field names it: its name (the key of its labels, `codes::Code::NAME`) and
/// its test.
#[derive(Debug, Clone, Copy)]
pub struct CodeList {
    pub name: &'static str,
    pub known: fn(&str) -> bool,
}

const fn list<C: Code>() -> CodeList {
    CodeList {
        name: C::NAME,
        known: is::<C>,
    }
}

pub const DOSSIER_FIELDS: &[Spec] = &[
    spec(
        "project_type",
        "Type de projet",
        Kind::RequiredCode(list::<ProjectType>()),
    ),
    spec(
        "idea",
        "Le projet en quelques mots",
        Kind::Text(LONG_TEXT_MAX),
    ),
    spec("advisor", "Chargé de mission", Kind::Text(NAME_MAX)),
    spec(
        "loan_scheme",
        "Dispositif de prêt",
        Kind::Text(SHORT_TEXT_MAX),
    ),
    spec("referrer", "Orienté par", Kind::Code(list::<Referrer>())),
    spec(
        "heard_of_us",
        "Comment nous a-t-il connus ?",
        Kind::Text(SHORT_TEXT_MAX),
    ),
    spec(
        "forecast_assumptions",
        "Hypothèses du prévisionnel",
        Kind::Text(LONG_TEXT_MAX),
    ),
    spec("strengths", "Points forts", Kind::Text(LONG_TEXT_MAX)),
    spec("cautions", "Points de vigilance", Kind::Text(LONG_TEXT_MAX)),
    spec("committee_date", "Date du comité", Kind::Date),
    spec(
        "committee_kind",
        "Comité",
        Kind::Code(list::<CommitteeKind>()),
    ),
    spec(
        "committee_members",
        "Membres présents",
        Kind::Text(LONG_TEXT_MAX),
    ),
    spec(
        "advisor_opinion",
        "Avis du chargé de mission",
        Kind::Text(LONG_TEXT_MAX),
    ),
    spec("decision", "Décision", Kind::Code(list::<Decision>())),
    spec("decision_amount_cents", "Montant accordé", Kind::Cents),
    spec(
        "decision_conditions",
        "Conditions",
        Kind::Text(LONG_TEXT_MAX),
    ),
    spec("decision_reason", "Motif", Kind::Text(LONG_TEXT_MAX)),
    spec(
        "privacy_notice_on",
        "Notice d'information remise le",
        Kind::Date,
    ),
    spec(
        "consent_optional_fields",
        "Consentement aux informations facultatives",
        Kind::Bool,
    ),
    spec("purge_on", "À effacer ou anonymiser le", Kind::Date),
    spec("last_contact_on", "Dernier contact", Kind::Date),
];

pub const HOLDER_FIELDS: &[Spec] = &[
    spec(
        "civility",
        "Civilité",
        Kind::RequiredCode(list::<Civility>()),
    ),
    spec("last_name", "Nom", Kind::Name("Le nom")),
    spec("first_name", "Prénom", Kind::Name("Le prénom")),
    spec("birth_name", "Nom de naissance", Kind::Text(NAME_MAX)),
    spec("birth_date", "Date de naissance", Kind::BirthDate),
    spec("address", "Adresse", Kind::Text(SHORT_TEXT_MAX)),
    spec("postal_code", "Code postal", Kind::PostalCode),
    spec("commune_insee", "Commune de résidence", Kind::Commune),
    spec("phone", "Téléphone", Kind::Phone),
    spec("email", "Courriel", Kind::Email),
    spec(
        "situation",
        "Situation avant le projet",
        Kind::Code(list::<Situation>()),
    ),
    spec(
        "jobseeker_since",
        "Inscrit à France Travail depuis",
        Kind::Date,
    ),
    spec("education", "Formation", Kind::Text(SHORT_TEXT_MAX)),
    spec(
        "experience_years",
        "Années d'expérience dans le métier",
        Kind::Int(0, 80),
    ),
    spec("qpv", "Habite un quartier prioritaire (QPV)", Kind::Bool),
    spec("driving_licence", "Permis de conduire", Kind::Bool),
    spec("role", "Rôle dans l'entreprise", Kind::Text(SHORT_TEXT_MAX)),
    spec("capital_share_bp", "Part du capital", Kind::Percent),
    spec(
        "personal_contribution_cents",
        "Apport personnel",
        Kind::Cents,
    ),
    spec("background", "Parcours", Kind::Text(LONG_TEXT_MAX)),
    spec("motivation", "Motivation", Kind::Text(LONG_TEXT_MAX)),
    spec(
        "loan_requested_cents",
        "Prêt d'honneur demandé",
        Kind::Cents,
    ),
    spec("loan_granted_cents", "Prêt d'honneur accordé", Kind::Cents),
    spec("loan_months", "Durée du prêt", Kind::Int(24, 84)),
    spec("loan_deferral_months", "Différé", Kind::Int(0, 24)),
    spec("loan_fund", "Fonds", Kind::Text(SHORT_TEXT_MAX)),
    spec("loan_disbursed_on", "Date de décaissement", Kind::Date),
];

pub const BUSINESS_FIELDS: &[Spec] = &[
    spec("name", "Dénomination", Kind::Text(SHORT_TEXT_MAX)),
    spec("trade_name", "Nom commercial", Kind::Text(SHORT_TEXT_MAX)),
    spec("activity", "Activité", Kind::Text(LONG_TEXT_MAX)),
    spec(
        "market",
        "Marché, clientèle, concurrence",
        Kind::Text(LONG_TEXT_MAX),
    ),
    spec("sector", "Secteur", Kind::Code(list::<Sector>())),
    spec("naf_code", "Code NAF", Kind::Naf),
    spec(
        "legal_form",
        "Forme juridique",
        Kind::Code(list::<LegalForm>()),
    ),
    spec("share_capital_cents", "Capital social", Kind::Cents),
    spec("start_on", "Date de début d'activité", Kind::Date),
    spec("siret", "SIRET", Kind::Siret),
    spec("address", "Adresse", Kind::Text(SHORT_TEXT_MAX)),
    spec("postal_code", "Code postal", Kind::PostalCode),
    spec("commune_insee", "Commune", Kind::Commune),
    spec("premises", "Local", Kind::Code(list::<Premises>())),
    spec("franchise", "Franchise", Kind::Text(SHORT_TEXT_MAX)),
    spec("seller", "Cédant", Kind::Text(SHORT_TEXT_MAX)),
    spec("takeover_price_cents", "Prix de cession", Kind::Cents),
    spec(
        "takeover_kind",
        "Objet de la reprise",
        Kind::Code(list::<TakeoverKind>()),
    ),
    spec(
        "jobs_created",
        "Emplois créés au démarrage",
        Kind::Int(0, 10_000),
    ),
    spec("jobs_kept", "Emplois maintenus", Kind::Int(0, 10_000)),
    spec("jobs_year3", "Emplois prévus à 3 ans", Kind::Int(0, 10_000)),
];

pub const FINANCING_LINE_FIELDS: &[Spec] = &[
    spec(
        "category",
        "Nature de la ligne",
        Kind::RequiredCode(list::<FinancingCategory>()),
    ),
    spec("label", "Libellé", Kind::Text(SHORT_TEXT_MAX)),
    spec("amount_cents", "Montant", Kind::RequiredCents),
    spec("bank", "Banque", Kind::Text(SHORT_TEXT_MAX)),
    spec("months", "Durée", Kind::Int(1, 360)),
    spec("rate_bp", "Taux", Kind::Rate),
    spec("guarantee", "Garantie", Kind::Code(list::<Guarantee>())),
    spec("bank_status", "Accord", Kind::Code(list::<BankStatus>())),
];

pub const FORECAST_FIELDS: &[Spec] = &[
    spec("turnover_cents", "Chiffre d'affaires", Kind::Cents),
    spec("gross_margin_cents", "Marge brute", Kind::Cents),
    spec("external_costs_cents", "Charges externes", Kind::Cents),
    spec("taxes_cents", "Impôts et taxes", Kind::Cents),
    spec("wages_cents", "Salaires et charges", Kind::Cents),
    spec("owner_pay_cents", "Rémunération du dirigeant", Kind::Cents),
    spec(
        "depreciation_cents",
        "Dotations aux amortissements",
        Kind::Cents,
    ),
    spec("interest_cents", "Charges financières", Kind::Cents),
];

pub const DOCUMENT_FIELDS: &[Spec] = &[
    spec(
        "status",
        "État",
        Kind::RequiredCode(list::<DocumentStatus>()),
    ),
    spec("on_date", "Date", Kind::Date),
];

/// Where an edit lands once its field name is understood.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A column of the entity's row.
    Column(&'static str),
    /// A column of the forecast row of one year.
    ForecastYear(i64, &'static str),
    /// A column of one document of the checklist.
    Document(DocumentKind, &'static str),
}

/// Finds the spec of `field` for `entity`, or says in French that it is not editable.
pub fn resolve(entity: Entity, field: &str) -> Result<(Target, &'static Spec), String> {
    let unknown = || format!("Le champ « {field} » ne peut pas être modifié.");
    let find = |specs: &'static [Spec], name: &str| specs.iter().find(|s| s.field == name);
    match entity {
        Entity::Dossier | Entity::Holder | Entity::Business | Entity::FinancingLine => {
            let specs = match entity {
                Entity::Dossier => DOSSIER_FIELDS,
                Entity::Holder => HOLDER_FIELDS,
                Entity::Business => BUSINESS_FIELDS,
                _ => FINANCING_LINE_FIELDS,
            };
            let s = find(specs, field).ok_or_else(unknown)?;
            Ok((Target::Column(s.field), s))
        }
        Entity::Forecast => {
            let (year, name) = field.split_once('.').ok_or_else(unknown)?;
            let year: i64 = year
                .parse()
                .ok()
                .filter(|y| (1..=3).contains(y))
                .ok_or_else(unknown)?;
            let s = find(FORECAST_FIELDS, name).ok_or_else(unknown)?;
            Ok((Target::ForecastYear(year, s.field), s))
        }
        Entity::Document => {
            let (kind, name) = field.split_once('.').ok_or_else(unknown)?;
            let kind = DocumentKind::from_str_opt(kind).ok_or_else(unknown)?;
            let s = find(DOCUMENT_FIELDS, name).ok_or_else(unknown)?;
            Ok((Target::Document(kind, s.field), s))
        }
    }
}

/// A validated value: what goes into SQLite, and what goes into the outbox and back to the UI.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub sql: Sql,
    pub json: Json,
}

impl Parsed {
    fn null() -> Parsed {
        Parsed {
            sql: Sql::Null,
            json: Json::Null,
        }
    }
    fn text(text: String) -> Parsed {
        Parsed {
            sql: Sql::Text(text.clone()),
            json: Json::String(text),
        }
    }
    fn int(n: i64) -> Parsed {
        Parsed {
            sql: Sql::Integer(n),
            json: Json::from(n),
        }
    }
}

/// The raw value as text: forms send strings, numbers for numeric inputs, null to clear.
fn raw_text(value: &Json) -> Result<String, String> {
    match value {
        Json::Null => Ok(String::new()),
        Json::String(s) => {
            visible_text(s)?;
            Ok(s.trim().to_owned())
        }
        Json::Number(n) => Ok(n.to_string()),
        Json::Bool(b) => Ok(b.to_string()),
        _ => Err("Valeur illisible.".into()),
    }
}

impl Kind {
    /// Parses a raw value. `today` anchors the birth-date rule.
    pub fn parse(self, value: &Json, today: NaiveDate) -> Result<Parsed, String> {
        let text = raw_text(value)?;
        let optional = |text: &str, f: &dyn Fn(&str) -> Result<Parsed, String>| {
            if text.is_empty() {
                Ok(Parsed::null())
            } else {
                f(text)
            }
        };
        match self {
            Kind::Text(max) => {
                if text.chars().count() > max {
                    Err(format!("Ce texte ne doit pas dépasser {max} caractères."))
                } else {
                    Ok(Parsed::text(text))
                }
            }
            Kind::Name(label) => {
                required_text(&text, NAME_MAX, &format!("{label} est obligatoire."), label)
                    .map(Parsed::text)
            }
            Kind::Code(list) => optional(&text, &|t| {
                (list.known)(t)
                    .then(|| Parsed::text(t.to_owned()))
                    .ok_or_else(|| "Choisissez une valeur de la liste.".to_owned())
            }),
            Kind::RequiredCode(list) => {
                if (list.known)(&text) {
                    Ok(Parsed::text(text))
                } else {
                    Err("Choisissez une valeur de la liste.".into())
                }
            }
            Kind::Phone => optional(&text, &|t| {
                Phone::parse(t).map(|p| Parsed::text(p.as_e164().to_owned()))
            }),
            Kind::Email => optional(&text, &|t| {
                Email::parse(t).map(|e| Parsed::text(e.to_string()))
            }),
            Kind::Siret => optional(&text, &|t| {
                Siret::parse(t).map(|s| Parsed::text(s.as_str().to_owned()))
            }),
            Kind::Naf => optional(&text, &|t| {
                NafCode::parse(t).map(|n| Parsed::text(n.as_str().to_owned()))
            }),
            Kind::PostalCode => optional(&text, &|t| {
                crate::postal::PostalCode::parse(t).map(|p| Parsed::text(p.as_str().to_owned()))
            }),
            Kind::Commune => optional(&text, &|t| {
                reference::commune(t)
                    .map(|c| Parsed::text(c.current().insee.to_owned()))
                    .ok_or_else(|| {
                        format!("La commune « {t} » est inconnue : choisissez-la dans la liste.")
                    })
            }),
            Kind::Cents => optional(&text, &|t| money::parse_cents(t).map(Parsed::int)),
            Kind::RequiredCents => {
                if text.is_empty() {
                    Ok(Parsed::int(0))
                } else {
                    money::parse_cents(&text).map(Parsed::int)
                }
            }
            Kind::Percent => optional(&text, &|t| money::parse_percent_bp(t).map(Parsed::int)),
            Kind::Rate => optional(&text, &|t| {
                money::parse_percent_bp(t).and_then(|bp| {
                    if bp <= 3000 {
                        Ok(Parsed::int(bp))
                    } else {
                        Err("Un taux annuel ne dépasse pas 30 %.".into())
                    }
                })
            }),
            Kind::Date => optional(&text, &|t| {
                dates::parse_date(t).map(|d| Parsed::text(d.to_string()))
            }),
            Kind::BirthDate => optional(&text, &|t| {
                dates::parse_date(t)
                    .and_then(|d| dates::adult_birth_date(d, today))
                    .map(|d| Parsed::text(d.to_string()))
            }),
            Kind::Int(min, max) => optional(&text, &|t| {
                let n: i64 = t
                    .replace([' ', '\u{a0}', '\u{202f}'], "")
                    .parse()
                    .map_err(|_| format!("« {t} » n'est pas un nombre entier."))?;
                if (min..=max).contains(&n) {
                    Ok(Parsed::int(n))
                } else {
                    Err(format!("Indiquez un nombre entre {min} et {max}."))
                }
            }),
            Kind::Bool => match value {
                Json::Bool(b) => Ok(Parsed {
                    sql: Sql::Integer(*b as i64),
                    json: Json::Bool(*b),
                }),
                _ => Err("Cochez ou décochez la case.".into()),
            },
        }
    }
}

impl Kind {
    /// A stored value written back as a person would type it: cents and basis points as
    /// French decimals (`12345,50`), everything else as it is.
    pub fn as_typed(self, value: &Json) -> Json {
        match (self, value) {
            (Kind::Cents | Kind::RequiredCents | Kind::Percent | Kind::Rate, Json::Number(n)) => {
                // The sign is written apart: -50 is "-0,50" (a division would lose it).
                let v = n.as_i64().unwrap_or_default();
                let sign = if v < 0 { "-" } else { "" };
                let abs = v.unsigned_abs();
                Json::String(format!("{sign}{},{:02}", abs / 100, abs % 100))
            }
            _ => value.clone(),
        }
    }

    /// Checks a value as a store holds it (normalised JSON: cents and basis points as
    /// integers, dates ISO, phones E.164…), by reading it back through `parse`: the head
    /// office validates synced changes with the same rules as the forms.
    pub fn check_stored(self, value: &Json, today: NaiveDate) -> Result<Parsed, String> {
        if let (Kind::Cents | Kind::RequiredCents | Kind::Percent | Kind::Rate, Json::Number(n)) =
            (self, value)
        {
            if n.as_i64().is_none_or(|v| v < 0) {
                return Err("Un montant ou un pourcentage ne peut pas être négatif.".into());
            }
        }
        if let (Kind::Cents | Kind::RequiredCents | Kind::Percent | Kind::Rate, Json::String(_)) =
            (self, value)
        {
            return Err("Valeur non normalisée.".into());
        }
        let typed = self.as_typed(value);
        let parsed = self.parse(&typed, today)?;
        if parsed.json != *value && !(value.is_null() && parsed.json.is_null()) {
            return Err("Valeur non normalisée.".into());
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn parse(entity: Entity, field: &str, value: Json) -> Result<Json, String> {
        let (_, spec) = resolve(entity, field)?;
        spec.kind.parse(&value, day()).map(|p| p.json)
    }

    #[test]
    fn amounts_are_written_back_in_euros_with_their_sign() {
        let typed = |kind: Kind, v: i64| kind.as_typed(&Json::from(v));
        assert_eq!(typed(Kind::Cents, 1_234_550), Json::from("12345,50"));
        assert_eq!(typed(Kind::Cents, 7), Json::from("0,07"));
        assert_eq!(typed(Kind::Cents, -50), Json::from("-0,50"));
        assert_eq!(typed(Kind::RequiredCents, -150), Json::from("-1,50"));
        assert_eq!(typed(Kind::Percent, -5), Json::from("-0,05"));
        assert_eq!(typed(Kind::Rate, 250), Json::from("2,50"));
    }

    #[test]
    fn stored_values_pass_the_same_rules_on_the_head_office() {
        let check = |entity, field: &str, value: Json| {
            let (_, spec) = resolve(entity, field).unwrap();
            spec.kind.check_stored(&value, day())
        };
        assert!(check(Entity::Holder, "phone", json!("+33321045678")).is_ok());
        assert!(
            check(Entity::Holder, "phone", json!("03 21 04 56 78")).is_err(),
            "not E.164"
        );
        assert!(check(Entity::Holder, "loan_requested_cents", json!(800_000)).is_ok());
        assert!(check(Entity::Holder, "loan_requested_cents", json!(-1)).is_err());
        assert!(check(Entity::Holder, "capital_share_bp", json!(3350)).is_ok());
        assert!(check(Entity::Holder, "capital_share_bp", json!(12_000)).is_err());
        assert!(check(Entity::Business, "siret", json!("73282932000079")).is_err());
        assert!(check(Entity::Business, "naf_code", json!("47.11D")).is_ok());
        assert!(check(Entity::Dossier, "committee_date", json!("2026-12-08")).is_ok());
        assert!(check(Entity::Holder, "email", json!(null)).is_ok());
    }

    #[test]
    fn unknown_fields_cannot_be_edited() {
        assert!(
            resolve(Entity::Dossier, "status").is_err(),
            "status moves go through the pipeline"
        );
        assert!(resolve(Entity::Dossier, "id").is_err());
        assert!(resolve(Entity::Forecast, "4.turnover_cents").is_err());
        assert!(resolve(Entity::Document, "passport.status").is_err());
    }

    #[test]
    fn values_are_normalised_for_storage() {
        assert_eq!(
            parse(Entity::Holder, "phone", json!("03.21.04.56.78")).unwrap(),
            "+33321045678"
        );
        assert_eq!(
            parse(Entity::Business, "naf_code", json!("4711D")).unwrap(),
            "47.11D"
        );
        assert_eq!(
            parse(Entity::Business, "siret", json!("732 829 320 00074")).unwrap(),
            "73282932000074"
        );
        assert_eq!(
            parse(Entity::Holder, "loan_requested_cents", json!("8 000 €")).unwrap(),
            800_000
        );
        assert_eq!(
            parse(Entity::Holder, "capital_share_bp", json!("33,5")).unwrap(),
            3350
        );
        assert_eq!(
            parse(Entity::Forecast, "2.turnover_cents", json!("120000")).unwrap(),
            12_000_000
        );
        assert_eq!(
            parse(Entity::Document, "cv.status", json!("recu")).unwrap(),
            "recu"
        );
        assert_eq!(parse(Entity::Holder, "qpv", json!(true)).unwrap(), true);
        assert_eq!(
            parse(Entity::Holder, "email", json!("")).unwrap(),
            Json::Null,
            "empty clears"
        );
    }

    #[test]
    fn bad_values_get_french_messages() {
        let siret = parse(Entity::Business, "siret", json!("73282932000079")).unwrap_err();
        assert!(siret.contains("SIRET"), "{siret}");
        assert!(parse(Entity::Holder, "loan_months", json!("12"))
            .unwrap_err()
            .contains("entre 24 et 84"));
        assert!(parse(Entity::Holder, "capital_share_bp", json!("120")).is_err());
        assert!(parse(Entity::Holder, "loan_requested_cents", json!("-5")).is_err());
        assert!(
            parse(Entity::Holder, "birth_date", json!("01/01/2015")).is_err(),
            "a minor"
        );
        assert!(parse(Entity::Holder, "last_name", json!(" "))
            .unwrap_err()
            .contains("obligatoire"));
        assert!(parse(Entity::Dossier, "referrer", json!("voisin")).is_err());
        assert!(parse(Entity::Holder, "commune_insee", json!("00000")).is_err());
    }
}
