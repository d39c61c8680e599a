-- insert_campaign
-- A draft campaign. ?1 id, ?2 merchant, ?3 name, ?4 segment, ?5 definition JSON, ?6 now,
-- ?7 when it goes by itself (NULL: when the owner sends it)
INSERT INTO campaigns (id, merchant_id, name, segment, definition, status, created_at, scheduled_at)
VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?7)
