-- confirm_code_cashback
-- Credits the cashback of the code confirmed by this batch (its entry exists, its status not yet moved).
-- ?1 merchant, ?2 code, ?3 now
UPDATE members
SET cashback_minor = cashback_minor + (
      SELECT r.cashback FROM redemptions r
      WHERE r.merchant_id = ?1 AND r.code = ?2 AND r.status = 'reserved' AND r.expires_at > ?3),
    last_activity_at = ?3
WHERE id = (SELECT r.member_id FROM redemptions r
            WHERE r.merchant_id = ?1 AND r.code = ?2 AND r.status = 'reserved' AND r.expires_at > ?3
              AND EXISTS (SELECT 1 FROM ledger_entries WHERE id = r.id || ':redeem'))
