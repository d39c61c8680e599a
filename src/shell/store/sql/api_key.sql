-- An active API key. ?1 id
SELECT merchant_id, secret_hash, scope, location FROM api_keys WHERE id = ?1 AND revoked_at IS NULL
