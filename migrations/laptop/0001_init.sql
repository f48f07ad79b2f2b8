-- Laptop store, version 1: dossiers with their holders, and the outbox that sync drains.
-- Every local edit writes its outbox rows in the same transaction as the data.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE dossier (
    id           TEXT PRIMARY KEY,          -- UUIDv7 made on the device
    number       TEXT NOT NULL,             -- provisional until the head office assigns one
    project_type TEXT NOT NULL CHECK (project_type IN ('creation', 'reprise', 'croissance')),
    status       TEXT NOT NULL,
    idea         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,             -- RFC 3339, UTC
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
) STRICT;

CREATE INDEX dossier_updated_at ON dossier (updated_at);

CREATE TABLE holder (
    id         TEXT PRIMARY KEY,
    dossier_id TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,            -- 0 is the main holder
    civility   TEXT NOT NULL CHECK (civility IN ('madame', 'monsieur')),
    last_name  TEXT NOT NULL,
    first_name TEXT NOT NULL,
    phone      TEXT,                        -- E.164
    commune    TEXT NOT NULL,
    UNIQUE (dossier_id, position)
) STRICT;

-- device_seq is the rowid: gapless because rows are only ever appended and a rolled-back
-- edit rolls back its outbox row with it.
CREATE TABLE outbox (
    device_seq INTEGER PRIMARY KEY,
    change_id  TEXT NOT NULL UNIQUE,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('create', 'set_field', 'delete', 'restore', 'add_note')),
    field      TEXT,
    value      TEXT,                        -- JSON
    created_at TEXT NOT NULL
) STRICT;
