-- expire_lots_members
-- Step 2 of 3: the members' balances (same predicate as expire_lots). ?1 now
UPDATE members
SET points = points - (
  SELECT SUM(l.remaining) FROM point_lots l
  WHERE l.member_id = members.id AND l.status = 'active' AND l.remaining > 0
    AND (l.expires_at <= ?1 OR l.member_id IN (
          SELECT m.id FROM members m JOIN programs p ON p.merchant_id = m.merchant_id
          WHERE p.version = (SELECT MAX(version) FROM programs WHERE merchant_id = m.merchant_id)
            AND json_extract(p.config, '$.points_expiry.policy') = 'inactivity'
            AND m.last_activity_at + json_extract(p.config, '$.points_expiry.days') * 86400000 <= ?1)))
WHERE id IN (
  SELECT l.member_id FROM point_lots l
  WHERE l.status = 'active' AND l.remaining > 0
    AND (l.expires_at <= ?1 OR l.member_id IN (
          SELECT m.id FROM members m JOIN programs p ON p.merchant_id = m.merchant_id
          WHERE p.version = (SELECT MAX(version) FROM programs WHERE merchant_id = m.merchant_id)
            AND json_extract(p.config, '$.points_expiry.policy') = 'inactivity'
            AND m.last_activity_at + json_extract(p.config, '$.points_expiry.days') * 86400000 <= ?1)))
