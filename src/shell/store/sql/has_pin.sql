-- has_pin
-- Whether person ?1 has a PIN at merchant ?2, and since when.
SELECT set_at FROM till_pins WHERE person_id = ?1 AND merchant_id = ?2
