-- apply_order_to_member
-- Applies earn entry ?1 (an order) to its member: pending points wait; active points pay off
-- debt first. ?2 now
UPDATE members
SET points = points + MAX((SELECT points FROM ledger_entries WHERE id = ?1) - debt, 0),
    debt = MAX(debt - (SELECT points FROM ledger_entries WHERE id = ?1), 0),
    pending_points = pending_points + (SELECT pending FROM ledger_entries WHERE id = ?1),
    last_activity_at = ?2
WHERE id = (SELECT member_id FROM ledger_entries WHERE id = ?1)
