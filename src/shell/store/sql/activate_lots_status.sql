-- activate_lots_status
-- Step 3 of 3: the lots become active. ?1 now
UPDATE point_lots SET status = 'active' WHERE status = 'pending' AND available_at <= ?1
