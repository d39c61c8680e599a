-- Adds the next program version. ?1 merchant_id, ?2 config JSON, ?3 now
INSERT INTO programs (merchant_id, version, config, created_at)
SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3 FROM programs WHERE merchant_id = ?1
