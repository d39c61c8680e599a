-- person_passkeys
-- Person ?1's passkeys, newest first.
SELECT id, name, created_at, used_at FROM passkeys WHERE person_id = ?1 ORDER BY created_at DESC, id
