-- member_entries
-- A member's latest ?3 entries with what caused each, in words where the cause has a name.
-- ?1 member, ?2 merchant, ?3 limit
SELECT e.id, e.reason, e.points, e.pending, e.stamps, e.cashback, e.cause_type, e.cause_id,
       CASE e.cause_type
         WHEN 'redemption' THEN (SELECT w.name FROM redemptions r JOIN rewards w ON w.id = r.reward_id
                                 WHERE r.id = e.cause_id)
         WHEN 'scan' THEN (SELECT s.kind || COALESCE(' ' || s.amount_minor, '') FROM scans s
                           WHERE s.id = e.cause_id)
       END AS cause_label,
       e.actor, e.note, e.created_at
FROM ledger_entries e
WHERE e.member_id = ?1 AND e.merchant_id = ?2
ORDER BY e.created_at DESC, e.id DESC
LIMIT ?3
