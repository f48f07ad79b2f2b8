-- Laptop store, version 13: values an earlier version let into the store that this one
-- cannot read (a code or a date a head office of that time did not check), set aside at
-- opening with their French reason and listed with the refused changes, never silently
-- dropped. The column then holds nothing, or its list's first code where it must hold one.
CREATE TABLE repaired_value (
    id          TEXT PRIMARY KEY,           -- UUIDv7, to list it
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT,                       -- what was stored, as JSON text
    reason      TEXT NOT NULL,
    repaired_at TEXT NOT NULL
) STRICT;
