-- queue_welcome
-- A welcome message for member ?1 if this batch enrolled them (at ?2), and their merchant sends
-- messages and has not muted welcomes.
INSERT INTO outbox (id, merchant_id, member_id, kind, class, payload, created_at, due_at)
SELECT 'welcome:' || m.id, m.merchant_id, m.id, 'welcome', 'transactional', '{}', ?2, ?2
FROM members m
JOIN messaging g ON g.merchant_id = m.merchant_id AND g.active = 1
WHERE m.id = ?1 AND m.created_at = ?2
  AND NOT EXISTS (SELECT 1 FROM json_each(g.muted) WHERE value = 'welcome')
ON CONFLICT DO NOTHING
