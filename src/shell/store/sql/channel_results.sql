-- channel_results
-- What each channel achieved for merchant ?1 with the messages created since ?2: sent, failed
-- (dead), opened, clicked, and converted: a visit (scan) or a purchase (POS order) within ?3 ms
-- after a sent message that was the member's last message before it (receipts of a visit
-- itself do not count).
WITH sent AS (
  SELECT id, member_id, channel, sent_at FROM outbox
  WHERE merchant_id = ?1 AND created_at >= ?2 AND status = 'sent'
    AND kind NOT IN ('balance_update', 'redemption_confirmed')
),
visits AS (
  SELECT member_id, created_at FROM scans
  WHERE merchant_id = ?1 AND created_at >= ?2
  UNION ALL
  SELECT member_id, created_at FROM orders
  WHERE merchant_id = ?1 AND created_at >= ?2 AND member_id IS NOT NULL
),
converted AS (
  SELECT DISTINCT s.id, s.channel FROM sent s
  JOIN visits v ON v.member_id = s.member_id AND v.created_at > s.sent_at
               AND v.created_at <= s.sent_at + ?3
  WHERE NOT EXISTS (SELECT 1 FROM outbox o2 WHERE o2.member_id = s.member_id
                      AND o2.status = 'sent' AND o2.sent_at > s.sent_at AND o2.sent_at < v.created_at
                      AND o2.kind NOT IN ('balance_update', 'redemption_confirmed'))
)
SELECT o.channel,
       SUM(o.status = 'sent') AS sent,
       SUM(o.status = 'dead') AS failed,
       SUM(o.opened_at IS NOT NULL) AS opened,
       SUM(o.clicked_at IS NOT NULL) AS clicked,
       (SELECT COUNT(*) FROM converted c WHERE c.channel = o.channel) AS converted
FROM outbox o
WHERE o.merchant_id = ?1 AND o.created_at >= ?2 AND o.channel IS NOT NULL
GROUP BY o.channel
ORDER BY o.channel
