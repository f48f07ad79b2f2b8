//! Values an earlier version let into the store and this one cannot read (a code or a date
//! that a head office of that time did not check) would make `dossier show` fail. Once per
//! version, at opening, every coded, dated or timed column is read against the rules; a value
//! that cannot be read is set aside (`repaired_value`, listed with the refused changes, with
//! its French reason) and the column then holds nothing, or its list's first code where it
//! must hold one. Integer columns need no check: the tables are STRICT.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};
use uuid::Uuid;

use super::{sync::meta, sync::set_meta, timestamp};
use permanence_domain::codes::{
    BankStatus, Civility, Code, CommitteeKind, Decision, DocumentKind, DocumentStatus,
    DossierStatus, FinancingCategory, FinancingSide, Guarantee, LegalForm, Premises, ProjectType,
    Referrer, Sector, Situation, TakeoverKind,
};
use permanence_domain::error::Result;

/// A column whose text must read as a code, a date, a time or an id.
struct Column {
    table: &'static str,
    /// The record's id as listed (a business or document is its dossier's).
    key: &'static str,
    entity: &'static str,
    column: &'static str,
    reads: fn(&str) -> bool,
    /// What a column that must hold a value gets instead.
    fallback: Option<fn() -> String>,
}

fn code<C: Code>(text: &str) -> bool {
    C::parse_code(text).is_some()
}

fn first<C: Code>() -> String {
    C::all()
        .first()
        .map(|(code, _)| (*code).to_owned())
        .unwrap_or_default()
}

fn date(text: &str) -> bool {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

fn time(text: &str) -> bool {
    DateTime::parse_from_rfc3339(text).is_ok()
}

fn id(text: &str) -> bool {
    Uuid::parse_str(text).is_ok()
}

fn epoch() -> String {
    timestamp(DateTime::<Utc>::UNIX_EPOCH)
}

fn today() -> String {
    permanence_domain::clock::today().to_string()
}

const fn c(
    table: &'static str,
    key: &'static str,
    entity: &'static str,
    column: &'static str,
    reads: fn(&str) -> bool,
    fallback: Option<fn() -> String>,
) -> Column {
    Column {
        table,
        key,
        entity,
        column,
        reads,
        fallback,
    }
}

const COLUMNS: &[Column] = &[
    c(
        "dossier",
        "id",
        "dossier",
        "project_type",
        code::<ProjectType>,
        Some(first::<ProjectType>),
    ),
    c(
        "dossier",
        "id",
        "dossier",
        "status",
        code::<DossierStatus>,
        Some(first::<DossierStatus>),
    ),
    c(
        "dossier",
        "id",
        "dossier",
        "referrer",
        code::<Referrer>,
        None,
    ),
    c(
        "dossier",
        "id",
        "dossier",
        "committee_kind",
        code::<CommitteeKind>,
        None,
    ),
    c(
        "dossier",
        "id",
        "dossier",
        "decision",
        code::<Decision>,
        None,
    ),
    c("dossier", "id", "dossier", "opened_on", date, Some(today)),
    c("dossier", "id", "dossier", "committee_date", date, None),
    c("dossier", "id", "dossier", "privacy_notice_on", date, None),
    c("dossier", "id", "dossier", "purge_on", date, None),
    c("dossier", "id", "dossier", "last_contact_on", date, None),
    c("dossier", "id", "dossier", "created_at", time, Some(epoch)),
    c("dossier", "id", "dossier", "updated_at", time, Some(epoch)),
    c("dossier", "id", "dossier", "deleted_at", time, Some(epoch)),
    c("dossier", "id", "dossier", "session_id", id, None),
    c(
        "holder",
        "id",
        "holder",
        "civility",
        code::<Civility>,
        Some(first::<Civility>),
    ),
    c(
        "holder",
        "id",
        "holder",
        "situation",
        code::<Situation>,
        None,
    ),
    c("holder", "id", "holder", "birth_date", date, None),
    c("holder", "id", "holder", "jobseeker_since", date, None),
    c("holder", "id", "holder", "loan_disbursed_on", date, None),
    c(
        "business",
        "dossier_id",
        "business",
        "sector",
        code::<Sector>,
        None,
    ),
    c(
        "business",
        "dossier_id",
        "business",
        "legal_form",
        code::<LegalForm>,
        None,
    ),
    c(
        "business",
        "dossier_id",
        "business",
        "premises",
        code::<Premises>,
        None,
    ),
    c(
        "business",
        "dossier_id",
        "business",
        "takeover_kind",
        code::<TakeoverKind>,
        None,
    ),
    c("business", "dossier_id", "business", "start_on", date, None),
    c(
        "financing_line",
        "id",
        "financing_line",
        "side",
        code::<FinancingSide>,
        Some(first::<FinancingSide>),
    ),
    c(
        "financing_line",
        "id",
        "financing_line",
        "category",
        code::<FinancingCategory>,
        Some(first::<FinancingCategory>),
    ),
    c(
        "financing_line",
        "id",
        "financing_line",
        "guarantee",
        code::<Guarantee>,
        None,
    ),
    c(
        "financing_line",
        "id",
        "financing_line",
        "bank_status",
        code::<BankStatus>,
        None,
    ),
    c(
        "document",
        "dossier_id",
        "document",
        "kind",
        code::<DocumentKind>,
        Some(first::<DocumentKind>),
    ),
    c(
        "document",
        "dossier_id",
        "document",
        "status",
        code::<DocumentStatus>,
        Some(first::<DocumentStatus>),
    ),
    c("document", "dossier_id", "document", "on_date", date, None),
    c("note", "id", "note", "written_at", time, Some(epoch)),
    c("note", "id", "note", "supersedes", id, None),
    c(
        "committee",
        "id",
        "committee",
        "kind",
        code::<CommitteeKind>,
        Some(first::<CommitteeKind>),
    ),
    c("committee", "id", "committee", "held_on", date, Some(today)),
];

/// The meta key holding the schema version whose values were last checked.
const CHECKED: &str = "values_checked_at_schema";

/// Checks every listed column once per schema version; returns how many values it set aside.
pub(super) fn repair_unreadable(conn: &mut Connection, now: DateTime<Utc>) -> Result<usize> {
    let version = crate::db::user_version(conn)?;
    if meta(conn, CHECKED)?.and_then(|v| v.parse::<i64>().ok()) == Some(version) {
        return Ok(0);
    }
    let tx = conn.transaction()?;
    let mut repaired = 0;
    for c in COLUMNS {
        let bad: Vec<(i64, String, String)> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT rowid, {key}, {column} FROM {table} WHERE {column} IS NOT NULL",
                key = c.key,
                column = c.column,
                table = c.table
            ))?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            rows.filter_map(|row| match row {
                Ok((_, _, ref value)) if (c.reads)(value) => None,
                other => Some(other),
            })
            .collect::<rusqlite::Result<_>>()?
        };
        for (rowid, key, value) in bad {
            let replacement = c.fallback.map(|f| f());
            tx.execute(
                &format!(
                    "UPDATE {table} SET {column} = ?2 WHERE rowid = ?1",
                    table = c.table,
                    column = c.column
                ),
                params![rowid, replacement],
            )?;
            let shown: String = value
                .chars()
                .filter(|ch| !ch.is_control())
                .take(60)
                .collect();
            tx.execute(
                "INSERT INTO repaired_value (id, entity, entity_id, field, value, reason,
                                            repaired_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    Uuid::now_v7().to_string(),
                    c.entity,
                    key,
                    c.column,
                    serde_json::Value::String(value).to_string(),
                    format!(
                        "Valeur illisible « {shown} » du champ « {} », laissée par une version \
                         précédente : mise de côté{}.",
                        c.column,
                        match &replacement {
                            Some(r) => format!(", remplacée par « {r} »"),
                            None => String::new(),
                        }
                    ),
                    timestamp(now)
                ],
            )?;
            repaired += 1;
        }
    }
    if repaired > 0 {
        tracing::warn!(repaired, "unreadable values set aside at opening");
        // The list and search rows read the repaired values again.
        let dossiers: Vec<String> = {
            let mut stmt = tx.prepare("SELECT id FROM dossier WHERE deleted_at IS NULL")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for d in dossiers {
            if let Ok(id) = Uuid::parse_str(&d) {
                super::refresh_search(&tx, id)?;
            }
        }
    }
    set_meta(&tx, CHECKED, &version.to_string())?;
    tx.commit()?;
    Ok(repaired)
}
