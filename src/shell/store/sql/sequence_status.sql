-- sequence_status
-- Last: the occasions batch ?1 took are done, or skipped with their reason; never taken again.
UPDATE sequence_runs
SET status = CASE WHEN skip_reason IS NULL THEN 'done' ELSE 'skipped' END
WHERE fired_by = ?1 AND status = 'pending'
