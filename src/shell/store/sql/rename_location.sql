-- rename_location
-- ?1 merchant_id, ?2 number, ?3 name
UPDATE locations SET name = ?3 WHERE merchant_id = ?1 AND number = ?2
