-- referral_bonus_lot
-- Step 2 of 5: the lot of the side's bonus points written by this batch: spendable at once,
-- paying off any debt first. ?7 expires_at or NULL
-- The referral is ?2, or (if NULL) the one qualified by purchase ?4 of type ?3 at merchant ?1;
-- it must be approved, qualified and final at ?5 (now). ?6 side: 'referrer' or 'referee'.
INSERT INTO point_lots (id, merchant_id, member_id, status, earned, remaining, earned_at,
                        available_at, expires_at, source_id)
SELECT e.id, e.merchant_id, e.member_id, 'active', e.points, e.points - MIN(m.debt, e.points),
       ?5, ?5, ?7, e.id
FROM referrals r
JOIN ledger_entries e ON e.id = r.id || ':' || ?6 AND e.created_at = ?5
JOIN members m ON m.id = e.member_id
WHERE r.id = COALESCE(?2, (SELECT x.id FROM referrals x
                           WHERE x.merchant_id = ?1 AND x.cause_type = ?3 AND x.cause_id = ?4
                             AND x.progress = 'qualified' LIMIT 1))
  AND r.merchant_id = ?1 AND r.decision = 'ok' AND r.progress = 'qualified' AND r.final_at <= ?5
  AND e.points > 0
