-- qualify_referral_order
-- The same for order ?2 of merchant ?1 recorded by this request (?3) at ?5; final at ?4.
UPDATE referrals
SET progress = CASE WHEN (SELECT amount_minor FROM orders WHERE merchant_id = ?1 AND order_id = ?2)
                         >= min_purchase_minor THEN 'qualified' ELSE 'lapsed' END,
    cause_type = 'order', cause_id = ?2, qualified_at = ?5,
    final_at = CASE WHEN (SELECT amount_minor FROM orders WHERE merchant_id = ?1 AND order_id = ?2)
                         >= min_purchase_minor THEN ?4 END,
    closed_at = CASE WHEN (SELECT amount_minor FROM orders WHERE merchant_id = ?1 AND order_id = ?2)
                          >= min_purchase_minor THEN NULL ELSE ?5 END
WHERE referee_id = (SELECT member_id FROM orders
                    WHERE merchant_id = ?1 AND order_id = ?2 AND request_id = ?3 AND created_at = ?5)
  AND merchant_id = ?1 AND progress = 'joined' AND joined = 1 AND decision IN ('ok', 'held')
  AND (first_only = 1
       OR (SELECT amount_minor FROM orders WHERE merchant_id = ?1 AND order_id = ?2)
          >= min_purchase_minor)
