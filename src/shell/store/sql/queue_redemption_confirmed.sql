-- queue_redemption_confirmed
-- A confirmation for the redemption of merchant ?1 with id ?2 (or live code ?3) that this
-- batch confirmed (at ?4), if the merchant sends messages and has not muted the kind.
INSERT INTO outbox (id, merchant_id, member_id, kind, class, payload, created_at, due_at)
SELECT 'redeemed:' || r.id, r.merchant_id, r.member_id, 'redemption_confirmed', 'transactional',
       json_object('reward_id', r.reward_id, 'points', r.points, 'stamps', r.stamps), ?4, ?4
FROM redemptions r
JOIN messaging g ON g.merchant_id = r.merchant_id AND g.active = 1
WHERE r.merchant_id = ?1 AND (r.id = ?2 OR (?2 IS NULL AND r.code = ?3))
  AND r.status = 'confirmed' AND r.confirmed_at = ?4
  AND NOT EXISTS (SELECT 1 FROM json_each(g.muted) WHERE value = 'redemption_confirmed')
ON CONFLICT DO NOTHING
