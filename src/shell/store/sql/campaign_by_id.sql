-- campaign_by_id
-- Campaign ?2 of merchant ?1.
SELECT id, name, segment, definition, status, created_at, launched_at, scheduled_at
FROM campaigns WHERE merchant_id = ?1 AND id = ?2
