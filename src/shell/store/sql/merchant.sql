-- ?1 merchant_id
SELECT id, name, branding, currency, time_zone, current_kid FROM merchants WHERE id = ?1
