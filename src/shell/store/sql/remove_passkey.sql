-- remove_passkey
-- Removes person ?1's passkey whose id starts with ?2 (the page shows a prefix).
DELETE FROM passkeys WHERE person_id = ?1 AND substr(id, 1, 16) = ?2
