-- update_campaign
-- Changes draft campaign ?2 of merchant ?1 (nothing once it is launched): ?3 name, ?4 segment,
-- ?5 definition JSON, ?6 when it goes by itself (NULL: by hand).
UPDATE campaigns SET name = ?3, segment = ?4, definition = ?5, scheduled_at = ?6
WHERE merchant_id = ?1 AND id = ?2 AND status = 'draft'
