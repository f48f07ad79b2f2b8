-- Changes of a device the head office had confirmed, then lost when it was restored from an
-- older backup, and that the device could no longer send again: named for the administrator
-- (and answered to the device in `lost`), never silently skipped.
CREATE TABLE device_gap (
    device_id  TEXT NOT NULL,
    first_seq  INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL,
    noted_at   TEXT NOT NULL,
    PRIMARY KEY (device_id, first_seq)
) STRICT;
