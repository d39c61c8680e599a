-- ?1 id, ?2 name, ?3 branding JSON, ?4 currency JSON, ?5 time_zone, ?6 now
INSERT INTO merchants (id, name, branding, currency, time_zone, current_kid, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)
