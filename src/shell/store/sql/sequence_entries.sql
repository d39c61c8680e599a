-- sequence_entries
-- Step 2 of 6: the 'bonus' ledger entry of each gift of points or stamps batch ?1 fired at ?2.
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, note, created_at)
SELECT g.id, g.merchant_id, g.member_id, 'bonus', g.points, 0, g.stamps, 0, 'rule', g.id,
       g.program_version, replace(g.sequence, '_', ' '), ?2
FROM sequence_runs g
WHERE g.fired_by = ?1 AND g.skip_reason IS NULL AND (g.points > 0 OR g.stamps > 0)
ON CONFLICT DO NOTHING
