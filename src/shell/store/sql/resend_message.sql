-- resend_message
-- Puts dead (or suppressed) message ?2 of merchant ?1 back in the queue at ?3, with a new
-- horizon ?4. A sent message is never sent again.
UPDATE outbox SET status = 'pending', due_at = ?3, give_up_at = ?4, last_error = NULL,
  lease = NULL, leased_until = 0
WHERE merchant_id = ?1 AND id = ?2 AND status IN ('dead', 'suppressed')
