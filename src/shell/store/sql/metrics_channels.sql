-- metrics_channels
-- Merchant ?1's scans, enrolments and conversions per channel over days ?2 to ?3.
SELECT channel, SUM(scans) AS scans, SUM(enrolments) AS enrolments,
       SUM(conversions) AS conversions
FROM daily_channels
WHERE merchant_id = ?1 AND day >= ?2 AND day <= ?3
GROUP BY channel
ORDER BY SUM(scans) + SUM(enrolments) DESC, channel
