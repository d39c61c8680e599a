-- messages_due_merchants
-- Merchants that send by some channel and have a message due at ?1 that nobody is sending (at most ?2).
SELECT g.merchant_id FROM messaging g
WHERE g.active = 1
  AND EXISTS (SELECT 1 FROM outbox o
              WHERE o.merchant_id = g.merchant_id AND o.status = 'pending' AND o.due_at <= ?1
                AND o.leased_until <= ?1)
LIMIT ?2
