-- ledger_mismatches
-- The members (at most 20) whose materialised balances disagree with their ledger (points less
-- debt, pending, stamps, cashback) or with their lots: both sides of each, to name in a report.
-- The same test as ledger_audit's mismatched_balances.
-- ?1 merchant_id
SELECT m.id AS member_id,
       m.points, m.debt, m.pending_points, m.stamps, m.cashback_minor,
       COALESCE(l.points, 0) AS ledger_points, COALESCE(l.pending, 0) AS ledger_pending,
       COALESCE(l.stamps, 0) AS ledger_stamps, COALESCE(l.cashback, 0) AS ledger_cashback,
       COALESCE(p.active, 0) AS lot_points, COALESCE(p.pending, 0) AS lot_pending
FROM members m
LEFT JOIN (SELECT member_id, SUM(points) AS points, SUM(pending) AS pending, SUM(stamps) AS stamps,
                  SUM(cashback) AS cashback
           FROM ledger_entries WHERE merchant_id = ?1 GROUP BY member_id) l ON l.member_id = m.id
LEFT JOIN (SELECT member_id, SUM(CASE WHEN status = 'active' THEN remaining END) AS active,
                  SUM(CASE WHEN status = 'pending' THEN remaining END) AS pending
           FROM point_lots WHERE merchant_id = ?1 AND remaining > 0 GROUP BY member_id) p ON p.member_id = m.id
WHERE m.merchant_id = ?1
  AND (m.points - m.debt <> COALESCE(l.points, 0) OR m.pending_points <> COALESCE(l.pending, 0)
    OR m.stamps <> COALESCE(l.stamps, 0) OR m.cashback_minor <> COALESCE(l.cashback, 0)
    OR m.points <> COALESCE(p.active, 0) OR m.pending_points <> COALESCE(p.pending, 0))
ORDER BY m.id
LIMIT 20;
