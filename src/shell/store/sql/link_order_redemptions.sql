-- link_order_redemptions
-- Links the redemptions listed in ?4 (JSON array of ids) to order ?2 of merchant ?1, if request
-- ?3 recorded the order and each redemption is that order's member's.
INSERT INTO order_redemptions (merchant_id, order_id, redemption_id)
SELECT ?1, ?2, r.id
FROM redemptions r
JOIN orders o ON o.merchant_id = ?1 AND o.order_id = ?2 AND o.request_id = ?3
WHERE r.id IN (SELECT value FROM json_each(?4)) AND r.merchant_id = ?1
  AND r.member_id = o.member_id
ON CONFLICT DO NOTHING
