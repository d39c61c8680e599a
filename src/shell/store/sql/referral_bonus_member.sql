-- referral_bonus_member
-- Step 3 of 5: the side's balances, for the entry this batch wrote.
-- The referral is ?2, or (if NULL) the one qualified by purchase ?4 of type ?3 at merchant ?1;
-- it must be approved, qualified and final at ?5 (now). ?6 side: 'referrer' or 'referee'.
WITH b AS (
  SELECT e.member_id, e.points, e.stamps
  FROM referrals r JOIN ledger_entries e ON e.id = r.id || ':' || ?6 AND e.created_at = ?5
  WHERE r.id = COALESCE(?2, (SELECT x.id FROM referrals x
                           WHERE x.merchant_id = ?1 AND x.cause_type = ?3 AND x.cause_id = ?4
                             AND x.progress = 'qualified' LIMIT 1))
  AND r.merchant_id = ?1 AND r.decision = 'ok' AND r.progress = 'qualified' AND r.final_at <= ?5
)
UPDATE members
SET points = points + MAX((SELECT points FROM b) - debt, 0),
    debt = MAX(debt - (SELECT points FROM b), 0),
    stamps = stamps + (SELECT stamps FROM b)
WHERE id = (SELECT member_id FROM b)
