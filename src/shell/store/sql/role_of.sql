-- role_of
-- Person ?2's role at merchant ?1.
SELECT role FROM roles WHERE merchant_id = ?1 AND person_id = ?2
