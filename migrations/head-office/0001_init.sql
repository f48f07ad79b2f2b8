-- Head-office store, version 1: the platforms the server serves.
-- Accounts, devices and the change log arrive with sync.

CREATE TABLE platform (
    code       TEXT PRIMARY KEY,            -- e.g. TA7V
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
