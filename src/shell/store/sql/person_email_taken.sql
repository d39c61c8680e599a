-- person_email_taken
-- Whether email ?1 already belongs to a person.
SELECT EXISTS (SELECT 1 FROM people WHERE email = ?1) AS taken
