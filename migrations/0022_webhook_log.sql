-- The console's Integrations page: the last deliveries to a merchant's POS webhook endpoint,
-- accepted or refused, with the stable code of each refusal (kept to the newest 50 per
-- merchant by the insert's own batch). Only for a merchant that exists; never a body.
CREATE TABLE webhook_log (
  merchant_id TEXT NOT NULL,
  id          TEXT NOT NULL,
  at          INTEGER NOT NULL,
  webhook_id  TEXT,
  type        TEXT,
  status      TEXT NOT NULL,  -- credited, unmatched, duplicate, refunded, received, refused
  code        TEXT,           -- a refusal's stable error code
  order_id    TEXT,
  PRIMARY KEY (merchant_id, id)
) STRICT;
CREATE INDEX webhook_log_recent ON webhook_log (merchant_id, at);
