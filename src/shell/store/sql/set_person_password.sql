-- set_person_password
-- Sets person ?1's password hash to ?2 at ?3.
UPDATE people SET password = ?2, updated_at = ?3 WHERE id = ?1
