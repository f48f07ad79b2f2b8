-- Laptop store, version 14: a field saved again before its last save was sent goes up once
-- (its first base version, its last value). A queued change taken into a push, or queued
-- again for a head office restored from a backup, is marked and never merged into: the head
-- office may already hold it under its number.
ALTER TABLE outbox ADD COLUMN in_flight INTEGER NOT NULL DEFAULT 0;
-- A save looks for the queued change of its field, and a pull for the pending edits of a
-- record: both by record and field, however long the outbox (a laptop offline for weeks).
CREATE INDEX outbox_record ON outbox (entity, entity_id, field);
