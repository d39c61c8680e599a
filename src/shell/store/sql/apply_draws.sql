-- apply_draws
-- Takes the amounts drawn by ledger entry ?1 out of their lots.
UPDATE point_lots
SET remaining = remaining - (SELECT d.amount FROM lot_draws d
                             WHERE d.entry_id = ?1 AND d.lot_id = point_lots.id)
WHERE id IN (SELECT lot_id FROM lot_draws WHERE entry_id = ?1)
