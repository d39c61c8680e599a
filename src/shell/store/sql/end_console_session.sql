-- end_console_session
-- Ends person ?2's session whose id starts with ?1 (the list shows a prefix, never the id) at ?3.
UPDATE console_sessions SET ended_at = ?3
WHERE person_id = ?2 AND substr(id, 1, 16) = ?1 AND ended_at IS NULL
