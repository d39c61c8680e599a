-- birthday_members
-- Step 4 of 6: the balances of the members this run gave a gift. ?1 merchant, ?2 now
WITH b AS (
  SELECT e.member_id, SUM(e.points) AS points, SUM(e.stamps) AS stamps
  FROM birthday_grants g JOIN ledger_entries e ON e.id = g.id AND e.created_at = ?2
  WHERE g.merchant_id = ?1 AND g.created_at = ?2
  GROUP BY e.member_id
)
UPDATE members
SET points = points + MAX((SELECT points FROM b WHERE b.member_id = members.id) - debt, 0),
    debt = MAX(debt - (SELECT points FROM b WHERE b.member_id = members.id), 0),
    stamps = stamps + (SELECT stamps FROM b WHERE b.member_id = members.id)
WHERE id IN (SELECT member_id FROM b)
