-- Tills: tablets paired to a merchant's location, and the PINs people sign in with at them.
-- In the directory (the first database, binding DB) with the people: a till's cookie names no
-- merchant, so it is found in one place, and a role taken away ends its till sign-in at once.

-- A pairing code shown in the console, used once by the tablet that types it. `id` is the
-- SHA-256 of the code (the code itself is never stored).
CREATE TABLE till_pairings (
  id          TEXT PRIMARY KEY CHECK (length(id) = 64),
  merchant_id TEXT NOT NULL CHECK (length(merchant_id) = 8),
  location    INTEGER NOT NULL,
  label       TEXT NOT NULL,
  created_by  TEXT NOT NULL REFERENCES people(id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER,
  till_id     TEXT                                  -- the till the code paired
) STRICT;
CREATE INDEX till_pairings_by_merchant ON till_pairings (merchant_id, created_at);

-- A paired till. `secret_hash` is the SHA-256 of its cookie's random secret. One person at a
-- time is signed in at it (`person_id`), until they lock it or stay idle past `idle_ms`.
CREATE TABLE tills (
  id             TEXT PRIMARY KEY CHECK (length(id) = 16),
  secret_hash    TEXT NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
  merchant_id    TEXT NOT NULL CHECK (length(merchant_id) = 8),
  location       INTEGER NOT NULL,
  label          TEXT NOT NULL,
  paired_by      TEXT NOT NULL REFERENCES people(id),
  paired_at      INTEGER NOT NULL,
  seen_at        INTEGER NOT NULL,
  person_id      TEXT REFERENCES people(id),
  person_seen_at INTEGER,
  idle_ms        INTEGER NOT NULL DEFAULT 0,
  unpaired_at    INTEGER
) STRICT;
CREATE INDEX tills_by_merchant ON tills (merchant_id, paired_at);

-- A person's PIN at a merchant: HMAC-SHA256 under the operator's session key (never in D1), so
-- the database alone cannot be searched for the 10^4..10^6 PINs.
CREATE TABLE till_pins (
  person_id   TEXT NOT NULL REFERENCES people(id),
  merchant_id TEXT NOT NULL CHECK (length(merchant_id) = 8),
  pin_hash    TEXT NOT NULL CHECK (length(pin_hash) = 64),
  set_at      INTEGER NOT NULL,
  PRIMARY KEY (person_id, merchant_id)
) STRICT;

-- PIN tries of one person at one till. A try is claimed before its PIN is checked, in one
-- statement that refuses while `locked_until` is ahead: concurrent guesses cannot pass the limit.
CREATE TABLE till_pin_tries (
  till_id      TEXT NOT NULL,
  person_id    TEXT NOT NULL,
  tries        INTEGER NOT NULL,
  locked_until INTEGER NOT NULL,
  last_try     TEXT NOT NULL,                       -- the claiming request's random id
  PRIMARY KEY (till_id, person_id)
) STRICT;

-- Audit lines name people and devices: `actor` stays the API key id or the person's id; these
-- say who that was (a person's name at the time) and on which device (a till's label and id).
ALTER TABLE audit_log ADD COLUMN actor_name TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN device TEXT NOT NULL DEFAULT '';
