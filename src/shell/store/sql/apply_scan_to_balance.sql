-- apply_scan_to_balance
-- Adds scan ?1 to member ?2's materialised balance, if the scan was recorded by this batch:
-- pending points (?3 = 1) wait; active points pay off debt first. ?4 now (last activity).
-- Every right-hand side reads the row as it was before this statement.
UPDATE members
SET points = points + CASE WHEN ?3 = 1 THEN 0
                           ELSE MAX((SELECT points FROM scans WHERE id = ?1) - debt, 0) END,
    debt = CASE WHEN ?3 = 1 THEN debt
                ELSE MAX(debt - (SELECT points FROM scans WHERE id = ?1), 0) END,
    pending_points = pending_points + CASE WHEN ?3 = 1 THEN (SELECT points FROM scans WHERE id = ?1)
                                           ELSE 0 END,
    stamps = stamps + (SELECT stamps FROM scans WHERE id = ?1),
    last_activity_at = ?4
WHERE id = ?2 AND EXISTS (SELECT 1 FROM scans WHERE id = ?1)
