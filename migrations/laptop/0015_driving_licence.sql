-- Laptop store, version 15: whether a holder has a driving licence (many trades of a rural
-- territory are itinerant: markets, rounds, home services). Unchecked until asked.
ALTER TABLE holder ADD COLUMN driving_licence INTEGER NOT NULL DEFAULT 0;
