-- forget_member_push
-- Deletes every push subscription of member ?1 of merchant ?2 (notifications turned off).
DELETE FROM push_subscriptions WHERE member_id = ?1 AND merchant_id = ?2
