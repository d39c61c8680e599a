-- reset_end_sessions
-- Ends at ?2 every session of the person of reset link ?1, if this batch (token ?3) used it.
UPDATE console_sessions SET ended_at = ?2
WHERE ended_at IS NULL
  AND person_id = (SELECT person_id FROM password_resets WHERE id = ?1 AND use_token = ?3)
