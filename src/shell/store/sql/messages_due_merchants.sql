-- messages_due_merchants
-- Merchants with an endpoint and a message due at ?1 that nobody is sending (at most ?2).
SELECT g.merchant_id FROM messaging g
WHERE g.endpoint_url IS NOT NULL
  AND EXISTS (SELECT 1 FROM outbox o
              WHERE o.merchant_id = g.merchant_id AND o.status = 'pending' AND o.due_at <= ?1
                AND o.leased_until <= ?1)
LIMIT ?2
