-- rfm_thresholds
-- Merchant ?1's RFM cut points for day ?2, if the totals hold exactly the days up to it, from a
-- sample of ?3 members with a purchase or visit: the last transaction day, transactions and
-- revenue found 20, 40, 60 and 80 % of the way up (0-based offsets ?4-?7 among the sample, from
-- domain::metrics::cut_offsets), each read by walking an index. Revenue is walked over all
-- members: the ?8 without a transaction all have 0, the lowest revenue, so they come first. A
-- score is 1 plus the cut points a member's value is above.
INSERT INTO rfm_thresholds (merchant_id, day, scored, r1, r2, r3, r4, f1, f2, f3, f4,
                            m1, m2, m3, m4)
SELECT ?1, ?2, ?3,
  (SELECT last_transaction_day FROM member_totals WHERE merchant_id = ?1
   AND last_transaction_day IS NOT NULL ORDER BY last_transaction_day LIMIT 1 OFFSET ?4),
  (SELECT last_transaction_day FROM member_totals WHERE merchant_id = ?1
   AND last_transaction_day IS NOT NULL ORDER BY last_transaction_day LIMIT 1 OFFSET ?5),
  (SELECT last_transaction_day FROM member_totals WHERE merchant_id = ?1
   AND last_transaction_day IS NOT NULL ORDER BY last_transaction_day LIMIT 1 OFFSET ?6),
  (SELECT last_transaction_day FROM member_totals WHERE merchant_id = ?1
   AND last_transaction_day IS NOT NULL ORDER BY last_transaction_day LIMIT 1 OFFSET ?7),
  (SELECT transactions FROM member_totals WHERE merchant_id = ?1 AND transactions > 0
   ORDER BY transactions LIMIT 1 OFFSET ?4),
  (SELECT transactions FROM member_totals WHERE merchant_id = ?1 AND transactions > 0
   ORDER BY transactions LIMIT 1 OFFSET ?5),
  (SELECT transactions FROM member_totals WHERE merchant_id = ?1 AND transactions > 0
   ORDER BY transactions LIMIT 1 OFFSET ?6),
  (SELECT transactions FROM member_totals WHERE merchant_id = ?1 AND transactions > 0
   ORDER BY transactions LIMIT 1 OFFSET ?7),
  (SELECT revenue_minor FROM member_totals WHERE merchant_id = ?1
   ORDER BY revenue_minor LIMIT 1 OFFSET ?8 + ?4),
  (SELECT revenue_minor FROM member_totals WHERE merchant_id = ?1
   ORDER BY revenue_minor LIMIT 1 OFFSET ?8 + ?5),
  (SELECT revenue_minor FROM member_totals WHERE merchant_id = ?1
   ORDER BY revenue_minor LIMIT 1 OFFSET ?8 + ?6),
  (SELECT revenue_minor FROM member_totals WHERE merchant_id = ?1
   ORDER BY revenue_minor LIMIT 1 OFFSET ?8 + ?7)
WHERE EXISTS (SELECT 1 FROM rollup_state WHERE merchant_id = ?1 AND next_day = ?2 + 1)
ON CONFLICT DO NOTHING
