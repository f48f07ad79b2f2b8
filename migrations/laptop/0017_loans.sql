-- Laptop store, version 17: the honour loan after the committee's "accord" (issue 12).
-- One loan per holder, as signed; then its dated movements: disbursements, repayments,
-- reschedulings, a write-off. Rows are only added: a movement typed in error is removed
-- with a tombstone (deleted_at) that sync carries, never edited. Where a loan stands
-- (status, schedule, what is late) is worked out from these rows and the day, never stored.

CREATE TABLE loan (
    id              TEXT PRIMARY KEY,              -- UUIDv7 made on the device
    dossier_id      TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    holder_id       TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL,
    months          INTEGER NOT NULL,              -- deferral included
    deferral_months INTEGER NOT NULL,
    signed_on       TEXT NOT NULL,                 -- YYYY-MM-DD
    reference       TEXT NOT NULL,                 -- as on the holder's transfers
    added_hlc       TEXT,
    deleted_at      TEXT
) STRICT;
CREATE INDEX loan_dossier ON loan (dossier_id);
CREATE INDEX loan_reference ON loan (reference);

CREATE TABLE loan_movement (
    id              TEXT PRIMARY KEY,
    loan_id         TEXT NOT NULL REFERENCES loan (id) ON DELETE CASCADE,
    dossier_id      TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('decaissement', 'remboursement',
                                                  'reechelonnement', 'passage_en_perte')),
    on_date         TEXT NOT NULL,                 -- YYYY-MM-DD
    amount_cents    INTEGER NOT NULL,
    months          INTEGER,                       -- a rescheduling's
    deferral_months INTEGER,
    note            TEXT NOT NULL DEFAULT '',
    added_hlc       TEXT,
    deleted_at      TEXT
) STRICT;
CREATE INDEX loan_movement_loan ON loan_movement (loan_id, on_date);
CREATE INDEX loan_movement_dossier ON loan_movement (dossier_id);
