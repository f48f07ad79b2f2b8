-- Laptop store, version 19: mentoring and workshops (issue 12, item 2). Every row is only
-- added: an edit of a mentor or of a pairing records a new version naming the same mentor
-- (mentor_id) or pairing (pairing_id), the latest by its creation's clock stamp (added_hlc)
-- being the one read; a row typed in error is removed with a tombstone (deleted_at) that sync
-- carries. Mentors and workshops belong to the platform; pairings, their meetings and
-- workshop registrations to a dossier.

CREATE TABLE mentor (
    id             TEXT PRIMARY KEY,               -- this card, UUIDv7 made on the device
    mentor_id      TEXT NOT NULL,                  -- the mentor: their first card's id
    name           TEXT NOT NULL,
    trade          TEXT NOT NULL,
    commune_insee  TEXT NOT NULL,
    commune        TEXT NOT NULL,
    availability   TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL CHECK (active IN (0, 1)),
    added_hlc      TEXT,
    deleted_at     TEXT
) STRICT;
CREATE INDEX mentor_cards ON mentor (mentor_id, added_hlc);

CREATE TABLE pairing (
    id             TEXT PRIMARY KEY,               -- this version
    pairing_id     TEXT NOT NULL,                  -- the pairing: its first version's id
    dossier_id     TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    mentor_id      TEXT NOT NULL,
    start_on       TEXT NOT NULL,                  -- YYYY-MM-DD
    end_on         TEXT,                           -- YYYY-MM-DD
    added_hlc      TEXT,
    deleted_at     TEXT
) STRICT;
CREATE INDEX pairing_dossier ON pairing (dossier_id, pairing_id);
CREATE INDEX pairing_mentor ON pairing (mentor_id);

CREATE TABLE mentor_meeting (
    id             TEXT PRIMARY KEY,
    pairing_id     TEXT NOT NULL,
    dossier_id     TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    met_on         TEXT NOT NULL,                  -- YYYY-MM-DD
    note           TEXT NOT NULL DEFAULT '',
    added_hlc      TEXT,
    deleted_at     TEXT
) STRICT;
CREATE INDEX mentor_meeting_dossier ON mentor_meeting (dossier_id, pairing_id);

CREATE TABLE workshop (
    id             TEXT PRIMARY KEY,
    held_on        TEXT NOT NULL,                  -- YYYY-MM-DD
    theme          TEXT NOT NULL,
    place          TEXT NOT NULL,
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    added_hlc      TEXT,
    deleted_at     TEXT
) STRICT;
CREATE INDEX workshop_day ON workshop (held_on);

CREATE TABLE workshop_registration (
    id             TEXT PRIMARY KEY,
    workshop_id    TEXT NOT NULL,
    dossier_id     TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    holder_id      TEXT NOT NULL,
    present        INTEGER NOT NULL CHECK (present IN (0, 1)),
    added_hlc      TEXT,
    deleted_at     TEXT
) STRICT;
CREATE INDEX workshop_registration_workshop ON workshop_registration (workshop_id, holder_id);
CREATE INDEX workshop_registration_dossier ON workshop_registration (dossier_id);
