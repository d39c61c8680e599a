-- merchant_referral_stats
-- Merchant ?1's referral figures.
SELECT (SELECT COALESCE(SUM(opened), 0) FROM referral_links WHERE merchant_id = ?1) AS opened,
       COALESCE(SUM(joined), 0) AS joined,
       COALESCE(SUM(progress IN ('qualified', 'rewarded')), 0) AS converted,
       COALESCE(SUM(progress = 'rewarded'), 0) AS rewarded,
       COALESCE(SUM(decision IN ('blocked', 'rejected')), 0) AS blocked,
       COALESCE(SUM(decision = 'held'), 0) AS held,
       COALESCE(SUM(progress = 'cancelled'), 0) AS cancelled
FROM referrals WHERE merchant_id = ?1
