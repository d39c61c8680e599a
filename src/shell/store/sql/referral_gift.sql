-- referral_gift
-- Step 4 of 5: a reward given as the side's bonus becomes a code waiting at the counter for
-- the referral's gift_days, with the code ?7 (a code that is live already
-- inserts nothing, and the referral stays unpaid until the next try gives another).
-- The referral is ?2, or (if NULL) the one qualified by purchase ?4 of type ?3 at merchant ?1;
-- it must be approved, qualified and final at ?5 (now). ?6 side: 'referrer' or 'referee'.
INSERT INTO redemptions (id, merchant_id, member_id, reward_id, code, status, points, stamps,
                         cashback, created_at, expires_at, gift_of)
SELECT r.id || ':' || ?6 || ':gift', r.merchant_id, m.id, w.id, ?7, 'reserved', 0, 0,
       CASE WHEN w.kind = 'cashback' THEN w.value ELSE 0 END, ?5, ?5 + r.gift_days * 86400000, r.id
FROM referrals r
JOIN members m ON m.id = CASE ?6 WHEN 'referrer' THEN r.referrer_id ELSE r.referee_id END
              AND m.erased_at IS NULL
JOIN rewards w ON w.id = CASE ?6 WHEN 'referrer' THEN r.referrer_reward ELSE r.referee_reward END
              AND w.merchant_id = r.merchant_id
WHERE r.id = COALESCE(?2, (SELECT x.id FROM referrals x
                           WHERE x.merchant_id = ?1 AND x.cause_type = ?3 AND x.cause_id = ?4
                             AND x.progress = 'qualified' LIMIT 1))
  AND r.merchant_id = ?1 AND r.decision = 'ok' AND r.progress = 'qualified' AND r.final_at <= ?5
ON CONFLICT DO NOTHING
