-- sequence_outbox
-- Step 6 of 6: a 'sequence' message for each occasion batch ?1 fired at ?2 that asks for one, if
-- the merchant sends messages and has not muted the kind; a marketing one only to members who
-- agreed. Its class is the sequence's.
INSERT INTO outbox (id, merchant_id, member_id, kind, class, payload, created_at, due_at)
SELECT g.id, g.merchant_id, g.member_id, 'sequence', g.class,
       json_object('sequence', g.sequence, 'event', g.event, 'points', g.points,
                   'stamps', g.stamps, 'reward_id', g.reward_id), ?2, ?2
FROM sequence_runs g
JOIN members m ON m.id = g.member_id
JOIN messaging s ON s.merchant_id = g.merchant_id AND s.active = 1
WHERE g.fired_by = ?1 AND g.skip_reason IS NULL AND g.message = 1
  AND (g.class = 'transactional' OR m.marketing_consent = 1)
  AND NOT EXISTS (SELECT 1 FROM json_each(s.muted) WHERE value = 'sequence')
ON CONFLICT DO NOTHING
