-- message_by_id
-- Message ?2 of merchant ?1 with its delivery log.
SELECT o.id, o.member_id, o.kind, o.class, o.status, o.attempts, o.payload, o.created_at,
       o.due_at, o.sent_at, o.last_error, COALESCE(o.give_up_at, o.created_at + ?3) AS give_up_at,
       (SELECT json_group_array(json_object('attempt', a.attempt, 'at', a.at,
                 'http_status', a.http_status, 'latency_ms', a.latency_ms, 'error', a.error))
        FROM (SELECT * FROM message_attempts WHERE message_id = o.id ORDER BY attempt) a)
         AS attempts_log
FROM outbox o WHERE o.merchant_id = ?1 AND o.id = ?2
