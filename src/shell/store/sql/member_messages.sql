-- member_messages
-- Member ?2 of merchant ?1's newest ?3 messages, for their page in the console.
SELECT o.id, o.kind, o.status, o.created_at, o.last_error,
       o.channel, o.channel_note, o.opened_at, o.clicked_at, m.name AS member_name
FROM outbox o JOIN members m ON m.id = o.member_id
WHERE o.member_id = ?2 AND o.merchant_id = ?1
ORDER BY o.created_at DESC, o.id DESC
LIMIT ?3
