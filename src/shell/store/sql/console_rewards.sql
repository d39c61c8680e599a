-- console_rewards
-- Every reward of merchant ?1, on offer first (cheapest first), then archived, each with its
-- redemptions confirmed since ?2 (Unix ms) and its codes still waiting at the counter.
-- ?1 merchant, ?2 since
SELECT r.id, r.name, r.kind, r.value, r.coupon_code, r.cost_points, r.starts_at, r.ends_at,
       r.stock, r.per_member_limit, r.active, r.created_at, r.updated_at, r.image, r.description,
       (SELECT COUNT(*) FROM redemptions d
        WHERE d.reward_id = r.id AND d.created_at >= ?2 AND d.status = 'confirmed') AS redeemed,
       (SELECT COUNT(*) FROM redemptions d
        WHERE d.reward_id = r.id AND d.status = 'reserved') AS waiting
FROM rewards r
WHERE r.merchant_id = ?1
ORDER BY r.active DESC, r.cost_points IS NULL, r.cost_points, r.name
LIMIT 200
