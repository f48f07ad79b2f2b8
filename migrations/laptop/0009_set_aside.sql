-- Changes pulled from the head office that this laptop cannot apply (they break the rule
-- book, or its store refuses them): kept aside with their French reason and listed with the
-- refused changes, so that a sync goes on and nothing received is silently dropped.
CREATE TABLE set_aside_change (
    server_seq  INTEGER PRIMARY KEY,
    change_id   TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    field       TEXT,
    value       TEXT,
    reason      TEXT NOT NULL,
    made_at     TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
