-- console_message
-- Message ?2 of merchant ?1 for the console: the member, the channel and why, what it achieved,
-- and every attempt with its channel.
SELECT o.id, o.kind, o.status, o.created_at, o.last_error,
       o.channel, o.channel_note, o.opened_at, o.clicked_at, m.name AS member_name,
       (SELECT json_group_array(json_object('attempt', a.attempt, 'at', a.at, 'channel', a.channel,
                 'http_status', a.http_status, 'latency_ms', a.latency_ms, 'error', a.error))
        FROM (SELECT * FROM message_attempts WHERE message_id = o.id ORDER BY attempt) a)
         AS attempts_log
FROM outbox o JOIN members m ON m.id = o.member_id
WHERE o.merchant_id = ?1 AND o.id = ?2
