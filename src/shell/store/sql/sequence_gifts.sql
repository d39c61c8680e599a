-- sequence_gifts
-- Step 5 of 6: a reward given by a sequence batch ?1 fired at ?2 becomes a code waiting on the
-- member's card, outside the reward's stock, redeemable for the sequence's gift days. The
-- messages of this batch (step 6) and the status flip (the last statement) follow.
INSERT INTO redemptions (id, merchant_id, member_id, reward_id, code, status, points, stamps,
                         cashback, created_at, expires_at, gift_of)
SELECT g.id || ':gift', g.merchant_id, g.member_id, w.id,
       printf('%06d', abs(random() % 1000000)), 'reserved', 0, 0,
       CASE WHEN w.kind = 'cashback' THEN w.value ELSE 0 END, ?2, ?2 + g.gift_days * 86400000,
       g.id
FROM sequence_runs g
JOIN rewards w ON w.id = g.reward_id AND w.merchant_id = g.merchant_id
WHERE g.fired_by = ?1 AND g.skip_reason IS NULL
ON CONFLICT DO NOTHING
