-- The lots one expiry batch works on: its first statement fills the list, its last empties it,
-- so the statements in between agree on the same lots without repeating the search. (D1 runs
-- batches one at a time, so no other batch ever sees the list filled.)
CREATE TABLE expiring_lots (
  lot_id TEXT PRIMARY KEY
) STRICT;
