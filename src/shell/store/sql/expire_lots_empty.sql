-- expire_lots_empty
-- Step 4 of 5: the listed lots are emptied.
UPDATE point_lots
SET expired = expired + remaining, remaining = 0
WHERE id IN (SELECT lot_id FROM expiring_lots) AND status = 'active' AND remaining > 0
