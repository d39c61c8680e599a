-- queue_reward_reminders
-- Queues one "your reward expires soon" message per reward given as a gift (birthday, referral,
-- sequence) that waits unused on a member's card and expires within 2 days after ?1, if it was
-- given more than 3 days before it expires (a shorter gift was just announced); when the
-- merchant sends messages and has not muted the kind. The id names the code: queued once.
INSERT INTO outbox (id, merchant_id, member_id, kind, class, payload, created_at, due_at)
SELECT 'reward_expiring:' || r.id, r.merchant_id, r.member_id, 'reward_expiring', 'transactional',
       json_object('reward_id', r.reward_id, 'expires_at', r.expires_at), ?1, ?1
FROM redemptions r
JOIN members m ON m.id = r.member_id AND m.erased_at IS NULL
JOIN messaging s ON s.merchant_id = r.merchant_id AND s.active = 1
WHERE r.status = 'reserved' AND r.gift_of IS NOT NULL
  AND r.expires_at > ?1 AND r.expires_at <= ?1 + 2 * 86400000
  AND r.created_at < r.expires_at - 3 * 86400000
  AND NOT EXISTS (SELECT 1 FROM json_each(s.muted) WHERE value = 'reward_expiring')
ON CONFLICT DO NOTHING
