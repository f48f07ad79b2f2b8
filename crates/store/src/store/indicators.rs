//! The platform's figures from what this store holds (`permanence_domain::indicators`): after
//! a sync a laptop holds the whole platform, so the tableau de bord works offline.
//!
//! The figures read a light projection of every dossier (`Facts`), loaded with one query per
//! table rather than each dossier whole: a platform's ten years are tens of thousands of
//! dossiers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use rusqlite::Connection;
use uuid::Uuid;

use super::checkpoints::all_checkpoints;
use super::loans::all_loans;
use super::mentoring::REGISTRATIONS;
use super::{date_col, enum_col, opt_enum_col, uuid_col, Store};
use permanence_domain::codes::{
    Civility, Decision, DossierStatus, FinancingCategory, ProjectType, Sector, Situation,
};
use permanence_domain::error::{Error, Result};
use permanence_domain::indicators::{self, Facts, HolderFacts, Indicators, Period, WorkshopFacts};

impl Store {
    /// The figures of `year` (up to `until`, when given) and of the same period a year before.
    pub fn indicators(&self, year: i32, until: Option<NaiveDate>) -> Result<Indicators> {
        let period = Period::of_year(year, until)
            .ok_or_else(|| Error::field("year", format!("Année {year} impossible.")))?;
        Ok(indicators::compute(
            &self.facts()?,
            period,
            &self.settings,
            self.clock.today(),
        ))
    }

    /// What the figures read of every live dossier, in the order they were opened. Read once
    /// and kept until the store changes (a write here, or one committed by another
    /// connection): choosing another period on the tableau de bord reads nothing again.
    pub fn facts(&self) -> Result<Arc<Vec<Facts>>> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let key = (self.conn.total_changes(), version);
        let mut cache = self.facts.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, facts)) = cache.as_ref().filter(|(at, _)| *at == key) {
            return Ok(Arc::clone(facts));
        }
        let facts = Arc::new(load_facts(&self.conn)?);
        *cache = Some((key, Arc::clone(&facts)));
        Ok(facts)
    }
}

/// The figures' projection and the store's state it was read at: the connection's count of
/// rows written and SQLite's data version (which moves when another connection commits).
#[derive(Default)]
pub(super) struct FactsCache(Mutex<Option<(StoreState, Arc<Vec<Facts>>)>>);

/// Rows written by this connection, and SQLite's data version.
type StoreState = (u64, i64);

fn load_facts(conn: &Connection) -> Result<Vec<Facts>> {
    let mut facts: Vec<Facts> = conn
        .prepare_cached(
            "SELECT id, opened_on, status, project_type, committee_date, decision,
                    decision_amount_cents
             FROM dossier WHERE deleted_at IS NULL ORDER BY opened_on, id",
        )?
        .query_map([], |r| {
            Ok(Facts {
                id: uuid_col(r, 0)?,
                opened_on: date_col(r, 1)?.unwrap_or_default(),
                status: enum_col(r, 2, DossierStatus::from_str_opt)?,
                project_type: enum_col(r, 3, ProjectType::from_str_opt)?,
                committee_date: date_col(r, 4)?,
                decision: opt_enum_col(r, 5, Decision::from_str_opt)?,
                decision_amount_cents: r.get(6)?,
                holders: Vec::new(),
                bank_loans_cents: 0,
                jobs_created: None,
                jobs_kept: None,
                commune_insee: None,
                sector: None,
                naf_code: None,
                loans: Vec::new(),
                checkpoints: Vec::new(),
                paired_since: None,
                workshops: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index: HashMap<Uuid, usize> = facts.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
    let of = |id: Uuid| index.get(&id).copied();

    let mut stmt = conn.prepare_cached(
        "SELECT dossier_id, civility, birth_date, situation, qpv, loan_granted_cents
         FROM holder ORDER BY dossier_id, added_hlc IS NOT NULL, added_hlc, position",
    )?;
    let holders = stmt.query_map([], |r| {
        Ok((
            uuid_col(r, 0)?,
            HolderFacts {
                civility: enum_col(r, 1, Civility::from_str_opt)?,
                birth_date: date_col(r, 2)?,
                situation: opt_enum_col(r, 3, Situation::from_str_opt)?,
                qpv: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
                loan_granted_cents: r.get(5)?,
            },
        ))
    })?;
    for row in holders {
        let (dossier, holder) = row?;
        if let Some(i) = of(dossier) {
            facts[i].holders.push(holder);
        }
    }

    let mut stmt = conn.prepare_cached(
        "SELECT dossier_id, jobs_created, jobs_kept, commune_insee, sector, naf_code
         FROM business",
    )?;
    let businesses = stmt.query_map([], |r| {
        Ok((
            uuid_col(r, 0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, Option<String>>(3)?,
            opt_enum_col(r, 4, Sector::from_str_opt)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    for row in businesses {
        let (dossier, created, kept, commune, sector, naf) = row?;
        if let Some(i) = of(dossier) {
            let f = &mut facts[i];
            (f.jobs_created, f.jobs_kept) = (created, kept);
            (f.commune_insee, f.sector, f.naf_code) = (commune, sector, naf);
        }
    }

    let mut stmt = conn.prepare_cached(
        "SELECT dossier_id, sum(amount_cents) FROM financing_line
         WHERE deleted_at IS NULL AND category = ?1 GROUP BY dossier_id",
    )?;
    let bank = stmt.query_map([FinancingCategory::BankLoan.as_str()], |r| {
        Ok((uuid_col(r, 0)?, r.get::<_, i64>(1)?))
    })?;
    for row in bank {
        let (dossier, cents) = row?;
        if let Some(i) = of(dossier) {
            facts[i].bank_loans_cents = cents;
        }
    }

    for (dossier, loans) in all_loans(conn)? {
        if let Some(i) = of(dossier) {
            facts[i].loans = loans;
        }
    }
    for (dossier, checkpoints) in all_checkpoints(conn)? {
        if let Some(i) = of(dossier) {
            facts[i].checkpoints = checkpoints;
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT dossier_id, min(start_on) FROM pairing WHERE deleted_at IS NULL
         GROUP BY dossier_id",
    )?;
    for row in stmt.query_map([], |r| Ok((uuid_col(r, 0)?, date_col(r, 1)?)))? {
        let (dossier, since) = row?;
        if let Some(i) = of(dossier) {
            facts[i].paired_since = since;
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "{REGISTRATIONS}
         SELECT reg.dossier_id, w.held_on, reg.present
         FROM reg JOIN workshop w ON w.id = reg.workshop_id AND w.deleted_at IS NULL
         WHERE reg.n = 1 ORDER BY reg.dossier_id, w.held_on"
    ))?;
    let registrations = stmt.query_map([], |r| {
        Ok((
            uuid_col(r, 0)?,
            WorkshopFacts {
                held_on: date_col(r, 1)?.unwrap_or_default(),
                present: r.get(2)?,
            },
        ))
    })?;
    for row in registrations {
        let (dossier, workshop) = row?;
        if let Some(i) = of(dossier) {
            facts[i].workshops.push(workshop);
        }
    }
    for f in &mut facts {
        f.workshops = WorkshopFacts::in_order(std::mem::take(&mut f.workshops));
    }
    Ok(facts)
}
