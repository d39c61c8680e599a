-- clear_pin_tries
-- Forgets person ?2's wrong tries at till ?1 (they got in).
DELETE FROM till_pin_tries WHERE till_id = ?1 AND person_id = ?2
