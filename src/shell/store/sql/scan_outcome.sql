-- scan_outcome
-- Reads back how the batch ended: the member's balance, whether scan ?1 was recorded, who used
-- nonce ?4 if it was already used, the member's recent poster visits (to explain a refusal), and
-- what sequences gave in this batch (their occasions carry the scan id as `fired_by`).
-- ?1 scan id, ?2 member id, ?3 merchant id, ?4 nonce, ?5 now, ?6 rate bucket or NULL,
-- ?7 its window start, ?8 the start of the tier window
-- No row: the member does not exist for this merchant (a stale cookie).
SELECT m.name, m.points - m.debt AS points, m.pending_points, m.stamps, m.created_at,
       EXISTS (SELECT 1 FROM scans WHERE id = ?1) AS credited,
       (SELECT points FROM scans WHERE id = ?1) AS scan_points,
       m.tier, (SELECT to_tier FROM tier_changes WHERE id = ?1 || ':tier') AS new_tier,
       (SELECT COALESCE(SUM(points + pending), 0) FROM ledger_entries
        WHERE member_id = ?2 AND created_at >= ?8 AND reason IN ('earn', 'reverse')) AS tier_points,
       (SELECT member_id FROM scans WHERE merchant_id = ?3 AND nonce = ?4 AND kind <> 'visit') AS used_by,
       (SELECT MAX(created_at) FROM scans WHERE member_id = ?2 AND kind = 'visit') AS last_visit_at,
       (SELECT COUNT(*) FROM scans
        WHERE member_id = ?2 AND kind = 'visit' AND created_at > ?5 - 86400000) AS visits_last_day,
       (SELECT MIN(created_at) FROM scans
        WHERE member_id = ?2 AND kind = 'visit' AND created_at > ?5 - 86400000) AS first_visit_last_day,
       (SELECT hits FROM rate_windows WHERE bucket = ?6 AND window_start = ?7) AS ip_hits,
       (SELECT COALESCE(SUM(points), 0) FROM sequence_runs
        WHERE fired_by = ?1 AND status = 'done') AS bonus_points,
       (SELECT COALESCE(SUM(stamps), 0) FROM sequence_runs
        WHERE fired_by = ?1 AND status = 'done') AS bonus_stamps
FROM members m
WHERE m.id = ?2 AND m.merchant_id = ?3
