-- member_balance
-- ?1 member, ?2 merchant
SELECT id AS member_id, points - debt AS points, pending_points, debt, stamps, cashback_minor
FROM members WHERE id = ?1 AND merchant_id = ?2
