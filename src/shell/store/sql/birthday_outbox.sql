-- birthday_outbox
-- Step 6 of 6: a birthday message for each member who consented and got a gift this run.
-- ?1 merchant, ?2 now
INSERT INTO outbox (id, merchant_id, member_id, kind, payload, created_at)
SELECT g.id, g.merchant_id, g.member_id, 'birthday_offer',
       json_object('points', g.points, 'stamps', g.stamps, 'reward_id', g.reward_id,
                   'year', g.year), ?2
FROM birthday_grants g JOIN members m ON m.id = g.member_id AND m.marketing_consent = 1
WHERE g.merchant_id = ?1 AND g.created_at = ?2
ON CONFLICT DO NOTHING
