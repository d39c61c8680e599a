-- list_referrals
-- Merchant ?1's referrals, newest first, only decision ?2 if given, older than cursor ?3
-- (created_at) and ?4 (id) if given, only referral ?6 if given, at most ?5.
SELECT x.id, x.decision, x.reason, x.progress, x.joined,
       x.referrer_id, r.name AS referrer_name, x.referee_id, f.name AS referee_name,
       x.referrer_points, x.referrer_stamps, x.referrer_reward,
       x.referee_points, x.referee_stamps, x.referee_reward, x.min_purchase_minor,
       x.cause_type, x.cause_id, x.qualified_at, x.final_at, x.rewarded_at, x.closed_at,
       x.reviewed_by, x.reviewed_at, x.created_at
FROM referrals x
JOIN members r ON r.id = x.referrer_id
JOIN members f ON f.id = x.referee_id
WHERE x.merchant_id = ?1 AND (?2 IS NULL OR x.decision = ?2) AND (?6 IS NULL OR x.id = ?6)
  AND (?3 IS NULL OR x.created_at < ?3 OR (x.created_at = ?3 AND x.id < ?4))
ORDER BY x.created_at DESC, x.id DESC
LIMIT ?5
