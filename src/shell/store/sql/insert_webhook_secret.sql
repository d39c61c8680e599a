-- insert_webhook_secret
-- ?1 merchant_id, ?2 id, ?3 now
INSERT INTO webhook_secrets (merchant_id, id, created_at) VALUES (?1, ?2, ?3)
