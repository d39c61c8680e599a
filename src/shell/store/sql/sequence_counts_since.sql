-- sequence_counts_since
-- Merchant ?1's occasions since ?2 per sequence and status, and the gifts they gave.
SELECT sequence, status, COUNT(*) AS n, SUM(points) AS points, SUM(stamps) AS stamps,
       SUM(reward_id IS NOT NULL) AS rewards
FROM sequence_runs
WHERE merchant_id = ?1 AND created_at >= ?2
GROUP BY sequence, status
ORDER BY sequence, status
