-- Claims a job's time slot; a second or overlapping run of the same slot inserts nothing.
-- ?1 job, ?2 slot, ?3 cron, ?4 now
INSERT INTO job_runs (job, slot, cron, started_at) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (job, slot) DO NOTHING
