-- leased_messages
-- The messages sender ?1 holds, with what rendering needs of their member.
SELECT o.id, o.member_id, o.kind, o.class, o.payload, o.attempts,
       COALESCE(o.give_up_at, o.created_at + ?2) AS give_up_at,
       m.name, m.email, m.phone, m.marketing_consent, m.preferred_channel, m.language,
       m.points, m.stamps, m.tier, m.erased_at
FROM outbox o JOIN members m ON m.id = o.member_id
WHERE o.lease = ?1 AND o.status = 'pending'
ORDER BY o.due_at
