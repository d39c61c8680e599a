-- till_lock
-- Signs whoever is at till ?1 out (the till stays paired).
UPDATE tills SET person_id = NULL, person_seen_at = NULL WHERE id = ?1
