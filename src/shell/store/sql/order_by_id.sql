-- order_by_id
-- ?1 merchant, ?2 order id
SELECT order_id, member_id, amount_minor, points, refunded_minor, entry_id, 0 AS changed_now,
       created_at, updated_at, 0 AS webhook_recorded,
       (SELECT json_group_array(json_object('id', x.redemption_id, 'status', d.status))
        FROM order_redemptions x JOIN redemptions d ON d.id = x.redemption_id
        WHERE x.merchant_id = ?1 AND x.order_id = ?2) AS linked
FROM orders WHERE merchant_id = ?1 AND order_id = ?2
