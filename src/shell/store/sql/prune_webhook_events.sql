-- prune_webhook_events
-- Forgets webhook ids received before ?1 (kept 76 hours, past the senders' retry horizon).
DELETE FROM webhook_events WHERE received_at < ?1
