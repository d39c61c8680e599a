-- Members, across all merchants, whose materialised balances differ from their ledger or lots.
SELECT COUNT(*) AS mismatched
FROM members m
WHERE m.points - m.debt <> (SELECT COALESCE(SUM(points), 0) FROM ledger_entries l WHERE l.member_id = m.id)
   OR m.pending_points <> (SELECT COALESCE(SUM(pending), 0) FROM ledger_entries l WHERE l.member_id = m.id)
   OR m.stamps <> (SELECT COALESCE(SUM(stamps), 0) FROM ledger_entries l WHERE l.member_id = m.id)
   OR m.cashback_minor <> (SELECT COALESCE(SUM(cashback), 0) FROM ledger_entries l WHERE l.member_id = m.id)
   OR m.points <> (SELECT COALESCE(SUM(remaining), 0) FROM point_lots p
                   WHERE p.member_id = m.id AND p.status = 'active')
   OR m.pending_points <> (SELECT COALESCE(SUM(remaining), 0) FROM point_lots p
                           WHERE p.member_id = m.id AND p.status = 'pending');
