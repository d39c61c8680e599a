-- lease_messages
-- Sender ?3 takes up to ?4 of merchant ?1's messages due at ?2 that nobody holds, oldest due
-- first, for ?5 ms. Only the sender whose lease is on a message sends it.
UPDATE outbox SET lease = ?3, leased_until = ?2 + ?5
WHERE id IN (SELECT id FROM outbox
             WHERE merchant_id = ?1 AND status = 'pending' AND due_at <= ?2 AND leased_until <= ?2
             ORDER BY due_at LIMIT ?4)
  AND status = 'pending' AND leased_until <= ?2
