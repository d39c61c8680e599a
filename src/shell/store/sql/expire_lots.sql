-- expire_lots
-- Step 1 of 3 of expiring every lot due at ?1: past its own expiry, or (under the inactivity
-- policy of the merchant's current program) its member inactive too long. One 'expire' entry per
-- lot, id '<lot>:expire:<points expired before>', so a lot refilled by a cancel can expire again.
-- Steps 2-3 select the same lots (the same predicate); the lots are emptied last. The due lots
-- are found through two indexes (lots_expiring, lots_open), never by scanning every lot, and at
-- most ?2 of each reason (soonest first, read in index order) are expired per batch: the job
-- repeats the batch, and a backlog beyond its limit resumes the next hour.
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, created_at)
SELECT l.id || ':expire:' || l.expired, l.merchant_id, l.member_id, 'expire', -l.remaining, 0, 0, 0,
       'lot', l.id, COALESCE((SELECT program_version FROM ledger_entries WHERE id = l.id), 1), ?1
FROM point_lots l
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
             ORDER BY d.id LIMIT ?2))
ON CONFLICT DO NOTHING
