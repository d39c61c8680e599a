-- sequence_lots
-- Step 3 of 6: a spendable lot for each gift of points batch ?1 fired at ?2, paying off debt
-- first; ?3 expires_at or NULL.
INSERT INTO point_lots (id, merchant_id, member_id, status, earned, remaining, earned_at,
                        available_at, expires_at, source_id)
SELECT e.id, e.merchant_id, e.member_id, 'active', e.points, e.points - MIN(m.debt, e.points),
       ?2, ?2, ?3, e.id
FROM sequence_runs g
JOIN ledger_entries e ON e.id = g.id AND e.created_at = ?2
JOIN members m ON m.id = e.member_id
WHERE g.fired_by = ?1 AND g.skip_reason IS NULL AND e.points > 0
