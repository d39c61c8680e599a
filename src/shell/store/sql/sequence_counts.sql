-- sequence_counts
-- Merchant ?1's occasions per sequence and status, and the gifts they gave.
SELECT sequence, status, COUNT(*) AS n, SUM(points) AS points, SUM(stamps) AS stamps,
       SUM(reward_id IS NOT NULL) AS rewards
FROM sequence_runs
WHERE merchant_id = ?1
GROUP BY sequence, status
ORDER BY sequence, status
