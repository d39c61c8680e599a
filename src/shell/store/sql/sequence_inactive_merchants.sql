-- sequence_inactive_merchants
-- Merchants whose program in force has an enabled inactivity sequence.
SELECT p.merchant_id FROM programs p
WHERE p.version = (SELECT MAX(version) FROM programs x WHERE x.merchant_id = p.merchant_id)
  AND EXISTS (SELECT 1 FROM json_each(p.config, '$.sequences') s
              WHERE json_extract(s.value, '$.event') = 'inactive'
                AND json_extract(s.value, '$.enabled') = 1)
