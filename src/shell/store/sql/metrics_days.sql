-- metrics_days
-- Merchant ?1's rolled-up days ?2 to ?3, oldest first.
SELECT day, members, new_members, active_30d, active_30d_before, new_active_30d,
       active_30d_year_before, new_active_365d, purchasers_90d, repeaters_90d, purchasers_365d,
       purchases, priced_purchases, revenue_minor, visits, redemptions, points_issued,
       points_redeemed, points_liability, points_pending, purchases_90d, priced_90d, revenue_90d,
       revenue_365d, issued_30d, redeemed_30d
FROM daily_metrics
WHERE merchant_id = ?1 AND day >= ?2 AND day <= ?3
ORDER BY day
