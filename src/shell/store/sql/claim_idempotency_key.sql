-- claim_idempotency_key
-- Claims key ?2 of merchant ?1 for request ?4 (fingerprint ?3) until ?5. Takes over a claim whose
-- request never finished (its lock lapsed) or a record older than the keep period (?7 cutoff).
-- ?6 now
INSERT INTO idempotency_keys (merchant_id, key, fingerprint, owner, locked_until, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (merchant_id, key) DO UPDATE
SET fingerprint = excluded.fingerprint, owner = excluded.owner,
    locked_until = excluded.locked_until, status = NULL, response = NULL,
    created_at = excluded.created_at
WHERE (idempotency_keys.status IS NULL AND idempotency_keys.locked_until < ?6)
   OR idempotency_keys.created_at < ?7
