-- The money-grade ledger: lots with expiry, pending points, debt, cashback wallet, rewards and
-- redemptions, staff adjustments with an audit log, and idempotency keys.

-- The ledger gains columns for pending points and the cashback wallet, a note, the actor, and
-- more reasons and causes. SQLite cannot change a CHECK in place: the table is rebuilt.
DROP TRIGGER ledger_entries_no_update;
DROP TRIGGER ledger_entries_no_delete;
CREATE TABLE ledger_entries_v2 (
  id              TEXT PRIMARY KEY,
  merchant_id     TEXT NOT NULL REFERENCES merchants(id),
  member_id       TEXT NOT NULL REFERENCES members(id),
  reason          TEXT NOT NULL CHECK (reason IN ('earn', 'activate', 'reserve', 'release', 'redeem',
                                                  'cancel', 'expire', 'reverse', 'adjust',
                                                  'cashback_spend', 'referral', 'birthday')),
  points          INTEGER NOT NULL,           -- change to the spendable balance (less debt)
  pending         INTEGER NOT NULL DEFAULT 0, -- change to points waiting for the return window
  stamps          INTEGER NOT NULL,
  cashback        INTEGER NOT NULL DEFAULT 0, -- change to the cashback wallet, minor units
  cause_type      TEXT NOT NULL CHECK (cause_type IN ('scan', 'order', 'reward', 'redemption',
                                                      'lot', 'rule', 'staff')),
  cause_id        TEXT NOT NULL,
  program_version INTEGER NOT NULL,
  actor           TEXT,                       -- the API key that did it, for staff actions
  note            TEXT,                       -- why, in words (adjustments, write-offs)
  created_at      INTEGER NOT NULL
) STRICT;
INSERT INTO ledger_entries_v2 (id, merchant_id, member_id, reason, points, stamps, cause_type,
                               cause_id, program_version, created_at)
SELECT id, merchant_id, member_id, reason, points, stamps, cause_type, cause_id, program_version,
       created_at
FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_v2 RENAME TO ledger_entries;
CREATE INDEX ledger_by_member ON ledger_entries (member_id, created_at);
CREATE INDEX ledger_by_merchant ON ledger_entries (merchant_id, created_at);
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;

-- Materialised balances, changed in the same batch as the entries that explain them:
-- points - debt = SUM(ledger.points); pending_points = SUM(ledger.pending);
-- cashback_minor = SUM(ledger.cashback); points = SUM(active lots' remaining).
ALTER TABLE members ADD COLUMN pending_points INTEGER NOT NULL DEFAULT 0 CHECK (pending_points >= 0);
ALTER TABLE members ADD COLUMN debt INTEGER NOT NULL DEFAULT 0 CHECK (debt >= 0);
ALTER TABLE members ADD COLUMN cashback_minor INTEGER NOT NULL DEFAULT 0 CHECK (cashback_minor >= 0);
ALTER TABLE members ADD COLUMN last_activity_at INTEGER;
UPDATE members SET last_activity_at = created_at;

-- Earned points, one lot per earn. Spends draw the soonest-expiring lots first (lot_draws says
-- from which); a release or cancel gives the drawn points back to the same lots.
CREATE TABLE point_lots (
  id           TEXT PRIMARY KEY,              -- the ledger entry that earned it
  merchant_id  TEXT NOT NULL REFERENCES merchants(id),
  member_id    TEXT NOT NULL REFERENCES members(id),
  status       TEXT NOT NULL CHECK (status IN ('pending', 'active', 'reversed')),
  earned       INTEGER NOT NULL CHECK (earned > 0),
  remaining    INTEGER NOT NULL CHECK (remaining >= 0 AND remaining <= earned),
  expired      INTEGER NOT NULL DEFAULT 0 CHECK (expired >= 0),
  earned_at    INTEGER NOT NULL,
  available_at INTEGER NOT NULL,              -- end of the return window (= earned_at if none)
  expires_at   INTEGER,                       -- NULL: never (or the inactivity policy)
  source_id    TEXT NOT NULL                  -- the scan or adjustment that earned it
) STRICT;
CREATE INDEX lots_open ON point_lots (member_id, expires_at) WHERE remaining > 0;
CREATE INDEX lots_pending ON point_lots (available_at) WHERE status = 'pending';
CREATE INDEX lots_expiring ON point_lots (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;
CREATE UNIQUE INDEX lots_by_source ON point_lots (source_id);

CREATE TABLE lot_draws (
  entry_id TEXT NOT NULL,                     -- the ledger entry that drew
  lot_id   TEXT NOT NULL REFERENCES point_lots(id),
  amount   INTEGER NOT NULL CHECK (amount > 0),
  PRIMARY KEY (entry_id, lot_id)
) STRICT;
CREATE INDEX draws_by_lot ON lot_draws (lot_id);

-- Points earned before lots existed become one never-expiring lot per member.
INSERT INTO point_lots (id, merchant_id, member_id, status, earned, remaining, earned_at,
                        available_at, expires_at, source_id)
SELECT 'opening:' || id, merchant_id, id, 'active', points, points, created_at, created_at, NULL,
       'opening:' || id
FROM members WHERE points > 0;

-- Scans can be reversed once (a mistaken amount, a refunded sale).
ALTER TABLE scans ADD COLUMN reversed_at INTEGER;

CREATE TABLE rewards (
  id               TEXT PRIMARY KEY,
  merchant_id      TEXT NOT NULL REFERENCES merchants(id),
  name             TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('free_item', 'amount_off', 'percent_off',
                                                 'cashback', 'coupon')),
  value            INTEGER CHECK (value IS NULL OR value > 0),
  coupon_code      TEXT,
  cost_points      INTEGER CHECK (cost_points IS NULL OR cost_points > 0),  -- NULL: a full stamp card
  starts_at        INTEGER,
  ends_at          INTEGER,
  stock            INTEGER CHECK (stock IS NULL OR stock >= 0),
  per_member_limit INTEGER CHECK (per_member_limit IS NULL OR per_member_limit > 0),
  active           INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX rewards_by_merchant ON rewards (merchant_id, active);

-- One row per redemption. A live code is unique per merchant; status moves
-- reserved -> confirmed -> cancelled, or reserved -> released; each move writes one ledger entry
-- whose id is '<redemption id>:<reason>', so no move can happen twice.
CREATE TABLE redemptions (
  id           TEXT PRIMARY KEY,
  merchant_id  TEXT NOT NULL REFERENCES merchants(id),
  member_id    TEXT NOT NULL REFERENCES members(id),
  reward_id    TEXT NOT NULL REFERENCES rewards(id),
  code         TEXT,                          -- six digits, for a phone redemption
  status       TEXT NOT NULL CHECK (status IN ('reserved', 'confirmed', 'released', 'cancelled')),
  points       INTEGER NOT NULL CHECK (points >= 0),
  stamps       INTEGER NOT NULL CHECK (stamps >= 0),
  cashback     INTEGER NOT NULL CHECK (cashback >= 0),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,              -- code expiry (= created_at when redeemed by staff)
  confirmed_at INTEGER,
  closed_at    INTEGER,
  actor        TEXT,
  attempt      TEXT                           -- the phone page's attempt id: a double tap is one
) STRICT;
CREATE UNIQUE INDEX redemptions_attempt ON redemptions (member_id, attempt) WHERE attempt IS NOT NULL;
CREATE UNIQUE INDEX redemptions_live_code ON redemptions (merchant_id, code) WHERE status = 'reserved';
CREATE INDEX redemptions_by_member ON redemptions (member_id, reward_id, status);
CREATE INDEX redemptions_reserved ON redemptions (expires_at) WHERE status = 'reserved';

-- Who changed what by hand, when, why and with which key.
CREATE TABLE audit_log (
  id          TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  actor       TEXT NOT NULL,                  -- API key id
  action      TEXT NOT NULL,
  subject     TEXT NOT NULL,                  -- e.g. the member id
  reason      TEXT NOT NULL,
  detail      TEXT NOT NULL,                  -- JSON
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_by_merchant ON audit_log (merchant_id, created_at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Idempotency-Key records (IETF httpapi draft), per merchant, kept at least 24 hours.
CREATE TABLE idempotency_keys (
  merchant_id   TEXT NOT NULL REFERENCES merchants(id),
  key           TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,                -- SHA-256 of method, path and body
  owner         TEXT NOT NULL,                -- the request that holds it while running
  locked_until  INTEGER NOT NULL,             -- a crashed request's claim lapses then
  status        INTEGER,                      -- NULL while running
  response      TEXT,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, key)
) STRICT;
CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);

-- At most one reversal per scan, whatever the requests do.
CREATE UNIQUE INDEX ledger_one_reversal ON ledger_entries (cause_id) WHERE reason = 'reverse';
