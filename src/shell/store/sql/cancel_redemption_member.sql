-- cancel_redemption_member
-- Step 3 of 5: the member's balances. ?1 merchant, ?2 redemption
UPDATE members
SET points = points + (SELECT points FROM redemptions WHERE id = ?2),
    stamps = stamps + (SELECT stamps FROM redemptions WHERE id = ?2),
    cashback_minor = cashback_minor - (SELECT cashback FROM redemptions WHERE id = ?2)
WHERE id = (SELECT member_id FROM redemptions WHERE id = ?2 AND merchant_id = ?1 AND status = 'confirmed')
  AND EXISTS (SELECT 1 FROM ledger_entries WHERE id = ?2 || ':cancel')
