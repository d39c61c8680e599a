-- revoke_rotated_key
-- Revokes key ?2 of merchant ?1 at ?4 if its successor ?3 went in earlier in this batch.
UPDATE api_keys SET revoked_at = ?4
WHERE merchant_id = ?1 AND id = ?2 AND revoked_at IS NULL
  AND EXISTS (SELECT 1 FROM api_keys WHERE id = ?3 AND created_at = ?4)
