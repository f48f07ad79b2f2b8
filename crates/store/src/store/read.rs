//! Reading dossiers: one whole dossier, and the searchable, filterable list.

use chrono::NaiveDate;
use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{
    date_col, display_name, enum_col, opt_enum_col, opt_uuid_col, time_col, uuid_col, Store,
};
use permanence_domain::catalogue::RecordKind;
use permanence_domain::codes::{
    BankStatus, CommitteeKind, Decision, DocumentKind, DocumentStatus, DossierStatus,
    FinancingCategory, FinancingSide, Guarantee, LegalForm, Premises, ProjectType, Referrer,
    Sector, TakeoverKind,
};
use permanence_domain::dossier::{
    Business, DocumentItem, Dossier, DossierSummary, FinancingLine, ForecastYear, Holder, Note,
};
use permanence_domain::error::{Error, Result};
use permanence_domain::settings::PlatformSettings;
use permanence_domain::{financing, pipeline, reference};

/// Filters and order of the dossier list. Every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DossierQuery {
    /// Words to find in holder names, business, commune, activity and notes; accents and
    /// case do not matter, each word may be the start of a word ("lef" finds "Lefèvre").
    pub search: Option<String>,
    pub status: Option<DossierStatus>,
    /// INSEE code of the main holder's or the business's commune.
    pub commune: Option<String>,
    pub advisor: Option<String>,
    pub session_id: Option<Uuid>,
    pub committee_date: Option<NaiveDate>,
    pub sort: Option<DossierSort>,
    /// At most this many items (default 200).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DossierSort {
    UpdatedDesc,
    OpenedDesc,
    NameAsc,
    CommitteeDateAsc,
    NumberAsc,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DossierPage {
    pub items: Vec<DossierSummary>,
    /// Dossiers matching every filter.
    pub total: i64,
    /// Dossiers matching every filter but the status, per status.
    pub by_status: Vec<StatusCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StatusCount {
    pub status: DossierStatus,
    pub count: i64,
}

/// The values the list's filters offer, with how many dossiers each has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DossierFacets {
    pub communes: Vec<Facet>,
    pub advisors: Vec<Facet>,
    pub committee_dates: Vec<Facet>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Facet {
    pub value: String,
    pub label: String,
    pub count: i64,
}

/// An FTS5 query where each word must appear as a word prefix: `"lefevre"* "hesdin"*`.
/// Words are folded to letters and digits so no input can break the query syntax.
pub fn fts_query(search: &str) -> Option<String> {
    let words: Vec<String> = search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// A dossier's line in the list, from the list's own table `dossier_list l` (read by
/// `summary`, in this order).
pub(super) const LIST_COLUMNS: &str = "l.dossier_id, l.number, l.project_type, l.status,
    l.idea, l.updated_at, l.first_name, l.last_name, l.holder_commune,
    coalesce(l.business_name, ''), l.advisor, l.opened_on, l.committee_date";

pub(super) fn summary(row: &rusqlite::Row) -> rusqlite::Result<DossierSummary> {
    let first: Option<String> = row.get(6)?;
    let last: Option<String> = row.get(7)?;
    Ok(DossierSummary {
        id: uuid_col(row, 0)?,
        number: row.get(1)?,
        project_type: enum_col(row, 2, ProjectType::from_str_opt)?,
        status: enum_col(row, 3, DossierStatus::from_str_opt)?,
        idea: row.get(4)?,
        updated_at: time_col(row, 5)?,
        holder_name: display_name(first.as_deref(), last.as_deref()),
        commune: row.get::<_, Option<String>>(8)?.unwrap_or_default(),
        business_name: row.get(9)?,
        advisor: row.get(10)?,
        opened_on: date_col(row, 11)?.unwrap_or_default(),
        committee_date: date_col(row, 12)?,
    })
}

impl Store {
    pub fn get_dossier(&self, id: Uuid) -> Result<Dossier> {
        load_dossier(&self.conn, id, &self.settings)
    }

    /// A dossier even if it was deleted: the conflict between its deletion and an edit shows
    /// which dossier it is before a person restores it or confirms the deletion.
    pub fn get_deleted_dossier(&self, id: Uuid) -> Result<Dossier> {
        load_dossier_with(&self.conn, id, &self.settings, true)
    }

    /// The list lines of the dossiers `ids` (a figure's dossiers), in the list's order by
    /// holder's name; ids of dossiers not here (or deleted) are left out.
    pub fn dossier_summaries(&self, ids: &[Uuid]) -> Result<Vec<DossierSummary>> {
        let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let json = serde_json::to_string(&ids).map_err(super::internal)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {LIST_COLUMNS} FROM dossier_list l
             WHERE l.dossier_id IN (SELECT value FROM json_each(?1))
             ORDER BY l.last_name COLLATE NOCASE, l.first_name COLLATE NOCASE, l.dossier_id"
        ))?;
        let items = stmt
            .query_map([json], summary)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(items)
    }

    /// The dossier list for `query`, with the total and the counts per status.
    pub fn list_dossiers(&self, query: &DossierQuery) -> Result<DossierPage> {
        let (where_all, args_all) = filters(query, true);
        let (where_no_status, args_no_status) = filters(query, false);
        let order = match query.sort.unwrap_or(DossierSort::UpdatedDesc) {
            DossierSort::UpdatedDesc => "l.updated_at DESC, l.dossier_id DESC",
            DossierSort::OpenedDesc => "l.opened_on DESC, l.dossier_id DESC",
            DossierSort::NameAsc => {
                "l.last_name COLLATE NOCASE, l.first_name COLLATE NOCASE, l.dossier_id"
            }
            DossierSort::CommitteeDateAsc => {
                "l.committee_date IS NULL, l.committee_date, l.dossier_id"
            }
            DossierSort::NumberAsc => "l.number, l.dossier_id",
        };
        let limit = query.limit.unwrap_or(200).clamp(1, 10_000);
        let offset = query.offset.unwrap_or(0).max(0);
        let sql = format!(
            "SELECT {LIST_COLUMNS} FROM dossier_list l WHERE {where_all} ORDER BY {order}
             LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let items = stmt
            .query_map(params_from_iter(args_all.iter()), summary)?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT l.status, count(*) FROM dossier_list l WHERE {where_no_status}
             GROUP BY l.status"
        ))?;
        let mut by_status: Vec<StatusCount> = stmt
            .query_map(params_from_iter(args_no_status.iter()), |row| {
                Ok(StatusCount {
                    status: enum_col(row, 0, DossierStatus::from_str_opt)?,
                    count: row.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        by_status.sort_by_key(|c| c.status);
        let total = match query.status {
            Some(status) => by_status
                .iter()
                .find(|c| c.status == status)
                .map_or(0, |c| c.count),
            None => by_status.iter().map(|c| c.count).sum(),
        };
        Ok(DossierPage {
            items,
            total,
            by_status,
        })
    }

    /// The communes, advisors and committee dates found in the dossiers, for the filters.
    pub fn dossier_facets(&self) -> Result<DossierFacets> {
        let facets = |sql: &str| -> Result<Vec<Facet>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map([], |row| {
                Ok(Facet {
                    value: row.get(0)?,
                    label: row.get(1)?,
                    count: row.get(2)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(DossierFacets {
            communes: facets(
                "SELECT h.commune_insee, h.commune, count(*) FROM dossier d
                 JOIN holder h ON h.dossier_id = d.id AND h.position = 0
                 WHERE d.deleted_at IS NULL AND h.commune_insee IS NOT NULL
                 GROUP BY h.commune_insee ORDER BY h.commune COLLATE NOCASE",
            )?,
            advisors: facets(
                "SELECT advisor, advisor, count(*) FROM dossier
                 WHERE deleted_at IS NULL AND advisor <> ''
                 GROUP BY advisor ORDER BY advisor COLLATE NOCASE",
            )?,
            committee_dates: facets(
                "SELECT committee_date, committee_date, count(*) FROM dossier
                 WHERE deleted_at IS NULL AND committee_date IS NOT NULL
                 GROUP BY committee_date ORDER BY committee_date DESC",
            )?,
        })
    }
}

/// The WHERE clause over `dossier_list l` and its arguments for a query (with or without
/// its status filter).
fn filters(query: &DossierQuery, with_status: bool) -> (String, Vec<Sql>) {
    let mut clauses = vec!["1".to_owned()];
    let mut args: Vec<Sql> = Vec::new();
    // Each clause names its argument `?N`, N being the argument's position once pushed.
    let mut push = |template: &str, value: Sql| {
        args.push(value);
        clauses.push(template.replace("?N", &format!("?{}", args.len())));
    };
    if let Some(fts) = query.search.as_deref().and_then(fts_query) {
        push(
            "l.row IN (SELECT rowid FROM dossier_search WHERE dossier_search MATCH ?N)",
            Sql::Text(fts),
        );
    }
    if let (Some(status), true) = (query.status, with_status) {
        push("l.status = ?N", Sql::Text(status.as_str().into()));
    }
    if let Some(commune) = query.commune.as_deref().filter(|c| !c.is_empty()) {
        push(
            "(l.holder_commune_insee = ?N OR l.business_commune_insee = ?N)",
            Sql::Text(commune.into()),
        );
    }
    if let Some(advisor) = query.advisor.as_deref().filter(|a| !a.is_empty()) {
        push("l.advisor = ?N", Sql::Text(advisor.into()));
    }
    if let Some(session) = query.session_id {
        push("l.session_id = ?N", Sql::Text(session.to_string()));
    }
    if let Some(date) = query.committee_date {
        push("l.committee_date = ?N", Sql::Text(date.to_string()));
    }
    (clauses.join(" AND "), args)
}

pub(super) fn load_dossier(
    conn: &Connection,
    id: Uuid,
    settings: &PlatformSettings,
) -> Result<Dossier> {
    load_dossier_with(conn, id, settings, false)
}

fn load_dossier_with(
    conn: &Connection,
    id: Uuid,
    settings: &PlatformSettings,
    even_deleted: bool,
) -> Result<Dossier> {
    let key = id.to_string();
    let dossier = conn
        .prepare_cached(
            "SELECT id, number, project_type, status, idea, opened_on, session_id, advisor,
                    loan_scheme, referrer, heard_of_us, forecast_assumptions, strengths, cautions,
                    committee_date, committee_kind, committee_members, advisor_opinion, decision,
                    decision_amount_cents, decision_conditions, decision_reason,
                    privacy_notice_on, consent_optional_fields, purge_on, last_contact_on,
                    created_at, updated_at
             FROM dossier WHERE id = ?1 AND (deleted_at IS NULL OR ?2)",
        )?
        .query_row(params![&key, even_deleted], |row| {
            Ok(Dossier {
                id: uuid_col(row, 0)?,
                number: row.get(1)?,
                project_type: enum_col(row, 2, ProjectType::from_str_opt)?,
                status: enum_col(row, 3, DossierStatus::from_str_opt)?,
                idea: row.get(4)?,
                opened_on: date_col(row, 5)?.unwrap_or_default(),
                session_id: opt_uuid_col(row, 6)?,
                advisor: row.get(7)?,
                loan_scheme: row.get(8)?,
                referrer: opt_enum_col(row, 9, Referrer::from_str_opt)?,
                heard_of_us: row.get(10)?,
                forecast_assumptions: row.get(11)?,
                strengths: row.get(12)?,
                cautions: row.get(13)?,
                committee_date: date_col(row, 14)?,
                committee_kind: opt_enum_col(row, 15, CommitteeKind::from_str_opt)?,
                committee_members: row.get(16)?,
                advisor_opinion: row.get(17)?,
                decision: opt_enum_col(row, 18, Decision::from_str_opt)?,
                decision_amount_cents: row.get(19)?,
                decision_conditions: row.get(20)?,
                decision_reason: row.get(21)?,
                privacy_notice_on: date_col(row, 22)?,
                consent_optional_fields: row.get(23)?,
                purge_on: date_col(row, 24)?,
                last_contact_on: date_col(row, 25)?,
                created_at: time_col(row, 26)?,
                updated_at: time_col(row, 27)?,
                holders: Vec::new(),
                business: Business::default(),
                financing: Vec::new(),
                forecast: Vec::new(),
                documents: Vec::new(),
                notes: Vec::new(),
                loans: Vec::new(),
                checkpoints: Vec::new(),
                pairings: Vec::new(),
                workshops: Vec::new(),
                analysis: Default::default(),
                moves: Vec::new(),
            })
        })
        .optional()?;
    let mut dossier = dossier.ok_or_else(|| Error::NotFound {
        what: "Dossier",
        id: key.clone(),
    })?;
    dossier.holders = load_holders(conn, &key)?;
    dossier.business = load_business(conn, &key)?;
    dossier.financing = load_lines(conn, &key)?;
    dossier.forecast = load_forecast(conn, &key)?;
    dossier.documents = load_documents(conn, &key)?;
    dossier.notes = load_notes(conn, &key)?;
    dossier.loans = super::loans::load_loans(conn, &key)?;
    dossier.checkpoints = super::checkpoints::load_checkpoints(conn, &key)?;
    dossier.pairings = super::mentoring::load_pairings(conn, &key)?;
    dossier.workshops = super::mentoring::load_attendance(conn, &key)?;
    dossier.analysis = financing::analyse(&dossier.financing, &dossier.holders, &dossier.forecast);
    dossier.moves = pipeline::moves(&dossier, settings);
    Ok(dossier)
}

fn load_holders(conn: &Connection, key: &str) -> Result<Vec<Holder>> {
    // Read by column name, each value as the catalogue's kind says: a field added to the
    // catalogue, its column and the model is read with no change here.
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM holder WHERE dossier_id = ?1
         ORDER BY added_hlc IS NOT NULL, added_hlc, position",
    )?;
    let columns = record_columns(&stmt, RecordKind::Holder);
    let rows = stmt.query_map([key], |row| Ok(record_json(row, &columns)))?;
    let mut holders = Vec::new();
    for json in rows {
        let json = json?;
        holders.push(
            serde_json::from_value(json)
                .map_err(|e| Error::Internal(format!("holder row unreadable: {e}")))?,
        );
    }
    Ok(holders)
}

/// A statement's columns, each with whether the catalogue says it holds a yes/no (read once
/// per statement, not per row).
fn record_columns(stmt: &rusqlite::Statement, kind: RecordKind) -> Vec<(String, bool)> {
    stmt.column_names()
        .into_iter()
        .map(|name| {
            let yes_no = kind
                .fields()
                .iter()
                .any(|s| s.field == name && matches!(s.kind, permanence_domain::field::Kind::Bool));
            (name.to_owned(), yes_no)
        })
        .collect()
}

/// A row as the JSON of its model: every column under its name, a yes/no field of the
/// catalogue as a boolean, other values as they are stored.
fn record_json(row: &rusqlite::Row, columns: &[(String, bool)]) -> serde_json::Value {
    use rusqlite::types::ValueRef;
    let mut object = serde_json::Map::with_capacity(columns.len());
    for (i, (name, yes_no)) in columns.iter().enumerate() {
        let value = match row.get_ref(i) {
            Ok(ValueRef::Integer(n)) if *yes_no => serde_json::Value::Bool(n != 0),
            Ok(ValueRef::Integer(n)) => n.into(),
            Ok(ValueRef::Real(x)) => x.into(),
            Ok(ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned().into(),
            Ok(ValueRef::Null | ValueRef::Blob(_)) | Err(_) => serde_json::Value::Null,
        };
        object.insert(name.clone(), value);
    }
    serde_json::Value::Object(object)
}

fn load_business(conn: &Connection, key: &str) -> Result<Business> {
    let business = conn
        .prepare_cached(
            "SELECT name, trade_name, activity, market, sector, naf_code, naf_version, legal_form,
                    share_capital_cents, start_on, siret, address, postal_code, commune_insee,
                    commune, premises, franchise, seller, takeover_price_cents, takeover_kind,
                    jobs_created, jobs_kept, jobs_year3
             FROM business WHERE dossier_id = ?1",
        )?
        .query_row([key], |row| {
            let naf_code: Option<String> = row.get(5)?;
            Ok(Business {
                name: row.get(0)?,
                trade_name: row.get(1)?,
                activity: row.get(2)?,
                market: row.get(3)?,
                sector: opt_enum_col(row, 4, Sector::from_str_opt)?,
                naf_label: naf_code
                    .as_deref()
                    .and_then(reference::naf)
                    .map(|n| n.label.to_string()),
                naf_code,
                naf_version: row.get(6)?,
                legal_form: opt_enum_col(row, 7, LegalForm::from_str_opt)?,
                share_capital_cents: row.get(8)?,
                start_on: date_col(row, 9)?,
                siret: row.get(10)?,
                address: row.get(11)?,
                postal_code: row.get(12)?,
                commune_insee: row.get(13)?,
                commune: row.get(14)?,
                premises: opt_enum_col(row, 15, Premises::from_str_opt)?,
                franchise: row.get(16)?,
                seller: row.get(17)?,
                takeover_price_cents: row.get(18)?,
                takeover_kind: opt_enum_col(row, 19, TakeoverKind::from_str_opt)?,
                jobs_created: row.get(20)?,
                jobs_kept: row.get(21)?,
                jobs_year3: row.get(22)?,
            })
        })
        .optional()?;
    Ok(business.unwrap_or_default())
}

fn load_lines(conn: &Connection, key: &str) -> Result<Vec<FinancingLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, side, category, label, amount_cents, bank, months, rate_bp, guarantee,
                bank_status
         FROM financing_line WHERE dossier_id = ?1 AND deleted_at IS NULL
         ORDER BY side, added_hlc IS NOT NULL, added_hlc, position",
    )?;
    let rows = stmt.query_map([key], |row| {
        Ok(FinancingLine {
            id: uuid_col(row, 0)?,
            side: enum_col(row, 1, FinancingSide::from_str_opt)?,
            category: enum_col(row, 2, FinancingCategory::from_str_opt)?,
            label: row.get(3)?,
            amount_cents: row.get(4)?,
            bank: row.get(5)?,
            months: row.get(6)?,
            rate_bp: row.get(7)?,
            guarantee: opt_enum_col(row, 8, Guarantee::from_str_opt)?,
            bank_status: opt_enum_col(row, 9, BankStatus::from_str_opt)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn load_forecast(conn: &Connection, key: &str) -> Result<Vec<ForecastYear>> {
    let mut stmt = conn.prepare_cached(
        "SELECT year, turnover_cents, gross_margin_cents, external_costs_cents, taxes_cents,
                wages_cents, owner_pay_cents, depreciation_cents, interest_cents
         FROM forecast_year WHERE dossier_id = ?1",
    )?;
    let stored = stmt
        .query_map([key], |row| {
            Ok(ForecastYear {
                year: row.get(0)?,
                turnover_cents: row.get(1)?,
                gross_margin_cents: row.get(2)?,
                external_costs_cents: row.get(3)?,
                taxes_cents: row.get(4)?,
                wages_cents: row.get(5)?,
                owner_pay_cents: row.get(6)?,
                depreciation_cents: row.get(7)?,
                interest_cents: row.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((1..=3)
        .map(|year| {
            stored
                .iter()
                .find(|f| f.year == year)
                .cloned()
                .unwrap_or(ForecastYear {
                    year,
                    ..Default::default()
                })
        })
        .collect())
}

fn load_documents(conn: &Connection, key: &str) -> Result<Vec<DocumentItem>> {
    let mut stmt =
        conn.prepare_cached("SELECT kind, status, on_date FROM document WHERE dossier_id = ?1")?;
    let stored = stmt
        .query_map([key], |row| {
            Ok((
                enum_col(row, 0, DocumentKind::from_str_opt)?,
                enum_col(row, 1, DocumentStatus::from_str_opt)?,
                date_col(row, 2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(DocumentKind::ALL
        .iter()
        .map(|&kind| {
            let found = stored.iter().find(|(k, _, _)| *k == kind);
            DocumentItem {
                kind,
                status: found.map_or(DocumentStatus::Manquant, |f| f.1),
                on_date: found.and_then(|f| f.2),
                required: kind.required_before_committee(),
            }
        })
        .collect())
}

fn load_notes(conn: &Connection, key: &str) -> Result<Vec<Note>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.body, n.author, n.written_at, n.supersedes,
                (SELECT m.id FROM note m WHERE m.supersedes = n.id ORDER BY m.written_at LIMIT 1)
         FROM note n WHERE n.dossier_id = ?1 ORDER BY n.written_at, n.id",
    )?;
    let rows = stmt.query_map([key], |row| {
        Ok(Note {
            id: uuid_col(row, 0)?,
            body: row.get(1)?,
            author: row.get(2)?,
            written_at: time_col(row, 3)?,
            supersedes: opt_uuid_col(row, 4)?,
            superseded_by: opt_uuid_col(row, 5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn search_words_become_safe_prefix_terms() {
        assert_eq!(
            fts_query("Hesdin lefèvre").unwrap(),
            "\"hesdin\"* \"lefèvre\"*"
        );
        assert_eq!(fts_query("\"a\" OR b*").unwrap(), "\"a\"* \"or\"* \"b\"*");
        assert_eq!(fts_query("  -- "), None);
    }
}
