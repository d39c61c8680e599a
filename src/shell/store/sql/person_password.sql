-- person_password
-- Person ?1's password hash.
SELECT password FROM people WHERE id = ?1
