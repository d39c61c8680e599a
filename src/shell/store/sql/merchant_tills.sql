-- merchant_tills
-- Merchant ?1's paired tills at ?2: where, who paired them, when last used, who is at them.
SELECT t.id, t.location, t.label, t.paired_at, t.seen_at, pb.name AS paired_by,
  CASE WHEN r.role IS NOT NULL AND t.person_seen_at + t.idle_ms > ?2 THEN p.name END AS signed_in
FROM tills t
JOIN people pb ON pb.id = t.paired_by
LEFT JOIN people p ON p.id = t.person_id
LEFT JOIN roles r ON r.person_id = t.person_id AND r.merchant_id = t.merchant_id
WHERE t.merchant_id = ?1 AND t.unpaired_at IS NULL
ORDER BY t.paired_at, t.id
