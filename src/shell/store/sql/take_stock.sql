-- take_stock
-- Takes one of the reward's stock for redemption ?1, if this batch recorded it.
UPDATE rewards SET stock = stock - 1
WHERE id = (SELECT reward_id FROM redemptions WHERE id = ?1) AND stock IS NOT NULL
