-- Head-office store, version 2: accounts, devices, and the change log that laptops sync with.

CREATE TABLE account (
    id            TEXT PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,             -- Argon2id, PHC string
    role          TEXT NOT NULL CHECK (role IN ('advisor', 'staff', 'admin')),
    platform_code TEXT REFERENCES platform (code),
    created_at    TEXT NOT NULL,
    disabled_at   TEXT,
    CHECK (role <> 'advisor' OR platform_code IS NOT NULL)
) STRICT;

-- A laptop, bound to the advisor who registered it. Only a hash of its token is kept.
CREATE TABLE device (
    id            TEXT PRIMARY KEY,          -- made by the laptop at install
    account_id    TEXT NOT NULL REFERENCES account (id),
    name          TEXT NOT NULL DEFAULT '',
    token_hash    TEXT NOT NULL UNIQUE,      -- SHA-256, hex
    registered_at TEXT NOT NULL,
    revoked_at    TEXT,
    last_seq      INTEGER NOT NULL DEFAULT 0 -- last device_seq stored
) STRICT;

-- Every change received, in server order; server_seq is the pull cursor.
CREATE TABLE change_log (
    server_seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id     TEXT NOT NULL UNIQUE,
    device_id     TEXT NOT NULL,             -- the nil UUID for the server's own changes
    device_seq    INTEGER,
    platform_code TEXT,
    dossier_id    TEXT,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    op            TEXT NOT NULL,
    field         TEXT,
    value         TEXT,                      -- JSON
    hlc           TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('applied', 'conflict', 'rejected')),
    applied       INTEGER NOT NULL,          -- 1 when the state took this change's value
    reason        TEXT,
    received_at   TEXT NOT NULL,
    UNIQUE (device_id, device_seq)
) STRICT;
CREATE INDEX change_log_scope ON change_log (platform_code, server_seq);

-- Which platform each record belongs to, and its tombstone.
CREATE TABLE record (
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    dossier_id    TEXT,
    platform_code TEXT NOT NULL,
    created_seq   INTEGER NOT NULL,
    deleted_seq   INTEGER,
    PRIMARY KEY (entity, entity_id)
) STRICT;

-- The current value of every field, with the version (server_seq) and HLC that set it.
CREATE TABLE field_state (
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT,
    version    INTEGER NOT NULL,
    hlc        TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) STRICT;

-- Both values of a field edited on two devices from the same base, until a person decides.
CREATE TABLE conflict (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    server_seq      INTEGER NOT NULL,
    platform_code   TEXT NOT NULL,
    dossier_id      TEXT,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    field           TEXT NOT NULL,
    winner_value    TEXT,
    winner_hlc      TEXT NOT NULL,
    winner_device   TEXT NOT NULL,
    loser_value     TEXT,
    loser_hlc       TEXT NOT NULL,
    loser_device    TEXT NOT NULL,
    resolved_at     TEXT
) STRICT;
CREATE INDEX conflict_scope ON conflict (platform_code, server_seq);

-- Definitive dossier numbers, `TA7V-2026-0042`, assigned at first sync.
CREATE TABLE dossier_number (
    dossier_id    TEXT PRIMARY KEY,
    platform_code TEXT NOT NULL,
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    number        TEXT NOT NULL UNIQUE,
    UNIQUE (platform_code, year, seq)
) STRICT;
