-- redemption_attempt
-- Reads back how a redemption attempt ended and, if refused, everything needed to say why.
-- ?1 redemption id, ?2 merchant, ?3 member, ?4 reward, ?5 now, ?6 attempt or NULL
SELECT (SELECT status FROM redemptions WHERE id = ?1) AS status,
       (SELECT id FROM redemptions WHERE member_id = ?3 AND attempt = ?6) AS attempted_id,
       r.id AS reward_id, r.name AS reward_name, r.active, r.starts_at, r.ends_at, r.stock,
       r.per_member_limit, r.cost_points,
       (SELECT COUNT(*) FROM redemptions x
        WHERE x.member_id = ?3 AND x.reward_id = ?4
          AND (x.status = 'confirmed' OR (x.status = 'reserved' AND x.expires_at > ?5))) AS used,
       m.id AS member_id, m.stamps,
       (SELECT COALESCE(SUM(l.remaining), 0) FROM point_lots l
        WHERE l.member_id = ?3 AND l.status = 'active' AND l.remaining > 0
          AND (l.expires_at IS NULL OR l.expires_at > ?5)) - m.debt AS points
FROM (SELECT 1)
LEFT JOIN rewards r ON r.id = ?4 AND r.merchant_id = ?2
LEFT JOIN members m ON m.id = ?3 AND m.merchant_id = ?2
