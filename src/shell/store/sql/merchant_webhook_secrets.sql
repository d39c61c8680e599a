-- merchant_webhook_secrets
-- The ids of a merchant's active webhook secrets. ?1 merchant_id
SELECT id AS kid FROM webhook_secrets WHERE merchant_id = ?1 AND retired_at IS NULL ORDER BY id
