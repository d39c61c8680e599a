-- segment_sizes
-- Merchant ?1's segment sizes on the scored days ?2 to ?3.
SELECT day, segment, members
FROM daily_segments
WHERE merchant_id = ?1 AND day >= ?2 AND day <= ?3
ORDER BY day, segment
