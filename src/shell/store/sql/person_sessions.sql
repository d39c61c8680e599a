-- person_sessions
-- Person ?1's sessions still valid at ?2 (seen within ?3 ms, started within ?4 ms), newest first.
SELECT id, device, created_at, seen_at FROM console_sessions
WHERE person_id = ?1 AND ended_at IS NULL AND seen_at > ?2 - ?3 AND created_at > ?2 - ?4
ORDER BY created_at DESC LIMIT 50
