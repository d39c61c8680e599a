-- trim_webhook_log
-- Keeps merchant ?1's newest 50 deliveries.
DELETE FROM webhook_log WHERE merchant_id = ?1 AND rowid NOT IN (
  SELECT rowid FROM webhook_log WHERE merchant_id = ?1 ORDER BY at DESC, rowid DESC LIMIT 50
)
