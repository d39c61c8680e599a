-- apply_tier_sweep
-- Applies the changes sweep_tiers recorded at ?1.
UPDATE members
SET tier = (SELECT to_tier FROM tier_changes WHERE id = members.id || ':' || ?1), tier_since = ?1
WHERE tier > 0 AND id IN (SELECT member_id FROM tier_changes
                          WHERE created_at = ?1 AND cause_type = 'sweep')
