-- cancel_referral_order
-- A refund by this request (?3, at ?4) that leaves order ?2 of merchant ?1 below the referral's
-- minimum (or empty) cancels the bonus the order was about to earn. A bonus already paid stays.
UPDATE referrals SET progress = 'cancelled', closed_at = ?4
WHERE merchant_id = ?1 AND cause_type = 'order' AND cause_id = ?2 AND progress = 'qualified'
  AND EXISTS (SELECT 1 FROM orders o
              WHERE o.merchant_id = ?1 AND o.order_id = ?2 AND o.request_id = ?3
                AND o.updated_at = ?4
                AND o.amount_minor - o.refunded_minor < MAX(referrals.min_purchase_minor, 1))
