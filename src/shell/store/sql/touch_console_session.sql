-- touch_console_session
-- Marks session ?1 seen at ?2 (at most once a minute: most requests write nothing), if it is
-- still valid: not ended, seen within ?3 ms, started within ?4 ms.
UPDATE console_sessions SET seen_at = ?2
WHERE id = ?1 AND ended_at IS NULL AND seen_at > ?2 - ?3 AND created_at > ?2 - ?4
  AND seen_at < ?2 - 60000
