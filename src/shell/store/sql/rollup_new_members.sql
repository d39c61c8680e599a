-- rollup_new_members
-- Day ?2 of merchant ?1 (Unix ms ?3 to ?4), if it is the next to roll: members who joined that
-- day get their running totals (erased members are left out).
INSERT INTO member_totals (member_id, merchant_id, channel, created_day)
SELECT id, merchant_id, channel, ?2
FROM members
WHERE merchant_id = ?1 AND created_at >= ?3 AND created_at < ?4 AND erased_at IS NULL
  AND EXISTS (SELECT 1 FROM rollup_state WHERE merchant_id = ?1 AND next_day = ?2)
ON CONFLICT DO NOTHING
