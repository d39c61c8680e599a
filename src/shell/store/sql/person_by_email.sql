-- person_by_email
-- The person with email ?1 (id, password hash) and the merchant they were given a role at first.
SELECT p.id, p.password,
       (SELECT merchant_id FROM roles WHERE person_id = p.id
        ORDER BY created_at, merchant_id LIMIT 1) AS merchant_id
FROM people p WHERE p.email = ?1
