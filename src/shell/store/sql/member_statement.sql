-- member_statement
-- A member's balances, lifetime points (earned, less reversals, plus bonuses and positive
-- adjustments), points expiring in the next 30 days, and the tier level with the points earned in
-- the tier window (since ?4). ?1 member, ?2 merchant, ?3 now
SELECT m.id AS member_id, m.name, m.points - m.debt AS points, m.pending_points, m.debt, m.stamps,
       m.cashback_minor, m.last_activity_at, m.created_at, m.tier, m.tier_since,
       (SELECT COALESCE(SUM(points + pending), 0) FROM ledger_entries
        WHERE member_id = m.id AND created_at >= ?4 AND reason IN ('earn', 'reverse')) AS tier_points,
       (SELECT COALESCE(SUM(points + pending), 0) FROM ledger_entries
        WHERE member_id = m.id
          AND (reason IN ('earn', 'reverse', 'referral', 'birthday', 'bonus')
               OR (reason = 'adjust' AND points > 0))) AS lifetime_points,
       (SELECT COALESCE(SUM(remaining), 0) FROM point_lots
        WHERE member_id = m.id AND status = 'active' AND remaining > 0
          AND expires_at > ?3 AND expires_at <= ?3 + 30 * 86400000) AS expiring_30_days
FROM members m
WHERE m.id = ?1 AND m.merchant_id = ?2
