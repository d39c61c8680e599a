-- rollup_channels
-- Day ?2 of merchant ?1 (Unix ms ?3 to ?4), if it is the next to roll, per channel: scans,
-- members who joined through it, and its members whose first purchase it was (read before the
-- day is folded into the totals).
INSERT INTO daily_channels (merchant_id, day, channel, scans, enrolments, conversions)
SELECT ?1, ?2, c.channel, SUM(c.scans), SUM(c.enrolments), SUM(c.conversions)
FROM (
  SELECT channel, 1 AS scans, 0 AS enrolments, 0 AS conversions
  FROM scans WHERE merchant_id = ?1 AND created_at >= ?3 AND created_at < ?4
  UNION ALL
  SELECT channel, 0, 1, 0 FROM member_totals WHERE merchant_id = ?1 AND created_day = ?2
  UNION ALL
  SELECT t.channel, 0, 0, 1
  FROM rollup_work w JOIN member_totals t ON t.member_id = w.member_id
  WHERE w.merchant_id = ?1 AND w.purchases > 0 AND t.first_purchase_day IS NULL
) c
WHERE EXISTS (SELECT 1 FROM rollup_state WHERE merchant_id = ?1 AND next_day = ?2)
GROUP BY c.channel
ON CONFLICT DO NOTHING
