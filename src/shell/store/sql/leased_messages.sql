-- leased_messages
-- The messages sender ?1 holds, with what rendering needs of their member and the member's
-- newest push subscription (endpoint, p256dh, auth), if any.
SELECT o.id, o.member_id, o.kind, o.class, o.payload, o.attempts,
       COALESCE(o.give_up_at, o.created_at + ?2) AS give_up_at,
       m.name, m.email, m.phone, m.marketing_consent, m.preferred_channel, m.language,
       m.points, m.stamps, m.tier, m.erased_at, m.channel_opt_out,
       p.id AS push_id, p.endpoint AS push_endpoint, p.p256dh AS push_p256dh, p.auth AS push_auth
FROM outbox o JOIN members m ON m.id = o.member_id
LEFT JOIN push_subscriptions p ON p.id = (
  SELECT id FROM push_subscriptions WHERE member_id = m.id ORDER BY created_at DESC LIMIT 1)
WHERE o.lease = ?1 AND o.status = 'pending'
ORDER BY o.due_at
