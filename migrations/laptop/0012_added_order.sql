-- Laptop store, version 12: holders and financing lines added after their dossier's creation
-- are ordered by the clock stamp (HLC) of their addition, the same on every laptop, after
-- those created with the dossier (which keep their positions). Existing rows keep theirs.
ALTER TABLE holder ADD COLUMN added_hlc TEXT;
ALTER TABLE financing_line ADD COLUMN added_hlc TEXT;
