-- ?1 merchant_id, ?2 kid, ?3 now
INSERT INTO scan_keys (merchant_id, kid, created_at) VALUES (?1, ?2, ?3)
