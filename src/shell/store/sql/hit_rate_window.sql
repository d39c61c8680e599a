-- hit_rate_window
-- Counts one request in bucket ?1's window starting at ?2.
INSERT INTO rate_windows (bucket, window_start, hits) VALUES (?1, ?2, 1)
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1
