-- insert_redemption
-- Records redemption ?1 of reward ?4 by member ?3 only if every guard holds at this instant:
-- the reward is this merchant's, active and in its date window, in stock, under the member's
-- limit (live codes count), and the member's spendable points (live lots less debt) or stamps
-- cover the cost. A full stamp card costs ?9 stamps. A live code (?5) that collides, or a phone
-- attempt (?11) already used by this member (a double tap), inserts nothing.
-- ?1 id, ?2 merchant, ?3 member, ?4 reward, ?5 code or NULL, ?6 status ('reserved' for a phone
-- code, 'confirmed' when staff redeem directly), ?7 now, ?8 code expiry, ?9 card size, ?10 actor,
-- ?11 attempt or NULL
INSERT INTO redemptions (id, merchant_id, member_id, reward_id, code, status, points, stamps,
                         cashback, created_at, expires_at, confirmed_at, actor, attempt)
SELECT ?1, ?2, ?3, r.id, ?5, ?6,
       COALESCE(r.cost_points, 0), CASE WHEN r.cost_points IS NULL THEN ?9 ELSE 0 END,
       CASE WHEN r.kind = 'cashback' THEN r.value ELSE 0 END,
       ?7, ?8, CASE WHEN ?6 = 'confirmed' THEN ?7 END, ?10, ?11
FROM rewards r JOIN members m ON m.id = ?3 AND m.merchant_id = ?2
WHERE r.id = ?4 AND r.merchant_id = ?2 AND r.active = 1
  AND (r.starts_at IS NULL OR r.starts_at <= ?7) AND (r.ends_at IS NULL OR r.ends_at > ?7)
  AND (r.stock IS NULL OR r.stock > 0)
  AND (r.per_member_limit IS NULL OR r.per_member_limit > (
        SELECT COUNT(*) FROM redemptions x
        WHERE x.member_id = ?3 AND x.reward_id = r.id
          AND (x.status = 'confirmed' OR (x.status = 'reserved' AND x.expires_at > ?7))))
  AND (r.cost_points IS NULL OR r.cost_points <= (
        SELECT COALESCE(SUM(l.remaining), 0) FROM point_lots l
        WHERE l.member_id = ?3 AND l.status = 'active' AND l.remaining > 0
          AND (l.expires_at IS NULL OR l.expires_at > ?7)) - m.debt)
  AND (r.cost_points IS NOT NULL OR m.stamps >= ?9)
ON CONFLICT DO NOTHING
