-- segment_members
-- Up to ?4 members of merchant ?1 in segment ?2 after member id ?3 (paging), with their scores.
SELECT t.member_id, m.name, t.r, t.f, t.m, t.transactions, t.purchases, t.revenue_minor,
       t.last_transaction_day, t.created_day
FROM member_totals t
JOIN members m ON m.id = t.member_id
WHERE t.merchant_id = ?1 AND t.segment = ?2 AND t.member_id > ?3
ORDER BY t.member_id
LIMIT ?4
