-- rfm_sizes
-- Once every member of merchant ?1 is scored for day ?2: the day's segment sizes.
INSERT INTO daily_segments (merchant_id, day, segment, members)
SELECT ?1, ?2, segment, COUNT(*)
FROM member_totals
WHERE merchant_id = ?1
  AND NOT EXISTS (SELECT 1 FROM member_totals WHERE merchant_id = ?1 AND scored_day < ?2)
GROUP BY segment
ON CONFLICT DO NOTHING
