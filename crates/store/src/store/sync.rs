//! The laptop's side of sync, in the store: stamping outbox rows, reading them in batches,
//! acknowledging the head office's answers, and applying pulled pages.
//!
//! Invariants: a pulled page and the cursor move in one transaction; a field with a pending
//! local change keeps its local value (the change is pushed on top); refused changes leave
//! the queue but are listed for the advisor; conflicts stay until a person settles them.

use chrono::{DateTime, Utc};
use permanence_domain::catalogue::RecordKind;
use rusqlite::types::Value as Sql;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use super::write::write_value;
use super::{internal, refresh_search, timestamp, uuid_col, Store};
use permanence_domain::dossier::Dossier;
use permanence_domain::error::{Error, Result};
use permanence_domain::field::{self, Entity, FieldEdit};
use permanence_domain::reference;
use permanence_sync::protocol::{
    agenda_entry_id, keyed_by_dossier, Change, ChangeOp, ConflictRecord, LoggedChange, Outcome,
    PullResponse, PushResponse, DELETED_FIELD, MAX_CLOCK_LEAD_MS,
};
use permanence_sync::{rules, Hlc};

/// The `meta` key of the head office's private certificate authority.
const SERVER_AUTHORITY: &str = "server_authority";
/// The head office's clock (milliseconds) as it last answered.
const SERVER_TIME: &str = "server_time";

/// What the app shows at all times about sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncStatus {
    pub server_url: Option<String>,
    pub advisor: Option<String>,
    pub device_id: Uuid,
    pub pending_changes: i64,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub open_conflicts: i64,
    pub refused_changes: i64,
    /// Whether the head office's certificate is checked against a certificate authority of
    /// the network's own, given at registration, besides the public ones.
    pub private_authority: bool,
}

/// A change the head office refused, or one received from it that this laptop set aside,
/// for the "changes refused" list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RefusedChange {
    pub change_id: Uuid,
    pub entity: String,
    pub entity_id: Uuid,
    pub field: Option<String>,
    #[ts(type = "unknown")]
    pub value: Option<Value>,
    pub reason: String,
    pub made_at: DateTime<Utc>,
    /// A change received from the head office that this laptop set aside (true), rather than
    /// one of this laptop's that the head office refused.
    pub received: bool,
}

/// How a person settles a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Settle {
    /// Keep the value that won (nothing to change).
    KeepWinner,
    /// Take the other value back: a new edit, synced like any other.
    TakeLoser,
    Dismiss,
}

/// What one push or pull did, for the sync report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncCounts {
    pub pushed: i64,
    pub applied: i64,
    pub conflicts: i64,
    pub refused: i64,
    pub pulled: i64,
    /// Dossiers received at once with the platform's state (a new laptop's first sync).
    #[serde(default)]
    pub from_snapshot: i64,
}

/// One outbox row as stored.
struct OutboxRow {
    seq: i64,
    change_id: String,
    entity: String,
    entity_id: String,
    op: String,
    field: Option<String>,
    value: Option<String>,
    hlc: Option<String>,
    base: Option<i64>,
    created_at: String,
}

pub(super) fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(super) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

fn device_id(conn: &Connection) -> Result<Uuid> {
    let text = meta(conn, "device_id")?.ok_or_else(|| internal("no device id"))?;
    Uuid::parse_str(&text).map_err(internal)
}

fn clock(conn: &Connection) -> Result<Hlc> {
    match meta(conn, "hlc")? {
        Some(text) => text.parse().map_err(internal),
        None => Ok(Hlc::zero(device_id(conn)?)),
    }
}

/// The HLC stamp of a local edit made at `at`, persisted with the edit.
pub(super) fn next_hlc(conn: &Connection, at: DateTime<Utc>) -> Result<Hlc> {
    let next = clock(conn)?.tick(wall_millis(conn, at)?);
    set_meta(conn, "hlc", &next.to_string())?;
    Ok(next)
}

/// This computer's time for its clock stamps, never further ahead of the head office's last
/// known time than the head office accepts (`MAX_CLOCK_LEAD_MS`, less a minute): a computer
/// whose clock is days ahead still has its edits taken once it has synced.
fn wall_millis(conn: &Connection, at: DateTime<Utc>) -> Result<i64> {
    let wall = at.timestamp_millis();
    Ok(
        match meta(conn, SERVER_TIME)?.and_then(|t| t.parse::<i64>().ok()) {
            Some(server) => wall.min(server.saturating_add(MAX_CLOCK_LEAD_MS - 60_000)),
            None => wall,
        },
    )
}

/// Remembers the head office's clock as a push or pull answered it, and moves ours past it.
fn observe_server(conn: &Connection, server: Hlc, at: DateTime<Utc>, reset: bool) -> Result<()> {
    let known = meta(conn, SERVER_TIME)?
        .and_then(|t| t.parse::<i64>().ok())
        .unwrap_or(i64::MIN);
    set_meta(conn, SERVER_TIME, &known.max(server.millis).to_string())?;
    let ours = if reset {
        // A clock the head office found too far ahead starts again from the head office's.
        Hlc::zero(device_id(conn)?)
    } else {
        clock(conn)?
    };
    let observed = ours.observe(server, wall_millis(conn, at)?);
    set_meta(conn, "hlc", &observed.to_string())
}

/// The server version of a field as last pulled, the base of a local edit.
pub(super) fn base_version(
    conn: &Connection,
    entity: &str,
    id: Uuid,
    field: &str,
) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT version FROM field_version WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
            params![entity, id.to_string(), field],
            |r| r.get(0),
        )
        .optional()?)
}

/// The dossier a record belongs to, for the head office's scoping.
pub(super) fn dossier_of(conn: &Connection, entity: &str, id: Uuid) -> Result<Option<Uuid>> {
    let sql = match entity {
        e if keyed_by_dossier(e) => return Ok(Some(id)),
        "holder" => "SELECT dossier_id FROM holder WHERE id = ?1",
        "financing_line" => "SELECT dossier_id FROM financing_line WHERE id = ?1",
        "note" => "SELECT dossier_id FROM note WHERE id = ?1",
        "loan" => "SELECT dossier_id FROM loan WHERE id = ?1",
        "loan_movement" => "SELECT dossier_id FROM loan_movement WHERE id = ?1",
        "checkpoint" => "SELECT dossier_id FROM checkpoint WHERE id = ?1",
        "pairing" => "SELECT dossier_id FROM pairing WHERE id = ?1",
        "mentor_meeting" => "SELECT dossier_id FROM mentor_meeting WHERE id = ?1",
        "workshop_registration" => "SELECT dossier_id FROM workshop_registration WHERE id = ?1",
        "conflict" => "SELECT dossier_id FROM sync_conflict WHERE entity_id = ?1 LIMIT 1",
        _ => return Ok(None),
    };
    let found: Option<String> = conn
        .query_row(sql, [id.to_string()], |r| r.get(0))
        .optional()?;
    found
        .map(|d| Uuid::parse_str(&d).map_err(internal))
        .transpose()
}

/// The dossier a change counts as a modification of, the same on the laptop that made it
/// and on every laptop that pulls it: its `updated_at` is the latest of its creation and of
/// these changes' clock times, so that "modifié le" agrees everywhere.
pub(super) fn modified_dossier(
    entity: &str,
    entity_id: Uuid,
    op: ChangeOp,
    dossier_id: Option<Uuid>,
) -> Option<Uuid> {
    match (entity, op) {
        // Its agenda entry is the committee's; the dossier's committee date, when it
        // changes with it, is a change of its own.
        (_, ChangeOp::Settle) | ("session" | "committee" | "committee_agenda", _) => None,
        (e, _) if keyed_by_dossier(e) => Some(entity_id),
        _ => dossier_id,
    }
}

/// The time a clock stamp stands for, as `updated_at` stores it.
pub(super) fn stamp_time(hlc: Hlc) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp_millis(hlc.millis)
}

fn to_sql(value: &Value) -> Sql {
    match value {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Number(n) => n.as_i64().map(Sql::Integer).unwrap_or(Sql::Null),
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

impl Store {
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let count = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        Ok(SyncStatus {
            server_url: meta(&self.conn, "server_url")?,
            advisor: meta(&self.conn, "advisor")?,
            device_id: device_id(&self.conn)?,
            pending_changes: count("SELECT count(*) FROM outbox")?,
            last_sync_at: meta(&self.conn, "last_sync_at")?
                .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&Utc)),
            open_conflicts: count("SELECT count(*) FROM sync_conflict WHERE settled_at IS NULL")?,
            refused_changes: count(
                "SELECT (SELECT count(*) FROM refused_change)
                        + (SELECT count(*) FROM set_aside_change)
                        + (SELECT count(*) FROM repaired_value)",
            )?,
            private_authority: meta(&self.conn, SERVER_AUTHORITY)?.is_some(),
        })
    }

    /// The certificate authority (PEM) this laptop trusts for its head office besides the
    /// public ones, if one was given at registration.
    pub fn server_authority(&self) -> Result<Option<String>> {
        meta(&self.conn, SERVER_AUTHORITY)
    }

    /// Remembers the head office this laptop is registered with, its advisor, and the
    /// certificate authority to trust besides the public ones (`None`: public ones only; each
    /// registration says which), in one transaction. The token itself goes to the operating
    /// system's keyring, never to this database.
    pub fn set_server(&mut self, url: &str, advisor: &str, authority: Option<&str>) -> Result<()> {
        let tx = self.conn.transaction()?;
        set_meta(&tx, "server_url", url)?;
        set_meta(&tx, "advisor", advisor)?;
        match authority {
            Some(pem) => set_meta(&tx, SERVER_AUTHORITY, pem)?,
            None => {
                tx.prepare_cached("DELETE FROM meta WHERE key = ?1")?
                    .execute([SERVER_AUTHORITY])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn cursor(&self) -> Result<i64> {
        Ok(meta(&self.conn, "cursor")?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0))
    }

    /// The change the head office logged at the cursor, sent with the next pull so that it
    /// can tell whether it still holds that point of its history.
    pub fn cursor_id(&self) -> Result<Option<Uuid>> {
        Ok(meta(&self.conn, "cursor_id")?.and_then(|c| Uuid::parse_str(&c).ok()))
    }

    /// The last of this laptop's changes the head office confirmed.
    pub fn acknowledged_seq(&self) -> Result<i64> {
        Ok(meta(&self.conn, "acked_seq")?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0))
    }

    /// A queued change that can never be sent (larger than a push may be): listed with the
    /// refused changes under `reason`, and the changes queued after it take its number and
    /// the next ones (the head office has seen none of them: it expects a gapless sequence).
    pub fn refuse_unsendable(&mut self, change: &Change, reason: &str) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let made_at: Option<String> = tx
            .query_row(
                "SELECT created_at FROM outbox WHERE device_seq = ?1 AND change_id = ?2",
                params![change.device_seq, change.change_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(made_at) = made_at else {
            return Ok(());
        };
        // Its value is what made it too large: not kept twice.
        list_refused_change(&tx, change, None, reason, &made_at, now)?;
        tx.prepare_cached("DELETE FROM outbox WHERE device_seq = ?1")?
            .execute([change.device_seq])?;
        // Two steps: a primary key cannot pass through a number still taken.
        tx.prepare_cached(
            "UPDATE outbox SET device_seq = -(device_seq - 1) WHERE device_seq > ?1",
        )?
        .execute([change.device_seq])?;
        tx.prepare_cached("UPDATE outbox SET device_seq = -device_seq WHERE device_seq < 0")?
            .execute([])?;
        tx.commit()?;
        Ok(())
    }

    /// The head office holds fewer of this laptop's changes than it confirmed (it was restored
    /// from an older backup): the journal's changes go back to the outbox, under their own
    /// numbers and ids, to be sent again; the head office takes those it no longer holds and
    /// answers the others as duplicates. Returns how many were queued again.
    pub fn send_again(&mut self) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let queued = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO outbox (device_seq, change_id, entity, entity_id, op, field,
                 value, created_at, hlc, base_version, in_flight)
             SELECT device_seq, change_id, entity, entity_id, op, field, value, created_at, hlc,
                    base_version, 1
             FROM sent_change",
            )?
            .execute([])?;
        tx.prepare_cached("DELETE FROM sent_change")?.execute([])?;
        tx.commit()?;
        Ok(queued)
    }

    /// The head office no longer holds the point of its history this laptop pulled up to (it
    /// was restored from an older backup, and its numbers now name other changes): everything
    /// is pulled again from the start, every field taking the head office's value, except
    /// those with an edit still queued here.
    pub fn pull_again_from_start(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        set_meta(&tx, "cursor", "0")?;
        tx.prepare_cached("DELETE FROM meta WHERE key = 'cursor_id'")?
            .execute([])?;
        // The versions were the old history's numbers: they would hide the new history's.
        tx.prepare_cached("DELETE FROM field_version")?
            .execute([])?;
        tx.prepare_cached("UPDATE outbox SET base_version = NULL")?
            .execute([])?;
        tx.commit()?;
        Ok(())
    }

    /// The oldest `limit` queued changes, stamped and scoped, in device order.
    pub fn outbox_batch(&mut self, limit: usize) -> Result<Vec<Change>> {
        let tx = self.conn.transaction()?;
        let rows: Vec<OutboxRow> = {
            let mut stmt = tx.prepare_cached(
                "SELECT device_seq, change_id, entity, entity_id, op, field, value, hlc,
                        base_version, created_at
                 FROM outbox ORDER BY device_seq LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit as i64], |r| {
                Ok(OutboxRow {
                    seq: r.get(0)?,
                    change_id: r.get(1)?,
                    entity: r.get(2)?,
                    entity_id: r.get(3)?,
                    op: r.get(4)?,
                    field: r.get(5)?,
                    value: r.get(6)?,
                    hlc: r.get(7)?,
                    base: r.get(8)?,
                    created_at: r.get(9)?,
                })
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        // Taken into a push: a later save of the same field no longer merges into them.
        if let Some(last) = rows.last() {
            tx.prepare_cached(
                "UPDATE outbox SET in_flight = 1 WHERE device_seq <= ?1 AND in_flight = 0",
            )?
            .execute([last.seq])?;
        }
        let mut changes = Vec::with_capacity(rows.len());
        for row in rows {
            let OutboxRow {
                seq,
                change_id,
                entity,
                entity_id,
                op,
                field,
                value,
                hlc,
                base,
                created_at,
            } = row;
            let entity_id = Uuid::parse_str(&entity_id).map_err(internal)?;
            // Changes queued by a version without HLC are stamped now, from their own time.
            let hlc = match hlc {
                Some(h) => h.parse().map_err(internal)?,
                None => {
                    let at = DateTime::parse_from_rfc3339(&created_at)
                        .map_err(internal)?
                        .with_timezone(&Utc);
                    let stamp = next_hlc(&tx, at)?;
                    tx.prepare_cached("UPDATE outbox SET hlc = ?2 WHERE device_seq = ?1")?
                        .execute(params![seq, stamp.to_string()])?;
                    stamp
                }
            };
            changes.push(Change {
                change_id: Uuid::parse_str(&change_id).map_err(internal)?,
                device_seq: seq,
                dossier_id: dossier_of(&tx, &entity, entity_id)?,
                entity,
                entity_id,
                op: ChangeOp::parse(&op).ok_or_else(|| internal("unknown op in outbox"))?,
                field,
                value: value
                    .map(|v| serde_json::from_str(&v))
                    .transpose()
                    .map_err(internal)?,
                base_version: base,
                hlc,
            });
        }
        tx.commit()?;
        Ok(changes)
    }

    /// Takes the head office's answers: every answered change leaves the queue; refused
    /// ones are listed for the advisor. One transaction.
    pub fn acknowledge(&mut self, sent: &[Change], response: &PushResponse) -> Result<SyncCounts> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let mut counts = SyncCounts::default();
        for result in &response.results {
            let Some(change) = sent.iter().find(|c| c.change_id == result.change_id) else {
                continue;
            };
            let outcome = match result.outcome {
                Outcome::Duplicate => result.replayed.unwrap_or(Outcome::Applied),
                other => other,
            };
            counts.pushed += 1;
            match outcome {
                Outcome::Rejected => {
                    counts.refused += 1;
                    let made_at: String = tx
                        .query_row(
                            "SELECT created_at FROM outbox WHERE change_id = ?1",
                            [change.change_id.to_string()],
                            |r| r.get(0),
                        )
                        .optional()?
                        .unwrap_or_else(|| timestamp(now));
                    let reason = result.reason.as_deref().unwrap_or("Refusé par le siège.");
                    list_refused_change(&tx, change, change.value.as_ref(), reason, &made_at, now)?;
                }
                Outcome::Conflict => counts.conflicts += 1,
                _ => counts.applied += 1,
            }
            // Our own value now stands at this server version: older changes pulled later
            // must not overwrite it.
            if let (Some(field), Some(seq), false) = (
                change.field.as_deref(),
                result.server_seq,
                outcome == Outcome::Rejected,
            ) {
                raise_version(&tx, &change.entity, change.entity_id, field, seq)?;
            }
            // The field edits it was created with keep no version (see `apply_remote`).
            // Kept a while in the journal: a head office restored from an older backup gets
            // it again.
            tx.prepare_cached(
                "INSERT OR REPLACE INTO sent_change (device_seq, change_id, entity, entity_id,
                     op, field, value, created_at, hlc, base_version, acked_at)
                 SELECT device_seq, change_id, entity, entity_id, op, field, value, created_at,
                        hlc, base_version, ?2
                 FROM outbox WHERE change_id = ?1",
            )?
            .execute(params![change.change_id.to_string(), timestamp(now)])?;
            tx.prepare_cached("DELETE FROM outbox WHERE change_id = ?1")?
                .execute([change.change_id.to_string()])?;
        }
        tx.prepare_cached("DELETE FROM sent_change WHERE acked_at < ?1")?
            .execute([timestamp(now - chrono::Duration::days(SENT_JOURNAL_DAYS))])?;
        if let Some(lost) = response.lost {
            // Named where the advisor sees refused changes, once per loss.
            tx.prepare_cached(
                "INSERT OR IGNORE INTO refused_change (change_id, device_seq, entity,
                     entity_id, field, value, reason, made_at, refused_at)
                 VALUES (?1, ?2, 'sync', ?3, NULL, ?4, ?5, ?6, ?6)",
            )?
            .execute(params![
                Uuid::now_v7().to_string(),
                lost.first,
                device_id(&tx)?.to_string(),
                serde_json::json!({ "first": lost.first, "last": lost.last }).to_string(),
                lost.describe(),
                timestamp(now)
            ])?;
        }
        let acked = meta(&tx, "acked_seq")?
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
            .max(response.last_device_seq);
        set_meta(&tx, "acked_seq", &acked.to_string())?;
        let too_far_ahead = response
            .results
            .iter()
            .any(|r| r.code == Some(permanence_domain::ErrorCode::ClockAhead));
        observe_server(&tx, response.server_hlc, now, too_far_ahead)?;
        tx.commit()?;
        Ok(counts)
    }

    /// Applies a pulled page and moves the cursor, in one transaction.
    pub fn apply_pull(&mut self, page: &PullResponse) -> Result<i64> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let me = device_id(&tx)?;
        let mut touched: Vec<Uuid> = Vec::new();
        // When each dossier was last changed by a person elsewhere (the edit's clock time), so
        // that "modifié le" and the list's order agree on every laptop. The head office's own
        // changes (numbers, repeated winners) are not modifications.
        let mut edited: Vec<(Uuid, i64)> = Vec::new();
        let mut applied = 0;
        let today = permanence_domain::clock::local_day(now);
        // A create made with its final values comes with its field edits after it; they go
        // where the create goes (set aside with it).
        let unfolded = page
            .changes
            .iter()
            .flat_map(|c| c.unfolded().into_iter().enumerate());
        let mut put_aside: Option<i64> = None;
        for (nth, change) in unfolded {
            let change = &change;
            let folded = nth > 0;
            if folded && put_aside == Some(change.server_seq) {
                continue;
            }
            if !folded {
                put_aside = Some(change.server_seq);
            }
            // What another device made is read against the rule book first; what breaks it,
            // or what the store refuses, is set aside and the page goes on.
            if change.device_id != me && !folded {
                let facts = rules::Facts {
                    today,
                    // The head office decided the move against its own state.
                    status: None,
                };
                if let Err(refusal) = rules::check(change.into(), &facts) {
                    set_aside(&tx, change, &refusal.to_string(), now)?;
                    continue;
                }
            }
            tx.prepare_cached("SAVEPOINT pulled_change")?.execute([])?;
            let outcome = apply_remote(&tx, change, me, &self.settings, now, folded);
            let touched_dossier = match outcome {
                Ok(dossier) => {
                    tx.prepare_cached("RELEASE pulled_change")?.execute([])?;
                    dossier
                }
                Err(e) if e.is_storage_failure() => return Err(e),
                Err(e) => {
                    tx.prepare_cached("ROLLBACK TO pulled_change")?
                        .execute([])?;
                    tx.prepare_cached("RELEASE pulled_change")?.execute([])?;
                    tracing::warn!(change = %change.change_id, error = %e, "pulled change set aside");
                    set_aside(&tx, change, CANNOT_APPLY, now)?;
                    continue;
                }
            };
            if !folded {
                put_aside = None;
            }
            if let Some(dossier) = touched_dossier {
                applied += i64::from(!folded);
                if !touched.contains(&dossier) {
                    touched.push(dossier);
                }
            }
            // Every person's change of a dossier, applied here or not (its maker counted it).
            let modified = modified_dossier(
                &change.entity,
                change.entity_id,
                change.op,
                change.dossier_id,
            );
            if let (Some(dossier), false) = (modified, change.device_id.is_nil()) {
                match edited.iter_mut().find(|(d, _)| *d == dossier) {
                    Some((_, at)) => *at = (*at).max(change.hlc.millis),
                    None => edited.push((dossier, change.hlc.millis)),
                }
                if !touched.contains(&dossier) {
                    touched.push(dossier);
                }
            }
        }
        for (dossier, millis) in edited {
            if let Some(at) = DateTime::<Utc>::from_timestamp_millis(millis) {
                super::touch_no_earlier(&tx, dossier, at)?;
            }
        }
        for conflict in &page.conflicts {
            store_conflict(&tx, conflict, now)?;
        }
        for dossier in touched {
            let exists: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM dossier WHERE id = ?1)")?
                .query_row([dossier.to_string()], |r| r.get(0))?;
            if exists {
                refresh_search(&tx, dossier)?;
            }
        }
        observe_server(&tx, page.server_hlc, now, false)?;
        set_meta(&tx, "cursor", &page.next_cursor.to_string())?;
        match page.cursor_id {
            Some(id) => set_meta(&tx, "cursor_id", &id.to_string())?,
            None => {
                tx.prepare_cached("DELETE FROM meta WHERE key = 'cursor_id'")?
                    .execute([])?;
            }
        }
        if !page.has_more {
            set_meta(&tx, "last_sync_at", &timestamp(now))?;
        }
        tx.commit()?;
        // The platform's settings, when they came with the page.
        if page
            .changes
            .iter()
            .any(|c| c.entity == RecordKind::Settings.as_str())
        {
            self.settings = super::load_settings(&self.conn)?;
        }
        Ok(applied)
    }

    pub fn list_conflicts(&self) -> Result<Vec<ConflictRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, dossier_id, entity, entity_id, field, winner_value, winner_hlc,
                    winner_author, loser_value, loser_hlc, loser_author, settled_at IS NOT NULL
             FROM sync_conflict WHERE settled_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let json = |i: usize| -> rusqlite::Result<Option<Value>> {
                Ok(r.get::<_, Option<String>>(i)?
                    .and_then(|t| serde_json::from_str(&t).ok()))
            };
            Ok(ConflictRecord {
                id: r.get(0)?,
                server_seq: 0,
                dossier_id: r
                    .get::<_, Option<String>>(1)?
                    .and_then(|d| Uuid::parse_str(&d).ok()),
                entity: r.get(2)?,
                entity_id: uuid_col(r, 3)?,
                field: r.get(4)?,
                winner_value: json(5)?,
                winner_hlc: r.get(6)?,
                winner_author: r.get(7)?,
                loser_value: json(8)?,
                loser_hlc: r.get(9)?,
                loser_author: r.get(10)?,
                resolved: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Settles a conflict: keeping the winner or dismissing changes nothing else; taking the
    /// other value back is a new edit, queued and synced like any other.
    pub fn settle_conflict(&mut self, id: i64, how: Settle) -> Result<Option<Dossier>> {
        let conflict = self
            .list_conflicts()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::NotFound {
                what: "Conflit",
                id: id.to_string(),
            })?;
        let dossier = match how {
            // The deletion of a dossier against an edit of it: the edit's side is the
            // dossier kept, with every edit made meanwhile.
            Settle::TakeLoser
                if conflict.entity == "dossier" && conflict.field == DELETED_FIELD =>
            {
                Some(self.restore_dossier(conflict.entity_id)?)
            }
            Settle::TakeLoser => {
                let entity = Entity::parse(&conflict.entity)
                    .ok_or_else(|| internal("conflict on an unknown entity"))?;
                let (_, spec) = field::resolve(entity, &conflict.field).map_err(internal)?;
                // Stored values go back through the form's parser as typed text.
                let typed = spec
                    .kind
                    .as_typed(&conflict.loser_value.clone().unwrap_or(Value::Null));
                Some(self.set_field(&FieldEdit {
                    entity,
                    id: conflict.entity_id,
                    field: conflict.field.clone(),
                    value: typed,
                })?)
            }
            Settle::KeepWinner | Settle::Dismiss => None,
        };
        // The choice goes to the head office, which tells the other laptops.
        let now = self.now();
        let tx = self.conn.transaction()?;
        tx.prepare_cached("UPDATE sync_conflict SET settled_at = ?2 WHERE id = ?1")?
            .execute(params![id, timestamp(now)])?;
        super::record_change(
            &tx,
            "conflict",
            conflict.entity_id,
            "settle",
            None,
            Some(serde_json::json!({ "conflict": id, "how": how })),
            now,
        )?;
        tx.commit()?;
        Ok(dossier)
    }

    /// The dossier as it would read with `changes` applied after what the store holds (the
    /// head office reads a status move against it); nothing is kept. None for a dossier the
    /// store does not hold.
    pub fn preview(&mut self, changes: &[LoggedChange], dossier: Uuid) -> Result<Option<Dossier>> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let me = device_id(&tx)?;
        let unfolded = changes
            .iter()
            .flat_map(|c| c.unfolded().into_iter().enumerate());
        for (nth, change) in unfolded {
            tx.execute_batch("SAVEPOINT previewed")?;
            match apply_remote(&tx, &change, me, &self.settings, now, nth > 0) {
                Ok(_) => tx.execute_batch("RELEASE previewed")?,
                Err(e) if e.is_storage_failure() => return Err(e),
                Err(_) => tx.execute_batch("ROLLBACK TO previewed; RELEASE previewed")?,
            }
        }
        let exists: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM dossier WHERE id = ?1 AND deleted_at IS NULL)",
            )?
            .query_row([dossier.to_string()], |r| r.get(0))?;
        if !exists {
            return Ok(None);
        }
        // Dropped without a commit: rolled back.
        Ok(Some(super::read::load_dossier(
            &tx,
            dossier,
            &self.settings,
        )?))
    }

    /// This laptop's changes the head office refused, then the changes received from the head
    /// office that this laptop set aside, each with its French reason.
    pub fn list_refused(&self) -> Result<Vec<RefusedChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT change_id, entity, entity_id, field, value, reason, made_at, 0 AS received,
                    device_seq AS rank
             FROM refused_change
             UNION ALL
             SELECT change_id, entity, entity_id, field, value, reason, made_at, 1, server_seq
             FROM set_aside_change
             UNION ALL
             SELECT id, entity, entity_id, field, value, reason, repaired_at, 1, 0
             FROM repaired_value
             ORDER BY received, rank",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RefusedChange {
                change_id: uuid_col(r, 0)?,
                entity: r.get(1)?,
                entity_id: uuid_col(r, 2)?,
                field: r.get(3)?,
                value: r
                    .get::<_, Option<String>>(4)?
                    .and_then(|t| serde_json::from_str(&t).ok()),
                reason: r.get(5)?,
                made_at: super::time_col(r, 6)?,
                received: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn store_conflict(conn: &Connection, c: &ConflictRecord, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO sync_conflict (id, dossier_id, entity, entity_id, field,
             winner_value, winner_hlc, winner_author, loser_value, loser_hlc, loser_author,
             settled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
                 CASE WHEN ?12 THEN ?13 END)",
    )?
    .execute(params![
        c.id,
        c.dossier_id.map(|d| d.to_string()),
        c.entity,
        c.entity_id.to_string(),
        c.field,
        c.winner_value.as_ref().map(|v| v.to_string()),
        c.winner_hlc,
        c.winner_author,
        c.loser_value.as_ref().map(|v| v.to_string()),
        c.loser_hlc,
        c.loser_author,
        c.resolved,
        timestamp(now)
    ])?;
    Ok(())
}

/// Lists one of this laptop's changes as refused, with why, for the advisor to see.
fn list_refused_change(
    conn: &Connection,
    change: &Change,
    value: Option<&Value>,
    reason: &str,
    made_at: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO refused_change (change_id, device_seq, entity, entity_id, field,
             value, reason, made_at, refused_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        change.change_id.to_string(),
        change.device_seq,
        change.entity,
        change.entity_id.to_string(),
        change.field,
        value.map(|v| v.to_string()),
        reason,
        made_at,
        timestamp(now)
    ])?;
    Ok(())
}

/// How long a change the head office confirmed stays in the journal (`sent_change`).
const SENT_JOURNAL_DAYS: i64 = 60;

/// Why a pulled change the store itself refused is set aside.
const CANNOT_APPLY: &str =
    "Ce changement reçu du siège ne peut pas être appliqué sur cet ordinateur : il est mis de côté.";

/// Keeps a pulled change this laptop cannot apply, with why, for the advisor to see.
fn set_aside(
    conn: &Connection,
    change: &LoggedChange,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let made_at = DateTime::from_timestamp_millis(change.hlc.millis).unwrap_or(now);
    conn.prepare_cached(
        "INSERT OR IGNORE INTO set_aside_change (server_seq, change_id, entity, entity_id, field,
                                                 value, reason, made_at, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        change.server_seq,
        change.change_id.to_string(),
        change.entity,
        change.entity_id.to_string(),
        change.field,
        change.value.as_ref().map(|v| v.to_string()),
        reason,
        timestamp(made_at),
        timestamp(now)
    ])?;
    Ok(())
}

/// When a pulled note was written: its own time when it carries one, else its clock stamp.
fn written_at(change: &LoggedChange, now: DateTime<Utc>) -> String {
    change
        .value
        .as_ref()
        .and_then(|v| v["written_at"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| {
            timestamp(DateTime::from_timestamp_millis(change.hlc.millis).unwrap_or(now))
        })
}

/// Moves a field's known server version up to `seq`; false when it already was at or past it.
fn raise_version(conn: &Connection, entity: &str, id: Uuid, field: &str, seq: i64) -> Result<bool> {
    let raised = conn
        .prepare_cached(
            "INSERT INTO field_version (entity, entity_id, field, version) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (entity, entity_id, field) DO UPDATE SET version = excluded.version
             WHERE excluded.version > field_version.version",
        )?
        .execute(params![entity, id.to_string(), field, seq])?;
    Ok(raised > 0)
}

fn has_pending(conn: &Connection, entity: &str, id: Uuid, field: Option<&str>) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE entity = ?1 AND entity_id = ?2
                        AND (?3 IS NULL OR field = ?3))",
        )?
        .query_row(params![entity, id.to_string(), field], |r| r.get(0))?)
}

/// The committee and dossier of a pulled agenda entry. Entries logged before they named
/// their committee are found by their id, which derives from both.
fn agenda_entry(conn: &Connection, change: &LoggedChange, value: &Value) -> Result<(Uuid, Uuid)> {
    let uuid = |k: &str| value[k].as_str().and_then(|t| Uuid::parse_str(t).ok());
    let dossier = uuid("dossier_id").ok_or_else(|| internal("agenda entry without dossier"))?;
    let committee = match uuid("committee_id") {
        Some(committee) => Some(committee),
        None => {
            let mut stmt = conn.prepare_cached("SELECT id FROM committee")?;
            let ids = stmt
                .query_map([], |r| uuid_col(r, 0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            ids.into_iter()
                .find(|c| agenda_entry_id(*c, dossier) == change.entity_id)
        }
    };
    match committee {
        Some(c) if agenda_entry_id(c, dossier) == change.entity_id => Ok((c, dossier)),
        _ => Err(internal("agenda entry of an unknown committee")),
    }
}

/// Applies one pulled change without queueing it again; returns the dossier it touched.
///
/// A field edit `folded` into its record's create keeps no version of its own: the record is
/// new, no edit of the field can have come before, and the head office keeps none either (an
/// edit made from no known version of the field meets none there). Most fields of a record
/// are never edited after its first sync, so most keep no version row at all.
fn apply_remote(
    conn: &Connection,
    change: &LoggedChange,
    me: Uuid,
    settings: &permanence_domain::settings::PlatformSettings,
    now: DateTime<Utc>,
    folded: bool,
) -> Result<Option<Uuid>> {
    let id = change.entity_id;
    if let (ChangeOp::SetField, Some(field), false) = (change.op, change.field.as_deref(), folded) {
        // A field already at a later server version (our own change, acknowledged before this
        // page came down) keeps its value.
        if !raise_version(conn, &change.entity, id, field, change.server_seq)? {
            return Ok(None);
        }
    }
    // Our own changes are already here.
    if change.device_id == me {
        return Ok(None);
    }
    let value = change.value.clone().unwrap_or(Value::Null);
    if change.entity == RecordKind::Settings.as_str() {
        super::adopt_platform_settings(conn, &value)?;
        return Ok(None);
    }
    match change.op {
        ChangeOp::SetField => {
            let field = change.field.as_deref().unwrap_or_default();
            // A pending local edit of the same field stays on top.
            if has_pending(conn, &change.entity, id, Some(field))? {
                return Ok(change.dossier_id);
            }
            if change.entity == "dossier" && (field == "number" || field == "status") {
                conn.execute(
                    &format!("UPDATE dossier SET {field} = ?2 WHERE id = ?1"),
                    params![id.to_string(), to_sql(&value)],
                )?;
                return Ok(Some(id));
            }
            let Some(entity) = Entity::parse(&change.entity) else {
                return Ok(None);
            };
            let Ok((target, spec)) = field::resolve(entity, field) else {
                return Ok(None);
            };
            let dossier = change.dossier_id.unwrap_or(id);
            write_value(
                conn,
                entity,
                id,
                dossier,
                &target,
                spec.kind,
                &to_sql(&value),
            )?;
            Ok(Some(dossier))
        }
        ChangeOp::Create => {
            match change.entity.as_str() {
                "dossier" => {
                    let exists: bool = conn
                        .prepare_cached("SELECT EXISTS (SELECT 1 FROM dossier WHERE id = ?1)")?
                        .query_row([id.to_string()], |r| r.get(0))?;
                    if exists {
                        return Ok(Some(id));
                    }
                    let snapshot: Dossier = serde_json::from_value(value).map_err(internal)?;
                    let (valid, holder_ids) = snapshot.revalidate()?;
                    super::write::insert_dossier_rows(
                        conn,
                        settings,
                        &valid,
                        id,
                        &holder_ids,
                        snapshot.status,
                        snapshot.created_at,
                    )?;
                    // The permanence it was opened at, when this laptop has it (sessions sync
                    // before the dossiers opened at them).
                    conn.prepare_cached(
                        "UPDATE dossier SET number = ?2, advisor = ?3,
                            session_id = (SELECT id FROM session WHERE id = ?4)
                     WHERE id = ?1",
                    )?
                    .execute(params![
                        id.to_string(),
                        snapshot.number,
                        snapshot.advisor,
                        snapshot.session_id.map(|s| s.to_string())
                    ])?;
                    Ok(Some(id))
                }
                "financing_line" => {
                    let dossier = change
                        .dossier_id
                        .ok_or_else(|| internal("line without dossier"))?;
                    let category = value["category"].as_str().unwrap_or_default().to_owned();
                    let side = permanence_domain::codes::FinancingCategory::from_str_opt(&category)
                        .map(|c| c.side().as_str())
                        .unwrap_or("need");
                    conn.prepare_cached("INSERT OR IGNORE INTO financing_line (id, dossier_id, side, category, position,
                                                           added_hlc)
                     VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), -1) + 1
                                              FROM financing_line WHERE dossier_id = ?2), ?5)")?.execute(
                    params![
                        id.to_string(),
                        dossier.to_string(),
                        side,
                        category,
                        change.hlc.to_string()
                    ],
                )?;
                    Ok(Some(dossier))
                }
                "holder" => {
                    let dossier = change
                        .dossier_id
                        .ok_or_else(|| internal("holder without dossier"))?;
                    let text = |k: &str| value[k].as_str().unwrap_or_default().to_owned();
                    let commune = reference::commune(&text("commune_insee")).map_or("", |c| c.name);
                    conn.prepare_cached("INSERT OR IGNORE INTO holder (id, dossier_id, position, civility, last_name,
                         first_name, phone, commune, commune_insee, added_hlc)
                     VALUES (?1, ?2, (SELECT coalesce(max(position), -1) + 1 FROM holder
                                      WHERE dossier_id = ?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?.execute(
                    params![
                        id.to_string(),
                        dossier.to_string(),
                        text("civility"),
                        text("last_name"),
                        text("first_name"),
                        value["phone"].as_str(),
                        commune,
                        text("commune_insee"),
                        change.hlc.to_string()
                    ],
                )?;
                    Ok(Some(dossier))
                }
                "session" => {
                    let text = |k: &str| value[k].as_str().unwrap_or_default().to_owned();
                    conn.prepare_cached(
                        "INSERT OR IGNORE INTO session (id, commune_insee, commune, place, held_on,
                                                    advisor, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute(params![
                        id.to_string(),
                        text("commune_insee"),
                        text("commune"),
                        text("place"),
                        text("held_on"),
                        text("advisor"),
                        timestamp(now)
                    ])?;
                    Ok(None)
                }
                "committee" => {
                    let text = |k: &str| value[k].as_str().unwrap_or_default().to_owned();
                    conn.prepare_cached(
                        "INSERT OR IGNORE INTO committee (id, held_on, kind, place, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![
                        id.to_string(),
                        text("held_on"),
                        text("kind"),
                        text("place"),
                        written_at(change, now)
                    ])?;
                    Ok(None)
                }
                "loan" => {
                    let dossier = change
                        .dossier_id
                        .ok_or_else(|| internal("loan without dossier"))?;
                    let agreement = serde_json::from_value(value).map_err(internal)?;
                    super::loans::insert_loan(conn, id, dossier, &agreement, Some(change.hlc))?;
                    Ok(Some(dossier))
                }
                "loan_movement" => {
                    let dossier = change
                        .dossier_id
                        .ok_or_else(|| internal("movement without dossier"))?;
                    let draft = serde_json::from_value(value).map_err(internal)?;
                    super::loans::insert_movement(conn, id, dossier, &draft, Some(change.hlc))?;
                    Ok(Some(dossier))
                }
                "checkpoint" => {
                    let dossier = change
                        .dossier_id
                        .ok_or_else(|| internal("checkpoint without dossier"))?;
                    let draft = serde_json::from_value(value).map_err(internal)?;
                    super::checkpoints::insert_checkpoint(
                        conn,
                        id,
                        dossier,
                        &draft,
                        Some(change.hlc),
                    )?;
                    Ok(Some(dossier))
                }
                "mentor" => {
                    let card = serde_json::from_value(value).map_err(internal)?;
                    super::mentoring::insert_mentor(conn, id, &card, Some(change.hlc))?;
                    Ok(None)
                }
                "workshop" => {
                    let draft = serde_json::from_value(value).map_err(internal)?;
                    super::mentoring::insert_workshop(conn, id, &draft, Some(change.hlc))?;
                    Ok(None)
                }
                "pairing" | "mentor_meeting" | "workshop_registration" => {
                    let dossier = change
                        .dossier_id
                        .ok_or_else(|| internal("mentoring record without dossier"))?;
                    let added = Some(change.hlc);
                    match change.entity.as_str() {
                        "pairing" => super::mentoring::insert_pairing(
                            conn,
                            id,
                            dossier,
                            &serde_json::from_value(value).map_err(internal)?,
                            added,
                        )?,
                        "mentor_meeting" => super::mentoring::insert_meeting(
                            conn,
                            id,
                            dossier,
                            &serde_json::from_value(value).map_err(internal)?,
                            added,
                        )?,
                        _ => super::mentoring::insert_registration(
                            conn,
                            id,
                            dossier,
                            &serde_json::from_value(value).map_err(internal)?,
                            added,
                        )?,
                    }
                    Ok(Some(dossier))
                }
                "committee_agenda" => {
                    let (committee, dossier) = agenda_entry(conn, change, &value)?;
                    // Added on two laptops at once, the entry takes the earlier stamp everywhere.
                    conn.prepare_cached("INSERT INTO committee_agenda (committee_id, dossier_id, position, added_hlc)
                     VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM committee_agenda
                                      WHERE committee_id = ?1), ?3)
                     ON CONFLICT (committee_id, dossier_id) DO UPDATE
                     SET added_hlc = min(coalesce(added_hlc, excluded.added_hlc),
                                         excluded.added_hlc)")?.execute(
                    params![
                        committee.to_string(),
                        dossier.to_string(),
                        change.hlc.to_string()
                    ],
                )?;
                    Ok(Some(dossier))
                }
                _ => Ok(None),
            }
        }
        ChangeOp::AddNote => {
            let dossier = change
                .dossier_id
                .ok_or_else(|| internal("note without dossier"))?;
            conn.prepare_cached(
                "INSERT OR IGNORE INTO note (id, dossier_id, body, author, written_at, supersedes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                id.to_string(),
                dossier.to_string(),
                value["body"].as_str().unwrap_or_default(),
                value["author"].as_str().unwrap_or_default(),
                written_at(change, now),
                value["supersedes"].as_str()
            ])?;
            // As on the laptop that wrote it: a note is a contact with the holder.
            let day = written_at(change, now)
                .get(..10)
                .unwrap_or_default()
                .to_owned();
            conn.prepare_cached(
                "UPDATE dossier SET last_contact_on = ?2
                 WHERE id = ?1 AND (last_contact_on IS NULL OR last_contact_on < ?2)",
            )?
            .execute(params![dossier.to_string(), day])?;
            Ok(Some(dossier))
        }
        ChangeOp::Delete if change.entity == "committee_agenda" => {
            let (committee, dossier) = agenda_entry(conn, change, &value)?;
            conn.prepare_cached(
                "DELETE FROM committee_agenda WHERE committee_id = ?1 AND dossier_id = ?2",
            )?
            .execute(params![committee.to_string(), dossier.to_string()])?;
            Ok(Some(dossier))
        }
        ChangeOp::Delete => {
            let table = match change.entity.as_str() {
                "financing_line" if !has_pending(conn, &change.entity, id, None)? => {
                    "financing_line"
                }
                // A deleted dossier leaves the list even with edits of it still queued: they
                // reach the head office, which shows them as a conflict with the deletion.
                "dossier" => "dossier",
                "loan" => "loan",
                "loan_movement" => "loan_movement",
                "checkpoint" => "checkpoint",
                "pairing" => "pairing",
                "mentor_meeting" => "mentor_meeting",
                "workshop_registration" => "workshop_registration",
                _ => return Ok(change.dossier_id),
            };
            conn.execute(
                &format!("UPDATE {table} SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL"),
                params![id.to_string(), timestamp(now)],
            )?;
            Ok(change.dossier_id)
        }
        ChangeOp::Settle => {
            if let Some(conflict) = value["conflict"].as_i64() {
                conn.prepare_cached(
                    "UPDATE sync_conflict SET settled_at = ?2 WHERE id = ?1 AND settled_at IS NULL",
                )?
                .execute(params![conflict, timestamp(now)])?;
            }
            Ok(None)
        }
        ChangeOp::Restore => {
            if change.entity == "dossier" {
                conn.prepare_cached("UPDATE dossier SET deleted_at = NULL WHERE id = ?1")?
                    .execute([id.to_string()])?;
            }
            Ok(change.dossier_id)
        }
    }
}
