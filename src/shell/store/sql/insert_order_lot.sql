-- insert_order_lot
-- Makes the lot of earn entry ?1 (an order): pending (?2 = 1) until ?3, or active at once and
-- paying off any debt first. ?4 expires_at or NULL
INSERT INTO point_lots (id, merchant_id, member_id, status, earned, remaining, earned_at,
                        available_at, expires_at, source_id)
SELECT e.id, e.merchant_id, e.member_id, CASE WHEN ?2 = 1 THEN 'pending' ELSE 'active' END,
       e.points + e.pending,
       CASE WHEN ?2 = 1 THEN e.pending ELSE e.points - MIN(m.debt, e.points) END,
       e.created_at, ?3, ?4, e.id
FROM ledger_entries e JOIN members m ON m.id = e.member_id
WHERE e.id = ?1
