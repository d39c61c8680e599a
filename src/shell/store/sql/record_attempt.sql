-- record_attempt
-- Logs an attempt at message ?1 by its lease holder ?2: at ?3, HTTP status ?4 (NULL: no
-- answer, or a channel without one), latency ?5 ms, error ?6, by channel ?7.
INSERT INTO message_attempts (message_id, attempt, at, http_status, latency_ms, error, channel)
SELECT id, attempts + 1, ?3, ?4, ?5, ?6, ?7 FROM outbox
WHERE id = ?1 AND lease = ?2 AND status = 'pending'
