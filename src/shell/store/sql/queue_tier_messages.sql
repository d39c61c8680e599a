-- queue_tier_messages
-- Tells members their level changed: change ?2 if this batch made it (at ?1), or (?2 NULL)
-- every change the tier sweep made at ?1; only if the merchant sends messages and has not
-- muted the kind.
INSERT INTO outbox (id, merchant_id, member_id, kind, class, payload, created_at, due_at)
SELECT 'tier:' || c.id, c.merchant_id, c.member_id, 'tier_changed', 'transactional',
       json_object('from_tier', c.from_tier, 'to_tier', c.to_tier,
                   'direction', CASE WHEN c.to_tier > c.from_tier THEN 'up' ELSE 'down' END), ?1, ?1
FROM tier_changes c
JOIN messaging g ON g.merchant_id = c.merchant_id AND g.active = 1
WHERE c.created_at = ?1 AND (c.id = ?2 OR (?2 IS NULL AND c.cause_type = 'sweep'))
  AND NOT EXISTS (SELECT 1 FROM json_each(g.muted) WHERE value = 'tier_changed')
ON CONFLICT DO NOTHING
