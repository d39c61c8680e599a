-- queue_scan_messages
-- For scan ?1 if this batch credited it (at ?2): a balance update, and a milestone message when
-- it was the member's 5th, 10th, 25th, ... scan (domain::messages::MILESTONES); each only if the
-- merchant sends messages and has not muted that kind.
INSERT INTO outbox (id, merchant_id, member_id, kind, class, payload, created_at, due_at)
SELECT 'balance:' || s.id, s.merchant_id, s.member_id, 'balance_update', 'transactional',
       json_object('earned_points', s.points, 'earned_stamps', s.stamps), ?2, ?2
FROM scans s
JOIN messaging g ON g.merchant_id = s.merchant_id AND g.active = 1
WHERE s.id = ?1 AND s.created_at = ?2
  AND NOT EXISTS (SELECT 1 FROM json_each(g.muted) WHERE value = 'balance_update')
UNION ALL
SELECT 'milestone:' || s.member_id || ':' || c.n, s.merchant_id, s.member_id, 'milestone',
       'transactional', json_object('visits', c.n), ?2, ?2
FROM scans s
JOIN messaging g ON g.merchant_id = s.merchant_id AND g.active = 1
JOIN (SELECT COUNT(*) AS n FROM scans WHERE member_id = (SELECT member_id FROM scans WHERE id = ?1)) c
WHERE s.id = ?1 AND s.created_at = ?2 AND c.n IN (5, 10, 25, 50, 100, 250, 500)
  AND NOT EXISTS (SELECT 1 FROM json_each(g.muted) WHERE value = 'milestone')
ON CONFLICT DO NOTHING
