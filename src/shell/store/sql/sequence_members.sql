-- sequence_members
-- Step 4 of 6: the balances of the members batch ?1 gave points or stamps at ?2.
WITH b AS (
  SELECT e.member_id, SUM(e.points) AS points, SUM(e.stamps) AS stamps
  FROM sequence_runs g JOIN ledger_entries e ON e.id = g.id AND e.created_at = ?2
  WHERE g.fired_by = ?1 AND g.skip_reason IS NULL
  GROUP BY e.member_id
)
UPDATE members
SET points = points + MAX((SELECT points FROM b WHERE b.member_id = members.id) - debt, 0),
    debt = MAX(debt - (SELECT points FROM b WHERE b.member_id = members.id), 0),
    stamps = stamps + (SELECT stamps FROM b WHERE b.member_id = members.id)
WHERE id IN (SELECT member_id FROM b)
