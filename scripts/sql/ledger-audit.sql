-- Members, across all merchants, whose materialised balance differs from the sum of their ledger.
SELECT COUNT(*) AS mismatched
FROM members m
WHERE m.points <> (SELECT COALESCE(SUM(points), 0) FROM ledger_entries l WHERE l.member_id = m.id)
   OR m.stamps <> (SELECT COALESCE(SUM(stamps), 0) FROM ledger_entries l WHERE l.member_id = m.id);
