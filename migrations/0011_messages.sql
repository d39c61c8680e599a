-- Automated messages: each merchant's messaging settings (endpoint, voice, consent rules), the
-- outbox's delivery state and log, members' preferences, and campaigns with a holdout.

-- A merchant's messaging: where messages go (NULL: nowhere, nothing is queued or sent) and the
-- settings of domain::messages::Settings as JSON. `muted` repeats the settings' muted kinds so
-- the statements that queue messages can test it.
CREATE TABLE messaging (
  merchant_id  TEXT PRIMARY KEY REFERENCES merchants(id),
  endpoint_url TEXT,
  settings     TEXT NOT NULL,                 -- JSON
  muted        TEXT NOT NULL DEFAULT '[]',    -- JSON array of kinds
  origin       TEXT NOT NULL,                 -- this Worker's public origin, for card links
  updated_at   INTEGER NOT NULL
) STRICT;

-- Delivery state. pending: waiting for due_at (and no live lease); sent: acknowledged with a 2xx
-- (never sent again); dead: gave up at give_up_at; suppressed: not sent, `last_error` says why
-- (consent withdrawn, frequency cap, muted, no contact, member erased).
ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'
  CHECK (status IN ('pending', 'sent', 'dead', 'suppressed'));
ALTER TABLE outbox ADD COLUMN class TEXT NOT NULL DEFAULT 'marketing'
  CHECK (class IN ('marketing', 'transactional'));
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN give_up_at INTEGER;    -- NULL: created_at + the horizon
ALTER TABLE outbox ADD COLUMN lease TEXT;            -- the sender holding it, until leased_until
ALTER TABLE outbox ADD COLUMN leased_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
CREATE INDEX outbox_due ON outbox (merchant_id, due_at) WHERE status = 'pending';
CREATE INDEX outbox_by_status ON outbox (merchant_id, status, created_at);

-- One row per delivery attempt: HTTP status (NULL: no answer), latency and error.
CREATE TABLE message_attempts (
  message_id  TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  http_status INTEGER,
  latency_ms  INTEGER NOT NULL,
  error       TEXT,
  PRIMARY KEY (message_id, attempt)
) STRICT;

-- The frequency cap: a member's last marketing message and when it was claimed. A marketing
-- message is sent only by the sender that claims this row for it (guarded upsert).
CREATE TABLE marketing_caps (
  member_id  TEXT PRIMARY KEY REFERENCES members(id),
  message_id TEXT NOT NULL,
  claimed_at INTEGER NOT NULL
) STRICT;

-- Members' preferences: the channel they want (email, sms, push; NULL: whichever they gave)
-- and the language of their messages (NULL: the merchant's).
ALTER TABLE members ADD COLUMN preferred_channel TEXT
  CHECK (preferred_channel IS NULL OR preferred_channel IN ('email', 'sms', 'push'));
ALTER TABLE members ADD COLUMN language TEXT
  CHECK (language IS NULL OR language IN ('en', 'pl'));

-- Campaigns: a message to a segment, in variants, with a holdout that gets nothing. Launching
-- assigns each eligible member (deterministically, domain::campaign) and queues the variants'
-- messages; results compare return visits or purchases within window_days.
CREATE TABLE campaigns (
  id          TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  name        TEXT NOT NULL,
  segment     TEXT NOT NULL,                  -- an RFM segment, or 'all'
  definition  TEXT NOT NULL,                  -- JSON: variants, holdout_percent, window_days
  status      TEXT NOT NULL CHECK (status IN ('draft', 'launched')),
  created_at  INTEGER NOT NULL,
  launched_at INTEGER
) STRICT;
CREATE INDEX campaigns_by_merchant ON campaigns (merchant_id, created_at);

CREATE TABLE campaign_members (
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  member_id   TEXT NOT NULL REFERENCES members(id),
  arm         TEXT NOT NULL,                  -- a variant's name, or 'holdout'
  PRIMARY KEY (campaign_id, member_id)
) STRICT;

-- A member's scans and orders by time: milestones count a member's scans in the scan batch,
-- and campaign results look for a return within the window.
CREATE INDEX scans_by_member ON scans (member_id, created_at);
CREATE INDEX orders_by_member ON orders (member_id, created_at);
