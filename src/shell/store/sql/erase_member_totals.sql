-- erase_member_totals
-- Forgets erased member ?1's (merchant ?2) running totals and RFM scores; the merchant's daily
-- counts, which name nobody, stay.
DELETE FROM member_totals WHERE member_id = ?1 AND merchant_id = ?2
