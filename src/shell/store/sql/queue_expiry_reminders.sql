-- queue_expiry_reminders
-- Queues one "points expiring soon" message per member and expiry instant in the next 7 days
-- after ?1, for members who consented to hear from the merchant, when the merchant sends
-- messages and has not muted the kind; the id names the instant, so it is queued once.
INSERT INTO outbox (id, merchant_id, member_id, kind, class, payload, created_at, due_at)
SELECT 'expiring:' || l.member_id || ':' || l.expires_at, l.merchant_id, l.member_id,
       'points_expiring', 'transactional',
       json_object('points', SUM(l.remaining), 'expires_at', l.expires_at), ?1, ?1
FROM point_lots l
JOIN members m ON m.id = l.member_id AND m.marketing_consent = 1 AND m.erased_at IS NULL
JOIN messaging s ON s.merchant_id = l.merchant_id AND s.active = 1
WHERE l.status = 'active' AND l.remaining > 0
  AND l.expires_at > ?1 AND l.expires_at <= ?1 + 7 * 86400000
  AND NOT EXISTS (SELECT 1 FROM json_each(s.muted) WHERE value = 'points_expiring')
GROUP BY l.member_id, l.merchant_id, l.expires_at
ON CONFLICT DO NOTHING
