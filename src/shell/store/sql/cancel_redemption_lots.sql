-- cancel_redemption_lots
-- Step 2 of 5: the drawn points go back to their lots. ?1 merchant, ?2 redemption
UPDATE point_lots
SET remaining = remaining + (SELECT SUM(d.amount) FROM lot_draws d
                             WHERE d.lot_id = point_lots.id
                               AND d.entry_id IN (?2 || ':reserve', ?2 || ':redeem'))
WHERE id IN (SELECT lot_id FROM lot_draws WHERE entry_id IN (?2 || ':reserve', ?2 || ':redeem'))
  AND EXISTS (SELECT 1 FROM redemptions WHERE id = ?2 AND merchant_id = ?1 AND status = 'confirmed')
  AND EXISTS (SELECT 1 FROM ledger_entries WHERE id = ?2 || ':cancel')
