-- reset_session
-- Starts session ?4 (the hash of its secret) from device ?5 at ?2 for the person of reset link
-- ?1, if this batch (token ?3) used it, at the merchant they were given a role at first, in that
-- role; nothing if they hold none.
INSERT INTO console_sessions (id, person_id, merchant_id, role, device, created_at, seen_at)
SELECT ?4, r.person_id, r.merchant_id, r.role, ?5, ?2, ?2
FROM roles r JOIN password_resets x ON x.person_id = r.person_id
WHERE x.id = ?1 AND x.use_token = ?3
ORDER BY r.created_at, r.merchant_id LIMIT 1
