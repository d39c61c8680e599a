-- end_other_console_sessions
-- Ends every session of person ?1 but ?2 at ?3 (after a password change).
UPDATE console_sessions SET ended_at = ?3
WHERE person_id = ?1 AND id <> ?2 AND ended_at IS NULL
