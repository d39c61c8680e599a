-- rfm_score_work
-- Up to ?3 of merchant ?1's members not yet scored for day ?2: their RFM scores against the day's
-- cut points and their segment (new: joined in the last 30 days; no_activity: no purchase or
-- visit; high_value_loyal: recency >= 4 and frequency or monetary >= 4; at_risk: recency <= 2
-- and frequency or monetary >= 3; occasional: the rest), with the segment they had, into the
-- worklist.
INSERT INTO scoring_work (merchant_id, member_id, r, f, m, segment, was)
SELECT ?1, s.member_id, s.r, s.f, s.m,
  CASE WHEN s.created_day > ?2 - 30 THEN 'new'
       WHEN s.r IS NULL THEN 'no_activity'
       WHEN s.r >= 4 AND max(s.f, s.m) >= 4 THEN 'high_value_loyal'
       WHEN s.r <= 2 AND max(s.f, s.m) >= 3 THEN 'at_risk'
       ELSE 'occasional' END,
  s.segment
FROM (
  SELECT t.member_id, t.created_day, t.segment,
    CASE WHEN t.transactions > 0 THEN 1 + (t.last_transaction_day > h.r1)
      + (t.last_transaction_day > h.r2) + (t.last_transaction_day > h.r3)
      + (t.last_transaction_day > h.r4) END AS r,
    CASE WHEN t.transactions > 0 THEN 1 + (t.transactions > h.f1) + (t.transactions > h.f2)
      + (t.transactions > h.f3) + (t.transactions > h.f4) END AS f,
    CASE WHEN t.transactions > 0 THEN 1 + (t.revenue_minor > h.m1) + (t.revenue_minor > h.m2)
      + (t.revenue_minor > h.m3) + (t.revenue_minor > h.m4) END AS m
  FROM member_totals t
  JOIN rfm_thresholds h ON h.merchant_id = ?1 AND h.day = ?2
  WHERE t.merchant_id = ?1 AND t.scored_day < ?2
  LIMIT ?3
) s
