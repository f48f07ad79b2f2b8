//! Import and export of a whole dossier as JSON, the same shape both ways (the `Dossier` read
//! model). An import is validated like the forms, field by field, in one transaction: a bad
//! file is refused with every field error and imports nothing.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde_json::{json, Value};
use uuid::Uuid;

use super::checkpoints::insert_checkpoint;
use super::loans::{check_movement, insert_loan, insert_movement};
use super::read::load_dossier;
use super::write::{apply_edit, insert_dossier_tx, queue_created};
use super::{record_change, refresh_search, timestamp, Store};
use permanence_domain::checkpoint::CheckpointDraft;
use permanence_domain::dossier::{Dossier, LONG_TEXT_MAX};
use permanence_domain::error::{Error, FieldErrors, Result};
use permanence_domain::field::{
    self, Entity, FieldEdit, BUSINESS_FIELDS, DOSSIER_FIELDS, FINANCING_LINE_FIELDS,
    FORECAST_FIELDS, HOLDER_FIELDS,
};
use permanence_domain::ledger::{widest_rules, LoanAgreement, MovementDraft};

/// The field edits that give `record` (an exported object) its values.
fn edits_of(
    entity: Entity,
    id: Uuid,
    record: &Value,
    fields: &[&str],
    prefix: &str,
) -> Vec<FieldEdit> {
    fields
        .iter()
        .filter_map(|field| {
            let value = record.get(*field)?;
            let field = format!("{prefix}{field}");
            // The value as a person would type it (amounts in euros with a French comma),
            // to go through the form's own checks; an unknown field is refused by them.
            let value = match field::resolve(entity, &field) {
                Ok((_, spec)) => spec.kind.as_typed(value),
                Err(_) => value.clone(),
            };
            (!value.is_null()).then_some(FieldEdit {
                entity,
                id,
                field,
                value,
            })
        })
        .collect()
}

impl Store {
    /// The dossier as JSON, ready for `import_dossier` on another laptop.
    pub fn export_dossier(&self, id: Uuid) -> Result<Value> {
        serde_json::to_value(self.get_dossier(id)?).map_err(super::internal)
    }

    /// Imports an exported dossier (same ids), validating every field like the forms.
    pub fn import_dossier(&mut self, json: &Value) -> Result<Dossier> {
        let dossier = Dossier::from_json(json).map_err(|e| match e.place.as_str() {
            "" => Error::field("fichier", "Ce fichier n'est pas un dossier Permanence."),
            place => Error::field(
                place,
                format!(
                    "Ce fichier n'est pas un dossier Permanence : {}.",
                    e.describe()
                ),
            ),
        })?;
        let now = self.now();
        let tx = self.conn.transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM dossier WHERE id = ?1)",
            [dossier.id.to_string()],
            |r| r.get(0),
        )?;
        if exists {
            return Err(Error::field(
                "id",
                format!("Le dossier {} est déjà dans cette base.", dossier.number),
            ));
        }
        let (valid, holder_ids) = dossier.revalidate()?;
        // A holder is in one dossier only: an id already here is another dossier's holder.
        let mut taken = FieldErrors::new();
        for (i, holder) in holder_ids.iter().enumerate() {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM holder WHERE id = ?1)",
                [holder.to_string()],
                |r| r.get(0),
            )?;
            if exists {
                taken.insert(
                    format!("holders.{i}.id"),
                    "Ce porteur est déjà dans un autre dossier de cette base.".into(),
                );
            }
        }
        if !taken.is_empty() {
            return Err(Error::Invalid(taken));
        }
        insert_dossier_tx(
            &tx,
            &self.settings,
            &valid,
            dossier.id,
            &holder_ids,
            dossier.status,
            dossier.created_at,
        )?;

        // The number travels with the dossier (the head office's, or the provisional one).
        tx.execute(
            "UPDATE dossier SET number = ?2 WHERE id = ?1",
            params![dossier.id.to_string(), dossier.number],
        )?;
        let record = serde_json::to_value(&dossier).map_err(super::internal)?;
        let names = |specs: &[permanence_domain::field::Spec]| {
            specs.iter().map(|s| s.field).collect::<Vec<_>>()
        };
        let mut edits: Vec<(String, FieldEdit)> = Vec::new();
        let mut push = |path: String, list: Vec<FieldEdit>| {
            for edit in list {
                edits.push((format!("{path}{}", edit.field), edit));
            }
        };
        push(
            String::new(),
            edits_of(
                Entity::Dossier,
                dossier.id,
                &record,
                &names(DOSSIER_FIELDS),
                "",
            ),
        );
        push(
            "business.".into(),
            edits_of(
                Entity::Business,
                dossier.id,
                &record["business"],
                &names(BUSINESS_FIELDS),
                "",
            ),
        );
        for (i, h) in record["holders"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            push(
                format!("holders.{i}."),
                edits_of(Entity::Holder, holder_ids[i], h, &names(HOLDER_FIELDS), ""),
            );
        }
        for year in record["forecast"].as_array().into_iter().flatten() {
            let y = year["year"].as_i64().unwrap_or_default();
            push(
                "forecast.".into(),
                edits_of(
                    Entity::Forecast,
                    dossier.id,
                    year,
                    &names(FORECAST_FIELDS),
                    &format!("{y}."),
                ),
            );
        }
        for doc in &dossier.documents {
            push(
                "documents.".into(),
                vec![FieldEdit {
                    entity: Entity::Document,
                    id: dossier.id,
                    field: format!("{}.status", doc.kind.as_str()),
                    value: json!(doc.status),
                }],
            );
            if let Some(on) = doc.on_date {
                push(
                    "documents.".into(),
                    vec![FieldEdit {
                        entity: Entity::Document,
                        id: dossier.id,
                        field: format!("{}.on_date", doc.kind.as_str()),
                        value: json!(on.to_string()),
                    }],
                );
            }
        }
        for (i, line) in dossier.financing.iter().enumerate() {
            tx.execute(
                "INSERT INTO financing_line (id, dossier_id, side, category, position)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    line.id.to_string(),
                    dossier.id.to_string(),
                    line.category.side().as_str(),
                    line.category.as_str(),
                    i as i64
                ],
            )?;
            record_change(
                &tx,
                "financing_line",
                line.id,
                "create",
                None,
                Some(json!({ "dossier_id": dossier.id, "category": line.category })),
                now,
            )?;
            let fields: Vec<&str> = names(FINANCING_LINE_FIELDS)
                .into_iter()
                .filter(|f| *f != "category")
                .collect();
            push(
                format!("financing.{i}."),
                edits_of(
                    Entity::FinancingLine,
                    line.id,
                    &record["financing"][i],
                    &fields,
                    "",
                ),
            );
        }

        let mut errors = FieldErrors::new();
        for (path, edit) in &edits {
            if let Err(err) = apply_edit(&tx, edit, &self.settings, now) {
                let message = match err {
                    Error::Invalid(fields) => fields.into_values().next().unwrap_or_default(),
                    other => return Err(other),
                };
                errors.insert(path.clone(), message);
            }
        }
        for (i, note) in dossier.notes.iter().enumerate() {
            let body = note.body.trim();
            if body.is_empty() || body.chars().count() > LONG_TEXT_MAX {
                errors.insert(
                    format!("notes.{i}.body"),
                    "Note vide ou trop longue.".into(),
                );
                continue;
            }
            tx.execute(
                "INSERT INTO note (id, dossier_id, body, author, written_at, supersedes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    note.id.to_string(),
                    dossier.id.to_string(),
                    body,
                    note.author,
                    timestamp(note.written_at),
                    note.supersedes.map(|s| s.to_string())
                ],
            )
            .map_err(|_| {
                Error::field(
                    format!("notes.{i}"),
                    "Cette note corrige une note absente du fichier.",
                )
            })?;
            record_change(
                &tx,
                "note",
                note.id,
                "add_note",
                None,
                Some(
                    json!({ "dossier_id": dossier.id, "body": body, "supersedes": note.supersedes }),
                ),
                now,
            )?;
        }
        import_follow_up(&tx, &dossier, &holder_ids, now, &mut errors)?;
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        refresh_search(&tx, dossier.id)?;
        let imported = load_dossier(&tx, dossier.id, &self.settings)?;
        tx.commit()?;
        Ok(imported)
    }
}

/// Writes a dossier's loans with their movements and its checkpoints, as the file carries
/// them, each checked as when it was typed (a loan by the widest rules: it was signed under
/// the rules of its day) with one outbox row; a problem is noted under its place in the file.
fn import_follow_up(
    tx: &Connection,
    dossier: &Dossier,
    holder_ids: &[Uuid],
    now: DateTime<Utc>,
    errors: &mut FieldErrors,
) -> Result<()> {
    let mut note = |place: String, problems: FieldErrors| {
        for (field, message) in problems {
            errors.insert(format!("{place}.{field}"), message);
        }
    };
    for (i, loan) in dossier.loans.iter().enumerate() {
        let agreement = LoanAgreement {
            holder_id: loan.holder_id,
            amount_cents: loan.amount_cents,
            months: loan.months,
            deferral_months: loan.deferral_months,
            signed_on: loan.signed_on,
            reference: loan.reference.clone(),
        };
        let mut problems = agreement.problems(&widest_rules());
        if !holder_ids.contains(&loan.holder_id) {
            problems.insert(
                "holder_id".into(),
                "Ce prêt est celui d'un porteur absent du dossier.".into(),
            );
        }
        if !problems.is_empty() {
            note(format!("loans.{i}"), problems);
            continue;
        }
        insert_loan(tx, loan.id, dossier.id, &agreement, None)?;
        queue_created(tx, "loan", loan.id, &agreement, now)?;
        for (j, movement) in loan.movements.iter().enumerate() {
            let draft = MovementDraft {
                loan_id: loan.id,
                kind: movement.kind,
                on: movement.on,
                amount_cents: movement.amount_cents,
                months: movement.months,
                deferral_months: movement.deferral_months,
                note: movement.note.clone(),
            };
            match check_movement(tx, &draft) {
                Ok(_) => {}
                Err(Error::Invalid(problems)) => {
                    note(format!("loans.{i}.movements.{j}"), problems);
                    continue;
                }
                Err(other) => return Err(other),
            }
            insert_movement(tx, movement.id, dossier.id, &draft, None)?;
            queue_created(tx, "loan_movement", movement.id, &draft, now)?;
        }
    }
    for (i, checkpoint) in dossier.checkpoints.iter().enumerate() {
        let draft = CheckpointDraft {
            month: checkpoint.month,
            held_on: checkpoint.held_on,
            state: checkpoint.state,
            state_since: checkpoint.state_since,
            headcount: checkpoint.headcount,
            turnover_cents: checkpoint.turnover_cents,
            note: checkpoint.note.clone(),
        };
        let mut problems = draft.problems();
        if dossier.checkpoints[..i]
            .iter()
            .any(|c| c.month == draft.month)
        {
            problems.insert(
                "month".into(),
                format!("Le point de suivi à {} mois figure deux fois.", draft.month),
            );
        }
        if !problems.is_empty() {
            note(format!("checkpoints.{i}"), problems);
            continue;
        }
        insert_checkpoint(tx, checkpoint.id, dossier.id, &draft, None)?;
        queue_created(tx, "checkpoint", checkpoint.id, &draft, now)?;
    }
    Ok(())
}
