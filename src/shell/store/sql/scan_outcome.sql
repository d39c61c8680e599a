-- Reads back how the batch ended: the member's balance, whether scan ?1 was recorded, who used
-- nonce ?4 if it was already used, and the member's last poster visit (for the cooldown message).
-- No row: the member does not exist for this merchant (a stale cookie).
SELECT m.name, m.points, m.stamps, m.created_at,
       EXISTS (SELECT 1 FROM scans WHERE id = ?1) AS credited,
       (SELECT member_id FROM scans WHERE merchant_id = ?3 AND nonce = ?4 AND kind <> 'visit') AS used_by,
       (SELECT MAX(created_at) FROM scans WHERE member_id = ?2 AND kind = 'visit') AS last_visit_at
FROM members m
WHERE m.id = ?2 AND m.merchant_id = ?3
