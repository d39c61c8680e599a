-- Tiers: each member's level and when they reached it; every change is recorded with its cause.
ALTER TABLE members ADD COLUMN tier INTEGER NOT NULL DEFAULT 0 CHECK (tier BETWEEN 0 AND 9);
ALTER TABLE members ADD COLUMN tier_since INTEGER NOT NULL DEFAULT 0;

CREATE TABLE tier_changes (
  id               TEXT PRIMARY KEY,           -- '<ledger entry id>:tier', or '<member>:<time>' by a sweep
  merchant_id      TEXT NOT NULL REFERENCES merchants(id),
  member_id        TEXT NOT NULL REFERENCES members(id),
  from_tier        INTEGER NOT NULL,
  to_tier          INTEGER NOT NULL,
  earned_in_window INTEGER NOT NULL,           -- the points that decided it
  cause_type       TEXT NOT NULL CHECK (cause_type IN ('entry', 'sweep')),
  cause_id         TEXT,                       -- the ledger entry, for 'entry'
  program_version  INTEGER NOT NULL,
  created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX tier_changes_by_member ON tier_changes (member_id, created_at);
CREATE INDEX members_by_tier ON members (merchant_id, tier) WHERE tier > 0;

-- Redemptions used as payment on a POS order; a full refund of the order cancels them (the
-- points come back). A redemption pays towards one order at most.
CREATE TABLE order_redemptions (
  merchant_id   TEXT NOT NULL REFERENCES merchants(id),
  order_id      TEXT NOT NULL,
  redemption_id TEXT NOT NULL REFERENCES redemptions(id),
  PRIMARY KEY (merchant_id, order_id, redemption_id)
) STRICT;
CREATE UNIQUE INDEX order_redemptions_once ON order_redemptions (redemption_id);
