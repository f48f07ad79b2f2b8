//! Follow-up checkpoints of a financed business (issue 12): at 12, 24 and 36 months after its
//! start of activity, where it stands, its headcount and turnover
//! (`permanence_domain::checkpoint`); and the list of those due this month.
//!
//! Invariants: a checkpoint belongs to a live dossier that is financed (its loan paid out),
//! one live checkpoint per month per dossier on this laptop, never dated after today. Rows are
//! only added; a removal leaves a tombstone that sync carries. Each write is one transaction
//! with its outbox row.
//!
//! Two laptops recording the same month offline both keep theirs once synced (records are
//! never merged): the dossier shows both, and the advisor removes the one too many.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::read::load_dossier;
use super::write::queue_created;
use super::{date_col, display_name, enum_col, finish, record_change, timestamp, uuid_col, Store};
use permanence_domain::checkpoint::{self, Checkpoint, CheckpointDraft, CheckpointDue};
use permanence_domain::codes::{BusinessState, DossierStatus};
use permanence_domain::dates::format_date;
use permanence_domain::dossier::Dossier;
use permanence_domain::error::{Error, Result};
use permanence_sync::Hlc;

const COLUMNS: &str =
    "id, month, held_on, state, state_since, headcount, turnover_cents, note, dossier_id";

impl Store {
    /// Records a follow-up checkpoint of a financed dossier.
    pub fn add_checkpoint(&mut self, dossier_id: Uuid, draft: &CheckpointDraft) -> Result<Dossier> {
        let now = self.now();
        let today = self.clock.today();
        let mut problems = draft.problems();
        if draft.held_on > today {
            problems.insert(
                "held_on".into(),
                "Le point de suivi ne peut pas être daté après aujourd'hui.".into(),
            );
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let tx = self.conn.transaction()?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        if !dossier.financed() {
            return Err(Error::field(
                "month",
                "Le suivi de l'entreprise commence une fois le prêt d'honneur décaissé.",
            ));
        }
        if dossier.checkpoints.iter().any(|c| c.month == draft.month) {
            return Err(Error::field(
                "month",
                format!(
                    "Le point de suivi à {} mois est déjà enregistré : retirez-le pour le saisir à nouveau.",
                    draft.month
                ),
            ));
        }
        if let Some(start) = dossier.activity_start().filter(|s| draft.held_on < *s) {
            return Err(Error::field(
                "held_on",
                format!(
                    "Le point de suivi est antérieur au début d'activité ({}).",
                    format_date(start)
                ),
            ));
        }
        let id = Uuid::now_v7();
        insert_checkpoint(&tx, id, dossier_id, draft, None)?;
        queue_created(&tx, "checkpoint", id, draft, now)?;
        finish(&tx, dossier_id, now)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Removes a checkpoint typed in error (it may then be typed again).
    pub fn remove_checkpoint(&mut self, checkpoint_id: Uuid) -> Result<Dossier> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let dossier: Option<String> = tx
            .query_row(
                "SELECT dossier_id FROM checkpoint WHERE id = ?1 AND deleted_at IS NULL",
                [checkpoint_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(dossier) = dossier.and_then(|d| Uuid::parse_str(&d).ok()) else {
            return Err(Error::NotFound {
                what: "Point de suivi",
                id: checkpoint_id.to_string(),
            });
        };
        tx.prepare_cached("UPDATE checkpoint SET deleted_at = ?2 WHERE id = ?1")?
            .execute(params![checkpoint_id.to_string(), timestamp(now)])?;
        record_change(&tx, "checkpoint", checkpoint_id, "delete", None, None, now)?;
        finish(&tx, dossier, now)?;
        let loaded = load_dossier(&tx, dossier, &self.settings)?;
        tx.commit()?;
        Ok(loaded)
    }

    /// The checkpoints of every financed dossier of this store that fall due in the calendar
    /// month of `month` (any day of it) or fell due earlier and are not recorded yet, the
    /// earliest first. A dossier whose start of activity is unknown (no date in its business
    /// section, no disbursement) has none.
    pub fn checkpoints_due(&self, month: NaiveDate) -> Result<Vec<CheckpointDue>> {
        let recorded = all_checkpoints(&self.conn)?;
        // The same facts `Dossier::activity_start` and `Dossier::financed` read, for every
        // dossier at once rather than loading each whole.
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.number, d.status, h.first_name, h.last_name, b.start_on,
                    (SELECT min(m.on_date) FROM loan_movement m JOIN loan n ON n.id = m.loan_id
                     WHERE m.dossier_id = d.id AND m.kind = 'decaissement'
                       AND m.deleted_at IS NULL AND n.deleted_at IS NULL)
             FROM dossier d
             LEFT JOIN holder h ON h.dossier_id = d.id AND h.position = 0
             LEFT JOIN business b ON b.dossier_id = d.id
             WHERE d.deleted_at IS NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            let first: Option<String> = r.get(3)?;
            let last: Option<String> = r.get(4)?;
            Ok((
                uuid_col(r, 0)?,
                r.get::<_, String>(1)?,
                enum_col(r, 2, DossierStatus::from_str_opt)?,
                display_name(first.as_deref(), last.as_deref()),
                date_col(r, 5)?,
                date_col(r, 6)?,
            ))
        })?;
        let mut due = Vec::new();
        for row in rows {
            let (dossier_id, number, status, holder_name, start_on, disbursed) = row?;
            if !checkpoint::financed(status, disbursed.is_some()) {
                continue;
            }
            let Some(start) = start_on.or(disbursed) else {
                continue;
            };
            let done = recorded.get(&dossier_id).map_or(&[][..], |v| v.as_slice());
            due.extend(
                checkpoint::due(start, done, month)
                    .into_iter()
                    .map(|d| CheckpointDue {
                        dossier_id,
                        number: number.clone(),
                        holder_name: holder_name.clone(),
                        month: d.month,
                        due_on: d.due_on,
                        overdue: d.overdue,
                    }),
            );
        }
        due.sort_by(|a, b| (a.due_on, &a.number, a.month).cmp(&(b.due_on, &b.number, b.month)));
        Ok(due)
    }
}

/// Writes a checkpoint's row, as recorded here or pulled (`added`: the creation's stamp,
/// when known now).
pub(super) fn insert_checkpoint(
    conn: &Connection,
    id: Uuid,
    dossier_id: Uuid,
    draft: &CheckpointDraft,
    added: Option<Hlc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO checkpoint (id, dossier_id, month, held_on, state, state_since,
                                           headcount, turnover_cents, note, added_hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        id.to_string(),
        dossier_id.to_string(),
        draft.month,
        draft.held_on.to_string(),
        draft.state.as_str(),
        draft.state_since.map(|d| d.to_string()),
        draft.headcount,
        draft.turnover_cents,
        draft.note.trim(),
        added.map(|h| h.to_string())
    ])?;
    Ok(())
}

fn checkpoint_row(r: &rusqlite::Row) -> rusqlite::Result<Checkpoint> {
    Ok(Checkpoint {
        id: uuid_col(r, 0)?,
        month: r.get(1)?,
        held_on: date_col(r, 2)?.unwrap_or_default(),
        state: enum_col(r, 3, BusinessState::from_str_opt)?,
        state_since: date_col(r, 4)?,
        headcount: r.get(5)?,
        turnover_cents: r.get(6)?,
        note: r.get(7)?,
    })
}

/// Every dossier's live checkpoints, in the order `load_checkpoints` gives one dossier's.
pub(super) fn all_checkpoints(conn: &Connection) -> Result<HashMap<Uuid, Vec<Checkpoint>>> {
    let mut recorded: HashMap<Uuid, Vec<Checkpoint>> = HashMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM checkpoint WHERE deleted_at IS NULL
         ORDER BY month, added_hlc, id"
    ))?;
    for row in stmt.query_map([], |r| Ok((uuid_col(r, 8)?, checkpoint_row(r)?)))? {
        let (dossier, checkpoint) = row?;
        recorded.entry(dossier).or_default().push(checkpoint);
    }
    Ok(recorded)
}

/// A dossier's live checkpoints by month, then in the order they were recorded (their
/// creations' stamps, the same on every laptop).
pub(super) fn load_checkpoints(conn: &Connection, key: &str) -> Result<Vec<Checkpoint>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM checkpoint WHERE dossier_id = ?1 AND deleted_at IS NULL
             ORDER BY month, added_hlc, id"
        ))?
        .query_map([key], checkpoint_row)?
        .collect::<rusqlite::Result<_>>()?)
}
