//! The accountant's export of a year ("Export comptable"): the dossiers, their honour loans,
//! the loans' schedules and their movements, as one XLSX workbook (a sheet per table) or as
//! French CSV files (one per table).
//!
//! Which dossiers: those financed in the year (the committee's accord) and those whose loans
//! moved in it (`Store::accounts_dossiers`). The loans, their status and their schedules are
//! read as they stand at the year's end (or today, for the year under way); the movements are
//! those dated in the year.
//!
//! CSV layout (what French accounting software reads): `;` between fields, `,` for decimals
//! and no thousands separator (`1234,56`), dates `JJ/MM/AAAA`, UTF-8 with a BOM, CRLF line
//! ends. A CSV file holds one table: asked for `export.csv`, the export writes the dossiers
//! there and each other table beside it, `export-prets.csv`, `export-echeances.csv` and
//! `export-mouvements.csv`. Files are written whole or not at all.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

use super::fiche::{holder_names, project_name};
use super::printout::write_whole;
use permanence_domain::codes::{Decision, FinancingCategory};
use permanence_domain::dossier::Dossier;
use permanence_domain::error::{Error, Result};
use permanence_domain::settings::PlatformSettings;

/// One value of a table, typed so that a spreadsheet can sum amounts and sort dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Count(i64),
    Cents(i64),
    Date(NaiveDate),
    Empty,
}

impl From<Option<NaiveDate>> for Cell {
    fn from(day: Option<NaiveDate>) -> Cell {
        day.map_or(Cell::Empty, Cell::Date)
    }
}

/// A table of the export: its name (the sheet's), its column heads and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    /// What a CSV file of this table adds to the named file's stem (`prets`); the first
    /// table goes in the named file itself.
    pub suffix: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The export of one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accounts {
    pub year: i32,
    /// The day loans are read at: the year's last, or today for the year under way.
    pub as_of: NaiveDate,
    pub tables: Vec<Table>,
}

/// The file formats the export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

impl Accounts {
    /// The tables of `year` from its dossiers (`Store::accounts_dossiers`).
    pub fn new(
        year: i32,
        dossiers: &[Dossier],
        settings: &PlatformSettings,
        today: NaiveDate,
    ) -> Accounts {
        let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
        let as_of = year_end.min(today);
        let grace = settings.loan_rules.grace_days;
        let mut dossier_rows = Vec::new();
        let mut loan_rows = Vec::new();
        let mut instalment_rows = Vec::new();
        let mut movement_rows = Vec::new();
        for d in dossiers {
            let number = || Cell::Text(d.number.clone());
            let granted = matches!(
                d.decision,
                Some(Decision::Accord | Decision::AccordSousConditions)
            );
            dossier_rows.push(vec![
                number(),
                Cell::Text(d.project_type.label().into()),
                Cell::Text(d.status.label().into()),
                Cell::Text(holder_names(&d.holders)),
                Cell::Text(project_name(d)),
                Cell::Text(d.business.commune.clone()),
                d.business.naf_code.clone().map_or(Cell::Empty, Cell::Text),
                Cell::Date(d.opened_on),
                d.committee_date.into(),
                d.decision
                    .map_or(Cell::Empty, |x| Cell::Text(x.label().into())),
                if granted {
                    d.decision_amount_cents.map_or(Cell::Empty, Cell::Cents)
                } else {
                    Cell::Empty
                },
                Cell::Cents(
                    d.financing
                        .iter()
                        .filter(|l| l.category == FinancingCategory::BankLoan)
                        .map(|l| l.amount_cents)
                        .sum(),
                ),
                d.business.jobs_created.map_or(Cell::Empty, Cell::Count),
            ]);
            for loan in &d.loans {
                let holder = d
                    .holders
                    .iter()
                    .find(|h| h.id == loan.holder_id)
                    .map(super::fiche::short_name)
                    .unwrap_or_default();
                let reference = || Cell::Text(loan.reference.clone());
                let state = loan.state(as_of, grace);
                loan_rows.push(vec![
                    number(),
                    reference(),
                    Cell::Text(holder),
                    Cell::Cents(loan.amount_cents),
                    Cell::Count(loan.months),
                    Cell::Count(loan.deferral_months),
                    Cell::Date(loan.signed_on),
                    Cell::Cents(state.disbursed_cents),
                    Cell::Cents(state.repaid_cents),
                    Cell::Cents(state.outstanding_cents),
                    Cell::Cents(state.overdue_cents),
                    Cell::Cents(state.written_off_cents),
                    Cell::Text(state.status.label().into()),
                ]);
                if let Some(schedule) = &state.schedule {
                    for i in &schedule.instalments {
                        instalment_rows.push(vec![
                            number(),
                            reference(),
                            Cell::Count(i.instalment.number),
                            Cell::Date(i.instalment.due_on),
                            Cell::Cents(i.instalment.amount_cents),
                            Cell::Cents(i.paid_cents),
                            Cell::Cents(i.instalment.remaining_cents),
                            Cell::Text(if i.late { "oui" } else { "non" }.into()),
                        ]);
                    }
                }
                let mut movements: Vec<_> = loan
                    .movements
                    .iter()
                    .filter(|m| m.on.year() == year && m.on <= as_of)
                    .collect();
                movements.sort_by_key(|m| m.on);
                for m in movements {
                    movement_rows.push(vec![
                        number(),
                        reference(),
                        Cell::Date(m.on),
                        Cell::Text(m.kind.label().into()),
                        Cell::Cents(m.amount_cents),
                        m.months.map_or(Cell::Empty, Cell::Count),
                        m.deferral_months.map_or(Cell::Empty, Cell::Count),
                        Cell::Text(m.note.clone()),
                    ]);
                }
            }
        }
        Accounts {
            year,
            as_of,
            tables: vec![
                Table {
                    name: "Dossiers",
                    suffix: "dossiers",
                    headers: vec![
                        "N° dossier",
                        "Type",
                        "Statut",
                        "Porteur(s)",
                        "Entreprise",
                        "Commune",
                        "Code NAF",
                        "Ouvert le",
                        "Comité du",
                        "Décision",
                        "Montant accordé (€)",
                        "Prêts bancaires (€)",
                        "Emplois créés",
                    ],
                    rows: dossier_rows,
                },
                Table {
                    name: "Prêts",
                    suffix: "prets",
                    headers: vec![
                        "N° dossier",
                        "Référence",
                        "Porteur",
                        "Montant (€)",
                        "Durée (mois)",
                        "Différé (mois)",
                        "Signé le",
                        "Décaissé (€)",
                        "Remboursé (€)",
                        "Restant dû (€)",
                        "Impayé (€)",
                        "Passé en perte (€)",
                        "Statut",
                    ],
                    rows: loan_rows,
                },
                Table {
                    name: "Échéances",
                    suffix: "echeances",
                    headers: vec![
                        "N° dossier",
                        "Référence",
                        "N° échéance",
                        "Échéance le",
                        "Montant (€)",
                        "Payé (€)",
                        "Restant dû après (€)",
                        "En retard",
                    ],
                    rows: instalment_rows,
                },
                Table {
                    name: "Mouvements",
                    suffix: "mouvements",
                    headers: vec![
                        "N° dossier",
                        "Référence",
                        "Date",
                        "Nature",
                        "Montant (€)",
                        "Durée (mois)",
                        "Différé (mois)",
                        "Note",
                    ],
                    rows: movement_rows,
                },
            ],
        }
    }

    /// The workbook, a sheet per table, amounts in euros and dates as dates.
    pub fn xlsx(&self) -> Result<Vec<u8>> {
        self.workbook()
            .map_err(|e| Error::Internal(format!("XLSX export: {e}")))
    }

    fn workbook(&self) -> std::result::Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let head = Format::new()
            .set_bold()
            .set_background_color(0x1f3b5a)
            .set_font_color(0xffffff)
            .set_align(FormatAlign::Center);
        let euros = Format::new().set_num_format("#,##0.00 \"€\"");
        let day = Format::new().set_num_format("dd/mm/yyyy");
        for table in &self.tables {
            let sheet = book.add_worksheet();
            sheet.set_name(table.name)?;
            for (c, h) in table.headers.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *h, &head)?;
            }
            for (r, row) in table.rows.iter().enumerate() {
                let r = r as u32 + 1;
                for (c, cell) in row.iter().enumerate() {
                    let c = c as u16;
                    match cell {
                        Cell::Text(t) => {
                            sheet.write_string(r, c, t)?;
                        }
                        Cell::Count(n) => {
                            sheet.write_number(r, c, *n as f64)?;
                        }
                        Cell::Cents(cents) => {
                            sheet.write_number_with_format(r, c, *cents as f64 / 100.0, &euros)?;
                        }
                        Cell::Date(d) => {
                            let date = ExcelDateTime::from_ymd(
                                u16::try_from(d.year()).unwrap_or(1900),
                                d.month() as u8,
                                d.day() as u8,
                            )?;
                            sheet.write_datetime_with_format(r, c, &date, &day)?;
                        }
                        Cell::Empty => {}
                    }
                }
            }
            sheet.set_freeze_panes(1, 0)?;
            if !table.headers.is_empty() {
                sheet.autofilter(
                    0,
                    0,
                    table.rows.len() as u32,
                    table.headers.len() as u16 - 1,
                )?;
            }
            sheet.autofit();
        }
        book.save_to_buffer()
    }

    /// A table as a French CSV file: BOM, `;`, `1234,56`, `JJ/MM/AAAA`, CRLF.
    pub fn csv(table: &Table) -> Vec<u8> {
        let mut out = String::from("\u{feff}");
        let line = |cells: Vec<String>| cells.join(";") + "\r\n";
        out.push_str(&line(table.headers.iter().map(|h| quote(h)).collect()));
        for row in &table.rows {
            out.push_str(&line(row.iter().map(csv_cell).collect()));
        }
        out.into_bytes()
    }

    /// Writes the export to `path`, XLSX or CSV by its extension; the files written. A CSV
    /// export writes one file per table (see the module's documentation).
    pub fn save(&self, path: &Path) -> Result<Vec<PathBuf>> {
        match export_format(path)? {
            ExportFormat::Xlsx => {
                write_whole(path, &self.xlsx()?)?;
                Ok(vec![path.to_owned()])
            }
            ExportFormat::Csv => {
                let files: Vec<(PathBuf, Vec<u8>)> = self
                    .tables
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (csv_path(path, (i > 0).then_some(t.suffix)), Self::csv(t)))
                    .collect();
                for (file, bytes) in &files {
                    write_whole(file, bytes)?;
                }
                Ok(files.into_iter().map(|(f, _)| f).collect())
            }
        }
    }
}

impl ExportFormat {
    /// `xlsx` or `csv`, as the app names them.
    pub fn named(name: &str) -> Result<ExportFormat> {
        export_format(Path::new(&format!("export.{name}")))
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
        }
    }
}

/// The format a file name asks for, or a French refusal naming the two accepted.
pub fn export_format(path: &Path) -> Result<ExportFormat> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("xlsx") => Ok(ExportFormat::Xlsx),
        Some("csv") => Ok(ExportFormat::Csv),
        _ => Err(Error::field(
            "out",
            format!(
                "« {} » : l'export comptable s'enregistre en .xlsx (classeur) ou en .csv (un fichier par tableau).",
                path.display()
            ),
        )),
    }
}

/// `export.csv` itself, or `export-prets.csv` beside it.
pub fn csv_path(path: &Path, suffix: Option<&str>) -> PathBuf {
    match suffix {
        None => path.to_owned(),
        Some(suffix) => {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            path.with_file_name(format!("{stem}-{suffix}.csv"))
        }
    }
}

/// `export-comptable-2016.xlsx`.
pub fn export_file_name(year: i32, format: ExportFormat) -> String {
    match format {
        ExportFormat::Xlsx => format!("export-comptable-{year}.xlsx"),
        ExportFormat::Csv => format!("export-comptable-{year}.csv"),
    }
}

fn csv_cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => quote(t),
        Cell::Count(n) => n.to_string(),
        Cell::Cents(c) => {
            let sign = if *c < 0 { "-" } else { "" };
            let m = c.unsigned_abs();
            format!("{sign}{},{:02}", m / 100, m % 100)
        }
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
        Cell::Empty => String::new(),
    }
}

/// A text field, quoted when it holds the separator, a quote or a line break; a leading
/// `=`, `+`, `-` or `@` is kept from being read as a formula by a spreadsheet.
fn quote(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "Prêts",
            suffix: "prets",
            headers: vec!["Référence", "Montant (€)", "Signé le", "Note"],
            rows: vec![vec![
                Cell::Text("PH-2016-001".into()),
                Cell::Cents(1_234_56),
                Cell::Date(NaiveDate::from_ymd_opt(2016, 3, 4).unwrap()),
                Cell::Text("dit \"urgent\"; à voir".into()),
            ]],
        }
    }

    #[test]
    fn a_csv_is_french_with_a_bom() {
        let csv = String::from_utf8(Accounts::csv(&table())).unwrap();
        assert_eq!(
            csv,
            "\u{feff}Référence;Montant (€);Signé le;Note\r\n\
             PH-2016-001;1234,56;04/03/2016;\"dit \"\"urgent\"\"; à voir\"\r\n"
        );
    }

    #[test]
    fn a_formula_is_never_exported_as_one() {
        assert_eq!(quote("=1+1"), "'=1+1");
        assert_eq!(csv_cell(&Cell::Cents(-5)), "-0,05");
    }

    #[test]
    fn the_extension_chooses_the_format_and_other_tables_go_beside() {
        assert_eq!(
            export_format(Path::new("a/b.XLSX")).unwrap(),
            ExportFormat::Xlsx
        );
        assert_eq!(
            export_format(Path::new("b.csv")).unwrap(),
            ExportFormat::Csv
        );
        let refused = export_format(Path::new("b.pdf")).unwrap_err();
        assert!(format!("{refused:?}").contains(".xlsx"), "{refused:?}");
        assert_eq!(
            csv_path(Path::new("/tmp/export.csv"), Some("prets")),
            PathBuf::from("/tmp/export-prets.csv")
        );
    }

    #[test]
    fn a_workbook_is_a_zip() {
        let accounts = Accounts {
            year: 2016,
            as_of: NaiveDate::from_ymd_opt(2016, 12, 31).unwrap(),
            tables: vec![table()],
        };
        assert!(accounts.xlsx().unwrap().starts_with(b"PK"));
    }
}
