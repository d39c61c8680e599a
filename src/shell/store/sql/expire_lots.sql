-- expire_lots
-- Step 2 of 5: one 'expire' entry per listed lot, id '<lot>:expire:<points expired before>', so
-- a lot refilled by a cancel can expire again. ?1 now
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, created_at)
SELECT l.id || ':expire:' || l.expired, l.merchant_id, l.member_id, 'expire', -l.remaining, 0, 0, 0,
       'lot', l.id, COALESCE((SELECT program_version FROM ledger_entries WHERE id = l.id), 1), ?1
FROM point_lots l
WHERE l.id IN (SELECT lot_id FROM expiring_lots) AND l.status = 'active' AND l.remaining > 0
ON CONFLICT DO NOTHING
