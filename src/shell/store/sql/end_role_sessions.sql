-- end_role_sessions
-- Ends person ?2's sessions at merchant ?1 at ?3 that began with a role they no longer hold
-- there (right after their role changed or was taken away; a refused change ends nothing).
UPDATE console_sessions SET ended_at = ?3
WHERE merchant_id = ?1 AND person_id = ?2 AND ended_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM roles r
                  WHERE r.merchant_id = ?1 AND r.person_id = ?2 AND r.role = console_sessions.role)
