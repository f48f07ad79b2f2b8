-- The stable code of a refusal (clock_ahead, forbidden, invalid_input), answered again with
-- the stored result when a push is replayed.
ALTER TABLE change_log ADD COLUMN code TEXT;
