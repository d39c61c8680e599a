-- scan_reversal
-- Scan ?1 of merchant ?2 and its reversal entry, if any.
SELECT s.id AS scan_id, s.member_id, s.reversed_at, e.points, e.pending, e.stamps, e.note
FROM scans s LEFT JOIN ledger_entries e ON e.cause_id = s.id AND e.reason = 'reverse'
WHERE s.id = ?1 AND s.merchant_id = ?2
