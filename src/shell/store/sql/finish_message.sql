-- finish_message
-- Ends lease ?2 on message ?1 at ?6: status ?3 (sent, dead, suppressed, or pending again),
-- next due ?4, last error ?5; ?7 is 1 when an attempt was made (counted); the channel ?8 and
-- why it was chosen ?9 (kept from before when NULL).
UPDATE outbox SET status = ?3, due_at = ?4, last_error = ?5, attempts = attempts + ?7,
  sent_at = CASE WHEN ?3 = 'sent' THEN ?6 END, lease = NULL, leased_until = 0,
  channel = COALESCE(?8, channel), channel_note = COALESCE(?9, channel_note)
WHERE id = ?1 AND lease = ?2 AND status = 'pending'
