-- hit_key_window
-- Counts one request in key ?1's rate window starting at ?2, only if the key is active and ?3
-- is the hash of its secret (NULL: the caller proved the key by a signed session cookie), so a
-- request with a wrong secret never uses up the key's own limit.
INSERT INTO rate_windows (bucket, window_start, hits)
SELECT 'key:' || ?1, ?2, 1
WHERE EXISTS (SELECT 1 FROM api_keys
              WHERE id = ?1 AND revoked_at IS NULL AND (?3 IS NULL OR secret_hash = ?3))
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1
