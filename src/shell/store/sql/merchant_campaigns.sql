-- merchant_campaigns
-- Merchant ?1's campaigns, newest first (at most 200).
SELECT id, name, segment, definition, status, created_at, launched_at, scheduled_at
FROM campaigns WHERE merchant_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 200
