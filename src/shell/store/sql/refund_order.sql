-- refund_order
-- Moves order ?2's refunded total from ?3 to ?4 for request ?5, only if nobody changed it since
-- it was read (a concurrent refund makes this write nothing) and this request recorded the
-- webhook ?6. ?7 now
UPDATE orders SET refunded_minor = ?4, request_id = ?5, updated_at = ?7
WHERE merchant_id = ?1 AND order_id = ?2 AND refunded_minor = ?3
  AND EXISTS (SELECT 1 FROM webhook_events WHERE merchant_id = ?1 AND webhook_id = ?6 AND request_id = ?5)
