-- rollup_day
-- Day ?2 of merchant ?1 (Unix ms ?3 to ?4), if it is the next to roll, rolled at ?5: the day's
-- counts from the running totals (already holding the day), the worklist, the day's ledger and
-- the stored days before it (trailing windows, liability carried forward).
INSERT INTO daily_metrics (
  merchant_id, day, members, new_members, active_30d, active_30d_before, new_active_30d,
  active_30d_year_before, new_active_365d, purchasers_90d, repeaters_90d, purchasers_365d,
  purchases, priced_purchases, revenue_minor, visits, redemptions, points_issued,
  points_redeemed, points_liability, points_pending, purchases_90d, priced_90d, revenue_90d,
  revenue_365d, issued_30d, redeemed_30d, rolled_at)
SELECT ?1, ?2,
  (SELECT COUNT(*) FROM member_totals WHERE merchant_id = ?1),
  (SELECT COUNT(*) FROM member_totals WHERE merchant_id = ?1 AND created_day = ?2),
  (SELECT COUNT(*) FROM member_totals WHERE merchant_id = ?1 AND last_active_day > ?2 - 30),
  COALESCE((SELECT active_30d FROM daily_metrics WHERE merchant_id = ?1 AND day = ?2 - 30), 0),
  (SELECT COUNT(*) FROM member_totals
   WHERE merchant_id = ?1 AND created_day > ?2 - 30 AND last_active_day > ?2 - 30),
  COALESCE((SELECT active_30d FROM daily_metrics WHERE merchant_id = ?1 AND day = ?2 - 365), 0),
  (SELECT COUNT(*) FROM member_totals
   WHERE merchant_id = ?1 AND created_day > ?2 - 365 AND last_active_day > ?2 - 30),
  (SELECT COUNT(*) FROM member_totals WHERE merchant_id = ?1 AND last_purchase_day > ?2 - 90),
  (SELECT COUNT(*) FROM member_totals WHERE merchant_id = ?1 AND prev_purchase_day > ?2 - 90),
  (SELECT COUNT(*) FROM member_totals WHERE merchant_id = ?1 AND last_purchase_day > ?2 - 365),
  w.purchases, w.priced, w.revenue, w.visits, w.redemptions, l.issued, r.redeemed,
  COALESCE(p.points_liability, 0) + l.points, COALESCE(p.points_pending, 0) + l.pending,
  w.purchases + b.purchases_90d, w.priced + b.priced_90d, w.revenue + b.revenue_90d,
  w.revenue + b.revenue_365d, l.issued + b.issued_30d, r.redeemed + b.redeemed_30d, ?5
FROM (SELECT COALESCE(SUM(purchases), 0) AS purchases, COALESCE(SUM(priced), 0) AS priced,
             COALESCE(SUM(revenue_minor), 0) AS revenue, COALESCE(SUM(visits), 0) AS visits,
             COALESCE(SUM(redemptions), 0) AS redemptions
      FROM rollup_work WHERE merchant_id = ?1) w,
     (SELECT COALESCE(SUM(CASE WHEN reason IN ('earn', 'referral', 'birthday', 'bonus')
                                 OR (reason = 'adjust' AND points + pending > 0)
                               THEN points + pending ELSE 0 END), 0) AS issued,
             COALESCE(SUM(points), 0) AS points, COALESCE(SUM(pending), 0) AS pending
      FROM ledger_entries WHERE merchant_id = ?1 AND created_at >= ?3 AND created_at < ?4) l,
     (SELECT COALESCE(SUM(d.points), 0) AS redeemed
      FROM ledger_entries e JOIN redemptions d ON d.id = e.cause_id
      WHERE e.merchant_id = ?1 AND e.created_at >= ?3 AND e.created_at < ?4
        AND e.reason = 'redeem' AND d.status = 'confirmed') r,
     (SELECT COALESCE(SUM(CASE WHEN day > ?2 - 90 THEN purchases END), 0) AS purchases_90d,
             COALESCE(SUM(CASE WHEN day > ?2 - 90 THEN priced_purchases END), 0) AS priced_90d,
             COALESCE(SUM(CASE WHEN day > ?2 - 90 THEN revenue_minor END), 0) AS revenue_90d,
             COALESCE(SUM(revenue_minor), 0) AS revenue_365d,
             COALESCE(SUM(CASE WHEN day > ?2 - 30 THEN points_issued END), 0) AS issued_30d,
             COALESCE(SUM(CASE WHEN day > ?2 - 30 THEN points_redeemed END), 0) AS redeemed_30d
      FROM daily_metrics WHERE merchant_id = ?1 AND day > ?2 - 365 AND day < ?2) b
LEFT JOIN daily_metrics p ON p.merchant_id = ?1 AND p.day = ?2 - 1
WHERE EXISTS (SELECT 1 FROM rollup_state WHERE merchant_id = ?1 AND next_day = ?2)
ON CONFLICT DO NOTHING
