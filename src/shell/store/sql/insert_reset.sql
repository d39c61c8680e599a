-- insert_reset
-- Reset link ?1 (the hash of its secret) for person ?2, made by ?3 at ?4, working until ?5. With
-- a merchant ?6 (a link made in the console), only if the person holds a role there and at no
-- other merchant: a café never resets the password of someone who also works elsewhere.
INSERT INTO password_resets (id, person_id, made_by, created_at, expires_at)
SELECT ?1, ?2, ?3, ?4, ?5
WHERE EXISTS (SELECT 1 FROM people WHERE id = ?2)
  AND (?6 IS NULL
       OR (EXISTS (SELECT 1 FROM roles WHERE person_id = ?2 AND merchant_id = ?6)
           AND NOT EXISTS (SELECT 1 FROM roles WHERE person_id = ?2 AND merchant_id <> ?6)))
