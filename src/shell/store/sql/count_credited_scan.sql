-- count_credited_scan
-- Counts scan ?3 in its address's bucket ?1 for the window starting at ?2, if the scan was
-- recorded (insert_scan, just before, refuses it once the bucket reaches its limit).
INSERT INTO rate_windows (bucket, window_start, hits)
SELECT ?1, ?2, 1
WHERE EXISTS (SELECT 1 FROM scans WHERE id = ?3)
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1
