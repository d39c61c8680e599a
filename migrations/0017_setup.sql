-- Guided set-up (issue 21, item 8): which steps of a merchant's set-up are done or skipped. A
-- step without a row is still to do. `choice` keeps what a step chose that the configuration
-- does not say by itself (the earn step's mode: stamps, points or cashback).
CREATE TABLE setup_steps (
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  step        TEXT NOT NULL CHECK (step IN ('business', 'earn', 'rewards', 'locations', 'print')),
  status      TEXT NOT NULL CHECK (status IN ('done', 'skipped')),
  choice      TEXT,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, step)
);
