-- set_pin
-- Sets person ?1's PIN hash ?3 at merchant ?2 at ?4, while they hold a role there.
INSERT INTO till_pins (person_id, merchant_id, pin_hash, set_at)
SELECT ?1, ?2, ?3, ?4
WHERE EXISTS (SELECT 1 FROM roles WHERE person_id = ?1 AND merchant_id = ?2)
ON CONFLICT (person_id, merchant_id) DO UPDATE SET pin_hash = excluded.pin_hash, set_at = excluded.set_at
