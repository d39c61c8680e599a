-- insert_console_session
-- Starts session ?1 (the hash of its secret) for person ?2 at merchant ?3 in the role they hold
-- there, from device ?4, at ?5; nothing if they hold no role there.
INSERT INTO console_sessions (id, person_id, merchant_id, role, device, created_at, seen_at)
SELECT ?1, r.person_id, r.merchant_id, r.role, ?4, ?5, ?5
FROM roles r WHERE r.person_id = ?2 AND r.merchant_id = ?3
