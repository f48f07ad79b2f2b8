//! The laptop's local store: dossiers, sessions and settings in SQLite, and the outbox that
//! sync drains.
//!
//! Invariants: every public edit is one transaction that writes the data AND its outbox row,
//! so an edit either happened entirely (and will be synced) or not at all; only validated
//! values are written; notes are append-only (enforced again by SQLite triggers); a dossier's
//! search row is refreshed in the same transaction as its edit.

mod checkpoints;
mod committees;
mod exchange;
mod indicators;
mod loans;
mod mentoring;
mod read;
mod repair;
mod report;
mod sessions;
mod snapshot;
mod statements;
mod sync;
mod write;

use std::path::Path;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;
use uuid::Uuid;

use crate::cipher::StoreKey;
use crate::db::{self, Schema};
use permanence_domain::clock::Clock;
use permanence_domain::error::{Error, Result};
use permanence_domain::settings::PlatformSettings;
use permanence_sync::protocol::ChangeOp;

pub use committees::{AgendaItem, Committee, CommitteeDraft, CommitteePack, DecisionInput};
pub use loans::LoanView;
pub use mentoring::{HolderChoice, MentorPairing, MentorView, WorkshopView};
pub use read::{DossierFacets, DossierPage, DossierQuery, DossierSort, Facet, StatusCount};
pub use sessions::{Session, SessionDraft, SessionView};
pub use snapshot::{SnapshotInfo, DEVICE_TABLES, SNAPSHOT_TABLES};
pub use sync::{RefusedChange, Settle, SyncCounts, SyncStatus};

/// What marks a SQLite file as a laptop store (`PRAGMA application_id`): "PRML".
pub const LAPTOP_APPLICATION_ID: i32 = 0x5052_4D4C;

/// The laptop schema, one file per version.
pub static LAPTOP_SCHEMA: Schema = Schema::new(
    LAPTOP_APPLICATION_ID,
    &[
        include_str!("../../../../migrations/laptop/0001_init.sql"),
        include_str!("../../../../migrations/laptop/0002_capture.sql"),
        include_str!("../../../../migrations/laptop/0003_committees.sql"),
        include_str!("../../../../migrations/laptop/0004_sync.sql"),
        include_str!("../../../../migrations/laptop/0005_search_speed.sql"),
        include_str!("../../../../migrations/laptop/0006_settle.sql"),
        include_str!("../../../../migrations/laptop/0007_list.sql"),
        include_str!("../../../../migrations/laptop/0008_note_index.sql"),
        include_str!("../../../../migrations/laptop/0009_set_aside.sql"),
        include_str!("../../../../migrations/laptop/0010_sent_journal.sql"),
        include_str!("../../../../migrations/laptop/0011_committee_sync.sql"),
        include_str!("../../../../migrations/laptop/0012_added_order.sql"),
        include_str!("../../../../migrations/laptop/0013_repaired_value.sql"),
        include_str!("../../../../migrations/laptop/0014_in_flight.sql"),
        include_str!("../../../../migrations/laptop/0015_driving_licence.sql"),
        include_str!("../../../../migrations/laptop/0016_compact_versions.sql"),
        include_str!("../../../../migrations/laptop/0017_loans.sql"),
        include_str!("../../../../migrations/laptop/0018_checkpoints.sql"),
        include_str!("../../../../migrations/laptop/0019_mentoring.sql"),
    ],
);

/// The file name of the store inside the app's data folder.
pub const DATABASE_FILE: &str = "permanence.sqlite3";

pub struct Store {
    conn: Connection,
    settings: PlatformSettings,
    /// The laptop's wall clock (set by tests; skewed in tests of a wrong clock): the
    /// hybrid logical clock keeps edits in order whatever it says.
    clock: Clock,
    /// What the figures read of every dossier, kept while nothing is written (`facts`).
    facts: indicators::FactsCache,
    /// Opened with a key: its file is encrypted.
    encrypted: bool,
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

    /// Opens (or creates) the store file encrypted with `key` (SQLCipher). A plain store,
    /// made before encryption, is converted in place first (`db::encrypt_in_place`).
    pub fn open_encrypted(path: &Path, key: &StoreKey) -> Result<Store> {
        if db::needs_encrypting(path) {
            tracing::info!(path = %path.display(), "encrypting the laptop store");
            db::encrypt_in_place(path, &LAPTOP_SCHEMA, key)?;
        }
        let mut store = Store::init(db::open_keyed(path, &LAPTOP_SCHEMA, Some(key))?)?;
        store.encrypted = true;
        Ok(store)
    }

    pub fn open_in_memory() -> Result<Store> {
        Store::init(db::open_in_memory(&LAPTOP_SCHEMA)?)
    }

    /// Whether the store's file is encrypted (opened with `open_encrypted`).
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// The head office's token for this device when the store itself keeps it: on a machine
    /// with no credential store, where the store's key comes from the advisor's passphrase.
    pub fn kept_token(&self) -> Result<Option<String>> {
        sync::meta(&self.conn, "device_token")
    }

    /// Keeps the device's token in the store: refused unless the store is encrypted, so that a
    /// copy of a plain file never gives access to the head office.
    pub fn keep_token(&self, token: &str) -> Result<()> {
        if !self.encrypted {
            return Err(Error::Internal(
                "a token is kept only in an encrypted store".into(),
            ));
        }
        sync::set_meta(&self.conn, "device_token", token)
    }

    pub fn forget_token(&self) -> Result<()> {
        self.conn
            .execute("DELETE FROM meta WHERE key = 'device_token'", [])?;
        Ok(())
    }

    fn init(mut conn: Connection) -> Result<Store> {
        // A statement per column edited (`write_value`) and the sync's own: kept prepared.
        conn.set_prepared_statement_cache_capacity(256);
        // The device id is made once, at the first open, and never changes.
        conn.prepare_cached("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?1)")?
            .execute([Uuid::now_v7().to_string()])?;
        repair::repair_unreadable(&mut conn, Clock::system().now())?;
        let settings = load_settings(&conn)?;
        Ok(Store {
            conn,
            settings,
            clock: Clock::system(),
            facts: Default::default(),
            encrypted: false,
        })
    }

    /// The laptop's wall-clock time, as the edits are stamped.
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Sets the clock the store reads its time from (tests; a laptop whose clock is wrong).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn schema_version(&self) -> Result<i64> {
        db::user_version(&self.conn)
    }

    /// Durable commits (`synchronous=FULL`, the default) or not (`NORMAL`: the last commits
    /// may be lost in a power cut), for generating demo data only.
    pub(crate) fn set_durable(&self, durable: bool) -> Result<()> {
        let level = if durable { "FULL" } else { "NORMAL" };
        self.conn.pragma_update(None, "synchronous", level)?;
        Ok(())
    }

    /// The settings this store's connection runs with (durability, journal).
    pub fn pragmas(&self) -> Result<db::Pragmas> {
        db::Pragmas::of(&self.conn)
    }

    pub fn device_id(&self) -> Result<Uuid> {
        let text: String =
            self.conn
                .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
                    r.get(0)
                })?;
        Uuid::parse_str(&text).map_err(|e| Error::Internal(format!("bad device id: {e}")))
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

    pub fn settings(&self) -> &PlatformSettings {
        &self.settings
    }

    /// Validates and saves the platform's settings. Once the laptop syncs with a head office,
    /// the platform's part is the head office's (its staff edit it there, and it arrives with
    /// the sync): only the advisor's name is saved here.
    pub fn save_settings(&mut self, settings: PlatformSettings) -> Result<PlatformSettings> {
        settings.validate()?;
        if self.sync_status()?.server_url.is_some() {
            let changed = settings.shared_differences(&self.settings);
            if !changed.is_empty() {
                return Err(Error::Invalid(
                    changed
                        .into_iter()
                        .map(|field| (field, HELD_BY_HEAD_OFFICE.to_owned()))
                        .collect(),
                ));
            }
        }
        write_settings(&self.conn, &settings)?;
        self.settings = settings;
        Ok(self.settings.clone())
    }
}

/// Takes the platform's settings as the head office sent them (`value`, whole), keeping this
/// laptop's own advisor: they replace the platform's part of the settings.
fn adopt_platform_settings(conn: &Connection, value: &serde_json::Value) -> Result<()> {
    let sent: PlatformSettings = serde_json::from_value(value.clone()).map_err(internal)?;
    let settings = PlatformSettings {
        advisor: load_settings(conn)?.advisor,
        ..sent
    };
    settings.validate()?;
    write_settings(conn, &settings)
}

fn write_settings(conn: &Connection, settings: &PlatformSettings) -> Result<()> {
    let json = serde_json::to_string(settings).map_err(internal)?;
    conn.prepare_cached(
        "INSERT INTO setting (key, value) VALUES ('platform', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([json])?;
    Ok(())
}

fn load_settings(conn: &Connection) -> Result<PlatformSettings> {
    let json: Option<String> = conn
        .query_row(
            "SELECT value FROM setting WHERE key = 'platform'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    match json {
        None => Ok(PlatformSettings::default()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| Error::Internal(format!("unreadable settings: {e}"))),
    }
}

/// Why a platform setting cannot be changed on a laptop that syncs with a head office.
pub const HELD_BY_HEAD_OFFICE: &str =
    "Réglage de la plateforme tenu par le siège : il se modifie au siège et arrive à la synchronisation.";

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(e.to_string())
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Appends one change to the outbox; called inside the edit's transaction. Returns the
/// change's clock stamp.
fn record_change(
    conn: &Connection,
    entity: &str,
    entity_id: Uuid,
    op: &str,
    field: Option<&str>,
    value: Option<Value>,
    at: DateTime<Utc>,
) -> Result<permanence_sync::Hlc> {
    let value_ref = value;
    // The edit's clock stamp and the field version it was made on travel with it.
    let hlc = sync::next_hlc(conn, at)?;
    // A deletion is based on everything pulled so far: edits the laptop had not seen make
    // it a conflict at the head office.
    let base = match (op, field) {
        (_, Some(field)) => sync::base_version(conn, entity, entity_id, field)?,
        ("delete", None) => sync::meta(conn, "cursor")?.and_then(|c| c.parse().ok()),
        _ => None,
    };
    // "Modifié le" is the change's clock time, as on every laptop that pulls it.
    let dossier = sync::dossier_of(conn, entity, entity_id)?;
    let parsed_op = ChangeOp::parse(op).ok_or_else(|| internal("unknown op"))?;
    let modified = sync::modified_dossier(entity, entity_id, parsed_op, dossier);
    // The net effect goes up: a field saved again while its last save waits unsent is one
    // change, its first base version and its last value. Never a status (its place among
    // the dossier's changes is its conditions' state), nor across one.
    let folded = match (op, field, &value_ref) {
        ("set_field", Some(field), Some(value)) if !(entity == "dossier" && field == "status") => {
            fold_into_create(conn, entity, entity_id, dossier, field, value, hlc)?
        }
        _ => false,
    };
    let merged = match (op, field) {
        _ if folded => 1,
        ("set_field", Some(field)) if !(entity == "dossier" && field == "status") => conn
            .prepare_cached(
                "UPDATE outbox SET value = ?4, hlc = ?5
                 WHERE device_seq = (SELECT max(device_seq) FROM outbox
                                     WHERE entity = ?1 AND entity_id = ?2 AND field = ?3
                                       AND op = 'set_field')
                   AND in_flight = 0
                   AND NOT EXISTS (SELECT 1 FROM outbox s
                                   WHERE s.entity = 'dossier' AND s.entity_id = ?6
                                     AND s.field = 'status'
                                     AND s.device_seq > outbox.device_seq)",
            )?
            .execute(params![
                entity,
                entity_id.to_string(),
                field,
                value_ref.as_ref().map(|v| v.to_string()),
                hlc.to_string(),
                modified.map(|d| d.to_string())
            ])?,
        _ => 0,
    };
    if merged == 0 {
        insert_change(
            conn,
            entity,
            entity_id,
            op,
            field,
            value_ref.as_ref(),
            at,
            hlc,
            base,
        )?;
    }
    if let (Some(dossier), Some(at)) = (modified, sync::stamp_time(hlc)) {
        touch_no_earlier(conn, dossier, at)?;
    }
    Ok(hlc)
}

/// Folds a field edit into the create of its record while that create waits unsent (a
/// record goes up once, with its final values): the edit joins the create's `FOLDED` list,
/// replacing an earlier edit of the same field. Not past a status move queued after the
/// create (its conditions were read on the dossier as it was), nor when the field already
/// has a change of its own queued. Answers whether it folded.
fn fold_into_create(
    conn: &Connection,
    entity: &str,
    entity_id: Uuid,
    dossier: Option<Uuid>,
    field: &str,
    value: &Value,
    hlc: permanence_sync::Hlc,
) -> Result<bool> {
    use permanence_sync::protocol::{created_holders, keyed_by_dossier, FoldedEdit, FOLDED};
    // The create that made the record: its own, or its dossier's for a section or a
    // holder created with the dossier.
    let candidates: Vec<(&str, Uuid)> = if keyed_by_dossier(entity) {
        vec![("dossier", entity_id)]
    } else if entity == "holder" {
        std::iter::once(("holder", entity_id))
            .chain(dossier.map(|d| ("dossier", d)))
            .collect()
    } else {
        vec![(entity, entity_id)]
    };
    for (create_entity, create_id) in candidates {
        let row: Option<(i64, Option<String>)> = conn
            .prepare_cached(
                "SELECT device_seq, value FROM outbox
                 WHERE entity = ?1 AND entity_id = ?2 AND op = 'create' AND in_flight = 0
                   AND NOT EXISTS (SELECT 1 FROM outbox s
                                   WHERE s.entity = 'dossier' AND s.entity_id = ?3
                                     AND s.field = 'status'
                                     AND s.device_seq > outbox.device_seq)
                   AND NOT EXISTS (SELECT 1 FROM outbox f
                                   WHERE f.entity = ?4 AND f.entity_id = ?5 AND f.field = ?6)",
            )?
            .query_row(
                params![
                    create_entity,
                    create_id.to_string(),
                    dossier.map(|d| d.to_string()),
                    entity,
                    entity_id.to_string(),
                    field
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((seq, Some(text))) = row else {
            continue;
        };
        let mut create: Value = serde_json::from_str(&text).map_err(internal)?;
        if create_entity == "dossier"
            && entity == "holder"
            && !created_holders(&create).any(|h| h == entity_id.to_string())
        {
            continue;
        }
        let mut edits = permanence_sync::protocol::folded_edits(Some(&create)).map_err(internal)?;
        let Some(object) = create.as_object_mut() else {
            continue;
        };
        edits.retain(|e| !(e.entity == entity && e.id == entity_id && e.field == field));
        edits.push(FoldedEdit {
            entity: entity.to_owned(),
            id: entity_id,
            field: field.to_owned(),
            value: value.clone(),
            hlc,
        });
        object.insert(
            FOLDED.to_owned(),
            serde_json::to_value(&edits).map_err(internal)?,
        );
        conn.prepare_cached("UPDATE outbox SET value = ?2 WHERE device_seq = ?1")?
            .execute(params![seq, create.to_string()])?;
        return Ok(true);
    }
    Ok(false)
}

/// A new outbox row, numbered after every change queued or acknowledged.
#[allow(clippy::too_many_arguments)] // one per column of the row
fn insert_change(
    conn: &Connection,
    entity: &str,
    entity_id: Uuid,
    op: &str,
    field: Option<&str>,
    value: Option<&Value>,
    at: DateTime<Utc>,
    hlc: permanence_sync::Hlc,
    base: Option<i64>,
) -> Result<()> {
    conn.execute(
        // device_seq continues after the last acknowledged change: acknowledged rows leave
        // the table, and the head office expects a gapless, increasing sequence.
        "INSERT INTO outbox (device_seq, change_id, entity, entity_id, op, field, value,
                             created_at, hlc, base_version)
         VALUES (max(coalesce((SELECT max(device_seq) FROM outbox), 0),
                     coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'acked_seq'), 0))
                 + 1,
                 ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            Uuid::now_v7().to_string(),
            entity,
            entity_id.to_string(),
            op,
            field,
            value.map(|v| v.to_string()),
            timestamp(at),
            hlc.to_string(),
            base
        ],
    )?;
    Ok(())
}

/// Rebuilds a dossier's search row from `dossier_search_source` (defined in the migration),
/// when its text changed. The row is the dossier's `search_row`, given at its first refresh.
fn refresh_search(conn: &Connection, dossier: Uuid) -> Result<()> {
    let id = dossier.to_string();
    let (row, body): (Option<i64>, Option<String>) = conn
        .prepare_cached(
            "SELECT d.search_row, s.body FROM dossier d
             JOIN dossier_search_source s ON s.dossier_id = d.id WHERE d.id = ?1",
        )?
        .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let body = body.unwrap_or_default();
    let row = match row {
        Some(row) => {
            let indexed: Option<String> = conn
                .prepare_cached("SELECT body FROM dossier_search WHERE rowid = ?1")?
                .query_row([row], |r| r.get(0))
                .optional()?;
            if indexed.as_deref() == Some(body.as_str()) {
                return refresh_list(conn, dossier);
            }
            conn.prepare_cached("DELETE FROM dossier_search WHERE rowid = ?1")?
                .execute([row])?;
            row
        }
        None => {
            let row: i64 = conn
                .prepare_cached("SELECT coalesce(max(search_row), 0) + 1 FROM dossier")?
                .query_row([], |r| r.get(0))?;
            conn.prepare_cached("UPDATE dossier SET search_row = ?2 WHERE id = ?1")?
                .execute(params![id, row])?;
            row
        }
    };
    conn.prepare_cached("INSERT INTO dossier_search (rowid, body) VALUES (?1, ?2)")?
        .execute(params![row, body])?;
    refresh_list(conn, dossier)
}

/// Rewrites a dossier's row of the list (`dossier_list`), or removes it once the dossier is
/// deleted. A dossier gets its row with its search row, at creation.
fn refresh_list(conn: &Connection, dossier: Uuid) -> Result<()> {
    let id = dossier.to_string();
    conn.prepare_cached("DELETE FROM dossier_list WHERE dossier_id = ?1")?
        .execute([&id])?;
    conn.prepare_cached(
        "INSERT INTO dossier_list
         SELECT d.search_row, d.id, d.number, d.project_type, d.status, d.idea, d.updated_at,
                d.opened_on, d.committee_date, d.advisor, d.session_id, h.first_name,
                h.last_name, h.commune, h.commune_insee, b.name, b.commune_insee
         FROM dossier d
         LEFT JOIN holder h ON h.dossier_id = d.id AND h.position = 0
         LEFT JOIN business b ON b.dossier_id = d.id
         WHERE d.id = ?1 AND d.deleted_at IS NULL AND d.search_row IS NOT NULL",
    )?
    .execute([&id])?;
    Ok(())
}

/// Marks a dossier as changed at `at` unless it already changed later (a change dated in
/// the past, or stamped by another laptop's clock, never makes it look older).
fn touch_no_earlier(conn: &Connection, dossier: Uuid, at: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE dossier SET updated_at = ?2 WHERE id = ?1 AND updated_at < ?2")?
        .execute(params![dossier.to_string(), timestamp(at)])?;
    Ok(())
}

/// Rewrites a dossier's search and list rows after an edit (whose outbox row marked it as
/// changed at its clock time).
fn finish(conn: &Connection, dossier: Uuid, _at: DateTime<Utc>) -> Result<()> {
    refresh_search(conn, dossier)
}

fn conversion_error(idx: usize, detail: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, detail.into())
}

fn uuid_col(row: &Row, idx: usize) -> rusqlite::Result<Uuid> {
    let text: String = row.get(idx)?;
    Uuid::parse_str(&text).map_err(|e| conversion_error(idx, e.to_string()))
}

fn opt_uuid_col(row: &Row, idx: usize) -> rusqlite::Result<Option<Uuid>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| Uuid::parse_str(&t).map_err(|e| conversion_error(idx, e.to_string())))
        .transpose()
}

fn time_col(row: &Row, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(idx)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| conversion_error(idx, e.to_string()))
}

fn date_col(row: &Row, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| {
        NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|e| conversion_error(idx, e.to_string()))
    })
    .transpose()
}

fn enum_col<T>(row: &Row, idx: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    parse(&text).ok_or_else(|| conversion_error(idx, format!("unknown value {text:?}")))
}

fn opt_enum_col<T>(
    row: &Row,
    idx: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| parse(&t).ok_or_else(|| conversion_error(idx, format!("unknown value {t:?}"))))
        .transpose()
}

/// "Anne LEFÈVRE": the last name in capitals, as French forms write it.
pub fn display_name(first: Option<&str>, last: Option<&str>) -> String {
    match (first, last) {
        (Some(f), Some(l)) => format!("{f} {}", l.to_uppercase()),
        _ => String::new(),
    }
}
