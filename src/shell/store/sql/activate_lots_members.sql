-- activate_lots_members
-- Step 2 of 3: the members' balances. ?1 now
UPDATE members
SET points = points + (SELECT SUM(remaining) FROM point_lots
                       WHERE member_id = members.id AND status = 'pending' AND available_at <= ?1),
    pending_points = pending_points - (SELECT SUM(remaining) FROM point_lots
                       WHERE member_id = members.id AND status = 'pending' AND available_at <= ?1)
WHERE id IN (SELECT member_id FROM point_lots WHERE status = 'pending' AND available_at <= ?1)
