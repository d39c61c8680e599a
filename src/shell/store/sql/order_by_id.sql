-- order_by_id
-- ?1 merchant, ?2 order id
SELECT order_id, member_id, amount_minor, points, refunded_minor, entry_id, 0 AS changed_now,
       created_at, updated_at, 0 AS webhook_recorded
FROM orders WHERE merchant_id = ?1 AND order_id = ?2
