-- reward_usage
-- Per reward of merchant ?1: the redemptions started since ?2 (Unix ms) by how they ended, and
-- the points the confirmed ones spent. Active rewards are listed even when unused (that is news
-- too); retired ones only if used in the window.
-- ?1 merchant, ?2 since
SELECT r.name AS name,
       COALESCE(SUM(d.status = 'confirmed'), 0) AS redeemed,
       COALESCE(SUM(CASE WHEN d.status = 'confirmed' THEN d.points ELSE 0 END), 0) AS points,
       COALESCE(SUM(d.status = 'reserved'), 0) AS waiting,
       COALESCE(SUM(d.status IN ('released', 'cancelled')), 0) AS lapsed
FROM rewards r
LEFT JOIN redemptions d ON d.reward_id = r.id AND d.created_at >= ?2
WHERE r.merchant_id = ?1
GROUP BY r.id
HAVING r.active = 1 OR COUNT(d.id) > 0
ORDER BY redeemed DESC, r.name
LIMIT 50
