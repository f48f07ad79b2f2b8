//! The platform's figures from what this store holds (`permanence_domain::indicators`): after
//! a sync a laptop holds the whole platform, so the tableau de bord works offline.

use chrono::NaiveDate;

use super::read::load_dossier;
use super::Store;
use permanence_domain::error::{Error, Result};
use permanence_domain::indicators::{self, Indicators, Period};

impl Store {
    /// The figures of `year` (up to `until`, when given) and of the same period a year before.
    pub fn indicators(&self, year: i32, until: Option<NaiveDate>) -> Result<Indicators> {
        let period = Period::of_year(year, until)
            .ok_or_else(|| Error::field("year", format!("Année {year} impossible.")))?;
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT id FROM dossier WHERE deleted_at IS NULL ORDER BY opened_on, id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut dossiers = Vec::with_capacity(ids.len());
        for id in ids {
            let id = uuid::Uuid::parse_str(&id).map_err(|e| Error::Internal(e.to_string()))?;
            dossiers.push(load_dossier(&self.conn, id, &self.settings)?);
        }
        Ok(indicators::compute(
            &dossiers,
            period,
            self.settings.loan_rules.grace_days,
            self.clock.today(),
        ))
    }
}
