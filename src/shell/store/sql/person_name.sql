-- person_name
-- Person ?1's name and language (the reset message is written in it).
SELECT name, language FROM people WHERE id = ?1
