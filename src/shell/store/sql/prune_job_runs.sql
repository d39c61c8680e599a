-- Keeps 90 days of job history. ?1 cutoff
DELETE FROM job_runs WHERE started_at < ?1
