-- birthday_merchants
-- Merchants whose program in force gives birthday gifts.
SELECT p.merchant_id FROM programs p
WHERE p.version = (SELECT MAX(version) FROM programs x WHERE x.merchant_id = p.merchant_id)
  AND json_extract(p.config, '$.birthday.enabled') = 1
