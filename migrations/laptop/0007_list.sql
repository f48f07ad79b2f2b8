-- Laptop store, version 7: the dossier list reads a narrow table of its own, one row per
-- live dossier, kept by the store with each edit (as the search row is). Searching,
-- filtering, sorting and counting 50,000 dossiers then reads a few megabytes, not the whole
-- dossier table with its holders and business. `row` is the dossier's search row, so a
-- search's matches are rows of this table.
CREATE TABLE dossier_list (
    row                   INTEGER PRIMARY KEY,
    dossier_id            TEXT NOT NULL UNIQUE,
    number                TEXT NOT NULL,
    project_type          TEXT NOT NULL,
    status                TEXT NOT NULL,
    idea                  TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    opened_on             TEXT,
    committee_date        TEXT,
    advisor               TEXT NOT NULL,
    session_id            TEXT,
    first_name            TEXT,
    last_name             TEXT,
    holder_commune        TEXT,
    holder_commune_insee  TEXT,
    business_name         TEXT,
    business_commune_insee TEXT
) STRICT;
CREATE INDEX dossier_list_status ON dossier_list (status, updated_at);
CREATE INDEX dossier_list_updated ON dossier_list (updated_at);
CREATE INDEX dossier_list_opened ON dossier_list (opened_on);
CREATE INDEX dossier_list_name ON dossier_list (last_name COLLATE NOCASE, first_name COLLATE NOCASE);
CREATE INDEX dossier_list_committee ON dossier_list (committee_date);
CREATE INDEX dossier_list_number ON dossier_list (number);
CREATE INDEX dossier_list_advisor ON dossier_list (advisor);
CREATE INDEX dossier_list_session ON dossier_list (session_id);
CREATE INDEX dossier_list_holder_commune ON dossier_list (holder_commune_insee);
CREATE INDEX dossier_list_business_commune ON dossier_list (business_commune_insee);

INSERT INTO dossier_list
SELECT d.search_row, d.id, d.number, d.project_type, d.status, d.idea, d.updated_at,
       d.opened_on, d.committee_date, d.advisor, d.session_id, h.first_name, h.last_name,
       h.commune, h.commune_insee, b.name, b.commune_insee
FROM dossier d
LEFT JOIN holder h ON h.dossier_id = d.id AND h.position = 0
LEFT JOIN business b ON b.dossier_id = d.id
WHERE d.deleted_at IS NULL AND d.search_row IS NOT NULL;

-- Version 5's helpers of the list, now unused.
DROP INDEX dossier_live_status;
DROP INDEX holder_commune;
DROP INDEX business_commune;
