-- referral_rewarded
-- Step 5 of 5: the referral is paid, once every gift it owes a (not erased) member exists.
-- The referral is ?2, or (if NULL) the one qualified by purchase ?4 of type ?3 at merchant ?1;
-- it must be approved, qualified and final at ?5 (now).
UPDATE referrals AS r SET progress = 'rewarded', rewarded_at = ?5
WHERE r.id = COALESCE(?2, (SELECT x.id FROM referrals x
                           WHERE x.merchant_id = ?1 AND x.cause_type = ?3 AND x.cause_id = ?4
                             AND x.progress = 'qualified' LIMIT 1))
  AND r.merchant_id = ?1 AND r.decision = 'ok' AND r.progress = 'qualified' AND r.final_at <= ?5
  AND NOT EXISTS (
    SELECT 1 FROM (SELECT 'referrer' AS side, r.referrer_id AS member, r.referrer_reward AS reward
                   UNION ALL
                   SELECT 'referee', r.referee_id, r.referee_reward) s
    JOIN members m ON m.id = s.member AND m.erased_at IS NULL
    JOIN rewards w ON w.id = s.reward AND w.merchant_id = r.merchant_id
    WHERE NOT EXISTS (SELECT 1 FROM redemptions g WHERE g.id = r.id || ':' || s.side || ':gift'))
