//! The platform's bank statement, read from the CSV file its bank exports, and its credit
//! lines matched to honour loans as repayments (issue 12).
//!
//! Reading is all or nothing: a file whose columns are not found, or with one line whose date
//! or amount cannot be read, is refused whole, each problem named by its line in French.
//! Matching never guesses: a line is a loan's repayment when the loan's reference is in it, or
//! when its holder's last name is in it AND its amount is exactly what the loan has next to
//! pay (one or more instalments); a line that fits two loans, or none, is left for a person.
//!
//! A repayment made from a statement line has an id worked out from the line and its loan
//! (`movement_id`), the same on every import and every laptop: importing a file again, or a
//! later statement that repeats a line, finds the id already recorded and adds nothing.
//!
//! What the files look like in practice, and so what is read without being told:
//! - the encoding: UTF-8 (with or without its BOM), UTF-16 with its BOM (Excel's "texte
//!   Unicode"), otherwise Windows-1252 (Latin-1 as Windows writes it);
//! - the separator: `;` (or a tab, when the file has more of them), `,` when it has neither;
//! - a few lines about the account may come before the header row, which is the first row
//!   naming the columns needed (`Date opération`, `Libellé`, `Montant` or `Débit`/`Crédit`…);
//! - amounts in the French way (`1 234,56`, `-150,00`, spaces of any width between thousands,
//!   a sign before or after), dates `JJ/MM/AAAA`;
//! - rows with neither a date nor an amount carry the rest of the line above's label; rows
//!   whose date (or, without a date, whose label) starts with "Solde" or "Total" are the
//!   bank's balance or totals, not operations.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use encoding_rs::{Encoding, WINDOWS_1252};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::codes::{LoanStatus, MovementKind};
use crate::dates::{format_date, parse_date};
use crate::error::{Error, FieldErrors, Result};
use crate::ledger::{Loan, LoanState, MovementDraft, MOVEMENT_NOTE_MAX};
use crate::money::{format_cents, Cents};
use crate::reference::fold;

/// Longest name of a saved column mapping.
pub const MAPPING_NAME_MAX: usize = 60;

/// How many rows may come before the header row (the account's name, its number, a period).
const HEADER_SEARCH_ROWS: usize = 30;

/// How many unreadable lines a refusal names; the others are counted.
const PROBLEMS_SHOWN: usize = 20;

/// What a refused file's message starts with.
const REFUSED: &str = "Relevé refusé, rien n'a été importé";

/// The namespace of the ids of repayments read from statements (UUID v5).
const MOVEMENT_NAMESPACE: Uuid = Uuid::from_u128(0x6d1f_3c52_8a4e_4f0b_9b7e_52a1_c0de_0012);

/// Which column of a statement holds what, by its header as the file writes it (compared
/// without case, accents or punctuation). Either one signed amount column, or a credit column
/// and, when the file has one, a debit column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct StatementMapping {
    /// The operation's date (`JJ/MM/AAAA`).
    pub date: String,
    pub label: String,
    /// One column of signed amounts: credits positive, debits negative.
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub credit: Option<String>,
    #[serde(default)]
    pub debit: Option<String>,
    /// A column searched for loan references too.
    #[serde(default)]
    pub reference: Option<String>,
}

impl StatementMapping {
    /// Its problems, by field, in French.
    pub fn problems(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        let given =
            |column: &Option<String>| column.as_deref().is_some_and(|c| !c.trim().is_empty());
        if self.date.trim().is_empty() {
            errors.insert(
                "date".into(),
                "Indiquez la colonne de la date de l'opération.".into(),
            );
        }
        if self.label.trim().is_empty() {
            errors.insert(
                "label".into(),
                "Indiquez la colonne du libellé de l'opération.".into(),
            );
        }
        let split = given(&self.credit) || given(&self.debit);
        if given(&self.amount) && split {
            errors.insert(
                "amount".into(),
                "Indiquez soit une colonne de montant, soit les colonnes Débit et Crédit, pas les deux."
                    .into(),
            );
        } else if !given(&self.amount) && !given(&self.credit) {
            errors.insert(
                "amount".into(),
                "Indiquez la colonne du montant, ou celle des crédits (et des débits).".into(),
            );
        }
        errors
    }
}

/// Checks the name a mapping is saved under; answers it trimmed.
pub fn mapping_name(name: &str) -> Result<String> {
    let trimmed = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if trimmed.is_empty() {
        return Err(Error::field(
            "name",
            "Donnez un nom à cette correspondance de colonnes (par exemple le nom de la banque).",
        ));
    }
    if trimmed.chars().count() > MAPPING_NAME_MAX || trimmed.chars().any(hidden) {
        return Err(Error::field(
            "name",
            format!("Le nom tient en {MAPPING_NAME_MAX} caractères visibles."),
        ));
    }
    Ok(trimmed)
}

/// One operation of the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatementLine {
    /// The line of the file where the operation starts (the first line is 1).
    pub number: u64,
    pub on: NaiveDate,
    /// Positive for a credit, negative for a debit.
    pub amount_cents: i64,
    pub label: String,
    /// The reference column's text, if the statement has one.
    pub reference: String,
}

/// A column the statement was read with: what it holds (`date`, `libellé`, `montant`,
/// `crédit`, `débit`, `référence`) and its header as the file writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatementColumn {
    pub role: String,
    pub header: String,
}

/// A statement as it was read: what was found of its layout, in French, and its operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatementReading {
    /// `UTF-8 avec BOM`, `UTF-16LE avec BOM`, `UTF-8`, `Windows-1252 (Latin-1)`.
    pub encoding: String,
    /// `point-virgule`, `tabulation` or `virgule`.
    pub separator: String,
    pub columns: Vec<StatementColumn>,
    pub lines: Vec<StatementLine>,
}

/// Reads a statement file: its encoding, its columns (`mapping`, or the usual headers), and
/// every operation. Refused whole, with every problem by line, when any line is unreadable.
pub fn parse(bytes: &[u8], mapping: Option<&StatementMapping>) -> Result<Vec<StatementLine>> {
    read(bytes, mapping).map(|reading| reading.lines)
}

/// `parse`, saying also what it found of the file's layout (for a person to check).
pub fn read(bytes: &[u8], mapping: Option<&StatementMapping>) -> Result<StatementReading> {
    let (text, encoding) = decode_named(bytes)?;
    // One kind of line ending: the reader counts lines by `\n` alone, and a `\r\n` (what
    // Windows writes) would make it name the line above.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let delimiter = delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());

    let mut problems: Vec<String> = Vec::new();
    let mut layout: Option<Layout> = None;
    let mut widest_row: Option<Vec<String>> = None;
    let mut lines: Vec<StatementLine> = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(format!("ligne {line} : ligne illisible"));
                continue;
            }
        };
        let number = record
            .position()
            .map(|p| p.line())
            .unwrap_or(index as u64 + 1);
        let cells: Vec<String> = record.iter().map(clean).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let Some(found) = &layout else {
            if index >= HEADER_SEARCH_ROWS {
                break;
            }
            // The widest row is the one that names the columns, if any does.
            let filled = |row: &[String]| row.iter().filter(|c| !c.is_empty()).count();
            if widest_row
                .as_deref()
                .is_none_or(|row| filled(&cells) > filled(row))
            {
                widest_row = Some(cells.clone());
            }
            layout = Layout::find(&cells, mapping);
            continue;
        };
        match found.line(number, &cells) {
            Ok(Row::Operation(line)) => lines.push(line),
            Ok(Row::LabelGoesOn(more)) => {
                if let Some(last) = lines.last_mut() {
                    last.label = format!("{} {more}", last.label);
                }
            }
            Ok(Row::Summary) => {}
            Err(problem) => problems.push(problem),
        }
    }
    let Some(layout) = layout else {
        return Err(unknown_layout(
            widest_row.as_deref().unwrap_or(&[]),
            mapping,
        ));
    };
    if !problems.is_empty() {
        let count = problems.len();
        problems.truncate(PROBLEMS_SHOWN);
        if count > PROBLEMS_SHOWN {
            problems.push(format!(
                "et {} autres lignes illisibles",
                count - PROBLEMS_SHOWN
            ));
        }
        return Err(refused(problems));
    }
    if lines.is_empty() {
        return Err(refused(vec![
            "le relevé ne contient aucune opération sous ses en-têtes".into(),
        ]));
    }
    Ok(StatementReading {
        encoding,
        separator: match delimiter {
            b'\t' => "tabulation",
            b',' => "virgule",
            _ => "point-virgule",
        }
        .to_owned(),
        columns: layout.columns(),
        lines,
    })
}

/// The file's text, whatever the encoding it was saved in.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>> {
    decode_named(bytes).map(|(text, _)| text)
}

/// `decode`, with the encoding's name as a person reads it.
fn decode_named(bytes: &[u8]) -> Result<(Cow<'_, str>, String)> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, failed) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if failed {
            return Err(refused(vec![format!(
                "le fichier s'annonce en {} mais ne l'est pas",
                encoding.name()
            )]));
        }
        return Ok((text, format!("{} avec BOM", encoding.name())));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(refused(vec![
            "ce fichier est un classeur (Excel, .xlsx), pas un CSV : enregistrez-le au format \
             CSV (séparateur point-virgule) et importez ce fichier-là"
                .into(),
        ]));
    }
    if bytes.contains(&0) {
        return Err(refused(vec![
            "ce fichier n'est pas un fichier texte CSV".into()
        ]));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(refused(vec!["le fichier est vide".into()]));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((Cow::Borrowed(text), "UTF-8".to_owned())),
        // Not UTF-8: what Windows writes (Windows-1252 decodes every byte).
        Err(_) => Ok((
            WINDOWS_1252.decode_without_bom_handling(bytes).0,
            "Windows-1252 (Latin-1)".to_owned(),
        )),
    }
}

fn refused(reasons: Vec<String>) -> Error {
    Error::Refused {
        what: REFUSED.into(),
        reasons,
    }
}

/// `;`, unless tabs are more numerous in the first lines; `,` when there is neither.
fn delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(HEADER_SEARCH_ROWS).collect();
    let semicolons = head.matches(';').count();
    let tabs = head.matches('\t').count();
    match (semicolons, tabs) {
        (0, 0) => b',',
        (s, t) if t > s => b'\t',
        _ => b';',
    }
}

/// A character a person cannot see.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || c == '\u{FEFF}'
}

/// A cell as a person reads it: invisible characters out, spaces collapsed.
fn clean(cell: &str) -> String {
    cell.split(|c: char| c.is_whitespace() || hidden(c))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A header as it is compared: folded, without a trailing currency (`Montant (€)`,
/// `Crédit EUR`, `Débit en euros` are `montant`, `credit`, `debit`).
fn header_key(header: &str) -> String {
    let folded = fold(header);
    let mut words: Vec<&str> = folded.split(' ').collect();
    while words.len() > 1 && matches!(words.last(), Some(&("eur" | "euro" | "euros" | "en"))) {
        words.pop();
    }
    words.join(" ")
}

/// The usual headers of each column, the preferred first (the operation's date before the
/// value date).
const DATE_HEADERS: &[&str] = &[
    "date operation",
    "date d operation",
    "date de l operation",
    "date",
    "date comptable",
    "date de comptabilisation",
    "date de valeur",
    "date valeur",
];
const LABEL_HEADERS: &[&str] = &[
    "libelle de l operation",
    "libelle operation",
    "libelle",
    "libelle complet",
    "libelle simplifie",
    "intitule",
    "intitule de l operation",
    "designation",
    "description",
    "nature de l operation",
    "operation",
];
const AMOUNT_HEADERS: &[&str] = &["montant", "montant de l operation", "montant operation"];
const CREDIT_HEADERS: &[&str] = &["credit", "credits", "montant credit", "montant au credit"];
const DEBIT_HEADERS: &[&str] = &["debit", "debits", "montant debit", "montant au debit"];
const REFERENCE_HEADERS: &[&str] = &[
    "reference",
    "references",
    "ref",
    "reference de l operation",
    "reference operation",
];

/// Where the amounts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Money {
    Signed(usize),
    Split {
        credit: Option<usize>,
        debit: Option<usize>,
    },
}

/// The columns of a statement, found in its header row.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Layout {
    headers: Vec<String>,
    date: usize,
    label: usize,
    money: Money,
    reference: Option<usize>,
}

/// What a row below the header is.
enum Row {
    Operation(StatementLine),
    /// The rest of the label of the operation above.
    LabelGoesOn(String),
    /// The bank's balance or total.
    Summary,
}

impl Layout {
    /// The layout, if `cells` is the header row: the columns of `mapping`, or the usual ones.
    fn find(cells: &[String], mapping: Option<&StatementMapping>) -> Option<Layout> {
        let keys: Vec<String> = cells.iter().map(|c| header_key(c)).collect();
        let named = |name: &str| {
            let key = header_key(name);
            keys.iter().position(|k| !key.is_empty() && *k == key)
        };
        let usual = |aliases: &[&str]| {
            aliases
                .iter()
                .find_map(|alias| keys.iter().position(|k| k == alias))
        };
        let optional = |name: &Option<String>| -> Option<Option<usize>> {
            match name.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(name) => named(name).map(Some),
            }
        };
        let layout = match mapping {
            Some(mapping) => {
                let money = match optional(&mapping.amount)? {
                    Some(amount) => Money::Signed(amount),
                    None => Money::Split {
                        credit: optional(&mapping.credit)?,
                        debit: optional(&mapping.debit)?,
                    },
                };
                Layout {
                    headers: cells.to_vec(),
                    date: named(&mapping.date)?,
                    label: named(&mapping.label)?,
                    money,
                    reference: optional(&mapping.reference)?,
                }
            }
            None => {
                let money = match (
                    usual(AMOUNT_HEADERS),
                    usual(CREDIT_HEADERS),
                    usual(DEBIT_HEADERS),
                ) {
                    (Some(amount), _, _) => Money::Signed(amount),
                    (None, Some(credit), debit) => Money::Split {
                        credit: Some(credit),
                        debit,
                    },
                    _ => return None,
                };
                Layout {
                    headers: cells.to_vec(),
                    date: usual(DATE_HEADERS)?,
                    label: usual(LABEL_HEADERS)?,
                    money,
                    reference: usual(REFERENCE_HEADERS),
                }
            }
        };
        if matches!(
            layout.money,
            Money::Split {
                credit: None,
                debit: None
            }
        ) {
            return None;
        }
        Some(layout)
    }

    /// Each column read, with what it holds, as a person checks them.
    fn columns(&self) -> Vec<StatementColumn> {
        let money: Vec<(&str, usize)> = match self.money {
            Money::Signed(amount) => vec![("montant", amount)],
            Money::Split { credit, debit } => credit
                .map(|c| ("crédit", c))
                .into_iter()
                .chain(debit.map(|d| ("débit", d)))
                .collect(),
        };
        [("date", self.date), ("libellé", self.label)]
            .into_iter()
            .chain(money)
            .chain(self.reference.map(|r| ("référence", r)))
            .map(|(role, index)| StatementColumn {
                role: role.to_owned(),
                header: self.headers[index].clone(),
            })
            .collect()
    }

    /// Reads one row below the header; `Err` names the line and what is wrong, in French.
    fn line(&self, number: u64, cells: &[String]) -> Result<Row, String> {
        let cell = |index: usize| cells.get(index).map(String::as_str).unwrap_or("");
        let column = |index: usize| &self.headers[index];
        let date = cell(self.date);
        let label = cell(self.label);
        let money_cells: Vec<usize> = match self.money {
            Money::Signed(amount) => vec![amount],
            Money::Split { credit, debit } => credit.into_iter().chain(debit).collect(),
        };
        // The bank's balance or totals, named where the date goes or, without a date, where
        // the label goes.
        let named = fold(if date.is_empty() { label } else { date });
        if named.starts_with("solde") || named.starts_with("total") {
            return Ok(Row::Summary);
        }
        let no_money = money_cells.iter().all(|&i| cell(i).is_empty());
        if date.is_empty() && no_money {
            return Ok(if label.is_empty() {
                Row::Summary
            } else {
                Row::LabelGoesOn(label.to_owned())
            });
        }
        let on = parse_date(date).map_err(|problem| {
            format!(
                "ligne {number}, colonne « {} » : {}",
                column(self.date),
                lowercase_first(problem.trim_end_matches('.'))
            )
        })?;
        let amount = |index: usize| -> Result<Option<i64>, String> {
            let text = cell(index);
            if text.is_empty() {
                return Ok(None);
            }
            signed_cents(text).map(Some).ok_or_else(|| {
                format!(
                    "ligne {number}, colonne « {} » : « {text} » n'est pas un montant \
                     (exemples : 1 234,56 ou -150,00)",
                    column(index)
                )
            })
        };
        let amount_cents = match self.money {
            Money::Signed(index) => amount(index)?.ok_or_else(|| {
                format!("ligne {number} : la colonne « {} » est vide", column(index))
            })?,
            Money::Split { credit, debit } => {
                let credited = credit
                    .map(amount)
                    .transpose()?
                    .flatten()
                    .filter(|&c| c != 0);
                let debited = debit.map(amount).transpose()?.flatten().filter(|&c| c != 0);
                match (credited, debited) {
                    (Some(c), None) => c,
                    (None, Some(d)) => -d.abs(),
                    (None, None) => 0,
                    (Some(_), Some(_)) => {
                        return Err(format!(
                            "ligne {number} : un montant au débit et au crédit à la fois"
                        ))
                    }
                }
            }
        };
        Ok(Row::Operation(StatementLine {
            number,
            on,
            amount_cents,
            label: label.to_owned(),
            reference: self.reference.map(cell).unwrap_or("").to_owned(),
        }))
    }
}

/// "Le 31/02/2026 n'existe pas…" → "le 31/02/2026 n'existe pas…", to follow a colon.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first)
            if first.is_uppercase() && !chars.clone().next().is_some_and(char::is_uppercase) =>
        {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

/// A signed French amount: `-150,00`, `+1 234,56`, `150,00-`, `1 234,56 €`.
fn signed_cents(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, magnitude) = if let Some(rest) = text.strip_prefix(['-', '\u{2212}']) {
        (true, rest)
    } else if let Some(rest) = text.strip_prefix('+') {
        (false, rest)
    } else if let Some(rest) = text.strip_suffix(['-', '\u{2212}']) {
        (true, rest)
    } else {
        (false, text)
    };
    let cents = Cents::parse(magnitude).ok()?.cents();
    Some(if negative { -cents } else { cents })
}

/// Why no header row was found, in French: the columns of the file's first row, and which are
/// missing.
fn unknown_layout(first_row: &[String], mapping: Option<&StatementMapping>) -> Error {
    let found: Vec<String> = first_row
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| format!("« {c} »"))
        .collect();
    let found = if found.is_empty() {
        "colonnes trouvées : aucune".to_owned()
    } else {
        format!("colonnes trouvées : {}", found.join(", "))
    };
    let mut reasons = Vec::new();
    match mapping {
        Some(mapping) => {
            let wanted: Vec<String> = [
                ("date", Some(&mapping.date)),
                ("libellé", Some(&mapping.label)),
                ("montant", mapping.amount.as_ref()),
                ("crédit", mapping.credit.as_ref()),
                ("débit", mapping.debit.as_ref()),
                ("référence", mapping.reference.as_ref()),
            ]
            .into_iter()
            .filter_map(|(role, name)| {
                let name = name?.trim();
                let key = header_key(name);
                let present = first_row.iter().any(|c| header_key(c) == key);
                (!name.is_empty() && !present).then(|| format!("« {name} » ({role})"))
            })
            .collect();
            reasons.push(format!(
                "les colonnes de la correspondance choisie ne sont pas toutes dans le relevé, \
                 il manque : {}",
                if wanted.is_empty() {
                    "une ligne d'en-têtes qui les réunisse".to_owned()
                } else {
                    wanted.join(", ")
                }
            ));
            reasons.push(found);
        }
        None => {
            let keys: Vec<String> = first_row.iter().map(|c| header_key(c)).collect();
            let has = |aliases: &[&str]| keys.iter().any(|k| aliases.contains(&k.as_str()));
            let mut missing = Vec::new();
            if !has(DATE_HEADERS) {
                missing.push("la date");
            }
            if !has(LABEL_HEADERS) {
                missing.push("le libellé");
            }
            if !has(AMOUNT_HEADERS) && !has(CREDIT_HEADERS) {
                missing.push("le montant (ou les colonnes Débit et Crédit)");
            }
            reasons.push(format!("colonnes non reconnues, {found}"));
            reasons.push(format!(
                "indiquez quelle colonne porte {} dans une correspondance de colonnes, puis \
                 importez le relevé avec elle",
                if missing.is_empty() {
                    "la date, le libellé et le montant".to_owned()
                } else {
                    missing.join(", ")
                }
            ));
        }
    }
    refused(reasons)
}

/// What matching needs to know of a loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanCandidate {
    pub loan_id: Uuid,
    pub reference: String,
    pub holder_last_name: String,
    /// What remains to pay of each instalment still open, the next first (it may be partly
    /// paid); empty once nothing is due.
    pub dues_cents: Vec<i64>,
}

impl LoanCandidate {
    /// A loan as recorded, where it stands (`Loan::state`), and its holder's last name.
    pub fn new(loan: &Loan, state: &LoanState, holder_last_name: &str) -> LoanCandidate {
        let dues_cents = match (&state.schedule, state.status) {
            (_, LoanStatus::WrittenOff) | (None, _) => Vec::new(),
            (Some(schedule), _) => schedule
                .instalments
                .iter()
                .map(|i| i.instalment.amount_cents - i.paid_cents)
                .filter(|&due| due > 0)
                .collect(),
        };
        LoanCandidate {
            loan_id: loan.id,
            reference: loan.reference.clone(),
            holder_last_name: holder_last_name.to_owned(),
            dues_cents,
        }
    }

    /// Whether `cents` pays exactly the next instalment, or the next few.
    fn due(&self, cents: i64) -> bool {
        let mut total = 0;
        for due in &self.dues_cents {
            total += due;
            if total == cents {
                return true;
            }
            if total > cents {
                return false;
            }
        }
        false
    }

    /// Takes a repayment into account: it pays the instalments in order.
    fn pay(&mut self, mut cents: i64) {
        while cents > 0 && !self.dues_cents.is_empty() {
            let paid = cents.min(self.dues_cents[0]);
            self.dues_cents[0] -= paid;
            cents -= paid;
            if self.dues_cents[0] == 0 {
                self.dues_cents.remove(0);
            }
        }
    }
}

/// How a line was recognised as a loan's repayment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The loan's reference is in the label (or the reference column).
    Reference,
    /// The holder's last name is in the label and the amount is what the loan has next to pay.
    HolderAndAmount,
}

/// A statement line recognised as a loan's repayment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatchedLine {
    pub line: u64,
    pub on: NaiveDate,
    pub amount_cents: i64,
    pub label: String,
    pub loan_id: Uuid,
    /// The loan's reference.
    pub reference: String,
    /// The last name of the loan's holder.
    pub holder_last_name: String,
    /// The repayment's id: the same for the same line of any import (`movement_id`).
    pub movement_id: Uuid,
    pub matched_by: MatchedBy,
}

impl MatchedLine {
    /// The repayment to record, its label as its note.
    pub fn draft(&self) -> MovementDraft {
        MovementDraft {
            loan_id: self.loan_id,
            kind: MovementKind::Repayment,
            on: self.on,
            amount_cents: self.amount_cents,
            months: None,
            deferral_months: None,
            note: self.label.chars().take(MOVEMENT_NOTE_MAX).collect(),
        }
    }

    /// The same line, said as not recorded for `reason`.
    pub fn left(&self, reason: String) -> ReportLine {
        ReportLine {
            line: self.line,
            on: self.on,
            amount_cents: self.amount_cents,
            label: self.label.clone(),
            reason,
        }
    }
}

/// A statement line that was not recorded, and why, in French.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportLine {
    pub line: u64,
    pub on: NaiveDate,
    pub amount_cents: i64,
    pub label: String,
    pub reason: String,
}

impl ReportLine {
    fn of(line: &StatementLine, reason: impl Into<String>) -> ReportLine {
        ReportLine {
            line: line.number,
            on: line.on,
            amount_cents: line.amount_cents,
            label: line.label.clone(),
            reason: reason.into(),
        }
    }
}

/// What an import did with each line of a statement, each list in the file's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportReport {
    /// The repayments recorded.
    pub recorded: Vec<MatchedLine>,
    /// Lines whose repayment was recorded by an earlier import.
    pub already_imported: Vec<ReportLine>,
    /// Credits recorded nowhere, with why: to be recorded by hand if they are repayments.
    pub not_matched: Vec<ReportLine>,
    /// Debits (and lines of no amount): never repayments.
    pub ignored: Vec<ReportLine>,
}

impl ImportReport {
    /// Puts each list in the file's order.
    pub fn sort(&mut self) {
        self.recorded.sort_by_key(|l| l.line);
        self.already_imported.sort_by_key(|l| l.line);
        self.not_matched.sort_by_key(|l| l.line);
        self.ignored.sort_by_key(|l| l.line);
    }
}

/// The id of the repayment a statement line makes for a loan: a UUID v5 of the loan, the
/// line's date, amount and label (folded), and which of the file's identical lines it is.
pub fn movement_id(loan_id: Uuid, line: &StatementLine, occurrence: u32) -> Uuid {
    let key = format!(
        "{loan_id}|{}|{}|{}|{occurrence}",
        line.on,
        line.amount_cents,
        fold(&line.label)
    );
    Uuid::new_v5(&MOVEMENT_NAMESPACE, key.as_bytes())
}

/// Matches each line to the loans: credits by the reference in them, or by the holder's name
/// and the amount next due; `recorded` holds the ids of the movements already recorded (a line
/// whose id for some loan is among them was imported before). The report's `recorded` lists
/// the repayments to record, in date order, each loan's dues reduced by the lines before it.
pub fn reconcile(
    lines: &[StatementLine],
    loans: &[LoanCandidate],
    recorded: &HashSet<Uuid>,
) -> ImportReport {
    let mut loans = loans.to_vec();
    let folded_names: Vec<String> = loans.iter().map(|l| fold(&l.holder_last_name)).collect();
    let references: Vec<String> = loans.iter().map(|l| compact(&l.reference)).collect();

    // Which of the file's identical lines each one is, in the file's order.
    let mut by_file: Vec<&StatementLine> = lines.iter().collect();
    by_file.sort_by_key(|l| l.number);
    let mut seen: HashMap<(NaiveDate, i64, String), u32> = HashMap::new();
    let mut occurrence: HashMap<u64, u32> = HashMap::new();
    for line in by_file {
        let count = seen
            .entry((line.on, line.amount_cents, fold(&line.label)))
            .or_default();
        *count += 1;
        occurrence.insert(line.number, *count);
    }

    // Repayments pay instalments in date order: so are the lines taken.
    let mut by_date: Vec<&StatementLine> = lines.iter().collect();
    by_date.sort_by_key(|l| (l.on, l.number));
    let mut report = ImportReport::default();
    for line in by_date {
        if line.amount_cents < 0 {
            report.ignored.push(ReportLine::of(line, "Débit"));
            continue;
        }
        if line.amount_cents == 0 {
            report.ignored.push(ReportLine::of(line, "Aucun montant"));
            continue;
        }
        let nth = occurrence.get(&line.number).copied().unwrap_or(1);
        let id_for = |loan: &LoanCandidate| movement_id(loan.loan_id, line, nth);
        if !recorded.is_empty() {
            if let Some(loan) = loans.iter().find(|l| recorded.contains(&id_for(l))) {
                report.already_imported.push(ReportLine::of(
                    line,
                    format!("Déjà importé sur le prêt {}", loan.reference),
                ));
                continue;
            }
        }

        let cited: Vec<usize> = (0..loans.len())
            .filter(|&i| {
                cites_reference(&line.label, &references[i])
                    || cites_reference(&line.reference, &references[i])
            })
            .collect();
        let (chosen, matched_by) = match cited[..] {
            [one] => (one, MatchedBy::Reference),
            [_, _, ..] => {
                report.not_matched.push(ReportLine::of(
                    line,
                    format!(
                        "Le libellé cite plusieurs prêts ({}) : à enregistrer à la main",
                        list_references(&loans, &cited)
                    ),
                ));
                continue;
            }
            [] => {
                let label = format!(" {} ", fold(&line.label));
                let named: Vec<usize> = (0..loans.len())
                    .filter(|&i| {
                        !folded_names[i].is_empty()
                            && label.contains(&format!(" {} ", folded_names[i]))
                    })
                    .collect();
                let fitting: Vec<usize> = named
                    .iter()
                    .copied()
                    .filter(|&i| loans[i].due(line.amount_cents))
                    .collect();
                match fitting[..] {
                    [one] => (one, MatchedBy::HolderAndAmount),
                    [_, _, ..] => {
                        report.not_matched.push(ReportLine::of(
                            line,
                            format!(
                                "Le montant correspond aux échéances de plusieurs prêts ({}) : \
                                 à enregistrer à la main",
                                list_references(&loans, &fitting)
                            ),
                        ));
                        continue;
                    }
                    [] if named.is_empty() => {
                        report.not_matched.push(ReportLine::of(
                            line,
                            "Aucun prêt reconnu : ni la référence d'un prêt ni le nom d'un \
                             porteur dans le libellé",
                        ));
                        continue;
                    }
                    [] => {
                        let expected: Vec<String> = named
                            .iter()
                            .map(|&i| {
                                let loan = &loans[i];
                                match loan.dues_cents.first() {
                                    Some(&next) => format!(
                                        "{} (prêt {}) doit {} à la prochaine échéance",
                                        loan.holder_last_name.to_uppercase(),
                                        loan.reference,
                                        format_cents(next)
                                    ),
                                    None => format!(
                                        "{} (prêt {}) n'a plus rien à rembourser",
                                        loan.holder_last_name.to_uppercase(),
                                        loan.reference
                                    ),
                                }
                            })
                            .collect();
                        report.not_matched.push(ReportLine::of(
                            line,
                            format!(
                                "Le montant ne correspond pas aux échéances du porteur cité : {}",
                                expected.join(" ; ")
                            ),
                        ));
                        continue;
                    }
                }
            }
        };
        let loan = &mut loans[chosen];
        loan.pay(line.amount_cents);
        report.recorded.push(MatchedLine {
            line: line.number,
            on: line.on,
            amount_cents: line.amount_cents,
            label: line.label.clone(),
            loan_id: loan.loan_id,
            reference: loan.reference.clone(),
            holder_last_name: loan.holder_last_name.clone(),
            movement_id: id_for(loan),
            matched_by,
        });
    }
    report
}

fn list_references(loans: &[LoanCandidate], which: &[usize]) -> String {
    which
        .iter()
        .map(|&i| {
            format!(
                "{} de {}",
                loans[i].reference,
                loans[i].holder_last_name.to_uppercase()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A reference as it is compared: its letters and digits, in capitals, accents removed.
fn compact(text: &str) -> String {
    deunicode::deunicode(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether `text` holds the reference (`compact`), whatever the case and the spaces or dashes
/// inside it, but not as a part of a longer word or number: `PH-2026-0042` is in
/// "VIR PH 2026 0042 DUPONT", not in "PH-2026-00421".
fn cites_reference(text: &str, reference: &str) -> bool {
    if reference.is_empty() {
        return false;
    }
    let ascii = deunicode::deunicode(text);
    let bytes = ascii.as_bytes();
    // The text's letters and digits, in capitals, each with its place in `ascii`.
    let kept: Vec<(u8, usize)> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_alphanumeric())
        .map(|(at, b)| (b.to_ascii_uppercase(), at))
        .collect();
    let wanted = reference.as_bytes();
    if kept.len() < wanted.len() {
        return false;
    }
    (0..=kept.len() - wanted.len()).any(|start| {
        let window = &kept[start..start + wanted.len()];
        if !window.iter().map(|(b, _)| *b).eq(wanted.iter().copied()) {
            return false;
        }
        let first = window[0].1;
        let last = window[window.len() - 1].1;
        let alone_before = first == 0 || !bytes[first - 1].is_ascii_alphanumeric();
        let alone_after = bytes
            .get(last + 1)
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        alone_before && alone_after
    })
}

/// `26/11/2026, 150 €, « VIR DUPONT »`: a line as a person finds it on the statement.
pub fn describe(line: u64, on: NaiveDate, amount_cents: i64, label: &str) -> String {
    format!(
        "ligne {line} : {} {} « {label} »",
        format_date(on),
        format_cents(amount_cents)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn refusal(result: Result<Vec<StatementLine>>) -> Vec<String> {
        match result {
            Err(Error::Refused { what, reasons }) => {
                assert_eq!(what, REFUSED);
                reasons
            }
            other => panic!("expected a refused file, got {other:?}"),
        }
    }

    fn line(number: u64, on: NaiveDate, cents: i64, label: &str) -> StatementLine {
        StatementLine {
            number,
            on,
            amount_cents: cents,
            label: label.into(),
            reference: String::new(),
        }
    }

    fn candidate(n: u128, reference: &str, name: &str, dues: &[i64]) -> LoanCandidate {
        LoanCandidate {
            loan_id: Uuid::from_u128(n),
            reference: reference.into(),
            holder_last_name: name.into(),
            dues_cents: dues.to_vec(),
        }
    }

    #[test]
    fn a_latin_1_file_reads_its_accents_and_french_amounts() {
        let text = "Date opération;Libellé;Montant\r\n\
                    02/11/2026;VIR SEPA M. LEFÈVRE ÉLODIE;1\u{a0}234,56\r\n\
                    03/11/2026;PRLV FRAIS;-150,00\r\n";
        let (latin1, _, unmappable) = WINDOWS_1252.encode(text);
        assert!(!unmappable);
        assert!(
            std::str::from_utf8(&latin1).is_err(),
            "the test file must not be UTF-8"
        );
        let lines = parse(&latin1, None).unwrap();
        assert_eq!(
            lines,
            vec![
                StatementLine {
                    number: 2,
                    on: day(2026, 11, 2),
                    amount_cents: 1_234_56,
                    label: "VIR SEPA M. LEFÈVRE ÉLODIE".into(),
                    reference: String::new(),
                },
                StatementLine {
                    number: 3,
                    on: day(2026, 11, 3),
                    amount_cents: -150_00,
                    label: "PRLV FRAIS".into(),
                    reference: String::new(),
                },
            ]
        );
    }

    #[test]
    fn a_reading_says_the_encoding_separator_and_columns_it_found() {
        let text = "Date opération;Libellé;Débit;Crédit\r\n02/11/2026;VIR LEFÈVRE;;150,00\r\n";
        let (latin1, _, _) = WINDOWS_1252.encode(text);
        let reading = read(&latin1, None).unwrap();
        assert_eq!(reading.encoding, "Windows-1252 (Latin-1)");
        assert_eq!(reading.separator, "point-virgule");
        let columns: Vec<(&str, &str)> = reading
            .columns
            .iter()
            .map(|c| (c.role.as_str(), c.header.as_str()))
            .collect();
        assert_eq!(
            columns,
            vec![
                ("date", "Date opération"),
                ("libellé", "Libellé"),
                ("crédit", "Crédit"),
                ("débit", "Débit")
            ]
        );
        assert_eq!(reading.lines.len(), 1);
        let bom = format!("\u{feff}{text}");
        assert_eq!(
            read(bom.as_bytes(), None).unwrap().encoding,
            "UTF-8 avec BOM"
        );
        assert_eq!(read(text.as_bytes(), None).unwrap().encoding, "UTF-8");
    }

    #[test]
    fn a_utf8_file_with_its_bom_reads_its_first_header() {
        let text = "\u{feff}Date;Libellé de l'opération;Montant (€);Référence\n\
                    26/11/2026;Remboursement prêt d'honneur;+1\u{202f}000,00;PH-2026-0042\n";
        let lines = parse(text.as_bytes(), None).unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].on, day(2026, 11, 26));
        assert_eq!(lines[0].amount_cents, 1_000_00);
        assert_eq!(lines[0].label, "Remboursement prêt d'honneur");
        assert_eq!(lines[0].reference, "PH-2026-0042");
    }

    #[test]
    fn a_utf16_file_with_its_bom_reads_too() {
        let text = "Date\tLibellé\tMontant\r\n26/11/2026\tVIR DURAND\t150,00\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let lines = parse(&bytes, None).unwrap();
        assert_eq!(lines[0].label, "VIR DURAND");
        assert_eq!(lines[0].amount_cents, 150_00);
    }

    #[test]
    fn debit_and_credit_columns_give_signed_amounts_below_the_accounts_lines() {
        let text = "Compte courant;FR76 1234 5678 9012\n\
                    Période;du 01/11/2026 au 30/11/2026\n\
                    \n\
                    Date;Date de valeur;Libellé;Débit euros;Crédit euros\n\
                    02/11/2026;03/11/2026;VIR PH-2026-0001;;150,00\n\
                    ;;DE M. MARTIN;;\n\
                    04/11/2026;04/11/2026;COTISATION;\"1 200,00\";\n\
                    05/11/2026;05/11/2026;COMMISSION;-12,50;\n\
                    Solde au 30/11/2026;;;;137,50\n\
                    ;;Total des opérations;1 212,50;150,00\n";
        let lines = parse(text.as_bytes(), None).unwrap();
        let read: Vec<(u64, i64, &str)> = lines
            .iter()
            .map(|l| (l.number, l.amount_cents, l.label.as_str()))
            .collect();
        assert_eq!(
            read,
            vec![
                (5, 150_00, "VIR PH-2026-0001 DE M. MARTIN"),
                (7, -1_200_00, "COTISATION"),
                (8, -12_50, "COMMISSION"),
            ]
        );
        // The operation's date, not the value date.
        assert_eq!(lines[0].on, day(2026, 11, 2));
    }

    #[test]
    fn an_unknown_layout_names_the_columns_found_and_what_to_map() {
        let text = "Jour;Texte;Somme\n02/11/2026;VIR DUPONT;150,00\n";
        let reasons = refusal(parse(text.as_bytes(), None));
        assert_eq!(
            reasons,
            vec![
                "colonnes non reconnues, colonnes trouvées : « Jour », « Texte », « Somme »"
                    .to_owned(),
                "indiquez quelle colonne porte la date, le libellé, le montant (ou les colonnes \
                 Débit et Crédit) dans une correspondance de colonnes, puis importez le relevé \
                 avec elle"
                    .to_owned(),
            ]
        );
        // Mapped once, the same file reads.
        let mapping = StatementMapping {
            date: "jour".into(),
            label: "TEXTE".into(),
            amount: Some("Somme".into()),
            credit: None,
            debit: None,
            reference: None,
        };
        assert!(mapping.problems().is_empty());
        let lines = parse(text.as_bytes(), Some(&mapping)).unwrap();
        assert_eq!(lines[0].amount_cents, 150_00);
        // A mapping whose column is not there says which.
        let wrong = StatementMapping {
            label: "Intitulé".into(),
            ..mapping
        };
        let reasons = refusal(parse(text.as_bytes(), Some(&wrong)));
        assert!(
            reasons[0].ends_with("il manque : « Intitulé » (libellé)"),
            "{reasons:?}"
        );
    }

    #[test]
    fn a_bad_date_or_amount_refuses_the_file_naming_each_line() {
        let text = "Date;Libellé;Montant\n\
                    02/11/2026;VIR DUPONT;150,00\n\
                    31/11/2026;VIR MARTIN;150,00\n\
                    03/11/2026;VIR DURAND;15O,00\n\
                    2/11/26;VIR PETIT;150,00\n";
        let reasons = refusal(parse(text.as_bytes(), None));
        assert_eq!(
            reasons,
            vec![
                "ligne 3, colonne « Date » : le 31/11/2026 n'existe pas dans le calendrier"
                    .to_owned(),
                "ligne 4, colonne « Montant » : « 15O,00 » n'est pas un montant (exemples : \
                 1 234,56 ou -150,00)"
                    .to_owned(),
                "ligne 5, colonne « Date » : « 2/11/26 » n'est pas une date : écrivez l'année \
                 en entier (exemple : 26/11/2026)"
                    .to_owned(),
            ]
        );
    }

    #[test]
    fn a_spreadsheet_or_an_empty_file_is_refused_in_french() {
        assert!(refusal(parse(b"PK\x03\x04rest", None))[0].contains("classeur"));
        assert_eq!(refusal(parse(b"  \n", None)), vec!["le fichier est vide"]);
        let only_headers = "Date;Libellé;Montant\n";
        assert!(refusal(parse(only_headers.as_bytes(), None))[0].contains("aucune opération"));
    }

    #[test]
    fn amounts_read_the_french_way_with_either_sign() {
        assert_eq!(signed_cents("1 234,56"), Some(1_234_56));
        assert_eq!(signed_cents("1\u{a0}234,56"), Some(1_234_56));
        assert_eq!(signed_cents("1\u{202f}234,56 €"), Some(1_234_56));
        assert_eq!(signed_cents("-150,00"), Some(-150_00));
        assert_eq!(signed_cents("\u{2212}150,00"), Some(-150_00));
        assert_eq!(signed_cents("150,00-"), Some(-150_00));
        assert_eq!(signed_cents("+75"), Some(75_00));
        assert_eq!(signed_cents("1,2,3"), None);
        assert_eq!(signed_cents("abc"), None);
    }

    #[test]
    fn a_reference_is_found_whatever_its_case_and_spaces_but_not_inside_a_longer_one() {
        let reference = compact("PH-2026-0042");
        assert!(cites_reference("VIR SEPA ph 2026 0042 remb", &reference));
        assert!(cites_reference("PH20260042", &reference));
        assert!(cites_reference("REF:PH-2026-0042/DUPONT", &reference));
        assert!(!cites_reference("VIR PH-2026-00421", &reference));
        assert!(!cites_reference("VIR XPH-2026-0042", &reference));
        assert!(!cites_reference("VIR PH-2026-0043", &reference));
    }

    #[test]
    fn lines_match_by_reference_or_by_name_and_amount_and_never_guess() {
        let on = day(2026, 11, 5);
        let loans = vec![
            candidate(1, "PH-2026-0001", "Lefèvre", &[100_00, 100_00, 100_00]),
            candidate(2, "PH-2026-0002", "Martin", &[150_00, 150_00]),
            candidate(3, "PH-2026-0003", "Martin", &[150_00, 150_00]),
            candidate(4, "PH-2026-0004", "Durand", &[80_00, 80_00]),
        ];
        let lines = vec![
            line(2, on, 50_00, "VIR PH 2026 0001"),
            line(3, on, 150_00, "VIR SEPA LEFEVRE ANNE"),
            line(4, on, 150_00, "VIR MARTIN PAUL"),
            line(5, on, 90_00, "VIR DURAND"),
            line(6, on, 300_00, "VIR INCONNU"),
            line(7, on, -20_00, "FRAIS"),
        ];
        let report = reconcile(&lines, &loans, &HashSet::new());
        let recorded: Vec<(u64, Uuid, MatchedBy)> = report
            .recorded
            .iter()
            .map(|m| (m.line, m.loan_id, m.matched_by))
            .collect();
        // 150 € pays what remains of Lefèvre's next instalment after line 2, and the one after.
        assert_eq!(
            recorded,
            vec![
                (2, Uuid::from_u128(1), MatchedBy::Reference),
                (3, Uuid::from_u128(1), MatchedBy::HolderAndAmount),
            ]
        );
        let left: Vec<(u64, &str)> = report
            .not_matched
            .iter()
            .map(|l| (l.line, l.reason.as_str()))
            .collect();
        assert_eq!(left.len(), 3, "{left:?}");
        assert_eq!(left[0].0, 4);
        assert!(left[0]
            .1
            .starts_with("Le montant correspond aux échéances de plusieurs prêts"));
        assert_eq!(
            left[1],
            (
                5,
                "Le montant ne correspond pas aux échéances du porteur cité : DURAND (prêt \
                 PH-2026-0004) doit 80\u{a0}€ à la prochaine échéance"
            )
        );
        assert_eq!(left[2].0, 6);
        assert!(left[2].1.starts_with("Aucun prêt reconnu"));
        assert_eq!(report.ignored.len(), 1);
        assert_eq!(report.ignored[0].line, 7);
    }

    #[test]
    fn a_line_recorded_before_is_already_imported_and_identical_lines_are_each_their_own() {
        let on = day(2026, 11, 5);
        let loans = vec![candidate(1, "PH-2026-0001", "Petit", &[100_00; 5])];
        let lines = vec![
            line(2, on, 100_00, "VIR PETIT"),
            line(3, on, 100_00, "vir  petit"),
        ];
        let first = reconcile(&lines, &loans, &HashSet::new());
        assert_eq!(first.recorded.len(), 2);
        let ids: HashSet<Uuid> = first.recorded.iter().map(|m| m.movement_id).collect();
        assert_eq!(ids.len(), 2, "two identical lines are two repayments");
        assert_eq!(
            first.recorded[0].movement_id,
            movement_id(Uuid::from_u128(1), &lines[0], 1)
        );
        // Only the first was recorded: the second line is still to record, under its own id.
        let once: HashSet<Uuid> = HashSet::from([first.recorded[0].movement_id]);
        let again = reconcile(&lines, &loans, &once);
        assert_eq!(again.already_imported.len(), 1);
        assert_eq!(again.already_imported[0].line, 2);
        assert_eq!(again.recorded.len(), 1);
        assert_eq!(again.recorded[0].movement_id, first.recorded[1].movement_id);
        let all = reconcile(&lines, &loans, &ids);
        assert!(all.recorded.is_empty());
        assert_eq!(all.already_imported.len(), 2);
    }

    #[test]
    fn a_mapping_needs_a_date_a_label_and_amounts_of_one_kind() {
        let mut mapping = StatementMapping {
            date: " ".into(),
            label: "Libellé".into(),
            amount: Some("Montant".into()),
            credit: Some("Crédit".into()),
            debit: None,
            reference: None,
        };
        let problems = mapping.problems();
        assert_eq!(
            problems.keys().map(String::as_str).collect::<Vec<_>>(),
            vec!["amount", "date"]
        );
        mapping.date = "Date".into();
        mapping.amount = None;
        assert!(mapping.problems().is_empty());
        assert!(mapping_name("  Crédit   Agricole ").is_ok_and(|n| n == "Crédit Agricole"));
        assert!(mapping_name(" ").is_err());
        assert!(mapping_name("a\u{202e}b").is_err());
    }
}
