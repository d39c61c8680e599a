-- Password reset links and the operator's sign-up codes, in the directory (the first database)
-- with the people. Both keep only the SHA-256 of their secret: the link or the code itself is
-- shown once and never stored.

-- A one-time link that sets a person's password. `made_by` is the person who made it in the
-- console, or 'operator'. It works while unused, not voided (a newer link for the same person
-- voids it) and before `expires_at`. The batch that uses it stamps `used_at` with a fresh
-- `use_token`, and every other statement of that batch acts only if this row carries it, so
-- concurrent uses set the password once.
CREATE TABLE password_resets (
  id         TEXT PRIMARY KEY CHECK (length(id) = 64),
  person_id  TEXT NOT NULL REFERENCES people(id),
  made_by    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  use_token  TEXT,
  voided_at  INTEGER
) STRICT;
CREATE INDEX password_resets_by_person ON password_resets (person_id, created_at);

-- A sign-up code the operator issued (SIGNUP=invite): it admits one sign-up before `expires_at`.
-- `used_by` is the owner the sign-up made; the batch that makes them marks the code used.
CREATE TABLE signup_codes (
  id         TEXT PRIMARY KEY CHECK (length(id) = 64),
  note       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  used_by    TEXT
) STRICT;
