-- member_referrals
-- Member ?1's invitation code and what came of it (merchant ?2).
SELECT l.code, l.opened,
       COALESCE(SUM(x.joined), 0) AS joined,
       COALESCE(SUM(x.progress IN ('qualified', 'rewarded')), 0) AS converted,
       COALESCE(SUM(x.progress = 'rewarded'), 0) AS rewarded,
       COALESCE(SUM(x.decision IN ('blocked', 'rejected')), 0) AS blocked,
       COALESCE(SUM(x.decision = 'held'), 0) AS held
FROM referral_links l LEFT JOIN referrals x ON x.referrer_id = l.member_id
WHERE l.member_id = ?1 AND l.merchant_id = ?2
GROUP BY l.member_id
