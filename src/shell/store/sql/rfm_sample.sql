-- rfm_sample
-- Merchant ?1's members with totals, and those with a purchase or visit (the RFM sample).
SELECT (SELECT COUNT(*) FROM member_totals WHERE merchant_id = ?1) AS members,
       (SELECT COUNT(*) FROM member_totals WHERE merchant_id = ?1 AND transactions > 0) AS scored
