-- member_latest_entries
-- ?1 member_id, ?2 merchant_id, ?3 limit
SELECT id, reason, points, pending, stamps, cashback, note, cause_type, cause_id, program_version,
       created_at
FROM ledger_entries
WHERE member_id = ?1 AND merchant_id = ?2
ORDER BY created_at DESC, id DESC
LIMIT ?3
