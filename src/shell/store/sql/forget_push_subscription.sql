-- forget_push_subscription
-- Deletes push subscription ?1 (its push service answered 404 or 410: it is gone).
DELETE FROM push_subscriptions WHERE id = ?1
