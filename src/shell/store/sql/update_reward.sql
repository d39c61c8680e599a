-- update_reward
-- Replaces reward ?1 of merchant ?2 (same parameters as insert_reward).
UPDATE rewards
SET name = ?3, kind = ?4, value = ?5, coupon_code = ?6, cost_points = ?7, starts_at = ?8,
    ends_at = ?9, stock = ?10, per_member_limit = ?11, active = ?12, updated_at = ?13,
    image = ?14, description = ?15
WHERE id = ?1 AND merchant_id = ?2
