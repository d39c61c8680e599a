-- till_sign_in
-- Signs person ?2 in at till ?1 at ?3 until idle for ?4 ms.
UPDATE tills SET person_id = ?2, person_seen_at = ?3, idle_ms = ?4, seen_at = ?3
WHERE id = ?1 AND unpaired_at IS NULL
