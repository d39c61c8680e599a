-- reset_person_by_email
-- The person with email ?1, for the operator's reset link: id, name and language.
SELECT id, name, language FROM people WHERE email = ?1
