-- console_session
-- Session ?1 at ?2, if still valid (not ended, seen within ?3 ms, started within ?4 ms) and its
-- person still holds the role it was started with at its merchant.
SELECT s.person_id, s.merchant_id, s.role, p.name, p.email, p.language
FROM console_sessions s
JOIN roles r ON r.person_id = s.person_id AND r.merchant_id = s.merchant_id AND r.role = s.role
JOIN people p ON p.id = s.person_id
WHERE s.id = ?1 AND s.ended_at IS NULL AND s.seen_at > ?2 - ?3 AND s.created_at > ?2 - ?4
