-- expire_lots_members
-- Step 3 of 5: the members' balances.
UPDATE members
SET points = points - (
  SELECT SUM(l.remaining) FROM point_lots l
  WHERE l.member_id = members.id AND l.id IN (SELECT lot_id FROM expiring_lots)
    AND l.status = 'active' AND l.remaining > 0)
WHERE id IN (
  SELECT l.member_id FROM point_lots l
  WHERE l.id IN (SELECT lot_id FROM expiring_lots) AND l.status = 'active' AND l.remaining > 0)
