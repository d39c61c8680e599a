-- Passkeys (WebAuthn, ES256): a second way into the console. In the directory with the people.
-- `id` is the credential id (base64url); `public_key` its SubjectPublicKeyInfo DER (base64url).

CREATE TABLE passkeys (
  id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 16 AND 1400),
  person_id   TEXT NOT NULL REFERENCES people(id),
  public_key  TEXT NOT NULL,
  sign_count  INTEGER NOT NULL CHECK (sign_count >= 0),
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  used_at     INTEGER
) STRICT;
CREATE INDEX passkeys_by_person ON passkeys (person_id, created_at);

-- Sign-in challenges already answered (their nonce), kept until they expire: an assertion is
-- accepted once.
CREATE TABLE passkey_challenges (
  nonce      TEXT PRIMARY KEY CHECK (length(nonce) = 32),
  passkey_id TEXT NOT NULL,
  used_at    INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
