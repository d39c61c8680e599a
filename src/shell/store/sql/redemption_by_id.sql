-- redemption_by_id
-- Redemption ?2 of merchant ?1, with its reward.
SELECT r.id, r.status, r.code, r.member_id, r.reward_id, w.name AS reward_name, w.kind AS reward_kind,
       w.value AS reward_value, w.coupon_code, r.points, r.stamps, r.cashback, r.created_at,
       r.expires_at, r.confirmed_at, r.closed_at
FROM redemptions r JOIN rewards w ON w.id = r.reward_id
WHERE r.merchant_id = ?1 AND r.id = ?2
