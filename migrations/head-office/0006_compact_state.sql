-- Head office, version 6: the state of each field and each record is kept in its primary
-- key's own b-tree (WITHOUT ROWID): one copy of the key instead of a table and its index.
CREATE TABLE field_state_v6 (
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT,
    version    INTEGER NOT NULL,
    hlc        TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) STRICT, WITHOUT ROWID;
INSERT INTO field_state_v6 SELECT entity, entity_id, field, value, version, hlc, device_id
    FROM field_state;
DROP TABLE field_state;
ALTER TABLE field_state_v6 RENAME TO field_state;

CREATE TABLE record_v6 (
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    dossier_id    TEXT,
    platform_code TEXT NOT NULL,
    created_seq   INTEGER NOT NULL,
    deleted_seq   INTEGER,
    PRIMARY KEY (entity, entity_id)
) STRICT, WITHOUT ROWID;
INSERT INTO record_v6 SELECT entity, entity_id, dossier_id, platform_code, created_seq,
    deleted_seq FROM record;
DROP TABLE record;
ALTER TABLE record_v6 RENAME TO record;

-- A logged value longer than a few hundred bytes (a create carries the whole record and the
-- field edits folded into it) is kept zstd-compressed here, its `value` then NULL.
ALTER TABLE change_log ADD COLUMN packed BLOB;
