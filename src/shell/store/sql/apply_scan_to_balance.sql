-- Adds scan ?1 to member ?2's materialised balance, if the scan was recorded by this batch.
UPDATE members
SET points = points + (SELECT points FROM scans WHERE id = ?1),
    stamps = stamps + (SELECT stamps FROM scans WHERE id = ?1)
WHERE id = ?2 AND EXISTS (SELECT 1 FROM scans WHERE id = ?1)
