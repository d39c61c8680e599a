-- Messages that reach customers: which channels a merchant sends by, each member's opt-outs per
-- channel, the cards' push subscriptions, and what each delivered message achieved.

-- 1 when the merchant sends by any channel (a webhook endpoint, email or push): the statements
-- that queue messages test it, so nothing waits in the outbox for a merchant who sends nothing.
ALTER TABLE messaging ADD COLUMN active INTEGER NOT NULL DEFAULT 0;
UPDATE messaging SET active = (endpoint_url IS NOT NULL);

-- A member's opt-outs per channel and class, as bits (domain::messages::opt_out_bit): offers
-- by push 1, email 2, the merchant's sender 4; card news by push 8, email 16, sender 32.
ALTER TABLE members ADD COLUMN channel_opt_out INTEGER NOT NULL DEFAULT 0;

-- A card's push subscription on one device (what the browser's PushManager gave it). The id is
-- the SHA-256 of the endpoint, so the same device subscribing again replaces its row.
CREATE TABLE push_subscriptions (
  id          TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  member_id   TEXT NOT NULL REFERENCES members(id),
  endpoint    TEXT NOT NULL,
  p256dh      TEXT NOT NULL,                 -- base64url, 65 octets
  auth        TEXT NOT NULL,                 -- base64url, 16 octets
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX push_by_member ON push_subscriptions (member_id, created_at);

-- The channel a message went by and why; its first open (email pixel) and first click.
ALTER TABLE outbox ADD COLUMN channel TEXT
  CHECK (channel IS NULL OR channel IN ('push', 'email', 'webhook'));
ALTER TABLE outbox ADD COLUMN channel_note TEXT;
ALTER TABLE outbox ADD COLUMN opened_at INTEGER;
ALTER TABLE outbox ADD COLUMN clicked_at INTEGER;
ALTER TABLE message_attempts ADD COLUMN channel TEXT;

-- What each message channel achieved per local day (rolled with the day, never recomputed):
-- messages attempted, accepted by the channel, given up, opened, clicked, and converted (a visit
-- or purchase within 7 days of the member's last accepted message, at its first return), with
-- the median time from that message to the return. Each event counts on the day it happened.
CREATE TABLE daily_message_channels (
  merchant_id      TEXT NOT NULL REFERENCES merchants(id),
  day              INTEGER NOT NULL,
  channel          TEXT NOT NULL,
  sent             INTEGER NOT NULL,
  accepted         INTEGER NOT NULL,
  failed           INTEGER NOT NULL,
  opened           INTEGER NOT NULL,
  clicked          INTEGER NOT NULL,
  converted        INTEGER NOT NULL,
  median_return_ms INTEGER,
  PRIMARY KEY (merchant_id, day, channel)
) STRICT;
CREATE INDEX outbox_by_member_sent ON outbox (member_id, sent_at) WHERE status = 'sent';
