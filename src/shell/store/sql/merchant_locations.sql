-- ?1 merchant_id
SELECT number, name FROM locations WHERE merchant_id = ?1 ORDER BY number
