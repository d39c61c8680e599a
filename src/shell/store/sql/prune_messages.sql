-- prune_messages
-- Forgets messages that were sent or suppressed and created before ?1, up to 5,000 a run, once
-- their logs are gone. Dead letters stay: the merchant's list of failures to re-send.
DELETE FROM outbox WHERE id IN (
  SELECT o.id FROM outbox o
  WHERE o.status IN ('sent', 'suppressed') AND o.created_at < ?1
    AND NOT EXISTS (SELECT 1 FROM message_attempts a WHERE a.message_id = o.id)
  LIMIT 5000)
