-- withdraw_pending_lot
-- A reversed scan whose points were still pending: its lot is emptied. ?1 scan id, ?2 entry id
UPDATE point_lots SET remaining = 0, status = 'reversed'
WHERE id = ?1 AND status = 'pending' AND EXISTS (SELECT 1 FROM ledger_entries WHERE id = ?2)
