//! The annual report's breakdowns ("Rapport d'activité"): the dossiers financed in a period
//! per intercommunality (EPCI) of the business's commune and per sector (NAF section of its
//! activity code), and the activity of the last years. Shared by the app, the command line
//! and the PDF.
//!
//! Every figure is `indicators::compute` on a subset of the dossiers, so that "financed",
//! "honour loans", "amount committed" and "jobs" mean exactly what the tableau de bord says;
//! the groups partition the dossiers, so the groups' figures add up to the platform's.
//! A business without a known commune or activity code falls in a group of its own.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::indicators::{self, Facts, Figures, Indicators, Period};
use crate::settings::PlatformSettings;

/// One group's figures for the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GroupFigures {
    /// The EPCI's SIREN or the NAF section's letter; empty for "not known".
    pub key: String,
    pub label: String,
    pub financed: i64,
    pub honour_loans: i64,
    pub committed_cents: i64,
    /// Jobs created (holders included) and kept in takeovers.
    pub jobs: i64,
}

impl GroupFigures {
    fn from_figures(key: String, label: String, f: &Figures) -> GroupFigures {
        GroupFigures {
            key,
            label,
            financed: f.financed.count,
            honour_loans: f.honour_loans,
            committed_cents: f.committed_cents,
            jobs: f.jobs_created + f.jobs_kept,
        }
    }
}

/// The groups with something financed in the period, largest first, and their total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Breakdown {
    pub groups: Vec<GroupFigures>,
    pub total: GroupFigures,
}

/// One year of the platform's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct YearFigures {
    pub year: i32,
    pub financed: i64,
    pub honour_loans: i64,
    pub committed_cents: i64,
}

/// Everything the annual report shows, computed once for the screen, the command line and
/// the PDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ActivityReport {
    pub platform: String,
    pub year: i32,
    pub indicators: Indicators,
    pub by_epci: Breakdown,
    pub by_sector: Breakdown,
    /// The years before and up to the report's, oldest first.
    pub history: Vec<YearFigures>,
}

/// How many years the history shows, the report's included.
pub const HISTORY_YEARS: i32 = 6;

impl ActivityReport {
    /// The report of `period` (a year or its start) from every dossier of the platform.
    pub fn compute(
        dossiers: &[Facts],
        period: Period,
        settings: &PlatformSettings,
        today: NaiveDate,
    ) -> ActivityReport {
        let year = chrono::Datelike::year(&period.from);
        ActivityReport {
            platform: settings.name.clone(),
            year,
            indicators: indicators::compute(dossiers, period, settings, today),
            by_epci: breakdown(dossiers, period, settings, today, epci_of),
            by_sector: breakdown(dossiers, period, settings, today, sector_of),
            history: history(dossiers, year, period.to, settings, today),
        }
    }
}

/// The end of a year-to-date period as typed (`2016-06-08` or `08/06/2016`), if any.
pub fn parse_until(until: Option<&str>) -> crate::error::Result<Option<NaiveDate>> {
    until
        .map(|day| {
            crate::dates::parse_date(day).map_err(|m| crate::error::Error::field("until", m))
        })
        .transpose()
}

/// The figures of `period` per group that `group` puts each dossier in.
pub fn breakdown(
    dossiers: &[Facts],
    period: Period,
    settings: &PlatformSettings,
    today: NaiveDate,
    group: fn(&Facts) -> (String, String),
) -> Breakdown {
    let mut subsets: BTreeMap<(String, String), Vec<Facts>> = BTreeMap::new();
    for d in dossiers {
        // Only a dossier whose committee met in the period can count as financed in it.
        if d.committee_date.is_some_and(|day| period.contains(day)) {
            subsets.entry(group(d)).or_default().push(d.clone());
        }
    }
    let mut groups: Vec<GroupFigures> = subsets
        .into_iter()
        .map(|((key, label), subset)| {
            let f = indicators::compute(&subset, period, settings, today).current;
            GroupFigures::from_figures(key, label, &f)
        })
        .filter(|g| g.financed > 0)
        .collect();
    // Largest first; the unknown group last whatever its size.
    groups.sort_by(|a, b| {
        a.key
            .is_empty()
            .cmp(&b.key.is_empty())
            .then(b.financed.cmp(&a.financed))
            .then(b.committed_cents.cmp(&a.committed_cents))
            .then(a.label.cmp(&b.label))
    });
    let total = GroupFigures {
        key: "total".into(),
        label: "Total".into(),
        financed: groups.iter().map(|g| g.financed).sum(),
        honour_loans: groups.iter().map(|g| g.honour_loans).sum(),
        committed_cents: groups.iter().map(|g| g.committed_cents).sum(),
        jobs: groups.iter().map(|g| g.jobs).sum(),
    };
    Breakdown { groups, total }
}

/// The intercommunality of the business's commune (a delegated commune's is its current
/// commune's).
pub fn epci_of(d: &Facts) -> (String, String) {
    d.commune_insee
        .as_deref()
        .and_then(crate::reference::commune)
        .and_then(|c| c.current().epci())
        .map_or_else(
            || {
                (
                    String::new(),
                    "Commune non renseignée ou hors EPCI".to_owned(),
                )
            },
            |e| (e.siren.to_owned(), e.name.to_owned()),
        )
}

/// The NAF section of the business's activity code.
pub fn sector_of(d: &Facts) -> (String, String) {
    d.naf_code.as_deref().and_then(naf_section).map_or_else(
        || (String::new(), "Code NAF non renseigné".to_owned()),
        |(letter, label)| (letter.to_string(), format!("{letter} – {label}")),
    )
}

/// The NAF rév. 2 sections by their first and last division.
const SECTIONS: &[(u8, u8, char, &str)] = &[
    (1, 3, 'A', "Agriculture, sylviculture et pêche"),
    (5, 9, 'B', "Industries extractives"),
    (10, 33, 'C', "Industrie manufacturière"),
    (35, 35, 'D', "Électricité, gaz, vapeur et air conditionné"),
    (36, 39, 'E', "Eau, assainissement, déchets et dépollution"),
    (41, 43, 'F', "Construction"),
    (
        45,
        47,
        'G',
        "Commerce ; réparation d'automobiles et de motocycles",
    ),
    (49, 53, 'H', "Transports et entreposage"),
    (55, 56, 'I', "Hébergement et restauration"),
    (58, 63, 'J', "Information et communication"),
    (64, 66, 'K', "Activités financières et d'assurance"),
    (68, 68, 'L', "Activités immobilières"),
    (
        69,
        75,
        'M',
        "Activités spécialisées, scientifiques et techniques",
    ),
    (77, 82, 'N', "Services administratifs et de soutien"),
    (84, 84, 'O', "Administration publique"),
    (85, 85, 'P', "Enseignement"),
    (86, 88, 'Q', "Santé humaine et action sociale"),
    (90, 93, 'R', "Arts, spectacles et activités récréatives"),
    (94, 96, 'S', "Autres activités de services"),
    (97, 98, 'T', "Activités des ménages en tant qu'employeurs"),
    (99, 99, 'U', "Activités extra-territoriales"),
];

/// The section (letter and label) of a NAF code (`47.11D`): its division's.
pub fn naf_section(code: &str) -> Option<(char, &'static str)> {
    let division: u8 = code.get(..2)?.parse().ok()?;
    SECTIONS
        .iter()
        .find(|(first, last, _, _)| (*first..=*last).contains(&division))
        .map(|(_, _, letter, label)| (*letter, *label))
}

/// Dossiers financed, loans and amount for each of the `HISTORY_YEARS` years up to `year`,
/// the last one up to `until` (the report's period end).
fn history(
    dossiers: &[Facts],
    year: i32,
    until: NaiveDate,
    settings: &PlatformSettings,
    today: NaiveDate,
) -> Vec<YearFigures> {
    (year - HISTORY_YEARS + 1..=year)
        .filter_map(|y| {
            let period = Period::of_year(y, (y == year).then_some(until))?;
            let met: Vec<Facts> = dossiers
                .iter()
                .filter(|d| d.committee_date.is_some_and(|day| period.contains(day)))
                .cloned()
                .collect();
            let f = indicators::compute(&met, period, settings, today).current;
            Some(YearFigures {
                year: y,
                financed: f.financed.count,
                honour_loans: f.honour_loans,
                committed_cents: f.committed_cents,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_naf_code_falls_in_its_division_s_section() {
        assert_eq!(naf_section("47.11D").map(|s| s.0), Some('G'));
        assert_eq!(naf_section("56.10A").map(|s| s.0), Some('I'));
        assert_eq!(naf_section("10.71C").map(|s| s.0), Some('C'));
        assert_eq!(naf_section("01.11Z").map(|s| s.0), Some('A'));
        assert_eq!(naf_section("04.00Z"), None, "division 04 does not exist");
        assert_eq!(naf_section(""), None);
    }

    #[test]
    fn every_section_s_divisions_follow_the_previous_one_s() {
        for pair in SECTIONS.windows(2) {
            assert!(pair[0].1 < pair[1].0, "{:?} then {:?}", pair[0], pair[1]);
            assert!(pair[0].2 < pair[1].2);
        }
    }
}
