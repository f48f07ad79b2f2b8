-- Laptop store, version 5: a store of 50,000 dossiers stays quick.
-- The search row of a dossier was found by an unindexed column, so each edit read the whole
-- search index. Each dossier now names its search row (the row's rowid), found by index;
-- the index keeps two- and three-letter prefixes, as typed in the list's search box.
DROP TABLE dossier_search;
CREATE VIRTUAL TABLE dossier_search USING fts5 (
    body,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3'
);
ALTER TABLE dossier ADD COLUMN search_row INTEGER;
UPDATE dossier SET search_row = rowid;
CREATE UNIQUE INDEX dossier_search_row ON dossier (search_row);
INSERT INTO dossier_search (rowid, body)
SELECT d.search_row, s.body FROM dossier d JOIN dossier_search_source s ON s.dossier_id = d.id;

-- The list's counts per status read this index alone; its commune filter finds dossiers by
-- the main holder's or the business's commune.
CREATE INDEX dossier_live_status ON dossier (status) WHERE deleted_at IS NULL;
CREATE INDEX holder_commune ON holder (commune_insee) WHERE position = 0;
CREATE INDEX business_commune ON business (commune_insee);
