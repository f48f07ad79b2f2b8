-- Laptop store, version 18: follow-up checkpoints of a financed business (issue 12), at 12,
-- 24 and 36 months after its start of activity. Rows are only added: a checkpoint typed in
-- error is removed with a tombstone (deleted_at) that sync carries, never edited. Which
-- checkpoints are due is worked out from these rows, the start of activity and the month,
-- never stored.

CREATE TABLE checkpoint (
    id              TEXT PRIMARY KEY,              -- UUIDv7 made on the device
    dossier_id      TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    month           INTEGER NOT NULL CHECK (month IN (12, 24, 36)),
    held_on         TEXT NOT NULL,                 -- YYYY-MM-DD
    state           TEXT NOT NULL CHECK (state IN ('active', 'cessee', 'cedee', 'liquidee')),
    state_since     TEXT,                          -- YYYY-MM-DD
    headcount       INTEGER NOT NULL,
    turnover_cents  INTEGER,
    note            TEXT NOT NULL DEFAULT '',
    added_hlc       TEXT,
    deleted_at      TEXT
) STRICT;
CREATE INDEX checkpoint_dossier ON checkpoint (dossier_id, month);
