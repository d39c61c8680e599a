-- rollup_fold
-- Day ?2 of merchant ?1, if it is the next to roll: folds the worklist into the members' running
-- totals (the SET expressions read the values before the update).
UPDATE member_totals AS t SET
  first_purchase_day = CASE WHEN w.purchases > 0 THEN COALESCE(t.first_purchase_day, ?2)
                            ELSE t.first_purchase_day END,
  prev_purchase_day = CASE WHEN w.purchases >= 2 THEN ?2
                           WHEN w.purchases = 1 THEN t.last_purchase_day
                           ELSE t.prev_purchase_day END,
  last_purchase_day = CASE WHEN w.purchases > 0 THEN ?2 ELSE t.last_purchase_day END,
  last_transaction_day = CASE WHEN w.purchases + w.visits > 0 THEN ?2
                              ELSE t.last_transaction_day END,
  last_active_day = ?2,
  purchases = t.purchases + w.purchases,
  transactions = t.transactions + w.purchases + w.visits,
  revenue_minor = t.revenue_minor + w.revenue_minor
FROM rollup_work w
WHERE w.merchant_id = ?1 AND t.member_id = w.member_id
  AND EXISTS (SELECT 1 FROM rollup_state WHERE merchant_id = ?1 AND next_day = ?2)
