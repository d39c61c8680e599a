-- code_misses
-- Misses counted in bucket ?1's window starting at ?2.
SELECT COALESCE((SELECT hits FROM rate_windows WHERE bucket = ?1 AND window_start = ?2), 0) AS misses
