-- prune_idempotency_keys
-- Forgets keys created before ?1 (kept at least 24 hours).
DELETE FROM idempotency_keys WHERE created_at < ?1
