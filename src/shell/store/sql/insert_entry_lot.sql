-- insert_entry_lot
-- Makes the lot of a positive ledger entry ?1 (an adjustment), paying off debt first.
-- ?2 expires_at or NULL
INSERT INTO point_lots (id, merchant_id, member_id, status, earned, remaining, earned_at,
                        available_at, expires_at, source_id)
SELECT e.id, e.merchant_id, e.member_id, 'active', e.points, e.points - MIN(m.debt, e.points),
       e.created_at, e.created_at, ?2, e.id
FROM ledger_entries e JOIN members m ON m.id = e.member_id
WHERE e.id = ?1 AND e.points > 0
