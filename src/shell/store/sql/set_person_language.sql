-- set_person_language
-- Sets person ?1's language to ?2 at ?3.
UPDATE people SET language = ?2, updated_at = ?3 WHERE id = ?1
