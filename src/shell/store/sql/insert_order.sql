-- insert_order
-- Records order ?2 of merchant ?1 once (a retried or re-signed purchase finds its order id and
-- inserts nothing), only if this request (?6) recorded the webhook (?7). The member is looked up
-- by ?3 kind ('id', 'email', 'phone') and ?4 value, the oldest match winning; no match records
-- the order unmatched, with no points. ?5 amount, ?8 points, ?9 earn entry id, ?10 now,
-- ?11 earn rate per tier level in percent (JSON array, '[]': none), applied at the member's level
INSERT INTO orders (merchant_id, order_id, member_id, amount_minor, points, entry_id, request_id,
                    webhook_id, created_at, updated_at)
SELECT ?1, ?2, m.id, ?5,
       CASE WHEN m.id IS NULL THEN 0
            ELSE ?8 * COALESCE(json_extract(?11, '$[' || m.tier || ']'), 100) / 100 END,
       CASE WHEN m.id IS NULL OR ?8 = 0 THEN NULL ELSE ?9 END, ?6, ?7, ?10, ?10
FROM (SELECT 1)
LEFT JOIN (SELECT id, tier FROM members
           WHERE merchant_id = ?1
             AND ((?3 = 'id' AND id = ?4) OR (?3 = 'email' AND email = ?4)
                  OR (?3 = 'phone' AND phone = ?4))
           ORDER BY created_at LIMIT 1) m
WHERE EXISTS (SELECT 1 FROM webhook_events WHERE merchant_id = ?1 AND webhook_id = ?7 AND request_id = ?6)
ON CONFLICT DO NOTHING
