-- Triggered sequences (domain::sequence): each occasion a sequence met, recorded once by the
-- batch of the event that caused it (a sale) or by the job that noticed it (inactivity), and
-- fired once when its delay is over: a gift (ledger entry 'bonus', lot, balance, gift code)
-- and/or a message, in one batch, only if the sequence's condition still holds.

-- id 'seq:<sequence>:<member>:<occasion>' (occasion: 'first', the visit count, or the local day
-- of the last visit before a lapse); it is also the id of the gift's ledger entry and lot and,
-- with ':gift', of a reward given as the gift. The terms of the day are copied.
CREATE TABLE sequence_runs (
  id              TEXT PRIMARY KEY,
  merchant_id     TEXT NOT NULL REFERENCES merchants(id),
  member_id       TEXT NOT NULL REFERENCES members(id),
  sequence        TEXT NOT NULL,
  event           TEXT NOT NULL CHECK (event IN ('first_purchase', 'visit', 'milestone', 'inactive')),
  points          INTEGER NOT NULL CHECK (points >= 0),
  stamps          INTEGER NOT NULL CHECK (stamps >= 0),
  reward_id       TEXT,
  gift_days       INTEGER NOT NULL CHECK (gift_days > 0),
  message         INTEGER NOT NULL CHECK (message IN (0, 1)),
  class           TEXT NOT NULL CHECK (class IN ('marketing', 'transactional')),
  not_returned    INTEGER NOT NULL CHECK (not_returned IN (0, 1)),
  consent         INTEGER NOT NULL CHECK (consent IN (0, 1)),
  min_tier        INTEGER NOT NULL,
  program_version INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,            -- the event
  due_at          INTEGER NOT NULL,            -- the event + the delay
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped')),
  fired_by        TEXT,                        -- the batch that fired it (unique per batch)
  done_at         INTEGER,
  skip_reason     TEXT
) STRICT;
CREATE INDEX sequence_runs_due ON sequence_runs (merchant_id, due_at) WHERE status = 'pending';
CREATE INDEX sequence_runs_fired ON sequence_runs (fired_by) WHERE fired_by IS NOT NULL;
CREATE INDEX sequence_runs_by_member ON sequence_runs (member_id, created_at);
CREATE INDEX sequence_runs_by_sequence ON sequence_runs (merchant_id, sequence, status);

-- The ledger learns the reason 'bonus' (a sequence's gift). SQLite cannot change a CHECK in
-- place: the table is rebuilt, as in 0002, with every index and trigger it had.
DROP TRIGGER ledger_entries_no_update;
DROP TRIGGER ledger_entries_no_delete;
CREATE TABLE ledger_entries_v3 (
  id              TEXT PRIMARY KEY,
  merchant_id     TEXT NOT NULL REFERENCES merchants(id),
  member_id       TEXT NOT NULL REFERENCES members(id),
  reason          TEXT NOT NULL CHECK (reason IN ('earn', 'activate', 'reserve', 'release', 'redeem',
                                                  'cancel', 'expire', 'reverse', 'adjust',
                                                  'cashback_spend', 'referral', 'birthday',
                                                  'bonus')),
  points          INTEGER NOT NULL,
  pending         INTEGER NOT NULL DEFAULT 0,
  stamps          INTEGER NOT NULL,
  cashback        INTEGER NOT NULL DEFAULT 0,
  cause_type      TEXT NOT NULL CHECK (cause_type IN ('scan', 'order', 'reward', 'redemption',
                                                      'lot', 'rule', 'staff')),
  cause_id        TEXT NOT NULL,
  program_version INTEGER NOT NULL,
  actor           TEXT,
  note            TEXT,
  created_at      INTEGER NOT NULL
) STRICT;
INSERT INTO ledger_entries_v3 (id, merchant_id, member_id, reason, points, pending, stamps,
                               cashback, cause_type, cause_id, program_version, actor, note,
                               created_at)
SELECT id, merchant_id, member_id, reason, points, pending, stamps, cashback, cause_type, cause_id,
       program_version, actor, note, created_at
FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_v3 RENAME TO ledger_entries;
CREATE INDEX ledger_by_member ON ledger_entries (member_id, created_at);
CREATE INDEX ledger_by_merchant ON ledger_entries (merchant_id, created_at);
CREATE UNIQUE INDEX ledger_one_reversal ON ledger_entries (cause_id)
  WHERE reason = 'reverse' AND cause_type = 'scan';
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
