-- Laptop store, version 4: what sync needs on the laptop.
-- Outbox rows gain their hybrid-logical-clock stamp and the field version they were based
-- on; rows queued by an earlier version have neither and are stamped at their first push.

ALTER TABLE outbox ADD COLUMN hlc TEXT;
ALTER TABLE outbox ADD COLUMN base_version INTEGER;

-- The server version (server_seq) of each field as last pulled: the base of local edits.
CREATE TABLE field_version (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) STRICT;

-- Changes the head office refused: acknowledged (the queue moves on) and listed for the
-- advisor, never silently dropped.
CREATE TABLE refused_change (
    change_id  TEXT PRIMARY KEY,
    device_seq INTEGER NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    field      TEXT,
    value      TEXT,
    reason     TEXT NOT NULL,
    made_at    TEXT NOT NULL,
    refused_at TEXT NOT NULL
) STRICT;

-- Conflicts pulled from the head office, until a person chooses a value or dismisses them.
CREATE TABLE sync_conflict (
    id            INTEGER PRIMARY KEY,       -- the head office's conflict id
    dossier_id    TEXT,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    field         TEXT NOT NULL,
    winner_value  TEXT,
    winner_hlc    TEXT NOT NULL,
    winner_author TEXT NOT NULL,
    loser_value   TEXT,
    loser_hlc     TEXT NOT NULL,
    loser_author  TEXT NOT NULL,
    settled_at    TEXT                       -- chosen or dismissed here
) STRICT;
