-- review_referral
-- The merchant's decision ?3 ('ok' or 'rejected') on held referral ?2 of merchant ?1, by key ?4
-- at ?5; a referral no longer held is left as it is.
UPDATE referrals SET decision = ?3, reviewed_by = ?4, reviewed_at = ?5
WHERE id = ?2 AND merchant_id = ?1 AND decision = 'held'
