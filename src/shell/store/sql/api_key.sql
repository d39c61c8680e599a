-- An active API key and how many requests it has made in the current window. ?1 id,
-- ?2 window start
SELECT merchant_id, secret_hash, scope, location,
       (SELECT hits FROM rate_windows WHERE bucket = 'key:' || ?1 AND window_start = ?2) AS hits
FROM api_keys WHERE id = ?1 AND revoked_at IS NULL
