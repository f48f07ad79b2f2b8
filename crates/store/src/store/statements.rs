//! The platform's bank statement imported as repayments of honour loans (issue 12): the file is
//! read and its lines matched by the domain (`permanence_domain::statement`), against every live
//! loan as this store holds it; the store records the repayments found.
//!
//! Invariants: a file is imported whole or not at all, in one transaction; each repayment is
//! checked as one typed by hand (`add_loan_movement`'s checks: loan live, disbursed, not
//! written off, dated on or after its signature) and gets its outbox row; a repayment's id
//! comes from its statement line, so a line recorded once (by this laptop, or by another
//! and pulled) is never recorded again, and queues nothing. Column mappings are the device's
//! own, kept among its settings (`setting`, a table that does not sync).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::loans::{check_movement, insert_movement, load_loans};
use super::write::queue_created;
use super::{finish, internal, Store};
use permanence_domain::error::{Error, Result};
use permanence_domain::statement::{
    self, mapping_name, ImportReport, LoanCandidate, StatementMapping, StatementReading,
};

/// What a mapping's key in `setting` starts with; the mapping's name follows.
const MAPPING_KEY: &str = "statement_mapping:";

impl Store {
    /// Saves a statement's column mapping under a name (replacing one of the same name), for
    /// the imports of that bank's files.
    pub fn save_statement_mapping(&mut self, name: &str, mapping: &StatementMapping) -> Result<()> {
        let name = mapping_name(name)?;
        let problems = mapping.problems();
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let json = serde_json::to_string(mapping).map_err(internal)?;
        self.conn
            .prepare_cached(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![format!("{MAPPING_KEY}{name}"), json])?;
        Ok(())
    }

    /// The column mapping saved under `name`.
    pub fn statement_mapping(&self, name: &str) -> Result<StatementMapping> {
        let key = format!("{MAPPING_KEY}{}", mapping_name(name)?);
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?;
        let json = json.ok_or_else(|| Error::NotFound {
            what: "Correspondance de colonnes",
            id: name.trim().to_owned(),
        })?;
        serde_json::from_str(&json).map_err(internal)
    }

    /// Every saved column mapping, by name.
    pub fn statement_mappings(&self) -> Result<BTreeMap<String, StatementMapping>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM setting WHERE substr(key, 1, ?1) = ?2")?;
        let rows = stmt.query_map(params![MAPPING_KEY.len(), MAPPING_KEY], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut mappings = BTreeMap::new();
        for row in rows {
            let (key, json) = row?;
            let mapping = serde_json::from_str(&json).map_err(internal)?;
            mappings.insert(key[MAPPING_KEY.len()..].to_owned(), mapping);
        }
        Ok(mappings)
    }

    /// Reads a bank statement as an import would (with the mapping saved under `mapping`, or
    /// by its usual headers) and records nothing: what the advisor checks before importing,
    /// with the encoding, separator and columns found.
    /// Refused as the import would be.
    pub fn read_statement(&self, bytes: &[u8], mapping: Option<&str>) -> Result<StatementReading> {
        let mapping = mapping
            .map(|name| self.statement_mapping(name))
            .transpose()?;
        statement::read(bytes, mapping.as_ref())
    }

    /// Imports a bank statement (a CSV file's bytes, read with the mapping saved under
    /// `mapping`, or by its usual headers): records each credit matched to a loan as a
    /// repayment, all in one transaction, and says what became of every line. A file with
    /// an unreadable line is refused whole, naming the line, and changes nothing.
    pub fn import_statement(
        &mut self,
        bytes: &[u8],
        mapping: Option<&str>,
    ) -> Result<ImportReport> {
        let lines = self.read_statement(bytes, mapping)?.lines;
        let (Some(first), Some(last)) = (
            lines.iter().map(|l| l.on).min(),
            lines.iter().map(|l| l.on).max(),
        ) else {
            return Ok(ImportReport::default());
        };
        let now = self.now();
        // What each loan has next to pay, counting every repayment recorded up to the
        // statement's last day.
        let day = self.clock.today().max(last);
        let grace = self.settings.loan_rules.grace_days;
        let tx = self.conn.transaction()?;
        let loans = candidates(&tx, day, grace)?;
        // A repayment's id is made from its line, which carries its date.
        let recorded: HashSet<Uuid> = tx
            .prepare_cached("SELECT id FROM loan_movement WHERE on_date BETWEEN ?1 AND ?2")?
            .query_map(params![first.to_string(), last.to_string()], |r| {
                super::uuid_col(r, 0)
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut report = statement::reconcile(&lines, &loans, &recorded);

        let mut dossiers = BTreeSet::new();
        let mut kept = Vec::with_capacity(report.recorded.len());
        for matched in std::mem::take(&mut report.recorded) {
            if movement_exists(&tx, matched.movement_id)? {
                report
                    .already_imported
                    .push(matched.left(format!("Déjà importé sur le prêt {}", matched.reference)));
                continue;
            }
            let draft = matched.draft();
            let dossier = match check_movement(&tx, &draft) {
                Ok(dossier) => dossier,
                Err(Error::Invalid(problems)) => {
                    let why: Vec<String> = problems.into_values().collect();
                    report.not_matched.push(matched.left(format!(
                        "Prêt {} : {}",
                        matched.reference,
                        why.join(" ")
                    )));
                    continue;
                }
                Err(other) => return Err(other),
            };
            insert_movement(&tx, matched.movement_id, dossier, &draft, None)?;
            queue_created(&tx, "loan_movement", matched.movement_id, &draft, now)?;
            dossiers.insert(dossier);
            kept.push(matched);
        }
        for dossier in dossiers {
            finish(&tx, dossier, now)?;
        }
        tx.commit()?;
        report.recorded = kept;
        report.sort();
        Ok(report)
    }
}

/// Every live loan of a live dossier, as matching needs it: where it stands on `day`.
fn candidates(conn: &Connection, day: chrono::NaiveDate, grace: i64) -> Result<Vec<LoanCandidate>> {
    let names: HashMap<Uuid, String> = conn
        .prepare_cached(
            "SELECT l.id, h.last_name FROM loan l
             JOIN holder h ON h.id = l.holder_id
             WHERE l.deleted_at IS NULL",
        )?
        .query_map([], |r| Ok((super::uuid_col(r, 0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let dossiers: Vec<String> = conn
        .prepare_cached(
            "SELECT DISTINCT l.dossier_id FROM loan l
             JOIN dossier d ON d.id = l.dossier_id AND d.deleted_at IS NULL
             WHERE l.deleted_at IS NULL
             ORDER BY l.dossier_id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut candidates = Vec::new();
    for dossier in dossiers {
        for loan in load_loans(conn, &dossier)? {
            let state = loan.state(day, grace);
            let name = names.get(&loan.id).map(String::as_str).unwrap_or("");
            candidates.push(LoanCandidate::new(&loan, &state, name));
        }
    }
    Ok(candidates)
}

/// Whether a movement of this id was ever recorded here (removed since, too).
fn movement_exists(conn: &Connection, id: Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM loan_movement WHERE id = ?1)")?
        .query_row([id.to_string()], |r| r.get(0))?)
}
