-- Laptop store, version 11: committees and their agendas converge across laptops.
-- Two laptops may each create a committee for the same day before they sync: both are kept
-- (the day is no longer unique; a new committee is still refused on a day that has one).
-- An agenda is ordered by the clock stamp (HLC) of each entry's addition, the same on every
-- laptop; entries added before this version keep their order, first.
CREATE TABLE committee_v11 (
    id         TEXT PRIMARY KEY,              -- UUIDv7 made on the device
    held_on    TEXT NOT NULL,                 -- YYYY-MM-DD
    kind       TEXT NOT NULL CHECK (kind IN ('technique', 'agrement')),
    place      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL                  -- RFC 3339, UTC
) STRICT;
INSERT INTO committee_v11 (id, held_on, kind, place, created_at)
SELECT id, held_on, kind, place, created_at FROM committee;

CREATE TABLE committee_agenda_v11 (
    committee_id TEXT NOT NULL REFERENCES committee_v11 (id) ON DELETE CASCADE,
    dossier_id   TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,            -- order of addition on this laptop
    added_hlc    TEXT,                        -- the addition's clock stamp: the shared order
    PRIMARY KEY (committee_id, dossier_id)
) STRICT;
INSERT INTO committee_agenda_v11 (committee_id, dossier_id, position)
SELECT committee_id, dossier_id, position FROM committee_agenda;

-- The agenda first: dropping the committees would cascade to it.
DROP TABLE committee_agenda;
DROP TABLE committee;
ALTER TABLE committee_v11 RENAME TO committee;
ALTER TABLE committee_agenda_v11 RENAME TO committee_agenda;
CREATE INDEX committee_day ON committee (held_on);
CREATE INDEX committee_agenda_dossier ON committee_agenda (dossier_id);
