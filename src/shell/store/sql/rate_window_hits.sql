-- rate_window_hits
-- The hits of bucket ?1 in the window starting at ?2 (0 if none).
SELECT COALESCE((SELECT hits FROM rate_windows WHERE bucket = ?1 AND window_start = ?2), 0) AS hits
