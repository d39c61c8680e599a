-- referral_bonus_entry
-- Step 1 of 5 of paying a referral: the bonus entry of one side ('<referral>:<side>', so it is
-- written once), unless that member was erased or the side gets nothing.
-- The referral is ?2, or (if NULL) the one qualified by purchase ?4 of type ?3 at merchant ?1;
-- it must be approved, qualified and final at ?5 (now). ?6 side: 'referrer' or 'referee'.
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, note, created_at)
SELECT r.id || ':' || ?6, r.merchant_id, m.id, 'referral',
       CASE ?6 WHEN 'referrer' THEN r.referrer_points ELSE r.referee_points END, 0,
       CASE ?6 WHEN 'referrer' THEN r.referrer_stamps ELSE r.referee_stamps END, 0,
       'rule', r.id, r.program_version,
       CASE ?6 WHEN 'referrer' THEN 'for inviting a friend' ELSE 'for joining through an invitation' END,
       ?5
FROM referrals r
JOIN members m ON m.id = CASE ?6 WHEN 'referrer' THEN r.referrer_id ELSE r.referee_id END
              AND m.erased_at IS NULL
WHERE r.id = COALESCE(?2, (SELECT x.id FROM referrals x
                           WHERE x.merchant_id = ?1 AND x.cause_type = ?3 AND x.cause_id = ?4
                             AND x.progress = 'qualified' LIMIT 1))
  AND r.merchant_id = ?1 AND r.decision = 'ok' AND r.progress = 'qualified' AND r.final_at <= ?5
  AND CASE ?6 WHEN 'referrer'
        THEN r.referrer_points + r.referrer_stamps > 0 OR r.referrer_reward IS NOT NULL
        ELSE r.referee_points + r.referee_stamps > 0 OR r.referee_reward IS NOT NULL END
ON CONFLICT DO NOTHING
