//! The tableau de bord's charts, drawn once as SVG by `plotters` for both the app's screen
//! and the annual report's PDF, so that they always agree.
//!
//! Text is set in the embedded Liberation Sans: plotters measures it with those very fonts
//! (registered once for its `ab_glyph` text layout) and names that family in the SVG, which
//! typst then draws with the same fonts from its world. The screen gives the family with
//! fallbacks in CSS. Nothing depends on the system's fonts.
//!
//! Every chart is a bar chart: one bar per category and series (this period against the same
//! period a year before), values written above the bars, so that a printed chart reads
//! without its axis.

use std::sync::LazyLock;

use chrono::Datelike;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::world::{FONT_FAMILY, FONT_FILES};
use permanence_domain::breakdown::ActivityReport;
use permanence_domain::error::{Error, Result};
use permanence_domain::indicators::{Figures, Share};
use permanence_domain::money::{format_cents, group_thousands};

/// One chart: what it shows and its SVG image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Chart {
    /// `funnel`, `loans`, `profiles`, `repayment`, `history`.
    pub key: String,
    pub title: String,
    /// A standalone SVG document (`<svg …>…</svg>`), `WIDTH` × `HEIGHT` with its viewBox.
    pub svg: String,
}

/// The size every chart is drawn at, in SVG pixels (the PDF and the screen scale it).
pub const WIDTH: u32 = 440;
pub const HEIGHT: u32 = 260;

const THIS_YEAR: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
const YEAR_BEFORE: RGBColor = RGBColor(0xa9, 0xc1, 0xd9);
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
const RULE: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

/// Whether plotters knows the embedded fonts (registered once per process).
static FONTS: LazyLock<bool> = LazyLock::new(|| {
    let regular = register_font(FONT_FAMILY, FontStyle::Normal, FONT_FILES[0]).is_ok();
    let bold = register_font(FONT_FAMILY, FontStyle::Bold, FONT_FILES[1]).is_ok();
    regular && bold
});

/// How the values of a chart read.
#[derive(Clone, Copy)]
enum Unit {
    Count,
    Cents,
    Percent,
}

impl Unit {
    fn label(self, value: f64) -> String {
        match self {
            Unit::Count => group_thousands(value.round().max(0.0) as u64),
            // Whole euros on a chart: the cents are in the table.
            Unit::Cents => format_cents(((value / 100.0).round() as i64) * 100),
            Unit::Percent => format!("{}\u{a0}%", (value).round() as i64),
        }
    }

    /// The smallest top of the axis.
    fn least_top(self) -> f64 {
        match self {
            Unit::Count => 5.0,
            Unit::Cents => 1_000_00.0,
            Unit::Percent => 10.0,
        }
    }

    /// The axis' labels: shorter amounts (`200 k€`).
    fn axis(self, value: f64) -> String {
        match self {
            Unit::Cents if value >= 100_000_00.0 => format!(
                "{}\u{a0}k€",
                group_thousands((value / 100_000.0).round() as u64)
            ),
            _ => self.label(value),
        }
    }
}

struct Series {
    label: String,
    color: RGBColor,
    values: Vec<f64>,
}

struct Bars {
    categories: Vec<&'static str>,
    series: Vec<Series>,
    unit: Unit,
}

/// The charts of an annual report (or of the tableau de bord's period).
pub fn charts(report: &ActivityReport) -> Result<Vec<Chart>> {
    let now = &report.indicators.current;
    let before = &report.indicators.previous;
    let year =
        |f: &Figures, fallback: i32| f.period.map_or(fallback, |p| p.from.year()).to_string();
    let (label_now, label_before) = (year(now, report.year), year(before, report.year - 1));
    let pair = |values: fn(&Figures) -> Vec<f64>| {
        vec![
            Series {
                label: label_before.clone(),
                color: YEAR_BEFORE,
                values: values(before),
            },
            Series {
                label: label_now.clone(),
                color: THIS_YEAR,
                values: values(now),
            },
        ]
    };
    let mut out = Vec::with_capacity(5);
    out.push(chart(
        "funnel",
        "Parcours des porteurs de projet",
        &Bars {
            categories: vec!["Accueillis", "En cours", "En comité", "Financés"],
            series: pair(|f| {
                vec![
                    f.welcomed.count as f64,
                    f.in_progress.count as f64,
                    f.presented.count as f64,
                    f.financed.count as f64,
                ]
            }),
            unit: Unit::Count,
        },
    )?);
    out.push(chart(
        "loans",
        "Prêts d'honneur engagés et prêts bancaires associés",
        &Bars {
            categories: vec!["Prêts d'honneur", "Prêts bancaires"],
            series: pair(|f| vec![f.committed_cents as f64, f.bank_loans_cents as f64]),
            unit: Unit::Cents,
        },
    )?);
    out.push(chart(
        "profiles",
        "Profil des porteurs financés",
        &Bars {
            categories: vec!["Dem. d'emploi", "Femmes", "< 30 ans", "> 45 ans", "QPV"],
            series: pair(|f| {
                let rate = |s: &Share| s.rate_bp.map_or(0.0, |bp| bp as f64 / 100.0);
                vec![
                    rate(&f.job_seekers),
                    rate(&f.women),
                    rate(&f.under_30),
                    rate(&f.over_45),
                    rate(&f.qpv),
                ]
            }),
            unit: Unit::Percent,
        },
    )?);
    out.push(chart(
        "repayment",
        "Remboursements à la fin de la période",
        &Bars {
            categories: vec!["Échu", "Remboursé", "Impayé"],
            series: pair(|f| {
                vec![
                    f.due_cents as f64,
                    f.paid_due_cents as f64,
                    f.overdue_cents as f64,
                ]
            }),
            unit: Unit::Cents,
        },
    )?);
    out.push(history_chart(report)?);
    Ok(out)
}

/// Dossiers financed per year, the report's year last.
fn history_chart(report: &ActivityReport) -> Result<Chart> {
    let labels: Vec<String> = report.history.iter().map(|y| y.year.to_string()).collect();
    let values: Vec<f64> = report.history.iter().map(|y| y.financed as f64).collect();
    let svg = draw(
        &labels.iter().map(String::as_str).collect::<Vec<_>>(),
        &[Series {
            label: "Dossiers financés".into(),
            color: THIS_YEAR,
            values,
        }],
        Unit::Count,
    )?;
    Ok(Chart {
        key: "history".into(),
        title: "Dossiers financés par année".into(),
        svg,
    })
}

fn chart(key: &str, title: &str, bars: &Bars) -> Result<Chart> {
    let svg = draw(&bars.categories, &bars.series, bars.unit)?;
    Ok(Chart {
        key: key.into(),
        title: title.into(),
        svg,
    })
}

/// A grouped bar chart as an SVG document.
fn draw(categories: &[&str], series: &[Series], unit: Unit) -> Result<String> {
    if !*FONTS {
        return Err(Error::Internal(
            "chart fonts could not be registered".into(),
        ));
    }
    let failed = |e: &dyn std::fmt::Display| Error::Internal(format!("chart: {e}"));
    let n = categories.len().max(1);
    let top = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0_f64, f64::max);
    // Room above the tallest bar for its value; an axis of a few steps at least, so that
    // small or zero figures do not repeat one label.
    let top = (top * 1.12).max(unit.least_top());
    let text = |size: f64| (FONT_FAMILY, size).into_font().color(&INK);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| failed(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(28)
            .margin_right(8)
            .x_label_area_size(24)
            .y_label_area_size(64)
            .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..top)
            .map_err(|e| failed(&e))?;
        let names: Vec<String> = categories.iter().map(|c| (*c).to_owned()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .bold_line_style(RULE)
            .axis_style(INK.mix(0.6))
            .y_labels(5)
            .y_label_formatter(&|v| unit.axis(*v))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style(text(15.0))
            .draw()
            .map_err(|e| failed(&e))?;

        let (plot_width, _) = chart.plotting_area().dim_in_pixel();
        let segment = f64::from(plot_width) / n as f64;
        let bar = segment * 0.76 / series.len().max(1) as f64;
        for (j, s) in series.iter().enumerate() {
            let left = segment * 0.12 + j as f64 * bar;
            let right = segment - left - bar;
            let color = s.color;
            chart
                .draw_series(s.values.iter().enumerate().map(|(i, v)| {
                    let mut rect = Rectangle::new(
                        [
                            (SegmentValue::Exact(i), 0.0),
                            (SegmentValue::Exact(i + 1), *v),
                        ],
                        color.filled(),
                    );
                    rect.set_margin(0, 0, left.round() as u32, right.max(0.0).round() as u32);
                    rect
                }))
                .map_err(|e| failed(&e))?
                .label(s.label.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
            // The value above each bar, centred on it.
            let centre = (left + bar / 2.0 - segment / 2.0).round() as i32;
            let small = text(13.0).pos(Pos::new(HPos::Center, VPos::Bottom));
            chart
                .draw_series(s.values.iter().enumerate().map(|(i, v)| {
                    EmptyElement::at((SegmentValue::CenterOf(i), *v))
                        + Text::new(unit.label(*v), (centre, -3), small.clone())
                }))
                .map_err(|e| failed(&e))?;
        }
        // The legend above the plot, right-aligned, so that it never hides a bar.
        if series.len() > 1 {
            let font = text(14.0).pos(Pos::new(HPos::Left, VPos::Center));
            let mut x = WIDTH as i32 - 8;
            for s in series.iter().rev() {
                let (w, _) = root
                    .estimate_text_size(&s.label, &font)
                    .map_err(|e| failed(&e))?;
                x -= w as i32;
                root.draw(&Text::new(s.label.clone(), (x, 11), font.clone()))
                    .map_err(|e| failed(&e))?;
                x -= 16;
                root.draw(&Rectangle::new([(x, 6), (x + 11, 17)], s.color.filled()))
                    .map_err(|e| failed(&e))?;
                x -= 14;
            }
        }
        root.present().map_err(|e| failed(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_svg_with_its_labels_and_values_in_the_embedded_font() {
        let svg = draw(
            &["Accueillis", "Financés"],
            &[
                Series {
                    label: "2015".into(),
                    color: YEAR_BEFORE,
                    values: vec![250.0, 100.0],
                },
                Series {
                    label: "2016".into(),
                    color: THIS_YEAR,
                    values: vec![300.0, 126.0],
                },
            ],
            Unit::Count,
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        for text in ["Accueillis", "Financés", "126", "2016", "2015"] {
            assert!(svg.contains(&format!("\n{text}\n")), "{text} in {svg}");
        }
        assert!(svg.contains(r#"font-family="Liberation Sans""#));
        if let Ok(dir) = std::env::var("PERMANENCE_CHART_DIR") {
            std::fs::write(format!("{dir}/chart.svg"), &svg).unwrap();
        }
    }

    #[test]
    fn amounts_read_the_french_way() {
        assert_eq!(Unit::Cents.label(867_000_00.0), "867\u{202f}000\u{a0}€");
        assert_eq!(Unit::Cents.axis(867_000_00.0), "867\u{a0}k€");
        assert_eq!(Unit::Percent.label(50.4), "50\u{a0}%");
        assert_eq!(Unit::Count.label(1234.0), "1\u{202f}234");
    }
}
