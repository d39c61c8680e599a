-- ?1 job, ?2 slot, ?3 now, ?4 summary
UPDATE job_runs SET finished_at = ?3, summary = ?4 WHERE job = ?1 AND slot = ?2
