-- rfm_thresholds
-- Merchant ?1's RFM cut points for day ?2, if the totals hold exactly the days up to it: among
-- members with a purchase or visit, the last transaction day, transactions and revenue found at
-- 20, 40, 60 and 80 % of the way up (position ceil(n * k / 5)). A score is 1 plus the cut points
-- a member's value is above.
INSERT INTO rfm_thresholds (merchant_id, day, scored, r1, r2, r3, r4, f1, f2, f3, f4,
                            m1, m2, m3, m4)
SELECT ?1, ?2, x.*
FROM (
  SELECT COUNT(*) AS scored,
    MAX(CASE WHEN rr = (n + 4) / 5 THEN last_transaction_day END),
    MAX(CASE WHEN rr = (2 * n + 4) / 5 THEN last_transaction_day END),
    MAX(CASE WHEN rr = (3 * n + 4) / 5 THEN last_transaction_day END),
    MAX(CASE WHEN rr = (4 * n + 4) / 5 THEN last_transaction_day END),
    MAX(CASE WHEN rf = (n + 4) / 5 THEN transactions END),
    MAX(CASE WHEN rf = (2 * n + 4) / 5 THEN transactions END),
    MAX(CASE WHEN rf = (3 * n + 4) / 5 THEN transactions END),
    MAX(CASE WHEN rf = (4 * n + 4) / 5 THEN transactions END),
    MAX(CASE WHEN rm = (n + 4) / 5 THEN revenue_minor END),
    MAX(CASE WHEN rm = (2 * n + 4) / 5 THEN revenue_minor END),
    MAX(CASE WHEN rm = (3 * n + 4) / 5 THEN revenue_minor END),
    MAX(CASE WHEN rm = (4 * n + 4) / 5 THEN revenue_minor END)
  FROM (
    SELECT last_transaction_day, transactions, revenue_minor,
           ROW_NUMBER() OVER (ORDER BY last_transaction_day) AS rr,
           ROW_NUMBER() OVER (ORDER BY transactions) AS rf,
           ROW_NUMBER() OVER (ORDER BY revenue_minor) AS rm,
           COUNT(*) OVER () AS n
    FROM member_totals
    WHERE merchant_id = ?1 AND transactions > 0
  )
) x
WHERE EXISTS (SELECT 1 FROM rollup_state WHERE merchant_id = ?1 AND next_day = ?2 + 1)
ON CONFLICT DO NOTHING
