-- ledger_entry_of
-- Whether ledger entry ?1 is member ?3 of merchant ?2's.
SELECT 1 AS found FROM ledger_entries WHERE id = ?1 AND merchant_id = ?2 AND member_id = ?3
