-- insert_order_entry
-- Writes the earn entry ?3 of order ?2 (merchant ?1) if this request (?4) recorded the order
-- with a member and points; pending (?5 = 1) while the return window runs. ?6 program version,
-- ?7 note (the promotions applied)
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, note, created_at)
SELECT ?3, merchant_id, member_id, 'earn', CASE WHEN ?5 = 1 THEN 0 ELSE points END,
       CASE WHEN ?5 = 1 THEN points ELSE 0 END, 0, 0, 'order', order_id, ?6, ?7, created_at
FROM orders
WHERE merchant_id = ?1 AND order_id = ?2 AND request_id = ?4 AND entry_id = ?3
