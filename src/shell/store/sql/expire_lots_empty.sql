-- expire_lots_empty
-- Step 3 of 3: the lots are emptied (same predicate as expire_lots). ?1 now, ?2 at most this many lots
UPDATE point_lots
SET expired = expired + remaining, remaining = 0
WHERE status = 'active' AND remaining > 0
  AND id IN (SELECT id FROM (
             SELECT d.id FROM point_lots d
             WHERE d.status = 'active' AND d.remaining > 0 AND d.expires_at IS NOT NULL
               AND d.expires_at <= ?1
             ORDER BY d.expires_at, d.id LIMIT ?2)
             UNION ALL
             SELECT id FROM (
             SELECT d.id FROM point_lots d
             WHERE d.status = 'active' AND d.remaining > 0 AND d.member_id IN (
               SELECT m.id FROM members m
               JOIN (SELECT p.merchant_id,
                            json_extract(p.config, '$.points_expiry.days') * 86400000 AS span
                     FROM programs p
                     WHERE json_extract(p.config, '$.points_expiry.policy') = 'inactivity'
                       AND p.version = (SELECT MAX(version) FROM programs x
                                        WHERE x.merchant_id = p.merchant_id)) q
                 ON m.merchant_id = q.merchant_id
               WHERE m.last_activity_at + q.span <= ?1)
             ORDER BY d.id LIMIT ?2))
