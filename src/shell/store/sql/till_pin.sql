-- till_pin
-- Person ?1's PIN hash and name at merchant ?2, while they hold a role there.
SELECT tp.pin_hash, p.name FROM till_pins tp
JOIN roles r ON r.person_id = tp.person_id AND r.merchant_id = tp.merchant_id
JOIN people p ON p.id = tp.person_id
WHERE tp.person_id = ?1 AND tp.merchant_id = ?2
