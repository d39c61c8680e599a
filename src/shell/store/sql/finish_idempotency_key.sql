-- finish_idempotency_key
-- Stores the response of the request ?3 that holds key ?2 of merchant ?1. ?4 status, ?5 body
UPDATE idempotency_keys SET status = ?4, response = ?5
WHERE merchant_id = ?1 AND key = ?2 AND owner = ?3
