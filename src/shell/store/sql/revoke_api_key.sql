-- revoke_api_key
-- Revokes key ?2 of merchant ?1 at ?3 (not the key ?4 making the call).
UPDATE api_keys SET revoked_at = ?3
WHERE merchant_id = ?1 AND id = ?2 AND revoked_at IS NULL AND id <> ?4
