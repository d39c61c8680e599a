-- idempotency_key
-- ?1 merchant, ?2 key
SELECT fingerprint, owner, status, response FROM idempotency_keys WHERE merchant_id = ?1 AND key = ?2
