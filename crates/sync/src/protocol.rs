//! The sync API's wire types, shared by the laptop's client and the head-office server.
//! Versioned JSON: `API_VERSION` in the path (`/v1/…`), the schema version in each push.
//! With the `openapi` feature each type also describes itself for the head office's OpenAPI
//! document, so the document cannot drift from what is sent.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use serde::Deserializer;

use crate::hlc::Hlc;
use permanence_domain::error::ErrorCode;
use permanence_domain::json::whole;

/// Oldest laptop schema the server accepts changes from; older clients get 426 and keep
/// their data offline until they are updated.
pub const MIN_CLIENT_SCHEMA: i64 = 2;

/// How far ahead of the head office's clock a change may be stamped (one day, in
/// milliseconds): a laptop whose clock is wrong by hours still syncs; a stamp further ahead
/// is refused (`ErrorCode::ClockAhead`), so that no one moves every laptop's clock.
pub const MAX_CLOCK_LEAD_MS: i64 = 24 * 60 * 60 * 1000;

/// The largest push body the head office reads (1 MiB); a laptop cuts its batches under it.
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;

/// At most this many changes per push (and its body under `MAX_PUSH_BYTES`): a first push of
/// a busy day's or a whole territory's dossiers goes up in few round trips, each one commit.
pub const MAX_BATCH: usize = 1000;

/// The field of the platform's settings record (entity `settings`, id nil: one per platform,
/// the log being scoped by platform) that carries them whole. Only the head office writes it.
pub const PLATFORM_SETTINGS_FIELD: &str = "platform";

/// The changes a pull page examines unless the laptop asks otherwise.
pub const PULL_PAGE: usize = 500;

/// Whether records named `entity` have their dossier's id (the dossier and its one-per-dossier
/// sections): both sides scope a change of one of them by that id.
pub fn keyed_by_dossier(entity: &str) -> bool {
    permanence_domain::catalogue::RecordKind::parse(entity).is_some_and(|k| k.keyed_by_dossier())
}

/// An agenda entry is the pair (committee, dossier): its id derives from both, so that adding,
/// removing and adding again name the same record on every laptop, and so that both sides
/// can check an entry's id against the committee and dossier it names.
pub fn agenda_entry_id(committee: Uuid, dossier: Uuid) -> Uuid {
    Uuid::new_v5(&committee, dossier.as_bytes())
}

/// The key, in a create's value, of the field edits made on the new record before it was
/// first sent ("created with its final values"): a list of `FoldedEdit`. Each is applied,
/// checked and versioned as the `set_field` change it stands for, at the create's
/// `server_seq`, with its own clock stamp.
pub const FOLDED: &str = "folded";

/// One field edit carried inside a create (`FOLDED`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FoldedEdit {
    pub entity: String,
    pub id: Uuid,
    pub field: String,
    pub value: Value,
    pub hlc: Hlc,
}

/// The ids of the holders a dossier's create makes with it (its value's `holders`).
pub fn created_holders(value: &Value) -> impl Iterator<Item = &str> {
    value["holders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["id"].as_str())
}

/// The edits folded into a create's value (none when it has no `FOLDED` list); Err with a
/// French reason when the list cannot be read.
pub fn folded_edits(value: Option<&Value>) -> Result<Vec<FoldedEdit>, String> {
    match value.and_then(|v| v.get(FOLDED)) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(list) => Vec::<FoldedEdit>::deserialize(list)
            .map_err(|e| format!("modifications jointes illisibles ({e})")),
    }
}

impl LoggedChange {
    /// This change, then the field edits folded into it (a create made with its final
    /// values), each as the `set_field` change it stands for, at the same `server_seq`.
    /// Unreadable folded edits are left out here: the rules refuse the create that carries
    /// them.
    pub fn unfolded(&self) -> Vec<LoggedChange> {
        let mut all = vec![self.clone()];
        if self.op == ChangeOp::Create {
            // Each edit is built from the create's small fields: never a copy of its value.
            for edit in folded_edits(self.value.as_ref()).unwrap_or_default() {
                all.push(LoggedChange {
                    server_seq: self.server_seq,
                    change_id: self.change_id,
                    device_id: self.device_id,
                    entity: edit.entity,
                    entity_id: edit.id,
                    dossier_id: self.dossier_id,
                    op: ChangeOp::SetField,
                    field: Some(edit.field),
                    value: Some(edit.value),
                    hlc: edit.hlc,
                });
            }
        }
        all
    }
}

impl Change {
    /// The field edits folded into this create, each as the `set_field` change it stands
    /// for (no base version: the record is new).
    pub fn unfolded(&self) -> Vec<Change> {
        if self.op != ChangeOp::Create {
            return Vec::new();
        }
        folded_edits(self.value.as_ref())
            .unwrap_or_default()
            .into_iter()
            .map(|edit| Change {
                change_id: self.change_id,
                device_seq: self.device_seq,
                entity: edit.entity,
                entity_id: edit.id,
                dossier_id: self.dossier_id,
                op: ChangeOp::SetField,
                field: Some(edit.field),
                value: Some(edit.value),
                base_version: None,
                hlc: edit.hlc,
            })
            .collect()
    }
}

/// The pseudo-field of a conflict between a dossier's deletion (`true`, the winner: the
/// deletion stands) and an edit of it the deleting laptop had not seen (`false`); settling
/// it for the edit restores the dossier.
pub const DELETED_FIELD: &str = "deleted";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    Create,
    SetField,
    Delete,
    Restore,
    AddNote,
    /// A person settled a conflict (`value`: `{"conflict": id, "how": …}`): every laptop
    /// stops listing it.
    Settle,
}

impl ChangeOp {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeOp::Create => "create",
            ChangeOp::SetField => "set_field",
            ChangeOp::Delete => "delete",
            ChangeOp::Restore => "restore",
            ChangeOp::AddNote => "add_note",
            ChangeOp::Settle => "settle",
        }
    }

    pub fn parse(text: &str) -> Option<ChangeOp> {
        Some(match text {
            "create" => ChangeOp::Create,
            "set_field" => ChangeOp::SetField,
            "delete" => ChangeOp::Delete,
            "restore" => ChangeOp::Restore,
            "settle" => ChangeOp::Settle,
            "add_note" => ChangeOp::AddNote,
            _ => return None,
        })
    }
}

/// One change from a device's outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub change_id: Uuid,
    /// Gapless, increasing per device, from 1.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    #[serde(deserialize_with = "whole")]
    pub device_seq: i64,
    pub entity: String,
    pub entity_id: Uuid,
    /// The dossier the record belongs to (none for sessions).
    pub dossier_id: Option<Uuid>,
    pub op: ChangeOp,
    pub field: Option<String>,
    pub value: Option<Value>,
    /// The field's server version the device had seen when the edit was made.
    #[serde(default, deserialize_with = "whole_or_none")]
    pub base_version: Option<i64>,
    pub hlc: Hlc,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub device_id: Uuid,
    /// The laptop's schema version; below `MIN_CLIENT_SCHEMA` the push is refused (426).
    #[cfg_attr(feature = "openapi", schema(minimum = 2))]
    #[serde(deserialize_with = "whole")]
    pub schema_version: i64,
    #[cfg_attr(feature = "openapi", schema(max_items = 1000))]
    pub changes: Vec<Change>,
    /// The last `device_seq` the head office confirmed to this device (`last_device_seq` of
    /// an earlier answer), sent once the device has queued again every change it still holds
    /// after a `sequence_gap` refusal. When the head office holds fewer (it was restored from
    /// an older backup), it accepts the gap up to this number instead of refusing the push
    /// for good, and names the changes it lost in `lost`.
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    #[serde(default, deserialize_with = "whole_or_none")]
    pub acknowledged_seq: Option<i64>,
}

/// Changes of a device the head office confirmed once and no longer holds (it was restored
/// from an older backup), which the device could not send again: `first` to `last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LostChanges {
    pub first: i64,
    pub last: i64,
}

impl LostChanges {
    /// The loss in French, as both sides name it.
    pub fn describe(&self) -> String {
        if self.first == self.last {
            format!(
                "Le siège a perdu le changement n° {} de cet ordinateur (sauvegarde restaurée) \
                 et il n'était plus sur l'ordinateur : vérifiez la dernière saisie.",
                self.first
            )
        } else {
            format!(
                "Le siège a perdu les changements n° {} à {} de cet ordinateur (sauvegarde \
                 restaurée) et ils n'étaient plus sur l'ordinateur : vérifiez les saisies \
                 de ces jours-là.",
                self.first, self.last
            )
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Applied,
    /// Already stored: a replay. The stored outcome is in `replayed`.
    Duplicate,
    /// Applied or not, a person must look: both values are kept in a conflict record.
    Conflict,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeResult {
    pub change_id: Uuid,
    pub device_seq: i64,
    pub outcome: Outcome,
    /// For a duplicate, what happened the first time.
    pub replayed: Option<Outcome>,
    /// French reason of a refusal.
    pub reason: Option<String>,
    /// The refusal's stable code (`clock_ahead`, `forbidden`, `invalid_input`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
    pub server_seq: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<ChangeResult>,
    /// The last device_seq the server holds for this device.
    pub last_device_seq: i64,
    /// The server's clock, for the device's HLC.
    pub server_hlc: Hlc,
    /// Changes of this device the head office had confirmed, then lost (restored from an
    /// older backup), and that this push did not send again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<LostChanges>,
}

/// A change as the server logged it, for other devices to apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoggedChange {
    pub server_seq: i64,
    pub change_id: Uuid,
    pub device_id: Uuid,
    pub entity: String,
    pub entity_id: Uuid,
    pub dossier_id: Option<Uuid>,
    pub op: ChangeOp,
    pub field: Option<String>,
    pub value: Option<Value>,
    pub hlc: Hlc,
}

/// A disagreement kept for a person: the same field changed on two devices from the same
/// base. The winner (later HLC, ties by device) is applied everywhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConflictRecord {
    pub id: i64,
    pub server_seq: i64,
    pub entity: String,
    pub entity_id: Uuid,
    pub dossier_id: Option<Uuid>,
    pub field: String,
    #[ts(type = "unknown")]
    pub winner_value: Option<Value>,
    pub winner_hlc: String,
    pub winner_author: String,
    #[ts(type = "unknown")]
    pub loser_value: Option<Value>,
    pub loser_hlc: String,
    pub loser_author: String,
    pub resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub changes: Vec<LoggedChange>,
    pub conflicts: Vec<ConflictRecord>,
    pub next_cursor: i64,
    /// The `change_id` logged at `next_cursor`: sent back as `at` with the next pull, it lets
    /// the head office tell a cursor from its own history from one it no longer holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_id: Option<Uuid>,
    /// With `count=true`: how many changes of the caller's scope come after this page, to
    /// show a long sync's progress ("Réception 4 000 / 90 000").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<i64>,
    pub has_more: bool,
    pub server_hlc: Hlc,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub login: String,
    pub password: String,
    pub device_id: Uuid,
    /// At most 100 characters, none of them a control character or an invisible mark that
    /// reorders text (`dossier::visible_text`).
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 100,
            pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u200B\\u200E\\u200F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]*$"
        )
    )]
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterResponse {
    pub device_id: Uuid,
    /// Shown once; the server keeps only its hash.
    pub token: String,
    pub advisor: String,
    pub platform_code: Option<String>,
    pub platform_name: Option<String>,
}

fn whole_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole")] i64);
    Ok(Option::<Whole>::deserialize(d)?.map(|Whole(n)| n))
}

#[cfg(test)]
mod whole_number_tests {
    use super::*;

    #[test]
    fn a_whole_number_written_with_a_point_is_a_whole_number_and_a_fraction_is_not() {
        let change = |seq: &str, base: &str| {
            serde_json::from_str::<Change>(&format!(
                r#"{{"change_id":"0192f0c4-3b4e-7c1a-9d2e-5f6a7b8c9d0e","device_seq":{seq},
                    "entity":"dossier","entity_id":"0192f0c4-3b4e-7c1a-9d2e-5f6a7b8c9d0e",
                    "dossier_id":null,"op":"delete","field":null,"value":null,
                    "base_version":{base},
                    "hlc":"0001764150000000-0000-0192f0c4-3b4e-7c1a-9d2e-5f6a7b8c9d0e"}}"#
            ))
        };
        let read = change("3.0", "12.0").unwrap();
        assert_eq!((read.device_seq, read.base_version), (3, Some(12)));
        assert_eq!(change("3", "null").unwrap().base_version, None);
        assert!(change("3.5", "null").is_err());
        assert!(change("1e300", "null").is_err());
    }
}
