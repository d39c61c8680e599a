-- insert_passkey
-- Adds passkey ?1 (public key ?3, count ?4, name ?5) to person ?2 at ?6, while they hold a role
-- and have fewer than ?7 passkeys.
INSERT INTO passkeys (id, person_id, public_key, sign_count, name, created_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6
WHERE EXISTS (SELECT 1 FROM roles WHERE person_id = ?2)
  AND (SELECT COUNT(*) FROM passkeys WHERE person_id = ?2) < ?7
ON CONFLICT (id) DO NOTHING
