-- count_referral_open
-- Counts one opening of invitation ?1 (by a browser that had not opened it before).
UPDATE referral_links SET opened = opened + 1 WHERE code = ?1
