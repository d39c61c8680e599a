-- ?1 merchant_id, ?2 number, ?3 name
INSERT INTO locations (merchant_id, number, name) VALUES (?1, ?2, ?3)
