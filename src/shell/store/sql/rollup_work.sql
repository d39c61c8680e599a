-- rollup_work
-- Day ?2 of merchant ?1 (Unix ms ?3 to ?4), if it is the next to roll: each member's purchases
-- (counter scans other than visits, and POS orders net of refunds known now; reversed scans and
-- fully refunded orders do not count), visits and confirmed redemptions (a redemption cancelled
-- by then does not count, as in points_redeemed of rollup_day), into the worklist.
INSERT INTO rollup_work (merchant_id, member_id, purchases, priced, revenue_minor, visits,
                         redemptions)
SELECT ?1, e.member_id, SUM(e.purchase), SUM(e.priced), SUM(e.revenue), SUM(e.visit),
       SUM(e.redemption)
FROM (
  SELECT member_id, kind <> 'visit' AS purchase,
         kind <> 'visit' AND amount_minor IS NOT NULL AS priced,
         CASE WHEN kind <> 'visit' THEN COALESCE(amount_minor, 0) ELSE 0 END AS revenue,
         kind = 'visit' AS visit, 0 AS redemption
  FROM scans
  WHERE merchant_id = ?1 AND created_at >= ?3 AND created_at < ?4 AND reversed_at IS NULL
  UNION ALL
  SELECT member_id, 1, 1, amount_minor - refunded_minor, 0, 0
  FROM orders
  WHERE merchant_id = ?1 AND created_at >= ?3 AND created_at < ?4 AND member_id IS NOT NULL
    AND refunded_minor < amount_minor
  UNION ALL
  SELECT e.member_id, 0, 0, 0, 0, 1
  FROM ledger_entries e JOIN redemptions d ON d.id = e.cause_id
  WHERE e.merchant_id = ?1 AND e.created_at >= ?3 AND e.created_at < ?4 AND e.reason = 'redeem'
    AND d.status = 'confirmed'
) e
JOIN member_totals t ON t.member_id = e.member_id
WHERE EXISTS (SELECT 1 FROM rollup_state WHERE merchant_id = ?1 AND next_day = ?2)
GROUP BY e.member_id
