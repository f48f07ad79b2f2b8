-- Laptop store, version 6: a person's choice on a conflict is queued like an edit (op
-- 'settle'), so that the other laptops stop listing the conflict. SQLite cannot change a
-- CHECK constraint in place: the outbox is copied into a table that allows the new op.
CREATE TABLE outbox_v6 (
    device_seq   INTEGER PRIMARY KEY,
    change_id    TEXT NOT NULL UNIQUE,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    op           TEXT NOT NULL
                 CHECK (op IN ('create', 'set_field', 'delete', 'restore', 'add_note', 'settle')),
    field        TEXT,
    value        TEXT,                      -- JSON
    created_at   TEXT NOT NULL,
    hlc          TEXT,
    base_version INTEGER
) STRICT;
INSERT INTO outbox_v6 (device_seq, change_id, entity, entity_id, op, field, value, created_at,
                       hlc, base_version)
SELECT device_seq, change_id, entity, entity_id, op, field, value, created_at, hlc, base_version
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v6 RENAME TO outbox;
