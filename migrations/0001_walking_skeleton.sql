-- Merchants, their keys and programs; members; scans; the ledger; job runs.
-- Ids are TEXT. Times are integer Unix milliseconds (UTC). Money is integer minor units.

CREATE TABLE merchants (
  id          TEXT PRIMARY KEY CHECK (length(id) = 8),
  name        TEXT NOT NULL,
  branding    TEXT NOT NULL,              -- JSON: Branding
  currency    TEXT NOT NULL,              -- JSON: Currency
  time_zone   TEXT NOT NULL,
  current_kid INTEGER NOT NULL CHECK (current_kid BETWEEN 0 AND 255),
  created_at  INTEGER NOT NULL
) STRICT;

-- Key ids a merchant's scan tokens may be signed with; the keys derive from the master secret.
CREATE TABLE scan_keys (
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  kid         INTEGER NOT NULL CHECK (kid BETWEEN 0 AND 255),
  created_at  INTEGER NOT NULL,
  retired_at  INTEGER,
  PRIMARY KEY (merchant_id, kid)
) STRICT;

CREATE TABLE locations (
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  number      INTEGER NOT NULL CHECK (number BETWEEN 1 AND 255),
  name        TEXT NOT NULL,
  PRIMARY KEY (merchant_id, number)
) STRICT;

-- Every version of a program is kept; ledger entries name the version that produced them.
CREATE TABLE programs (
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  version     INTEGER NOT NULL CHECK (version >= 1),
  config      TEXT NOT NULL,              -- JSON: Program
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, version)
) STRICT;

-- API keys are shown once; only a SHA-256 of the secret part is stored.
CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  secret_hash TEXT NOT NULL,
  scope       TEXT NOT NULL CHECK (scope IN ('owner', 'counter', 'read')),
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
) STRICT;

CREATE TABLE members (
  id                TEXT PRIMARY KEY,
  merchant_id       TEXT NOT NULL REFERENCES merchants(id),
  name              TEXT NOT NULL,
  email             TEXT,
  phone             TEXT,
  birthday          TEXT CHECK (birthday IS NULL OR length(birthday) = 5),   -- MM-DD
  marketing_consent INTEGER NOT NULL CHECK (marketing_consent IN (0, 1)),
  channel           TEXT NOT NULL,        -- where they enrolled
  points            INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),   -- = SUM(ledger points)
  stamps            INTEGER NOT NULL DEFAULT 0 CHECK (stamps >= 0),   -- = SUM(ledger stamps)
  created_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX members_by_merchant ON members (merchant_id, created_at);

-- One row per credited scan. Single use of per-sale tokens is the partial UNIQUE index;
-- the poster cooldown is a guard in the INSERT that reads scans_visits_by_member.
CREATE TABLE scans (
  id              TEXT PRIMARY KEY,
  merchant_id     TEXT NOT NULL REFERENCES merchants(id),
  member_id       TEXT NOT NULL REFERENCES members(id),
  kind            TEXT NOT NULL CHECK (kind IN ('visit', 'purchase', 'points', 'stamps')),
  nonce           TEXT NOT NULL,
  kid             INTEGER NOT NULL,
  location        INTEGER NOT NULL,
  channel         TEXT NOT NULL,
  amount_minor    INTEGER,
  points          INTEGER NOT NULL CHECK (points >= 0),
  stamps          INTEGER NOT NULL CHECK (stamps >= 0),
  program_version INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX scans_single_use ON scans (merchant_id, nonce) WHERE kind <> 'visit';
CREATE INDEX scans_visits_by_member ON scans (member_id, created_at) WHERE kind = 'visit';
CREATE INDEX scans_by_merchant ON scans (merchant_id, created_at);

-- The append-only ledger: a member's balance is the sum of their entries.
CREATE TABLE ledger_entries (
  id              TEXT PRIMARY KEY,
  merchant_id     TEXT NOT NULL REFERENCES merchants(id),
  member_id       TEXT NOT NULL REFERENCES members(id),
  reason          TEXT NOT NULL CHECK (reason IN ('earn', 'redeem', 'reserve', 'release', 'expire',
                                                  'reverse', 'adjust', 'referral', 'birthday')),
  points          INTEGER NOT NULL,
  stamps          INTEGER NOT NULL,
  cause_type      TEXT NOT NULL CHECK (cause_type IN ('scan', 'order', 'reward', 'rule', 'staff')),
  cause_id        TEXT NOT NULL,
  program_version INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX ledger_by_member ON ledger_entries (member_id, created_at);
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;

-- One row per job and time slot: a second or overlapping run of the same slot does nothing.
CREATE TABLE job_runs (
  job         TEXT NOT NULL,
  slot        INTEGER NOT NULL,           -- the scheduled time, truncated to the job's period
  cron        TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  summary     TEXT,
  PRIMARY KEY (job, slot)
) STRICT;
