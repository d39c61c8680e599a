-- rotate_webhook_secret
-- Adds the next webhook secret of merchant ?1 (up to id 255), at ?2.
INSERT INTO webhook_secrets (merchant_id, id, created_at)
SELECT ?1, MAX(id) + 1, ?2 FROM webhook_secrets WHERE merchant_id = ?1 HAVING MAX(id) < 255
