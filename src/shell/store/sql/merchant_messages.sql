-- merchant_messages
-- Merchant ?1's messages with status ?2 (NULL: any), newest first, after the row (?3 created_at,
-- ?4 id) of the previous page (?3 NULL: from the newest), at most ?5.
SELECT id, member_id, kind, class, status, attempts, created_at, due_at, sent_at, last_error
FROM outbox
WHERE merchant_id = ?1 AND (?2 IS NULL OR status = ?2)
  AND (?3 IS NULL OR created_at < ?3 OR (created_at = ?3 AND id < ?4))
ORDER BY created_at DESC, id DESC
LIMIT ?5
