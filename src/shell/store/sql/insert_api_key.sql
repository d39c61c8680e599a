-- ?1 id, ?2 merchant_id, ?3 secret_hash, ?4 scope, ?5 now
INSERT INTO api_keys (id, merchant_id, secret_hash, scope, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
