-- count_code_miss
-- Counts a code entry in bucket ?4's window starting at ?5 if code ?2 is not live at merchant ?1
-- at ?3 (a typo or a guess); the confirm after it is refused once the bucket reaches its limit.
INSERT INTO rate_windows (bucket, window_start, hits)
SELECT ?4, ?5, 1
WHERE NOT EXISTS (SELECT 1 FROM redemptions
                  WHERE merchant_id = ?1 AND code = ?2 AND status = 'reserved' AND expires_at > ?3)
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1
