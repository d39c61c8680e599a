-- update_reward
-- Replaces reward ?1 of merchant ?2 (same parameters as insert_reward); with ?16 = 1 the
-- picture and with ?17 = 1 the description stay as stored (an API client that left them out).
UPDATE rewards
SET name = ?3, kind = ?4, value = ?5, coupon_code = ?6, cost_points = ?7, starts_at = ?8,
    ends_at = ?9, stock = ?10, per_member_limit = ?11, active = ?12, updated_at = ?13,
    image = CASE WHEN ?16 = 1 THEN image ELSE ?14 END,
    description = CASE WHEN ?17 = 1 THEN description ELSE ?15 END
WHERE id = ?1 AND merchant_id = ?2
