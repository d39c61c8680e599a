-- rfm_latest
-- Merchant ?1's last finished scoring: its day, cut points and sample.
SELECT h.day, h.scored, h.r1, h.r2, h.r3, h.r4, h.f1, h.f2, h.f3, h.f4, h.m1, h.m2, h.m3, h.m4
FROM rollup_state s
JOIN rfm_thresholds h ON h.merchant_id = s.merchant_id AND h.day = s.scored_day
WHERE s.merchant_id = ?1
