-- retire_old_webhook_secrets
-- Keeps merchant ?1's two newest secrets active (the old one keeps working while the POS
-- switches over) and retires the rest, at ?2.
UPDATE webhook_secrets SET retired_at = ?2
WHERE merchant_id = ?1 AND retired_at IS NULL
  AND id < (SELECT id FROM webhook_secrets WHERE merchant_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET 1)
