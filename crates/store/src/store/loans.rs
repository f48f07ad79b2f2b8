//! Honour loans after the committee's "accord" (domain brief F, issue 12): one per holder,
//! signed, then followed through its dated movements (`permanence_domain::ledger`).
//!
//! Invariants: a loan belongs to a holder of its dossier, one live loan per holder, and only
//! once the dossier has been granted its loan ("accordé" or later); a movement belongs to a
//! live loan of the same dossier, is dated on or after the signature, never disburses more
//! than was agreed, never repays before a disbursement, and nothing follows a write-off. Rows
//! are only added; a removal leaves a tombstone that sync carries. Each write is one
//! transaction with its outbox row.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::read::load_dossier;
use super::write::{owning_dossier, queue_created};
use super::{date_col, enum_col, finish, record_change, timestamp, uuid_col, Store};
use permanence_domain::codes::{DossierStatus, MovementKind};
use permanence_domain::dates::format_date;
use permanence_domain::dossier::Dossier;
use permanence_domain::error::{Error, Result};
use permanence_domain::field::Entity;
use permanence_domain::ledger::{Loan, LoanAgreement, LoanMovement, LoanState, MovementDraft};
use permanence_domain::money::format_cents;
use permanence_sync::Hlc;

/// The statuses of a dossier whose loan was granted.
const GRANTED: &[DossierStatus] = &[
    DossierStatus::Accorde,
    DossierStatus::Decaisse,
    DossierStatus::EnRemboursement,
    DossierStatus::Solde,
];

/// A loan as the dossier screen shows it: the record, whose it is, and where it stands today
/// (worked out by the domain's ledger with the platform's grace period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoanView {
    pub loan: Loan,
    /// "Prénom NOM" of its holder.
    pub holder_name: String,
    pub state: LoanState,
}

impl Store {
    /// The loans of a dossier with where each stands today.
    pub fn loan_views(&self, dossier_id: Uuid) -> Result<Vec<LoanView>> {
        let dossier = self.get_dossier(dossier_id)?;
        let today = self.clock.today();
        let grace = self.settings.loan_rules.grace_days;
        Ok(dossier
            .loans
            .iter()
            .map(|loan| LoanView {
                holder_name: dossier
                    .holders
                    .iter()
                    .find(|h| h.id == loan.holder_id)
                    .map(|h| super::display_name(Some(&h.first_name), Some(&h.last_name)))
                    .unwrap_or_default(),
                state: loan.state(today, grace),
                loan: loan.clone(),
            })
            .collect())
    }

    /// Records the signed agreement of one holder's honour loan.
    pub fn add_loan(&mut self, dossier_id: Uuid, agreement: &LoanAgreement) -> Result<Dossier> {
        self.add_loan_at(dossier_id, agreement, self.now())
    }

    /// `add_loan` as recorded at `now` (demo data with a history).
    pub(crate) fn add_loan_at(
        &mut self,
        dossier_id: Uuid,
        agreement: &LoanAgreement,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let problems = agreement.problems(&self.settings.loan_rules);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let tx = self.conn.transaction()?;
        let status: Option<String> = tx
            .query_row(
                "SELECT status FROM dossier WHERE id = ?1 AND deleted_at IS NULL",
                [dossier_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(status) = status else {
            return Err(Error::NotFound {
                what: "Dossier",
                id: dossier_id.to_string(),
            });
        };
        if !DossierStatus::from_str_opt(&status).is_some_and(|s| GRANTED.contains(&s)) {
            return Err(Error::field(
                "holder_id",
                "Le prêt d'honneur s'enregistre une fois accordé par le comité.",
            ));
        }
        let holder_of = match owning_dossier(&tx, Entity::Holder, agreement.holder_id) {
            Err(Error::NotFound { .. }) => None,
            found => Some(found?),
        };
        if holder_of != Some(dossier_id) {
            return Err(Error::field(
                "holder_id",
                "Choisissez un porteur de projet de ce dossier.",
            ));
        }
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM loan WHERE holder_id = ?1 AND deleted_at IS NULL)",
            [agreement.holder_id.to_string()],
            |r| r.get(0),
        )?;
        if taken {
            return Err(Error::field(
                "holder_id",
                "Ce porteur a déjà son prêt d'honneur : un prêt par personne.",
            ));
        }
        let id = Uuid::now_v7();
        insert_loan(&tx, id, dossier_id, agreement, None)?;
        queue_created(&tx, "loan", id, agreement, now)?;
        finish(&tx, dossier_id, now)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Records a disbursement, a repayment, a rescheduling or a write-off of a loan.
    pub fn add_loan_movement(&mut self, draft: &MovementDraft) -> Result<Dossier> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let dossier_id = write_movement(&tx, draft, now)?;
        finish(&tx, dossier_id, now)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Movements of one dossier's loans, each as recorded at its time, in one transaction
    /// (demo data with a history: years of monthly repayments).
    pub(crate) fn add_loan_movements_at(
        &mut self,
        movements: &[(MovementDraft, DateTime<Utc>)],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let mut last = None;
        for (draft, at) in movements {
            last = Some((write_movement(&tx, draft, *at)?, *at));
        }
        if let Some((dossier_id, at)) = last {
            finish(&tx, dossier_id, at)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes a movement typed in error (it may then be typed again).
    pub fn remove_loan_movement(&mut self, movement_id: Uuid) -> Result<Dossier> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let dossier: Option<String> = tx
            .query_row(
                "SELECT dossier_id FROM loan_movement WHERE id = ?1 AND deleted_at IS NULL",
                [movement_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(dossier) = dossier.and_then(|d| Uuid::parse_str(&d).ok()) else {
            return Err(Error::NotFound {
                what: "Mouvement du prêt",
                id: movement_id.to_string(),
            });
        };
        tx.prepare_cached("UPDATE loan_movement SET deleted_at = ?2 WHERE id = ?1")?
            .execute(params![movement_id.to_string(), timestamp(now)])?;
        record_change(&tx, "loan_movement", movement_id, "delete", None, None, now)?;
        finish(&tx, dossier, now)?;
        let loaded = load_dossier(&tx, dossier, &self.settings)?;
        tx.commit()?;
        Ok(loaded)
    }

    /// Removes a loan recorded in error, before anything was recorded against it.
    pub fn remove_loan(&mut self, loan_id: Uuid) -> Result<Dossier> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let found: Option<(String, bool)> = tx
            .query_row(
                "SELECT dossier_id, EXISTS (SELECT 1 FROM loan_movement m
                                            WHERE m.loan_id = loan.id AND m.deleted_at IS NULL)
                 FROM loan WHERE id = ?1 AND deleted_at IS NULL",
                [loan_id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((dossier, moved)) = found else {
            return Err(Error::NotFound {
                what: "Prêt d'honneur",
                id: loan_id.to_string(),
            });
        };
        if moved {
            return Err(Error::field(
                "loan_id",
                "Ce prêt a déjà des mouvements : retirez-les d'abord, ou passez-le en perte.",
            ));
        }
        let dossier = Uuid::parse_str(&dossier).map_err(|e| Error::Internal(e.to_string()))?;
        tx.prepare_cached("UPDATE loan SET deleted_at = ?2 WHERE id = ?1")?
            .execute(params![loan_id.to_string(), timestamp(now)])?;
        record_change(&tx, "loan", loan_id, "delete", None, None, now)?;
        finish(&tx, dossier, now)?;
        let loaded = load_dossier(&tx, dossier, &self.settings)?;
        tx.commit()?;
        Ok(loaded)
    }
}

/// Checks and writes a movement with its outbox row; answers its loan's dossier.
fn write_movement(conn: &Connection, draft: &MovementDraft, now: DateTime<Utc>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let dossier_id = check_movement(conn, draft)?;
    insert_movement(conn, id, dossier_id, draft, None)?;
    queue_created(conn, "loan_movement", id, draft, now)?;
    Ok(dossier_id)
}

/// Checks a movement against its loan as this store holds it; answers the loan's dossier.
pub(super) fn check_movement(conn: &Connection, draft: &MovementDraft) -> Result<Uuid> {
    let mut problems = draft.problems();
    // The loan, what was disbursed of it and whether it was written off, in one read.
    let found: Option<(Uuid, i64, Option<chrono::NaiveDate>, i64, bool)> = conn
        .prepare_cached(
            "SELECT l.dossier_id, l.amount_cents, l.signed_on,
                    coalesce(sum(CASE WHEN m.kind = 'decaissement' THEN m.amount_cents END), 0),
                    coalesce(max(m.kind = 'passage_en_perte'), 0)
             FROM loan l
             LEFT JOIN loan_movement m ON m.loan_id = l.id AND m.deleted_at IS NULL
             WHERE l.id = ?1 AND l.deleted_at IS NULL
             GROUP BY l.id",
        )?
        .query_row([draft.loan_id.to_string()], |r| {
            Ok((
                uuid_col(r, 0)?,
                r.get(1)?,
                date_col(r, 2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })
        .optional()?;
    let Some((dossier, amount, signed_on, disbursed, written_off)) = found else {
        return Err(Error::NotFound {
            what: "Prêt d'honneur",
            id: draft.loan_id.to_string(),
        });
    };
    if written_off {
        problems.insert(
            "kind".into(),
            "Ce prêt est passé en perte : plus rien ne s'y enregistre.".into(),
        );
    }
    if let Some(signed_on) = signed_on.filter(|day| draft.on < *day) {
        problems.insert(
            "on".into(),
            format!(
                "La date est antérieure à la signature du prêt ({}).",
                format_date(signed_on)
            ),
        );
    }
    match draft.kind {
        MovementKind::Disbursement if disbursed + draft.amount_cents > amount => {
            problems.insert(
                "amount_cents".into(),
                format!(
                    "Le décaissement dépasserait le prêt accordé ({} déjà décaissés sur {}).",
                    format_cents(disbursed),
                    format_cents(amount)
                ),
            );
        }
        MovementKind::Repayment | MovementKind::Rescheduling if disbursed == 0 => {
            problems.insert("kind".into(), "Le prêt n'est pas encore décaissé.".into());
        }
        _ => {}
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(dossier)
}

/// Writes a loan's row, as recorded here or pulled (`added`: the creation's stamp, when
/// known now).
pub(super) fn insert_loan(
    conn: &Connection,
    id: Uuid,
    dossier_id: Uuid,
    agreement: &LoanAgreement,
    added: Option<Hlc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO loan (id, dossier_id, holder_id, amount_cents, months,
                                     deferral_months, signed_on, reference, added_hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id.to_string(),
        dossier_id.to_string(),
        agreement.holder_id.to_string(),
        agreement.amount_cents,
        agreement.months,
        agreement.deferral_months,
        agreement.signed_on.to_string(),
        agreement.reference.trim(),
        added.map(|h| h.to_string())
    ])?;
    Ok(())
}

/// Writes a movement's row, as recorded here or pulled.
pub(super) fn insert_movement(
    conn: &Connection,
    id: Uuid,
    dossier_id: Uuid,
    draft: &MovementDraft,
    added: Option<Hlc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO loan_movement (id, loan_id, dossier_id, kind, on_date,
                                              amount_cents, months, deferral_months, note,
                                              added_hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        id.to_string(),
        draft.loan_id.to_string(),
        dossier_id.to_string(),
        draft.kind.as_str(),
        draft.on.to_string(),
        draft.amount_cents,
        draft.months,
        draft.deferral_months,
        draft.note.trim(),
        added.map(|h| h.to_string())
    ])?;
    Ok(())
}

/// A dossier's live loans with their live movements, each in date order, then in the order
/// they were recorded (their creations' stamps, the same on every laptop).
pub(super) fn load_loans(conn: &Connection, key: &str) -> Result<Vec<Loan>> {
    Ok(loans_where(conn, "dossier_id = ?1", [key])?
        .pop()
        .map(|(_, loans)| loans)
        .unwrap_or_default())
}

/// Every dossier's live loans with their movements, as `load_loans` reads one dossier's.
pub(super) fn all_loans(conn: &Connection) -> Result<HashMap<Uuid, Vec<Loan>>> {
    Ok(loans_where(conn, "1", [])?.into_iter().collect())
}

/// The live loans (with their movements) of the dossiers `filter` selects, by dossier.
fn loans_where<P: rusqlite::Params + Copy>(
    conn: &Connection,
    filter: &str,
    params: P,
) -> Result<Vec<(Uuid, Vec<Loan>)>> {
    let mut by_dossier: Vec<(Uuid, Vec<Loan>)> = Vec::new();
    let mut index: HashMap<Uuid, usize> = HashMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT dossier_id, id, holder_id, amount_cents, months, deferral_months, signed_on,
                reference
         FROM loan WHERE {filter} AND deleted_at IS NULL
         ORDER BY dossier_id, signed_on, added_hlc, id"
    ))?;
    let rows = stmt.query_map(params, |r| {
        Ok((
            uuid_col(r, 0)?,
            Loan {
                id: uuid_col(r, 1)?,
                holder_id: uuid_col(r, 2)?,
                amount_cents: r.get(3)?,
                months: r.get(4)?,
                deferral_months: r.get(5)?,
                signed_on: date_col(r, 6)?.unwrap_or_default(),
                reference: r.get(7)?,
                movements: Vec::new(),
            },
        ))
    })?;
    for row in rows {
        let (dossier, loan) = row?;
        let at = *index.entry(dossier).or_insert_with(|| {
            by_dossier.push((dossier, Vec::new()));
            by_dossier.len() - 1
        });
        by_dossier[at].1.push(loan);
    }
    if by_dossier.is_empty() {
        return Ok(by_dossier);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT dossier_id, loan_id, id, kind, on_date, amount_cents, months, deferral_months,
                note
         FROM loan_movement WHERE {filter} AND deleted_at IS NULL
         ORDER BY on_date, added_hlc, id"
    ))?;
    let rows = stmt.query_map(params, |r| {
        Ok((
            uuid_col(r, 0)?,
            uuid_col(r, 1)?,
            LoanMovement {
                id: uuid_col(r, 2)?,
                kind: enum_col(r, 3, MovementKind::from_str_opt)?,
                on: date_col(r, 4)?.unwrap_or_default(),
                amount_cents: r.get(5)?,
                months: r.get(6)?,
                deferral_months: r.get(7)?,
                note: r.get(8)?,
            },
        ))
    })?;
    for row in rows {
        let (dossier, loan, movement) = row?;
        let owner = index
            .get(&dossier)
            .and_then(|at| by_dossier[*at].1.iter_mut().find(|l| l.id == loan));
        if let Some(owner) = owner {
            owner.movements.push(movement);
        }
    }
    Ok(by_dossier)
}
