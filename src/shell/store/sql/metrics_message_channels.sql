-- metrics_message_channels
-- Merchant ?1's messages per channel over days ?2 to ?3: attempted, accepted, failed, opened,
-- clicked, converted, and the typical time to the return (the daily medians, weighted by their
-- conversions).
SELECT channel, SUM(sent) AS sent, SUM(accepted) AS accepted, SUM(failed) AS failed,
       SUM(opened) AS opened, SUM(clicked) AS clicked, SUM(converted) AS converted,
       CAST(SUM(median_return_ms * converted) * 1.0
            / NULLIF(SUM(CASE WHEN median_return_ms IS NOT NULL THEN converted END), 0) AS INTEGER)
         AS typical_return_ms
FROM daily_message_channels
WHERE merchant_id = ?1 AND day >= ?2 AND day <= ?3
GROUP BY channel
ORDER BY channel
