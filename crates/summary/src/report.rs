//! The annual report ("Rapport d'activité") as PDF: the year's figures against the year
//! before (the tableau de bord's own rows, so a figure added there appears here), the charts
//! (the very SVGs the app shows), and the breakdowns per intercommunality and per sector.
//!
//! Like the summary, the template (`assets/summary/report.typ`) only lays out: every value in
//! its `data.json` is already formatted the French way. Rendering is a pure function of the
//! report, the settings and the day it is dated.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::charts::{self, Chart};
use super::fiche::PlatformData;
use super::{compile_with_files, log_default_warnings, Document, Logo, Rendered};
use permanence_domain::breakdown::{ActivityReport, Breakdown, GroupFigures};
use permanence_domain::dates::format_date;
use permanence_domain::error::{Error, Result};
use permanence_domain::indicators::{IndicatorRow, Period};
use permanence_domain::money::{format_cents, format_percent_bp};
use permanence_domain::settings::PlatformSettings;

/// The report's template, shipped in the binary.
const REPORT_TEMPLATE: &str = include_str!("../../../assets/summary/report.typ");

/// The figures the report's first page puts forward, by their row key.
const HIGHLIGHTS: &[&str] = &[
    "businesses",
    "loans",
    "committed",
    "leverage",
    "jobs_created",
];

/// What the report's template reads.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub platform: PlatformData,
    /// `2016`.
    pub year: String,
    /// "Année 2016", or "Du 01/01/2016 au 08/06/2016".
    pub period: String,
    /// The column heads of the comparison: `2016` and `2015` (with their end day for a part
    /// of the year).
    pub now: String,
    pub before: String,
    /// "+20 %" of dossiers opened on the year before, when it can be said.
    pub activity_change: Option<String>,
    pub highlights: Vec<IndicatorRow>,
    pub rows: Vec<IndicatorRow>,
    pub charts: Vec<ChartData>,
    pub by_epci: BreakdownData,
    pub by_sector: BreakdownData,
    /// "Édité le 02/12/2026".
    pub edited: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartData {
    pub title: String,
    /// The SVG's path in the template's world.
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownData {
    pub groups: Vec<GroupData>,
    pub total: GroupData,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupData {
    pub label: String,
    pub financed: String,
    pub loans: String,
    pub committed: String,
    /// The group's share of the amount committed: "32 %".
    pub share: String,
    pub jobs: String,
}

impl BreakdownData {
    fn new(breakdown: &Breakdown) -> BreakdownData {
        let all = breakdown.total.committed_cents;
        let group = |g: &GroupFigures| GroupData {
            label: g.label.clone(),
            financed: g.financed.to_string(),
            loans: g.honour_loans.to_string(),
            committed: format_cents(g.committed_cents),
            share: if all > 0 {
                format_percent_bp((g.committed_cents * 10_000 + all / 2) / all)
            } else {
                "—".into()
            },
            jobs: g.jobs.to_string(),
        };
        BreakdownData {
            groups: breakdown.groups.iter().map(group).collect(),
            total: group(&breakdown.total),
        }
    }
}

fn ends_the_year(p: Period) -> bool {
    (p.to.month(), p.to.day()) == (12, 31)
}

/// How a period reads as a column head: `2016`, or `2016 au 08/06` for part of the year.
fn column(period: Option<Period>, year: i32) -> String {
    match period {
        Some(p) if !ends_the_year(p) => {
            format!("{} au {}", year, p.to.format("%d/%m"))
        }
        _ => year.to_string(),
    }
}

impl ReportData {
    pub fn new(
        report: &ActivityReport,
        charts: &[Chart],
        settings: &PlatformSettings,
        logo: Option<String>,
        edited_on: NaiveDate,
    ) -> ReportData {
        let indicators = &report.indicators;
        let rows = indicators.rows();
        let period = indicators.current.period;
        let whole_year = period.is_none_or(ends_the_year);
        ReportData {
            platform: PlatformData {
                name: report.platform.clone(),
                code: settings.code.clone(),
                logo,
            },
            year: report.year.to_string(),
            period: match period {
                Some(p) if !whole_year => {
                    format!("Du {} au {}", format_date(p.from), format_date(p.to))
                }
                _ => format!("Année {}", report.year),
            },
            now: column(period, report.year),
            before: column(indicators.previous.period, report.year - 1),
            activity_change: indicators.activity_change_bp.map(|bp| {
                format!(
                    "{}{}",
                    if bp >= 0 { "+" } else { "" },
                    format_percent_bp(bp)
                )
            }),
            highlights: HIGHLIGHTS
                .iter()
                .filter_map(|key| rows.iter().find(|r| r.key == *key).cloned())
                .collect(),
            rows,
            charts: charts
                .iter()
                .map(|c| ChartData {
                    title: c.title.clone(),
                    file: chart_file(&c.key),
                })
                .collect(),
            by_epci: BreakdownData::new(&report.by_epci),
            by_sector: BreakdownData::new(&report.by_sector),
            edited: format!("Édité le {}", format_date(edited_on)),
        }
    }
}

fn chart_file(key: &str) -> String {
    format!("chart-{key}.svg")
}

/// The annual report, typeset; `edited_on` is the day printed on it.
pub fn report_document(
    report: &ActivityReport,
    settings: &PlatformSettings,
    edited_on: NaiveDate,
) -> Result<Document> {
    let charts = charts::charts(report)?;
    let logo = Logo::from_settings(settings);
    let mut warnings = logo.warnings.clone();
    let typeset = |logo_png: Option<&[u8]>| {
        let data = ReportData::new(
            report,
            &charts,
            settings,
            logo_png.map(|_| super::LOGO_PATH.to_owned()),
            edited_on,
        );
        let json =
            serde_json::to_vec(&data).map_err(|e| Error::Internal(format!("report data: {e}")))?;
        let files: Vec<(String, Vec<u8>)> = charts
            .iter()
            .map(|c| (chart_file(&c.key), c.svg.clone().into_bytes()))
            .collect();
        compile_with_files(REPORT_TEMPLATE, &json, logo_png, &files, edited_on)
            .map_err(|e| Error::Internal(format!("report template: {e}")))
    };
    let (doc, typst_warnings) = match typeset(logo.png.as_deref()) {
        Err(error) if logo.png.is_some() => {
            tracing::warn!(%error, "report with logo failed, retrying without it");
            warnings.push(
                "Le logo de la plateforme n'a pas pu être lu : le document est produit sans logo."
                    .into(),
            );
            typeset(None)?
        }
        other => other?,
    };
    log_default_warnings(&typst_warnings);
    Ok(Document { doc, warnings })
}

/// The annual report as PDF.
pub fn render_report(
    report: &ActivityReport,
    settings: &PlatformSettings,
    edited_on: NaiveDate,
) -> Result<Rendered> {
    report_document(report, settings, edited_on)?.into_rendered()
}

/// `rapport-activite-2016.pdf`.
pub fn report_file_name(year: i32) -> String {
    format!("rapport-activite-{year}.pdf")
}

#[cfg(test)]
mod tests {
    use super::*;
    use permanence_domain::clock::Clock;
    use permanence_store::store::Store;

    fn demo_report() -> (ActivityReport, PlatformSettings, NaiveDate) {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        store.set_clock(Clock::starting_on(today));
        permanence_store::demo::fill(&mut store, 120, 62, today).unwrap();
        let report = store.activity_report(2026, None).unwrap();
        (report, store.settings().clone(), today)
    }

    #[test]
    fn the_report_holds_every_row_every_chart_and_the_breakdowns() {
        let (report, settings, today) = demo_report();
        let document = report_document(&report, &settings, today).unwrap();
        assert!(document.pages() >= 3, "{} pages", document.pages());
        let pdf = document.pdf().unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        if let Ok(dir) = std::env::var("PERMANENCE_REPORT_DIR") {
            std::fs::write(format!("{dir}/rapport.pdf"), &pdf).unwrap();
        }
        let data = ReportData::new(
            &report,
            &charts::charts(&report).unwrap(),
            &settings,
            None,
            today,
        );
        assert_eq!(data.rows.len(), report.indicators.rows().len());
        assert_eq!(data.charts.len(), 5);
        assert_eq!(data.highlights.len(), HIGHLIGHTS.len());
        assert_eq!(
            data.by_epci.total.financed,
            report.indicators.current.financed.count.to_string(),
            "the groups add up to the platform's financed dossiers"
        );
        assert_eq!(data.by_sector.total.financed, data.by_epci.total.financed);
    }

    #[test]
    fn a_part_of_the_year_is_named_by_its_end() {
        let p = Period::of_year(2016, NaiveDate::from_ymd_opt(2016, 6, 8)).unwrap();
        assert_eq!(column(Some(p), 2016), "2016 au 08/06");
        assert_eq!(column(Period::of_year(2016, None), 2016), "2016");
    }
}
