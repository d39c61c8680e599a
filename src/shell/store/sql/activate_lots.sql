-- activate_lots
-- Step 1 of 3 of making every pending lot whose return window ended by ?1 spendable: one
-- 'activate' entry per lot moves its points from pending to spendable (debt is paid by the next
-- earn, not here). Steps 2-3 select the same lots; the status flips last.
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, created_at)
SELECT l.id || ':activate', l.merchant_id, l.member_id, 'activate', l.remaining, -l.remaining, 0, 0,
       'lot', l.id, COALESCE((SELECT program_version FROM ledger_entries WHERE id = l.id), 1), ?1
FROM point_lots l
WHERE l.status = 'pending' AND l.available_at <= ?1
ON CONFLICT DO NOTHING
