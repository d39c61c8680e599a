-- erase_member_referrals
-- Forgets the device and network recorded when member ?1 of merchant ?2 joined through an
-- invitation (the referral's decision and reason stay: they hold no personal data).
UPDATE referrals SET device = NULL, network = NULL
WHERE merchant_id = ?2 AND (referee_id = ?1 OR referrer_id = ?1)
