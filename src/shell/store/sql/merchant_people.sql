-- merchant_people
-- The people of merchant ?1 with their roles, owners first.
SELECT p.id, p.name, p.email, r.role, r.created_at FROM roles r JOIN people p ON p.id = r.person_id
WHERE r.merchant_id = ?1
ORDER BY CASE r.role WHEN 'owner' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, p.name
