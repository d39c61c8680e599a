-- erase_member
-- Removes who member ?1 of merchant ?2 is (name, contact details, birthday, consent), once, at
-- ?3. Balances, the ledger and the scans stay: they hold no personal data and feed the metrics.
-- The matching keys and the device go too (an erased member's invitation link stops working:
-- the link lookup skips erased members).
UPDATE members
SET name = 'Erased member', email = NULL, phone = NULL, birthday = NULL, marketing_consent = 0,
    email_key = NULL, phone_key = NULL, device = NULL, erased_at = ?3
WHERE id = ?1 AND merchant_id = ?2 AND erased_at IS NULL
