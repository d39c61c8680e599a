-- forget_unapplied_webhook
-- If request ?3's guarded refund of order ?4 wrote nothing (a concurrent refund got there first),
-- forget webhook ?2 again so the sender's retry is applied rather than taken for a duplicate.
DELETE FROM webhook_events
WHERE merchant_id = ?1 AND webhook_id = ?2 AND request_id = ?3
  AND NOT EXISTS (SELECT 1 FROM orders WHERE merchant_id = ?1 AND order_id = ?4 AND request_id = ?3)
