-- console_messages
-- Merchant ?1's newest ?2 messages for the console's delivery log, with the member's name.
SELECT o.id, o.kind, o.status, o.created_at, o.last_error,
       o.channel, o.channel_note, o.opened_at, o.clicked_at, m.name AS member_name
FROM outbox o JOIN members m ON m.id = o.member_id
WHERE o.merchant_id = ?1
ORDER BY o.created_at DESC, o.id DESC
LIMIT ?2
