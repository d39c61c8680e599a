-- apply_earn_to_member
-- Applies a positive ledger entry ?1 (an adjustment) to its member: points pay off debt
-- first. ?2 now
UPDATE members
SET points = points + MAX((SELECT points FROM ledger_entries WHERE id = ?1) - debt, 0),
    debt = MAX(debt - (SELECT points FROM ledger_entries WHERE id = ?1), 0),
    stamps = stamps + (SELECT stamps FROM ledger_entries WHERE id = ?1),
    last_activity_at = ?2
WHERE id = (SELECT member_id FROM ledger_entries WHERE id = ?1)
