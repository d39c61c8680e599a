-- member_card
-- ?1 member_id, ?2 merchant_id
SELECT id, name, points - debt AS points, pending_points, debt, stamps, cashback_minor, created_at
FROM members WHERE id = ?1 AND merchant_id = ?2
