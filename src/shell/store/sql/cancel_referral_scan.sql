-- cancel_referral_scan
-- Reversing scan ?2 of merchant ?1 (by this batch, at ?3) cancels the bonus it was about to earn.
UPDATE referrals SET progress = 'cancelled', closed_at = ?3
WHERE merchant_id = ?1 AND cause_type = 'scan' AND cause_id = ?2 AND progress = 'qualified'
  AND EXISTS (SELECT 1 FROM scans WHERE id = ?2 AND merchant_id = ?1 AND reversed_at = ?3)
