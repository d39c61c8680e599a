-- ?1 member_id, ?2 merchant_id
SELECT id, name, points, stamps, created_at FROM members WHERE id = ?1 AND merchant_id = ?2
