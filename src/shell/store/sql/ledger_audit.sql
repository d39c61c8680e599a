-- Counts a merchant's rows and the members whose balance differs from the sum of their ledger.
-- ?1 merchant_id
SELECT
  (SELECT COUNT(*) FROM members WHERE merchant_id = ?1) AS members,
  (SELECT COUNT(*) FROM scans WHERE merchant_id = ?1) AS scans,
  (SELECT COUNT(*) FROM ledger_entries WHERE merchant_id = ?1) AS ledger_entries,
  (SELECT COUNT(*) FROM members m
   WHERE m.merchant_id = ?1
     AND (m.points <> (SELECT COALESCE(SUM(points), 0) FROM ledger_entries l WHERE l.member_id = m.id)
       OR m.stamps <> (SELECT COALESCE(SUM(stamps), 0) FROM ledger_entries l WHERE l.member_id = m.id))
  ) AS mismatched_balances
