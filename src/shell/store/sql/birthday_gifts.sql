-- birthday_gifts
-- Step 5 of 6: a reward given as the gift becomes a code waiting on the member's card, outside
-- the reward's stock. A random code that collides with a live one inserts nothing this time;
-- the next run tries again for grants of the last 30 days that still lack theirs.
-- ?1 merchant, ?2 now
INSERT INTO redemptions (id, merchant_id, member_id, reward_id, code, status, points, stamps,
                         cashback, created_at, expires_at, gift_of)
SELECT g.id || ':gift', g.merchant_id, g.member_id, w.id,
       printf('%06d', abs(random() % 1000000)), 'reserved', 0, 0,
       CASE WHEN w.kind = 'cashback' THEN w.value ELSE 0 END, ?2, ?2 + g.gift_days * 86400000,
       g.id
FROM birthday_grants g
JOIN members m ON m.id = g.member_id AND m.erased_at IS NULL
JOIN rewards w ON w.id = g.reward_id AND w.merchant_id = g.merchant_id
WHERE g.merchant_id = ?1 AND g.created_at > ?2 - 30 * 86400000
  AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.id = g.id || ':gift')
ON CONFLICT DO NOTHING
