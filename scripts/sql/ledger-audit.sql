-- Members, across all merchants, whose materialised balances differ from their ledger or lots
-- (one pass over each table, grouped by member).
SELECT COUNT(*) AS mismatched
FROM members m
LEFT JOIN (SELECT member_id, SUM(points) AS points, SUM(pending) AS pending, SUM(stamps) AS stamps,
                  SUM(cashback) AS cashback
           FROM ledger_entries GROUP BY member_id) l ON l.member_id = m.id
LEFT JOIN (SELECT member_id, SUM(CASE WHEN status = 'active' THEN remaining END) AS active,
                  SUM(CASE WHEN status = 'pending' THEN remaining END) AS pending
           FROM point_lots WHERE remaining > 0 GROUP BY member_id) p ON p.member_id = m.id
WHERE m.points - m.debt <> COALESCE(l.points, 0) OR m.pending_points <> COALESCE(l.pending, 0)
   OR m.stamps <> COALESCE(l.stamps, 0) OR m.cashback_minor <> COALESCE(l.cashback, 0)
   OR m.points <> COALESCE(p.active, 0) OR m.pending_points <> COALESCE(p.pending, 0);
