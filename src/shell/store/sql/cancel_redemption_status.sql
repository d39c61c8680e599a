-- cancel_redemption_status
-- Step 5 of 5: the redemption is cancelled. ?1 merchant, ?2 redemption, ?3 now
UPDATE redemptions SET status = 'cancelled', closed_at = ?3
WHERE id = ?2 AND merchant_id = ?1 AND status = 'confirmed'
  AND EXISTS (SELECT 1 FROM ledger_entries WHERE id = ?2 || ':cancel')
