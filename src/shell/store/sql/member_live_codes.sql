-- member_live_codes
-- A member's redemption codes still waiting for staff. ?1 member, ?2 merchant, ?3 now
SELECT r.id, r.code, w.name AS reward_name, r.points, r.stamps, r.expires_at
FROM redemptions r JOIN rewards w ON w.id = r.reward_id
WHERE r.member_id = ?1 AND r.merchant_id = ?2 AND r.status = 'reserved' AND r.expires_at > ?3
ORDER BY r.expires_at
