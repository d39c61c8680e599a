-- order_outcome
-- Order ?2 of merchant ?1 as it stands, whether request ?3 changed it, and whether webhook ?4
-- is on record (by this request or an earlier one).
SELECT o.order_id, o.member_id, o.amount_minor, o.points, o.refunded_minor, o.entry_id,
       o.request_id = ?3 AS changed_now, o.created_at, o.updated_at,
       (SELECT COUNT(*) FROM webhook_events WHERE merchant_id = ?1 AND webhook_id = ?4) AS webhook_recorded,
       (SELECT json_group_array(json_object('id', x.redemption_id, 'status', d.status))
        FROM order_redemptions x JOIN redemptions d ON d.id = x.redemption_id
        WHERE x.merchant_id = ?1 AND x.order_id = ?2) AS linked
FROM orders o WHERE o.merchant_id = ?1 AND o.order_id = ?2
