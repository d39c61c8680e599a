-- The people who run merchants: owners, managers and staff, who sign in to the console with an
-- email and a password. These tables live in the directory, the first database (binding DB),
-- whichever shard holds a person's merchants: sign-in finds an email in one place, an email is
-- unique in one UNIQUE index, and a role change ends its sessions in the same batch.

CREATE TABLE people (
  id         TEXT PRIMARY KEY CHECK (length(id) = 16),
  email      TEXT NOT NULL UNIQUE,                -- normalised: trimmed, lower case
  name       TEXT NOT NULL,
  language   TEXT NOT NULL CHECK (language IN ('en', 'pl')),
  password   TEXT NOT NULL,                       -- 'pbkdf2-sha256$<iterations>$<salt>$<hash>'
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- A person's role at a merchant (the merchant's rows live on its own shard: no foreign key).
CREATE TABLE roles (
  person_id   TEXT NOT NULL REFERENCES people(id),
  merchant_id TEXT NOT NULL CHECK (length(merchant_id) = 8),
  role        TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'staff')),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (person_id, merchant_id)
) STRICT;
CREATE INDEX roles_by_merchant ON roles (merchant_id, role);

-- Console sessions. `id` is the SHA-256 of the cookie's random secret (the secret is never
-- stored). A session is valid only while its person still holds `role` at `merchant_id`, so a
-- removed person or a changed role ends it at once.
CREATE TABLE console_sessions (
  id          TEXT PRIMARY KEY CHECK (length(id) = 64),
  person_id   TEXT NOT NULL REFERENCES people(id),
  merchant_id TEXT NOT NULL,
  role        TEXT NOT NULL,
  device      TEXT NOT NULL,                      -- the browser, in words, for "signed-in devices"
  created_at  INTEGER NOT NULL,
  seen_at     INTEGER NOT NULL,
  ended_at    INTEGER
) STRICT;
CREATE INDEX console_sessions_by_person ON console_sessions (person_id, created_at);
