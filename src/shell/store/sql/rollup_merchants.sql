-- rollup_merchants
-- Every merchant with its time zone, creation time and how far its rollups got (?1: one
-- merchant, or NULL for all).
SELECT m.id AS merchant_id, m.time_zone, m.created_at, s.next_day, s.rolled_to, s.scored_day
FROM merchants m
LEFT JOIN rollup_state s ON s.merchant_id = m.id
WHERE ?1 IS NULL OR m.id = ?1
