-- birthday_entries
-- Step 2 of 6: the ledger entry of each grant this run made (merchant ?1, now ?2).
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, note, created_at)
SELECT g.id, g.merchant_id, g.member_id, 'birthday', g.points, 0, g.stamps, 0, 'rule', g.id,
       g.program_version, 'happy birthday', ?2
FROM birthday_grants g
WHERE g.merchant_id = ?1 AND g.created_at = ?2
ON CONFLICT DO NOTHING
