-- merchant_api_keys
-- A merchant's keys, newest first, never their secrets. ?1 merchant_id
SELECT id, scope, name, location, last4, created_at, revoked_at
FROM api_keys WHERE merchant_id = ?1 ORDER BY created_at DESC, id LIMIT 200
