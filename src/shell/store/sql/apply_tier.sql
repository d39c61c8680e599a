-- apply_tier
-- Applies tier change ?1 (written earlier in this batch) to its member. ?2 now
UPDATE members
SET tier = (SELECT to_tier FROM tier_changes WHERE id = ?1), tier_since = ?2
WHERE id = (SELECT member_id FROM tier_changes WHERE id = ?1 AND created_at = ?2)
