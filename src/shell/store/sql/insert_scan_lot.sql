-- insert_scan_lot
-- Makes the lot of scan ?1's points (same id as its ledger entry), if the scan was recorded by
-- this batch and earned points. An active lot first pays off any debt from an earlier reversal.
-- ?1 scan id, ?2 pending (0/1), ?3 available_at, ?4 expires_at (NULL: never)
INSERT INTO point_lots (id, merchant_id, member_id, status, earned, remaining, earned_at,
                        available_at, expires_at, source_id)
SELECT s.id, s.merchant_id, s.member_id, CASE WHEN ?2 = 1 THEN 'pending' ELSE 'active' END,
       s.points, CASE WHEN ?2 = 1 THEN s.points ELSE s.points - MIN(m.debt, s.points) END,
       s.created_at, ?3, ?4, s.id
FROM scans s JOIN members m ON m.id = s.member_id
WHERE s.id = ?1 AND s.points > 0
