-- withdraw_pending_points
-- Takes the pending part of reversal entry ?2 out of lot ?1 (a refund inside the return window).
UPDATE point_lots
SET remaining = remaining + (SELECT pending FROM ledger_entries WHERE id = ?2)
WHERE id = ?1 AND status = 'pending' AND EXISTS (SELECT 1 FROM ledger_entries WHERE id = ?2)
