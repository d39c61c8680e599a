-- rfm_score
-- Writes merchant ?1's scoring worklist for day ?2 into the members' totals.
UPDATE member_totals AS t
SET r = w.r, f = w.f, m = w.m, segment = w.segment, scored_day = ?2
FROM scoring_work w
WHERE w.merchant_id = ?1 AND t.member_id = w.member_id
