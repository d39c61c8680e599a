-- member_expiries
-- When a member's points expire, soonest first. ?1 member, ?2 merchant, ?3 now
SELECT expires_at, SUM(remaining) AS points
FROM point_lots
WHERE member_id = ?1 AND merchant_id = ?2 AND status = 'active' AND remaining > 0
  AND expires_at > ?3
GROUP BY expires_at
ORDER BY expires_at
LIMIT 12
