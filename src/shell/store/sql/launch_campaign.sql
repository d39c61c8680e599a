-- launch_campaign
-- Launches draft campaign ?2 of merchant ?1 at ?3, once.
UPDATE campaigns SET status = 'launched', launched_at = ?3
WHERE merchant_id = ?1 AND id = ?2 AND status = 'draft'
