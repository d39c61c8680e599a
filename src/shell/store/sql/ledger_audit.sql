-- ledger_audit
-- Counts a merchant's rows and the members whose materialised balances disagree with their
-- ledger (points less debt, pending, stamps, cashback) or with their lots.
-- ?1 merchant_id
SELECT
  (SELECT COUNT(*) FROM members WHERE merchant_id = ?1) AS members,
  (SELECT COUNT(*) FROM scans WHERE merchant_id = ?1) AS scans,
  (SELECT COUNT(*) FROM ledger_entries WHERE merchant_id = ?1) AS ledger_entries,
  (SELECT COUNT(*) FROM ledger_entries
   WHERE merchant_id = ?1 AND reason = 'earn' AND cause_type = 'scan') AS earn_entries,
  (SELECT COUNT(*) FROM members m
   WHERE m.merchant_id = ?1
     AND (m.points - m.debt <> (SELECT COALESCE(SUM(points), 0) FROM ledger_entries l WHERE l.member_id = m.id)
       OR m.pending_points <> (SELECT COALESCE(SUM(pending), 0) FROM ledger_entries l WHERE l.member_id = m.id)
       OR m.stamps <> (SELECT COALESCE(SUM(stamps), 0) FROM ledger_entries l WHERE l.member_id = m.id)
       OR m.cashback_minor <> (SELECT COALESCE(SUM(cashback), 0) FROM ledger_entries l WHERE l.member_id = m.id)
       OR m.points <> (SELECT COALESCE(SUM(remaining), 0) FROM point_lots p
                       WHERE p.member_id = m.id AND p.status = 'active' AND p.remaining > 0)
       OR m.pending_points <> (SELECT COALESCE(SUM(remaining), 0) FROM point_lots p
                               WHERE p.member_id = m.id AND p.status = 'pending' AND p.remaining > 0))
  ) AS mismatched_balances
