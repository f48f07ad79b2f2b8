//! The rule book every change is read against, on both sides: the head office before it
//! stores a change a laptop pushed, and a laptop before it applies a change it pulled (it
//! sets aside what breaks a rule, and goes on). What records and operations exist, what a
//! creation must carry, what a field may hold, which status moves are allowed.
//!
//! Storage-independent: what a rule needs to know of a store (a dossier's current status,
//! today) is given in `Facts`. A broken rule is a `Refusal` with a French reason; a store's
//! own failure is never one.

use chrono::NaiveDate;
use serde_json::Value;
use uuid::Uuid;

use super::protocol::{
    agenda_entry_id, created_holders, keyed_by_dossier, Change, ChangeOp, LoggedChange,
};
use permanence_domain::checkpoint::CheckpointDraft;
use permanence_domain::codes::{CommitteeKind, DossierStatus, FinancingCategory};
use permanence_domain::dossier::{visible_text, Dossier, LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX};
use permanence_domain::field::{self, Entity};
use permanence_domain::ledger::{widest_rules, LoanAgreement, MovementDraft};
use permanence_domain::mentoring::{MeetingDraft, MentorCard, PairingDraft};
use permanence_domain::workshop::{RegistrationDraft, WorkshopDraft};
use permanence_domain::{pipeline, reference};

/// Why a change breaks the rules, in French for the advisor who made it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Type d'enregistrement inconnu : « {0} ».")]
    UnknownEntity(String),
    #[error("Opération « {op} » impossible sur un enregistrement « {entity} ».")]
    Operation { entity: String, op: &'static str },
    #[error("Changement sans champ.")]
    MissingField,
    #[error("{0}")]
    Field(String),
    #[error("Création refusée : {0}")]
    Creation(String),
    #[error("Statut « {0} » inconnu.")]
    UnknownStatus(String),
    #[error("Passage du statut « {from} » à « {to} » non permis.")]
    StatusMove {
        from: &'static str,
        to: &'static str,
    },
}

/// What a rule needs to know of the store reading the change.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    /// Today, for date rules (a birth date gives an adult).
    pub today: NaiveDate,
    /// The dossier's status as the store holds it, for a status move (none for a dossier it
    /// does not hold yet).
    pub status: Option<DossierStatus>,
}

/// A change as the rules read it, whether pushed or pulled.
#[derive(Debug, Clone, Copy)]
pub struct Proposed<'a> {
    pub entity: &'a str,
    pub entity_id: Uuid,
    pub dossier_id: Option<Uuid>,
    pub op: ChangeOp,
    pub field: Option<&'a str>,
    pub value: Option<&'a Value>,
}

/// Both a pushed change and a pulled one are read the same way.
macro_rules! proposed_from {
    ($($wire:ty),+) => {$(
        impl<'a> From<&'a $wire> for Proposed<'a> {
            fn from(c: &'a $wire) -> Self {
                Proposed {
                    entity: &c.entity,
                    entity_id: c.entity_id,
                    dossier_id: c.dossier_id,
                    op: c.op,
                    field: c.field.as_deref(),
                    value: c.value.as_ref(),
                }
            }
        }
    )+};
}
proposed_from!(Change, LoggedChange);

/// Checks a change against the rules. `Ok` says nothing of scope (whose record it is): the
/// head office checks that against its own records.
pub fn check(change: Proposed<'_>, facts: &Facts) -> Result<(), Refusal> {
    let entity = change.entity;
    if permanence_domain::catalogue::RecordKind::parse(entity).is_none() {
        return Err(Refusal::UnknownEntity(clip(entity)));
    }
    let operation = || Refusal::Operation {
        entity: clip(entity),
        op: change.op.as_str(),
    };
    let value = change.value.unwrap_or(&Value::Null);
    match change.op {
        ChangeOp::SetField
            if entity == permanence_domain::catalogue::RecordKind::Settings.as_str() =>
        {
            platform_settings(change, value)
        }
        ChangeOp::SetField => match Entity::parse(entity) {
            Some(kind) => set_field(kind, change, value, facts),
            None => Err(operation()),
        },
        ChangeOp::Create => {
            match entity {
                "dossier" => create_dossier(change.entity_id, value)
                    .and_then(|()| folded(change, value, facts)),
                "holder" => create_holder(change.dossier_id, value, facts.today)
                    .and_then(|()| folded(change, value, facts)),
                "financing_line" => create_line(change.dossier_id, value)
                    .and_then(|()| folded(change, value, facts)),
                "session" => create_session(value),
                "committee" => create_committee(value),
                "committee_agenda" => agenda_entry(change.entity_id, value),
                // The domain brief's bounds: a platform's own apply when the loan is
                // recorded, and a loan agreed under older rules still syncs.
                "loan" => made_whole(
                    change.dossier_id,
                    value,
                    "prêt d'honneur",
                    |a: &LoanAgreement| a.problems(&widest_rules()),
                ),
                "loan_movement" => made_whole(
                    change.dossier_id,
                    value,
                    "mouvement de prêt",
                    MovementDraft::problems,
                ),
                "checkpoint" => made_whole(
                    change.dossier_id,
                    value,
                    "point de suivi",
                    CheckpointDraft::problems,
                ),
                "mentor" => platform_whole(value, "parrain", MentorCard::problems),
                "workshop" => platform_whole(value, "atelier", WorkshopDraft::problems),
                "pairing" => made_whole(
                    change.dossier_id,
                    value,
                    "parrainage",
                    PairingDraft::problems,
                ),
                "mentor_meeting" => made_whole(
                    change.dossier_id,
                    value,
                    "rencontre de parrainage",
                    MeetingDraft::problems,
                ),
                "workshop_registration" => made_whole(
                    change.dossier_id,
                    value,
                    "inscription à un atelier",
                    RegistrationDraft::problems,
                ),
                _ => Err(operation()),
            }
        }
        ChangeOp::AddNote if entity == "note" => add_note(change.dossier_id, value),
        ChangeOp::Delete => match entity {
            "dossier"
            | "financing_line"
            | "loan"
            | "loan_movement"
            | "checkpoint"
            | "pairing"
            | "mentor_meeting"
            | "workshop_registration" => Ok(()),
            "committee_agenda" => agenda_entry(change.entity_id, value),
            _ => Err(operation()),
        },
        ChangeOp::Restore if entity == "dossier" => Ok(()),
        ChangeOp::Settle => match value["conflict"].as_i64() {
            Some(_) => Ok(()),
            None => Err(Refusal::Field("Conflit non précisé.".into())),
        },
        ChangeOp::AddNote | ChangeOp::Restore => Err(operation()),
    }
}

/// The platform's settings, whole, valid as the settings screen would save them.
fn platform_settings(change: Proposed<'_>, value: &Value) -> Result<(), Refusal> {
    if change.field != Some(crate::protocol::PLATFORM_SETTINGS_FIELD) {
        return Err(Refusal::Field(
            "réglages de la plateforme : champ inconnu.".into(),
        ));
    }
    let settings: permanence_domain::settings::PlatformSettings =
        serde_json::from_value(value.clone())
            .map_err(|_| Refusal::Field("réglages de la plateforme illisibles.".into()))?;
    settings
        .validate()
        .map_err(|e| Refusal::Field(format!("réglages de la plateforme : {}", detail(&e))))
}

/// The field edits folded into a create: each about the new record itself (or, for a
/// dossier, its sections and the holders it is created with), never its status or number,
/// and each valid as the `set_field` change it stands for.
fn folded(create: Proposed<'_>, value: &Value, facts: &Facts) -> Result<(), Refusal> {
    let edits = crate::protocol::folded_edits(Some(value)).map_err(Refusal::Creation)?;
    if edits.len() > FOLDED_MAX {
        return Err(Refusal::Creation(format!(
            "plus de {FOLDED_MAX} modifications jointes."
        )));
    }
    for edit in &edits {
        let own = match (create.entity, edit.entity.as_str()) {
            ("dossier", "holder") => created_holders(value).any(|h| h == edit.id.to_string()),
            ("dossier", section) if keyed_by_dossier(section) => edit.id == create.entity_id,
            (made, edited) => made == edited && edit.id == create.entity_id,
        };
        if !own || (edit.entity == "dossier" && matches!(edit.field.as_str(), "status" | "number"))
        {
            return Err(Refusal::Creation(format!(
                "modification jointe hors de l'enregistrement créé ({} « {} »).",
                clip(&edit.entity),
                clip(&edit.field)
            )));
        }
        let alone = Proposed {
            entity: &edit.entity,
            entity_id: edit.id,
            dossier_id: create.dossier_id,
            op: ChangeOp::SetField,
            field: Some(&edit.field),
            value: Some(&edit.value),
        };
        check(alone, facts)?;
    }
    Ok(())
}

/// At most this many field edits ride with one create (a dossier has about 150 fields).
pub const FOLDED_MAX: usize = 1000;

fn set_field(
    kind: Entity,
    change: Proposed<'_>,
    value: &Value,
    facts: &Facts,
) -> Result<(), Refusal> {
    let name = change.field.ok_or(Refusal::MissingField)?;
    if kind == Entity::Dossier && name == "status" {
        let to = value
            .as_str()
            .and_then(DossierStatus::from_str_opt)
            .ok_or_else(|| Refusal::UnknownStatus(shown(value)))?;
        return match facts.status {
            Some(from) if from != to && !pipeline::next_statuses(from).contains(&to) => {
                Err(Refusal::StatusMove {
                    from: from.label(),
                    to: to.label(),
                })
            }
            _ => Ok(()),
        };
    }
    if kind == Entity::Dossier && name == "number" {
        return match value.as_str() {
            Some(number) if !number.is_empty() && number.chars().count() <= NAME_MAX => Ok(()),
            _ => Err(Refusal::Field(
                "number : numéro de dossier illisible.".into(),
            )),
        };
    }
    let (_, spec) = field::resolve(kind, name).map_err(Refusal::Field)?;
    spec.kind
        .check_stored(value, facts.today)
        .map(|_| ())
        .map_err(|m| Refusal::Field(format!("{name} : {m}")))
}

fn create_dossier(id: Uuid, value: &Value) -> Result<(), Refusal> {
    let dossier = Dossier::from_json(value).map_err(|e| {
        Refusal::Creation(format!(
            "le contenu n'est pas un dossier lisible : {}.",
            e.describe()
        ))
    })?;
    if dossier.id != id {
        return Err(Refusal::Creation(
            "le dossier ne porte pas l'identifiant du changement.".into(),
        ));
    }
    dossier
        .revalidate()
        .map(|_| ())
        .map_err(|e| Refusal::Creation(detail(&e)))
}

/// A validation error's messages, each after its field.
fn detail(e: &permanence_domain::Error) -> String {
    match e.to_api().fields {
        Some(fields) => fields
            .iter()
            .map(|(field, message)| format!("{field} : {message}"))
            .collect::<Vec<_>>()
            .join(" ; "),
        None => e.to_string(),
    }
}

fn create_holder(dossier: Option<Uuid>, value: &Value, today: NaiveDate) -> Result<(), Refusal> {
    same_dossier(dossier, value)?;
    for name in ["last_name", "first_name"] {
        if value[name].as_str().is_none_or(|t| t.trim().is_empty()) {
            return Err(Refusal::Creation(format!("{name} : obligatoire.")));
        }
    }
    for name in [
        "civility",
        "last_name",
        "first_name",
        "phone",
        "commune_insee",
    ] {
        let (_, spec) = field::resolve(Entity::Holder, name).map_err(Refusal::Field)?;
        spec.kind
            .check_stored(&value[name], today)
            .map_err(|m| Refusal::Creation(format!("{name} : {m}")))?;
    }
    Ok(())
}

fn create_line(dossier: Option<Uuid>, value: &Value) -> Result<(), Refusal> {
    if dossier.is_none() {
        return Err(Refusal::Creation("ligne sans dossier.".into()));
    }
    match value["category"]
        .as_str()
        .and_then(FinancingCategory::from_str_opt)
    {
        Some(_) => Ok(()),
        None => Err(Refusal::Creation(format!(
            "catégorie de financement « {} » inconnue.",
            shown(&value["category"])
        ))),
    }
}

/// A record made whole (a loan, a loan's movement, a checkpoint): it names its dossier, its
/// content reads as `T` and has none of `problems`. Its scope is the head office's to check;
/// what depends on the store (a dossier granted, a loan disbursed) the laptop's that records it.
fn made_whole<T: serde::de::DeserializeOwned>(
    dossier: Option<Uuid>,
    value: &Value,
    what: &str,
    problems: impl FnOnce(&T) -> permanence_domain::FieldErrors,
) -> Result<(), Refusal> {
    if dossier.is_none() {
        return Err(Refusal::Creation(format!("{what} sans dossier.")));
    }
    let content: T = serde_json::from_value(value.clone())
        .map_err(|_| Refusal::Creation(format!("contenu du {what} illisible.")))?;
    let problems = problems(&content);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Creation(detail(
            &permanence_domain::Error::Invalid(problems),
        )))
    }
}

/// A record of the platform made whole (a mentor's card, a workshop): it names no dossier
/// (its scope is the platform of the laptop that made it), its content reads as `T` and has
/// none of `problems`.
fn platform_whole<T: serde::de::DeserializeOwned>(
    value: &Value,
    what: &str,
    problems: impl FnOnce(&T) -> permanence_domain::FieldErrors,
) -> Result<(), Refusal> {
    let content: T = serde_json::from_value(value.clone()).map_err(|_| {
        Refusal::Creation(format!("contenu de l'enregistrement « {what} » illisible."))
    })?;
    let problems = problems(&content);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Creation(detail(
            &permanence_domain::Error::Invalid(problems),
        )))
    }
}

fn create_session(value: &Value) -> Result<(), Refusal> {
    day(value, "held_on")?;
    let insee = value["commune_insee"].as_str().unwrap_or_default();
    if reference::commune(insee).is_none() {
        return Err(Refusal::Creation(format!(
            "commune « {} » inconnue.",
            clip(insee)
        )));
    }
    short_text(value, "place")?;
    short_text(value, "advisor")
}

fn create_committee(value: &Value) -> Result<(), Refusal> {
    day(value, "held_on")?;
    if value["kind"]
        .as_str()
        .and_then(CommitteeKind::from_str_opt)
        .is_none()
    {
        return Err(Refusal::Creation("type de comité inconnu.".into()));
    }
    short_text(value, "place")
}

/// An agenda entry names its dossier, and its committee when made by this version; its id
/// is the one the pair gives (an entry logged before it named its committee is found by it).
fn agenda_entry(id: Uuid, value: &Value) -> Result<(), Refusal> {
    let Some(Ok(dossier)) = value["dossier_id"].as_str().map(Uuid::parse_str) else {
        return Err(Refusal::Creation("inscription sans dossier.".into()));
    };
    match &value["committee_id"] {
        Value::Null => Ok(()),
        named => match named.as_str().map(Uuid::parse_str) {
            Some(Ok(committee)) if agenda_entry_id(committee, dossier) == id => Ok(()),
            _ => Err(Refusal::Creation(
                "inscription dont le comité ne correspond pas à l'enregistrement.".into(),
            )),
        },
    }
}

fn add_note(dossier: Option<Uuid>, value: &Value) -> Result<(), Refusal> {
    if dossier.is_none() {
        return Err(Refusal::Creation("note sans dossier.".into()));
    }
    let body = value["body"].as_str().unwrap_or_default();
    visible_text(body).map_err(|m| Refusal::Creation(format!("body : {m}")))?;
    if body.trim().is_empty() || body.chars().count() > LONG_TEXT_MAX {
        return Err(Refusal::Creation(format!(
            "une note a de 1 à {LONG_TEXT_MAX} caractères."
        )));
    }
    short_text(value, "author")
}

/// A holder or line names its dossier in its content too: the same as the change's.
fn same_dossier(dossier: Option<Uuid>, value: &Value) -> Result<(), Refusal> {
    let named = value["dossier_id"].as_str().map(Uuid::parse_str);
    match (dossier, named) {
        (Some(d), Some(Ok(n))) if d == n => Ok(()),
        (Some(_), None) => Ok(()),
        _ => Err(Refusal::Creation(
            "l'enregistrement ne nomme pas le dossier du changement.".into(),
        )),
    }
}

fn day(value: &Value, name: &str) -> Result<NaiveDate, Refusal> {
    value[name]
        .as_str()
        .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
        .ok_or_else(|| Refusal::Creation(format!("{name} : date illisible.")))
}

fn short_text(value: &Value, name: &str) -> Result<(), Refusal> {
    match &value[name] {
        Value::Null => Ok(()),
        Value::String(t) if t.chars().count() <= SHORT_TEXT_MAX && visible_text(t).is_ok() => {
            Ok(())
        }
        _ => Err(Refusal::Creation(format!(
            "{name} : au plus {SHORT_TEXT_MAX} caractères."
        ))),
    }
}

/// A value as a reason names it: a text as it is, anything else as JSON.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => clip(text),
        other => clip(&other.to_string()),
    }
}

/// At most 60 characters of what someone sent, to name it in a reason.
fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().filter(|c| !c.is_control()).take(60).collect();
    if text.chars().count() > 60 {
        clipped.push('…');
    }
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts(status: Option<DossierStatus>) -> Facts {
        Facts {
            today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            status,
        }
    }

    fn status_change(value: &Value) -> Proposed<'_> {
        Proposed {
            entity: "dossier",
            entity_id: Uuid::nil(),
            dossier_id: None,
            op: ChangeOp::SetField,
            field: Some("status"),
            value: Some(value),
        }
    }

    #[test]
    fn a_status_moves_only_along_the_pipeline_when_the_current_one_is_known() {
        let decaisse = json!("decaisse");
        let refusal = check(
            status_change(&decaisse),
            &facts(Some(DossierStatus::PremierContact)),
        )
        .unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "Passage du statut « Premier contact » à « Décaissé » non permis."
        );
        assert_eq!(
            check(
                status_change(&decaisse),
                &facts(Some(DossierStatus::Accorde))
            ),
            Ok(())
        );
        assert_eq!(check(status_change(&decaisse), &facts(None)), Ok(()));
        let junk = json!(42);
        assert_eq!(
            check(status_change(&junk), &facts(None)),
            Err(Refusal::UnknownStatus("42".into()))
        );
    }

    #[test]
    fn unknown_records_and_operations_are_named_without_control_characters() {
        let value = json!({});
        let change = |entity, op| Proposed {
            entity,
            entity_id: Uuid::nil(),
            dossier_id: None,
            op,
            field: None,
            value: Some(&value),
        };
        assert_eq!(
            check(change("vi\u{0}rus", ChangeOp::Create), &facts(None)),
            Err(Refusal::UnknownEntity("virus".into()))
        );
        assert!(matches!(
            check(change("session", ChangeOp::Delete), &facts(None)),
            Err(Refusal::Operation { .. })
        ));
    }

    #[test]
    fn a_checkpoint_is_made_whole_within_its_rules_and_only_removed_after() {
        let dossier = Some(Uuid::now_v7());
        let good = json!({
            "month": 24, "held_on": "2026-11-02", "state": "active", "headcount": 3,
            "turnover_cents": 120_000_00, "note": "Deux salariés."
        });
        let change = |op, dossier, value| Proposed {
            entity: "checkpoint",
            entity_id: Uuid::now_v7(),
            dossier_id: dossier,
            op,
            field: None,
            value,
        };
        let today = facts(None);
        assert_eq!(
            check(change(ChangeOp::Create, dossier, Some(&good)), &today),
            Ok(())
        );
        assert_eq!(
            check(change(ChangeOp::Create, None, Some(&good)), &today),
            Err(Refusal::Creation("point de suivi sans dossier.".into()))
        );
        let mut eighteen = good.clone();
        eighteen["month"] = json!(18);
        assert_eq!(
            check(change(ChangeOp::Create, dossier, Some(&eighteen)), &today)
                .unwrap_err()
                .to_string(),
            "Création refusée : month : Le point de suivi se fait à 12, 24 ou 36 mois."
        );
        let mut hidden = good.clone();
        hidden["note"] = json!("Bilan \u{202e}positif");
        assert!(
            check(change(ChangeOp::Create, dossier, Some(&hidden)), &today)
                .unwrap_err()
                .to_string()
                .contains("note : Ce texte contient un caractère invisible")
        );
        let mut extra = good.clone();
        extra["dossier_id"] = json!(Uuid::nil());
        assert_eq!(
            check(change(ChangeOp::Create, dossier, Some(&extra)), &today),
            Err(Refusal::Creation(
                "contenu du point de suivi illisible.".into()
            ))
        );
        assert_eq!(
            check(change(ChangeOp::Delete, dossier, None), &today),
            Ok(())
        );
        assert!(matches!(
            check(change(ChangeOp::SetField, dossier, Some(&good)), &today),
            Err(Refusal::Operation { .. })
        ));
    }

    #[test]
    fn mentoring_records_are_made_whole_platform_ones_without_a_dossier() {
        let dossier = Some(Uuid::now_v7());
        let today = facts(None);
        let change = |entity, op, dossier, value| Proposed {
            entity,
            entity_id: Uuid::now_v7(),
            dossier_id: dossier,
            op,
            field: None,
            value,
        };
        let card = json!({
            "mentor_id": Uuid::now_v7(), "name": "Jeanne Leroy", "trade": "Boulangère",
            "commune_insee": "62447", "availability": "", "active": true
        });
        assert_eq!(
            check(
                change("mentor", ChangeOp::Create, None, Some(&card)),
                &today
            ),
            Ok(())
        );
        let mut nameless = card.clone();
        nameless["name"] = json!(" ");
        assert_eq!(
            check(
                change("mentor", ChangeOp::Create, None, Some(&nameless)),
                &today
            )
            .unwrap_err()
            .to_string(),
            "Création refusée : name : Indiquez le nom du parrain."
        );
        // A mentor is never removed nor edited field by field: a new card says it all.
        for op in [ChangeOp::Delete, ChangeOp::SetField] {
            assert!(matches!(
                check(change("mentor", op, None, Some(&card)), &today),
                Err(Refusal::Operation { .. })
            ));
        }
        let workshop = json!({
            "held_on": "2026-12-10", "theme": "Tenir sa comptabilité", "place": "Fruges",
            "capacity": 12
        });
        assert_eq!(
            check(
                change("workshop", ChangeOp::Create, None, Some(&workshop)),
                &today
            ),
            Ok(())
        );
        let mut extra = workshop.clone();
        extra["price"] = json!(10);
        assert_eq!(
            check(
                change("workshop", ChangeOp::Create, None, Some(&extra)),
                &today
            ),
            Err(Refusal::Creation(
                "contenu de l'enregistrement « atelier » illisible.".into()
            ))
        );
        let pairing = json!({
            "pairing_id": Uuid::now_v7(), "mentor_id": Uuid::now_v7(),
            "start_on": "2026-03-01", "end_on": "2026-02-01"
        });
        assert_eq!(
            check(
                change("pairing", ChangeOp::Create, dossier, Some(&pairing)),
                &today
            )
            .unwrap_err()
            .to_string(),
            "Création refusée : end_on : La fin du parrainage (01/02/2026) précède son début \
             (01/03/2026)."
        );
        let registration = json!({
            "workshop_id": Uuid::now_v7(), "holder_id": Uuid::now_v7(), "present": true
        });
        assert_eq!(
            check(
                change(
                    "workshop_registration",
                    ChangeOp::Create,
                    None,
                    Some(&registration)
                ),
                &today
            ),
            Err(Refusal::Creation(
                "inscription à un atelier sans dossier.".into()
            ))
        );
        for entity in ["pairing", "mentor_meeting", "workshop_registration"] {
            assert_eq!(
                check(change(entity, ChangeOp::Delete, dossier, None), &today),
                Ok(())
            );
        }
    }
}
