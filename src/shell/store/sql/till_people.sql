-- till_people
-- The people of merchant ?1 who can sign in at its tills: a role there and a PIN.
SELECT p.id, p.name FROM till_pins tp
JOIN roles r ON r.person_id = tp.person_id AND r.merchant_id = tp.merchant_id
JOIN people p ON p.id = tp.person_id
WHERE tp.merchant_id = ?1
ORDER BY p.name, p.id
