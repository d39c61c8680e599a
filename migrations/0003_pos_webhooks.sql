-- Inbound POS webhooks: per-merchant signing secrets (derived from the master secret, so only
-- their ids are stored), webhook ids seen (deduplication for 76 hours), and orders.

CREATE TABLE webhook_secrets (
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  id          INTEGER NOT NULL CHECK (id BETWEEN 1 AND 255),
  created_at  INTEGER NOT NULL,
  retired_at  INTEGER,
  PRIMARY KEY (merchant_id, id)
) STRICT;
INSERT INTO webhook_secrets (merchant_id, id, created_at) SELECT id, 1, created_at FROM merchants;

-- One row per webhook id per merchant: a retried delivery finds its id here and does nothing.
-- request_id marks the request that inserted the row, so the rest of its batch acts only then.
CREATE TABLE webhook_events (
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  webhook_id  TEXT NOT NULL,
  type        TEXT NOT NULL,
  request_id  TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, webhook_id)
) STRICT;
CREATE INDEX webhook_events_by_age ON webhook_events (received_at);

-- An order credits once (order ids are unique per merchant); refunds accumulate up to its amount.
CREATE TABLE orders (
  merchant_id    TEXT NOT NULL REFERENCES merchants(id),
  order_id       TEXT NOT NULL,
  member_id      TEXT REFERENCES members(id),   -- NULL: no member matched (nothing credited)
  amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
  points         INTEGER NOT NULL CHECK (points >= 0),
  refunded_minor INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
  entry_id       TEXT,                          -- the earn entry (and lot) of this order
  request_id     TEXT NOT NULL,                 -- the request that last changed it
  webhook_id     TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, order_id)
) STRICT;

CREATE INDEX members_by_email ON members (merchant_id, email) WHERE email IS NOT NULL;
CREATE INDEX members_by_phone ON members (merchant_id, phone) WHERE phone IS NOT NULL;

-- A scan is reversed at most once; an order may be refunded in several parts.
DROP INDEX ledger_one_reversal;
CREATE UNIQUE INDEX ledger_one_reversal ON ledger_entries (cause_id)
  WHERE reason = 'reverse' AND cause_type = 'scan';
