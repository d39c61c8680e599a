-- webhook_log
-- Merchant ?1's last 50 deliveries, newest first.
SELECT at, type, status, code, order_id FROM webhook_log
WHERE merchant_id = ?1 ORDER BY at DESC, rowid DESC LIMIT 50
