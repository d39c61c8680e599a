-- till_by_secret
-- The paired till with cookie hash ?1 at ?2, and who is signed in at it (only while they still
-- hold a role at its merchant and have not been idle past the till's limit).
SELECT t.id, t.merchant_id, t.location, t.label,
  CASE WHEN r.role IS NOT NULL AND t.person_seen_at + t.idle_ms > ?2 THEN t.person_id END AS person_id,
  CASE WHEN r.role IS NOT NULL AND t.person_seen_at + t.idle_ms > ?2 THEN p.name END AS person_name,
  CASE WHEN r.role IS NOT NULL AND t.person_seen_at + t.idle_ms > ?2 THEN p.language END AS person_language
FROM tills t
LEFT JOIN roles r ON r.person_id = t.person_id AND r.merchant_id = t.merchant_id
LEFT JOIN people p ON p.id = t.person_id
WHERE t.secret_hash = ?1 AND t.unpaired_at IS NULL
