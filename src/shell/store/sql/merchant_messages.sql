-- merchant_messages
-- Merchant ?1's messages with status ?2 (NULL: any), newest first, before cursor ?3
-- (created_at, id), at most ?4.
SELECT id, member_id, kind, class, status, attempts, created_at, due_at, sent_at, last_error
FROM outbox
WHERE merchant_id = ?1 AND (?2 IS NULL OR status = ?2)
  AND (?3 IS NULL OR created_at < json_extract(?3, '$[0]')
       OR (created_at = json_extract(?3, '$[0]') AND id < json_extract(?3, '$[1]')))
ORDER BY created_at DESC, id DESC
LIMIT ?4
