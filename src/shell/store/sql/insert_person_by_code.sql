-- insert_person_by_code
-- Like insert_person (person ?1, email ?2, name ?3, language ?4, password hash ?5, at ?6), only
-- while sign-up code ?7 still works at ?6; nothing when the email is taken. use_signup_code,
-- next in the batch, marks the code used by this person.
INSERT INTO people (id, email, name, language, password, created_at, updated_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6
WHERE EXISTS (SELECT 1 FROM signup_codes WHERE id = ?7 AND used_at IS NULL AND expires_at > ?6)
ON CONFLICT (email) DO NOTHING
