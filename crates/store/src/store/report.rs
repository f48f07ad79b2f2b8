//! What the annual report ("Rapport d'activité") and the accountant's export read from this
//! store: the report's figures and breakdowns (`permanence_domain::breakdown`), and the
//! dossiers of a year with their loans whole.

use chrono::{Datelike, NaiveDate};

use super::read::load_dossier;
use super::Store;
use permanence_domain::breakdown::ActivityReport;
use permanence_domain::dossier::Dossier;
use permanence_domain::error::{Error, Result};
use permanence_domain::indicators::Period;

impl Store {
    /// The annual report of `year` (up to `until`, when given): the figures against the year
    /// before, per intercommunality and per sector, and the last years' activity.
    pub fn activity_report(&self, year: i32, until: Option<NaiveDate>) -> Result<ActivityReport> {
        let period = Period::of_year(year, until)
            .ok_or_else(|| Error::field("year", format!("Année {year} impossible.")))?;
        Ok(ActivityReport::compute(
            &self.facts()?,
            period,
            &self.settings,
            self.clock.today(),
        ))
    }

    /// The dossiers an accountant's export of `year` holds, in the order they were opened:
    /// those financed in the year (committee's accord) and those whose loans moved in it
    /// (a disbursement, a repayment, a rescheduling or a write-off dated in the year).
    pub fn accounts_dossiers(&self, year: i32) -> Result<Vec<Dossier>> {
        if Period::of_year(year, None).is_none() {
            return Err(Error::field("year", format!("Année {year} impossible.")));
        }
        let mut dossiers = Vec::new();
        for facts in self.facts()?.iter() {
            let financed =
                facts.granted() && facts.committee_date.is_some_and(|d| d.year() == year);
            let moved = facts
                .loans
                .iter()
                .any(|l| l.movements.iter().any(|m| m.on.year() == year));
            if financed || moved {
                dossiers.push(load_dossier(&self.conn, facts.id, &self.settings)?);
            }
        }
        Ok(dossiers)
    }
}
