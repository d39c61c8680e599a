-- members_by_level
-- How many customers of merchant ?1 (not erased) are on each level, one row per level held.
SELECT tier, COUNT(*) AS n FROM members
WHERE merchant_id = ?1 AND erased_at IS NULL
GROUP BY tier
