-- add_location
-- Adds location ?2 to merchant ?1 with the next free number, up to 255.
INSERT INTO locations (merchant_id, number, name)
SELECT ?1, COALESCE(MAX(number), 0) + 1, ?2 FROM locations WHERE merchant_id = ?1
HAVING COALESCE(MAX(number), 0) < 255
