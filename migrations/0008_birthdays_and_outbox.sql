-- Birthday gifts (once per member per year) and the outbox: messages waiting for the delivery
-- job of the messaging issue (birthday offers, points about to expire).

-- One row per member and year celebrated; id 'birthday:<member>:<year>' (also the id of its
-- ledger entry and, with ':gift', of a reward given as the gift). The terms are copied.
CREATE TABLE birthday_grants (
  id              TEXT PRIMARY KEY,
  merchant_id     TEXT NOT NULL REFERENCES merchants(id),
  member_id       TEXT NOT NULL REFERENCES members(id),
  year            INTEGER NOT NULL,
  points          INTEGER NOT NULL CHECK (points >= 0),
  stamps          INTEGER NOT NULL CHECK (stamps >= 0),
  reward_id       TEXT,
  gift_days       INTEGER NOT NULL CHECK (gift_days > 0),
  program_version INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX birthday_grants_by_merchant ON birthday_grants (merchant_id, created_at);
CREATE INDEX members_by_birthday ON members (merchant_id, birthday) WHERE birthday IS NOT NULL;

-- Messages to send, once each (the id names the occasion). Only members who consented get any.
-- Payloads carry no personal data (delivery reads the member when it sends); an erased member's
-- unsent messages are deleted.
CREATE TABLE outbox (
  id          TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  member_id   TEXT NOT NULL REFERENCES members(id),
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL,                 -- JSON
  created_at  INTEGER NOT NULL,
  sent_at     INTEGER
) STRICT;
CREATE INDEX outbox_by_member ON outbox (member_id, created_at);
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE sent_at IS NULL;
