-- prune_message_attempts
-- Forgets the delivery logs of messages that were sent or suppressed before ?1 (at most 5,000
-- messages a run; prune_messages then forgets them). Dead letters stay until re-sent.
DELETE FROM message_attempts WHERE message_id IN (
  SELECT id FROM outbox WHERE status IN ('sent', 'suppressed') AND created_at < ?1 LIMIT 5000)
