//! A platform's current state in one file, for a new laptop's first sync.
//!
//! The head office materialises each platform's state with this very store (its replica,
//! `permanence-head-office`'s `replica.rs`), brought up to a cursor of its log. A laptop
//! that holds nothing yet takes that state whole (`adopt_snapshot`) and pulls the log from
//! the snapshot's cursor on, instead of replaying the log from its start: what the replica
//! applied, change by change, with the same rule book, is what the laptop would have.
//!
//! The file is a copy of the replica (`VACUUM INTO`): the same schema, read table by table.
//! Only the platform's records travel; what belongs to a device (its id, cursor, clock,
//! outbox, journal, the changes it set aside or repaired, its settings) stays behind.

use std::path::Path;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::sync::set_meta;
use super::Store;
use permanence_domain::error::{Error, Result};

/// The tables a snapshot carries: the platform's records, their versions and conflicts, and
/// the list and search rows made from them. Every other table of the laptop schema belongs to
/// the device (a test checks that each table is on one side).
pub const SNAPSHOT_TABLES: &[&str] = &[
    "session",
    "dossier",
    "holder",
    "business",
    "financing_line",
    "forecast_year",
    "document",
    "note",
    "committee",
    "committee_agenda",
    "loan",
    "loan_movement",
    "checkpoint",
    "mentor",
    "pairing",
    "mentor_meeting",
    "workshop",
    "workshop_registration",
    "field_version",
    "sync_conflict",
    "set_aside_change",
    "dossier_list",
];

/// The tables that stay with the device.
pub const DEVICE_TABLES: &[&str] = &[
    "meta",
    "setting",
    "outbox",
    "sent_change",
    "refused_change",
    "repaired_value",
];

/// Where a snapshot stands in the head office's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    /// The last `server_seq` the state includes: a pull goes on from there.
    pub cursor: i64,
    /// The change logged at `cursor` (none at 0).
    pub cursor_id: Option<Uuid>,
    /// The laptop schema the file has.
    pub schema_version: i64,
    pub dossiers: i64,
}

impl Store {
    /// Writes this store's state into a new file `to` (which must not exist), for a laptop
    /// to adopt: the head office calls it on a platform's replica.
    pub fn write_snapshot(&self, to: &Path) -> Result<SnapshotInfo> {
        let info = SnapshotInfo {
            cursor: self.cursor()?,
            cursor_id: self.cursor_id()?,
            schema_version: self.schema_version()?,
            dossiers: self
                .conn
                .query_row("SELECT count(*) FROM dossier", [], |r| r.get(0))?,
        };
        let path = to
            .to_str()
            .ok_or_else(|| Error::Internal("snapshot path is not UTF-8".into()))?;
        self.conn.execute("VACUUM INTO ?1", [path])?;
        Ok(info)
    }

    /// Where scratch files go: beside the store's file (same disk, same permissions), or
    /// the system's temporary folder for a store in memory.
    pub fn scratch_dir(&self) -> std::path::PathBuf {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .and_then(|p| Path::new(p).parent().map(Path::to_path_buf))
            .unwrap_or_else(std::env::temp_dir)
    }

    /// Whether this laptop holds no record of its own yet (no dossier, session or committee,
    /// nothing queued) and has received nothing: it may adopt a snapshot.
    pub fn holds_nothing(&self) -> Result<bool> {
        let empty: bool = self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM dossier)
                AND NOT EXISTS (SELECT 1 FROM session)
                AND NOT EXISTS (SELECT 1 FROM committee)
                AND NOT EXISTS (SELECT 1 FROM outbox)",
            [],
            |r| r.get(0),
        )?;
        Ok(empty && self.cursor()? == 0)
    }

    /// Takes the platform's state from the snapshot file `file` (as `write_snapshot` wrote
    /// it, `info` as the head office described it) and moves the cursor to the snapshot's, in
    /// one transaction: a failure anywhere leaves the store as it was, and the laptop pulls
    /// the log from the start instead. Only a laptop that holds nothing may adopt one.
    /// Answers how many dossiers came with it.
    pub fn adopt_snapshot(&mut self, file: &Path, info: &SnapshotInfo) -> Result<i64> {
        if !self.holds_nothing()? {
            return Err(Error::Internal(
                "a snapshot is only adopted by a laptop that holds nothing yet".into(),
            ));
        }
        let path = file
            .to_str()
            .ok_or_else(|| Error::Internal("snapshot path is not UTF-8".into()))?;
        // Read-only: the downloaded file is never written, whatever it holds.
        let uri = format!(
            "file:{}?mode=ro",
            path.replace('?', "%3f").replace('#', "%23")
        );
        // KEY '': the snapshot is plain SQLite; without it SQLCipher would read it with the
        // store's own key.
        self.conn
            .execute("ATTACH DATABASE ?1 AS snapshot KEY ''", [uri])?;
        let adopted = self.adopt_attached(info);
        let detached = self.conn.execute_batch("DETACH DATABASE snapshot");
        let dossiers = adopted?;
        detached?;
        Ok(dossiers)
    }

    fn adopt_attached(&mut self, info: &SnapshotInfo) -> Result<i64> {
        let theirs: i64 = self
            .conn
            .query_row("PRAGMA snapshot.user_version", [], |r| r.get(0))?;
        let ours = self.schema_version()?;
        if theirs != ours || info.schema_version != ours {
            return Err(Error::Internal(format!(
                "snapshot of schema {theirs} (said {}), this laptop's is {ours}",
                info.schema_version
            )));
        }
        let tx = self.conn.transaction()?;
        for table in SNAPSHOT_TABLES {
            // Same schema, same columns in the same order.
            tx.execute(
                &format!("INSERT INTO main.{table} SELECT * FROM snapshot.{table}"),
                [],
            )?;
        }
        // The search index is made again from the rows, under the list's row numbers.
        tx.execute(
            "INSERT INTO main.dossier_search (rowid, body)
             SELECT rowid, body FROM snapshot.dossier_search",
            [],
        )?;
        let dossiers: i64 = tx.query_row("SELECT count(*) FROM main.dossier", [], |r| r.get(0))?;
        if dossiers != info.dossiers {
            return Err(Error::Internal(format!(
                "snapshot holds {dossiers} dossiers, {} announced",
                info.dossiers
            )));
        }
        let logged_at: Option<String> = tx
            .query_row(
                "SELECT value FROM snapshot.meta WHERE key = 'cursor'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if logged_at.and_then(|c| c.parse::<i64>().ok()).unwrap_or(0) != info.cursor {
            return Err(Error::Internal(
                "snapshot's cursor is not the one announced".into(),
            ));
        }
        // The platform's settings as the head office holds them, this laptop's advisor kept.
        let settings: Option<String> = tx
            .query_row(
                "SELECT value FROM snapshot.setting WHERE key = 'platform'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(text) = settings {
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| Error::Internal(format!("snapshot's settings: {e}")))?;
            super::adopt_platform_settings(&tx, &value)?;
        }
        set_meta(&tx, "cursor", &info.cursor.to_string())?;
        match info.cursor_id {
            Some(id) => set_meta(&tx, "cursor_id", &id.to_string())?,
            None => {
                tx.execute("DELETE FROM meta WHERE key = 'cursor_id'", params![])?;
            }
        }
        tx.commit()?;
        self.settings = super::load_settings(&self.conn)?;
        Ok(dossiers)
    }
}
