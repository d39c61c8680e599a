SELECT job, slot, cron, started_at, finished_at, summary FROM job_runs ORDER BY started_at DESC LIMIT 50
