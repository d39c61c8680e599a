-- confirm_code_status
-- Marks the code confirmed by this batch. ?1 merchant, ?2 code, ?3 now, ?4 actor
UPDATE redemptions SET status = 'confirmed', confirmed_at = ?3, actor = ?4
WHERE merchant_id = ?1 AND code = ?2 AND status = 'reserved' AND expires_at > ?3
  AND EXISTS (SELECT 1 FROM ledger_entries WHERE id = redemptions.id || ':redeem')
