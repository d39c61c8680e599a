-- rfm_done
-- Records that merchant ?1's scoring for day ?2 finished (once every member is scored).
UPDATE rollup_state SET scored_day = ?2
WHERE merchant_id = ?1 AND (scored_day IS NULL OR scored_day < ?2)
  AND NOT EXISTS (SELECT 1 FROM member_totals WHERE merchant_id = ?1 AND scored_day < ?2)
