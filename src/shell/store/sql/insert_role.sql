-- insert_role
-- Gives person ?1 role ?3 at merchant ?2 at ?4, if the person exists with email ?5 (the one
-- this batch just made).
INSERT INTO roles (person_id, merchant_id, role, created_at)
SELECT ?1, ?2, ?3, ?4
WHERE EXISTS (SELECT 1 FROM people WHERE id = ?1 AND email = ?5)
ON CONFLICT DO NOTHING
