-- campaign_audience_sizes
-- Merchant ?1's customers a campaign can reach (agreed to offers, not erased), per RFM segment
-- as last scored and in all ('all'); and every customer not erased ('customers').
SELECT t.segment AS segment, COUNT(*) AS n FROM member_totals t
JOIN members m ON m.id = t.member_id AND m.erased_at IS NULL AND m.marketing_consent = 1
WHERE t.merchant_id = ?1 AND t.segment IS NOT NULL
GROUP BY t.segment
UNION ALL
SELECT 'all', COUNT(*) FROM members
WHERE merchant_id = ?1 AND erased_at IS NULL AND marketing_consent = 1
UNION ALL
SELECT 'customers', COUNT(*) FROM members WHERE merchant_id = ?1 AND erased_at IS NULL
