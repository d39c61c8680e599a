-- insert_named_api_key
-- ?1 id, ?2 merchant_id, ?3 secret_hash, ?4 scope, ?5 now, ?6 name, ?7 location, ?8 last4
INSERT INTO api_keys (id, merchant_id, secret_hash, scope, created_at, name, location, last4)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
