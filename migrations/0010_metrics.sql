-- Nightly rollups: per merchant and local day, the KPIs of PRODUCT.md; per member, a compact
-- running state (first, last and second-to-last purchase days, counts, revenue) and the RFM
-- scores and segment of the latest scored day. A day is rolled once, in order, by one atomic
-- batch guarded by rollup_state.next_day; days are numbered from 1970-01-01 in the merchant's
-- own calendar.

CREATE TABLE rollup_state (
  merchant_id TEXT PRIMARY KEY REFERENCES merchants(id),
  next_day    INTEGER NOT NULL,              -- the first local day not rolled up yet
  rolled_to   INTEGER,                       -- Unix ms where the last rolled day ended (the next
                                             -- day starts there, even across a time-zone change)
  scored_day  INTEGER                        -- the last day whose RFM scoring finished
) STRICT;

CREATE TABLE member_totals (
  member_id            TEXT PRIMARY KEY REFERENCES members(id),
  merchant_id          TEXT NOT NULL REFERENCES merchants(id),
  channel              TEXT NOT NULL,        -- where they enrolled
  created_day          INTEGER NOT NULL,
  first_purchase_day   INTEGER,
  last_purchase_day    INTEGER,
  prev_purchase_day    INTEGER,              -- the purchase day before the last (same day: twice)
  last_transaction_day INTEGER,              -- last purchase or visit (recency)
  last_active_day      INTEGER,              -- last earn, visit or redemption
  purchases            INTEGER NOT NULL DEFAULT 0,
  transactions         INTEGER NOT NULL DEFAULT 0,   -- purchases and visits (frequency)
  revenue_minor        INTEGER NOT NULL DEFAULT 0,   -- net of refunds known at rollup (monetary)
  r                    INTEGER,              -- RFM scores 1-5 as of scored_day (NULL: no transaction)
  f                    INTEGER,
  m                    INTEGER,
  segment              TEXT,                 -- new, high_value_loyal, at_risk, occasional, no_activity
  scored_day           INTEGER NOT NULL DEFAULT -1
) STRICT;
CREATE INDEX totals_by_active ON member_totals (merchant_id, last_active_day);
CREATE INDEX totals_by_purchase ON member_totals (merchant_id, last_purchase_day);
CREATE INDEX totals_by_repeat ON member_totals (merchant_id, prev_purchase_day);
CREATE INDEX totals_by_created ON member_totals (merchant_id, created_day);
CREATE INDEX totals_by_recency ON member_totals (merchant_id, last_transaction_day);
CREATE INDEX totals_by_frequency ON member_totals (merchant_id, transactions);
CREATE INDEX totals_by_monetary ON member_totals (merchant_id, revenue_minor);
CREATE INDEX totals_by_scoring ON member_totals (merchant_id, scored_day);
CREATE INDEX totals_by_segment ON member_totals (merchant_id, segment, member_id);

-- The day being rolled: one row per member with activity, filled and emptied by the same batch.
CREATE TABLE rollup_work (
  merchant_id   TEXT NOT NULL,
  member_id     TEXT NOT NULL,
  purchases     INTEGER NOT NULL,
  priced        INTEGER NOT NULL,              -- purchases with an amount
  revenue_minor INTEGER NOT NULL,
  visits        INTEGER NOT NULL,
  redemptions   INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, member_id)
) STRICT;

-- The members being scored: one chunk, filled and emptied by the same batch.
CREATE TABLE scoring_work (
  merchant_id TEXT NOT NULL,
  member_id   TEXT NOT NULL,
  r           INTEGER,
  f           INTEGER,
  m           INTEGER,
  segment     TEXT NOT NULL,
  was         TEXT,                           -- the segment before
  PRIMARY KEY (merchant_id, member_id)
) STRICT;

CREATE TABLE daily_metrics (
  merchant_id        TEXT NOT NULL REFERENCES merchants(id),
  day                INTEGER NOT NULL,
  members            INTEGER NOT NULL,       -- at the end of the day
  new_members        INTEGER NOT NULL,
  active_30d         INTEGER NOT NULL,       -- any earn, visit or redemption in the 30 days to the day
  active_30d_before  INTEGER NOT NULL,       -- active_30d 30 days earlier
  new_active_30d     INTEGER NOT NULL,       -- of active_30d, members who joined in those 30 days
  active_30d_year_before INTEGER NOT NULL,   -- active_30d 365 days earlier
  new_active_365d    INTEGER NOT NULL,       -- of active_30d, members who joined in the 365 days
  purchasers_90d     INTEGER NOT NULL,
  repeaters_90d      INTEGER NOT NULL,       -- members with two or more purchases in 90 days
  purchasers_365d    INTEGER NOT NULL,
  purchases          INTEGER NOT NULL,
  priced_purchases   INTEGER NOT NULL,
  revenue_minor      INTEGER NOT NULL,
  visits             INTEGER NOT NULL,
  redemptions        INTEGER NOT NULL,
  points_issued      INTEGER NOT NULL,       -- earned, referral and birthday points, positive adjustments
  points_redeemed    INTEGER NOT NULL,       -- points of redemptions confirmed that day
  points_liability   INTEGER NOT NULL,       -- spendable points outstanding at the end of the day
  points_pending     INTEGER NOT NULL,       -- points in the return window at the end of the day
  purchases_90d      INTEGER NOT NULL,
  priced_90d         INTEGER NOT NULL,
  revenue_90d        INTEGER NOT NULL,
  revenue_365d       INTEGER NOT NULL,
  issued_30d         INTEGER NOT NULL,
  redeemed_30d       INTEGER NOT NULL,
  rolled_at          INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, day)
) STRICT;

CREATE TABLE daily_channels (
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  day         INTEGER NOT NULL,
  channel     TEXT NOT NULL,
  scans       INTEGER NOT NULL,
  enrolments  INTEGER NOT NULL,
  conversions INTEGER NOT NULL,             -- members of the channel whose first purchase it was
  PRIMARY KEY (merchant_id, day, channel)
) STRICT;

CREATE TABLE rfm_thresholds (
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  day         INTEGER NOT NULL,
  scored      INTEGER NOT NULL,               -- members with a transaction (the sample)
  r1 INTEGER, r2 INTEGER, r3 INTEGER, r4 INTEGER,   -- last transaction day at 20/40/60/80 %
  f1 INTEGER, f2 INTEGER, f3 INTEGER, f4 INTEGER,   -- transactions
  m1 INTEGER, m2 INTEGER, m3 INTEGER, m4 INTEGER,   -- revenue, minor units
  PRIMARY KEY (merchant_id, day)
) STRICT;

CREATE TABLE daily_segments (
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  day         INTEGER NOT NULL,
  segment     TEXT NOT NULL,
  members     INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, day, segment)
) STRICT;

CREATE INDEX orders_by_time ON orders (merchant_id, created_at);
