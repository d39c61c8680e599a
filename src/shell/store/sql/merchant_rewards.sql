-- merchant_rewards
-- A merchant's rewards, cheapest first; ?2 = 1 for only those a member could redeem at ?3.
-- ?1 merchant, ?2 only available, ?3 now
SELECT id, name, kind, value, coupon_code, cost_points, starts_at, ends_at, stock,
       per_member_limit, active, created_at, updated_at, image, description
FROM rewards
WHERE merchant_id = ?1
  AND (?2 = 0 OR (active = 1 AND (starts_at IS NULL OR starts_at <= ?3)
                  AND (ends_at IS NULL OR ends_at > ?3) AND (stock IS NULL OR stock > 0)))
ORDER BY cost_points IS NULL, cost_points, name
LIMIT 200
