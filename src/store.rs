//! The laptop's local store: dossiers and holders in SQLite, and the outbox that sync drains.
//!
//! Invariants: every public edit is one transaction that writes the data AND its outbox rows,
//! so an edit either happened entirely (and will be synced) or not at all. Only validated
//! input (`ValidDossier`) is written.

use std::path::Path;

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::{self, Schema};
use crate::dossier::{
    Civility, Dossier, DossierDraft, DossierStatus, DossierSummary, Holder, ProjectType,
    ValidDossier, ValidHolder,
};
use crate::error::{Error, Result};

/// The laptop schema, one file per version.
pub static LAPTOP_SCHEMA: Schema =
    Schema::new(&[include_str!("../migrations/laptop/0001_init.sql")]);

/// The file name of the store inside the app's data folder.
pub const DATABASE_FILE: &str = "permanence.sqlite3";

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (or creates) the store file and migrates it.
    pub fn open(path: &Path) -> Result<Store> {
        Store::init(db::open(path, &LAPTOP_SCHEMA)?)
    }

    /// Opens `permanence.sqlite3` inside the app's data folder.
    pub fn open_in_dir(dir: &Path) -> Result<Store> {
        Store::open(&dir.join(DATABASE_FILE))
    }

    pub fn open_in_memory() -> Result<Store> {
        Store::init(db::open_in_memory(&LAPTOP_SCHEMA)?)
    }

    fn init(conn: Connection) -> Result<Store> {
        // The device id is made once, at the first open, and never changes.
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?1)",
            [Uuid::now_v7().to_string()],
        )?;
        Ok(Store { conn })
    }

    pub fn schema_version(&self) -> Result<i64> {
        db::user_version(&self.conn)
    }

    pub fn device_id(&self) -> Result<Uuid> {
        let text: String =
            self.conn
                .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
                    r.get(0)
                })?;
        Uuid::parse_str(&text).map_err(|e| Error::Internal(format!("bad device id: {e}")))
    }

    /// Validates the draft and creates the dossier, in one transaction with its outbox row.
    pub fn create_dossier(&mut self, draft: &DossierDraft) -> Result<Dossier> {
        let valid = draft.parse()?;
        let holder_ids: Vec<Uuid> = valid.holders.iter().map(|_| Uuid::now_v7()).collect();
        self.insert_dossier(
            &valid,
            Uuid::now_v7(),
            &holder_ids,
            DossierStatus::PremierContact,
            Utc::now(),
        )
    }

    /// Writes a validated dossier with given ids (one per holder), status and time. Demo data
    /// and imports use it directly; people go through `create_dossier`.
    pub fn insert_dossier(
        &mut self,
        valid: &ValidDossier,
        id: Uuid,
        holder_ids: &[Uuid],
        status: DossierStatus,
        at: DateTime<Utc>,
    ) -> Result<Dossier> {
        if holder_ids.len() != valid.holders.len() {
            return Err(Error::Internal("one id per holder is needed".into()));
        }
        let tx = self.conn.transaction()?;
        let number = next_provisional_number(&tx, at.year())?;
        let stamp = timestamp(at);
        tx.execute(
            "INSERT INTO dossier (id, number, project_type, status, idea, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![
                id.to_string(),
                number,
                valid.project_type.as_str(),
                status.as_str(),
                valid.idea,
                stamp
            ],
        )?;
        for (position, (holder, holder_id)) in valid.holders.iter().zip(holder_ids).enumerate() {
            insert_holder(&tx, id, position, holder, *holder_id)?;
        }
        let dossier = load_dossier(&tx, id)?;
        record_change(
            &tx,
            "dossier",
            id,
            "create",
            None,
            Some(serde_json::to_value(&dossier).map_err(internal)?),
            at,
        )?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Validates the draft and applies what changed, field by field, in one transaction: each
    /// changed field gets its own outbox row (`set_field`), so two advisors editing different
    /// fields never conflict.
    pub fn update_dossier(&mut self, id: Uuid, draft: &DossierDraft) -> Result<Dossier> {
        let valid = draft.parse()?;
        let now = Utc::now();
        let tx = self.conn.transaction()?;
        let before = load_dossier(&tx, id)?;
        if valid.holders.len() < before.holders.len() {
            return Err(Error::field(
                "holders",
                "Retirer un porteur de projet n'est pas encore possible ici.",
            ));
        }
        let mut changed = false;

        let set = |entity: &str, entity_id: Uuid, field: &str, old: Value, new: Value| {
            if old == new {
                return Ok(false);
            }
            record_change(
                &tx,
                entity,
                entity_id,
                "set_field",
                Some(field),
                Some(new),
                now,
            )?;
            Ok::<_, Error>(true)
        };
        changed |= set(
            "dossier",
            id,
            "project_type",
            json!(before.project_type),
            json!(valid.project_type),
        )?;
        changed |= set("dossier", id, "idea", json!(before.idea), json!(valid.idea))?;
        for (position, holder) in valid.holders.iter().enumerate() {
            match before.holders.get(position) {
                Some(old) => {
                    for (field, old_value, new_value) in holder_fields(old, holder) {
                        changed |= set("holder", old.id, field, old_value, new_value)?;
                    }
                }
                None => {
                    let hid = Uuid::now_v7();
                    insert_holder(&tx, id, position, holder, hid)?;
                    record_change(&tx, "holder", hid, "create", None, None, now)?;
                    changed = true;
                }
            }
        }
        if changed {
            tx.execute(
                "UPDATE dossier SET project_type = ?2, idea = ?3, updated_at = ?4 WHERE id = ?1",
                params![
                    id.to_string(),
                    valid.project_type.as_str(),
                    valid.idea,
                    timestamp(now)
                ],
            )?;
            for (position, holder) in valid.holders.iter().enumerate() {
                tx.execute(
                    "UPDATE holder SET civility = ?3, last_name = ?4, first_name = ?5, phone = ?6,
                            commune = ?7
                     WHERE dossier_id = ?1 AND position = ?2",
                    params![
                        id.to_string(),
                        position as i64,
                        holder.civility.as_str(),
                        holder.last_name,
                        holder.first_name,
                        holder.phone.as_ref().map(|p| p.as_e164()),
                        holder.commune
                    ],
                )?;
            }
        }
        let after = load_dossier(&tx, id)?;
        tx.commit()?;
        Ok(after)
    }

    pub fn get_dossier(&self, id: Uuid) -> Result<Dossier> {
        load_dossier(&self.conn, id)
    }

    /// The dossier list, most recently changed first.
    pub fn list_dossiers(&self) -> Result<Vec<DossierSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.number, d.project_type, d.status, d.idea, d.updated_at,
                    h.first_name, h.last_name, h.commune
             FROM dossier d
             LEFT JOIN holder h ON h.dossier_id = d.id AND h.position = 0
             WHERE d.deleted_at IS NULL
             ORDER BY d.updated_at DESC, d.id DESC",
        )?;
        let rows = stmt.query_map([], |row| {
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
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Number of changes waiting to be pushed to the head office.
    pub fn pending_changes(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?)
    }

    /// Whether the store holds no dossier at all (the demo data fills only an empty store).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM dossier)", [], |r| {
                r.get(0)
            })?)
    }
}

/// "Anne LEFÈVRE": the last name in capitals, as French forms write it.
pub fn display_name(first: Option<&str>, last: Option<&str>) -> String {
    match (first, last) {
        (Some(f), Some(l)) => format!("{f} {}", l.to_uppercase()),
        _ => String::new(),
    }
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(e.to_string())
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn holder_fields(old: &Holder, new: &ValidHolder) -> [(&'static str, Value, Value); 5] {
    [
        ("civility", json!(old.civility), json!(new.civility)),
        ("last_name", json!(old.last_name), json!(new.last_name)),
        ("first_name", json!(old.first_name), json!(new.first_name)),
        (
            "phone",
            json!(old.phone),
            json!(new.phone.as_ref().map(|p| p.as_e164())),
        ),
        ("commune", json!(old.commune), json!(new.commune)),
    ]
}

fn next_provisional_number(tx: &Transaction, year: i32) -> Result<String> {
    let prefix = format!("PROV-{year}-");
    let count: i64 = tx.query_row(
        "SELECT count(*) FROM dossier WHERE number LIKE ?1 || '%'",
        [&prefix],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}{:04}", count + 1))
}

fn insert_holder(
    tx: &Transaction,
    dossier: Uuid,
    position: usize,
    holder: &ValidHolder,
    id: Uuid,
) -> Result<()> {
    tx.execute(
        "INSERT INTO holder (id, dossier_id, position, civility, last_name, first_name, phone, commune)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id.to_string(),
            dossier.to_string(),
            position as i64,
            holder.civility.as_str(),
            holder.last_name,
            holder.first_name,
            holder.phone.as_ref().map(|p| p.as_e164()),
            holder.commune
        ],
    )?;
    Ok(())
}

fn record_change(
    tx: &Transaction,
    entity: &str,
    entity_id: Uuid,
    op: &str,
    field: Option<&str>,
    value: Option<Value>,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO outbox (change_id, entity, entity_id, op, field, value, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            Uuid::now_v7().to_string(),
            entity,
            entity_id.to_string(),
            op,
            field,
            value.map(|v| v.to_string()),
            timestamp(at)
        ],
    )?;
    Ok(())
}

fn load_dossier(conn: &Connection, id: Uuid) -> Result<Dossier> {
    let dossier = conn
        .query_row(
            "SELECT id, number, project_type, status, idea, created_at, updated_at
             FROM dossier WHERE id = ?1 AND deleted_at IS NULL",
            [id.to_string()],
            |row| {
                Ok(Dossier {
                    id: uuid_col(row, 0)?,
                    number: row.get(1)?,
                    project_type: enum_col(row, 2, ProjectType::from_str_opt)?,
                    status: enum_col(row, 3, DossierStatus::from_str_opt)?,
                    idea: row.get(4)?,
                    created_at: time_col(row, 5)?,
                    updated_at: time_col(row, 6)?,
                    holders: Vec::new(),
                })
            },
        )
        .optional()?;
    let mut dossier = dossier.ok_or_else(|| Error::NotFound {
        what: "Dossier",
        id: id.to_string(),
    })?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, civility, last_name, first_name, phone, commune
         FROM holder WHERE dossier_id = ?1 ORDER BY position",
    )?;
    dossier.holders = stmt
        .query_map([id.to_string()], |row| {
            Ok(Holder {
                id: uuid_col(row, 0)?,
                civility: enum_col(row, 1, Civility::from_str_opt)?,
                last_name: row.get(2)?,
                first_name: row.get(3)?,
                phone: row.get(4)?,
                commune: row.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(dossier)
}

fn conversion_error(idx: usize, detail: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, detail.into())
}

fn uuid_col(row: &Row, idx: usize) -> rusqlite::Result<Uuid> {
    let text: String = row.get(idx)?;
    Uuid::parse_str(&text).map_err(|e| conversion_error(idx, e.to_string()))
}

fn time_col(row: &Row, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(idx)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| conversion_error(idx, e.to_string()))
}

fn enum_col<T>(row: &Row, idx: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    parse(&text).ok_or_else(|| conversion_error(idx, format!("unknown value {text:?}")))
}
