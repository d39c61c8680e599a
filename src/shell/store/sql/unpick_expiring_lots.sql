-- unpick_expiring_lots
-- Step 5 of 5: the list is emptied for the next batch.
DELETE FROM expiring_lots
