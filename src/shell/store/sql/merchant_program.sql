-- The current (highest) program version. ?1 merchant_id
SELECT version, config FROM programs WHERE merchant_id = ?1 ORDER BY version DESC LIMIT 1
