-- campaign_audience_all
-- Merchant ?1's members who agreed to marketing and are not erased, by id after ?2, at most ?3.
SELECT id FROM members
WHERE merchant_id = ?1 AND erased_at IS NULL AND marketing_consent = 1 AND id > ?2
ORDER BY id LIMIT ?3
