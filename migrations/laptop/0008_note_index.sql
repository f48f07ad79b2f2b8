-- Laptop store, version 8: a note's correction is found by index (opening a dossier read
-- every note of the store once per note of the dossier).
CREATE INDEX note_supersedes ON note (supersedes) WHERE supersedes IS NOT NULL;
