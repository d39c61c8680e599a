-- rollup_messages
-- Day ?2 of merchant ?1 (Unix ms ?3 to ?4), if it is the next to roll, per message channel: the
-- messages attempted that day, accepted, given up, opened and clicked, and those that converted
-- (the member's first visit or purchase after a message falls that day, within 7 days, and that
-- message was their last accepted one before it; receipts of a visit itself do not count), with
-- the median time from message to return.
WITH events AS (
  SELECT a.channel, 1 AS sent, 0 AS accepted, 0 AS failed, 0 AS opened, 0 AS clicked
  FROM (SELECT DISTINCT t.message_id, t.channel FROM message_attempts t
        JOIN outbox o ON o.id = t.message_id
        WHERE o.merchant_id = ?1 AND t.at >= ?3 AND t.at < ?4 AND t.channel IS NOT NULL) a
  UNION ALL
  SELECT channel, 0, 1, 0, 0, 0 FROM outbox
  WHERE merchant_id = ?1 AND sent_at >= ?3 AND sent_at < ?4 AND channel IS NOT NULL
  UNION ALL
  SELECT channel, 0, 0, 1, 0, 0 FROM outbox
  WHERE merchant_id = ?1 AND status = 'dead' AND due_at >= ?3 AND due_at < ?4 AND channel IS NOT NULL
  UNION ALL
  SELECT channel, 0, 0, 0, 1, 0 FROM outbox
  WHERE merchant_id = ?1 AND opened_at >= ?3 AND opened_at < ?4 AND channel IS NOT NULL
  UNION ALL
  SELECT channel, 0, 0, 0, 0, 1 FROM outbox
  WHERE merchant_id = ?1 AND clicked_at >= ?3 AND clicked_at < ?4 AND channel IS NOT NULL
),
visits AS (
  SELECT member_id, created_at FROM scans
  WHERE merchant_id = ?1 AND created_at >= ?3 AND created_at < ?4
  UNION ALL
  SELECT member_id, created_at FROM orders
  WHERE merchant_id = ?1 AND created_at >= ?3 AND created_at < ?4 AND member_id IS NOT NULL
),
returns AS (
  SELECT v.created_at AS at,
         (SELECT o.id FROM outbox o
          WHERE o.member_id = v.member_id AND o.status = 'sent' AND o.sent_at < v.created_at
            AND o.sent_at >= v.created_at - 604800000
            AND o.kind NOT IN ('balance_update', 'redemption_confirmed')
          ORDER BY o.sent_at DESC LIMIT 1) AS message
  FROM visits v
),
converted AS (
  SELECT o.channel, MIN(r.at) - o.sent_at AS gap
  FROM returns r JOIN outbox o ON o.id = r.message
  WHERE o.channel IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.member_id = o.member_id
                      AND s.created_at > o.sent_at AND s.created_at < r.at)
    AND NOT EXISTS (SELECT 1 FROM orders x WHERE x.member_id = o.member_id
                      AND x.created_at > o.sent_at AND x.created_at < r.at)
  GROUP BY o.id
),
ranked AS (
  SELECT channel, gap, ROW_NUMBER() OVER (PARTITION BY channel ORDER BY gap) AS rn,
         COUNT(*) OVER (PARTITION BY channel) AS n
  FROM converted
),
medians AS (
  SELECT channel, CAST(AVG(gap) AS INTEGER) AS median FROM ranked
  WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY channel
),
channels AS (SELECT channel FROM events UNION SELECT channel FROM converted)
INSERT INTO daily_message_channels (merchant_id, day, channel, sent, accepted, failed, opened,
                                    clicked, converted, median_return_ms)
SELECT ?1, ?2, c.channel,
       COALESCE((SELECT SUM(sent) FROM events e WHERE e.channel = c.channel), 0),
       COALESCE((SELECT SUM(accepted) FROM events e WHERE e.channel = c.channel), 0),
       COALESCE((SELECT SUM(failed) FROM events e WHERE e.channel = c.channel), 0),
       COALESCE((SELECT SUM(opened) FROM events e WHERE e.channel = c.channel), 0),
       COALESCE((SELECT SUM(clicked) FROM events e WHERE e.channel = c.channel), 0),
       (SELECT COUNT(*) FROM converted k WHERE k.channel = c.channel),
       (SELECT median FROM medians d WHERE d.channel = c.channel)
FROM channels c
WHERE EXISTS (SELECT 1 FROM rollup_state WHERE merchant_id = ?1 AND next_day = ?2)
ON CONFLICT DO NOTHING
