-- update_merchant
-- ?1 merchant_id, ?2 name, ?3 branding JSON, ?4 time zone
UPDATE merchants SET name = ?2, branding = ?3, time_zone = ?4 WHERE id = ?1
