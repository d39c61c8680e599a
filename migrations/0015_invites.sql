-- Invitations to a merchant's console, in the directory (the first database) with the people.
-- `id` is the SHA-256 of the link's random secret (the link itself is never stored). An
-- invitation is used once: `accepted_at` and `accepted_by` are set by the batch that uses it,
-- and every other statement of that batch acts only if this row says so.
CREATE TABLE invites (
  id          TEXT PRIMARY KEY CHECK (length(id) = 64),
  merchant_id TEXT NOT NULL CHECK (length(merchant_id) = 8),
  email       TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'staff')),
  invited_by  TEXT NOT NULL REFERENCES people(id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  accepted_at INTEGER,
  accepted_by TEXT
) STRICT;
CREATE INDEX invites_by_merchant ON invites (merchant_id, created_at);
