-- apply_spend_to_member
-- Applies a spending ledger entry ?1 (reserve, redeem, reverse, negative adjust) to its member:
-- spendable points fall by what was drawn from lots; any part of the entry's points not covered
-- by lots becomes debt (only a reversal under the allow-negative policy gets there); pending,
-- stamps and cashback move by the entry's columns. ?2 now, or NULL to keep the last activity.
UPDATE members
SET points = points - COALESCE((SELECT SUM(amount) FROM lot_draws WHERE entry_id = ?1), 0),
    debt = debt + MAX(-(SELECT points FROM ledger_entries WHERE id = ?1)
                      - COALESCE((SELECT SUM(amount) FROM lot_draws WHERE entry_id = ?1), 0), 0),
    pending_points = pending_points + (SELECT pending FROM ledger_entries WHERE id = ?1),
    stamps = stamps + (SELECT stamps FROM ledger_entries WHERE id = ?1),
    cashback_minor = cashback_minor + (SELECT cashback FROM ledger_entries WHERE id = ?1),
    last_activity_at = COALESCE(?2, last_activity_at)
WHERE id = (SELECT member_id FROM ledger_entries WHERE id = ?1)
