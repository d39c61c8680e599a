-- pick_expiring_lots
-- Step 1 of 5 of expiring lots due at ?1: lists the lots this batch expires, at most ?2 of each
-- reason (soonest first, read in index order through lots_expiring and lots_open, never by
-- scanning every lot): past their own expiry, or (under the inactivity policy of the merchant's
-- current program) their member inactive too long. The job repeats the batch; a backlog beyond
-- its limit resumes the next hour. Steps 2-4 act on the list; step 5 empties it. (UNION:
-- a lot due for both reasons is listed once.)
INSERT INTO expiring_lots (lot_id)
SELECT id FROM (
  SELECT d.id FROM point_lots d
  WHERE d.status = 'active' AND d.remaining > 0 AND d.expires_at IS NOT NULL
    AND d.expires_at <= ?1
  ORDER BY d.expires_at, d.id LIMIT ?2)
UNION
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
  ORDER BY d.id LIMIT ?2)
