-- campaign_audience_segment
-- Merchant ?1's members in RFM segment ?4 (as last scored) who agreed to marketing and are not
-- erased, by id after ?2, at most ?3.
SELECT t.member_id AS id FROM member_totals t
JOIN members m ON m.id = t.member_id AND m.erased_at IS NULL AND m.marketing_consent = 1
WHERE t.merchant_id = ?1 AND t.segment = ?4 AND t.member_id > ?2
ORDER BY t.member_id LIMIT ?3
