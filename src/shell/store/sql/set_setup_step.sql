-- set_setup_step
-- Marks step ?2 of merchant ?1 done or skipped (?3), keeping ?4 as its choice; a step once done
-- stays done when it is later skipped (skipping a finished step changes nothing).
INSERT INTO setup_steps (merchant_id, step, status, choice, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (merchant_id, step) DO UPDATE SET
  status = CASE WHEN excluded.status = 'skipped' AND setup_steps.status = 'done' THEN 'done' ELSE excluded.status END,
  choice = coalesce(excluded.choice, setup_steps.choice),
  updated_at = excluded.updated_at
