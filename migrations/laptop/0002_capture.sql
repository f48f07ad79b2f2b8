-- Laptop store, version 2: the full honour-loan dossier (domain brief sections A–G, I–K),
-- outreach sessions, platform settings, and accent-insensitive full-text search.
-- Amounts are integer euro cents; percentages are basis points (33,5 % = 3350);
-- dates are ISO `YYYY-MM-DD`; communes are INSEE codes as text.

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                      -- JSON
) STRICT;

-- An outreach session ("permanence"): a day in a town hall meeting project holders.
CREATE TABLE session (
    id           TEXT PRIMARY KEY,
    commune_insee TEXT NOT NULL,
    commune      TEXT NOT NULL,              -- name, for display and search
    place        TEXT NOT NULL DEFAULT '',
    held_on      TEXT NOT NULL,
    advisor      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    deleted_at   TEXT
) STRICT;
CREATE INDEX session_held_on ON session (held_on);

-- A. Dossier
ALTER TABLE dossier ADD COLUMN opened_on TEXT;
UPDATE dossier SET opened_on = substr(created_at, 1, 10);
ALTER TABLE dossier ADD COLUMN session_id TEXT REFERENCES session (id);
ALTER TABLE dossier ADD COLUMN advisor TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier ADD COLUMN loan_scheme TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier ADD COLUMN referrer TEXT;
ALTER TABLE dossier ADD COLUMN heard_of_us TEXT NOT NULL DEFAULT '';
-- E. forecast assumptions; G. committee; 8. strengths and cautions for the summary
ALTER TABLE dossier ADD COLUMN forecast_assumptions TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier ADD COLUMN strengths TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier ADD COLUMN cautions TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier ADD COLUMN committee_date TEXT;
ALTER TABLE dossier ADD COLUMN committee_kind TEXT;
ALTER TABLE dossier ADD COLUMN committee_members TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier ADD COLUMN advisor_opinion TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier ADD COLUMN decision TEXT;
ALTER TABLE dossier ADD COLUMN decision_amount_cents INTEGER;
ALTER TABLE dossier ADD COLUMN decision_conditions TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier ADD COLUMN decision_reason TEXT NOT NULL DEFAULT '';
-- K. Privacy
ALTER TABLE dossier ADD COLUMN privacy_notice_on TEXT;
ALTER TABLE dossier ADD COLUMN consent_optional_fields INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN purge_on TEXT;
ALTER TABLE dossier ADD COLUMN last_contact_on TEXT;
CREATE INDEX dossier_status ON dossier (status);
CREATE INDEX dossier_session ON dossier (session_id);
CREATE INDEX dossier_committee_date ON dossier (committee_date);
CREATE INDEX dossier_advisor ON dossier (advisor);

-- B. Holders, and F. the honour loan that each holder may request
ALTER TABLE holder ADD COLUMN birth_name TEXT NOT NULL DEFAULT '';
ALTER TABLE holder ADD COLUMN birth_date TEXT;
ALTER TABLE holder ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE holder ADD COLUMN postal_code TEXT;
ALTER TABLE holder ADD COLUMN commune_insee TEXT;
ALTER TABLE holder ADD COLUMN email TEXT;
ALTER TABLE holder ADD COLUMN situation TEXT;
ALTER TABLE holder ADD COLUMN jobseeker_since TEXT;
ALTER TABLE holder ADD COLUMN education TEXT NOT NULL DEFAULT '';
ALTER TABLE holder ADD COLUMN experience_years INTEGER;
ALTER TABLE holder ADD COLUMN qpv INTEGER NOT NULL DEFAULT 0;
ALTER TABLE holder ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE holder ADD COLUMN capital_share_bp INTEGER;
ALTER TABLE holder ADD COLUMN personal_contribution_cents INTEGER;
ALTER TABLE holder ADD COLUMN background TEXT NOT NULL DEFAULT '';
ALTER TABLE holder ADD COLUMN motivation TEXT NOT NULL DEFAULT '';
ALTER TABLE holder ADD COLUMN loan_requested_cents INTEGER;
ALTER TABLE holder ADD COLUMN loan_granted_cents INTEGER;
ALTER TABLE holder ADD COLUMN loan_months INTEGER;
ALTER TABLE holder ADD COLUMN loan_deferral_months INTEGER;
ALTER TABLE holder ADD COLUMN loan_fund TEXT NOT NULL DEFAULT '';
ALTER TABLE holder ADD COLUMN loan_disbursed_on TEXT;

-- C. Business (one per dossier)
CREATE TABLE business (
    dossier_id            TEXT PRIMARY KEY REFERENCES dossier (id) ON DELETE CASCADE,
    name                  TEXT NOT NULL DEFAULT '',
    trade_name            TEXT NOT NULL DEFAULT '',
    activity              TEXT NOT NULL DEFAULT '',
    market                TEXT NOT NULL DEFAULT '',
    sector                TEXT,
    naf_code              TEXT,
    naf_version           TEXT,
    legal_form            TEXT,
    share_capital_cents   INTEGER,
    start_on              TEXT,
    siret                 TEXT,
    address               TEXT NOT NULL DEFAULT '',
    postal_code           TEXT,
    commune_insee         TEXT,
    commune               TEXT NOT NULL DEFAULT '',
    premises              TEXT,
    franchise             TEXT NOT NULL DEFAULT '',
    seller                TEXT NOT NULL DEFAULT '',
    takeover_price_cents  INTEGER,
    takeover_kind         TEXT,
    jobs_created          INTEGER,
    jobs_kept             INTEGER,
    jobs_year3            INTEGER
) STRICT;
INSERT INTO business (dossier_id) SELECT id FROM dossier;

-- D. Financing plan. Honour loans are not lines: they are the holders' requests.
CREATE TABLE financing_line (
    id            TEXT PRIMARY KEY,
    dossier_id    TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    side          TEXT NOT NULL CHECK (side IN ('need', 'resource')),
    category      TEXT NOT NULL,
    label         TEXT NOT NULL DEFAULT '',
    amount_cents  INTEGER NOT NULL DEFAULT 0 CHECK (amount_cents >= 0),
    position      INTEGER NOT NULL,
    bank          TEXT NOT NULL DEFAULT '',
    months        INTEGER,
    rate_bp       INTEGER,
    guarantee     TEXT,
    bank_status   TEXT,
    deleted_at    TEXT
) STRICT;
CREATE INDEX financing_line_dossier ON financing_line (dossier_id);

-- E. Forecast, years 1–3
CREATE TABLE forecast_year (
    dossier_id            TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    year                  INTEGER NOT NULL CHECK (year BETWEEN 1 AND 3),
    turnover_cents        INTEGER,
    gross_margin_cents    INTEGER,
    external_costs_cents  INTEGER,
    taxes_cents           INTEGER,
    wages_cents           INTEGER,
    owner_pay_cents       INTEGER,
    depreciation_cents    INTEGER,
    interest_cents        INTEGER,
    PRIMARY KEY (dossier_id, year)
) STRICT;
INSERT INTO forecast_year (dossier_id, year)
    SELECT id, y.n FROM dossier, (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) AS y;

-- I. Documents checklist
CREATE TABLE document (
    dossier_id TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'manquant',
    on_date    TEXT,
    PRIMARY KEY (dossier_id, kind)
) STRICT;

-- J. Notes: append-only. A correction is a new note that supersedes an older one.
CREATE TABLE note (
    id          TEXT PRIMARY KEY,
    dossier_id  TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    written_at  TEXT NOT NULL,
    supersedes  TEXT REFERENCES note (id)
) STRICT;
CREATE INDEX note_dossier ON note (dossier_id, written_at);
CREATE TRIGGER note_is_append_only_update BEFORE UPDATE ON note
BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;
CREATE TRIGGER note_is_append_only_delete BEFORE DELETE ON note
WHEN (SELECT count(*) FROM dossier WHERE id = OLD.dossier_id) > 0
BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;

-- Full-text search over holder names, business, commune, activity and notes; diacritics
-- removed so "lefevre" finds "Lefèvre". One row per dossier, rebuilt by each edit.
CREATE VIRTUAL TABLE dossier_search USING fts5 (
    dossier_id UNINDEXED,
    body,
    tokenize = "unicode61 remove_diacritics 2"
);

-- What the search indexes for a dossier, defined once: the store refreshes a dossier's row
-- from this view after each edit.
CREATE VIEW dossier_search_source AS
SELECT d.id AS dossier_id,
       d.number || ' ' || d.idea || ' ' || d.advisor || ' ' ||
       coalesce((SELECT group_concat(h.first_name || ' ' || h.last_name || ' ' || h.birth_name
                                     || ' ' || h.commune, ' ')
                 FROM holder h WHERE h.dossier_id = d.id), '') || ' ' ||
       coalesce((SELECT b.name || ' ' || b.trade_name || ' ' || b.activity || ' ' || b.commune
                 FROM business b WHERE b.dossier_id = d.id), '') || ' ' ||
       coalesce((SELECT group_concat(n.body, ' ') FROM note n WHERE n.dossier_id = d.id), '')
       AS body
FROM dossier d;

INSERT INTO dossier_search (dossier_id, body) SELECT dossier_id, body FROM dossier_search_source;
