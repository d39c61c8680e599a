-- person_name
-- Person ?1's name, language (the reset message is written in it) and email.
SELECT name, language, email FROM people WHERE id = ?1
