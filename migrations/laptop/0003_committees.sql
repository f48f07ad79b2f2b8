-- Laptop store, version 3: committee meetings (domain brief section G) and their agendas.
-- A committee meets on a date (one a day), of a kind, in a place; its agenda lists the
-- dossiers presented, in order. The committee pack prints the agenda and every summary.

CREATE TABLE committee (
    id         TEXT PRIMARY KEY,              -- UUIDv7 made on the device
    held_on    TEXT NOT NULL UNIQUE,          -- YYYY-MM-DD
    kind       TEXT NOT NULL CHECK (kind IN ('technique', 'agrement')),
    place      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL                  -- RFC 3339, UTC
) STRICT;

CREATE TABLE committee_agenda (
    committee_id TEXT NOT NULL REFERENCES committee (id) ON DELETE CASCADE,
    dossier_id   TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,            -- 1 is the first dossier presented
    PRIMARY KEY (committee_id, dossier_id)
) STRICT;
CREATE INDEX committee_agenda_dossier ON committee_agenda (dossier_id);
