-- expire_lots_members
-- Step 2 of 3: the members' balances (same predicate as expire_lots). ?1 now, ?2 at most this many lots
UPDATE members
SET points = points - (
  SELECT SUM(l.remaining) FROM point_lots l
  WHERE l.member_id = members.id AND l.status = 'active' AND l.remaining > 0
    AND l.id IN (SELECT id FROM (
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
             ORDER BY d.id LIMIT ?2)))
WHERE id IN (
  SELECT l.member_id FROM point_lots l
  WHERE l.status = 'active' AND l.remaining > 0
    AND l.id IN (SELECT id FROM (
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
             ORDER BY d.id LIMIT ?2)))
