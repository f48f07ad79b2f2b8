//! The catalogue of the data: every kind of record the store keeps and sync carries
//! (`RecordKind`), and every field of each with its French label and code list (the specs of
//! `field`). The outbox, the wire, both sides' rules and the head office name records by
//! `RecordKind::as_str`; the UI's labels and code lists are generated from here
//! (`ui/src/lib/bindings/catalogue.ts`, by `make bindings`).
//!
//! Adding a field: a migration adding its column, one `spec(…)` line in `field.rs` (name,
//! label, kind), its place on a screen (`<Field entity=… field=…>`). The catalogue test fails
//! while one of these is missing.

use crate::codes::{Code, DossierStatus};
use crate::field::{self, Entity, Kind, Spec};

/// Every kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Dossier,
    Holder,
    /// The dossier's business section (one per dossier, addressed by the dossier's id).
    Business,
    FinancingLine,
    /// The dossier's three-year forecast (addressed by the dossier's id).
    Forecast,
    /// The dossier's checklist of documents (addressed by the dossier's id).
    Document,
    Note,
    Session,
    Committee,
    /// A dossier on a committee's agenda, with its decision.
    AgendaEntry,
    /// A person's choice about a conflict.
    Conflict,
    /// One holder's honour loan, as signed after the accord (made whole, never edited).
    Loan,
    /// A dated movement of a loan: disbursement, repayment, rescheduling, write-off.
    LoanMovement,
    /// A follow-up checkpoint of a financed business at 12, 24 or 36 months (made whole,
    /// never edited).
    Checkpoint,
    /// A card of the platform's directory of mentors (made whole; an edit records a new
    /// card of the same mentor).
    Mentor,
    /// A mentor paired with a financed dossier's business (made whole; ending it records a
    /// new version of the same pairing).
    Pairing,
    /// A meeting of a pairing (made whole, never edited).
    MentorMeeting,
    /// A workshop of the platform (made whole, never edited).
    Workshop,
    /// A holder registered to a workshop, present or not (made whole; marking present
    /// removes it and records it again).
    WorkshopRegistration,
    /// The platform's settings (loan rules, schemes, territory, summary template, logo): one
    /// record per platform, written by the head office only, whole.
    Settings,
}

impl RecordKind {
    pub const ALL: [RecordKind; 20] = [
        RecordKind::Dossier,
        RecordKind::Holder,
        RecordKind::Business,
        RecordKind::FinancingLine,
        RecordKind::Forecast,
        RecordKind::Document,
        RecordKind::Note,
        RecordKind::Session,
        RecordKind::Committee,
        RecordKind::AgendaEntry,
        RecordKind::Conflict,
        RecordKind::Loan,
        RecordKind::LoanMovement,
        RecordKind::Checkpoint,
        RecordKind::Mentor,
        RecordKind::Pairing,
        RecordKind::MentorMeeting,
        RecordKind::Workshop,
        RecordKind::WorkshopRegistration,
        RecordKind::Settings,
    ];

    /// Its name in the outbox and on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            RecordKind::Dossier => "dossier",
            RecordKind::Holder => "holder",
            RecordKind::Business => "business",
            RecordKind::FinancingLine => "financing_line",
            RecordKind::Forecast => "forecast",
            RecordKind::Document => "document",
            RecordKind::Note => "note",
            RecordKind::Session => "session",
            RecordKind::Committee => "committee",
            RecordKind::AgendaEntry => "committee_agenda",
            RecordKind::Conflict => "conflict",
            RecordKind::Loan => "loan",
            RecordKind::LoanMovement => "loan_movement",
            RecordKind::Checkpoint => "checkpoint",
            RecordKind::Mentor => "mentor",
            RecordKind::Pairing => "pairing",
            RecordKind::MentorMeeting => "mentor_meeting",
            RecordKind::Workshop => "workshop",
            RecordKind::WorkshopRegistration => "workshop_registration",
            RecordKind::Settings => "settings",
        }
    }

    pub fn parse(name: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// What a person calls it (conflicts, refused changes).
    pub const fn label(self) -> &'static str {
        match self {
            RecordKind::Dossier => "Dossier",
            RecordKind::Holder => "Porteur",
            RecordKind::Business => "Projet et entreprise",
            RecordKind::FinancingLine => "Plan de financement",
            RecordKind::Forecast => "Prévisionnel",
            RecordKind::Document => "Pièces",
            RecordKind::Note => "Notes",
            RecordKind::Session => "Permanence",
            RecordKind::Committee => "Comité",
            RecordKind::AgendaEntry => "Ordre du jour du comité",
            RecordKind::Conflict => "Conflit",
            RecordKind::Loan => "Prêt d'honneur",
            RecordKind::LoanMovement => "Mouvement de prêt",
            RecordKind::Checkpoint => "Point de suivi",
            RecordKind::Mentor => "Parrain",
            RecordKind::Pairing => "Parrainage",
            RecordKind::MentorMeeting => "Rencontre de parrainage",
            RecordKind::Workshop => "Atelier",
            RecordKind::WorkshopRegistration => "Inscription à un atelier",
            RecordKind::Settings => "Réglages de la plateforme",
        }
    }

    /// The store's table of its rows.
    pub const fn table(self) -> &'static str {
        match self {
            RecordKind::Forecast => "forecast_year",
            RecordKind::Conflict => "sync_conflict",
            RecordKind::Settings => "setting",
            other => other.as_str(),
        }
    }

    /// Whether its id is its dossier's (the dossier and its one-per-dossier sections).
    pub const fn keyed_by_dossier(self) -> bool {
        matches!(
            self,
            RecordKind::Dossier
                | RecordKind::Business
                | RecordKind::Forecast
                | RecordKind::Document
        )
    }

    /// The kind of field edits addressed to it, for the kinds whose fields a person edits one
    /// by one.
    pub const fn entity(self) -> Option<Entity> {
        Some(match self {
            RecordKind::Dossier => Entity::Dossier,
            RecordKind::Holder => Entity::Holder,
            RecordKind::Business => Entity::Business,
            RecordKind::FinancingLine => Entity::FinancingLine,
            RecordKind::Forecast => Entity::Forecast,
            RecordKind::Document => Entity::Document,
            _ => return None,
        })
    }

    /// Its fields edited one by one (none for the records made whole).
    pub fn fields(self) -> &'static [Spec] {
        match self {
            RecordKind::Dossier => field::DOSSIER_FIELDS,
            RecordKind::Holder => field::HOLDER_FIELDS,
            RecordKind::Business => field::BUSINESS_FIELDS,
            RecordKind::FinancingLine => field::FINANCING_LINE_FIELDS,
            RecordKind::Forecast => field::FORECAST_FIELDS,
            RecordKind::Document => field::DOCUMENT_FIELDS,
            _ => &[],
        }
    }
}

impl Entity {
    /// Its name in the outbox and on the wire: its record kind's.
    pub fn as_str(self) -> &'static str {
        self.record().as_str()
    }

    /// The entity named `name` in the outbox and on the wire.
    pub fn parse(name: &str) -> Option<Entity> {
        RecordKind::parse(name).and_then(|kind| kind.entity())
    }

    /// The record kind of an edit's entity.
    pub const fn record(self) -> RecordKind {
        match self {
            Entity::Dossier => RecordKind::Dossier,
            Entity::Holder => RecordKind::Holder,
            Entity::Business => RecordKind::Business,
            Entity::FinancingLine => RecordKind::FinancingLine,
            Entity::Forecast => RecordKind::Forecast,
            Entity::Document => RecordKind::Document,
        }
    }
}

/// Fields that sync carries but no form edits: the dossier's number (given by the head
/// office) and status (moved by the pipeline's buttons). Name, label, code list.
pub const SYNCED_ONLY: &[(RecordKind, &str, &str, Option<&str>)] = &[
    (RecordKind::Dossier, "number", "Numéro", None),
    (
        RecordKind::Dossier,
        "status",
        "Statut",
        Some(DossierStatus::NAME),
    ),
];

/// The code list a field's values come from.
pub fn code_list(spec: &Spec) -> Option<&'static str> {
    match spec.kind {
        Kind::Code(list) | Kind::RequiredCode(list) => Some(list.name),
        _ => None,
    }
}

/// The label of `field` of `record` (`"2.turnover_cents"` for a forecast year), or None.
pub fn label(record: RecordKind, field: &str) -> Option<&'static str> {
    let name = field.split_once('.').map_or(field, |(_, name)| name);
    record
        .fields()
        .iter()
        .find(|s| s.field == name)
        .map(|s| s.label)
        .or_else(|| {
            SYNCED_ONLY
                .iter()
                .find(|(r, f, ..)| *r == record && *f == name)
                .map(|(_, _, label, _)| *label)
        })
}

/// The catalogue for the UI: `RECORDS` (each kind's label) and `FIELDS` (each field's label
/// and code list, per kind), as a TypeScript module.
pub fn typescript() -> String {
    let quote = |text: &str| serde_json::Value::from(text).to_string();
    let mut out = String::from(
        "// Generated from crates/domain/src/catalogue.rs and field.rs by `make bindings`. Do not edit this \
         file manually.\n\nexport const RECORDS = {\n",
    );
    for kind in RecordKind::ALL {
        out.push_str(&format!("\t{}: {},\n", kind.as_str(), quote(kind.label())));
    }
    out.push_str(
        "} as const;\n\nexport type RecordName = keyof typeof RECORDS;\n\n\
         export interface FieldInfo {\n\tlabel: string;\n\tcodes: string | null;\n}\n\n\
         export const FIELDS: Partial<Record<RecordName, Record<string, FieldInfo>>> = {\n",
    );
    for kind in RecordKind::ALL {
        let synced: Vec<_> = SYNCED_ONLY.iter().filter(|(r, ..)| *r == kind).collect();
        if kind.fields().is_empty() && synced.is_empty() {
            continue;
        }
        out.push_str(&format!("\t{}: {{\n", kind.as_str()));
        let entry = |name: &str, label: &str, codes: Option<&str>| {
            format!(
                "\t\t{name}: {{ label: {}, codes: {} }},\n",
                quote(label),
                codes.map_or("null".to_owned(), quote)
            )
        };
        for spec in kind.fields() {
            out.push_str(&entry(spec.field, spec.label, code_list(spec)));
        }
        for (_, name, label, codes) in synced {
            out.push_str(&entry(name, label, *codes));
        }
        out.push_str("\t},\n");
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_name_and_every_field_has_a_label() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
            for spec in kind.fields() {
                assert!(
                    !spec.label.trim().is_empty(),
                    "{}.{}",
                    kind.as_str(),
                    spec.field
                );
            }
            if let Some(entity) = kind.entity() {
                assert_eq!(entity.record(), kind);
                assert_eq!(entity.as_str(), kind.as_str());
            }
        }
        assert_eq!(RecordKind::parse("nope"), None);
        assert_eq!(
            label(RecordKind::Forecast, "2.turnover_cents"),
            Some("Chiffre d'affaires")
        );
        assert_eq!(label(RecordKind::Dossier, "status"), Some("Statut"));
        assert_eq!(label(RecordKind::Holder, "nope"), None);
    }
}
