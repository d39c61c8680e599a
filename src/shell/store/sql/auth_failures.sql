-- auth_failures
-- The most failed authentications counted in bucket ?1 or ?2 in the window starting at ?3.
SELECT COALESCE(MAX(hits), 0) AS hits FROM rate_windows
WHERE bucket IN (?1, ?2) AND window_start = ?3
