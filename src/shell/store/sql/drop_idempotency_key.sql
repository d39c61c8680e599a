-- drop_idempotency_key
-- Frees key ?2 of merchant ?1 held by request ?3 after a server error, so a retry runs afresh.
DELETE FROM idempotency_keys WHERE merchant_id = ?1 AND key = ?2 AND owner = ?3 AND status IS NULL
