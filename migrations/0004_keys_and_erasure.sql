-- API keys get a name and, for counter keys, the one location they serve.
ALTER TABLE api_keys ADD COLUMN name TEXT;
ALTER TABLE api_keys ADD COLUMN location INTEGER CHECK (location IS NULL OR location BETWEEN 1 AND 255);
ALTER TABLE api_keys ADD COLUMN last4 TEXT;
CREATE INDEX api_keys_by_merchant ON api_keys (merchant_id, created_at);

-- GDPR erasure keeps the member (their ledger totals feed balances and metrics) but not who
-- they are.
ALTER TABLE members ADD COLUMN erased_at INTEGER;
