-- expire_lots_empty
-- Step 3 of 3: the lots are emptied (same predicate as expire_lots). ?1 now
UPDATE point_lots
SET expired = expired + remaining, remaining = 0
WHERE status = 'active' AND remaining > 0
  AND (expires_at <= ?1 OR member_id IN (
        SELECT m.id FROM members m JOIN programs p ON p.merchant_id = m.merchant_id
        WHERE p.version = (SELECT MAX(version) FROM programs WHERE merchant_id = m.merchant_id)
          AND json_extract(p.config, '$.points_expiry.policy') = 'inactivity'
          AND m.last_activity_at + json_extract(p.config, '$.points_expiry.days') * 86400000 <= ?1))
