-- Laptop store, version 10: changes the head office confirmed leave the outbox for a journal
-- kept 60 days, so that a head office restored from an older backup gets them again (the
-- laptop sends them once more; the head office takes what it no longer holds).
CREATE TABLE sent_change (
    device_seq   INTEGER PRIMARY KEY,
    change_id    TEXT NOT NULL UNIQUE,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    op           TEXT NOT NULL,
    field        TEXT,
    value        TEXT,                      -- JSON
    created_at   TEXT NOT NULL,
    hlc          TEXT,
    base_version INTEGER,
    acked_at     TEXT NOT NULL
) STRICT;
CREATE INDEX sent_change_age ON sent_change (acked_at);
