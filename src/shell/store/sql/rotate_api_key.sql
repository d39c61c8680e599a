-- rotate_api_key
-- Makes key ?3 (secret hash ?4, last four characters ?5) in place of active key ?2 of merchant
-- ?1, with the same scope, name and location, at ?6. revoke_rotated_key then retires ?2.
INSERT INTO api_keys (id, merchant_id, secret_hash, scope, created_at, name, location, last4)
SELECT ?3, merchant_id, ?4, scope, ?6, name, location, ?5
FROM api_keys
WHERE merchant_id = ?1 AND id = ?2 AND revoked_at IS NULL
