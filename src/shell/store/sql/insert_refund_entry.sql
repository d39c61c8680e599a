-- insert_refund_entry
-- Writes reversal entry ?3 taking back ?4 points of order ?2 (merchant ?1), if request ?5 just
-- refunded it: pending points are withdrawn; active ones are taken from live lots, and what they
-- no longer cover is written off (?6 = 'clamp', said in the note) or becomes debt ('allow').
-- ?7 program version, ?8 now
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, note, created_at)
SELECT ?3, o.merchant_id, o.member_id, 'reverse',
       CASE WHEN l.status = 'active' AND ?6 = 'allow' THEN -?4
            WHEN l.status = 'active' THEN -MIN(?4, live.points)
            ELSE 0 END,
       CASE WHEN l.status = 'pending' THEN -MIN(?4, l.remaining) ELSE 0 END,
       0, 0, 'order', o.order_id, ?7,
       'refund' || CASE WHEN l.status = 'active' AND ?6 <> 'allow' AND live.points < ?4
                        THEN ' (' || CAST(?4 - live.points AS INTEGER) || ' points already spent, written off)'
                        ELSE '' END,
       ?8
FROM orders o
JOIN point_lots l ON l.id = o.entry_id
JOIN (SELECT COALESCE(SUM(remaining), 0) AS points FROM point_lots
      WHERE member_id = (SELECT member_id FROM orders WHERE merchant_id = ?1 AND order_id = ?2)
        AND status = 'active' AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?8)) live
WHERE o.merchant_id = ?1 AND o.order_id = ?2 AND o.request_id = ?5 AND ?4 > 0
