-- cancel_redemption_stock
-- Step 4 of 5: the reward's stock (a gift never took any). ?1 merchant, ?2 redemption
UPDATE rewards SET stock = stock + 1
WHERE stock IS NOT NULL
  AND id = (SELECT reward_id FROM redemptions WHERE id = ?2 AND merchant_id = ?1 AND status = 'confirmed'
              AND gift_of IS NULL)
  AND EXISTS (SELECT 1 FROM ledger_entries WHERE id = ?2 || ':cancel')
